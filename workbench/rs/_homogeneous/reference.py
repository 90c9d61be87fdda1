"""A straightforward, independent implementation of the N = 1 model (spec §2–3, written by hand).

One ``scipy.integrate.solve_ivp`` call per system with a terminal saturation event. The tests
use it as an oracle for :func:`workbench.rs.simulate`; the benchmarks use it as the baseline.
It does not share code with the sympy model on purpose.
"""

from __future__ import annotations

from scipy.integrate import solve_ivp
from scipy.special import expit, logit


def reference_outcome(p0, x0, y0, alpha, *, eps=1e-3, threshold=0.5, t_max=1e7, method="LSODA", rtol=1e-10, atol=1e-12):
    """``(outcome, T_sat, p(T_sat))`` of one gradient-flow system; ``("undecided", None, None)`` at the cap."""
    az, ax, ay = alpha

    def rhs(t, s):
        p, a, b = expit(s)
        return [az * p * (1 - p) * (a - b), ax * p * a * (1 - a), ay * (1 - p) * b * (1 - b)]

    def saturated(t, s):
        p, a, b = expit(s)
        return p * a + (1 - p) * b - (1 - eps)

    saturated.terminal = True
    saturated.direction = 1
    sol = solve_ivp(rhs, (0, t_max), [logit(p0), x0, y0], method=method, rtol=rtol, atol=atol, events=saturated)
    if not sol.t_events[0].size:
        return "undecided", None, None
    p = float(expit(sol.y_events[0][0][0]))
    return ("reward-seeking" if p > threshold else "local"), float(sol.t_events[0][0]), p
