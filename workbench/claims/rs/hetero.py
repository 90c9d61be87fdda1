"""Check of claim RS7 (spec ``reward_seeking.md`` §6–7): heterogeneous coupling.

"Reward-seeking rises with N; the slopes of log N* against log p0 are similar across
geometries." The check runs a CI-sized sweep (:data:`RS7_SPEC`: 3 geometries x 3 priors x 3
seeds, ``N <= 512``, dense float64 kernels, adaptive integrator) and:

1. *rises with N*: every search is local at ``N = 1`` and finds a reward-seeking ``N* <= 512``;
   each seed is then re-simulated at ``2 N*`` and must still be reward-seeking (no return to
   the local outcome as environments are added);
2. *similar slopes*: per geometry, the slope of ``log10 N*`` against ``log10 p0`` with a
   seed-resampling bootstrap interval; the slopes are called similar when every pair of
   geometries has overlapping intervals. The homogeneous reference (``c = (0.1, 0.1, 0)``) and
   the analysis module's predicted small-prior exponent are reported for comparison.

The full-size figure sweep (5 priors down to ``1e-3``, 5 seeds, ``N <= 8192``) is the documented
command ``workbench rs sweep --out DIR --workers 2 --plot FIG`` (see ``benchmarks/bench_hetero.py``).
"""

from __future__ import annotations

import os

from workbench.claims._registry import CheckContext, Evidence, Step, StepKind
from workbench.rs._hetero.model import HeteroConfig, simulate_hetero
from workbench.rs._simulate.simulate import REWARD_SEEKING
from workbench.rs._plotting.sweep import plot_sweep
from workbench.rs._sweep.executors import ProcessExecutor, SerialExecutor
from workbench.rs._sweep.spec import SweepSpec
from workbench.rs._sweep.sweep import run_sweep

RS7_SPEC = SweepSpec(geometries=("gaussian4d", "longtail4d", "gaussian100d"), priors=(0.1, 0.05, 0.02),
                     seeds=(0, 1, 2), n_max=512, config=HeteroConfig())


#: The sweep behind RS7a: local-skill length scale near 0 (l_y = 0.05, N cbar_y < 1e-3 here), 3 seeds,
#: priors where N* stays below ~300 so that the check takes seconds.
RS7A_SPEC = SweepSpec(geometries=("gaussian4d", "longtail4d", "gaussian100d"), priors=(0.02, 0.01),
                      seeds=(0, 1, 2), n_max=1024, rel_tol=0.05, config=HeteroConfig(length_scales=(1.0, 1.0, 0.05)))


def rs7a_sweep():
    executor = ProcessExecutor(2) if (os.cpu_count() or 1) >= 2 else SerialExecutor()
    return run_sweep(RS7A_SPEC, executor=executor, reference=False)


def _overlap(a, b) -> bool:
    return a is not None and b is not None and a[0] <= b[1] and b[0] <= a[1]


def check_rs7(context: CheckContext) -> Evidence:
    """Evidence for RS7 from :data:`RS7_SPEC` (about 30 s on 2 cores)."""
    spec = RS7_SPEC
    executor = ProcessExecutor(2) if (os.cpu_count() or 1) >= 2 else SerialExecutor()
    result = context.cached("rs7_hetero_sweep", lambda: run_sweep(spec, executor=executor, reference="canonical"))
    s = result.summary
    rows = s["results"]
    found = [r for r in rows if r["n_star"] is not None and r["n_star"] > 1]
    geo = {g.name: g for g in spec.geometry_objects()}
    confirm = []
    for r in found:
        run = simulate_hetero(spec.config, geo[r["geometry"]], 2 * r["n_star"], r["p0"], r["seed"],
                              solver=spec.solver, backend=spec.kernel)
        confirm.append({"geometry": r["geometry"], "p0": r["p0"], "seed": r["seed"], "n": 2 * r["n_star"],
                        "outcome": run.outcome, "mean_p": run.mean_p})
    confirmed = sum(c["outcome"] == REWARD_SEEKING for c in confirm)
    slopes = {g: v for g, v in s["slopes"].items()}
    names = list(slopes)
    pairs = [(a, b, _overlap(slopes[a].get("ci"), slopes[b].get("ci"))) for i, a in enumerate(names) for b in names[i + 1:]]
    values = [v["slope"] for v in slopes.values() if v.get("slope") is not None]
    rises = len(found) == len(rows) and confirmed == len(confirm)
    similar = len(values) == len(names) and all(ok for _, _, ok in pairs)
    figures = context.figure("rs7_hetero_slopes.png", lambda: plot_sweep(s))
    ref = s.get("homogeneous_reference", {})
    slope_txt = "; ".join(
        f"{g} {v['slope']:.2f} [{v['ci'][0]:.2f}, {v['ci'][1]:.2f}]" if v.get("ci") else f"{g} n/a" for g, v in slopes.items())
    summary = (
        f"Sweep of {len(spec.geometries)} geometries x priors {list(spec.priors)} x {len(spec.seeds)} seeds (N <= {spec.n_max}, "
        f"dense float64, adaptive rtol 1e-6): {len(found)}/{len(rows)} searches go from local at N = 1 to reward-seeking at a "
        f"finite N*, and {confirmed}/{len(confirm)} stay reward-seeking at 2 N*. Slopes of log N* vs log p0 "
        f"(bootstrap {100 * spec.level:.0f}% CI over seeds, only 10 distinct resamples with 3 seeds): {slope_txt}; "
        f"{'every pair of intervals overlaps' if similar else 'not every pair of intervals overlaps'}. "
        f"Homogeneous reference (c = 0.1, 0.1, 0) over the same priors: slope {ref.get('slope', float('nan')):.2f}; predicted "
        f"small-prior exponent {ref.get('predicted_exponent')}. These priors are large (N* <= ~100), so the slopes are local "
        f"ones, not the p0 -> 0 exponent; the full-size sweep (priors down to 1e-3) is a documented command."
    )
    steps = (
        Step("every search is local at N = 1, finds a reward-seeking N* <= n_max, and stays reward-seeking at 2 N*",
             StepKind.NUMERIC, f"{len(rows)} searches: {len(spec.geometries)} geometries x {len(spec.priors)} priors x "
             f"{len(spec.seeds)} seeds, adaptive rtol 1e-6", rises),
        Step("the slopes of log N* vs log p0 are similar (pairwise overlap of bootstrap intervals)", StepKind.NUMERIC,
             f"{len(spec.geometries)} geometries, priors {list(spec.priors)}, bootstrap over {len(spec.seeds)} seeds", similar),
    )
    details = {
        "spec": s["spec"], "calibration": s["calibration"], "medians": s["medians"], "slopes": slopes,
        "slope_intervals_overlap": [{"a": a, "b": b, "overlap": ok} for a, b, ok in pairs],
        "slope_spread": (max(values) - min(values)) if values else None,
        "confirmation_at_2n_star": confirm, "homogeneous_reference": ref,
        "criterion": ("rises: every search local at N=1 with a finite N* <= n_max, and reward-seeking at 2 N*; "
                      "similar: pairwise overlap of the bootstrap slope intervals"),
        "sweep_seconds": s["run"]["seconds"], "executor": s["run"]["executor"],
    }
    return Evidence(summary, steps, details, figures)
