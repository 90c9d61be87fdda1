"""Check of claim RS7 (spec ``reward_seeking.md`` §6–7): heterogeneous coupling.

"Reward-seeking rises with N; the slopes of log N* against log p0 are similar across
geometries." RS7a (``analysis.py``) explains why: in the small-prior mean-field limit N and p0
enter only through lambda = N p0, so every geometry has slope -1 once N cbar_z >> 1 and
N cbar_y << 1. The check runs a sweep sized for seconds (:data:`RS7_SPEC`):

* local-skill length scale near 0 (``l_y = 0.05``: N cbar_y < 1e-2 for every N here) and the
  calibration target raised to 0.5, so that N cbar_z >> 1 already at N* ~ 20-300 and the
  priors 1e-2 .. 1e-3 sit in the mean-field regime at small (cheap) N; 10 seeds per geometry;
* slopes per seed (the geometries share a seed's learnability and initial-logit noise, so they
  are compared seed by seed): per geometry the mean per-seed slope with a t-interval, which
  must contain -1, and per pair of geometries the paired difference, whose interval must
  contain 0;
* rises with N: every search local at N = 1 with a finite N*, still reward-seeking at 2 N*
  (at the largest prior);
* negative controls, where reward-seeking must not rise with N: no skill gap with both skills
  transferring alike, and the reward-seeking skill transferring worse than the local skill.

The search uses a coarse grid (growth 4, bisection to 25%, N <= 512) so that both RS7 and RS7a
(which reuses this sweep through the check context's cache) take seconds. The large version
(spec calibration target 0.1, priors 1e-2 .. 3e-4, N up to 8192, 10 seeds) is
:data:`RS7_STRONG_SPEC`; ``examples/rs7_strong.py`` reruns it and prints the same slope
intervals (about an hour on 2 loaded cores); the check does not run it. At those
priors the slopes are within 0.035 of -1 but differ by about 0.06 between the 4d geometries and
gaussian100d (docs/heterogeneous.md).

RS7b (:func:`check_rs7b`) is the censored regime: :data:`RS7B_SPEC` is :data:`RS7_SPEC` with the
spec's ``l_y = 0.25``, where the cutoff law (RS10) with the geometry's mean couplings puts the 4d
geometries' critical prior above ``p0 = 1e-3``.
"""

from __future__ import annotations

import math
import os

import numpy as np

from workbench.claims._registry import CheckContext, Evidence, Step, StepKind
from workbench.rs._hetero.geometry import geometry_by_name
from workbench.rs._hetero.model import SPEC_LENGTH_SCALES, HeteroConfig, simulate_hetero
from workbench.rs._simulate.simulate import REWARD_SEEKING
from workbench.rs._plotting.sweep import plot_sweep
from workbench.rs._sweep.executors import ProcessExecutor, SerialExecutor
from workbench.rs._sweep.spec import SweepSpec
from workbench.rs._sweep.sweep import run_sweep

GEOMETRIES = ("gaussian4d", "longtail4d", "gaussian100d")
#: The fast sweep behind RS7 and RS7a (shared): l_y = 0.05, calibration target 0.5, 10 seeds.
RS7_SPEC = SweepSpec(geometries=GEOMETRIES, priors=(1e-2, 3e-3, 1e-3), seeds=tuple(range(10)), n_max=512,
                     growth=4.0, rel_tol=0.25, config=HeteroConfig(length_scales=(1.0, 1.0, 0.05), target_coupling=0.5))
#: The large version (not run by the check; examples/rs7_strong.py reruns it): the spec's calibration, priors down to 3e-4.
RS7_STRONG_SPEC = SweepSpec(geometries=GEOMETRIES, priors=(1e-2, 3e-3, 1e-3, 3e-4), seeds=tuple(range(10)),
                            n_max=8192, rel_tol=0.05, config=HeteroConfig(length_scales=(1.0, 1.0, 0.05)))
#: Negative controls: (name, config changes); N grid and prior of the control runs.
CONTROLS = (("no skill gap, both skills transfer alike (x0 = y0 = -2, l = 1, 1, 1)",
             {"x0": -2.0, "length_scales": (1.0, 1.0, 1.0)}),
            ("reward-seeking skill transfers worse than local skill (l_x = 0.05, l_y = 1)",
             {"length_scales": (1.0, 0.05, 1.0)}))
CONTROL_SIZES, CONTROL_PRIOR = (1, 8, 64, 512), 1e-2
#: RS7b: RS7_SPEC with the spec's local-skill length scale l_y = 0.25 (HeteroConfig.spec_local_skill), at one prior
#: above every geometry's cutoff-law critical prior (3e-2) and one below the 4d geometries' (1e-3).
RS7B_SPEC = SweepSpec(geometries=GEOMETRIES, priors=(3e-2, 1e-3), seeds=RS7_SPEC.seeds, n_max=RS7_SPEC.n_max,
                      growth=RS7_SPEC.growth, rel_tol=RS7_SPEC.rel_tol,
                      config=RS7_SPEC.config.with_(length_scales=SPEC_LENGTH_SCALES))


def rs7_sweep(spec: SweepSpec = RS7_SPEC):
    executor = ProcessExecutor(2) if (os.cpu_count() or 1) >= 2 else SerialExecutor()
    return run_sweep(spec, executor=executor, reference=False)


def _rs7a_prediction(item) -> float | None:
    spec, g, seed = item
    from workbench.rs._hetero.mean_field import predict_lambda_star

    return predict_lambda_star(spec.config, geometry_by_name(g), seed, nodes=128, p0=min(spec.priors), rel_tol=0.1).lambda_star


def rs7a_predictions(spec: SweepSpec = RS7_SPEC) -> dict[tuple[str, int], float | None]:
    """RS7a's mean-field lambda* per (geometry, seed): 128 of the seed's points at the smallest prior,
    bisection to 10%; independent computations, run side by side like :func:`rs7_sweep`'s tasks."""
    executor = ProcessExecutor(2) if (os.cpu_count() or 1) >= 2 else SerialExecutor()
    items = [(spec, g, s) for g in spec.geometries for s in spec.seeds]
    with executor.session() as run:
        got = {(g, s): value for (_, g, s), value in run(_rs7a_prediction, items)}
    return {(g, s): got[(g, s)] for _, g, s in items}


def t_interval(values, level: float = 0.95) -> list[float]:
    """Student-t interval of the mean of ``values`` (independent seeds)."""
    from scipy.stats import t

    v = np.asarray(values, dtype=float)
    half = t.ppf(0.5 + level / 2, v.size - 1) * v.std(ddof=1) / math.sqrt(v.size)
    return [float(v.mean() - half), float(v.mean() + half)]


def per_seed_slopes(rows, spec: SweepSpec) -> dict:
    """Per geometry and seed, the OLS slope of log10 N* on log10 p0 (None if a prior is censored or at N* = 1)."""
    x = np.log10(np.array(spec.priors))
    out = {}
    for g in spec.geometries:
        out[g] = {}
        for s in spec.seeds:
            n = [next(r["n_star"] for r in rows if r["geometry"] == g and r["seed"] == s and r["p0"] == p) for p in spec.priors]
            if any(v is None or v <= 1 for v in n):
                out[g][s] = None
                continue
            y = np.log10(np.array(n, dtype=float))
            xc = x - x.mean()
            out[g][s] = float((xc * (y - y.mean())).sum() / (xc * xc).sum())
    return out


def slope_statistics(rows, spec: SweepSpec) -> dict:
    """Per geometry: mean per-seed slope with its t-interval; per pair: the seed-paired difference's t-interval."""
    slopes = per_seed_slopes(rows, spec)
    geos, stats, pairs = list(slopes), {}, []
    for g in geos:
        v = [s for s in slopes[g].values() if s is not None]
        stats[g] = {"mean": float(np.mean(v)) if v else None, "ci": t_interval(v, spec.level) if len(v) >= 2 else None,
                    "seeds": len(v), "per_seed": slopes[g]}
    for i, a in enumerate(geos):
        for b in geos[i + 1:]:
            d = [slopes[a][s] - slopes[b][s] for s in spec.seeds if slopes[a][s] is not None and slopes[b][s] is not None]
            pairs.append({"a": a, "b": b, "mean_difference": float(np.mean(d)) if d else None,
                          "ci": t_interval(d, spec.level) if len(d) >= 2 else None, "seeds": len(d)})
    return {"geometries": stats, "paired_differences": pairs, "level": spec.level,
            "method": "OLS slope per seed over the priors; Student-t interval over seeds (paired across geometries)"}


def negative_controls(spec: SweepSpec = RS7_SPEC, seed: int = 0) -> list[dict]:
    """Outcome and mean p(T_sat) at :data:`CONTROL_SIZES` for every control and geometry."""
    out = []
    for name, changes in CONTROLS:
        cfg = spec.config.with_(**changes)
        for g in spec.geometries:
            runs = [simulate_hetero(cfg, geometry_by_name(g), n, CONTROL_PRIOR, seed, solver=spec.solver, backend=spec.kernel)
                    for n in CONTROL_SIZES]
            mean_p = [r.mean_p for r in runs]
            out.append({"control": name, "geometry": g, "sizes": list(CONTROL_SIZES), "outcomes": [r.outcome for r in runs],
                        "mean_p": mean_p, "never_reward_seeking": all(r.outcome != REWARD_SEEKING for r in runs),
                        # the first few environments are a small random sample, so mean p wobbles at small N;
                        # "does not rise" compares the largest N with N = 1
                        "mean_p_no_rise": mean_p[-1] <= mean_p[0]})
    return out


def check_rs7(context: CheckContext) -> Evidence:
    """Evidence for RS7 from :data:`RS7_SPEC` and the negative controls."""
    spec = RS7_SPEC
    result = context.cached("rs7_hetero_sweep", rs7_sweep)
    s = result.summary
    rows = s["results"]
    found = [r for r in rows if r["n_star"] is not None and r["n_star"] > 1]
    top = max(spec.priors)
    confirm = []
    for r in found:
        if r["p0"] != top:
            continue
        run = simulate_hetero(spec.config, geometry_by_name(r["geometry"]), 2 * r["n_star"], r["p0"], r["seed"],
                              solver=spec.solver, backend=spec.kernel)
        confirm.append({"geometry": r["geometry"], "p0": r["p0"], "seed": r["seed"], "n": 2 * r["n_star"],
                        "outcome": run.outcome, "mean_p": run.mean_p})
    confirmed = sum(c["outcome"] == REWARD_SEEKING for c in confirm)
    rises = len(found) == len(rows) and confirmed == len(confirm)
    stats = slope_statistics(rows, spec)
    geo_stats = stats["geometries"]
    minus_one = all(v["ci"] is not None and v["ci"][0] <= -1.0 <= v["ci"][1] for v in geo_stats.values())
    similar = all(p["ci"] is not None and p["ci"][0] <= 0.0 <= p["ci"][1] for p in stats["paired_differences"])
    controls = context.cached("rs7_controls", negative_controls)
    controls_ok = all(c["never_reward_seeking"] and c["mean_p_no_rise"] for c in controls)
    figures = context.figure("rs7_hetero_slopes.png", lambda: plot_sweep(s))
    slope_txt = "; ".join(f"{g} {v['mean']:.2f} [{v['ci'][0]:.2f}, {v['ci'][1]:.2f}]" for g, v in geo_stats.items() if v["ci"])
    pair_txt = "; ".join(f"{p['a']} - {p['b']} {p['mean_difference']:+.2f} [{p['ci'][0]:+.2f}, {p['ci'][1]:+.2f}]"
                         for p in stats["paired_differences"] if p["ci"])
    summary = (
        f"Sweep of {len(spec.geometries)} geometries x priors {list(spec.priors)} x {len(spec.seeds)} seeds (l_y = 0.05, "
        f"calibration target {spec.config.target_coupling}, N <= {spec.n_max}, dense float64, adaptive rtol 1e-6): "
        f"{len(found)}/{len(rows)} searches go from local at N = 1 to reward-seeking at a finite N*, {confirmed}/{len(confirm)} "
        f"stay reward-seeking at 2 N* (p0 = {top}). Mean per-seed slope of log N* vs log p0 ({100 * spec.level:.0f}% t-interval "
        f"over seeds): {slope_txt}. Seed-paired differences: {pair_txt}. Negative controls ({len(CONTROLS)} x "
        f"{len(spec.geometries)} geometries, N = {list(CONTROL_SIZES)}, p0 = {CONTROL_PRIOR}): "
        f"{sum(c['never_reward_seeking'] and c['mean_p_no_rise'] for c in controls)}/{len(controls)} never "
        "reward-seeking with mean p(T_sat) at N = 512 no higher than at N = 1. The spec calibration "
        "(target 0.1) down to p0 = 3e-4 (RS7_STRONG_SPEC) is rerun by examples/rs7_strong.py, not by this check."
    )
    steps = (
        Step("every search is local at N = 1, finds a reward-seeking N* <= n_max, and stays reward-seeking at 2 N*",
             StepKind.NUMERIC, f"{len(rows)} searches: {len(spec.geometries)} geometries x {len(spec.priors)} priors x "
             f"{len(spec.seeds)} seeds; 2 N* re-run at p0 = {top}", rises),
        Step("every geometry's slope interval contains -1 (mean per-seed slope, t-interval over seeds)", StepKind.NUMERIC,
             f"{len(spec.geometries)} geometries, priors {list(spec.priors)}, {len(spec.seeds)} seeds", minus_one),
        Step("the slopes are similar: every seed-paired difference's interval contains 0", StepKind.NUMERIC,
             f"{len(stats['paired_differences'])} pairs x {len(spec.seeds)} seeds", similar),
        Step("negative controls: reward-seeking never wins and mean p(T_sat) does not rise with N", StepKind.NUMERIC,
             f"{len(CONTROLS)} controls x {len(spec.geometries)} geometries, N = {list(CONTROL_SIZES)}, seed 0", controls_ok),
    )
    details = {
        "spec": s["spec"], "calibration": s["calibration"], "medians": s["medians"], "slopes_pooled_bootstrap": s["slopes"],
        "slope_statistics": stats, "confirmation_at_2n_star": confirm, "negative_controls": controls,
        "why_target_0.5": ("N* is set by lambda* / p0 (RS7a); the slope is -1 once N cbar_z >> 1. With the calibration "
                           "target 0.5 that holds at N* ~ 20-300, so 10 seeds x 3 priors cost seconds; the spec target "
                           "0.1 needs N* in the thousands (RS7_STRONG_SPEC, rerun by examples/rs7_strong.py)."),
        "note_no_skill_gap": ("with no skill gap but the reward-seeking skill transferring better (l_x = 1 > l_y), reward-"
                              "seeking does rise with N (near N = 512 at p0 = 1e-2): the transfer gives it the higher "
                              "effective learnability of RS2; only with equal transfer is 'no skill gap' a negative control"),
        "sweep_seconds": s["run"]["seconds"], "executor": s["run"]["executor"],
    }
    return Evidence(summary, steps, details, figures)


def cutoff_law_priors(config: HeteroConfig, geometries=GEOMETRIES, *, n: int = 2000) -> dict:
    """Per geometry: the mean couplings (``n`` fresh points) and the homogeneous cutoff law's critical prior
    p0_c = K cbar_y / cbar_z with those couplings (RS10; alpha = 1)."""
    from workbench.rs._analysis.cutoff_law import cutoff_law
    from workbench.rs._hetero.geometry import mean_couplings
    from workbench.rs._homogeneous.config import HomogeneousConfig

    out = {}
    for g in geometries:
        geo = geometry_by_name(g)
        lz, _, ly = config.length_scales
        cz, cy = mean_couplings(geo, config.calibration(geo).scale, (lz, ly), n=n)
        law = cutoff_law(HomogeneousConfig(c=(cz, cz, cy)))
        out[g] = {"cbar_z": cz, "cbar_y": cy, "K": law.K, "critical_prior": law.critical_prior}
    return out


def check_rs7b(context: CheckContext) -> Evidence:
    """Evidence for RS7b: the censored regime of the heterogeneous model is the cutoff law's (RS10)."""
    spec = RS7B_SPEC
    hi, lo = spec.priors
    laws = {"check (target 0.5)": {"l_y = 0.25": cutoff_law_priors(spec.config), "l_y = 0.05": cutoff_law_priors(RS7_SPEC.config)},
            "spec calibration (target 0.1)": {"l_y = 0.25": cutoff_law_priors(HeteroConfig.spec_local_skill()),
                                              "l_y = 0.05": cutoff_law_priors(HeteroConfig())}}
    check_law = laws["check (target 0.5)"]["l_y = 0.25"]
    censored_geos = [g for g in spec.geometries if check_law[g]["critical_prior"] > lo]
    result = context.cached("rs7b_censored_sweep", lambda: rs7_sweep(spec))
    rows = result.summary["results"]
    short = context.cached("rs7_hetero_sweep", rs7_sweep).summary["results"]  # same seeds, l_y = 0.05

    def searches(rs, g, p):
        return [r for r in rs if r["geometry"] == g and r["p0"] == p]

    below = {g: searches(rows, g, lo) for g in spec.geometries}
    above = {g: searches(rows, g, hi) for g in spec.geometries}
    short_below = {g: searches(short, g, lo) for g in spec.geometries}
    # the law's side of p0 decides: censored (no N* <= n_max) exactly where p0 < p0_c
    below_ok = all(all((r["n_star"] is None) == (g in censored_geos) for r in below[g]) for g in spec.geometries)
    above_ok = (all(check_law[g]["critical_prior"] < hi for g in spec.geometries)
                and all(r["n_star"] is not None for g in spec.geometries for r in above[g]))
    short_ok = all(r["n_star"] is not None for g in spec.geometries for r in short_below[g])
    spec_law = laws["spec calibration (target 0.1)"]
    figure_ok = (all(spec_law["l_y = 0.25"][g]["critical_prior"] > 1e-3 for g in ("gaussian4d", "longtail4d"))
                 and all(v["critical_prior"] < 1e-5 for v in spec_law["l_y = 0.05"].values()))
    n_cy = {g: spec.n_max * check_law[g]["cbar_y"] for g in spec.geometries}

    def fmt(d):
        return ", ".join(f"{g} {v['critical_prior']:.2g}" for g, v in d.items())

    def med(rs):
        v = [r["n_star"] for r in rs if r["n_star"] is not None]
        return f"{int(np.median(v))}" if v else "none"

    summary = (
        f"Cutoff law (RS10) with each geometry's mean couplings (2000 fresh points), p0_c = K cbar_y/cbar_z: at the check's "
        f"calibration (target 0.5) with the spec's l_y = 0.25: {fmt(check_law)}; with l_y = 0.05: "
        f"{fmt(laws['check (target 0.5)']['l_y = 0.05'])}. Heterogeneous N* searches (N <= {spec.n_max}, {len(spec.seeds)} seeds, "
        f"l_y = 0.25): at p0 = {lo} censored in " + ", ".join(f"{g} {sum(r['n_star'] is None for r in below[g])}/{len(below[g])}"
                                                         for g in spec.geometries)
        + f" (N cbar_y at N = {spec.n_max}: " + ", ".join(f"{g} {v:.2g}" for g, v in n_cy.items())
        + f"); at p0 = {hi} (above every p0_c) median N* " + ", ".join(f"{g} {med(above[g])}" for g in spec.geometries)
        + f", none censored; the same seeds with l_y = 0.05 (RS7's sweep) at p0 = {lo}: median N* "
        + ", ".join(f"{g} {med(short_below[g])}" for g in spec.geometries)
        + f". At the spec calibration (target 0.1), the default figure's setting, the law gives with l_y = 0.25: "
        f"{fmt(spec_law['l_y = 0.25'])}, so the 4d geometries are censored at its smallest prior 1e-3 (docs/heterogeneous.md "
        f"records the figure sweep with l_y = 0.25: 5/5 seeds censored, N <= 8192; not rerun here); with the default l_y = 0.05: {fmt(spec_law['l_y = 0.05'])}, far below 1e-3. "
        "The law is a homogeneous mean-field statement; the heterogeneous side is checked at the stated priors only."
    )
    steps = (
        Step("the cutoff law with the geometry's mean couplings puts p0_c above p0 = 1e-3 for both 4d geometries and below "
             "3e-2 for all (check calibration, l_y = 0.25)", StepKind.NUMERIC,
             "3 geometries; cbar from 2000 fresh points; K by bisection (RS10)",
             bool(censored_geos == ["gaussian4d", "longtail4d"]) and all(v["critical_prior"] < hi for v in check_law.values())),
        Step(f"heterogeneous searches are censored (no N* <= {spec.n_max}) at p0 = {lo} exactly in the geometries with "
             f"p0 < p0_c, and find N* at p0 = {hi} in every geometry and seed", StepKind.NUMERIC,
             f"{len(rows)} searches: 3 geometries x {len(spec.priors)} priors x {len(spec.seeds)} seeds", below_ok and above_ok),
        Step(f"the censoring is the local-skill transfer's: with l_y = 0.05 (all else equal) every search at p0 = {lo} finds N*",
             StepKind.NUMERIC, f"RS7's sweep, 3 geometries x {len(spec.seeds)} seeds", short_ok),
        Step("at the spec calibration the law puts the 4d p0_c above 1e-3 with l_y = 0.25 and every p0_c below 1e-5 with "
             "l_y = 0.05 (why the default is 0.05)", StepKind.NUMERIC, "3 geometries x 2 length scales", figure_ok),
    )
    details = {"cutoff_law": laws, "spec": result.summary["spec"], "results": rows, "n_cbar_y_at_n_max": n_cy,
               "censored_geometries_predicted": censored_geos, "sweep_seconds": result.summary["run"]["seconds"],
               "caveat": ("p0_c is the homogeneous law with the mean couplings (a mean-field prediction); censoring is "
                          f"observed up to N = {spec.n_max}, not for every N")}
    return Evidence(summary, steps, details)
