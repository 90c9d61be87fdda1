"""Figures of the reward-seeking model (seed 000): trajectories, skill sweep, phase diagram, scaling law.

Every ``plot_*`` function draws on the matplotlib Axes given as ``ax`` (or on a new figure's
Axes when ``ax`` is None) and returns that Axes; nothing is saved here. To write a file, save
``ax.figure`` (``ax.figure.savefig("x.png")``); the command line and ``workbench verify`` do
this with an atomic write.
"""

from __future__ import annotations

import math

from dataclasses import dataclass

import numpy as np  # noqa: E402
from scipy.special import expit  # noqa: E402

from workbench._axes import axes_or_new
from workbench._errors import OutputNotWritable  # noqa: E402
from workbench._io import check_writable  # noqa: E402
from workbench.rs._homogeneous.config import HomogeneousConfig, alpha_eff, reduced_system  # noqa: E402
from workbench.rs._simulate.simulate import Horizon, Saturation, simulate  # noqa: E402


def figure_formats() -> list[str]:
    """File formats matplotlib can write (the suffix of a figure path picks one)."""
    from matplotlib.backend_bases import FigureCanvasBase

    return sorted(FigureCanvasBase.get_supported_filetypes())


def check_figure_path(path, *, name: str = "figure"):
    """Check before any computation that a figure can be written to ``path`` (format from the
    suffix, as :func:`~workbench._io.save_figure` reads it; no suffix means PNG)."""
    path = check_writable(path, name=name)
    fmt = path.suffix.lstrip(".").lower()
    formats = figure_formats()
    if fmt and fmt not in formats:
        raise OutputNotWritable(f"{name}: cannot write a figure as .{fmt} ({path}); use one of "
                                + ", ".join("." + f for f in formats))
    return path


def trajectory(config: HomogeneousConfig, *, n_points: int = 300, solver=None, criterion=None):
    """``(t, p, a, b, J, t_sat, outcome)`` of the reduced system, sampled up to ``2 T_sat``."""
    criterion = criterion or Saturation()
    sat = simulate(reduced_system(config), solver=solver, criterion=criterion)
    t_sat = sat.t_sat[0]
    t_end = 2 * t_sat if np.isfinite(t_sat) and t_sat > 0 else sat.t_end[0]
    times = np.concatenate([[0.0], np.logspace(math.log10(t_end) - 5, math.log10(t_end), n_points - 1)])
    times[-1] = t_end  # 10**log10(t) can round above t
    system = reduced_system(config)
    rec = simulate(system, solver=solver, criterion=Horizon(criterion.threshold), t_max=t_end, record_times=times)
    s = rec.recorded[0, :, :, 0]
    comp = system.compiled()
    args = (s[:, 0], s[:, 1], s[:, 2], config.kappa, config.cost)
    p = comp.propensity(*args)
    a = expit(s[:, 1] + config.kappa * s[:, 2])
    b = expit(s[:, 2])
    J = comp.reward(*args)
    return times, p, a, b, J, t_sat, str(sat.outcome[0])


def plot_trajectory(config: HomogeneousConfig, *, solver=None, criterion=None, ax=None):
    r"""Draw p, a, b and J against time for one configuration, with :math:`T_{sat}` marked.

    The reduced system of ``config`` is integrated to :math:`2 T_{sat}` and sampled on a
    logarithmic time grid (see :func:`trajectory`); the four curves are the reward-seeking
    propensity :math:`p = \sigma(z)`, the skills :math:`a = \sigma(x + \kappa y)` and
    :math:`b = \sigma(y)`, and the expected reward :math:`J`. The title gives the outcome.

    Parameters
    ----------
    config : HomogeneousConfig
        The configuration to integrate.
    solver : Solver, optional
        Integrator (default: the adaptive Dormand-Prince solver of :func:`simulate`).
    criterion : Criterion, optional
        Outcome criterion (default :class:`Saturation`).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default a new 6.4 x 4 inch figure.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (``ax.figure`` is the figure to show or save).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from workbench.rs import HomogeneousConfig, plot_trajectory
    >>> ax = plot_trajectory(HomogeneousConfig(p0=0.1, x0=1.0, y0=-1.0, alpha=(1.0, 1.0, 0.3)))
    >>> ax.get_title().endswith("reward-seeking")
    True
    >>> plt.close(ax.figure)

    References
    ----------
    Seed 000, "Single-Environment" (claims RS1 and RS2); spec ``reward_seeking.md`` §2-3.
    """
    t, p, a, b, J, t_sat, outcome = trajectory(config, solver=solver, criterion=criterion)
    ax = axes_or_new(ax, (6.4, 4))
    for v, lab, st in ((p, "p (reward-seeking propensity)", "-"), (a, "a (reward-seeking skill)", "--"),
                       (b, "b (local skill)", "-."), (J, "J (expected reward)", ":")):
        ax.plot(t[1:], v[1:], st, label=lab)
    if np.isfinite(t_sat):
        ax.axvline(t_sat, color="grey", lw=0.8)
        ax.text(t_sat, 0.02, " T_sat", color="grey")
    ax.set_xscale("log")
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("t (training time, log scale)")
    ax.set_ylabel("p, a, b, J (each in [0, 1])")
    ax.set_title(f"N={config.n:g}, p0={config.p0:g}, x0={config.x0:g}, y0={config.y0:g}, "
                 f"alpha={tuple(round(v, 3) for v in config.alpha)}: {outcome}", fontsize=9)
    ax.legend(fontsize=8, loc="center left")
    return ax


def skill_sweep(config: HomogeneousConfig, x0s, y0s, *, solver=None, criterion=None):
    """Mean ``p(T_sat)`` and outcome on a grid of initial skill logits (N = config.n)."""
    X, Y = np.meshgrid(np.asarray(x0s, float), np.asarray(y0s, float), indexing="xy")
    cfgs = [config.with_(x0=float(x), y0=float(y)) for x, y in zip(X.ravel(), Y.ravel())]
    res = simulate(reduced_system(cfgs), solver=solver, criterion=criterion or Saturation())
    return X, Y, res.mean_p.reshape(X.shape), res.outcome.reshape(X.shape)


def plot_skill_sweep(config: HomogeneousConfig, x0s=None, y0s=None, *, solver=None, criterion=None, ax=None):
    r"""Draw the mean :math:`p(T_{sat})` of N = 1 training on a grid of initial skill logits.

    Each cell is one run from :math:`(x_0, y_0)` (``config`` with ``x0``, ``y0`` replaced; see
    :func:`skill_sweep`), coloured from local (blue, 0) to reward-seeking (red, 1), with the
    :math:`p = 1/2` contour and the diagonal :math:`x_0 = y_0` (dotted). A colour bar is added
    next to the Axes.

    Parameters
    ----------
    config : HomogeneousConfig
        Everything but the initial skills.
    x0s, y0s : array_like, optional
        Grid of initial logits (default 33 points on [-4, 4] each).
    solver : Solver, optional
        Integrator (default: that of :func:`simulate`).
    criterion : Criterion, optional
        Outcome criterion (default :class:`Saturation`).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default a new 5.2 x 4.3 inch figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from workbench.rs import HomogeneousConfig, plot_skill_sweep
    >>> grid = np.linspace(-4, 4, 5)
    >>> ax = plot_skill_sweep(HomogeneousConfig(p0=0.1, alpha=(1.0, 1.0, 0.3)), grid, grid)
    >>> ax.get_xlabel()
    'x0 (reward-seeking skill logit)'
    >>> plt.close(ax.figure)

    References
    ----------
    Seed 000, "Single-Environment" (claim RS1: a skill gap makes N = 1 training reward-seeking).
    """
    x0s = np.linspace(-4, 4, 33) if x0s is None else x0s
    y0s = np.linspace(-4, 4, 33) if y0s is None else y0s
    X, Y, P, O = skill_sweep(config, x0s, y0s, solver=solver, criterion=criterion)
    ax = axes_or_new(ax, (5.2, 4.3))
    m = ax.pcolormesh(X, Y, P, shading="auto", cmap="coolwarm", vmin=0, vmax=1)
    ax.contour(X, Y, P, levels=[0.5], colors="k", linewidths=1)
    ax.plot([X.min(), X.max()], [X.min(), X.max()], "w:", lw=1)
    ax.set_xlabel("x0 (reward-seeking skill logit)")
    ax.set_ylabel("y0 (local skill logit)")
    ax.set_title(f"N=1 sweep of initial skills, p0={config.p0:g}, alpha={config.alpha}", fontsize=9)
    ax.figure.colorbar(m, ax=ax, label="mean p(T_sat)")
    return ax


def phase_diagram(config: HomogeneousConfig, u_range=(-3, 3), v_range=(-5, 3), size=41, *, solver=None, criterion=None):
    r"""Outcome on the plane ``u = log(alpha_x/alpha_z)``, ``v = log(alpha_y/alpha_z)`` (spec §5).

    Only these ratios matter (time rescales ``alpha_z`` away), so the N = 1 system with
    ``alpha = (1, e^u, e^v)`` covers every homogeneous configuration at the same initial logits.
    """
    us = np.linspace(*u_range, size)
    vs = np.linspace(*v_range, size)
    U, V = np.meshgrid(us, vs, indexing="xy")
    cfgs = [config.with_(alpha=(1.0, math.exp(u), math.exp(v)), n=1.0) for u, v in zip(U.ravel(), V.ravel())]
    res = simulate(reduced_system(cfgs), solver=solver, criterion=criterion or Saturation())
    return U, V, res.mean_p.reshape(U.shape), res.outcome.reshape(U.shape)


def n_path(alpha, c, ns):
    """Phase-plane coordinates ``(u(N), v(N))`` traced by increasing N."""
    a = alpha_eff(np.asarray(alpha)[None, :], np.asarray(c)[None, :], np.asarray(ns, float)[:, None])
    return np.log(a[:, 1] / a[:, 0]), np.log(a[:, 2] / a[:, 0])


#: Path colours of the phase diagram: none is on its red-blue colour map.
_PATH_COLOURS = ("black", "lime", "magenta", "gold", "cyan")


def plot_phase_diagram(config: HomogeneousConfig, paths=None, size=41, *, solver=None, criterion=None, ax=None):
    r"""Draw the homogeneous phase diagram with the curves that increasing N traces.

    The plane is :math:`u = \log(\alpha_x/\alpha_z)`, :math:`v = \log(\alpha_y/\alpha_z)`
    (see :func:`phase_diagram`), coloured by the mean :math:`p(T_{sat})`; each transfer setting
    :math:`c = (c_z, c_x, c_y)` in ``paths`` adds the curve :math:`(u(N), v(N))` of the effective
    rates :math:`\alpha_{k,\mathrm{eff}} = \alpha_k (1 + (N - 1) c_k)` for
    :math:`N \in [1, 10^6]`, with N = 1, 10, ..., 10^4 marked. A colour bar is added.

    Parameters
    ----------
    config : HomogeneousConfig
        Initial logits, prior and rates.
    paths : list of (float, float, float), optional
        Transfer settings to trace (default: ``config.c`` and three others).
    size : int
        Grid points per axis.
    solver : Solver, optional
        Integrator (default: that of :func:`simulate`).
    criterion : Criterion, optional
        Outcome criterion (default :class:`Saturation`).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default a new 6 x 5 inch figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from workbench.rs import HomogeneousConfig, plot_phase_diagram
    >>> ax = plot_phase_diagram(HomogeneousConfig(p0=0.01), size=6)
    >>> len(ax.get_legend().get_texts())
    4
    >>> plt.close(ax.figure)

    References
    ----------
    Seed 000, "Homogenous Coupling" (claim RS5); spec ``reward_seeking.md`` §5.
    """
    U, V, P, O = phase_diagram(config, size=size, solver=solver, criterion=criterion)
    ax = axes_or_new(ax, (6, 5))
    m = ax.pcolormesh(U, V, P, shading="auto", cmap="coolwarm", vmin=0, vmax=1)
    ax.contour(U, V, P, levels=[0.5], colors="k", linewidths=1)
    ns = np.logspace(0, 6, 200)
    paths = paths or [config.c, (0.1, 0.3, 0.0), (0.1, 0.1, 0.05), (0.2, 0.1, 0.0)]
    import matplotlib.patheffects as pe
    from matplotlib.lines import Line2D

    # colours off the red-blue colour map, outlined in white, so no path vanishes on the map;
    # N is marked by marker shape (one legend) instead of text labels that overlap near N = 1
    outline = [pe.withStroke(linewidth=3.2, foreground="white")]
    marks = {1: "o", 10: "s", 100: "^", 1000: "D", 10000: "*"}
    for k, c in enumerate(paths):
        u, v = n_path(config.alpha, c, ns)
        inside = (u >= U.min()) & (u <= U.max()) & (v >= V.min()) & (v <= V.max())
        line, = ax.plot(u[inside], v[inside], lw=1.6, color=_PATH_COLOURS[k % len(_PATH_COLOURS)],
                        path_effects=outline, label=f"c=(cz,cx,cy)={tuple(c)}")
        for n, marker in marks.items():
            un, vn = n_path(config.alpha, c, [n])
            if U.min() <= un[0] <= U.max() and V.min() <= vn[0] <= V.max():
                ax.plot(un, vn, marker, ms=5, color=line.get_color(), mec="white", mew=0.8, zorder=3)
    ax.set_xlabel("log(alpha_x_eff / alpha_z_eff)")
    ax.set_ylabel("log(alpha_y_eff / alpha_z_eff)")
    ax.set_title(f"outcome at p0={config.p0:g}, x0={config.x0:g}, y0={config.y0:g} (red: reward-seeking)", fontsize=9)
    n_legend = ax.legend(handles=[Line2D([], [], marker=mk, linestyle="", color="0.3", mec="white", label=f"N={n}")
                                  for n, mk in marks.items()], fontsize=6, loc="upper right", framealpha=0.8)
    ax.add_artist(n_legend)
    ax.legend(fontsize=7, loc="upper left")  # the paths (ax.get_legend())
    ax.figure.colorbar(m, ax=ax, label="mean p(T_sat)")
    return ax


@dataclass(frozen=True)
class LogarithmicCurve:
    r"""The model :math:`N^* = \text{intercept} + \text{slope}\,\log_{10} p_0` (least squares
    in :math:`N^*`), for series that grow logarithmically rather than as a power of :math:`p_0`."""

    slope: float
    intercept: float

    def __call__(self, log10_p0):
        return self.intercept + self.slope * np.asarray(log10_p0)

    def __str__(self) -> str:
        sign = "-" if self.slope < 0 else "+"
        return f"N* = {self.intercept:.1f} {sign} {abs(self.slope):.1f} log10 p0 (logarithmic, dashed)"


def plot_scaling(series, *, ax=None):
    r"""Draw :math:`\log_{10} N^*_c` against :math:`\log_{10} p_0` with the OLS fit of each series.

    The scaling law :math:`N^* \propto p_0^{s}` is a straight line of slope :math:`s` here; the
    legend gives each fit's slope with its 95% confidence interval and :math:`R^2`.

    Parameters
    ----------
    series : list of (str, list of CriticalDiversity, ScalingFit[, LogarithmicCurve])
        ``(label, results, fit)``: the results of :func:`critical_diversity` for several priors
        and their :func:`fit_scaling`. With a fourth element, the series follows that model
        instead (a :class:`LogarithmicCurve`, dashed), and the legend says so.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default a new 5.6 x 4.2 inch figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from workbench.rs import HomogeneousConfig, critical_diversity, fit_scaling, plot_scaling
    >>> priors = (1e-1, 1e-2, 1e-3)
    >>> res = critical_diversity([HomogeneousConfig(p0=p) for p in priors])
    >>> fit = fit_scaling(priors, [r.n_star_continuous for r in res])
    >>> ax = plot_scaling([("gradient", res, fit)])
    >>> ax.get_legend().get_texts()[0].get_text()[:15]
    'gradient: slope'
    >>> plt.close(ax.figure)

    References
    ----------
    Seed 000, "Example Scaling Laws" (claim RS6); spec ``reward_seeking.md`` §5.
    """
    ax = axes_or_new(ax, (5.6, 4.2))
    for label, results, fit, *curve in series:
        p0 = np.array([r.config.p0 for r in results])
        n = np.array([np.nan if r.n_star_continuous is None else r.n_star_continuous for r in results])
        xs = np.linspace(np.log10(p0).min(), np.log10(p0).max(), 50)
        if curve:  # the series' own model (e.g. logarithmic), not the power law's straight line
            pts = ax.plot(np.log10(p0), np.log10(n), "o", label=f"{label}: {curve[0]}\n(a straight line here: R²={fit.r_squared:.3f})")
            ax.plot(xs, np.log10(curve[0](xs)), "--", color=pts[0].get_color(), lw=1)
            continue
        pts = ax.plot(np.log10(p0), np.log10(n), "o", label=f"{label}: slope {fit.slope:.3f} "
                      f"[{fit.slope_ci[0]:.3f}, {fit.slope_ci[1]:.3f}], R²={fit.r_squared:.4f}")
        ax.plot(xs, fit.intercept + fit.slope * xs, "-", color=pts[0].get_color(), lw=1)
    ax.set_xlabel("log10 p0")
    ax.set_ylabel("log10 N*  (continuous root)")
    ax.set_title("critical diversity against the prior (95% OLS CI on slope)", fontsize=9)
    ax.legend(fontsize=7, loc="upper right")
    return ax
