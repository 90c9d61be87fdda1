"""Exact orbit votes of one split for many rewards at once (deterministic MDPs, few states).

The frontier asks for tens of orbit votes per split and criterion on MDPs of at most four
states; :func:`~workbench.power._orbits.votes.orbit_vote` pays its set-up per call. Here the
options of A and B are turned into integer *level vectors* once per split and criterion, and
every distinct arrangement ``r∘σ`` of every reward is evaluated by one integer matrix product:

* average: the RSD ``lim (1-γ) f(γ)``;
* discounted(γ): the visit distribution ``f(γ)`` at the rational γ;
* Blackwell: the first ``2n + 1`` Laurent coefficients of ``f`` in ``x = 1 - γ``, compared
  lexicographically. For two lassos on ``n`` states, ``r·(f - g)`` is a ratio of a polynomial of
  degree at most ``2n`` and ``(1-γ^{L_1})(1-γ^{L_2})``, so when it is not zero one of its Laurent
  coefficients ``c_{-1} .. c_{2n-2}`` is not zero (``2n`` terms; one spare).

Each term is scaled by a positive common denominator (so the order is kept) and rewards by the
lcm of theirs, so every comparison is between exact integers (``int64`` when the bound
``max|v| · max|r| · n`` fits in 62 bits, else Python integers). The counts are those of
:func:`orbit_vote` (``a_strict, b_strict, tie, orbit_size``; the orbit is the set of distinct
arrangements); the tests compare the two on every 3-state split.

References
----------
Turner et al. 2021 (OPTTSP), Def 6.5 (orbit votes); spec §1 (criteria, Laurent expansion).
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np

from workbench._errors import WorkbenchError

__all__ = ["split_votes", "level_terms", "MAX_FAST_STATES"]

#: Most states for which the arrangements are enumerated here (``n!`` rows per reward).
MAX_FAST_STATES = 7


def level_terms(f, criterion, n_states: int) -> list[tuple]:
    """The level vectors of one visit distribution under ``criterion`` (compared in order)."""
    name = criterion.name
    if name == "average":
        return [f.rsd()]
    if name == "discounted":
        return [f.at(criterion.gamma)]
    if name == "blackwell":
        return f.laurent(2 * n_states + 1)
    raise WorkbenchError(f"fast votes: unknown criterion {name!r}")


def _integer_matrix(rows):
    """Rows of Fractions scaled by one positive integer into Python ints."""
    den = 1
    for row in rows:
        for c in row:
            den = math.lcm(den, Fraction(c).denominator)
    return [[int(Fraction(c) * den) for c in row] for row in rows]


def split_votes(mdp, state, a, b, rewards, criterion) -> list[tuple]:
    """``[(a_strict, b_strict, tie, orbit_size), ...]``, one per reward, exact.

    Examples
    --------
    >>> from workbench.power import MDP
    >>> from workbench.power._visits.criteria import Average
    >>> m = MDP.from_successors({"start": ["candy", "wait"], "wait": ["chocolate", "hug"],
    ...     "candy": ["candy"], "chocolate": ["chocolate"], "hug": ["hug"]})
    >>> split_votes(m, "start", ["candy"], ["wait"], [[0, 0, 3, 2, 1]], Average())
    [(20, 40, 0, 60)]
    """
    from workbench.power._visits.visits import options

    n = mdp.n_states
    if n > MAX_FAST_STATES:
        raise WorkbenchError(f"fast votes: {n} states, more than {MAX_FAST_STATES}")
    fa, fb = options(mdp, state, a), options(mdp, state, b)
    terms_a = [level_terms(f, criterion, n) for f in fa]
    terms_b = [level_terms(f, criterion, n) for f in fb]
    T = len(terms_a[0])
    # one integer matrix per term: columns are A's options then B's
    mats, vmax = [], 0
    for j in range(T):
        cols = _integer_matrix([t[j] for t in terms_a] + [t[j] for t in terms_b])
        vmax = max([vmax] + [abs(c) for col in cols for c in col])
        mats.append(cols)
    na = len(fa)
    # rewards: distinct arrangements, scaled to integers
    blocks, sizes = [], []
    for r in rewards:
        rr = _integer_matrix([[Fraction(x) for x in r]])[0]
        arr = sorted(set(itertools.permutations(rr)))
        blocks.append(arr)
        sizes.append(len(arr))
    rows = [row for blk in blocks for row in blk]
    rmax = max((abs(x) for row in rows for x in row), default=0)
    dtype = np.int64 if (vmax * rmax * n) < 2**62 else object
    R = np.array(rows, dtype=dtype)
    best = []
    for side in (slice(0, na), slice(na, None)):
        mask = None
        top = []
        for M in mats:
            V = R @ np.array(M, dtype=dtype).T[:, side]  # rows x options
            if mask is not None:
                V = np.where(mask, V, V.min(axis=1, keepdims=True) if V.shape[1] else V)
                # masked-out options take the row minimum, which never exceeds the kept maximum
            m = V.max(axis=1)
            top.append(m)
            hit = V == m[:, None]
            mask = hit if mask is None else (mask & hit)
        best.append(top)
    # lexicographic comparison of A's and B's best term vectors
    sign = np.zeros(len(rows), dtype=np.int64)
    for ta, tb in zip(*best):
        d = np.sign((ta - tb).astype(object) if dtype is object else ta - tb).astype(np.int64)
        sign = np.where(sign == 0, d, sign)
    out, start = [], 0
    for size in sizes:
        s = sign[start:start + size]
        out.append((int((s > 0).sum()), int((s < 0).sum()), int((s == 0).sum()), size))
        start += size
    return out
