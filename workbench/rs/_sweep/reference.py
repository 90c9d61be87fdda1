"""Homogeneous references for a sweep: the canonical coupling and each geometry's mean field (spec §5, RS6c)."""

from __future__ import annotations

import numpy as np

from workbench.rs._sweep.spec import SweepSpec

def homogeneous_reference(spec: SweepSpec, *, mean_field: bool = True) -> dict:
    """Homogeneous comparisons at the sweep's priors (spec §5):

    * ``canonical``: ``c = (target, target, 0)`` (spec §5's canonical coupling), its ``N*``, slope,
      and the predicted small-prior exponent when the analysis module provides it;
    * ``mean_field``: per geometry, ``c_k`` = the mean off-diagonal ``C^k`` of the calibrated
      geometry (2000 fresh points), its ``N*`` and, when every ``c_k > 0``, the critical prior
      below which the homogeneous model has no ``N*`` at all (RS6c).
    """
    from workbench.rs._homogeneous.critical import critical_diversity, fit_scaling
    from workbench.rs._homogeneous.scan import LogGrid
    from workbench.rs._hetero.geometry import mean_couplings
    from workbench.rs._homogeneous.config import HomogeneousConfig

    cfg = spec.config
    t = cfg.target_coupling
    base = HomogeneousConfig(p0=0.5, x0=cfg.x0, y0=cfg.y0, alpha=cfg.alpha_median, c=(t, t, 0.0), kappa=cfg.kappa,
                             cost=cfg.cost, flow=cfg.flow, model=cfg.model)

    def n_stars(hc):
        res = critical_diversity([hc.with_(p0=p) for p in spec.priors], n_max=1e7, scan=LogGrid(36))
        out = {"config": hc.to_json(), "n_star": {repr(p): r.n_star for p, r in zip(spec.priors, res)}}
        ok = [(p, r.n_star_continuous) for p, r in zip(spec.priors, res) if r.n_star_continuous and r.n_star_continuous > 1]
        if len(ok) >= 3:
            f = fit_scaling([p for p, _ in ok], [n for _, n in ok])
            out["slope"], out["slope_ci_ols"] = f.slope, list(f.slope_ci)
        elif len(ok) == 2:
            out["slope"] = float(np.diff(np.log10([n for _, n in ok]))[0] / np.diff(np.log10([p for p, _ in ok]))[0])
        return out

    out = {"canonical": n_stars(base), "note": "homogeneous c = (target, target, 0) is spec §5's canonical coupling; "
                                               "mean_field uses each geometry's mean off-diagonal C^k"}
    try:
        from workbench.rs._analysis.small_prior import critical_prior, predicted_scaling
    except ImportError:
        critical_prior = predicted_scaling = None
    if predicted_scaling is not None:
        pred = predicted_scaling(base)
        out["canonical"]["predicted_exponent"] = pred.exponent
        out["canonical"]["predicted_note"] = pred.note
    mf = {}
    for g in (spec.geometry_objects() if mean_field else []):
        c = mean_couplings(g, cfg.calibration(g).scale, cfg.length_scales)
        hc = base.with_(c=tuple(float(v) for v in c))
        entry = {"c": c, **n_stars(hc)}
        if critical_prior is not None and min(c) > 0:
            cp = critical_prior(hc)
            entry["critical_prior"] = cp.get("critical_prior")
        mf[g.name] = entry
    if mean_field:
        out["mean_field"] = mf
    # Flat keys kept for the figure and the CLI text.
    out["n_star"], out["slope"] = out["canonical"]["n_star"], out["canonical"].get("slope")
    out["predicted_exponent"] = out["canonical"].get("predicted_exponent")
    return out
