"""An independent reference: the N = 1 system integrated by scipy's solve_ivp, spec §2–3 by hand."""

import numpy as np
from scipy.integrate import solve_ivp
from scipy.special import expit, logit


def reference_outcome(p0, x0, y0, alpha, eps=1e-3, threshold=0.5, t_max=1e7):
    az, ax, ay = alpha

    def rhs(t, s):
        p, a, b = expit(s)
        return [az * p * (1 - p) * (a - b), ax * p * a * (1 - a), ay * (1 - p) * b * (1 - b)]

    def saturated(t, s):
        p, a, b = expit(s)
        return p * a + (1 - p) * b - (1 - eps)

    saturated.terminal = True
    saturated.direction = 1
    sol = solve_ivp(rhs, (0, t_max), [logit(p0), x0, y0], method="LSODA", rtol=1e-10, atol=1e-12, events=saturated)
    if not sol.t_events[0].size:
        return "undecided", None, None
    p = expit(sol.y_events[0][0][0])
    return ("reward-seeking" if p > threshold else "local"), float(sol.t_events[0][0]), float(p)
