r"""Convergence order of the fixed-step Euler integrator against a tight adaptive reference (claim RS14).

The seed integrated with explicit Euler at a fixed step. Euler's global error at a fixed time
is :math:`e(\Delta t) \approx C\,\Delta t^{q}` with :math:`q = 1` for a smooth field. This module
measures it: the logits at a time ``t_end`` for several steps, against a Dormand–Prince
reference at a tolerance far below the smallest error; the order is the OLS slope of
:math:`\ln e` on :math:`\ln \Delta t` (with a t-interval) and the slope between consecutive
pairs :math:`\ln(e_i/e_{i+1})/\ln(\Delta t_i/\Delta t_{i+1})`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from workbench._errors import WorkbenchError
from workbench.rs._simulate.simulate import Horizon, simulate
from workbench.rs._simulate.solvers import DormandPrince, Euler


@dataclass(frozen=True)
class ConvergenceOrder:
    """Errors of Euler at each step and the fitted order.

    Attributes
    ----------
    dts, errors : tuple of float
        Steps and max-abs logit errors at ``t_end`` (over every system of the batch).
    order : float
        OLS slope of ln(error) on ln(dt).
    order_ci : (float, float)
        95% t-interval of the slope (n - 2 degrees of freedom).
    pair_orders : tuple of float
        Order between consecutive steps.
    reference_gap : float
        Max-abs difference between the reference and a second reference at 100x tighter
        tolerance (how well the reference is known).
    """

    dts: tuple
    errors: tuple
    order: float
    order_ci: tuple
    pair_orders: tuple
    t_end: float
    reference_gap: float

    def to_json(self) -> dict:
        return {"dts": list(self.dts), "errors": list(self.errors), "order": self.order, "order_ci_95": list(self.order_ci),
                "pair_orders": list(self.pair_orders), "t_end": self.t_end, "reference_gap": self.reference_gap}


def euler_convergence(system, dts=(0.2, 0.1, 0.05, 0.025, 0.0125), *, t_end: float = 30.0,
                      reference_rtol: float = 1e-11) -> ConvergenceOrder:
    r"""Measure Euler's order of convergence on ``system`` (a :class:`~workbench.rs.RewardSeekingSystem`).

    Examples
    --------
    >>> from workbench.rs import HomogeneousConfig, reduced_system
    >>> c = euler_convergence(reduced_system(HomogeneousConfig(n=20.0)), dts=(0.1, 0.05, 0.025), t_end=10.0)
    >>> round(c.order, 2)
    1.0

    References
    ----------
    E. Hairer, S. P. Nørsett, G. Wanner, *Solving Ordinary Differential Equations I*, §II.3
    (order of a one-step method); seed 000, "Numerical Details" (Euler integration).
    """
    dts = tuple(float(d) for d in dts)
    if len(dts) < 3 or any(b >= a for a, b in zip(dts, dts[1:])):
        raise WorkbenchError("give at least 3 decreasing steps dts")
    times = [0.0, float(t_end)]
    ref = simulate(system, solver=DormandPrince(rtol=reference_rtol, atol=reference_rtol * 1e-2), criterion=Horizon(),
                   t_max=t_end, record_times=times).recorded[:, -1]
    ref2 = simulate(system, solver=DormandPrince(rtol=reference_rtol * 1e-2, atol=reference_rtol * 1e-4), criterion=Horizon(),
                    t_max=t_end, record_times=times).recorded[:, -1]
    errors = []
    for dt in dts:
        e = simulate(system, solver=Euler(dt=dt), criterion=Horizon(), t_max=t_end, record_times=times).recorded[:, -1]
        errors.append(float(np.max(np.abs(e - ref))))
    x, y = np.log(dts), np.log(errors)
    fit = stats.linregress(x, y)
    t = stats.t.ppf(0.975, len(dts) - 2)
    pairs = tuple(float((y[i] - y[i + 1]) / (x[i] - x[i + 1])) for i in range(len(dts) - 1))
    return ConvergenceOrder(dts, tuple(errors), float(fit.slope), (float(fit.slope - t * fit.stderr), float(fit.slope + t * fit.stderr)),
                            pairs, float(t_end), float(np.max(np.abs(ref - ref2))))
