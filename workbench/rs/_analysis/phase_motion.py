r"""How N moves a homogeneous configuration in the phase plane when :math:`c_x \approx c_z` (claim RS11).

The phase plane has coordinates :math:`u = \ln(\alpha^x_{\rm eff}/\alpha^z_{\rm eff})` and
:math:`v = \ln(\alpha^y_{\rm eff}/\alpha^z_{\rm eff})`. With
:math:`\alpha^k_{\rm eff} = \alpha^k(1 + (N-1)c_k)`,

.. math:: u(N) - u(1) = \ln\frac{1 + (N-1)c_x}{1 + (N-1)c_z}, \qquad
          v(N) - v(1) = \ln\frac{1 + (N-1)c_y}{1 + (N-1)c_z} .

Both are monotone in N, so the whole horizontal displacement is bounded by its limit,
:math:`|u(N) - u(1)| \le |\ln(c_x/c_z)|`, which is 0 when :math:`c_x = c_z` ("we're moving
approximately vertically down") and at most :math:`\delta/(1-\delta)` when
:math:`|c_x/c_z - 1| \le \delta`; and :math:`v` decreases iff :math:`c_y < c_z`. Those steps
are symbolic (:func:`phase_motion_derivation`). Whether the descent *helps* is numeric:
:func:`vertical_descent` computes :math:`N^*` on a grid of initial skill gaps and
reward-seeking learnabilities with :math:`c_x = c_z`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import sympy as sp

from workbench.rs._homogeneous.config import HomogeneousConfig


@functools.lru_cache(maxsize=1)
def phase_motion_derivation() -> dict:
    r"""Symbolic facts about the path of the phase point in N.

    Returns
    -------
    dict
        ``du_dN``, ``dv_dN``, ``u_limit`` (:math:`\lim_{N\to\infty} u(N) - u(1)`) and checks
        ``vertical_when_equal`` (:math:`u` constant when :math:`c_x = c_z`), ``u_monotone``
        (:math:`du/dN` has the sign of :math:`c_x - c_z`, so the limit bounds the whole path),
        ``v_down_iff_cy_lt_cz``; ``passed`` when all hold.

    Examples
    --------
    >>> d = phase_motion_derivation()
    >>> d["passed"], d["u_limit"]
    (True, 'log(c_x/c_z)')

    References
    ----------
    Seed 000, "Homogenous Coupling", the paragraph "Reward-seeking transfer".
    """
    N = sp.Symbol("N", positive=True)
    cz, cx, cy = sp.symbols("c_z c_x c_y", positive=True)
    u = sp.log((1 + (N - 1) * cx) / (1 + (N - 1) * cz))
    v = sp.log((1 + (N - 1) * cy) / (1 + (N - 1) * cz))
    du, dv = sp.factor(sp.simplify(sp.diff(u, N))), sp.factor(sp.simplify(sp.diff(v, N)))
    du_expected = (cx - cz) / ((1 + (N - 1) * cx) * (1 + (N - 1) * cz))
    dv_expected = (cy - cz) / ((1 + (N - 1) * cy) * (1 + (N - 1) * cz))
    u_lim = sp.simplify(sp.limit(u, N, sp.oo))
    vertical = sp.simplify(u.subs(cx, cz)) == 0
    u_mono = sp.simplify(du - du_expected) == 0
    v_down = sp.simplify(dv - dv_expected) == 0
    lim_ok = sp.simplify(sp.expand_log(u_lim - sp.log(cx / cz), force=True)) == 0
    return {"du_dN": sp.sstr(du), "dv_dN": sp.sstr(dv), "u_limit": sp.sstr(u_lim),
            "vertical_when_equal": bool(vertical), "u_monotone": bool(u_mono), "v_down_iff_cy_lt_cz": bool(v_down),
            "u_limit_ok": bool(lim_ok), "passed": bool(vertical and u_mono and v_down and lim_ok)}


@dataclass(frozen=True)
class VerticalDescent:
    r"""N* on a grid of skill gaps and reward-seeking learnabilities with :math:`c_x = c_z`.

    Attributes
    ----------
    gaps, alpha_x : tuple of float
        Initial skill gap :math:`x_0 - y_0` (rows) and :math:`\alpha^x/\alpha^z` (columns).
    n_star : numpy.ndarray
        Integer N* (``nan``: no N up to ``n_max``), shape ``(len(gaps), len(alpha_x))``.
    monotone : numpy.ndarray of bool
        Whether the outcome switched once from local to reward-seeking along N.
    """

    base: HomogeneousConfig
    gaps: tuple
    alpha_x: tuple
    n_star: np.ndarray
    monotone: np.ndarray
    n_max: float

    def to_json(self) -> dict:
        return {"base": self.base.to_json(), "gaps": list(self.gaps), "alpha_x": list(self.alpha_x),
                "n_star": [[None if np.isnan(v) else int(v) for v in row] for row in self.n_star],
                "monotone": self.monotone.tolist(), "n_max": self.n_max}


def vertical_descent(base: HomogeneousConfig | None = None, gaps=(-2.0, -1.0, 0.0, 1.0, 2.0),
                     alpha_x=(0.1, 1.0, 10.0, 100.0), *, n_max: float = 1e6) -> VerticalDescent:
    r"""Critical diversity along the vertical descent (:math:`c_x = c_z`) for each gap and :math:`\alpha^x`.

    The gap is set by :math:`x_0 = y_0 + \text{gap}` at the base's :math:`y_0`; :math:`\alpha^x`
    multiplies :math:`\alpha^z`.

    Examples
    --------
    >>> d = vertical_descent(gaps=(2.0,), alpha_x=(1.0,), n_max=1e4)
    >>> int(d.n_star[0, 0])
    173

    References
    ----------
    Seed 000, "Homogenous Coupling" ("we're moving approximately vertically down. This
    increases reward-seeking if either a) there is already a positive skill gap, or b) the
    learnability of the reward-seeking skill is already very high").
    """
    from workbench.rs._homogeneous.critical import critical_diversity
    from workbench.rs._homogeneous.scan import LogGrid

    base = base or HomogeneousConfig(p0=0.01)
    cz, _, cy = base.c
    base = base.with_(c=(cz, cz, cy))
    cfgs = [base.with_(x0=base.y0 + g, alpha=(base.alpha[0], base.alpha[0] * a, base.alpha[2])) for g in gaps for a in alpha_x]
    res = critical_diversity(cfgs, n_max=n_max, scan=LogGrid(25), rel_tol=1e-3)
    shape = (len(gaps), len(alpha_x))
    n = np.array([np.nan if r.n_star is None else r.n_star for r in res], dtype=float).reshape(shape)
    mono = np.array([r.monotone for r in res]).reshape(shape)
    return VerticalDescent(base, tuple(float(g) for g in gaps), tuple(float(a) for a in alpha_x), n, mono, float(n_max))
