"""The data collapse of a heterogeneous sweep (claim RS7a): N* p0 against p0, all geometries on one Axes."""

from __future__ import annotations

import numpy as np

from workbench._axes import axes_or_new


def plot_collapse(rows, predictions: dict | None = None, *, ax=None):
    r"""Draw :math:`N^* p_0` against :math:`p_0` (log-log) for every geometry on one Axes.

    Each seed is a faint point, the seed median per prior a marker joined by a line; a
    horizontal dotted line per geometry marks the mean-field prediction :math:`\lambda^*`
    (``predictions[geometry]``). Slope -1 of :math:`N^*` is a flat line here.

    Parameters
    ----------
    rows : list of dict
        ``geometry``, ``p0``, ``n_star`` (None: censored, not drawn).
    predictions : dict, optional
        Geometry name -> predicted :math:`\lambda^*`.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plot_collapse([{"geometry": "g", "p0": 0.01, "n_star": 90}, {"geometry": "g", "p0": 0.001, "n_star": 800}], {"g": 0.85})
    >>> ax.get_xscale(), ax.get_yscale()
    ('log', 'log')
    >>> plt.close(ax.figure)

    References
    ----------
    Seed 000, footnote on the similar slopes; the workbench's claim RS7a (mean-field limit).
    """
    ax = axes_or_new(ax, (6.4, 4.4))
    predictions = predictions or {}
    geos = list(dict.fromkeys(r["geometry"] for r in rows))
    for gi, g in enumerate(geos):
        color = f"C{gi}"
        pts = [r for r in rows if r["geometry"] == g and r["n_star"] is not None]
        ax.scatter([r["p0"] for r in pts], [r["n_star"] * r["p0"] for r in pts], s=10, color=color, alpha=0.3, lw=0)
        priors = sorted({r["p0"] for r in pts})
        med = [float(np.median([r["n_star"] * r["p0"] for r in pts if r["p0"] == p])) for p in priors]
        ax.plot(priors, med, "o-", color=color, label=f"{g} (median over seeds)")
        if g in predictions and predictions[g]:
            ax.axhline(predictions[g], color=color, ls=":", lw=1.2, label=f"{g}: mean-field $\\lambda^*$ = {predictions[g]:.2f}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("prior $p_0$")
    ax.set_ylabel("$N^* p_0$")
    ax.set_title("Data collapse: $N^* p_0$ against $p_0$ (flat = slope $-1$)")
    ax.legend(fontsize=7)
    return ax
