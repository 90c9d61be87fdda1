"""Signs of ``value(A) - value(B)`` for many arrangements at once (vectorised, exact).

Values are integer matrices per criterion level (each scaled by its common denominator); the
comparison runs in float64 when every product fits its 53 bits exactly, in int64 when it fits
63 bits, and otherwise in floating point with a rigorous rounding bound, recomputing the close
rows with Python integers (bounded by :data:`MAX_EXACT_WORK`). Decision rules compare their
probabilities in floating point where the difference is clear and exactly otherwise.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from workbench._errors import ResourceTooLarge

__all__ = ["MAX_EXACT_WORK"]

#: Most exact big-integer work when values overflow machine integers (huge rewards or exact
#: discounts): rows x options x relevant states x levels x (bits / 64).
MAX_EXACT_WORK = 300_000_000


def _scaled_levels(levels, cols):
    """Integer weight matrices per level restricted to ``cols`` (each level scaled by its LCD)."""
    out, dens = [], []
    for level in levels:
        if all(type(x) is int for v in level for x in v):  # integer levels (orbit_vote's fast set-up)
            out.append([[v[j] for j in cols] for v in level])
            dens.append(1)
            continue
        den = 1
        for v in level:
            for j in cols:
                den = math.lcm(den, Fraction(v[j]).denominator)
        out.append([[int(Fraction(v[j]) * den) for j in cols] for v in level])
        dens.append(den)
    return out, dens


def _choose_dtype(mats, values) -> type:
    vmax = max((abs(v) for v in values), default=0)
    wmax = max((abs(x) for m in mats for row in m for x in row), default=0)
    ncols = max((len(m[0]) for m in mats if m and m[0]), default=1)
    bound = vmax * wmax * ncols
    if bound < 2**52:
        return np.float64
    if bound < 2**62:
        return np.int64
    return object


def _signs(vals: np.ndarray, WA: list, WB: list) -> np.ndarray:
    """Sign of (value of A) - (value of B) per row, lexicographic over levels (exact).

    After each level only the rows still tied are carried on, with the options still tied
    for their set's best value.
    """
    N = len(vals)
    sign = np.zeros(N, dtype=np.int8)
    rows = np.arange(N)
    maskA = maskB = None
    low = -np.inf if vals.dtype == np.float64 else (np.iinfo(np.int64).min if vals.dtype == np.int64 else float("-inf"))
    for li, (wa, wb) in enumerate(zip(WA, WB)):
        v = vals[rows] if li else vals
        VA = v @ wa.T
        VB = v @ wb.T
        if maskA is None:
            mA, mB = VA.max(axis=1), VB.max(axis=1)
        else:
            mA = np.where(maskA, VA, low).max(axis=1)
            mB = np.where(maskB, VB, low).max(axis=1)
        d = (mA > mB).astype(np.int8) - (mA < mB).astype(np.int8)
        sign[rows] = d
        keep = d == 0
        if li + 1 == len(WA) or not keep.any():
            break
        rows = rows[keep]
        eqA = VA[keep] == mA[keep, None]
        eqB = VB[keep] == mB[keep, None]
        maskA = eqA if maskA is None else maskA[keep] & eqA
        maskB = eqB if maskB is None else maskB[keep] & eqB
    return sign


def _big_int_weight(scaled, vint) -> int:
    """Cost of one exact product relative to a machine word (the bits of the largest one / 64)."""
    wmax = max((abs(x) for m in scaled for row in m for x in row), default=1) or 1
    vmax = max((abs(v) for v in vint), default=1) or 1
    return max(1, (wmax.bit_length() + vmax.bit_length()) // 64)


def _check_exact_work(work: int, so_far: bool = False) -> None:
    if work > MAX_EXACT_WORK:
        raise ResourceTooLarge(
            f"the exact comparisons need {'more than ' if so_far else 'about '}{work:,} big-integer operations, "
            f"more than {MAX_EXACT_WORK:,} (MAX_EXACT_WORK): the reward values or the discount have too many digits "
            f"for this orbit; use shorter numbers (or fewer --samples)")


def _hybrid_signs(W, nA, vint, weight=1):
    """Single-level comparison when exact integers overflow float64: decide in floating point
    where the gap exceeds a rigorous rounding bound, and recompute the rest exactly (that work
    is bounded by :data:`MAX_EXACT_WORK` while it runs).

    Returns ``f(rows)`` taking arrays of value-type indices.
    """
    wmax = max(abs(x) for row in W for x in row) or 1
    vmax = max(abs(v) for v in vint) or 1
    # normalised to [-1, 1] so that huge exact integers never overflow a float
    Wf = np.array([[int(x) / wmax for x in row] for row in W])
    WAf, WBf = Wf[:nA], Wf[nA:]
    Wobj = np.array(W, dtype=object)
    WAo, WBo = Wobj[:nA], Wobj[nA:]
    vobj = np.array(vint, dtype=object)
    vf = np.array([int(v) / vmax for v in vint])
    ncols = len(W[0])
    # |fl(w·v) - w·v| <= (ncols + 2) u sum_j |w_j v_j| <= (ncols + 2) u ncols (u = 2^-53, after
    # normalisation, conversions included), doubled for safety, plus underflow slack
    bound = 2 * (ncols + 2) * 2.0 ** -53 * ncols + 1e-300
    done = [0]

    def evaluate(rows):
        vals = vf[rows]
        d = (vals @ WAf.T).max(axis=1) - (vals @ WBf.T).max(axis=1)
        sign = (d > 0).astype(np.int8) - (d < 0).astype(np.int8)
        close = np.flatnonzero(np.abs(d) <= 2 * bound)
        done[0] += len(close) * len(W) * ncols * weight
        _check_exact_work(done[0], so_far=True)
        if len(close):
            ev = vobj[rows[close]]
            eA = [max(r) for r in ev.dot(WAo.T)]
            eB = [max(r) for r in ev.dot(WBo.T)]
            sign[close] = [(x > y) - (x < y) for x, y in zip(eA, eB)]
        return sign

    return evaluate


def _rule_signs(rule, scale):
    """Exact signs of ``P(A|C) - P(B|C)`` per row, C the *set* of options (an option of both A and
    B is one column). Clear rows are decided in floating point, close ones exactly
    (:meth:`~workbench.power.DecisionRule.set_signs`)."""
    to_float = np.vectorize(lambda x: int(x) / scale, otypes=[float])

    def compare(vals, WA, WB):
        wa, wb = WA[0], WB[0]
        a_rows = [tuple(row) for row in wa.tolist()]
        ib, extra = [], []
        for j, row in enumerate(wb.tolist()):
            if tuple(row) in a_rows:
                ib.append(a_rows.index(tuple(row)))
            else:
                ib.append(len(a_rows) + len(extra))
                extra.append(j)
        wc = np.concatenate([wa, wb[extra]], axis=0) if extra else wa
        VC = vals @ wc.T
        ia = list(range(len(a_rows)))
        VCf = to_float(VC) if VC.dtype == object else VC.astype(float) / scale
        return rule.set_signs(VCf, ia, ib, lambda i: [Fraction(int(x), scale) for x in VC[i]])

    return compare
