"""``workbench rs ...``: simulate, critical diversity and the scaling law from the command line."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from workbench._errors import WorkbenchError
from workbench._numbers import parse_int, parse_number, parse_number_list

# The science (sympy, scipy) is imported inside the functions that use it, so that building the
# parser (and `workbench --help`) stays light.
if TYPE_CHECKING:
    from workbench.rs._homogeneous.config import HomogeneousConfig
    from workbench.rs._simulate.simulate import Saturation
    from workbench.rs._simulate.solvers import DormandPrince


# Ranges of the command-line parameters. They are wider than any meaningful run and keep every
# run bounded: only the ratios of the learnabilities matter (time rescales the rest), a logit
# beyond +-1000 is a probability of exactly 0 or 1 in double precision, and so on.
LEARNABILITY_RANGE = (1e-6, 1e6)
MAX_ENVIRONMENTS = 1e12
MAX_KAPPA = 1e3
MAX_LOGIT = 1e3
MIN_EPS = 1e-12
MAX_T = 1e15
RTOL_RANGE = (1e-14, 0.1)
MAX_PRIORS = 100

NUMBERS_HELP = ("Numbers may be written 0.5, 1e-3 or 1/3. Negative values can follow their flag directly "
                "(--x0 -1, --reward -p+1) or be attached with '=' (--x0=-1).")


def parse_p0(text, name: str = "--p0") -> float:
    """A prior of reward-seeking, strictly inside (0, 1)."""
    return parse_number(text, name=name, open_unit=True)


def parse_priors(text, name: str = "--p0") -> list[float]:
    """Distinct priors in (0, 1), at most :data:`MAX_PRIORS`."""
    values = parse_number_list(text, name=name, max_length=MAX_PRIORS, open_unit=True)
    if len(set(values)) != len(values):
        raise WorkbenchError(f"{name}: the priors must be distinct, got {text}")
    return values


def parse_learnabilities(text, name: str = "--alpha") -> tuple[float, float, float]:
    lo, hi = LEARNABILITY_RANGE
    return tuple(parse_number_list(text, name=name, length=3, minimum=lo, maximum=hi))


def parse_logit(text, name: str) -> float:
    return parse_number(text, name=name, minimum=-MAX_LOGIT, maximum=MAX_LOGIT)


def parse_kappa(text, name: str = "--kappa") -> float:
    return parse_number(text, name=name, minimum=0, maximum=MAX_KAPPA)


def parse_cost(text, name: str = "--cost") -> float:
    """A branch cost in [0, 1): J = p (a - cost) + (1 - p) b must stay a reward at most 1."""
    value = parse_number(text, name=name)
    if value < 0:
        raise WorkbenchError(f"{name} must be >= 0, got {text}: a negative cost would pay the reward-seeking "
                             "branch more than the largest reward 1")
    if value >= 1:
        raise WorkbenchError(f"{name} must be below 1, got {text}: with cost >= 1 the reward-seeking branch "
                             "earns a - cost <= 0 whatever its skill")
    return value


def parse_eps(text, name: str = "--eps") -> float:
    return parse_number(text, name=name, minimum=MIN_EPS, open_unit=True)


def parse_threshold(text, name: str = "--threshold") -> float:
    return parse_number(text, name=name, open_unit=True)


def parse_t_max(text, name: str = "--t-max") -> float:
    return parse_number(text, name=name, positive=True, maximum=MAX_T)


def parse_rtol(text, name: str = "--rtol") -> float:
    lo, hi = RTOL_RANGE
    return parse_number(text, name=name, minimum=lo, maximum=hi)


def parse_reward(text):
    """``--reward``: None (not given) is the standard model; an empty text is an error."""
    from workbench.rs._model.reward_model import RewardModel

    if text is None:
        return RewardModel.standard()
    return RewardModel.from_text(text, what="--reward")


def check_plot_path(path, name: str = "--plot"):
    """Check a figure path (writable, a format matplotlib writes) before any computation."""
    if path is None:
        return None
    from workbench.rs._plotting.figures import check_figure_path

    return check_figure_path(path, name=name)


def _model_options(p: argparse.ArgumentParser, *, p0: bool = True) -> None:
    g = p.add_argument_group("model options (defaults: the canonical homogeneous configuration, spec §5)")
    if p0:
        g.add_argument("--p0", default="0.01", help="initial prior of reward-seeking, in (0, 1) (default 0.01)")
    g.add_argument("--x0", default="0", help=f"initial logit of the reward-seeking skill, within ±{MAX_LOGIT:g} (default 0)")
    g.add_argument("--y0", default="-2", help=f"initial logit of the local skill, within ±{MAX_LOGIT:g} (default -2)")
    g.add_argument("--alpha", default="1,1,1", metavar="AZ,AX,AY",
                   help=f"learnabilities in [{LEARNABILITY_RANGE[0]:g}, {LEARNABILITY_RANGE[1]:g}] (default 1,1,1)")
    g.add_argument("--c", default="0.1,0.1,0", metavar="CZ,CX,CY", help="off-diagonal transfers in [0, 1] (default 0.1,0.1,0)")
    g.add_argument("--variant", default="gradient", choices=["gradient", "replicator"], help="flow derived from J (default gradient)")
    g.add_argument("--kappa", default="0", help=f"footnote-4 variant: a = sigmoid(x + kappa*y), 0 <= kappa <= {MAX_KAPPA:g} (default 0)")
    g.add_argument("--cost", default="0", help="cost of the reward-seeking branch, in [0, 1): J = p(a - cost) + (1-p) b (default 0)")
    g.add_argument("--reward", default=None, metavar="EXPR",
                   help="a custom J in p, a, b (and z, x, y, kappa, cost), e.g. 'p*a + (1-p)*b - p/20'; parsed safely; "
                        "it must be a real number in [-1, 1] for p, a, b in [0, 1]")
    g.add_argument("--eps", default="1e-3", help=f"saturation: stop when mean J reaches 1 - eps, eps in [{MIN_EPS:g}, 1) (default 1e-3)")
    g.add_argument("--threshold", default="1/2", help="reward-seeking dominates if mean p(T_sat) > threshold, in (0, 1) (default 1/2)")
    g.add_argument("--t-max", default="1e7", help=f"time cap, at most {MAX_T:g}; a run not saturated by then is 'undecided' (default 1e7)")
    g.add_argument("--rtol", default="1e-8",
                   help=f"relative tolerance of the adaptive integrator, in [{RTOL_RANGE[0]:g}, {RTOL_RANGE[1]:g}] (default 1e-8)")


def config_from_args(args, p0=None, n=None) -> HomogeneousConfig:
    from workbench.rs._homogeneous.config import HomogeneousConfig
    from workbench.rs._model.reward_model import flow_by_name

    return HomogeneousConfig(
        p0=parse_p0(args.p0) if p0 is None else p0,
        x0=parse_logit(args.x0, "--x0"),
        y0=parse_logit(args.y0, "--y0"),
        alpha=parse_learnabilities(args.alpha),
        c=tuple(parse_number_list(args.c, name="--c", length=3, minimum=0, maximum=1)),
        n=parse_number(getattr(args, "n", "1"), name="--n", minimum=1, maximum=MAX_ENVIRONMENTS) if n is None else n,
        kappa=parse_kappa(args.kappa),
        cost=parse_cost(args.cost),
        flow=flow_by_name(args.variant),
        model=parse_reward(args.reward),
    )


def _criterion(args) -> Saturation:
    from workbench.rs._simulate.simulate import Saturation

    return Saturation(eps=parse_eps(args.eps), threshold=parse_threshold(args.threshold))


def _solver(args) -> DormandPrince:
    from workbench.rs._simulate.solvers import DormandPrince

    return DormandPrince(rtol=parse_rtol(args.rtol))


def _t_max(args) -> float:
    return parse_t_max(args.t_max)


def _n_max(args) -> float:
    value = parse_number(args.n_max, name="--n-max", maximum=MAX_ENVIRONMENTS)
    if not value > 1:
        raise WorkbenchError(f"--n-max must be greater than 1, got {args.n_max}")
    return value


def _scan(args):
    """``--grid-points K`` (a checked LogGrid, default 97) or ``--no-monotonicity-check`` (Ladder)."""
    from workbench.rs._homogeneous.scan import MAX_GRID_POINTS, Ladder, LogGrid

    if args.no_monotonicity_check:
        if args.grid_points is not None:
            raise WorkbenchError("--grid-points and --no-monotonicity-check exclude each other: the grid is the check")
        return Ladder()
    if args.grid_points is None:
        return LogGrid()
    return LogGrid(parse_int(args.grid_points, name="--grid-points", minimum=3, maximum=MAX_GRID_POINTS))


def _add_scan_options(p) -> None:
    p.add_argument("--grid-points", metavar="K",
                   help="evaluate the outcome on a log grid of K values of N, which checks that it switches "
                        "exactly once (default 97)")
    p.add_argument("--no-monotonicity-check", action="store_true",
                   help="bracket N* on the ladder 1, 10, 100, ... up to the first reward-seeking rung instead "
                        "(one simulation when N* = 1; monotonicity is then not checked)")


def run_simulate(args) -> int:
    from workbench.cli._main import print_json
    from workbench._errors import ResourceTooLarge
    from workbench.rs._homogeneous.config import full_system, reduced_system
    from workbench.rs._model.system import resource_hint
    from workbench.rs._simulate.simulate import simulate

    # Every flag and output path is checked before any computation.
    cfg = config_from_args(args)
    criterion = _criterion(args)
    solver, t_max = _solver(args), _t_max(args)
    check_plot_path(args.plot)
    if args.criterion == "asymptotic":
        from workbench.rs._analysis.asymptotic import Asymptotic

        criterion = Asymptotic(threshold=criterion.threshold)
    if args.full:
        try:
            system = full_system(cfg)
        except ResourceTooLarge as exc:
            raise resource_hint(exc, "drop --full (the reduced system is exact) or give a smaller --n") from None
    else:
        system = reduced_system(cfg)
    result = simulate(system, solver=solver, criterion=criterion, t_max=t_max)
    summary = {**result.summary(0), "config": cfg.to_json(), "system": "full" if args.full else "reduced",
               "alpha_eff": cfg.alpha_eff().tolist()}
    if args.plot:
        from workbench._io import save_figure
        from workbench.rs._plotting.figures import plot_trajectory

        save_figure(plot_trajectory(cfg, solver=solver, criterion=_criterion(args)).figure, args.plot)
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
    from workbench.cli._main import print_json
    from workbench.rs._homogeneous.critical import critical_diversity

    cfg = config_from_args(args, n=1.0)
    [res] = critical_diversity(cfg, n_max=_n_max(args), scan=_scan(args), solver=_solver(args), criterion=_criterion(args),
                               t_max=_t_max(args))
    out = res.to_json()
    if args.json:
        print_json(out)
    else:
        print(f"p0 = {cfg.p0:g}: N* = {res.n_star}   continuous N*_c = {_fmt(res.n_star_continuous)}")
        if res.bracket:
            print(f"  bracket [{res.bracket[0]:.10g}, {res.bracket[1]:.10g}]; integer check: N*={res.integer_check['n']} "
                  f"-> {res.integer_check['outcome_at_n']}, N*-1 -> {res.integer_check['outcome_at_n_minus_1']}")
        if res.monotone is None:
            print(f"  monotonicity in N not checked (bracketed on the ladder {res.scan.ratio:g}^k up to {res.n_max:g})")
        else:
            print(f"  monotone in N on a {res.scan.size}-point log grid up to {res.n_max:g}: {res.monotone}"
                  + ("" if res.monotone else f" (switches at {res.switches})"))
    return 0


def run_scaling(args) -> int:
    from workbench.cli._main import print_json
    from workbench.rs._homogeneous.critical import critical_diversity, fit_scaling

    p0s = parse_priors(args.p0)
    if len(p0s) < 3:
        raise WorkbenchError("--p0 needs at least 3 distinct priors for a fit, e.g. --p0 1e-1,1e-2,1e-3,1e-4")
    first = config_from_args(args, p0=p0s[0], n=1.0)
    cfgs = [first.with_(p0=p) for p in p0s]
    n_max, solver, criterion, t_max, scan = _n_max(args), _solver(args), _criterion(args), _t_max(args), _scan(args)
    check_plot_path(args.plot)
    res = critical_diversity(cfgs, n_max=n_max, scan=scan, solver=solver, criterion=criterion, t_max=t_max)
    fit = fit_scaling(p0s, [r.n_star_continuous for r in res])
    out = {
        "points": [{"p0": r.config.p0, "n_star": r.n_star, "n_star_continuous": r.n_star_continuous, "monotone": r.monotone} for r in res],
        "slope": fit.slope,
        "slope_ci": list(fit.slope_ci),
        "fit": fit.to_json(),
        "variant": cfgs[0].flow.name,
    }
    if args.plot:
        from workbench._io import save_figure
        from workbench.rs._plotting.figures import plot_scaling

        save_figure(plot_scaling([(cfgs[0].flow.name, res, fit)]).figure, args.plot)
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
    rs = subparsers.add_parser("rs", help="the reward-seeking model (seed 000)", description="The reward-seeking model (spec reward_seeking.md).",
                               epilog=NUMBERS_HELP)
    sub = rs.add_subparsers(dest="rs_command", metavar="SUBCOMMAND", required=True)

    p = sub.add_parser("simulate", help="integrate one homogeneous configuration to its outcome", epilog=NUMBERS_HELP)
    p.add_argument("--n", default="1", help=f"number of environments, in [1, {MAX_ENVIRONMENTS:g}] (default 1)")
    _model_options(p)
    p.add_argument("--criterion", default="saturation", choices=["saturation", "asymptotic"])
    from workbench.rs._model.memory import DEFAULT_MEMORY_LIMIT, format_bytes, state_bytes

    p.add_argument("--full", action="store_true",
                   help=("integrate all N environments instead of the exact reduced system; it needs about "
                         f"{state_bytes(1, 1):.0f} bytes per environment and is refused over {format_bytes(DEFAULT_MEMORY_LIMIT)} "
                         f"(N above about {DEFAULT_MEMORY_LIMIT / state_bytes(1, 1):.3g})"))
    p.add_argument("--plot", metavar="FILE", help="write the trajectory figure (p, a, b, J against t)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_simulate)

    p = sub.add_parser("critical", help="critical diversity N*(p0): integer and continuous", epilog=NUMBERS_HELP)
    _model_options(p)
    p.add_argument("--n-max", default="1e9", help=f"largest N searched, in (1, {MAX_ENVIRONMENTS:g}] (default 1e9)")
    _add_scan_options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_critical)

    p = sub.add_parser("scaling", help="N* over several priors and the slope of log N* against log p0", epilog=NUMBERS_HELP)
    _model_options(p, p0=False)
    p.add_argument("--p0", default="1e-1,1e-2,1e-3,1e-4,1e-5,1e-6",
                   help=f"3 to {MAX_PRIORS} distinct comma-separated priors in (0, 1) (default 1e-1,...,1e-6)")
    p.add_argument("--n-max", default="1e9", help=f"largest N searched, in (1, {MAX_ENVIRONMENTS:g}] (default 1e9)")
    _add_scan_options(p)
    p.add_argument("--plot", metavar="FILE", help="write the figure (format from the suffix: .png, .pdf, .svg, ...)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_scaling)

    from workbench.cli.rs_analyze import add_analyze_command
    from workbench.cli.rs_hetero import add_hetero_commands

    add_analyze_command(sub)
    add_hetero_commands(sub)
