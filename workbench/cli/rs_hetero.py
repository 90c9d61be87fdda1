"""``workbench rs hetero`` and ``workbench rs sweep``: heterogeneous coupling (spec §6, claim RS7)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench._errors import ResourceTooLarge, WorkbenchError
from workbench._numbers import parse_int, parse_number, parse_number_list
from workbench.cli.rs import (LEARNABILITY_RANGE, MAX_KAPPA, NUMBERS_HELP, check_plot_path, parse_cost, parse_eps, parse_kappa,
                   parse_learnabilities, parse_logit, parse_p0, parse_priors, parse_reward, parse_rtol, parse_t_max,
                   parse_threshold)
from workbench.rs._hetero.geometry import geometry_by_name, geometry_names

DEFAULT_SWEEP_PRIORS = "0.1,0.03,0.01,0.003,0.001"


# Ranges of the heterogeneous flags (see also the homogeneous ones in workbench.cli.rs).
LENGTH_SCALE_RANGE = (1e-6, 1e6)
MAX_ALPHA_SIGMA = 5.0
MAX_INIT_SD = 100.0
MAX_SEED = 2**63 - 1
DT_RANGE = (1e-4, 1.0)
MAX_HETERO_ENVIRONMENTS = 10**7
SWEEP_GROWTH_RANGE = (1.1, 100.0)
MAX_SEEDS = 10_000
MAX_BOOTSTRAP = 100_000
MAX_WORKERS = 1024


def _hetero_model_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("model and geometry options (defaults: spec §6)")
    g.add_argument("--length-scales", default="1,1,0.05", metavar="LZ,LX,LY",
                   help="kernel length scales, in units of the calibrated geometry (default 1,1,0.05, which reproduces the "
                        "seed's figure; 'spec' = 1,1,0.25, the spec's, whose 4d geometries have no N* at p0 = 1e-3)")
    g.add_argument("--target-coupling", default="0.1", help="calibration: mean off-diagonal C at n_ref with length 1, in (0, 1) (default 0.1)")
    g.add_argument("--n-ref", default="100", help="calibration reference size, >= 2 (default 100)")
    g.add_argument("--calibration-seed", default=None, help="seed of the calibration points (default: the fixed built-in seed)")
    g.add_argument("--alpha", default="1,1,1", metavar="MZ,MX,MY",
                   help=f"medians of the log-normal learnabilities, in [{LEARNABILITY_RANGE[0]:g}, {LEARNABILITY_RANGE[1]:g}] (default 1,1,1)")
    g.add_argument("--alpha-sigma", default="0.5", help=f"log-standard deviation of the learnabilities, in [0, {MAX_ALPHA_SIGMA:g}] (default 0.5)")
    g.add_argument("--x0", default="0", help="mean initial logit of the reward-seeking skill (default 0)")
    g.add_argument("--y0", default="-2", help="mean initial logit of the local skill (default -2)")
    g.add_argument("--init-sd", default="0.5,0.5,0.5", metavar="SZ,SX,SY", help="standard deviations of the initial logits (default 0.5 each)")
    g.add_argument("--variant", default="gradient", choices=["gradient", "replicator"], help="flow derived from J (default gradient)")
    g.add_argument("--kappa", default="0", help=f"footnote-4 variant: a = sigmoid(x + kappa*y), 0 <= kappa <= {MAX_KAPPA:g} (default 0)")
    g.add_argument("--cost", default="0", help="cost of the reward-seeking branch, in [0, 1) (default 0)")
    g.add_argument("--reward", default=None, metavar="EXPR",
                   help="a custom J in p, a, b (parsed safely; a real number in [-1, 1] for p, a, b in [0, 1])")
    g.add_argument("--eps", default="1e-3", help="saturation: stop when mean J reaches 1 - eps (default 1e-3)")
    g.add_argument("--threshold", default="1/2", help="reward-seeking dominates if mean p(T_sat) > threshold (default 1/2)")
    g.add_argument("--t-max", default="1e6", help="time cap; a run not saturated by then is 'undecided' (default 1e6)")
    n = p.add_argument_group("numerics")
    n.add_argument("--integrator", default="adaptive", choices=["adaptive", "euler"],
                   help="adaptive Dormand-Prince (default) or fixed-step Euler (the seed's)")
    n.add_argument("--dt", default=None, help=f"Euler step, in [{DT_RANGE[0]:g}, {DT_RANGE[1]:g}] (euler only; default 0.01)")
    n.add_argument("--rtol", default=None, help="adaptive relative tolerance (adaptive only; default 1e-6, 1e-5 with dense32)")
    n.add_argument("--kernel", default="dense", choices=["dense", "dense32", "sparse"], help="kernel back-end (default dense)")
    n.add_argument("--cutoff", default=None, help="sparse only: drop kernel entries below this, in (0, 1) (default 1e-8)")


def parse_length_scales(text: str, spec_length_scales) -> tuple:
    """``--length-scales``: three numbers ``LZ,LX,LY``, or ``spec`` for the spec's ``1,1,0.25`` (RS7b's censored regime)."""
    if text.strip() == "spec":
        return tuple(spec_length_scales)
    lo, hi = LENGTH_SCALE_RANGE
    try:
        return tuple(parse_number_list(text, name="--length-scales", length=3, minimum=lo, maximum=hi))
    except WorkbenchError as exc:
        raise WorkbenchError(f"{exc} (or give 'spec' for the spec's 1,1,0.25)") from None


def hetero_config_from_args(args):
    from workbench.rs._hetero.geometry import CALIBRATION_SEED
    from workbench.rs._hetero.model import SPEC_LENGTH_SCALES, HeteroConfig
    from workbench.rs._model.reward_model import flow_by_name

    return HeteroConfig(
        length_scales=parse_length_scales(args.length_scales, SPEC_LENGTH_SCALES),
        target_coupling=parse_number(args.target_coupling, name="--target-coupling", open_unit=True),
        n_ref=parse_int(args.n_ref, name="--n-ref", minimum=2, maximum=MAX_HETERO_ENVIRONMENTS),
        calibration_seed=CALIBRATION_SEED if args.calibration_seed is None else parse_int(args.calibration_seed, name="--calibration-seed", minimum=0, maximum=MAX_SEED),
        alpha_median=parse_learnabilities(args.alpha),
        alpha_sigma=parse_number(args.alpha_sigma, name="--alpha-sigma", minimum=0, maximum=MAX_ALPHA_SIGMA),
        x0=parse_logit(args.x0, "--x0"), y0=parse_logit(args.y0, "--y0"),
        init_sd=tuple(parse_number_list(args.init_sd, name="--init-sd", length=3, minimum=0, maximum=MAX_INIT_SD)),
        kappa=parse_kappa(args.kappa), cost=parse_cost(args.cost),
        flow=flow_by_name(args.variant),
        model=parse_reward(args.reward),
        eps=parse_eps(args.eps), threshold=parse_threshold(args.threshold),
        t_max=parse_t_max(args.t_max),
    )


def _numerics(args):
    dt = None if args.dt is None else parse_number(args.dt, name="--dt", minimum=DT_RANGE[0], maximum=DT_RANGE[1])
    rtol = None if args.rtol is None else parse_rtol(args.rtol)
    cutoff = None if args.cutoff is None else parse_number(args.cutoff, name="--cutoff", open_unit=True)
    return dt, rtol, cutoff


def _check_memory(config, geometries, backend, n, n_flag: str, kernel: str) -> None:
    """Memory of the calibration (``--n-ref``) and of a run of ``n`` environments, before any work."""
    from workbench.rs._hetero.model import check_hetero_memory
    from workbench.rs._model.system import resource_hint

    for geometry in geometries:
        try:
            config.check_calibration_memory(geometry)
        except ResourceTooLarge as exc:
            raise resource_hint(exc, "give a smaller --n-ref") from None
        try:
            check_hetero_memory(n, geometry, config, backend)
        except ResourceTooLarge as exc:
            raise resource_hint(exc, f"give a smaller {n_flag}" + (" or try --kernel sparse" if kernel != "sparse" else "")) from None


def run_hetero(args) -> int:
    from workbench.cli._main import print_json
    from workbench.rs._hetero.model import check_solver_backend, default_solver, simulate_hetero
    from workbench.rs._hetero.kernels import backend_by_name
    from workbench.rs._model.system import resource_hint

    geometry = geometry_by_name(args.geometry)
    n = parse_int(args.n, name="--n", minimum=1, maximum=MAX_HETERO_ENVIRONMENTS)
    p0 = parse_p0(args.p0)
    seed = parse_int(args.seed, name="--seed", minimum=0, maximum=MAX_SEED)
    config = hetero_config_from_args(args)
    dt, rtol, cutoff = _numerics(args)
    backend = backend_by_name(args.kernel, cutoff=cutoff)
    solver = default_solver(backend, args.integrator, dt=dt, rtol=rtol)
    check_solver_backend(solver, backend)
    _check_memory(config, [geometry], backend, n, "--n", args.kernel)
    try:
        run = simulate_hetero(config, geometry, n, p0, seed, solver=solver, backend=backend)
    except ResourceTooLarge as exc:  # the sparse kernel's size is known only while it is built
        raise resource_hint(exc, "give a smaller --n or a larger --cutoff") from None
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
    from workbench.rs._hetero.model import check_solver_backend, default_solver
    from workbench.rs._hetero.kernels import backend_by_name
    from workbench.rs._sweep.spec import SweepSpec

    geos = [g.strip() for g in args.geometries.split(",")]
    if any(not g for g in geos):
        raise WorkbenchError(f"--geometries: {args.geometries!r} has an empty entry")
    if len(set(geos)) != len(geos):
        raise WorkbenchError(f"--geometries: {args.geometries!r} names a geometry twice")
    geometries = [geometry_by_name(g) for g in geos]
    dt, rtol, cutoff = _numerics(args)
    config = hetero_config_from_args(args)
    n_max = parse_int(args.n_max, name="--n-max", minimum=2, maximum=MAX_HETERO_ENVIRONMENTS)
    # The flags become strategy objects here: a kernel back-end and a solver.
    backend = backend_by_name(args.kernel, cutoff=cutoff)
    solver = default_solver(backend, args.integrator, dt=dt, rtol=rtol)
    check_solver_backend(solver, backend)
    _check_memory(config, geometries, backend, n_max, "--n-max", args.kernel)
    return SweepSpec(
        geometries=tuple(geos),
        priors=tuple(parse_priors(args.p0)),
        seeds=tuple(range(parse_int(args.seeds, name="--seeds", minimum=1, maximum=MAX_SEEDS))),
        n_max=n_max,
        growth=parse_number(args.growth, name="--growth", minimum=SWEEP_GROWTH_RANGE[0], maximum=SWEEP_GROWTH_RANGE[1]),
        rel_tol=parse_number(args.rel_tol, name="--rel-tol", minimum=0, maximum=10),
        config=config,
        solver=solver,
        kernel=backend,
        bootstrap=parse_int(args.bootstrap, name="--bootstrap", minimum=100, maximum=MAX_BOOTSTRAP),
    )


def run_sweep_command(args) -> int:
    from workbench.cli._main import print_json
    from workbench._io import atomic_write_json, save_figure
    from workbench.rs._plotting.sweep import plot_sweep
    from workbench.rs._sweep.executors import executor_from_options
    from workbench.rs._sweep.store import SweepStore
    from workbench.rs._sweep.sweep import run_sweep

    # Every flag and output path is checked before the sweep starts (or connects anywhere).
    spec = sweep_spec_from_args(args)
    workers = None if args.workers is None else parse_int(args.workers, name="--workers", minimum=1, maximum=MAX_WORKERS)
    if args.plot is not None:
        if not str(args.plot).lower().endswith((".png", ".pdf", ".svg")):
            raise WorkbenchError(f"--plot {args.plot}: use a .png, .pdf or .svg file name")
        check_plot_path(args.plot)
    store = SweepStore(args.out)  # checks --out; creates nothing yet
    executor = executor_from_options(args.scheduler, workers)
    result = run_sweep(spec, store=store, executor=executor, progress=not args.json and sys.stderr.isatty(),
                       reference=not args.no_reference)
    summary = result.summary
    if args.plot is not None:
        summary["plot"] = str(save_figure(plot_sweep(summary).figure, Path(args.plot)))
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
                                 description="Simulate the first N environments of one seed's sequence to saturation (spec §6).",
                                 epilog=NUMBERS_HELP)
    p.add_argument("--geometry", required=True, help=f"one of: {names}")
    p.add_argument("--n", required=True, help=f"number of environments, in [1, {MAX_HETERO_ENVIRONMENTS:g}] (and within 4 GiB of memory)")
    p.add_argument("--p0", default="0.01", help="initial prior of reward-seeking, in (0, 1) (default 0.01)")
    p.add_argument("--seed", default="0", help="seed of the environment sequence (default 0)")
    _hetero_model_options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_hetero)

    p = rs_subparsers.add_parser("sweep", help="N* over geometries x priors x seeds, with resumable store (RS7)",
                                 description="Critical diversity N* per (geometry, prior, seed); medians, slopes, figure (spec §6, RS7).",
                                 epilog=NUMBERS_HELP)
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
