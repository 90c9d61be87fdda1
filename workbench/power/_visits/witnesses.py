r"""Exact witnesses of non-domination: why each vector is, or is not, in ``ND(X)``.

``ND(X)`` is the set of elements of ``X`` that are the strict unique maximiser of ``r·x`` for
some reward vector ``r`` (spec §1), i.e. the vertices of :math:`\operatorname{conv}(X)`. For a
finite set of distinct vectors each element has exactly one of two witnesses:

- a **vertex** ``f`` has a rational reward ``r`` with :math:`r\cdot f > r\cdot g` for every other
  :math:`g \in X`;
- a **dominated** ``f`` has rational convex weights :math:`w_g \ge 0`, :math:`\sum_g w_g = 1`,
  over the *other* elements with :math:`\sum_g w_g\, g = f` (equality, not a componentwise bound:
  ``f`` lies in the convex hull of the others, the definition :func:`non_dominated` uses).

Candidates come from linear programmes (``scipy.optimize.linprog``); each is then made rational
(a reward is rounded to small denominators, the weights are re-solved exactly on the LP's
support) and verified in exact arithmetic. A vector for which neither witness verifies is
reported as undecided, never guessed.

References
----------
.. [1] Turner, Smith, Shah, Critch, Tadepalli, "Optimal Policies Tend To Seek Power",
   NeurIPS 2021, Def. 6.4 (non-dominated visit distributions).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from workbench.power._visits.visits import _exact_solution

__all__ = ["VertexWitness", "DominationWitness", "NonDominationWitnesses", "non_domination_witnesses"]

#: Denominators tried, in order, when a floating-point reward from the LP is made rational.
_DENOMINATORS = (1, 2, 6, 12, 60, 840, 10**4, 10**6, 10**9)


@dataclass(frozen=True)
class VertexWitness:
    """``vectors[index]`` is the strict unique maximum of ``reward · x`` over the vectors."""

    index: int
    reward: tuple[Fraction, ...]


@dataclass(frozen=True)
class DominationWitness:
    """``vectors[index] = sum_j weights[j] vectors[j]``: convex weights over the other vectors
    (``weights`` holds only the non-zero ones, as ``(j, w_j)`` pairs)."""

    index: int
    weights: tuple[tuple[int, Fraction], ...]


@dataclass(frozen=True)
class NonDominationWitnesses:
    """One witness per vector: ``vertices`` (``ND(X)``), ``dominated``, and the indices of
    ``undecided`` vectors (no witness verified exactly; empty in every case seen so far)."""

    vectors: tuple[tuple[Fraction, ...], ...]
    vertices: tuple[VertexWitness, ...]
    dominated: tuple[DominationWitness, ...]
    undecided: tuple[int, ...] = ()

    @property
    def non_dominated(self) -> list[int]:
        """Indices of the vectors with a verified vertex witness."""
        return sorted(w.index for w in self.vertices)

    def __repr__(self) -> str:
        return (f"NonDominationWitnesses({len(self.vectors)} vectors: {len(self.vertices)} vertices, "
                f"{len(self.dominated)} dominated, {len(self.undecided)} undecided)")


def _dot(r, v) -> Fraction:
    return sum((a * b for a, b in zip(r, v)), Fraction(0))


def _vertex_witness(X, i):
    """A rational reward making ``X[i]`` the strict unique maximum, or None. The LP asks for a
    margin of 1 with the least L1 norm, on the coordinates some vector uses (others stay 0), so
    the rewards are small and sparse and survive rounding to small denominators."""
    from scipy.optimize import linprog

    f = X[i]
    others = [g for j, g in enumerate(X) if j != i]
    cols = [c for c in range(len(f)) if any(v[c] for v in X)]
    D = np.array([[float(g[c] - f[c]) for c in cols] for g in others])
    # r = u - w with u, w >= 0; minimise sum(u + w) subject to D r <= -1
    res = linprog(np.ones(2 * len(cols)), A_ub=np.hstack([D, -D]), b_ub=-np.ones(len(others)),
                  bounds=(0, None), method="highs")
    if res.status != 0:
        return None
    x = res.x[:len(cols)] - res.x[len(cols):]
    for d in _DENOMINATORS:
        r = [Fraction(0)] * len(f)
        for c, val in zip(cols, x):
            r[c] = Fraction(float(val)).limit_denominator(d)
        top = _dot(r, f)
        if all(_dot(r, g) < top for g in others):
            return tuple(r)
    return None


def _domination_witness(X, i):
    """Exact convex weights ``((j, w_j), ...)`` over the others summing to ``X[i]``, or None."""
    from scipy.optimize import linprog

    f = X[i]
    other = [j for j in range(len(X)) if j != i]
    arr = np.array([[float(c) for c in X[j]] for j in other])
    A_eq = np.vstack([arr.T, np.ones(len(other))])
    b_eq = np.concatenate([[float(c) for c in f], [1.0]])
    res = linprog(np.zeros(len(other)), A_eq=A_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    if res.status != 0:
        return None
    support = [other[k] for k in np.flatnonzero(res.x > 1e-12)]
    if not support:
        return None
    M = [[X[j][c] for j in support] for c in range(len(f))] + [[Fraction(1)] * len(support)]
    lam = _exact_solution(M, list(f) + [Fraction(1)])
    if lam is None or any(x < 0 for x in lam):
        return None
    return tuple((j, w) for j, w in zip(support, lam) if w != 0)


def non_domination_witnesses(vectors) -> NonDominationWitnesses:
    r"""Exact witnesses of which vectors are in ``ND(X)`` (the vertices of ``conv(X)``).

    Parameters
    ----------
    vectors : sequence of sequences of rationals
        Distinct vectors of one length (for example the RSDs of a set of policies).

    Returns
    -------
    NonDominationWitnesses
        For each vertex ``f`` a rational ``r`` with :math:`r\cdot f > r\cdot g` for all other
        ``g``; for each dominated ``f`` exact convex weights over the others with
        :math:`\sum_g w_g g = f`. Every witness is verified in exact arithmetic here.

    Raises
    ------
    ValueError
        If two vectors are equal (pass distinct vectors: a duplicate is neither a strict unique
        maximum nor a convex combination of *different* vectors) or their lengths differ.

    Examples
    --------
    >>> from fractions import Fraction
    >>> w = non_domination_witnesses([(1, 0), (0, 1), (Fraction(1, 2), Fraction(1, 2))])
    >>> w.non_dominated
    [0, 1]
    >>> w.dominated[0].weights
    ((0, Fraction(1, 2)), (1, Fraction(1, 2)))

    References
    ----------
    .. [1] Turner et al., "Optimal Policies Tend To Seek Power", NeurIPS 2021, Def. 6.4.
    """
    X = tuple(tuple(Fraction(c) for c in v) for v in vectors)
    if len(set(X)) != len(X):
        raise ValueError("non_domination_witnesses: the vectors must be distinct; de-duplicate them first")
    if len({len(v) for v in X}) > 1:
        raise ValueError("non_domination_witnesses: the vectors have different lengths")
    if len(X) == 1:
        return NonDominationWitnesses(X, (VertexWitness(0, tuple(Fraction(0) for _ in X[0])),), ())
    vertices, dominated, undecided = [], [], []
    for i in range(len(X)):
        r = _vertex_witness(X, i)
        if r is not None:
            vertices.append(VertexWitness(i, r))
            continue
        w = _domination_witness(X, i)
        if w is not None:
            dominated.append(DominationWitness(i, w))
        else:
            undecided.append(i)
    return NonDominationWitnesses(X, tuple(vertices), tuple(dominated), tuple(undecided))
