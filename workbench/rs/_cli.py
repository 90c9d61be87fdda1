"""``workbench rs ...``: simulate, critical diversity and the scaling law from the command line."""

from __future__ import annotations

import argparse

from .._errors import WorkbenchError
from .._numbers import parse_number, parse_number_list
from ._homogeneous import HomogeneousConfig, full_system, reduced_system
from ._model import RewardModel, flow_by_name
from ._simulate import Saturation, simulate
from ._solvers import DormandPrince


def _model_options(p: argparse.ArgumentParser, *, p0: bool = True) -> None:
    g = p.add_argument_group("model options (defaults: the canonical homogeneous configuration, spec §5)")
    if p0:
        g.add_argument("--p0", default="0.01", help="initial prior of reward-seeking, in (0, 1) (default 0.01)")
    g.add_argument("--x0", default="0", help="initial logit of the reward-seeking skill (default 0)")
    g.add_argument("--y0", default="-2", help="initial logit of the local skill (default -2)")
    g.add_argument("--alpha", default="1,1,1", metavar="AZ,AX,AY", help="learnabilities (default 1,1,1)")
    g.add_argument("--c", default="0.1,0.1,0", metavar="CZ,CX,CY", help="off-diagonal transfers in [0, 1] (default 0.1,0.1,0)")
    g.add_argument("--variant", default="gradient", choices=["gradient", "replicator"], help="flow derived from J (default gradient)")
    g.add_argument("--kappa", default="0", help="footnote-4 variant: a = sigmoid(x + kappa*y), kappa >= 0 (default 0)")
    g.add_argument("--cost", default="0", help="cost of the reward-seeking branch: J = p(a - cost) + (1-p) b (default 0)")
    g.add_argument("--reward", default=None, metavar="EXPR",
                   help="a custom J in p, a, b (and z, x, y, kappa, cost), e.g. 'p*a + (1-p)*b - p/20'; parsed safely")
    g.add_argument("--eps", default="1e-3", help="saturation: stop when mean J reaches 1 - eps (default 1e-3)")
    g.add_argument("--threshold", default="1/2", help="reward-seeking dominates if mean p(T_sat) > threshold (default 1/2)")
    g.add_argument("--t-max", default="1e7", help="time cap; a run not saturated by then is 'undecided' (default 1e7)")
    g.add_argument("--rtol", default="1e-8", help="relative tolerance of the adaptive integrator (default 1e-8)")


def config_from_args(args, p0=None, n=None) -> HomogeneousConfig:
    model = RewardModel.from_text(args.reward) if args.reward else RewardModel.standard()
    return HomogeneousConfig(
        p0=parse_number(args.p0, name="--p0") if p0 is None else p0,
        x0=parse_number(args.x0, name="--x0"),
        y0=parse_number(args.y0, name="--y0"),
        alpha=tuple(parse_number_list(args.alpha, name="--alpha", length=3)),
        c=tuple(parse_number_list(args.c, name="--c", length=3)),
        n=parse_number(getattr(args, "n", "1"), name="--n") if n is None else n,
        kappa=parse_number(args.kappa, name="--kappa"),
        cost=parse_number(args.cost, name="--cost"),
        flow=flow_by_name(args.variant),
        model=model,
    )


def _criterion(args) -> Saturation:
    return Saturation(eps=parse_number(args.eps, name="--eps"), threshold=parse_number(args.threshold, name="--threshold"))


def _solver(args) -> DormandPrince:
    return DormandPrince(rtol=parse_number(args.rtol, name="--rtol"))


def _t_max(args) -> float:
    t = parse_number(args.t_max, name="--t-max")
    if t <= 0:
        raise WorkbenchError(f"--t-max must be positive, got {args.t_max}")
    return t


def run_simulate(args) -> int:
    from .._cli import print_json

    cfg = config_from_args(args)
    criterion = _criterion(args)
    if args.criterion == "asymptotic":
        try:
            from ._asymptotic import Asymptotic
        except ModuleNotFoundError:
            raise WorkbenchError("--criterion asymptotic is not available yet (it comes with the symbolic analysis)") from None
        criterion = Asymptotic(threshold=criterion.threshold)
    if args.full:
        system = full_system(cfg)
    else:
        system = reduced_system(cfg)
    result = simulate(system, solver=_solver(args), criterion=criterion, t_max=_t_max(args))
    summary = {**result.summary(0), "config": cfg.to_json(), "system": "full" if args.full else "reduced",
               "alpha_eff": cfg.alpha_eff().tolist()}
    if args.plot:
        from ._figures import plot_trajectory

        plot_trajectory(cfg, args.plot, solver=_solver(args), criterion=_criterion(args))
        summary["plot"] = args.plot
    if args.json:
        print_json(summary)
    else:
        when = f"T_sat: {summary['t_sat']:.6g}" if summary["t_sat"] is not None else f"stopped at t = {summary['t_end']:.6g}"
        print(f"outcome: {summary['outcome']} ({summary['reason']})")
        print(f"mean p at end: {summary['p_final']:.6g}   {when}   mean J at end: {summary['mean_reward_final']:.6g}")
        print(f"N = {cfg.n:g}, alpha_eff = ({', '.join(f'{a:.6g}' for a in summary['alpha_eff'])}), variant {cfg.flow.name}, {summary['steps']} steps")
        if args.plot:
            print(f"figure: {args.plot}")
    return 0


def run_critical(args) -> int:
    from .._cli import print_json
    from ._critical import critical_diversity

    cfg = config_from_args(args, n=1.0)
    [res] = critical_diversity(cfg, n_max=parse_number(args.n_max, name="--n-max"), solver=_solver(args),
                               criterion=_criterion(args), t_max=_t_max(args))
    out = res.to_json()
    if args.json:
        print_json(out)
    else:
        print(f"p0 = {cfg.p0:g}: N* = {res.n_star}   continuous N*_c = {_fmt(res.n_star_continuous)}")
        if res.bracket:
            print(f"  bracket [{res.bracket[0]:.10g}, {res.bracket[1]:.10g}]; integer check: N*={res.integer_check['n']} "
                  f"-> {res.integer_check['outcome_at_n']}, N*-1 -> {res.integer_check['outcome_at_n_minus_1']}")
        print(f"  monotone in N on a {res.grid_size}-point log grid up to {res.n_max:g}: {res.monotone}"
              + ("" if res.monotone else f" (switches at {res.switches})"))
    return 0


def run_scaling(args) -> int:
    from .._cli import print_json
    from ._critical import critical_diversity, fit_scaling

    p0s = parse_number_list(args.p0, name="--p0")
    if len(p0s) < 3:
        raise WorkbenchError("--p0 needs at least 3 priors for a fit, e.g. --p0 1e-1,1e-2,1e-3,1e-4")
    cfgs = [config_from_args(args, p0=p, n=1.0) for p in p0s]
    res = critical_diversity(cfgs, n_max=parse_number(args.n_max, name="--n-max"), solver=_solver(args),
                             criterion=_criterion(args), t_max=_t_max(args))
    fit = fit_scaling(p0s, [r.n_star_continuous for r in res])
    out = {
        "points": [{"p0": r.config.p0, "n_star": r.n_star, "n_star_continuous": r.n_star_continuous, "monotone": r.monotone} for r in res],
        "slope": fit.slope,
        "slope_ci": list(fit.slope_ci),
        "fit": fit.to_json(),
        "variant": cfgs[0].flow.name,
    }
    if args.plot:
        from ._figures import plot_scaling

        plot_scaling([(cfgs[0].flow.name, res, fit)], args.plot)
        out["plot"] = args.plot
    if args.json:
        print_json(out)
    else:
        for r in res:
            print(f"p0 = {r.config.p0:<8g} N* = {str(r.n_star):<10} N*_c = {_fmt(r.n_star_continuous)}")
        print(f"slope of log N*_c vs log p0: {fit.slope:.4f}, 95% CI [{fit.slope_ci[0]:.4f}, {fit.slope_ci[1]:.4f}] "
              f"(OLS, {len(fit.log10_p0)} points), R^2 = {fit.r_squared:.5f}")
        if args.plot:
            print(f"figure: {args.plot}")
    return 0


def _fmt(v) -> str:
    return "none" if v is None else f"{v:.8g}"


def add_commands(subparsers) -> None:
    rs = subparsers.add_parser("rs", help="the reward-seeking model (seed 000)", description="The reward-seeking model (spec reward_seeking.md).")
    sub = rs.add_subparsers(dest="rs_command", metavar="SUBCOMMAND", required=True)

    p = sub.add_parser("simulate", help="integrate one homogeneous configuration to its outcome")
    p.add_argument("--n", default="1", help="number of environments, >= 1 (default 1)")
    _model_options(p)
    p.add_argument("--criterion", default="saturation", choices=["saturation", "asymptotic"])
    p.add_argument("--full", action="store_true", help="integrate all N environments instead of the exact reduced system")
    p.add_argument("--plot", metavar="FILE", help="write the trajectory figure (p, a, b, J against t)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_simulate)

    p = sub.add_parser("critical", help="critical diversity N*(p0): integer and continuous")
    _model_options(p)
    p.add_argument("--n-max", default="1e9", help="largest N searched (default 1e9)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_critical)

    p = sub.add_parser("scaling", help="N* over several priors and the slope of log N* against log p0")
    _model_options(p, p0=False)
    p.add_argument("--p0", default="1e-1,1e-2,1e-3,1e-4,1e-5,1e-6", help="comma-separated priors (default 1e-1,...,1e-6)")
    p.add_argument("--n-max", default="1e9", help="largest N searched (default 1e9)")
    p.add_argument("--plot", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_scaling)

    # Commands of the analysis and heterogeneous modules, when present.
    for module, function in (("_analysis_cli", "add_analyze_command"), ("_hetero_cli", "add_hetero_commands")):
        try:
            mod = __import__(f"{__package__}.{module}", fromlist=[function])
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.{module}":
                raise
        else:
            getattr(mod, function)(sub)
