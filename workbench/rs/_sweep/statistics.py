r"""Aggregation of a sweep's records: medians with order-statistic intervals, bootstrap slopes.

Per (geometry, prior): the median of ``N*`` over seeds (a censored ``N*``,
none up to ``n_max``, counts as larger than every finite value) with the distribution-free
order-statistic interval :math:`[N^*_{(j)}, N^*_{(K+1-j)}]`, whose exact coverage
:math:`1 - 2\,P(\mathrm{Bin}(K, 1/2) \le j - 1)` is reported (it cannot reach 95% with fewer than
6 seeds). Per geometry: the least-squares slope of :math:`\log_{10} N^*` against
:math:`\log_{10} p_0` (pooled over seeds, i.e. the fit of the per-prior mean of
:math:`\log_{10} N^*`) over the priors where no seed is censored or at the floor ``N* = 1``,
with a percentile bootstrap interval that resamples seeds (a seed shares its environments
across priors, so seeds are the independent units).

Examples
--------
>>> median_interval([3.0, 5.0, float("inf")])["median"]
5.0
"""

from __future__ import annotations

import math

import numpy as np

from workbench.rs._sweep.spec import SweepSpec, SweepTask

def median_interval(values, level: float = 0.95) -> dict:
    """Median of ``values`` (``inf`` = censored) and the order-statistic interval with its exact coverage."""
    from scipy.stats import binom

    x = np.sort(np.asarray(values, dtype=float))
    k = x.size
    med = float(np.median(x)) if k else math.nan
    j_best, cover = 1, 1.0 - 2.0 * 0.5**k
    for j in range(1, k // 2 + 1):
        c = 1.0 - 2.0 * binom.cdf(j - 1, k, 0.5)
        if c >= level:
            j_best, cover = j, c
    lo, hi = (float(x[j_best - 1]), float(x[k - j_best])) if k else (math.nan, math.nan)
    fin = lambda v: v if math.isfinite(v) else None  # noqa: E731
    return {"median": fin(med), "ci": [fin(lo), fin(hi)], "ci_coverage": float(cover), "n_seeds": int(k),
            "censored": int(np.sum(~np.isfinite(x)))}


def _ols_slope(xs: np.ndarray, ys: np.ndarray) -> float:
    xc = xs - xs.mean()
    return float((xc * (ys - ys.mean())).sum() / (xc * xc).sum())


def slope_with_bootstrap(log_p0: np.ndarray, log_n: np.ndarray, *, resamples: int = 2000, level: float = 0.95,
                         seed: int = 0) -> dict:
    r"""Slope of ``log_n`` (priors x seeds) on ``log_p0`` with a seed-resampling percentile bootstrap.

    ``log_n`` has shape ``(P, K)``: P priors, K seeds, all finite.
    """
    P, K = log_n.shape
    slope = _ols_slope(log_p0, log_n.mean(axis=1))
    intercept = float(log_n.mean() - slope * log_p0.mean())
    per_seed = [_ols_slope(log_p0, log_n[:, k]) for k in range(K)]
    out = {"slope": slope, "intercept_log10": intercept, "priors_used": int(P), "seeds": int(K),
           "per_seed_slopes": per_seed, "ci": None, "ci_level": level, "bootstrap_resamples": int(resamples)}
    if K >= 2:
        rng = np.random.default_rng(seed)
        idx = rng.integers(0, K, size=(resamples, K))
        means = log_n[:, idx].mean(axis=2)  # (P, resamples)
        xc = log_p0 - log_p0.mean()
        boots = (xc[:, None] * (means - means.mean(axis=0))).sum(0) / (xc * xc).sum()
        a = (1.0 - level) / 2.0
        out["ci"] = [float(np.quantile(boots, a)), float(np.quantile(boots, 1 - a))]
        out["bootstrap_distinct_resamples"] = int(math.comb(2 * K - 1, K))
    return out


def aggregate(spec: SweepSpec, records: dict[str, dict]) -> dict:
    """Medians, intervals and slopes from the records of every task of ``spec``."""
    tasks = spec.tasks()
    results, medians, slopes = [], [], {}
    for g in spec.geometry_objects():
        table = np.full((len(spec.priors), len(spec.seeds)), np.inf)
        for i, p in enumerate(spec.priors):
            for k, s in enumerate(spec.seeds):
                r = records[SweepTask(g, p, s, spec).key]["result"]
                if r["n_star"] is not None:
                    table[i, k] = r["n_star"]
                results.append({"geometry": g.name, "p0": p, "seed": s, "n_star": r["n_star"], "bracket": r["bracket"],
                                "censored": r["censored"], "undecided": r["undecided"],
                                "evaluations": len(r["evaluations"]),
                                "calibrated_scale": r["calibrated_scale"]})
            medians.append({"geometry": g.name, "p0": p, **median_interval(table[i], spec.level)})
        usable = [i for i in range(len(spec.priors)) if np.all(np.isfinite(table[i])) and np.all(table[i] > 1)]
        excluded = [spec.priors[i] for i in range(len(spec.priors)) if i not in usable]
        if len(usable) >= 2:
            fit = slope_with_bootstrap(np.log10(np.array(spec.priors))[usable], np.log10(table[usable]),
                                       resamples=spec.bootstrap, level=spec.level, seed=spec.bootstrap_seed)
        else:
            fit = {"slope": None, "ci": None, "priors_used": len(usable),
                   "note": "fewer than 2 priors with every seed's N* finite and > 1"}
        slopes[g.name] = {**fit, "priors_excluded": excluded,
                          "excluded_because": "a seed censored (no N* <= n_max) or at the floor N* = 1" if excluded else None}
    assert len(results) == len(tasks)
    return {"results": results, "medians": medians, "slopes": slopes}
