r"""Late-time drift of the propensity and the exact asymptotic basins (claim RS8).

Once both skills are nearly saturated, write :math:`a = 1 - u`, :math:`b = 1 - v`. From the
model's own field the skill gaps obey :math:`\dot u = q_u(u, v) + \dots` and
:math:`\dot v = q_v(u, v) + \dots` with quadratic leading parts, so they decay like
:math:`u \simeq U/t`, :math:`v \simeq V/t` with :math:`(U, V)` the positive solution of
:math:`-U = q_u(U, V)`, :math:`-V = q_v(U, V)`. The propensity then moves on the logarithmic
time scale :math:`s = \ln t`:

.. math:: \frac{dz}{d\ln t} = \lim_{t\to\infty} t\,\dot z = D(p).

For the seed's gradient flow, :math:`U = 1/(\alpha_x p)`, :math:`V = 1/(\alpha_y (1-p))` and
:math:`D(p) = \alpha_z\,(p/\alpha_y - (1-p)/\alpha_x)`, which vanishes at

.. math:: p^* = \frac{\alpha_y}{\alpha_x + \alpha_y}

(with effective learnabilities in the homogeneous system): above :math:`p^*` the propensity
drifts to 1, below it to 0. In the :math:`(p, U, V)` system on the :math:`\ln t` scale the point
:math:`p^*` is a saddle (Routh–Hurwitz: :math:`a_3 < 0`). With a cost the leading term of
:math:`\dot z` is the constant :math:`-\alpha_z \mathrm{cost}` and dominates the :math:`1/t`
drift.

The basins are also exact at all times: with :math:`p_{\rm inv}` the root of
:math:`\frac{d}{dt}(a - b)\big|_{a=b}`, the regions
:math:`R_+ = \{a \ge b,\ p \ge p_{\rm inv}\}` and :math:`R_- = \{a \le b,\ p \le p_{\rm inv}\}`
are forward invariant when the boundary signs below hold; inside them ``p`` is monotone.
For ``kappa = cost = 0`` (both flows) :math:`p_{\rm inv} = p^*`.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from workbench._errors import WorkbenchError
from workbench.rs._analysis.equilibria import ALPHA_X, ALPHA_Y, ALPHA_Z, A, B, P, ProbabilityField, routh_hurwitz_3x3

U, V, EPS, W = sp.symbols("U V epsilon W", positive=True)


def _positive_on_open_cube(expr, extra=()) -> bool:
    """True if sympy proves ``expr > 0`` for p, a, b in (0, 1), alphas > 0, ``extra`` symbols > 0."""
    s = {v: sp.Symbol(f"s_{v}", positive=True) for v in (P, A, B)}
    mapped = sp.factor(sp.together(sp.sympify(expr).subs({v: s[v] / (1 + s[v]) for v in s})))
    return bool(mapped.is_positive)


def _leading(expr, order_max=6):
    """Lowest order ``k`` and coefficient of ``expr`` as a series in EPS."""
    num, den = sp.fraction(sp.together(expr))
    den0 = sp.simplify(den.subs(EPS, 0))
    if den0 != 0 and not num.has(sp.exp, sp.log):  # a rational function regular at 0: read the numerator's terms
        poly = sp.Poly(sp.expand(num), EPS)
        for (k,), c in sorted(poly.terms(), key=lambda t: t[0][0]):
            c = sp.factor(c / den0)
            if c != 0:
                return k, c
        raise WorkbenchError("no leading term found near the saturated line")
    ser = sp.expand(sp.series(expr, EPS, 0, order_max + 1).removeO())
    poly = sp.Poly(ser, EPS)
    for (k,), c in sorted(poly.terms(), key=lambda t: t[0][0]):
        c = sp.factor(c)
        if c != 0:
            return k, c
    raise WorkbenchError("no leading term found near the saturated line")


@dataclass(frozen=True)
class DriftRule:
    r"""The late-time drift of ``p`` and the asymptotic rule derived from it (RS8).

    Attributes
    ----------
    kind : str
        ``threshold`` (drift changes sign at ``p_star``), ``constant`` (a cost term dominates:
        the sign is the same for every p), or ``none`` (no conclusion).
    drift : sympy.Expr
        :math:`D(p) = dz/d\ln t` on the saturated line.
    p_star : sympy.Expr or None
        Root of ``D`` in (0, 1), in the effective learnabilities.
    skill_decay : tuple
        ``(U, V)``: :math:`u \simeq U/t`, :math:`v \simeq V/t`.
    saddle : dict or None
        Routh–Hurwitz data of the :math:`(p, U, V)` system at :math:`p^*`.
    p_invariant : sympy.Expr or None
        Root of :math:`\frac{d}{dt}(a-b)|_{a=b}`: the corner of the invariant regions.
    r_plus_certified, r_minus_certified : bool
        Whether the boundary signs making :math:`R_\pm` forward invariant were proved.
    direction : str
        Plain-language statement of the rule.
    """

    variant: str
    kind: str
    drift: sp.Expr
    p_star: sp.Expr | None
    skill_decay: tuple
    saddle: dict | None
    p_invariant: sp.Expr | None
    r_plus_certified: bool
    r_minus_certified: bool
    direction: str
    checks: dict

    @property
    def drift_label(self) -> str:
        """``dz/d(ln t)`` for a threshold rule (1/t drift), ``dz/dt`` for a constant one (order t^0)."""
        return "dz/dt" if self.kind == "constant" else "dz/d(ln t)"

    def p_star_value(self, alpha_z: float, alpha_x: float, alpha_y: float) -> float | None:
        if self.p_star is None:
            return None
        return float(self.p_star.subs({ALPHA_Z: alpha_z, ALPHA_X: alpha_x, ALPHA_Y: alpha_y}))

    def to_json(self) -> dict:
        return {
            "variant": self.variant,
            "kind": self.kind,
            "drift": str(self.drift),
            "drift_of": self.drift_label,
            "p_star": None if self.p_star is None else str(self.p_star),
            "skill_decay_U_V": [str(s) for s in self.skill_decay],
            "saddle_routh_hurwitz": None if self.saddle is None else {
                k: (str(v) if isinstance(v, sp.Basic) else v) for k, v in self.saddle.items()},
            "p_invariant": None if self.p_invariant is None else str(self.p_invariant),
            "r_plus_certified": self.r_plus_certified,
            "r_minus_certified": self.r_minus_certified,
            "rule": self.direction,
            "checks": self.checks,
        }


def _late_time(field: ProbabilityField):
    Fp, Fa, Fb = field.components
    near = {A: 1 - EPS * U, B: 1 - EPS * V}
    ku, qu = _leading(sp.together(-Fa.subs(near)))  # du/dt
    kv, qv = _leading(sp.together(-Fb.subs(near)))  # dv/dt
    kp, lp = _leading(sp.together(Fp.subs(near)))  # dp/dt
    return (ku, qu), (kv, qv), (kp, lp)


def _skill_race(field: ProbabilityField):
    """d/dt (a - b) on the diagonal a = b, factored."""
    Fp, Fa, Fb = field.components
    return sp.factor(sp.together((Fa - Fb).subs(B, A)))


def _p_invariant(field: ProbabilityField):
    """Root in (0,1) of the sign-deciding factor of d(a-b)/dt on a = b, and the proof of its sign."""
    race = _skill_race(field)
    if race == 0:
        return None, {"skill_race_on_diagonal": "0"}
    const, factors = sp.factor_list(sp.fraction(race)[0])
    undecided = []
    for f, mult in factors:
        if _positive_on_open_cube(f) or (mult % 2 == 0):
            continue
        if _positive_on_open_cube(-f):
            const = -const
            continue
        undecided.append(f)
    info = {"skill_race_on_diagonal": str(race)}
    if not undecided:
        # sign fixed on the whole diagonal: p_inv = 0 (if positive) or 1
        positive = _positive_on_open_cube(race)
        return (sp.Integer(0) if positive else sp.Integer(1)), {**info, "sign_everywhere": "positive" if positive else "negative"}
    if len(undecided) != 1 or sp.Poly(undecided[0], P).degree() != 1 or undecided[0].has(A):
        return None, {**info, "undecided_factors": [str(f) for f in undecided]}
    root = sp.factor(sp.solve(undecided[0], P)[0])
    # proof: race / (p - root) is positive on the open cube
    ratio = sp.factor(sp.together(race / (P - root)))
    proved = _positive_on_open_cube(ratio)
    if not proved and _positive_on_open_cube(-ratio):
        return None, {**info, "note": "skill race decreasing in p"}
    return root, {**info, "p_invariant": str(root), "race_over_(p-p_inv)_positive": proved}


def late_time_drift(field: ProbabilityField) -> DriftRule:
    r"""Derive the late-time drift of ``p`` and the invariant basins from ``field`` (RS8).

    Examples
    --------
    >>> from workbench.rs._analysis.equilibria import probability_field
    >>> rule = late_time_drift(probability_field())
    >>> rule.p_star
    alpha_y/(alpha_x + alpha_y)
    """
    (ku, qu), (kv, qv), (kp, lp) = _late_time(field)
    checks = {"du_dt_leading_order": ku, "dv_dt_leading_order": kv, "dp_dt_leading_order": kp}
    p_star, decay, saddle = None, (), None
    if kp == 0:
        kind = "constant"
        drift = sp.factor(lp / (P * (1 - P)))  # dz/dt itself: order t^0 beats the 1/t skill terms
        if _positive_on_open_cube(drift):
            direction = "p drifts to 1 for every p in (0,1): the constant term of dz/dt dominates the 1/t skill terms"
        elif _positive_on_open_cube(-drift):
            direction = ("p drifts to 0 for every p in (0,1) on the saturated line a = b = 1 (the constant "
                         "cost term of dz/dt dominates the 1/t skill terms); trajectories on which the local "
                         "skill stalls below 1 - cost can still end on the attracting part of {p=1, a=1}")
        else:
            direction = "the constant term changes sign; see the drift expression"
    elif kp == 1 and ku == 2 and kv == 2:
        sols = sp.solve([sp.Eq(-U, qu.subs({U: U, V: V})), sp.Eq(-V, qv)], [U, V], dict=True)
        good = [s for s in sols if _positive_on_open_cube(s[U]) and _positive_on_open_cube(s[V])]
        if not good:  # keep a solution that is not provably negative; record where it is valid
            good = [s for s in sols if not _positive_on_open_cube(-s[U]) and not _positive_on_open_cube(-s[V])]
            if len(good) == 1:
                checks["self_similar_valid_where"] = f"U = {sp.sstr(good[0][U])} > 0 and V = {sp.sstr(good[0][V])} > 0"
        if len(good) != 1:
            kind, drift, direction = "none", sp.Integer(0), f"no unique positive self-similar skill decay ({len(sols)} solutions)"
        else:
            kind = "threshold"
            Us, Vs = sp.factor(good[0][U]), sp.factor(good[0][V])
            decay = (Us, Vs)
            drift = sp.factor(sp.together(lp.subs({U: Us, V: Vs}) / (P * (1 - P))))
            roots = [sp.factor(r) for r in sp.solve(sp.fraction(sp.together(drift))[0], P)]
            inside = [r for r in roots if _positive_on_open_cube(r) and _positive_on_open_cube(1 - r)]
            if not inside:  # keep a root that can lie in (0, 1) for some learnabilities; say where
                inside = [r for r in roots if not _positive_on_open_cube(-r) and not _positive_on_open_cube(r - 1)]
                if len(inside) == 1:
                    checks["p_star_in_(0,1)_where"] = f"0 < {sp.sstr(inside[0])} < 1"
            roots = inside
            if len(roots) == 1:
                p_star = roots[0]
                # Orientation: D / (p - p*) > 0 means p* repels (p -> 1 above, p -> 0 below).
                ratio = sp.factor(sp.together(drift / (P - p_star)))
                repels = _positive_on_open_cube(ratio)
                checks["drift_over_(p-p_star)_positive"] = repels
                direction = (f"p* = {sp.sstr(p_star)}: for p > p* the propensity drifts to 1 (reward-seeking), "
                             f"for p < p* to 0 (local), at rate dz/d(ln t) = {sp.sstr(drift)}"
                             if repels else f"p* = {sp.sstr(p_star)} attracts the drift")
                # The (p, U, V) system on the ln t scale: dU/ds = U + q_u, dV/ds = V + q_v, dp/ds = l_p.
                slow = sp.Matrix([lp, U + qu, V + qv])
                Jm = slow.jacobian([P, U, V]).subs({U: Us, V: Vs}).subs(P, p_star)
                saddle = routh_hurwitz_3x3(Jm.applyfunc(sp.factor))
                checks["saddle_positive_real_eigenvalue"] = saddle["positive_real_eigenvalue"]
            else:
                direction = f"drift roots in (0,1): {[str(r) for r in roots]}"
                if not roots and _positive_on_open_cube(drift):
                    direction = "p drifts to 1 for every p in (0,1)"
                elif not roots and _positive_on_open_cube(-drift):
                    direction = "p drifts to 0 for every p in (0,1)"
    else:
        kind, drift, direction = "none", sp.Integer(0), "leading orders do not match the 1/t self-similar ansatz"

    # Exact invariant regions R+ = {a >= b, p >= p_inv}, R- = {a <= b, p <= p_inv}.
    p_inv, inv_checks = _p_invariant(field)
    checks.update(inv_checks)
    Fp = field.components[0]
    rplus = rminus = False
    if p_inv is not None and inv_checks.get("race_over_(p-p_inv)_positive", True):
        rplus = _positive_on_open_cube(sp.together(Fp.subs(A, B + W)), (W,))  # pdot > 0 when a > b
        rminus = _positive_on_open_cube(sp.together(-Fp.subs(B, A + W)), (W,))  # pdot < 0 when a < b
    checks["pdot_positive_when_a_gt_b"] = rplus
    checks["pdot_negative_when_a_lt_b"] = rminus
    return DriftRule(field.variant, kind, drift, p_star, decay, saddle, p_inv, rplus, rminus, direction, checks)
