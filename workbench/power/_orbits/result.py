"""The result of an orbit vote (:class:`OrbitVote`), the size of an orbit and the Wilson interval."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from workbench._numbers import format_fraction
from workbench.power._orbits.counting import _count_text
from workbench.power._orbits.methods import VoteMethod

__all__ = ["OrbitVote", "orbit_size", "wilson_interval"]


@dataclass(frozen=True)
class OrbitVote:
    """Result of an orbit vote (RDSP Thm D.11; spec §2).

    ``a_strict + b_strict + tie == orbit_size`` for ``method == VoteMethod.EXACT``; for
    ``VoteMethod.SAMPLED`` the three counts are over ``samples`` uniform draws from the orbit and
    ``ci`` is the Wilson 95% interval for the weak fraction of A. ``method`` may be given as the
    strings ``"exact"`` / ``"sampled"``.

    Examples
    --------
    >>> OrbitVote(20, 40, 0, 60, "average reward")
    OrbitVote(A 20 | B 40 | tie 0 of 60 distinct orbit elements; weak fraction B >= A 2/3; average reward, rule optimal, exact)
    >>> print(OrbitVote(20, 40, 0, 60, "average reward")._repr_html_())  # doctest: +ELLIPSIS
    <table>...<td>B strictly better</td><td>40</td>...</table>
    """

    a_strict: int
    b_strict: int
    tie: int
    orbit_size: int
    criterion: str
    method: VoteMethod = VoteMethod.EXACT
    ci: tuple | None = None
    samples: int | None = None
    rule: str = "optimal"
    domain: str = "states"
    relevant: tuple = ()
    reduction: str = ""

    def __post_init__(self):
        object.__setattr__(self, "method", VoteMethod(self.method))

    def __repr__(self) -> str:
        over = (f"{_count_text(self.orbit_size)} distinct orbit elements" if self.method is VoteMethod.EXACT
                else f"{self.total} uniform samples")
        weak = self.weak_fraction_b
        weak = format_fraction(weak) if isinstance(weak, Fraction) else f"{weak:.6g}"
        ci = f", 95% CI for A [{self.ci[0]:.4g}, {self.ci[1]:.4g}]" if self.ci else ""
        return (f"OrbitVote(A {self.a_strict} | B {self.b_strict} | tie {self.tie} of {over}; "
                f"weak fraction B >= A {weak}{ci}; {self.criterion}, rule {self.rule}, {self.method})")

    def _repr_html_(self) -> str:
        def frac(x):
            return format_fraction(x, decimal=True) if isinstance(x, Fraction) else f"{x:.6g}"

        rows = [("A strictly better", self.a_strict), ("B strictly better", self.b_strict), ("tie", self.tie),
                ("orbit size", self.orbit_size), ("weak fraction A >= B", frac(self.weak_fraction_a)),
                ("weak fraction B >= A", frac(self.weak_fraction_b))]
        if self.ci:
            rows.append(("95% Wilson interval (A)", f"[{self.ci[0]:.6g}, {self.ci[1]:.6g}]"))
        rows += [("criterion", self.criterion), ("rule", self.rule), ("method", str(self.method)),
                 ("counted over", self.to_json()["counted_over"]), ("how", self.reduction)]
        return _html_table("Orbit vote", rows)

    @property
    def total(self) -> int:
        return self.a_strict + self.b_strict + self.tie

    @property
    def weak_fraction_a(self):
        """``(a_strict + tie) / |orbit|`` exactly (a float estimate when sampled)."""
        if self.method == "exact":
            return Fraction(self.a_strict + self.tie, self.orbit_size)
        return (self.a_strict + self.tie) / self.total

    @property
    def weak_fraction_b(self):
        if self.method == "exact":
            return Fraction(self.b_strict + self.tie, self.orbit_size)
        return (self.b_strict + self.tie) / self.total

    def meets(self, n: int, favoured: str = "b") -> bool:
        """``#favoured strictly better >= n * #other strictly better`` (spec §2, ``≥^n_most``)."""
        if favoured == "b":
            return self.b_strict >= n * self.a_strict
        return self.a_strict >= n * self.b_strict

    def to_json(self) -> dict:
        return {
            "a_strict": self.a_strict,
            "b_strict": self.b_strict,
            "tie": self.tie,
            "orbit_size": self.orbit_size,
            "weak_fraction_a": self.weak_fraction_a,
            "weak_fraction_b": self.weak_fraction_b,
            "criterion": self.criterion,
            "rule": self.rule,
            "method": self.method.value,
            "ci": list(self.ci) if self.ci is not None else None,
            "samples": self.samples,
            "domain": self.domain,
            "counted_over": "distinct orbit elements" if self.method == "exact" else "uniform samples from the orbit",
            "relevant_states": list(self.relevant),
            "reduction": self.reduction,
        }


def orbit_size(values) -> int:
    """Number of distinct permutations of ``values``: ``n! / prod m_k!``.

    Examples
    --------
    >>> orbit_size([0, 0, 1])
    3
    """
    out = math.factorial(len(values))
    for m in Counter(values).values():
        out //= math.factorial(m)
    return out


def wilson_interval(successes: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (95% by default)."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def _html_table(title: str, rows) -> str:
    """A two-column HTML table (for notebooks), every cell escaped."""
    from html import escape

    body = "".join(f"<tr><td>{escape(str(k))}</td><td>{escape(str(v))}</td></tr>" for k, v in rows)
    return f"<table><caption>{escape(title)}</caption>{body}</table>"
