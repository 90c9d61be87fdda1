"""Closed forms of orbit votes under the optimal rule (exact counts without enumeration).

* every option is ``c·e_x`` on the relevant states (one state each, the same ``c``): the options
  are exchangeable single-state blocks, counted by a dynamic programme over the value types;
* with distinct reward values, options may also share a per-side part on a few *hub* states:
  hub values are enumerated and the blocks are counted by rank.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np

__all__: list = []


def _block_form(levels, nA, relevant):
    """If every option is ``c·e_x`` on the relevant states (same ``c`` for all options, first
    non-zero ``c`` positive) with A's and B's states disjoint, return (X_A, X_B); else None."""
    per_option_state = []
    coeff = None
    nopt = len(levels[0])
    for o in range(nopt):
        x_found = None
        cs = []
        for level in levels:
            nz = [j for j in relevant if level[o][j] != 0]
            if len(nz) > 1:
                return None
            if nz:
                if x_found is not None and nz[0] != x_found:
                    return None
                x_found = nz[0]
                cs.append(level[o][nz[0]])
            else:
                cs.append(Fraction(0))
        if x_found is None:
            return None
        if coeff is None:
            coeff = cs
        elif cs != coeff:
            return None
        per_option_state.append(x_found)
    lead = next((c for c in coeff if c != 0), 0)
    if lead <= 0:
        return None
    XA, XB = set(per_option_state[:nA]), set(per_option_state[nA:])
    if XA & XB or XA | XB != set(relevant):
        return None
    return XA, XB


def _hub_block_form(levels, nA, relevant):
    """Options = (a part shared by every option of the same side, on *hub* states) + ``c·e_x``
    with ``x`` in a block and ``c`` (per level) the same for every option, first non-zero ``c``
    positive; A's and B's block states disjoint. Returns (XA, XB, hubs, uA, uB, c) or None."""
    nopt = len(levels[0])
    sides = (range(nA), range(nA, nopt))
    hubs = [j for j in relevant if all(len({level[o][j] for o in side}) == 1 for level in levels for side in sides)]
    block = [j for j in relevant if j not in hubs]
    if not block:
        return None
    xs, coeff = [], None
    for o in range(nopt):
        nz = {j for level in levels for j in block if level[o][j] != 0}
        if len(nz) != 1:
            return None
        x = nz.pop()
        cs = [level[o][x] for level in levels]
        if coeff is None:
            coeff = cs
        elif cs != coeff:
            return None
        xs.append(x)
    if next((c for c in coeff if c != 0), 0) <= 0:
        return None
    XA, XB = set(xs[:nA]), set(xs[nA:])
    if XA & XB or XA | XB != set(block) or len(XA) != nA or len(XB) != nopt - nA:
        return None
    uA = [[level[0][j] for j in hubs] for level in levels]
    uB = [[level[nA][j] for j in hubs] for level in levels]
    return XA, XB, hubs, uA, uB, coeff


def _hub_block_counts(reward, XA, XB, hubs, uA, uB, coeff, max_hub_assignments=200_000):
    """Exact counts for the hub + block form when all reward values are distinct.

    For each ordered assignment of values to the hub states, the remaining values (sorted,
    ``w_0 < w_1 < ...``) fill ``a`` A-slots, ``b`` B-slots and ``c`` other slots; the number of
    assignments with A's maximum ``w_i`` and B's maximum ``w_j`` is
    ``a! b! c! · C(j, b-1) C(i-b, a-1)`` for ``i > j`` (and symmetrically), and the comparison
    only depends on the hub values and ``(w_i, w_j)``. Returns None if too many hub assignments.
    """
    n = len(reward)
    h = len(hubs)
    if math.perm(n, h) > max_hub_assignments:
        return None
    a, b = len(XA), len(XB)
    R = n - h
    c = R - a - b
    i = np.arange(R)[:, None]
    j = np.arange(R)[None, :]
    combs = np.vectorize(math.comb, otypes=[object])
    N = np.where(i > j, combs(j, b - 1) * combs(np.maximum(i - b, 0), a - 1),
                 np.where(i < j, combs(i, a - 1) * combs(np.maximum(j - a, 0), b - 1), 0))
    N = N.astype(object)
    if max(N.ravel()) * R * R < 2**62:
        N = N.astype(np.int64)
    K = math.factorial(a) * math.factorial(b) * math.factorial(c)
    den = 1
    for v in list(reward) + [x for lv in uA + uB for x in lv] + list(coeff):
        den = math.lcm(den, Fraction(v).denominator)
    vals = sorted(reward)
    cints = [int(Fraction(cl) * den) for cl in coeff]
    big = max(abs(int(x * den)) for x in vals) * (max(abs(x) for x in cints) + 1) * den * (h + 2) * 4
    wtype = np.int64 if big < 2**62 else object
    total = [0, 0, 0]
    for hub_vals in itertools.permutations(range(n), h):
        rest = [vals[k] for k in range(n) if k not in hub_vals]
        w = np.array([int(x * den) for x in rest], dtype=wtype)
        sign = np.zeros((R, R), dtype=np.int8)
        undecided = np.ones((R, R), dtype=bool)
        for lvl, cl in enumerate(coeff):
            sA = sum(Fraction(uA[lvl][k]) * vals[hub_vals[k]] for k in range(h))
            sB = sum(Fraction(uB[lvl][k]) * vals[hub_vals[k]] for k in range(h))
            base = int((sA - sB) * den * den)
            D = base + cints[lvl] * (w[:, None] - w[None, :])
            pos, neg = (D > 0).astype(bool), (D < 0).astype(bool)
            sign[undecided & pos] = 1
            sign[undecided & neg] = -1
            undecided &= ~(pos | neg)
            if not undecided.any():
                break
        off = ~np.eye(R, dtype=bool)
        total[0] += int(N[(sign > 0) & off].sum())
        total[1] += int(N[(sign < 0) & off].sum())
        total[2] += int(N[(sign == 0) & off].sum())
    return tuple(K * t for t in total)


def _block_counts(mult_desc: list[int], a: int, b: int, n: int) -> tuple[int, int, int]:
    """Exact counts of distinct assignments of a multiset (multiplicities from the highest value
    down) to ``n`` slots, by whether the maximum over the ``a`` A-slots beats the ``b`` B-slots.

    Choosing, value by value, which remaining slots of each kind receive it counts every
    distinct assignment exactly once: ``prod C(a_rem, α) C(b_rem, β) C(c_rem, m - α - β)``.
    """
    # state: (a_rem, b_rem, status) ; status 0 undecided, 1 A, 2 B, 3 tie
    dp = {(a, b, 0): 1}
    left = n
    for m in mult_desc:
        new: dict = {}
        for (ar, br, st), ways in dp.items():
            cr = left - ar - br
            for al in range(0, min(m, ar) + 1):
                for be in range(0, min(m - al, br) + 1):
                    ga = m - al - be
                    if ga > cr:
                        continue
                    w = ways * math.comb(ar, al) * math.comb(br, be) * math.comb(cr, ga)
                    s = st
                    if st == 0 and (al or be):
                        s = 3 if (al and be) else (1 if al else 2)
                    key = (ar - al, br - be, s)
                    new[key] = new.get(key, 0) + w
        dp = new
        left -= m
    out = [0, 0, 0, 0]
    for (_, _, st), w in dp.items():
        out[st] += w
    return out[1], out[2], out[3]
