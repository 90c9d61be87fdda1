"""The figure of a heterogeneous sweep (claim RS7): log N* against log p0 per geometry."""

from __future__ import annotations

import numpy as np

from workbench._axes import axes_or_new


def plot_sweep(summary: dict, *, title: str | None = None, ax=None):
    r"""Draw :math:`N^*` against :math:`p_0` (log-log) per geometry of a heterogeneous sweep.

    Per geometry: the median of :math:`N^*` over seeds with its order-statistic interval, each
    seed as a faint point, an upward triangle at ``n_max`` where the median is censored, and the
    fitted slope of :math:`\log_{10} N^*` against :math:`\log_{10} p_0` with its bootstrap
    interval in the legend. When the summary has a homogeneous reference, the canonical
    homogeneous configuration (dashed) and each geometry's mean-field reference (dotted) are
    added. The legend sits to the right of the Axes.

    Parameters
    ----------
    summary : dict
        ``run_sweep(...).summary`` (the JSON summary that ``rs sweep`` writes).
    title : str, optional
        Replaces the default two-line title.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default a new 9.6 x 4.8 inch figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from workbench.rs import SweepSpec, plot_sweep, run_sweep
    >>> spec = SweepSpec(("gaussian4d",), priors=(0.1, 0.05), seeds=(0,), n_max=64, bootstrap=100)
    >>> ax = plot_sweep(run_sweep(spec).summary)
    >>> ax.get_xscale(), ax.get_yscale()
    ('log', 'log')
    >>> plt.close(ax.figure)

    References
    ----------
    Seed 000, "Heterogeneous Coupling" (claim RS7); spec ``reward_seeking.md`` §6.
    """
    ax = axes_or_new(ax, (9.6, 4.8))
    geos = list(summary["slopes"])
    markers = "osD^v<>"
    for gi, g in enumerate(geos):
        rows = [m for m in summary["medians"] if m["geometry"] == g and m["median"] is not None]
        pts = [r for r in summary["results"] if r["geometry"] == g and r["n_star"] is not None]
        color = f"C{gi}"
        off = 1.0 + 0.04 * (gi - (len(geos) - 1) / 2)  # small horizontal offsets to separate bars
        if pts:
            ax.scatter([r["p0"] * off for r in pts], [r["n_star"] for r in pts], s=10, color=color, alpha=0.3, lw=0)
        if rows:
            p = np.array([r["p0"] for r in rows]) * off
            med = np.array([r["median"] for r in rows], dtype=float)
            lo = np.array([r["ci"][0] if r["ci"][0] is not None else np.nan for r in rows], dtype=float)
            hi = np.array([r["ci"][1] if r["ci"][1] is not None else np.nan for r in rows], dtype=float)
            s = summary["slopes"][g]
            if s.get("slope") is not None:
                ci = s.get("ci")
                lab = f"{g}: slope {s['slope']:.2f}" + (f" [{ci[0]:.2f}, {ci[1]:.2f}]" if ci else "")
            else:
                lab = f"{g}: slope n/a"
            ax.errorbar(p, med, yerr=[med - np.where(np.isnan(lo), med, lo), np.where(np.isnan(hi), med, hi) - med],
                        fmt=markers[gi % len(markers)] + "-", color=color, capsize=3, label=lab, ms=5)
        censored = [m for m in summary["medians"] if m["geometry"] == g and m["median"] is None]
        if censored:  # median above the cap: an arrow at n_max
            n_max = summary["spec"]["n_max"]
            ax.scatter([m["p0"] * off for m in censored], [n_max] * len(censored), marker="^", s=50, color=color,
                       label=f"{g}: median N* > n_max = {n_max}")
    ref = summary.get("homogeneous_reference")
    if ref and ref.get("n_star"):
        pr = sorted((float(k), v) for k, v in ref["n_star"].items() if v)
        if pr:
            lab = "homogeneous c=(0.1,0.1,0)" + (f": slope {ref['slope']:.2f}" if ref.get("slope") is not None else "")
            ax.plot([a for a, _ in pr], [b for _, b in pr], "k--", lw=1, label=lab)
        for gi, g in enumerate(geos):
            mf = (ref.get("mean_field") or {}).get(g)
            if mf:
                pr = sorted((float(k), v) for k, v in mf["n_star"].items() if v)
                cp = mf.get("critical_prior")
                lab = f"mean-field {g}" + (f" (no N* below p0_c = {cp:.2g})" if cp and cp > min(float(k) for k in mf["n_star"]) else "")
                ax.plot([a for a, _ in pr], [b for _, b in pr], ":", color=f"C{gi}", lw=1, label=lab)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"prior $p_0$")
    ax.set_ylabel(r"critical diversity $N^*$")
    k = summary["medians"][0]["n_seeds"] if summary["medians"] else 0
    cov = summary["medians"][0]["ci_coverage"] if summary["medians"] else 0
    ax.set_title(title or f"Heterogeneous coupling (spec §6, RS7): median $N^*$ over {k} seeds\n"
                 f"bars: order-statistic interval ({100 * cov:.0f}% coverage); slopes: bootstrap {100 * summary['spec']['level']:.0f}% CI",
                 fontsize=9)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7.5, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    return ax
