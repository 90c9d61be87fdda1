"""The compiled depth-first branch and bound of orbit votes (numba, exact counts).

Imported only by :func:`workbench.power._orbits.search._branch_and_bound_compiled`, when a
single-level vote is large enough to pay for loading numba (``import workbench.power`` never
loads it); compiled once and kept in numba's cache (``cache=True``). The arithmetic is int64
when every partial sum and bound, of an option and of the difference of two options, stays
below ``2**62`` in size (the caller checks), and otherwise float64 on weights and values scaled
to ``[-1, 1]``: every float decision then holds with a margin ``gap`` above a rigorous rounding
bound, and the nodes within the margin are returned to be settled exactly.

A node fixes the positions of the ``d`` largest distinct values (all their copies). For each
option it keeps the partial value ``P_o`` over the assigned positions; the rearrangement
inequality bounds the rest (Hardy, Littlewood & Pólya, Thm 368). A node is decided when

* ``max_A lo > max_B hi`` (every completion: A) or the reverse, or both best values are fixed
  and equal (a tie), as in the vectorised search; or
* for the option ``a*`` of A with the best lower bound, the *difference* ``a* - b`` has a
  positive lower bound for every live ``b`` of B (then ``max_A >= a* > max_B`` in every
  completion), or the reverse. The difference bound is much tighter than ``lo(a*) - hi(b)``
  when the options share most of their weight (a discount close to 1).

Options that can never exceed their side's ``a*`` (the upper bound of ``a - a*`` is at most 0)
are dropped for the subtree: they never change their side's best value. A node with at most
``_SMALL`` distinct values left, all for its free positions, is not bounded: the orders of those
values are enumerated and each completion compared exactly.

References
----------
Hardy, Littlewood & Pólya, *Inequalities* (1952), Thm 368; Land & Doig, *Econometrica* 28 (1960).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from numba import njit

__all__: list = []

_A, _B, _TIE, _OPEN, _CLOSE = 0, 1, 2, 3, 4
#: Most remaining values whose orders are enumerated instead of bounded.
_SMALL = 4
#: Every order of ``_SMALL`` values, those of the first ``r`` values first (the first ``r!`` rows
#: restricted to their first ``r`` columns are the orders of ``r`` values).
_PERMS = np.array(sorted(itertools.permutations(range(_SMALL)), key=lambda p: [max(p[:i + 1]) for i in range(_SMALL)][::-1]),
                  dtype=np.int64)
_N_PERMS = np.array([math.factorial(r) for r in range(_SMALL + 1)], dtype=np.int64)


@njit(cache=True, nogil=True)
def _option_bounds(W, o, down, P, free, R, top, bot):
    lo = P[o]
    hi = P[o]
    r = 0
    k = W.shape[1]
    for t in range(k):
        j = down[o, t]
        if free[j]:
            w = W[o, j]
            if w > 0:
                hi += w * top[r]
                lo += w * bot[r]
            elif w < 0:
                u = R - 1 - r  # rank in increasing order of weight: the most negative first
                hi += w * bot[u]
                lo += w * top[u]
            r += 1
    return lo, hi


@njit(cache=True, nogil=True)
def _difference_bounds(W, a, b, P, freelist, R, top, bot, buf):
    """Lower and upper bound of ``(W[a] - W[b]) . r`` over the completions of the node."""
    n = 0
    for i in range(R):
        j = freelist[i]
        x = W[a, j] - W[b, j]
        # insertion into buf[:n], decreasing
        p = n
        while p > 0 and buf[p - 1] < x:
            buf[p] = buf[p - 1]
            p -= 1
        buf[p] = x
        n += 1
    lo = P[a] - P[b]
    hi = lo
    for r in range(R):
        w = buf[r]
        if w > 0:
            hi += w * top[r]
            lo += w * bot[r]
        elif w < 0:
            u = R - 1 - r
            hi += w * bot[u]
            lo += w * top[u]
    return lo, hi


@njit(cache=True, nogil=True)
def _beats_all(W, best, live, start, stop, P, freelist, R, top, bot, buf, gap):
    """Option ``best`` exceeds every live option ``live[start:stop]`` (by more than ``gap``) in every completion."""
    for i in range(start, stop):
        lo, hi = _difference_bounds(W, best, live[i], P, freelist, R, top, bot, buf)
        if lo - gap <= 0:
            return False
    return True


@njit(cache=True, nogil=True)
def _distinct(top, n):
    for i in range(n - 1):
        if top[i] == top[i + 1]:
            return False
    return True


@njit(cache=True, nogil=True)
def _completions(W, P, live, nl, nla, freelist, R, top, gap, res):
    """Outcomes of the ``R <= _SMALL`` completions of a node whose remaining values are distinct and
    all go to its free positions, added to ``res`` (A, B, tie); False (and ``res`` unusable) if
    one of them is within the rounding margin ``gap``."""
    for p in range(_N_PERMS[R]):
        bestA = bestB = P[live[0]]
        for i in range(nl):
            o = live[i]
            s = P[o]
            for t in range(R):
                s += W[o, freelist[t]] * top[_PERMS[p, t]]
            if i == 0 or i == nla:
                if i == 0:
                    bestA = s
                else:
                    bestB = s
            elif i < nla:
                bestA = max(bestA, s)
            else:
                bestB = max(bestB, s)
        if bestA - bestB > gap:
            res[_A] += 1
        elif bestB - bestA > gap:
            res[_B] += 1
        elif gap == 0:
            res[_TIE] += 1
        else:
            return False
    return True


@njit(cache=True, nogil=True)
def _evaluate(W, down, P, live, nl, nla, free, freelist, R, top, bot, lo_s, hi_s, buf, pairwise, gap, rounded):
    """Outcome of a node: 0 A, 1 B, 2 tie, 3 open, 4 close (rounded arithmetic and possibly a
    tie: to be settled exactly); and the live options left, ``live[:nl]`` (A's ``live[:nla]``
    first), compacted in place. ``gap`` is 0 for exact integers, twice the rounding bound
    otherwise: every float decision holds with that margin."""
    loA = hiA = loB = hiB = P[live[0]]
    for i in range(nl):
        o = live[i]
        lo, hi = _option_bounds(W, o, down, P, free, R, top, bot)
        lo_s[o] = lo
        hi_s[o] = hi
        if i == 0 or i == nla:
            if i == 0:
                loA, hiA = lo, hi
            else:
                loB, hiB = lo, hi
        elif i < nla:
            loA = max(loA, lo)
            hiA = max(hiA, hi)
        else:
            loB = max(loB, lo)
            hiB = max(hiB, hi)
    if loA - hiB > gap:
        return _A, nl, nla
    if loB - hiA > gap:
        return _B, nl, nla
    if rounded:
        if hiA - loA <= gap and hiB - loB <= gap and abs(loA - loB) <= gap:
            return _CLOSE, nl, nla
    elif loA == hiA and loB == hiB and loA == loB:
        return _TIE, nl, nla
    # drop the options whose upper bound is below their side's best lower bound; a* and b*:
    # the live options of A and of B with the best lower bound
    n = 0
    na = 0
    best_a = -1
    best_b = -1
    for i in range(nl):
        o = live[i]
        if i < nla:
            if hi_s[o] < loA - gap:
                continue
            if best_a < 0 or lo_s[o] > lo_s[best_a]:
                best_a = o
            na += 1
        else:
            if hi_s[o] < loB - gap:
                continue
            if best_b < 0 or lo_s[o] > lo_s[best_b]:
                best_b = o
        live[n] = o
        n += 1
    nl, nla = n, na
    if R == 0:  # every relevant position assigned: exact bounds decide unless rounded
        return (_CLOSE if rounded else _OPEN), nl, nla
    if not pairwise:
        return _OPEN, nl, nla
    # A wins every completion if a* - b > 0 in every completion for every live b of B
    if _beats_all(W, best_a, live, nla, nl, P, freelist, R, top, bot, buf, gap):
        return _A, nl, nla
    if _beats_all(W, best_b, live, 0, nla, P, freelist, R, top, bot, buf, gap):
        return _B, nl, nla
    # options never above their side's a* (b*) do not change that side's best value
    n = 0
    na = 0
    for i in range(nl):
        o = live[i]
        ref = best_a if i < nla else best_b
        if o != ref:
            lo, hi = _difference_bounds(W, o, ref, P, freelist, R, top, bot, buf)
            if hi + gap <= 0:
                continue
        if i < nla:
            na += 1
        live[n] = o
        n += 1
    nl, nla = n, na
    if nl == 2 and nla == 1 and not rounded:
        lo, hi = _difference_bounds(W, live[0], live[1], P, freelist, R, top, bot, buf)
        if lo == 0 and hi == 0:
            return _TIE, nl, nla
    return _OPEN, nl, nla


@njit(cache=True, nogil=True)
def branch_and_bound(W, nA, down, vals, mult, n_irr, tops, bots, ways, pairwise, gap, rounded):
    """Depth-first branch and bound; returns ``(counts, nodes, close)`` with ``counts[d, s]``
    the number of decided nodes at depth ``d`` with outcome ``s`` (0 A, 1 B, 2 tie), each
    weighted by its ways of putting values on irrelevant states (``ways[i, j] = C(i, j)``), and
    ``close = (n, depth, vidx, alive, mul)``: the first ``n`` rows are the nodes left to an
    exact check (rounded arithmetic only; ``vidx[i, j]`` is the value index at position ``j``,
    ``T`` when free)."""
    nopt, k = W.shape
    T = vals.shape[0]
    counts = np.zeros((T + 1, 3), dtype=np.int64)
    P = np.zeros((T + 1, nopt), dtype=W.dtype)
    live = np.zeros((T + 1, nopt), dtype=np.int64)
    nlive = np.zeros(T + 1, dtype=np.int64)
    nliveA = np.zeros(T + 1, dtype=np.int64)
    mul = np.ones(T + 1, dtype=np.int64)
    free = np.ones(k, dtype=np.bool_)
    freelist = np.zeros((T + 1, k), dtype=np.int64)
    Rd = np.zeros(T + 1, dtype=np.int64)
    irr = np.zeros(T + 1, dtype=np.int64)  # irrelevant slots still empty at the node
    alpha = np.zeros(T + 1, dtype=np.int64)
    alpha_hi = np.zeros(T + 1, dtype=np.int64)
    combo = np.zeros((T + 1, k + 1), dtype=np.int64)
    started = np.zeros(T + 1, dtype=np.bool_)
    lo_s = np.zeros(nopt, dtype=W.dtype)
    hi_s = np.zeros(nopt, dtype=W.dtype)
    buf = np.zeros(k + 1, dtype=W.dtype)
    cur = np.zeros(k, dtype=np.int64)
    res = np.zeros(3, dtype=np.int64)
    vidx = np.full(k, T, dtype=np.int64)
    cap = 64
    n_close = 0
    c_depth = np.zeros(cap, dtype=np.int64)
    c_vidx = np.zeros((cap, k), dtype=np.int64)
    c_alive = np.zeros((cap, nopt), dtype=np.bool_)
    c_mul = np.zeros(cap, dtype=np.int64)
    nodes = 1
    for o in range(nopt):
        live[0, o] = o
    for j in range(k):
        freelist[0, j] = j
    Rd[0] = k
    irr[0] = n_irr
    out, nlive[0], nliveA[0] = _evaluate(W, down, P[0], live[0], nopt, nA, free, freelist[0], k, tops[0], bots[0],
                                         lo_s, hi_s, buf, pairwise, gap, rounded)
    if out == _CLOSE:
        for i in range(nlive[0]):
            c_alive[0, live[0, i]] = True
        c_vidx[0] = vidx
        c_mul[0] = 1
        return counts, nodes, (1, c_depth, c_vidx, c_alive, c_mul)
    if out != _OPEN:
        counts[0, out] += 1
        return counts, nodes, (0, c_depth, c_vidx, c_alive, c_mul)
    d = 0
    while d >= 0:
        R = Rd[d]
        m = mult[d]
        # undo the previous child of this node, then move to the next one
        if started[d]:
            for i in range(alpha[d]):
                j = freelist[d, combo[d, i]]
                free[j] = True
                vidx[j] = T
            a = alpha[d]
            i = a - 1
            while i >= 0 and combo[d, i] == R - a + i:
                i -= 1
            if i >= 0:
                combo[d, i] += 1
                for t in range(i + 1, a):
                    combo[d, t] = combo[d, t - 1] + 1
            else:
                alpha[d] += 1
                if alpha[d] > alpha_hi[d]:
                    started[d] = False
                    d -= 1
                    continue
                for t in range(alpha[d]):
                    combo[d, t] = t
        else:
            lo_alpha = max(m - irr[d], 0)
            hi_alpha = min(m, R)
            if lo_alpha > hi_alpha:
                d -= 1
                continue
            alpha[d] = lo_alpha
            alpha_hi[d] = hi_alpha
            for t in range(lo_alpha):
                combo[d, t] = t
            started[d] = True
        a = alpha[d]
        v = vals[d]
        # the child: value d on the chosen free positions, its other copies on irrelevant states
        for i in range(a):
            j = freelist[d, combo[d, i]]
            free[j] = False
            vidx[j] = d
            cur[i] = j
        c = d + 1
        nl = nlive[d]
        for i in range(nl):
            o = live[d, i]
            live[c, i] = o
            s = P[d, o]
            for t in range(a):
                s += W[o, cur[t]] * v
            P[c, o] = s
        mul[c] = mul[d] * ways[irr[d], m - a]
        irr[c] = irr[d] - (m - a)
        n = 0
        for j in range(k):
            if free[j]:
                freelist[c, n] = j
                n += 1
        Rd[c] = n
        nodes += 1
        if 0 < n <= _SMALL and irr[c] == 0 and _distinct(tops[c], n):
            # a few distinct values left for as many positions: count the completions directly
            res[:] = 0
            if _completions(W, P[c], live[c], nl, nliveA[d], freelist[c], n, tops[c], gap, res):
                for t in range(3):
                    counts[T, t] += res[t] * mul[c]
                continue
        out, nlive[c], nliveA[c] = _evaluate(W, down, P[c], live[c], nl, nliveA[d], free, freelist[c], n, tops[c],
                                             bots[c], lo_s, hi_s, buf, pairwise, gap, rounded)
        if out == _CLOSE:
            if n_close == cap:
                cap *= 2
                c_depth = _grow1(c_depth, cap)
                c_vidx = _grow2(c_vidx, cap)
                c_alive = _grow2(c_alive, cap)
                c_mul = _grow1(c_mul, cap)
            c_depth[n_close] = c
            c_vidx[n_close] = vidx
            for i in range(nlive[c]):
                c_alive[n_close, live[c, i]] = True
            c_mul[n_close] = mul[c]
            n_close += 1
            continue
        if out != _OPEN:
            counts[c, out] += mul[c]
            continue
        if c == T:
            raise AssertionError("every value placed but the bounds do not decide (they are exact there)")
        started[c] = False
        d = c
    return counts, nodes, (n_close, c_depth, c_vidx, c_alive, c_mul)


@njit(cache=True, nogil=True)
def _grow1(a, cap):
    out = np.zeros(cap, dtype=a.dtype)
    out[:a.shape[0]] = a
    return out


@njit(cache=True, nogil=True)
def _grow2(a, cap):
    out = np.zeros((cap, a.shape[1]), dtype=a.dtype)
    out[:a.shape[0]] = a
    return out
