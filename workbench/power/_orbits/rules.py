"""Decision rules behind one interface (RDSP §3 and Prop A.11 / Thm A.13).

A rule maps the option values ``v_c`` (``c`` in the full option set ``C = A ∪ B``) to the
probability ``P(X | C)`` of choosing an option in ``X``. An orbit vote under a rule compares
``P(A | C)`` with ``P(B | C)`` on each orbit element. RDSP Prop A.11: when ``φ_i·C = C`` and the
copies condition holds, ``≥^n_most`` carries over to these rules.

The options are the *distinct* option vectors under the criterion (for ``average``, the distinct
RSDs reachable with the given first actions; no dominance pruning is applied for these rules).
Every rule is a :class:`DecisionRule`: it has a ``name`` (what results and reports show), says
whether it is ``shift_invariant`` (adding a constant to every option's value changes nothing, so
states on which all options agree cannot matter), and gives ``choice_probability(VA, VB)``: the
per-row probabilities ``P(A|C)`` and ``P(B|C)`` for value matrices ``VA`` (rows × |A|) and ``VB``
(rows × |B|). ``compare`` returns the sign of ``P(A|C) - P(B|C)`` per row in floating point with
an absolute tolerance of ``1e-12``; orbit votes instead use :meth:`DecisionRule.set_signs`, which
decides every sign exactly: ``C`` is the *set* of options (an option in both A and B counts once,
as RDSP defines C), rows whose floating-point difference is at least ``1e-9`` keep its sign, and
the others are recomputed by :meth:`DecisionRule.exact_sign` (rational arithmetic with
``fractions`` for every rule but :class:`Boltzmann`, whose ties are decided by the
Lindemann–Weierstrass theorem and whose signs by mpmath at increasing precision). ``arithmetic``
says which. Rules defined by a choice distribution over the options implement
``probabilities(V)`` (rows × |C|) and ``exact_probabilities(values)`` (one row of Fractions) and
inherit the rest.

Examples
--------
>>> import numpy as np
>>> Boltzmann(1.0).choice_probability(np.array([[0.0]]), np.array([[0.0, 0.0]]))[1].round(4).tolist()
[0.6667]
>>> isinstance(IsOptimal(), DecisionRule), IsOptimal().name, Satisfice(1.5).shift_invariant
(True, 'optimal', False)

References
----------
Turner & Tadepalli 2022 (RDSP), §3 and Prop A.11 / Thm A.13.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from fractions import Fraction
from typing import ClassVar

import numpy as np

from workbench._errors import WorkbenchError
from workbench._numbers import parse_fraction, parse_int, parse_number

__all__ = ["DecisionRule", "IsOptimal", "FracOptimal", "AntiOpt", "Boltzmann", "BestOfK", "Satisfice", "UniformQuantiliser", "rule_from_spec",
           "MAX_BEST_OF"]

_TOL = 1e-12
#: Rows whose floating-point ``|P(A|C) - P(B|C)|`` is below this are decided exactly.
_EXACT_BAND = 1e-9
#: Largest ``k`` of ``bestof:k`` (beyond it the rule is IsOptimal up to rounding anyway).
MAX_BEST_OF = 1_000_000


def _sign(pA, pB):
    d = pA - pB
    return (d > _TOL).astype(np.int8) - (d < -_TOL).astype(np.int8)


class DecisionRule(abc.ABC):
    """What an orbit vote reads from a decision rule (RDSP §3).

    Subclasses set the class attribute ``name`` (a short string) and implement
    :meth:`choice_probability`; ``shift_invariant`` defaults to True. Rules whose choice is a
    distribution over the options implement ``probabilities(V)`` instead (as :class:`FracOptimal`).
    """

    #: Adding a constant to every option's value leaves the choice unchanged.
    shift_invariant: ClassVar[bool] = True

    @property
    @abc.abstractmethod
    def name(self) -> str:
        """Short name shown in results (``OrbitVote.rule``); a class attribute in subclasses."""

    @abc.abstractmethod
    def choice_probability(self, VA: np.ndarray, VB: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(P(A|C), P(B|C))`` per row for option values ``VA`` (rows × |A|), ``VB`` (rows × |B|)."""

    #: How :meth:`exact_sign` decides: ``"fractions"`` (exact rational arithmetic) or ``"mpmath"``.
    arithmetic: ClassVar[str] = "fractions"

    def compare(self, VA: np.ndarray, VB: np.ndarray) -> np.ndarray:
        """Sign of ``P(A|C) - P(B|C)`` per row (int8), with absolute tolerance 1e-12."""
        return _sign(*self.choice_probability(VA, VB))

    def set_probability(self, VC: np.ndarray, ia, ib) -> tuple[np.ndarray, np.ndarray]:
        """Floating-point ``(P(A|C), P(B|C))`` per row; ``VC`` holds the values of the option *set* C
        (rows × |C|) and ``ia``/``ib`` the columns of A's and B's options (they may share columns)."""
        return self.choice_probability(VC[:, list(ia)], VC[:, list(ib)])

    @abc.abstractmethod
    def exact_sign(self, values, ia, ib) -> int:
        """Exact sign of ``P(A|C) - P(B|C)`` for one row of option values (Fractions) of the set C."""

    def set_signs(self, VC: np.ndarray, ia, ib, exact_values) -> np.ndarray:
        """Exact signs per row: floating point where the difference is clear, else :meth:`exact_sign`.

        ``exact_values(i)`` returns row ``i`` of ``VC`` as exact Fractions.
        """
        pA, pB = self.set_probability(VC, ia, ib)
        d = pA - pB
        out = np.sign(d).astype(np.int8)
        close = np.flatnonzero(~(np.abs(d) >= _EXACT_BAND))
        for i in close:
            out[i] = self.exact_sign(exact_values(int(i)), ia, ib)
        return out


class _DistributionRule(DecisionRule):
    """A rule that chooses one option of C at random: ``P(X|C)`` sums the options of X."""

    @abc.abstractmethod
    def probabilities(self, V: np.ndarray) -> np.ndarray:
        """Per-row choice probability of each option (rows × |C|)."""

    def choice_probability(self, VA, VB):
        P = self.probabilities(np.concatenate([VA, VB], axis=1))
        return P[:, : VA.shape[1]].sum(axis=1), P[:, VA.shape[1]:].sum(axis=1)

    def set_probability(self, VC, ia, ib):
        P = self.probabilities(VC)
        return P[:, list(ia)].sum(axis=1), P[:, list(ib)].sum(axis=1)

    @abc.abstractmethod
    def exact_probabilities(self, values) -> list:
        """Exact choice probability of each option of C (Fractions) for one row of values."""

    def exact_sign(self, values, ia, ib) -> int:
        P = self.exact_probabilities(values)
        d = sum(P[i] for i in ia) - sum(P[i] for i in ib)
        return (d > 0) - (d < 0)


def _uniform_over(mask) -> list:
    if not any(mask):
        mask = [True] * len(mask)
    k = sum(mask)
    return [Fraction(1, k) if m else Fraction(0) for m in mask]


def _optimal_mask(V):
    best = V.max(axis=1, keepdims=True)
    return V >= best - _TOL * np.maximum(1, np.abs(best))


@dataclass(frozen=True)
class IsOptimal(DecisionRule):
    """``IsOptimal(X|C) = 1`` if some option in X is optimal within C (ties: both sides 1).

    The default rule of the orbit vote, which then compares the best values exactly.
    """

    name = "optimal"

    def choice_probability(self, VA, VB):
        mA, mB = VA.max(axis=1), VB.max(axis=1)
        return (mA >= mB).astype(float), (mB >= mA).astype(float)

    def compare(self, VA, VB):
        mA, mB = VA.max(axis=1), VB.max(axis=1)
        return (mA > mB).astype(np.int8) - (mA < mB).astype(np.int8)

    def exact_sign(self, values, ia, ib):
        mA, mB = max(values[i] for i in ia), max(values[i] for i in ib)
        return (mA > mB) - (mA < mB)


@dataclass(frozen=True)
class FracOptimal(_DistributionRule):
    """Fraction of C's optimal options that lie in X (uniform tie-breaking)."""

    name = "fracoptimal"

    def probabilities(self, V):
        m = _optimal_mask(V).astype(float)
        return m / m.sum(axis=1, keepdims=True)

    def exact_probabilities(self, values):
        best = max(values)
        return _uniform_over([v == best for v in values])


@dataclass(frozen=True)
class AntiOpt(DecisionRule):
    """Chooses a *worst* option (IsOptimal on ``-r``)."""

    name = "antiopt"

    def choice_probability(self, VA, VB):
        return IsOptimal().choice_probability(-VA, -VB)

    def compare(self, VA, VB):
        return IsOptimal().compare(-VA, -VB)

    def exact_sign(self, values, ia, ib):
        return IsOptimal().exact_sign([-v for v in values], ia, ib)


@dataclass(frozen=True)
class Boltzmann(_DistributionRule):
    """Softmax over option values with temperature ``T > 0``."""

    temperature: float = 1.0
    name = "boltzmann"
    arithmetic = "mpmath"

    def __post_init__(self):
        if not self.temperature > 0:
            raise WorkbenchError("boltzmann: temperature must be positive")

    def probabilities(self, V):
        Z = (V - V.max(axis=1, keepdims=True)) / self.temperature
        E = np.exp(Z)
        return E / E.sum(axis=1, keepdims=True)

    def exact_probabilities(self, values):  # pragma: no cover - irrational: exact_sign decides instead
        raise NotImplementedError("Boltzmann probabilities are irrational; use exact_sign")

    def exact_sign(self, values, ia, ib):
        """Sign of ``sum_{A} e^{v/T} - sum_{B} e^{v/T}`` (the common denominator Z is positive).

        Group the coefficients by value: by the Lindemann–Weierstrass theorem, exponentials of
        distinct rationals are linearly independent over the rationals, so the difference is zero
        exactly when every grouped coefficient is zero; otherwise mpmath evaluates it with a
        rigorous margin, doubling the precision until the sign is certain.
        """
        import mpmath

        coef = {}
        for i in ia:
            coef[values[i]] = coef.get(values[i], 0) + 1
        for i in ib:
            coef[values[i]] = coef.get(values[i], 0) - 1
        coef = {v: c for v, c in coef.items() if c}
        if not coef:
            return 0
        T = Fraction(self.temperature)
        top = max(coef)  # the largest term is e^0 = 1 exactly; the others are smaller
        exponents = {v: (v - top) / T for v in coef}
        weight = sum(abs(c) for c in coef.values())
        dps = 30
        while True:
            with mpmath.workdps(dps):
                total = mpmath.fsum(c * mpmath.exp(mpmath.mpf(exponents[v].numerator) / exponents[v].denominator)
                                    for v, c in coef.items())
                if abs(total) > weight * mpmath.mpf(10) ** (8 - dps):
                    return 1 if total > 0 else -1
            dps *= 2
            if dps > 100_000:
                raise WorkbenchError("boltzmann: could not decide the sign of P(A|C) - P(B|C) with 100,000 digits")


@dataclass(frozen=True)
class BestOfK(_DistributionRule):
    """Draw ``k`` options of C uniformly with replacement, choose the best (ties uniformly)."""

    k: int = 2
    name = "bestof"

    def __post_init__(self):
        if isinstance(self.k, bool) or not isinstance(self.k, (int, np.integer)) or not 1 <= self.k <= MAX_BEST_OF:
            raise WorkbenchError(f"bestof: k must be a whole number from 1 to {MAX_BEST_OF:,}, got {self.k!r}")

    def probabilities(self, V):
        n = V.shape[1]
        # for option c: lo = #options worse than c, hi = #options not better than c;
        # P(best of k draws has c's value) = (hi^k - lo^k) / n^k, shared by the hi - lo equals
        lo = (V[:, None, :] < V[:, :, None]).sum(axis=2).astype(float)
        hi = (V[:, None, :] <= V[:, :, None]).sum(axis=2).astype(float)
        if self.k * np.log2(max(n, 2)) < 1000:  # n^k fits a float: the historical formula
            return (hi ** self.k - lo ** self.k) / n ** self.k / (hi - lo)
        return ((hi / n) ** self.k - (lo / n) ** self.k) / (hi - lo)  # scaled: never inf / inf

    def exact_probabilities(self, values):
        n, k = len(values), int(self.k)
        out = []
        for v in values:
            lo = sum(1 for w in values if w < v)
            hi = sum(1 for w in values if w <= v)
            out.append(Fraction(hi ** k - lo ** k, n ** k * (hi - lo)))
        return out


@dataclass(frozen=True)
class Satisfice(_DistributionRule):
    """Uniform over the options with value ``>= t`` (none: uniform over C)."""

    threshold: float = 0.0
    name = "satisfice"
    shift_invariant = False

    def probabilities(self, V):
        m = (V >= self.threshold).astype(float)
        empty = m.sum(axis=1) == 0
        m[empty] = 1.0
        return m / m.sum(axis=1, keepdims=True)

    def exact_probabilities(self, values):
        t = Fraction(self.threshold)
        return _uniform_over([v >= t for v in values])


@dataclass(frozen=True)
class UniformQuantiliser(_DistributionRule):
    """Uniform over the top ``q`` fraction of C's options by value: ``k = ceil(q |C|)`` options
    (at least one); options tied at the boundary value share the remaining mass equally, so the
    rule depends only on the multiset of values (permutation-equivariant, as RDSP Prop A.11 needs).

    Examples
    --------
    >>> import numpy as np
    >>> UniformQuantiliser(1 / 3).probabilities(np.array([[0.0, 0.0, 0.0]])).round(4).tolist()
    [[0.3333, 0.3333, 0.3333]]
    """

    q: float = 0.5
    name = "quantiliser"

    def probabilities(self, V):
        n = V.shape[1]
        k = max(1, int(np.ceil(self.q * n)))
        boundary = -np.sort(-V, axis=1)[:, k - 1:k]
        above = (V > boundary).astype(float)
        tied = (V == boundary).astype(float)
        left = k - above.sum(axis=1, keepdims=True)
        return (above + tied * left / tied.sum(axis=1, keepdims=True)) / k

    def exact_probabilities(self, values):
        n = len(values)
        k = max(1, int(np.ceil(self.q * n)))  # the same k as the floating-point path
        boundary = sorted(values, reverse=True)[k - 1]
        above = sum(1 for v in values if v > boundary)
        tied = sum(1 for v in values if v == boundary)
        return [Fraction(1, k) if v > boundary else Fraction(k - above, k * tied) if v == boundary else Fraction(0)
                for v in values]


def rule_from_spec(text: str) -> DecisionRule:
    """``optimal | fracoptimal | antiopt | boltzmann:T | bestof:K | satisfice:T | quantiliser:Q``.

    Examples
    --------
    >>> rule_from_spec("optimal"), rule_from_spec("boltzmann:1/2")
    (IsOptimal(), Boltzmann(temperature=0.5))
    """
    name, _, arg = str(text).partition(":")
    if name == "optimal" and not arg:
        return IsOptimal()
    if name == "fracoptimal" and not arg:
        return FracOptimal()
    if name == "antiopt" and not arg:
        return AntiOpt()
    if name == "boltzmann" and arg:
        return Boltzmann(parse_number(arg, name="boltzmann temperature", positive=True))
    if name == "bestof" and arg:
        return BestOfK(parse_int(arg, name="bestof k", minimum=1, maximum=MAX_BEST_OF))
    if name == "satisfice" and arg:
        return Satisfice(parse_number(arg, name="satisfice threshold"))
    if name == "quantiliser" and arg:
        q = parse_fraction(arg, name="quantiliser q")
        if not 0 < q <= 1:
            raise WorkbenchError("quantiliser: q must be in (0, 1]")
        return UniformQuantiliser(float(q))
    raise WorkbenchError(f"--rule {text!r}: use optimal, fracoptimal, antiopt, boltzmann:T, bestof:K, satisfice:T or quantiliser:Q")
