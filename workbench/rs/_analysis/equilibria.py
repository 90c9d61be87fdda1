r"""Equilibrium sets of the reduced dynamics and their stability (claim RS8).

The reduced (single-environment, ``alpha_eff``) dynamics is taken from the model's own rates
``flow.local_rates(model)`` and rewritten in probability coordinates by substitution
(:math:`\sigma(z)\to p`, :math:`\sigma(-z)\to 1-p`, and likewise for ``a`` and ``b``):

.. math::
    \dot p = \frac{\partial p}{\partial z}\,\alpha_z r^z,\qquad
    \dot a = \sum_{v\in\{x,y\}} \frac{\partial a}{\partial v}\,\alpha_v r^v,\qquad
    \dot b = \frac{\partial b}{\partial y}\,\alpha_y r^y .

For the seed's gradient flow this is :math:`\dot p = \alpha_z p^2(1-p)^2(a-b)`,
:math:`\dot a = \alpha_x p\,a^2(1-a)^2`, :math:`\dot b = \alpha_y (1-p)\,b^2(1-b)^2`: every
equilibrium lies on an edge of the closed cube and is non-hyperbolic.

Equilibrium *sets* are found by branching: factor one component, set each factor to zero,
solve it for one coordinate, substitute into the remaining components and recurse. Every
candidate is verified by substitution and only maximal sets are kept. Stability is read from
the Jacobian's eigenvalues and, where they vanish, from the sign of the leading term of the
velocity normal to the set (the inward one-sided expansion on a face of the cube).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import sympy as sp

from workbench._errors import WorkbenchError
from workbench.rs._model.expression import sigmoid
from workbench.rs._model.reward_model import LOGITS, Flow, GradientFlow, RewardModel, cost, kappa

ALPHA_Z, ALPHA_X, ALPHA_Y = sp.symbols("alpha_z alpha_x alpha_y", positive=True)
ALPHAS = (ALPHA_Z, ALPHA_X, ALPHA_Y)
P, A, B = sp.symbols("p a b", real=True)
COORDS = (P, A, B)
COORD_NAMES = ("p", "a", "b")


def as_rational(value) -> sp.Expr:
    """A user number as an exact sympy Rational (``0.1`` is 1/10); a sympy object is kept."""
    if isinstance(value, sp.Basic):
        return value
    try:
        frac = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise WorkbenchError(f"{value!r} is not a number") from None
    return sp.Rational(frac.numerator, frac.denominator)


def to_probability(expr: sp.Expr, branches: dict[sp.Expr, sp.Symbol]) -> sp.Expr:
    r"""Replace every :math:`\sigma(u)` by its probability symbol.

    ``branches`` maps the argument ``u`` of each branch (``z``, ``x + kappa*y``, ``y``) to
    ``p``, ``a``, ``b``; :math:`\sigma(-u)` becomes ``1 - symbol``. A sigmoid of any other
    argument is an error (the expression is then not a function of ``p, a, b``).

    Examples
    --------
    >>> from workbench.rs._model.reward_model import z
    >>> to_probability(sigmoid(z) * sigmoid(-z), {z: P})
    p*(1 - p)
    """

    def swap(arg):
        for u, symbol in branches.items():
            if sp.expand(arg - u) == 0:
                return symbol
            if sp.expand(arg + u) == 0:
                return 1 - symbol
        raise WorkbenchError(f"sigmoid({arg}) is not one of the branch probabilities")

    out = expr.replace(lambda e: isinstance(e, sigmoid), lambda e: swap(e.args[0]))
    left = out.free_symbols & set(LOGITS)
    if left:
        raise WorkbenchError(f"after substitution the expression still depends on {sorted(map(str, left))}")
    return out


@dataclass(frozen=True)
class ProbabilityField:
    r"""The reduced vector field :math:`(\dot p, \dot a, \dot b)` derived from a flow and a model.

    Attributes
    ----------
    variant : str
        The flow's name (``gradient`` or ``replicator``).
    kappa, cost : sympy.Expr
        Exact values substituted (or the symbols themselves when left symbolic).
    logit_velocity : tuple of sympy.Expr
        :math:`(\dot z, \dot x, \dot y) = (\alpha_z r^z, \alpha_x r^x, \alpha_y r^y)` in ``p, a, b``.
    components : tuple of sympy.Expr
        :math:`(\dot p, \dot a, \dot b)`, factored.

    Examples
    --------
    >>> f = probability_field(GradientFlow())
    >>> f.components[0]
    alpha_z*p**2*(a - b)*(p - 1)**2
    """

    variant: str
    kappa: sp.Expr
    cost: sp.Expr
    logit_velocity: tuple
    components: tuple

    def jacobian(self) -> sp.Matrix:
        """Symbolic Jacobian of ``components`` with respect to ``(p, a, b)``."""
        return sp.Matrix(self.components).jacobian(sp.Matrix(COORDS))

    def numeric(self):
        """``f(p, a, b, alpha_z, alpha_x, alpha_y) -> [pdot, adot, bdot]`` (numpy)."""
        return sp.lambdify((*COORDS, *ALPHAS), list(self.components), "numpy")

    def describe(self) -> dict:
        return {"variant": self.variant, "kappa": str(self.kappa), "cost": str(self.cost)}


def probability_field(flow: Flow | None = None, model: RewardModel | None = None, *, kappa_value=0,
                      cost_value=0) -> ProbabilityField:
    r"""Derive :math:`(\dot p, \dot a, \dot b)` of the reduced system from ``flow.local_rates(model)``.

    Parameters
    ----------
    flow : Flow, default GradientFlow()
    model : RewardModel, default RewardModel.standard()
    kappa_value, cost_value : number, sympy expression or None
        Substituted exactly (decimals are read as fractions); ``None`` keeps the symbol.

    Examples
    --------
    >>> from workbench.rs._model.reward_model import ReplicatorFlow
    >>> probability_field(ReplicatorFlow()).components[1]
    a*alpha_x*p*(a - 1)**2
    """
    flow = flow or GradientFlow()
    model = model or RewardModel.standard()
    subs = {}
    if kappa_value is not None:
        subs[kappa] = as_rational(kappa_value)
    if cost_value is not None:
        subs[cost] = as_rational(cost_value)
    rates = [sp.sympify(r).subs(subs) for r in flow.local_rates(model)]
    logit_velocity = [alpha * r for alpha, r in zip(ALPHAS, rates)]
    branch_exprs = [sp.sympify(e).subs(subs) for e in (model.p, model.a, model.b)]
    branches = {}
    for e, symbol in zip(branch_exprs, COORDS):
        if not isinstance(e, sigmoid):
            raise WorkbenchError(f"the branch probability {e} is not a sigmoid of the logits")
        branches[e.args[0]] = symbol
    velocity = []
    for e in branch_exprs:
        d = sum(sp.diff(e, v) * lv for v, lv in zip(LOGITS, logit_velocity))
        velocity.append(sp.factor(sp.together(to_probability(d, branches))))
    lv = tuple(sp.factor(to_probability(v, branches)) for v in logit_velocity)
    return ProbabilityField(flow.name, subs.get(kappa, kappa), subs.get(cost, cost), lv, tuple(velocity))


# ---------------------------------------------------------------------------------------------
# Equilibrium sets by branching over factors
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EquilibriumSet:
    r"""A connected set of equilibria: some coordinates fixed, the others free in [0, 1].

    Attributes
    ----------
    fixed : dict
        Coordinate name -> value (a sympy expression in the free coordinates).
    free : tuple of str
        Free coordinates; ``len(free)`` is the dimension (0 point, 1 line, 2 face).
    """

    fixed: dict
    free: tuple

    @property
    def dimension(self) -> int:
        return len(self.free)

    def substitution(self) -> dict:
        names = dict(zip(COORD_NAMES, COORDS))
        return {names[k]: v for k, v in self.fixed.items()}

    def label(self) -> str:
        parts = [f"{k}={sp.sstr(v)}" for k, v in sorted(self.fixed.items(), key=lambda kv: COORD_NAMES.index(kv[0]))]
        kind = {0: "point", 1: "line", 2: "face", 3: "cube"}[self.dimension]
        free = f", {', '.join(f'{v} in [0,1]' for v in self.free)}" if self.free else ""
        return f"{kind} {{{', '.join(parts)}{free}}}"

    def latex(self) -> str:
        parts = [f"{k}={sp.latex(v)}" for k, v in sorted(self.fixed.items(), key=lambda kv: COORD_NAMES.index(kv[0]))]
        parts += [f"{v}\\in[0,1]" for v in self.free]
        return r"\{" + ",\\ ".join(parts) + r"\}"


def _numerators(components):
    return [sp.fraction(sp.together(c))[0] for c in components]


def _solve_factor(factor):
    """Solve one factor for a coordinate in which it is linear (p first), else any solution."""
    coords = [v for v in COORDS if factor.has(v)]
    for v in coords:
        if sp.Poly(factor, v).degree() == 1:
            return v, sp.solve(factor, v)
    v = coords[0]
    return v, sp.solve(factor, v)


def _branch(equations, assignment, out):
    eqs = [sp.factor(sp.together(e.subs(assignment))) for e in equations]
    eqs = [e for e in eqs if e != 0]
    if not eqs:
        out.append(dict(assignment))
        return
    e = eqs[0]
    _, factors = sp.factor_list(sp.fraction(e)[0])
    for fac, _mult in factors:
        if not any(fac.has(v) for v in COORDS):
            continue  # a parameter factor: alpha > 0, and numeric constants are non-zero
        var, sols = _solve_factor(fac)
        for s in sols:
            new = {k: sp.simplify(v.subs(var, s)) for k, v in assignment.items()}
            new[var] = sp.simplify(s)
            _branch(eqs[1:], new, out)


def _in_cube(values: dict, free) -> bool:
    """Does the set meet the closed cube? (sampled along the free coordinates, exact where fixed)"""
    import itertools

    grid = [sp.Rational(k, 8) for k in range(9)]
    for point in itertools.product(grid, repeat=len(free)):
        sub = dict(zip(free, point))
        vals = [v.subs(sub) for v in values.values()]
        if all(val.is_number and 0 <= val <= 1 for val in vals):
            return True
    return False


def _contains(big: EquilibriumSet, small: EquilibriumSet) -> bool:
    """``small`` is contained in ``big`` if ``big``'s defining equations vanish on ``small``."""
    sub = small.substitution()
    names = dict(zip(COORD_NAMES, COORDS))
    return all(sp.simplify((names[k] - v).subs(sub)) == 0 for k, v in big.fixed.items())


def equilibrium_sets(field: ProbabilityField) -> list[EquilibriumSet]:
    r"""Every maximal set of equilibria of ``field`` in the closed cube :math:`[0,1]^3` (RS8).

    Branches over the factors of each component's numerator, verifies each candidate by
    substitution into all three components, drops sets outside the cube, and keeps only
    maximal sets (a set contained in a bigger one is dropped).

    Examples
    --------
    >>> sets = equilibrium_sets(probability_field())
    >>> sorted(s.label() for s in sets)[0]
    'line {a=0, b=0, p in [0,1]}'
    """
    raw: list[dict] = []
    _branch(_numerators(field.components), {}, raw)
    names = dict(zip(COORDS, COORD_NAMES))
    cands = []
    for asg in raw:
        free = tuple(n for c, n in zip(COORDS, COORD_NAMES) if c not in asg)
        s = EquilibriumSet({names[k]: v for k, v in asg.items()}, free)
        if not verify_equilibrium(field, s):
            if _singular_on(field, s):
                continue  # a zero of a numerator where a denominator vanishes too: not in the domain
            raise WorkbenchError(f"branching produced {s.label()}, which is not an equilibrium set")
        if _in_cube(s.substitution(), [c for c in COORDS if names[c] in free]):
            cands.append(s)
    maximal = []
    for s in sorted(cands, key=lambda s: -s.dimension):
        if not any(_contains(m, s) for m in maximal):
            maximal.append(s)
    return sorted(maximal, key=lambda s: (-s.dimension, s.label()))


def _singular_on(field: ProbabilityField, eq_set: EquilibriumSet) -> bool:
    sub = eq_set.substitution()
    return any(sp.simplify(sp.fraction(sp.together(c))[1].subs(sub)) == 0 for c in field.components)


def verify_equilibrium(field: ProbabilityField, eq_set: EquilibriumSet) -> bool:
    """True if every component simplifies to 0 on the set (exact substitution)."""
    sub = eq_set.substitution()
    for c in field.components:
        num, den = sp.fraction(sp.together(c))
        if sp.simplify(den.subs(sub)) == 0 or sp.simplify(num.subs(sub)) != 0:
            return False
    return True


# ---------------------------------------------------------------------------------------------
# Stability
# ---------------------------------------------------------------------------------------------


def routh_hurwitz_3x3(jacobian: sp.Matrix) -> dict:
    r"""Routh–Hurwitz test for a 3x3 Jacobian.

    With :math:`\det(\lambda I - J) = \lambda^3 + a_1\lambda^2 + a_2\lambda + a_3`,
    :math:`a_1 = -\operatorname{tr} J`, :math:`a_2` = sum of the principal 2x2 minors,
    :math:`a_3 = -\det J`, all eigenvalues have negative real part iff
    :math:`a_1 > 0,\ a_3 > 0,\ a_1 a_2 > a_3`. If :math:`a_3 < 0` there is a positive real
    eigenvalue (the cubic is negative at 0 and tends to :math:`+\infty`).

    Examples
    --------
    >>> routh_hurwitz_3x3(sp.diag(-1, -2, -3))["stable"]
    True
    """
    J = sp.Matrix(jacobian)
    if J.shape != (3, 3):
        raise WorkbenchError("routh_hurwitz_3x3 needs a 3x3 matrix")
    a1 = sp.factor(-J.trace())
    a2 = sp.factor(sum(J.extract([i, j], [i, j]).det() for i, j in ((0, 1), (0, 2), (1, 2))))
    a3 = sp.factor(-J.det())
    lam = sp.Symbol("lambda")
    check = sp.cancel(sp.expand((lam * sp.eye(3) - J).det() - (lam**3 + a1 * lam**2 + a2 * lam + a3)))

    def positive(e):
        """True / False / None: is ``e`` > 0 (sympy's sign inference on the factored form)?"""
        e = sp.factor(sp.together(e))
        return True if e.is_positive else False if e.is_nonpositive else None

    vals = {"a1>0": positive(a1), "a3>0": positive(a3), "a1*a2-a3>0": positive(a1 * a2 - a3)}
    stable = True if all(v is True for v in vals.values()) else False if any(v is False for v in vals.values()) else None
    neg = sp.factor(sp.together(a3))
    negative_a3 = True if neg.is_negative else False if neg.is_nonnegative else None
    return {"a1": a1, "a2": a2, "a3": a3, "conditions": vals, "stable": stable,
            "positive_real_eigenvalue": negative_a3, "characteristic_polynomial_checked": check == 0}


@dataclass(frozen=True)
class NormalTerm:
    r"""Leading term :math:`c\,\delta^k` of the inward velocity of one fixed coordinate.

    ``delta >= 0`` measures the distance from the set into the cube (``w = delta`` on a face
    ``w = 0``, ``w = 1 - delta`` on ``w = 1``); the set attracts in this direction where
    ``c < 0`` and repels where ``c > 0``. ``sign_changes`` are the points along the set where
    ``c`` vanishes (the set changes character there).
    """

    coordinate: str
    value: sp.Expr
    order: int
    coefficient: sp.Expr
    character: str
    sign_changes: tuple

    def to_json(self) -> dict:
        return {"coordinate": self.coordinate, "at": str(self.value), "order": self.order,
                "coefficient": str(self.coefficient), "character": self.character,
                "sign_changes": [str(s) for s in self.sign_changes]}


def _sign_on_unit_interval(expr, free_syms):
    """'negative', 'positive', 'zero' or 'mixed' for expr on the open box (0,1)^free with alphas > 0."""
    expr = sp.simplify(expr)
    if expr == 0:
        return "zero", ()
    # Map (0,1) onto (0, inf): v = s/(1+s), s > 0, and ask sympy for the sign.
    pos = {v: sp.Symbol(f"s_{v}", positive=True) for v in free_syms}
    mapped = sp.factor(sp.together(expr.subs({v: pos[v] / (1 + pos[v]) for v in free_syms})))
    if mapped.is_positive:
        return "positive", ()
    if mapped.is_negative:
        return "negative", ()
    roots = ()
    if len(free_syms) == 1:
        v = free_syms[0]
        try:
            roots = tuple(r for r in sp.solve(sp.fraction(sp.together(expr))[0], v)
                          if r.is_number and r.is_real and 0 < r < 1)
        except NotImplementedError:
            roots = ()
        if roots:
            return "mixed", roots
        # no root inside: the sign is constant, read it at the midpoint (alphas = 1 if present)
        probe = expr.subs(v, sp.Rational(1, 2)).subs({al: 1 for al in ALPHAS})
        if probe.is_number:
            return ("positive" if probe > 0 else "negative"), ()
    return "mixed", roots


def normal_terms(field: ProbabilityField, eq_set: EquilibriumSet, max_order: int = 6) -> list[NormalTerm]:
    r"""Leading inward term of each fixed coordinate's velocity near ``eq_set``.

    The other fixed coordinates are kept on the set, the free ones symbolic; the velocity of
    the fixed coordinate ``w`` is expanded in the inward distance ``delta``. On a face value
    (0 or 1) the expansion is one-sided; an interior fixed value is expanded both ways.
    """
    names = dict(zip(COORD_NAMES, COORDS))
    comps = dict(zip(COORD_NAMES, field.components))
    free_syms = [names[v] for v in eq_set.free]
    out = []
    delta = sp.Symbol("delta", positive=True)
    for name, value in eq_set.fixed.items():
        w = names[name]
        others = {names[k]: v for k, v in eq_set.fixed.items() if k != name}
        if value == 0:
            sgn, wsub = 1, delta
        elif value == 1:
            sgn, wsub = -1, 1 - delta
        else:
            sgn, wsub = 1, value + delta
        vel = sp.together(sgn * comps[name].subs(others).subs(w, wsub))
        series = sp.series(vel, delta, 0, max_order + 1).removeO()
        poly = sp.Poly(sp.expand(series), delta)
        terms = sorted(poly.terms(), key=lambda t: t[0][0])
        terms = [(k[0], sp.factor(c)) for k, c in terms if sp.simplify(c) != 0]
        if not terms:
            out.append(NormalTerm(name, value, -1, sp.Integer(0), "degenerate (no term up to order %d)" % max_order, ()))
            continue
        order, coef = terms[0]
        sign, roots = _sign_on_unit_interval(coef, free_syms)
        two_sided = value not in (0, 1)
        if two_sided and order % 2 == 0:
            character = "semi-stable (even order, two-sided)"
        elif sign == "negative":
            character = "attracting"
        elif sign == "positive":
            character = "repelling"
        elif sign == "mixed" and roots:
            character = "changes character"
        else:
            character = "undetermined sign"
        out.append(NormalTerm(name, value, order, coef, character, roots))
    return out


@dataclass(frozen=True)
class SetStability:
    """Stability of one equilibrium set: eigenvalues plus leading normal terms (RS8)."""

    eq_set: EquilibriumSet
    eigenvalues: tuple
    hyperbolic_normal: bool
    normal: tuple
    verdict: str
    detail: str
    routh_hurwitz: dict | None = None

    def to_json(self) -> dict:
        return {
            "set": self.eq_set.label(),
            "fixed": {k: str(v) for k, v in self.eq_set.fixed.items()},
            "free": list(self.eq_set.free),
            "dimension": self.eq_set.dimension,
            "eigenvalues": [str(e) for e in self.eigenvalues],
            "normal_terms": [n.to_json() for n in self.normal],
            "verdict": self.verdict,
            "detail": self.detail,
            "routh_hurwitz": None if self.routh_hurwitz is None else {
                k: (str(v) if isinstance(v, sp.Basic) else v) for k, v in self.routh_hurwitz.items()},
        }


def classify_set(field: ProbabilityField, eq_set: EquilibriumSet) -> SetStability:
    r"""Eigenvalues of the Jacobian on the set and the character of each normal direction.

    ``verdict`` is ``attracting`` (every normal direction attracts along the whole set),
    ``repelling`` (every normal direction repels), ``saddle-type`` (some attract, some repel),
    or ``changes character at ...`` (a normal coefficient changes sign inside the set).
    Interior isolated points are classified by :func:`routh_hurwitz_3x3`.
    """
    J = field.jacobian().subs(eq_set.substitution())
    J = J.applyfunc(sp.factor)
    eig = tuple(sp.factor(e) for e in J.eigenvals(multiple=True))
    rh = None
    interior_point = eq_set.dimension == 0 and all(v not in (0, 1) for v in eq_set.fixed.values())
    if interior_point:
        rh = routh_hurwitz_3x3(J)
    normal = tuple(normal_terms(field, eq_set))
    chars = [n.character for n in normal]
    hyperbolic = all(sp.simplify(e) != 0 for e in eig)
    if rh is not None:
        verdict = "asymptotically stable" if rh["stable"] else ("unstable (saddle)" if rh["positive_real_eigenvalue"] else "undetermined")
    elif any(c == "changes character" for c in chars):
        where = "; ".join(f"{n.coordinate}-direction at {', '.join(f'{eq_set.free[0]}={sp.sstr(r)}' for r in n.sign_changes)}"
                          for n in normal if n.character == "changes character")
        verdict = f"changes character ({where})"
    elif all(c == "attracting" for c in chars):
        verdict = "attracting"
    elif all(c == "repelling" for c in chars):
        verdict = "repelling"
    elif any(c == "attracting" for c in chars) and any(c == "repelling" for c in chars):
        verdict = "saddle-type"
    else:
        verdict = "undetermined"
    pieces = []
    for n in normal:
        kind = "linear (eigenvalue)" if n.order == 1 else f"order {n.order} (eigenvalue 0)"
        pieces.append(f"{n.coordinate}: inward velocity {sp.sstr(n.coefficient)}*delta^{n.order}, {kind}, {n.character}")
    return SetStability(eq_set, eig, hyperbolic, normal, verdict, "; ".join(pieces), rh)


@dataclass(frozen=True)
class EquilibriumReport:
    """All maximal equilibrium sets of one variant with their stability."""

    field: ProbabilityField
    sets: tuple = field(default_factory=tuple)

    def to_json(self) -> dict:
        return {"field": self.field.describe(), "sets": [s.to_json() for s in self.sets]}


def equilibrium_report(field: ProbabilityField) -> EquilibriumReport:
    """:func:`equilibrium_sets` followed by :func:`classify_set` for each set."""
    return EquilibriumReport(field, tuple(classify_set(field, s) for s in equilibrium_sets(field)))
