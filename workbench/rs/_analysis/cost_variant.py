r"""The cost variant :math:`J = p(a - \text{cost}) + (1-p)b`: N*, the cost above which no N suffices, and the late-time turn (claim RS13).

A commenter on the seed asks for a cost on the reward-seeking branch. Three results:

1. **Exact bound.** With :math:`a, b \le 1`, :math:`J \le 1 - p\,\text{cost}`; the saturation
   criterion needs :math:`J \ge 1 - \varepsilon` and reward-seeking needs :math:`p > 1/2`, so
   reward-seeking at saturation is impossible for :math:`\text{cost} \ge 2\varepsilon`, at every N
   (:func:`cost_bound`).
2. **Small-prior threshold.** At large N the propensity jumps from :math:`O(1/N)` to 1 with the
   skills frozen (RS6a), after which :math:`J \to a - \text{cost} \le 1 - \text{cost}`: the run
   saturates reward-seeking only if :math:`\text{cost} < \varepsilon`. Below that, the cost only
   enters the read-out :math:`(a - \text{cost} + b)/2 < 1 - \varepsilon` at the jump, so N* barely
   moves. :func:`cost_threshold` computes the cost above which no :math:`N \le n_{\max}`
   suffices, by bisection on the cost (numeric).
3. **Late-time turn.** On :math:`p \approx 1, a \approx 1` the propensity's deficit is
   quasi-static, :math:`1 - p \approx 1/(\alpha^z_{\rm eff}(1 - \text{cost} - b)\,t)`, so the
   local skill still learns, on the :math:`\ln t` scale:

   .. math:: \frac{db}{d\ln t} = \frac{\alpha^y_{\rm eff}}{\alpha^z_{\rm eff}}\,
             \frac{b^2(1-b)^2}{1 - \text{cost} - b}

   (:func:`cost_drift_rate`); b reaches :math:`1 - \text{cost}` at finite :math:`\ln t`, the
   reward-seeking branch stops paying, and p turns to 0. With a cost the :math:`t \to \infty`
   outcome is local for every N and prior; the turn comes at
   :math:`\ln t \sim (\alpha^z_{\rm eff}/\alpha^y_{\rm eff}) \int db\,(1-\text{cost}-b)/(b^2(1-b)^2)`,
   which grows with N. Step 3 is a matched-asymptotics argument checked numerically, not a proof.
"""

from __future__ import annotations

import numpy as np

from workbench._errors import WorkbenchError
from workbench.rs._homogeneous.config import HomogeneousConfig


def cost_bound(eps: float = 1e-3) -> float:
    r"""The cost at and above which no N gives reward-seeking at saturation: :math:`2\varepsilon` (exact).

    Examples
    --------
    >>> cost_bound(1e-3)
    0.002

    References
    ----------
    Seed 000, comment asking for "a cost in this model"; spec ``reward_seeking.md`` §2-3.
    """
    if not (0 < eps < 0.5):
        raise WorkbenchError(f"eps must lie in (0, 1/2), got {eps}")
    return 2.0 * eps


def cost_drift_rate(b, cost: float, alpha_y_eff: float, alpha_z_eff: float) -> np.ndarray:
    r""":math:`db/d\ln t` on the reward-seeking segment :math:`p \approx 1, a \approx 1` (see the module docstring).

    Examples
    --------
    >>> round(float(cost_drift_rate(0.5, 0.1, 1.0, 1.0)), 6)
    0.15625
    """
    b = np.asarray(b, dtype=float)
    return (alpha_y_eff / alpha_z_eff) * b**2 * (1 - b) ** 2 / (1 - cost - b)


def cost_threshold(config: HomogeneousConfig, *, n_max: float = 1e8, lo: float = 0.0, hi: float | None = None,
                   steps: int = 8) -> tuple[float, float]:
    r"""Bracket ``(lo, hi)`` of the cost above which no :math:`N \le n_{\max}` reaches reward-seeking.

    Bisection on the cost (``steps`` halvings, starting from ``(0, 2 eps)`` with eps = 1e-3);
    ``lo`` has an N*, ``hi`` has none. Assumes one switch in the cost.

    Examples
    --------
    >>> lo, hi = cost_threshold(HomogeneousConfig(p0=0.01), n_max=1e4, steps=4)  # doctest: +SKIP
    """
    from workbench.rs._homogeneous.critical import critical_diversity
    from workbench.rs._homogeneous.scan import LogGrid

    hi = cost_bound() if hi is None else hi

    def has_n_star(cost):
        return critical_diversity(config.with_(cost=float(cost)), n_max=n_max, scan=LogGrid(25), rel_tol=1e-3)[0].n_star is not None

    if not has_n_star(lo):
        raise WorkbenchError(f"no N <= {n_max:g} reaches reward-seeking even at cost {lo}")
    for _ in range(steps):
        mid = 0.5 * (lo + hi)
        if has_n_star(mid):
            lo = mid
        else:
            hi = mid
    return float(lo), float(hi)
