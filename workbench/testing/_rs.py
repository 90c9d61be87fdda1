"""Strategies for reward-seeking configurations (homogeneous and heterogeneous coupling)."""

from __future__ import annotations

from hypothesis import strategies as st

from workbench._errors import WorkbenchError
from workbench.rs import HeteroConfig, HomogeneousConfig

__all__ = ["homogeneous_configs", "hetero_configs"]


def _floats(name, bounds):
    lo, hi = (float(x) for x in bounds)
    if not lo <= hi:
        raise WorkbenchError(f"{name}: the range ({lo}, {hi}) is empty; give (low, high) with low <= high")
    return st.floats(lo, hi)


def homogeneous_configs(*, p0=(1e-4, 0.9), logits=(-3.0, 3.0), alpha=(0.1, 10.0), c=None, n=None):
    """:class:`~workbench.rs.HomogeneousConfig` with parameters in the stated ranges.

    Parameters
    ----------
    p0 : (low, high)
        Prior probability of the reward-seeking branch (default ``(1e-4, 0.9)``).
    logits : (low, high)
        Initial skill logits ``x0`` and ``y0`` (default ``(-3, 3)``).
    alpha : (low, high)
        Each of the three learnabilities (default ``(0.1, 10)``).
    c : (low, high), optional
        Each of the three transfers, within [0, 1]; the default keeps the config's default.
    n : (low, high), optional
        Number of environments (>= 1); the default keeps the config's default (1).

    Examples
    --------
    >>> from workbench.testing import minimal
    >>> cfg = minimal(homogeneous_configs(p0=(0.01, 0.5)))
    >>> cfg.p0, cfg.x0, cfg.y0, cfg.alpha
    (0.5, 0.0, 0.0, (1.0, 1.0, 1.0))
    """
    if not 0 < float(p0[0]) <= float(p0[1]) < 1:
        raise WorkbenchError(f"homogeneous_configs: p0 range {tuple(p0)} must lie inside (0, 1)")
    if not float(alpha[0]) > 0:
        raise WorkbenchError(f"homogeneous_configs: alpha range {tuple(alpha)} must be positive")
    kw = dict(p0=_floats("p0", p0), x0=_floats("logits", logits), y0=_floats("logits", logits),
              alpha=st.tuples(*[_floats("alpha", alpha)] * 3))
    if c is not None:
        if not 0 <= float(c[0]) and float(c[1]) <= 1:
            raise WorkbenchError(f"homogeneous_configs: c range {tuple(c)} must lie inside [0, 1]")
        kw["c"] = st.tuples(*[_floats("c", c)] * 3)
    if n is not None:
        if not float(n[0]) >= 1:
            raise WorkbenchError(f"homogeneous_configs: n range {tuple(n)} must be >= 1")
        kw["n"] = _floats("n", n)
    return st.builds(HomogeneousConfig, **kw)


def hetero_configs(*, logits=(-3.0, 3.0), alpha_sigma=(0.0, 1.0), init_sd=(0.0, 1.0), length_scales=(0.1, 2.0),
                   target_coupling=(0.01, 0.5)):
    """:class:`~workbench.rs.HeteroConfig` with heterogeneous parameters in the stated ranges.

    Draws the initial logit means ``x0, y0`` (``logits``), the log-spread of the learnabilities
    (``alpha_sigma``), the spreads of the initial logits (``init_sd``, each), the kernel length
    scales (``length_scales``, each) and the calibration target (``target_coupling``); the
    other fields keep the spec's defaults.

    Examples
    --------
    >>> from workbench.testing import minimal
    >>> cfg = minimal(hetero_configs())
    >>> cfg.alpha_sigma, cfg.init_sd, cfg.x0
    (0.0, (0.0, 0.0, 0.0), 0.0)
    """
    if not 0 < float(target_coupling[0]) <= float(target_coupling[1]) < 1:
        raise WorkbenchError(f"hetero_configs: target_coupling range {tuple(target_coupling)} must lie inside (0, 1)")
    if not float(length_scales[0]) > 0 or not float(alpha_sigma[0]) >= 0 or not float(init_sd[0]) >= 0:
        raise WorkbenchError("hetero_configs: length scales must be positive and spreads non-negative")
    return st.builds(
        HeteroConfig, x0=_floats("logits", logits), y0=_floats("logits", logits),
        alpha_sigma=_floats("alpha_sigma", alpha_sigma), init_sd=st.tuples(*[_floats("init_sd", init_sd)] * 3),
        length_scales=st.tuples(*[_floats("length_scales", length_scales)] * 3),
        target_coupling=_floats("target_coupling", target_coupling))
