"""Template of the compiled single-system integrator (its text is used; it is not imported to run).

:mod:`workbench.rs._simulate.compiled` appends this text to the model's own functions
``rates``, ``reward`` and ``propensity`` (lambdified from the sympy model, spec §1–2) and
compiles the result with numba. It is :func:`workbench.rs.simulate` with
:class:`~workbench.rs.DormandPrince` and :class:`~workbench.rs.Saturation` written for one
reduced (N = 1, effective learnabilities) system in scalars: the same tableau, error norm,
step-size rule, initial step, step limits, Hermite + Illinois event location and refinement
onto the integrator's trajectory, in the same order of floating-point operations. The only
differences from the numpy path are the ``exp`` and ``pow`` implementations (numba calls the
C library, numpy may use its own SIMD routines), which can differ in the last bit.

Outcome codes: 0 reward-seeking, 1 local, 2 undecided.
"""

# ruff: noqa: F821  (rates, reward and propensity come from the generated header)
import math

from numba import njit  # importing this file alone (doctest collection) compiles nothing: njit is lazy

# Dormand & Prince (1980), RK5(4)7FM, as in solvers.py; written with the same divisions.
A21 = 1 / 5
A31, A32 = 3 / 40, 9 / 40
A41, A42, A43 = 44 / 45, -56 / 15, 32 / 9
A51, A52, A53, A54 = 19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729
A61, A62, A63, A64, A65 = 9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656
B1, B3, B4, B5, B6 = 35 / 384, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84
E1, E3, E4, E5, E6, E7 = -71 / 57600, 71 / 16695, -71 / 1920, 17253 / 339200, -22 / 525, 1 / 40

REWARD_SEEKING, LOCAL, UNDECIDED = 0, 1, 2


@njit(cache=True)
def _field(z, x, y, az, ax, ay, kappa, cost):
    r = rates(z, x, y, kappa, cost)
    return az * r[0], ax * r[1], ay * r[2]


@njit(cache=True)
def _rms3(a, b, c):
    return math.sqrt((a * a + b * b + c * c) / 3.0)


@njit(cache=True)
def _attempt(z, x, y, fz, fx, fy, h, az, ax, ay, kappa, cost, rtol, atol):
    # one trial step; returns (z, x, y) new, f new and the error norm
    k2z, k2x, k2y = _field(z + h * (A21 * fz), x + h * (A21 * fx), y + h * (A21 * fy), az, ax, ay, kappa, cost)
    k3z, k3x, k3y = _field(z + h * (A31 * fz + A32 * k2z), x + h * (A31 * fx + A32 * k2x),
                           y + h * (A31 * fy + A32 * k2y), az, ax, ay, kappa, cost)
    k4z, k4x, k4y = _field(z + h * (A41 * fz + A42 * k2z + A43 * k3z), x + h * (A41 * fx + A42 * k2x + A43 * k3x),
                           y + h * (A41 * fy + A42 * k2y + A43 * k3y), az, ax, ay, kappa, cost)
    k5z, k5x, k5y = _field(z + h * (A51 * fz + A52 * k2z + A53 * k3z + A54 * k4z),
                           x + h * (A51 * fx + A52 * k2x + A53 * k3x + A54 * k4x),
                           y + h * (A51 * fy + A52 * k2y + A53 * k3y + A54 * k4y), az, ax, ay, kappa, cost)
    k6z, k6x, k6y = _field(z + h * (A61 * fz + A62 * k2z + A63 * k3z + A64 * k4z + A65 * k5z),
                           x + h * (A61 * fx + A62 * k2x + A63 * k3x + A64 * k4x + A65 * k5x),
                           y + h * (A61 * fy + A62 * k2y + A63 * k3y + A64 * k4y + A65 * k5y), az, ax, ay, kappa, cost)
    zn = z + h * (B1 * fz + B3 * k3z + B4 * k4z + B5 * k5z + B6 * k6z)
    xn = x + h * (B1 * fx + B3 * k3x + B4 * k4x + B5 * k5x + B6 * k6x)
    yn = y + h * (B1 * fy + B3 * k3y + B4 * k4y + B5 * k5y + B6 * k6y)
    k7z, k7x, k7y = _field(zn, xn, yn, az, ax, ay, kappa, cost)
    ez = h * (E1 * fz + E3 * k3z + E4 * k4z + E5 * k5z + E6 * k6z + E7 * k7z)
    ex = h * (E1 * fx + E3 * k3x + E4 * k4x + E5 * k5x + E6 * k6x + E7 * k7x)
    ey = h * (E1 * fy + E3 * k3y + E4 * k4y + E5 * k5y + E6 * k6y + E7 * k7y)
    sz = atol + max(abs(z), abs(zn)) * rtol
    sx = atol + max(abs(x), abs(xn)) * rtol
    sy = atol + max(abs(y), abs(yn)) * rtol
    return zn, xn, yn, k7z, k7x, k7y, _rms3(ez / sz, ex / sx, ey / sy)


@njit(cache=True)
def _event(z, x, y, kappa, cost, eps):
    return reward(z, x, y, kappa, cost) - (1.0 - eps)


@njit(cache=True)
def _hermite(a, fa, b, fb, h, t):
    t2 = t * t
    t3 = t * t * t
    return (2 * t3 - 3 * t2 + 1) * a + (t3 - 2 * t2 + t) * h * fa + (-2 * t3 + 3 * t2) * b + (t3 - t2) * h * fb


@njit(cache=True)
def _event_on_hermite(th, z, x, y, fz, fx, fy, zb, xb, yb, fzb, fxb, fyb, h, kappa, cost, eps):
    return _event(_hermite(z, fz, zb, fzb, h, th), _hermite(x, fx, xb, fxb, h, th), _hermite(y, fy, yb, fyb, h, th),
                  kappa, cost, eps)


@njit(cache=True)
def _event_on_step(th, z, x, y, fz, fx, fy, h, az, ax, ay, kappa, cost, rtol, atol, eps):
    zn, xn, yn, _, _, _, _ = _attempt(z, x, y, fz, fx, fy, th * h, az, ax, ay, kappa, cost, rtol, atol)
    return _event(zn, xn, yn, kappa, cost, eps)


@njit(cache=True)
def _illinois_step(lo, hi, f_lo, f_hi):
    denom = f_hi - f_lo
    mid = hi - f_hi * (hi - lo) / denom if denom > 0 else 0.5 * (lo + hi)
    return min(max(mid, lo), hi)


@njit(cache=True)
def _illinois_update(mid, f_mid, lo, hi, f_lo, f_hi, side):
    """Keep the bracket's sign change; halve the stale end's value when the same end moves twice (Illinois)."""
    if f_mid >= 0:
        if side == 1:
            f_lo = 0.5 * f_lo
        return lo, mid, f_lo, f_mid, 1
    if side == -1:
        f_hi = 0.5 * f_hi
    return mid, hi, f_mid, f_hi, -1


@njit(cache=True)
def _saturation(z, x, y, fz, fx, fy, zb, xb, yb, fzb, fxb, fyb, h, ea, eb, az, ax, ay, kappa, cost, rtol, atol, eps):
    """theta in [0, 1] of the step where the event crosses, and the state there (simulate.py:
    ``_locate_crossing`` on the Hermite interpolant, then ``_refine_crossing`` on the step)."""
    # Illinois on the interpolant: 40 iterations, tol 1e-10 in theta, ftol 1e-15 in g
    lo, hi, f_lo, f_hi, side = 0.0, 1.0, ea, eb, 0
    for _ in range(40):
        if not (hi - lo > 1e-10 and f_hi > 1e-15):
            break
        mid = _illinois_step(lo, hi, f_lo, f_hi)
        f_mid = _event_on_hermite(mid, z, x, y, fz, fx, fy, zb, xb, yb, fzb, fxb, fyb, h, kappa, cost, eps)
        lo, hi, f_lo, f_hi, side = _illinois_update(mid, f_mid, lo, hi, f_lo, f_hi, side)
    theta = hi
    ze, xe, ye = _hermite(z, fz, zb, fzb, h, theta), _hermite(x, fx, xb, fxb, h, theta), _hermite(y, fy, yb, fyb, h, theta)
    # refinement: the event after one solver step of theta * h; 30 iterations, tol 1e-13, ftol 0
    g_t = _event_on_step(theta, z, x, y, fz, fx, fy, h, az, ax, ay, kappa, cost, rtol, atol, eps)
    lo, hi, f_lo = 0.0, 1.0, ea
    f_hi = _event_on_step(1.0, z, x, y, fz, fx, fy, h, az, ax, ay, kappa, cost, rtol, atol, eps)
    if not (math.isfinite(g_t) and math.isfinite(f_hi) and f_hi >= 0):
        return theta, ze, xe, ye
    if g_t < 0:
        lo, f_lo = theta, g_t
    else:
        hi, f_hi = theta, g_t
    side = 0
    for _ in range(30):
        if not (hi - lo > 1e-13 and f_hi > 0.0):
            break
        mid = _illinois_step(lo, hi, f_lo, f_hi)
        f_mid = _event_on_step(mid, z, x, y, fz, fx, fy, h, az, ax, ay, kappa, cost, rtol, atol, eps)
        lo, hi, f_lo, f_hi, side = _illinois_update(mid, f_mid, lo, hi, f_lo, f_hi, side)
    zn, xn, yn, _, _, _, _ = _attempt(z, x, y, fz, fx, fy, hi * h, az, ax, ay, kappa, cost, rtol, atol)
    return hi, zn, xn, yn


@njit(cache=True)
def run(z, x, y, az, ax, ay, kappa, cost, eps, threshold, t_max, rtol, atol, max_steps):
    """Integrate one reduced system to saturation; returns ``(outcome code, t_end, p(t_end), steps)``."""
    ev = _event(z, x, y, kappa, cost, eps)
    if ev >= 0:  # already saturated at t = 0
        p = propensity(z, x, y, kappa, cost)
        return (REWARD_SEEKING if p > threshold else LOCAL), 0.0, p, 0
    fz, fx, fy = _field(z, x, y, az, ax, ay, kappa, cost)
    # initial step (Hairer, Norsett & Wanner, II.4), span t_max
    sz, sx, sy = atol + abs(z) * rtol, atol + abs(x) * rtol, atol + abs(y) * rtol
    d0, d1 = _rms3(z / sz, x / sx, y / sy), _rms3(fz / sz, fx / sx, fy / sy)
    h0 = 1e-6 if (d0 < 1e-5 or d1 < 1e-5) else 0.01 * d0 / max(d1, 1e-300)
    h0 = min(h0, t_max)
    gz, gx, gy = _field(z + h0 * fz, x + h0 * fx, y + h0 * fy, az, ax, ay, kappa, cost)
    d2 = _rms3((gz - fz) / sz, (gx - fx) / sx, (gy - fy) / sy) / h0
    dmax = max(d1, d2)
    h1 = max(1e-6, h0 * 1e-3) if dmax <= 1e-15 else (0.01 / max(dmax, 1e-300)) ** 0.2
    h = min(min(100 * h0, h1), t_max)

    t = 0.0
    steps = 0
    while True:
        clipped = t + h >= t_max
        h_try = t_max - t if clipped else h
        zn, xn, yn, fzn, fxn, fyn, err = _attempt(z, x, y, fz, fx, fy, h_try, az, ax, ay, kappa, cost, rtol, atol)
        finite = math.isfinite(zn) and math.isfinite(xn) and math.isfinite(yn)
        accepted = finite and err <= 1.0
        e = err if finite else math.inf
        factor = 10.0 if e == 0 else 0.9 * e ** -0.2
        factor = min(max(factor, 0.2), 10.0)
        h_next = h_try * (factor if accepted else min(factor, 1.0))
        if clipped and accepted:  # a step shortened to land on t_max must not shrink the next one
            h_next = max(h_next, h)
        t_new = t_max if clipped else t + h_try
        if accepted:
            steps += 1
            ev_new = _event(zn, xn, yn, kappa, cost, eps)
            if ev_new >= 0:
                theta, ze, xe, ye = _saturation(z, x, y, fz, fx, fy, zn, xn, yn, fzn, fxn, fyn, h_try, ev, ev_new,
                                                az, ax, ay, kappa, cost, rtol, atol, eps)
                p = propensity(ze, xe, ye, kappa, cost)
                return (REWARD_SEEKING if p > threshold else LOCAL), t + theta * h_try, p, steps
            ev = ev_new
            if t_new >= t_max:  # time cap
                return UNDECIDED, t_max, propensity(zn, xn, yn, kappa, cost), steps
        if steps >= max_steps:  # step limit
            if accepted:
                return UNDECIDED, t_new, propensity(zn, xn, yn, kappa, cost), steps
            return UNDECIDED, t, propensity(z, x, y, kappa, cost), steps
        if not accepted and not (h_next >= 1e-14 * max(1.0, t)):  # step size underflow or non-finite
            return UNDECIDED, t, propensity(z, x, y, kappa, cost), steps
        if accepted:
            t, z, x, y, fz, fx, fy = t_new, zn, xn, yn, fzn, fxn, fyn
        h = h_next


@njit(cache=True)
def run_many(n, z0, x0, y0, alpha, c, kappa, cost, eps, threshold, t_max, rtol, atol, max_steps, codes, t_end, p_end, steps):
    """``run`` at each number of environments ``n[i]`` of one configuration (spec §5, ``alpha_eff``)."""
    for i in range(n.size):
        az = alpha[0] * (1.0 + (n[i] - 1.0) * c[0])
        ax = alpha[1] * (1.0 + (n[i] - 1.0) * c[1])
        ay = alpha[2] * (1.0 + (n[i] - 1.0) * c[2])
        codes[i], t_end[i], p_end[i], steps[i] = run(z0, x0, y0, az, ax, ay, kappa, cost, eps, threshold, t_max,
                                                     rtol, atol, max_steps)
