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
from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from .._errors import WorkbenchError
from ._expression import lambdify_numeric, parse_expression, sigmoid

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
    def from_text(cls, text: str) -> "RewardModel":
        """A user-supplied ``J`` in ``p, a, b`` (and ``z, x, y, kappa, cost``), parsed safely.

        ``p = sigmoid(z)``, ``a = sigmoid(x + kappa*y)``, ``b = sigmoid(y)``.

        Examples
        --------
        >>> RewardModel.from_text("p*a + (1-p)*b - p/10").name
        'p*a + (1-p)*b - p/10'
        """
        base = cls.standard()
        names = {"p": base.p, "a": base.a, "b": base.b, "z": z, "x": x, "y": y, "kappa": kappa, "cost": cost}
        expr = parse_expression(text, names, what="reward expression")
        return cls(sp.sympify(expr), text.strip(), base.p, base.a, base.b)


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


class ReplicatorFlow(Flow):
    r"""Spec §2 ``replicator`` variant: the gradient divided by the metric :math:`(p(1-p), a, b)`.

    For the standard model: :math:`r^z = a - b`, :math:`r^x = p(1-a)`, :math:`r^y = (1-p)(1-b)`
    (the natural-gradient / replicator form in logit space).
    """

    name = "replicator"

    def local_rates(self, model):
        metric = (sp.diff(model.p, z), model.a, model.b)  # dp/dz = p(1-p)
        grads = GradientFlow().local_rates(model)
        return tuple(sp.expand(sp.expand(g) / m) for g, m in zip(grads, metric))


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
