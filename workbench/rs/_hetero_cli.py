"""``workbench rs hetero`` and ``workbench rs sweep``: heterogeneous coupling (spec §6, claim RS7)."""

from __future__ import annotations

import argparse
import sys

from .._errors import WorkbenchError
from .._numbers import parse_int, parse_number, parse_number_list
from ._geometry import geometry_by_name, geometry_names
from ._model import RewardModel, flow_by_name

DEFAULT_SWEEP_PRIORS = "0.1,0.03,0.01,0.003,0.001"


def _hetero_model_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("model and geometry options (defaults: spec §6)")
    g.add_argument("--length-scales", default="1,1,0.25", metavar="LZ,LX,LY",
                   help="kernel length scales, in units of the calibrated geometry (default 1,1,0.25)")
    g.add_argument("--target-coupling", default="0.1", help="calibration: mean off-diagonal C at n_ref with length 1 (default 0.1)")
    g.add_argument("--n-ref", default="100", help="calibration reference size (default 100)")
    g.add_argument("--calibration-seed", default=None, help="seed of the calibration points (default: the fixed built-in seed)")
    g.add_argument("--alpha", default="1,1,1", metavar="MZ,MX,MY", help="medians of the log-normal learnabilities (default 1,1,1)")
    g.add_argument("--alpha-sigma", default="0.5", help="log-standard deviation of the learnabilities (default 0.5)")
    g.add_argument("--x0", default="0", help="mean initial logit of the reward-seeking skill (default 0)")
    g.add_argument("--y0", default="-2", help="mean initial logit of the local skill (default -2)")
    g.add_argument("--init-sd", default="0.5,0.5,0.5", metavar="SZ,SX,SY", help="standard deviations of the initial logits (default 0.5 each)")
    g.add_argument("--variant", default="gradient", choices=["gradient", "replicator"], help="flow derived from J (default gradient)")
    g.add_argument("--kappa", default="0", help="footnote-4 variant: a = sigmoid(x + kappa*y), kappa >= 0 (default 0)")
    g.add_argument("--cost", default="0", help="cost of the reward-seeking branch (default 0)")
    g.add_argument("--reward", default=None, metavar="EXPR", help="a custom J in p, a, b (parsed safely)")
    g.add_argument("--eps", default="1e-3", help="saturation: stop when mean J reaches 1 - eps (default 1e-3)")
    g.add_argument("--threshold", default="1/2", help="reward-seeking dominates if mean p(T_sat) > threshold (default 1/2)")
    g.add_argument("--t-max", default="1e6", help="time cap; a run not saturated by then is 'undecided' (default 1e6)")
    n = p.add_argument_group("numerics")
    n.add_argument("--integrator", default="adaptive", choices=["adaptive", "euler"],
                   help="adaptive Dormand-Prince (default) or fixed-step Euler (the seed's)")
    n.add_argument("--dt", default=None, help="Euler step (euler only; default 0.01)")
    n.add_argument("--rtol", default=None, help="adaptive relative tolerance (adaptive only; default 1e-6, 1e-5 with dense32)")
    n.add_argument("--kernel", default="dense", choices=["dense", "dense32", "sparse"], help="kernel back-end (default dense)")
    n.add_argument("--cutoff", default=None, help="sparse only: drop kernel entries below this (default 1e-8)")


def hetero_config_from_args(args):
    from ._geometry import CALIBRATION_SEED
    from ._hetero import HeteroConfig

    t_max = parse_number(args.t_max, name="--t-max")
    return HeteroConfig(
        length_scales=tuple(parse_number_list(args.length_scales, name="--length-scales", length=3)),
        target_coupling=parse_number(args.target_coupling, name="--target-coupling"),
        n_ref=parse_int(args.n_ref, name="--n-ref", minimum=2),
        calibration_seed=CALIBRATION_SEED if args.calibration_seed is None else parse_int(args.calibration_seed, name="--calibration-seed", minimum=0),
        alpha_median=tuple(parse_number_list(args.alpha, name="--alpha", length=3)),
        alpha_sigma=parse_number(args.alpha_sigma, name="--alpha-sigma"),
        x0=parse_number(args.x0, name="--x0"), y0=parse_number(args.y0, name="--y0"),
        init_sd=tuple(parse_number_list(args.init_sd, name="--init-sd", length=3)),
        kappa=parse_number(args.kappa, name="--kappa"), cost=parse_number(args.cost, name="--cost"),
        flow=flow_by_name(args.variant),
        model=RewardModel.from_text(args.reward) if args.reward else RewardModel.standard(),
        eps=parse_number(args.eps, name="--eps"), threshold=parse_number(args.threshold, name="--threshold"),
        t_max=t_max,
    )


def _numerics(args):
    dt = None if args.dt is None else parse_number(args.dt, name="--dt")
    rtol = None if args.rtol is None else parse_number(args.rtol, name="--rtol")
    cutoff = None if args.cutoff is None else parse_number(args.cutoff, name="--cutoff")
    return dt, rtol, cutoff


def run_hetero(args) -> int:
    from .._cli import print_json
    from ._hetero import check_solver_backend, default_solver, simulate_hetero
    from ._kernels import backend_by_name

    geometry = geometry_by_name(args.geometry)
    n = parse_int(args.n, name="--n", minimum=1)
    p0 = parse_number(args.p0, name="--p0")
    if not (0.0 < p0 < 1.0):
        raise WorkbenchError(f"--p0 must lie strictly between 0 and 1, got {args.p0}")
    seed = parse_int(args.seed, name="--seed", minimum=0)
    config = hetero_config_from_args(args)
    dt, rtol, cutoff = _numerics(args)
    backend = backend_by_name(args.kernel, cutoff=cutoff)
    solver = default_solver(backend, args.integrator, dt=dt, rtol=rtol)
    check_solver_backend(solver, backend)
    run = simulate_hetero(config, geometry, n, p0, seed, solver=solver, backend=backend)
    out = {**run.to_json(), "config": config.to_json(), "calibration": config.calibration(geometry).to_json()}
    if args.json:
        print_json(out)
    else:
        t_sat = "not reached" if run.t_sat is None else f"{run.t_sat:.6g}"
        print(f"outcome: {run.outcome} ({run.reason})")
        print(f"mean p at T_sat: {run.mean_p:.6g}   T_sat: {t_sat}   fraction of environments reward-seeking: {run.fraction_reward_seeking:.4g}")
        print(f"{geometry.name}, N = {n}, p0 = {p0:g}, seed {seed}; calibrated scale s = {run.calibrated_scale:.8g}; "
              f"kernel {run.kernel['backend']} (max truncation error {run.kernel['max_truncation_error']:.3g}); "
              f"{run.solver['solver']}, {run.steps} steps, {run.seconds:.2f} s")
    return 0


def sweep_spec_from_args(args):
    from ._sweep import SweepSpec

    geos = [g.strip() for g in args.geometries.split(",")]
    if any(not g for g in geos):
        raise WorkbenchError(f"--geometries: {args.geometries!r} has an empty entry")
    for g in geos:
        geometry_by_name(g)
    dt, rtol, cutoff = _numerics(args)
    return SweepSpec(
        geometries=tuple(geos),
        priors=tuple(parse_number_list(args.p0, name="--p0")),
        seeds=tuple(range(parse_int(args.seeds, name="--seeds", minimum=1))),
        n_max=parse_int(args.n_max, name="--n-max", minimum=2),
        growth=parse_number(args.growth, name="--growth"),
        rel_tol=parse_number(args.rel_tol, name="--rel-tol"),
        config=hetero_config_from_args(args),
        integrator=args.integrator, dt=dt, rtol=rtol, kernel=args.kernel, cutoff=cutoff,
        bootstrap=parse_int(args.bootstrap, name="--bootstrap", minimum=100),
    )


def run_sweep_command(args) -> int:
    from .._cli import print_json
    from .._io import atomic_write_json
    from ._sweep import SweepStore, executor_from_options, plot_sweep, run_sweep

    spec = sweep_spec_from_args(args)
    workers = None if args.workers is None else parse_int(args.workers, name="--workers", minimum=1)
    executor = executor_from_options(args.scheduler, workers)
    if args.plot and not str(args.plot).lower().endswith((".png", ".pdf", ".svg")):
        raise WorkbenchError(f"--plot {args.plot}: use a .png, .pdf or .svg file name")
    store = SweepStore(args.out)
    result = run_sweep(spec, store=store, executor=executor, progress=not args.json and sys.stderr.isatty(),
                       reference=not args.no_reference)
    summary = result.summary
    if args.plot:
        summary["plot"] = str(plot_sweep(summary, args.plot))
    atomic_write_json(store.directory / "summary.json", summary)
    if args.json:
        print_json(summary)
        return 0
    run = summary["run"]
    print(f"{run['tasks']} tasks: {run['computed']} computed, {run['reused']} reused from {run['store']} "
          f"({run['executor']}, {run['seconds']:.1f} s)")
    for g, cal in summary["calibration"].items():
        print(f"{g}: calibrated scale s = {cal['scale']:.8g} (mean C at n_ref={cal['n_ref']}: {cal['achieved']:.6g})")
    cov = summary["medians"][0]["ci_coverage"]
    print(f"median N* over {len(spec.seeds)} seeds [order-statistic interval, coverage {100 * cov:.1f}%]:")
    for m in summary["medians"]:
        med = "> n_max" if m["median"] is None else f"{m['median']:g}"
        ci = ", ".join("> n_max" if v is None else f"{v:g}" for v in m["ci"])
        print(f"  {m['geometry']:<14} p0 = {m['p0']:<8g} N* = {med:<8} [{ci}]" + (f"  ({m['censored']} censored)" if m["censored"] else ""))
    for g, s in summary["slopes"].items():
        if s.get("slope") is None:
            print(f"slope {g}: not available ({s.get('note')})")
        else:
            ci = s.get("ci")
            ci_txt = f"bootstrap {100 * s['ci_level']:.0f}% CI [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else "no CI (one seed)"
            print(f"slope of log N* vs log p0, {g}: {s['slope']:.3f}, {ci_txt} ({s['priors_used']} priors)")
    ref = summary.get("homogeneous_reference")
    if ref and ref.get("slope") is not None:
        print(f"homogeneous reference (c = 0.1, 0.1, 0): slope {ref['slope']:.3f}; predicted small-prior exponent: {ref.get('predicted_exponent')}")
    for g, mf in (ref or {}).get("mean_field", {}).items():
        cp = mf.get("critical_prior")
        print(f"mean-field {g}: c = ({', '.join(f'{v:.3g}' for v in mf['c'])}), N* = {list(mf['n_star'].values())}"
              + (f", no N* below p0_c = {cp:.3g}" if cp else ""))
    if args.plot:
        print(f"figure: {summary['plot']}")
    return 0


def add_hetero_commands(rs_subparsers) -> None:
    """Add ``hetero`` and ``sweep`` to the ``workbench rs`` subcommands."""
    names = ", ".join(geometry_names())
    p = rs_subparsers.add_parser("hetero", help="simulate N heterogeneous environments of a geometry (spec §6)",
                                 description="Simulate the first N environments of one seed's sequence to saturation (spec §6).")
    p.add_argument("--geometry", required=True, help=f"one of: {names}")
    p.add_argument("--n", required=True, help="number of environments, >= 1")
    p.add_argument("--p0", default="0.01", help="initial prior of reward-seeking, in (0, 1) (default 0.01)")
    p.add_argument("--seed", default="0", help="seed of the environment sequence (default 0)")
    _hetero_model_options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_hetero)

    p = rs_subparsers.add_parser("sweep", help="N* over geometries x priors x seeds, with resumable store (RS7)",
                                 description="Critical diversity N* per (geometry, prior, seed); medians, slopes, figure (spec §6, RS7).")
    p.add_argument("--geometries", default="gaussian4d,longtail4d,gaussian100d", help=f"comma-separated, from: {names}")
    p.add_argument("--p0", default=DEFAULT_SWEEP_PRIORS, help=f"comma-separated priors (default {DEFAULT_SWEEP_PRIORS})")
    p.add_argument("--seeds", default="5", help="number of seeds K (seeds 0..K-1; default 5)")
    p.add_argument("--n-max", default="8192", help="cap of the N* search (default 8192)")
    p.add_argument("--growth", default="2", help="factor of the bracketing log grid (default 2)")
    p.add_argument("--rel-tol", default="0.02", help="bisection stops when hi/lo <= 1 + rel-tol or hi - lo = 1 (default 0.02)")
    p.add_argument("--bootstrap", default="2000", help="bootstrap resamples for the slope intervals (default 2000)")
    p.add_argument("--out", required=True, metavar="DIR", help="store: manifest + one record per finished task (resumable)")
    p.add_argument("--scheduler", default=None, help="'local' (Dask LocalCluster) or tcp://HOST:PORT (existing cluster); default serial")
    p.add_argument("--workers", default=None, help="without --scheduler: local processes; with 'local': Dask workers")
    p.add_argument("--plot", metavar="FILE", help="write the log N* vs log p0 figure")
    p.add_argument("--no-reference", action="store_true", help="skip the homogeneous reference computation")
    _hetero_model_options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_sweep_command)
