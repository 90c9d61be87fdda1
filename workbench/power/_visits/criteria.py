"""The three optimality criteria of spec §1, as sibling classes.

Each criterion turns a visit distribution ``f`` into *level vectors* ``w_0, w_1, ...`` so that
the value of ``f`` for reward ``r`` is the tuple ``(w_0·r, w_1·r, ...)`` compared
lexicographically:

``Average``      one level, the RSD ``lim (1-γ) f(γ)`` (transient reward ignored);
``Discounted(γ)`` one level, ``f(γ)`` exactly for rational γ;
``Blackwell``    the Laurent coefficients of ``f`` at γ → 1 (``x = 1 - γ``: ``c_{-1}, c_0, ...``),
                 enough of them to decide the sign of every difference exactly — the limit
                 γ → 1 of the discounted order, never a γ "close to 1" plugged in.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from workbench._errors import ResourceTooLarge, WorkbenchError
from workbench._numbers import parse_fraction

__all__ = ["Average", "Blackwell", "Discounted", "criterion_from_name", "MAX_BLACKWELL_WORK"]

#: Most exact operations the Blackwell criterion spends on Laurent coefficients (about
#: ``terms x len(denominator)`` per non-zero numerator plus the numerators' lengths, summed
#: over the options); a chain of about 300 states fits, one of 1,000 states does not.
MAX_BLACKWELL_WORK = 1_000_000


@dataclass(frozen=True)
class Average:
    """Average-reward (gain) optimality: compare ``RSD·r``; ties count as optimal.

    Examples
    --------
    >>> Average().name
    'average'
    """

    name = "average"

    def levels(self, visits) -> list[list[tuple]]:
        return [[f.rsd() for f in visits]]

    def hull_vector(self, f):
        return f.rsd()

    def describe(self) -> str:
        return "average reward (RSDs, transient reward ignored)"

    def to_json(self):
        return {"criterion": "average"}


@dataclass(frozen=True)
class Discounted:
    """Discounted optimality at a fixed ``0 <= γ < 1`` (exact for rational γ).

    Examples
    --------
    >>> Discounted(Fraction(9, 10)).gamma
    Fraction(9, 10)
    """

    gamma: Fraction
    name = "discounted"

    def __post_init__(self):
        from workbench.power._mdp.mdp import _short

        g = parse_fraction(self.gamma, name="gamma") if not isinstance(self.gamma, Fraction) else self.gamma
        if not 0 <= g < 1:
            shown = self.gamma if isinstance(self.gamma, str) else _short(g)
            raise WorkbenchError(f"gamma: the discounted criterion needs 0 <= gamma < 1, got {shown} (use --criterion average or blackwell for gamma -> 1)")
        object.__setattr__(self, "gamma", g)

    def levels(self, visits) -> list[list[tuple]]:
        return [[f.at(self.gamma) for f in visits]]

    def hull_vector(self, f):
        return f.at(self.gamma)

    def describe(self) -> str:
        return f"discounted, gamma = {self.gamma}"

    def to_json(self):
        return {"criterion": "discounted", "gamma": self.gamma}


@dataclass(frozen=True)
class Blackwell:
    """Blackwell optimality: the discounted order in the limit γ → 1 (Laurent expansion).

    Two rational functions ``f·r`` and ``g·r`` with denominators of degree ``≤ D`` and
    numerators of degree ``< D`` differ near γ = 1 in one of their first ``2D + 1`` Laurent
    coefficients, or not at all; so the lexicographic order on those coefficients is exact.
    """

    name = "blackwell"

    def levels(self, visits) -> list[list[tuple]]:
        if not visits:
            return [[]]
        terms = 2 * max(f.degree() for f in visits) + 1
        work = sum(sum(1 for n in f.numerators if n) * terms * len(f.denominator) + sum(map(len, f.numerators))
                   for f in visits)
        if work > MAX_BLACKWELL_WORK:
            raise ResourceTooLarge(
                f"the Blackwell criterion would need about {work:,} exact operations for {len(visits)} options "
                f"(rational functions of degree up to {terms // 2}), more than {MAX_BLACKWELL_WORK:,} "
                f"(MAX_BLACKWELL_WORK); use the average or discounted criterion")
        per = [f.laurent(terms) for f in visits]
        out = []
        for j in range(terms):
            level = [p[j] for p in per]
            if len(set(level)) > 1:  # a level where all options agree never decides
                out.append(level)
        return out or [[p[0] for p in per]]

    def hull_vector(self, f):
        # ND(F) does not depend on γ in (0, 1) (spec §1), so γ = 1/2 decides it
        return f.at(Fraction(1, 2))

    def describe(self) -> str:
        return "Blackwell (lexicographic Laurent coefficients at gamma -> 1)"

    def to_json(self):
        return {"criterion": "blackwell"}


def criterion_from_name(name: str, gamma=None):
    """``average`` | ``blackwell`` | ``discounted`` (needs ``gamma``)."""
    if name == "average":
        return Average()
    if name == "blackwell":
        return Blackwell()
    if name == "discounted":
        if gamma is None:
            raise WorkbenchError("--criterion discounted needs --gamma")
        return Discounted(parse_fraction(gamma, name="gamma"))
    raise WorkbenchError(f"unknown criterion {name!r} (average, blackwell or discounted)")
