r"""The homogeneous cutoff law: where local-skill transfer bounds reward-seeking learnability (claim RS10).

With homogeneous coupling and :math:`c_y > 0` the local skill's learnability grows with N
too, so more environments do not always help. Rescale the reduced gradient flow by the local
learnability: time :math:`\tau = \alpha^y_{\rm eff} t` and

.. math:: Q = \frac{\alpha^z_{\rm eff}}{\alpha^y_{\rm eff}}\, p, \qquad
          \rho = \frac{\alpha^x_{\rm eff}}{\alpha^z_{\rm eff}}, \qquad
          R = \frac{\alpha^z_{\rm eff}}{\alpha^y_{\rm eff}} .

Exactly, :math:`dQ/d\tau = Q^2 (1-p)^2 (a-b)`, :math:`da/d\tau = \rho Q a^2(1-a)^2`,
:math:`db/d\tau = (1-p) b^2(1-b)^2` with :math:`p = Q/R`; as :math:`p \to 0` this is the
small-prior limit system of RS6a with :math:`\alpha^y = 1`, which contains neither N nor
:math:`\alpha^y`. Its outcome switches at a critical :math:`Q_0 = K(\rho, a_0, b_0, \varepsilon)`,
so reward-seeking needs :math:`\alpha^z(1 + (N-1)c_z)\,p_0 \ge K\,\alpha^y (1 + (N-1)c_y)`:

.. math:: N^* = 1 + \frac{K\alpha^y - \alpha^z p_0}{\alpha^z p_0 c_z - K \alpha^y c_y},
          \qquad p_{0,c} = \frac{K \alpha^y c_y}{\alpha^z c_z},

and below :math:`p_{0,c}` the left side never catches up: no N suffices. With
:math:`c_y = 0` it is RS6a's :math:`N^* \simeq 1 + (P_0^*/(\alpha^z p_0) - 1)/c_z` (same
constant, :math:`K = P_0^*`). The law is leading order in :math:`p` during the race (so in
:math:`p_0` and in :math:`c_y/c_z`, since the blow-up of Q is cut off at
:math:`R \le c_z\alpha^z/(c_y\alpha^y)`).

Symbolic (sympy, :func:`cutoff_law_derivation`): the rescaled field, its :math:`p \to 0`
limit, that the corrections are :math:`O(1/R)`, the solution for :math:`N^*`, the sign of
:math:`dQ_0/dN` and :math:`\lim_{N\to\infty} Q_0`. Numeric: K (bisection on the limit
system, :func:`~workbench.rs.critical_limit_prior`) and every comparison with computed N*.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import sympy as sp

from workbench._errors import WorkbenchError
from workbench.rs._analysis.equilibria import ALPHA_X, ALPHA_Y, ALPHA_Z, A, B, P, probability_field
from workbench.rs._analysis.small_prior import critical_limit_prior, limit_system
from workbench.rs._homogeneous.config import HomogeneousConfig


@functools.lru_cache(maxsize=4)
def cutoff_law_derivation(flow=None) -> dict:
    r"""The symbolic steps of the cutoff law for ``flow`` (default: the seed's gradient flow).

    Returns
    -------
    dict
        ``rescaled`` (the exact field in :math:`Q, a, b, \tau`), ``limit`` (its
        :math:`R \to \infty` limit), ``n_star`` and ``critical_prior`` (solved by sympy),
        and boolean checks: ``limit_is_rs6a_system`` (the limit is
        :math:`(Q^2(a-b), \rho Q a^2(1-a)^2, b^2(1-b)^2)`, free of N and :math:`\alpha^y`),
        ``corrections_order_1_over_R``, ``n_star_matches``, ``q0_increasing_iff_cz_gt_cy``,
        ``q0_limit``; ``passed`` when every check holds.

    Examples
    --------
    >>> d = cutoff_law_derivation()
    >>> d["passed"], d["critical_prior"]
    (True, 'K*alpha_y*c_y/(alpha_z*c_z)')

    References
    ----------
    Seed 000, "Homogenous Coupling" and the commenter's question under it ("maybe a bound can
    be found between alpha^(z) and C^(x,y)?"); spec ``reward_seeking.md`` §5.
    """
    field = probability_field(flow)
    Fp, Fa, Fb = field.components
    Q, R, rho = sp.symbols("Q R rho", positive=True)
    subs = {P: Q / R, ALPHA_Z: R * ALPHA_Y, ALPHA_X: rho * R * ALPHA_Y}
    # dQ/dtau = R (dp/dt) / alpha_y; da/dtau = (da/dt) / alpha_y; db/dtau = (db/dt) / alpha_y
    rescaled = tuple(sp.factor(sp.simplify(e)) for e in (R * Fp.subs(subs) / ALPHA_Y, Fa.subs(subs) / ALPHA_Y,
                                                         Fb.subs(subs) / ALPHA_Y))
    limit = tuple(sp.factor(sp.limit(e, R, sp.oo)) for e in rescaled)
    expected = (Q**2 * (A - B), rho * Q * A**2 * (1 - A)**2, B**2 * (1 - B)**2)
    limit_ok = all(sp.simplify(lim - e) == 0 for lim, e in zip(limit, expected)) and not any(
        lim.has(ALPHA_Y) for lim in limit)
    corrections = tuple(sp.limit(R * (e - lim), R, sp.oo) for e, lim in zip(rescaled, limit))
    corrections_ok = all(c.is_finite is not False and not c.has(sp.oo, -sp.oo, sp.zoo) for c in corrections)

    N, cz, cy, az, ay, p0, K = sp.symbols("N c_z c_y alpha_z alpha_y p0 K", positive=True)
    q0 = az * (1 + (N - 1) * cz) * p0 / (ay * (1 + (N - 1) * cy))
    [root] = sp.solve(sp.Eq(q0, K), N)
    n_star = 1 + (K * ay - az * p0) / (az * p0 * cz - K * ay * cy)
    n_star_ok = sp.simplify(root - n_star) == 0
    dq0 = sp.factor(sp.diff(q0, N))
    dq0_expected = az * p0 * (cz - cy) / (ay * (1 + (N - 1) * cy) ** 2)
    increasing_ok = sp.simplify(dq0 - dq0_expected) == 0
    q0_inf = sp.limit(q0, N, sp.oo)
    q0_inf_ok = sp.simplify(q0_inf - cz * az * p0 / (cy * ay)) == 0
    [p0c] = sp.solve(sp.Eq(q0_inf, K), p0)
    return {
        "rescaled": [str(e) for e in rescaled], "limit": [str(e) for e in limit],
        "corrections_times_R": [str(c) for c in corrections],
        "n_star": sp.sstr(n_star), "critical_prior": sp.sstr(p0c), "dQ0_dN": sp.sstr(dq0), "Q0_at_N_infinity": sp.sstr(q0_inf),
        "limit_is_rs6a_system": bool(limit_ok), "corrections_order_1_over_R": bool(corrections_ok),
        "n_star_matches": bool(n_star_ok), "q0_increasing_iff_cz_gt_cy": bool(increasing_ok), "q0_limit": bool(q0_inf_ok),
        "passed": bool(limit_ok and corrections_ok and n_star_ok and increasing_ok and q0_inf_ok),
    }


@dataclass(frozen=True)
class CutoffLaw:
    r"""The cutoff law of one homogeneous configuration (see the module docstring).

    Attributes
    ----------
    K : float
        Critical :math:`Q_0 = \alpha^z_{\rm eff} p_0/\alpha^y_{\rm eff}` of the limit system
        (numeric: bisection, relative bracket ``rel_tol``).
    rho : float
        :math:`c_x\alpha^x/(c_z\alpha^z)`, the large-N ratio of reward-seeking-skill to reasoning learnability.
    critical_prior : float
        :math:`p_{0,c} = K\alpha^y c_y/(\alpha^z c_z)` (0 when :math:`c_y = 0`).

    Examples
    --------
    >>> law = cutoff_law(HomogeneousConfig(c=(0.1, 0.1, 0.01)))
    >>> round(law.K, 4), round(law.critical_prior, 5)
    (0.1808, 0.01808)
    >>> int(law.n_star(0.05))
    41
    """

    config: HomogeneousConfig
    K: float
    rho: float
    eps: float

    @property
    def critical_prior(self) -> float:
        az, _, ay = self.config.alpha
        cz, _, cy = self.config.c
        return self.K * ay * cy / (az * cz)

    def n_star(self, p0) -> np.ndarray:
        r"""Continuous :math:`N^*` predicted by the law; ``inf`` at and below :math:`p_{0,c}`."""
        az, _, ay = self.config.alpha
        cz, _, cy = self.config.c
        p0 = np.asarray(p0, dtype=float)
        den = az * p0 * cz - self.K * ay * cy
        with np.errstate(divide="ignore", invalid="ignore"):
            n = 1.0 + (self.K * ay - az * p0) / den
        return np.where(den > 0, np.maximum(n, 1.0), np.inf)

    def to_json(self) -> dict:
        return {"K": self.K, "rho": self.rho, "eps": self.eps, "critical_prior": self.critical_prior,
                "config": self.config.to_json()}


def cutoff_law(config: HomogeneousConfig, *, eps: float = 1e-3, rel_tol: float = 1e-7) -> CutoffLaw:
    r"""The cutoff law of ``config`` (its ``p0`` and ``n`` are ignored).

    Parameters
    ----------
    config : HomogeneousConfig
        Needs :math:`c_z > 0`, :math:`c_x > 0`, a flow whose small-prior limit system exists
        (the gradient flow), and no cost.
    eps : float
        Saturation tolerance of the criterion (spec §3).

    Returns
    -------
    CutoffLaw

    References
    ----------
    Seed 000, "Homogenous Coupling" and the comment asking for "a bound between alpha^(z) and
    C^(x,y)"; the workbench's claims RS6a, RS6c and RS10.
    """
    az, ax, ay = config.alpha
    cz, cx, cy = config.c
    if cz <= 0 or cx <= 0:
        raise WorkbenchError("the cutoff law needs c_z > 0 and c_x > 0 (otherwise there is no small-prior rescaling)")
    if config.cost != 0:
        raise WorkbenchError("the cutoff law is derived without a cost; see cost_variant for the cost")
    ls = limit_system(config.flow, config.model, config.kappa, config.cost)
    if not ls.exists:
        raise WorkbenchError(f"the small-prior limit system does not exist for the {config.flow.name} flow")
    rho = (cx * ax) / (cz * az)
    K = critical_limit_prior(ls, config.x0 + config.kappa * config.y0, config.y0, rho, 1.0, eps, rel_tol)
    if not K:
        raise WorkbenchError("the limit system has no switch in Q0 for this configuration")
    return CutoffLaw(config, float(K), float(rho), eps)
