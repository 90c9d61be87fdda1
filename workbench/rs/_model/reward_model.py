r"""The reward-seeking model, defined once as a sympy expression (spec ``reward_seeking.md`` §1–2).

Per environment there are three logits: ``z`` (propensity to reason about reward,
:math:`p = \sigma(z)`), ``x`` (skill of the reward-seeking branch, :math:`a = \sigma(x + \kappa y)`)
and ``y`` (skill of the local branch, :math:`b = \sigma(y)`). The expected reward is

.. math:: J(z, x, y) = p\,(a - \mathrm{cost}) + (1 - p)\,b .

With ``kappa = cost = 0`` this is the seed's model; ``kappa`` is the footnote-4 variant and
``cost`` the cost on the reward-seeking branch asked for in a comment on the seed. A flow turns
``J`` into local rates :math:`(r^z, r^x, r^y)` by differentiation (:class:`GradientFlow`) or
by a preconditioned differentiation (:class:`ReplicatorFlow`); the simulation and the symbolic
analysis both use the rates built here, so they cannot drift apart.

Reference: seed ``000_4031b431634692df.txt``, "A mathematical toy model for behavioral selection".
"""

from __future__ import annotations

import functools
import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from workbench._errors import InvalidExpression, WorkbenchError
from workbench.rs._model.expression import lambdify_numeric, parse_expression, sigmoid

z, x, y = sp.symbols("z x y", real=True)
kappa, cost = sp.symbols("kappa cost", real=True)
LOGITS = (z, x, y)
PARAMETERS = (kappa, cost)
VARIABLE_NAMES = ("z", "x", "y")


@dataclass(frozen=True)
class RewardModel:
    r"""The per-environment expected reward :math:`J(z, x, y; \kappa, \mathrm{cost})`.

    Parameters
    ----------
    expression : sympy.Expr
        ``J`` in the logits ``z, x, y`` and the parameters ``kappa, cost``.
    name : str
        Shown in reports.
    p, a, b : sympy.Expr
        The branch probabilities (propensity, reward-seeking skill, local skill) as
        expressions in the logits; :class:`ReplicatorFlow` and the analysis use them.

    Examples
    --------
    >>> m = RewardModel.standard()
    >>> m.expression
    (-cost + sigmoid(kappa*y + x))*sigmoid(z) + sigmoid(y)*sigmoid(-z)
    """

    expression: sp.Expr
    name: str = "standard"
    p: sp.Expr = field(default=sigmoid(z))
    a: sp.Expr = field(default=sigmoid(x + kappa * y))
    b: sp.Expr = field(default=sigmoid(y))

    def __post_init__(self):
        if not isinstance(self.expression, sp.Expr):
            raise WorkbenchError("RewardModel.expression must be a sympy expression")
        extra = self.expression.free_symbols - set(LOGITS) - set(PARAMETERS)
        if extra:
            names = ", ".join(sorted(map(str, extra)))
            raise WorkbenchError(f"reward expression uses unknown symbols {names}; allowed: z, x, y, kappa, cost")
        if not self.expression.free_symbols & set(LOGITS):
            raise WorkbenchError("reward expression does not depend on z, x or y")

    @classmethod
    def standard(cls) -> "RewardModel":
        """Spec §1 with the footnote-4 ``kappa`` and the ``cost`` variants as parameters."""
        p, a, b = sigmoid(z), sigmoid(x + kappa * y), sigmoid(y)
        # 1 - p is written sigmoid(-z): same function, full precision for large z.
        return cls(p * (a - cost) + sigmoid(-z) * b, "standard", p, a, b)

    @classmethod
    def from_text(cls, text: str, *, what: str = "reward expression") -> "RewardModel":
        """A user-supplied ``J`` in ``p, a, b`` (and ``z, x, y, kappa, cost``), parsed safely.

        ``p = sigmoid(z)``, ``a = sigmoid(x + kappa*y)``, ``b = sigmoid(y)``. ``J`` must be a
        finite real number in [-1, 1] wherever ``p, a, b`` lie in [0, 1] (checked on a grid of the
        cube, with ``kappa = cost = 0``, see :meth:`check_on_cube`); ``what`` names it in messages.

        Examples
        --------
        >>> RewardModel.from_text("p*a + (1-p)*b - p/10").name
        'p*a + (1-p)*b - p/10'
        """
        base = cls.standard()
        names = {"p": base.p, "a": base.a, "b": base.b, "z": z, "x": x, "y": y, "kappa": kappa, "cost": cost}
        expr = parse_expression(text, names, what=what)
        if not isinstance(expr, sp.Expr) or not expr.free_symbols & set(LOGITS):
            raise InvalidExpression(f"{what}: J does not depend on p, a, b (or z, x, y)")
        model = cls(sp.sympify(expr), text.strip(), base.p, base.a, base.b)
        model.check_on_cube(what=what)
        return model

    def check_on_cube(self, kappa: float = 0.0, cost: float = 0.0, *, what: str | None = None) -> None:
        """Refuse a ``J`` that is not a finite real number in ``[-1, 1]`` on the cube.

        An expected reward is at most 1; it is negative only through a cost, which is below 1
        (``p*(a - 1/10) + (1-p)*b`` is the model with ``cost = 0.1``). ``J`` is evaluated as the simulation evaluates it, on a grid of ``p, a, b`` in [0, 1]
        that includes the corners (logits of +-800 give probabilities of exactly 1 and, to within
        1e-300, 0). Raises :class:`InvalidExpression` saying where it fails.
        """
        if self.name == "standard":
            return
        _check_on_cube(self, float(kappa), float(cost), what or f"reward expression {self.name!r}")

class Flow:
    """How the local rates follow from ``J``; subclasses are the named variants."""

    name: str = "flow"

    def local_rates(self, model: RewardModel) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def __eq__(self, other):
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self))


class GradientFlow(Flow):
    r"""Spec §2 default: :math:`r^k = \partial J / \partial k` for ``k`` in ``z, x, y``.

    For the standard model this gives :math:`r^z = p(1-p)(a-b)`, :math:`r^x = p\,a(1-a)`,
    :math:`r^y = (1-p)\,b(1-b)`.
    """

    name = "gradient"

    def local_rates(self, model):
        return tuple(sp.diff(model.expression, v) for v in LOGITS)


#: Most terms the replicator variant may expand its three derivatives into (see
#: :func:`expanded_terms_bound`); expanding and compiling 600 terms takes about two seconds.
MAX_EXPANDED_TERMS = 600


def _count(n: int) -> str:
    return f"{n:,}" if n < 10**12 else f"about 10^{len(str(n)) - 1}"


def expanded_terms_bound(expr: sp.Expr) -> int:
    """An upper bound on the number of terms of ``sympy.expand(expr)``, computed without expanding.

    Sums add, products multiply, a positive integer power ``n`` of ``t`` terms has at most
    ``C(n + t - 1, t - 1)``; function arguments are expanded separately and add their own terms.

    >>> p, a = sp.symbols("p a")
    >>> expanded_terms_bound((p + a)**3 * (p + 1))
    8
    """
    inner = 0

    def terms(e) -> int:
        nonlocal inner
        if e.is_Add:
            return sum(terms(arg) for arg in e.args)
        if e.is_Mul:
            out = 1
            for arg in e.args:
                out *= terms(arg)
            return out
        if e.is_Pow:
            t = terms(e.base)
            if e.exp.is_Integer and e.exp > 0:
                return math.comb(int(e.exp) + t - 1, t - 1)
            inner += t
            return 1
        if isinstance(e, sp.Function):
            inner += sum(terms(arg) for arg in e.args)
        return 1

    top = terms(expr)
    return top + inner


class ReplicatorFlow(Flow):
    r"""Spec §2 ``replicator`` variant: the gradient divided by the metric :math:`(p(1-p), a, b)`.

    For the standard model: :math:`r^z = a - b`, :math:`r^x = p(1-a)`, :math:`r^y = (1-p)(1-b)`
    (the natural-gradient / replicator form in logit space).
    """

    name = "replicator"

    def local_rates(self, model):
        metric = (sp.diff(model.p, z), model.a, model.b)  # dp/dz = p(1-p)
        grads = GradientFlow().local_rates(model)
        terms = sum(expanded_terms_bound(g) for g in grads)  # refuse before sympy multiplies out
        if terms > MAX_EXPANDED_TERMS:
            raise InvalidExpression(f"reward expression {model.name!r}: too large for the replicator variant "
                                    f"(its expanded derivatives could have {_count(terms)} terms, at most "
                                    f"{MAX_EXPANDED_TERMS:,}); use the gradient variant or a smaller J")
        return tuple(sp.expand(sp.expand(g) / m) for g, m in zip(grads, metric))


#: Probabilities of the cube grid (the corners and the centre included).
_CUBE = (0.0, 1e-6, 0.1, 0.25, 0.5, 0.75, 0.9, 1 - 1e-6, 1.0)
_CUBE_TOLERANCE = 1e-9


def _logit(q: float) -> float:
    if q <= 0.0:
        return -800.0  # beyond the clip of the numeric sigmoid: p is 0 to within 1e-300
    if q >= 1.0:
        return 800.0
    return math.log(q) - math.log1p(-q)


@functools.lru_cache(maxsize=64)
def _check_on_cube(model: RewardModel, kappa_value: float, cost_value: float, what: str) -> None:
    u = np.array([_logit(q) for q in _CUBE])
    P, A, B = np.meshgrid(np.arange(len(_CUBE)), np.arange(len(_CUBE)), np.arange(len(_CUBE)), indexing="ij")
    zz, yy = u[P], u[B]
    xx = u[A] - kappa_value * yy  # so that a = sigmoid(x + kappa*y) runs over the grid too
    f = lambdify_numeric((*LOGITS, *PARAMETERS), model.expression)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            values = np.broadcast_to(np.asarray(f(zz, xx, yy, kappa_value, cost_value)), zz.shape)
        except (ArithmeticError, TypeError, ValueError) as exc:
            raise InvalidExpression(f"{what}: J cannot be evaluated on p, a, b in [0, 1] ({type(exc).__name__})") from None
    complex_part = np.abs(np.imag(values)) if np.iscomplexobj(values) else np.zeros(values.shape)
    real = np.real(values).astype(float)
    bad_value = ~np.isfinite(real) | (complex_part > 0)
    excess = np.where(bad_value, -np.inf, np.abs(real) - 1.0)  # how far outside [-1, 1]
    for mask, problem in ((bad_value, "not a finite real number"), (excess > _CUBE_TOLERANCE, "outside [-1, 1]")):
        if mask.any():
            # the worst point: non-finite, then the largest imaginary part or distance outside
            badness = np.where(~np.isfinite(real), np.inf, complex_part) if problem[0] == "n" else excess
            i = np.unravel_index(np.argmax(badness), badness.shape)
            shown = values[i]
            shown = f"{shown.real:.6g}{shown.imag:+.6g}j" if complex_part[i] > 0 else f"{float(np.real(shown)):.6g}"
            where = ", ".join(f"{n}={_CUBE[int(k)]:g}" for n, k in zip("pab", i))
            raise InvalidExpression(f"{what}: J is {problem} at {where} (J = {shown}); J must be a real number "
                                    f"in [-1, 1] (an expected reward, less a cost below 1) for every p, a, b in [0, 1]")


FLOWS: dict[str, Flow] = {"gradient": GradientFlow(), "replicator": ReplicatorFlow()}


def flow_by_name(name: str) -> Flow:
    try:
        return FLOWS[name]
    except KeyError:
        raise WorkbenchError(f"unknown variant {name!r}; choose one of {', '.join(FLOWS)}") from None


@dataclass(frozen=True)
class CompiledModel:
    """Numeric functions lambdified from one (model, flow) pair.

    ``rates(z, x, y, kappa, cost)`` returns the three local rates, ``reward`` gives ``J`` and
    ``propensity`` gives ``p``; all are vectorized over numpy arrays of any shape.
    """

    model: RewardModel
    flow: Flow
    rate_expressions: tuple[sp.Expr, sp.Expr, sp.Expr]
    rates: object
    reward: object
    propensity: object

    def __repr__(self):
        return f"CompiledModel({self.model.name!r}, {self.flow.name!r})"


@functools.lru_cache(maxsize=32)
def compile_model(model: RewardModel | None = None, flow: Flow | None = None) -> CompiledModel:
    """Derive the rates of ``flow`` from ``model`` with sympy and lambdify them (cached)."""
    model = model or RewardModel.standard()
    flow = flow or GradientFlow()
    exprs = flow.local_rates(model)
    args = (*LOGITS, *PARAMETERS)
    rate_fn = lambdify_numeric(args, list(exprs))
    reward_fn = lambdify_numeric(args, model.expression)
    prop_fn = lambdify_numeric(args, model.p)

    def as_array(fn):
        def call(*values):
            out = fn(*values)
            shape = np.broadcast_shapes(*(np.shape(v) for v in values))
            return np.broadcast_to(np.asarray(out, dtype=float), shape)

        return call

    def rates(*values):
        shape = np.broadcast_shapes(*(np.shape(v) for v in values))
        return [np.broadcast_to(np.asarray(r, dtype=float), shape) for r in rate_fn(*values)]

    return CompiledModel(model, flow, tuple(exprs), rates, as_array(reward_fn), as_array(prop_fn))
