"""Value-order branch and bound: exact orbit-vote counts without visiting every arrangement.

The reward values are placed from the largest down. A node of the search fixes which relevant
states received each of the values placed so far (all copies of every value placed so far:
those not on relevant states went to irrelevant ones). For every option ``o`` and level ``l``
the node knows the partial dot product ``P = w·r`` over the assigned states, and the
rearrangement inequality bounds the rest: the remaining values ``x_(1) >= x_(2) >= ...`` are
known, so over every completion

.. math::

    \\sum_{j \\text{ free}} w_j r_j \\le \\sum_i w^+_{[i]} x_{(i)} + \\sum_i w^-_{[i]} x_{(M+1-i)},

with the positive weights sorted down (largest first) and the negative weights sorted up (most
negative first), and symmetrically for the lower bound. A node is *decided* when the bounds
settle the comparison of ``max_A`` and ``max_B`` for every completion (lexicographically over
the levels, see :func:`_decide`); its completions are then counted with one multinomial
instead of being visited. Undecided nodes are expanded down to the leaves, where every value
is known and the comparison is exact.

Counts are exact: the dot products run in float64 when every partial sum and bound is an
integer below ``2**53``, in int64 below ``2**62``; otherwise in float64 after scaling, deciding
only with a margin above a rigorous rounding bound and settling the near-ties with Python
integers (that work is bounded by
:data:`~workbench.power._orbits.comparisons.MAX_EXACT_WORK`). Each depth of the search holds at most
as many nodes as there are arrangements of values on the relevant states (every node extends
to a distinct arrangement), so the search never does more than (number of distinct values) x
the work of enumerating the orbit, and usually far less.

Single-level votes on orbits of at least :data:`COMPILED_ABOVE` arrangements that the vectorised
search does not finish within :data:`VECTORISED_FIRST` (batches, (node, live option) pairs) run
the same search depth first in compiled code (:func:`_branch_and_bound_compiled`, numba, :mod:`._kernel`), which
also bounds the *difference* of two options (much tighter when they share most of their weight,
as under a discount close to 1) and enumerates the orders of the last few distinct values
instead of bounding them; its nodes within the rounding margin are handed back to
:func:`_branch_and_bound`, which settles them exactly. Both give the same exact counts.

References
----------
Hardy, Littlewood & Pólya, *Inequalities* (1952), Thm 368 (the rearrangement inequality);
Land & Doig, "An automatic method of solving discrete programming problems", *Econometrica*
28 (1960) (branch and bound).
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from workbench.power._orbits.comparisons import _big_int_weight, _check_exact_work

__all__: list = []

#: Most children built at once (rows of the vectorised search).
_CHUNK = 50_000
#: Most elements of one bound computation (rows x options x relevant states).
_EVAL_ELEMENTS = 2**22


class _Arith:
    """The weights and values of one search in one number type.

    ``kind`` is ``"float"`` (float64, exact: every sum is an integer below 2**53), ``"int"``
    (int64, exact below 2**62), ``"object"`` (Python integers) or ``"rounded"`` (float64 after
    dividing each level's weights and the values by their largest magnitude; every result is
    within :attr:`eps` of the exact one, scaled alike).
    """

    def __init__(self, W, values_desc, mult_desc, k, kind):
        self.kind = kind
        T = len(values_desc)
        vmax = max(abs(v) for v in values_desc) or 1
        if kind == "rounded":
            dtype = np.float64
            # Python's int / int is correctly rounded (what float(Fraction(x, vmax)) computes)
            conv_v = lambda x: int(x) / vmax  # noqa: E731
        else:
            dtype = {"float": np.float64, "int": np.int64, "object": object}[kind]
            conv_v = (lambda x: x) if kind == "object" else float if kind == "float" else int
        self.low = -np.inf if kind != "int" else np.iinfo(np.int64).min
        # value of each type index, the last index meaning "not assigned yet" (contributes 0)
        self.vtab = np.array([conv_v(v) for v in values_desc] + [conv_v(0)], dtype=dtype)
        self.tops, self.bots = [], []
        for d in range(T + 1):
            rest = [v for v, m in zip(values_desc[d:], mult_desc[d:]) for _ in range(m)]
            down, up = rest[:k], rest[::-1][:k]
            # padded with a trailing 0: the rank -1 of a position before the first free one is masked
            self.tops.append(np.array([conv_v(v) for v in down] + [conv_v(0)] * (k + 1 - len(down)), dtype=dtype))
            self.bots.append(np.array([conv_v(v) for v in up] + [conv_v(0)] * (k + 1 - len(up)), dtype=dtype))
        self.levels = []
        for level in W:
            if kind == "rounded":
                wmax = max(abs(x) for row in level for x in row) or 1
                w = np.array([[int(x) / wmax for x in row] for row in level], dtype=dtype)
                sign = np.sign(np.array([[(x > 0) - (x < 0) for x in row] for row in level]))
            else:
                w = np.array([[conv_v(x) for x in row] for row in level], dtype=dtype)
                sign = np.array([[(x > 0) - (x < 0) for x in row] for row in level])
            # each option's positions by exact weight, largest first (rounded weights may tie)
            down = np.array([sorted(range(k), key=lambda j: -row[j]) for row in level], dtype=np.intp).reshape(len(level), k)
            up = down[:, ::-1]
            wd, wu = np.take_along_axis(w, down, axis=1), np.take_along_axis(w, up, axis=1)
            pos = np.where(np.take_along_axis(sign, down, axis=1) > 0, wd, conv_v(0))
            neg = np.where(np.take_along_axis(sign, up, axis=1) < 0, wu, conv_v(0))
            self.levels.append((w, down, pos, (up, neg) if (sign < 0).any() else None))
        k_ = max(k, 1)
        # |computed - exact| <= eps after scaling: at most 3k + 2 rounded operations per sum of
        # k products of numbers in [-1, 1] (conversions included), doubled for safety
        self.eps = 2 * (3 * k_ + 4) * k_ * 2.0**-53 + 1e-300

    def bounds(self, vidx, free, rows, opts, d, li):
        """Lower and upper bounds of the level-``li`` value of option ``opts[p]`` at node
        ``rows[p]`` over all completions of the node (one entry per pair ``p``)."""
        w, down, pos, negpart = self.levels[li]
        part = (self.vtab[vidx[rows]] * w[opts]).sum(axis=1)
        top, bot = self.tops[d], self.bots[d]
        f = free[rows[:, None], down[opts]]  # the free positions in each option's order of weights
        rank = np.cumsum(f, axis=1, dtype=np.int32) - 1
        pf = pos[opts] * f
        hi = part + (pf * top[rank]).sum(axis=1)
        lo = part + (pf * bot[rank]).sum(axis=1)
        if negpart is not None:
            up, neg = negpart
            f = free[rows[:, None], up[opts]]
            rank = np.cumsum(f, axis=1, dtype=np.int32) - 1
            nf = neg[opts] * f
            hi = hi + (nf * bot[rank]).sum(axis=1)
            lo = lo + (nf * top[rank]).sum(axis=1)
        return lo, hi


def _per_side_max(x, rows, opts, n_a):
    """``(max over A's pairs, max over B's pairs)`` per node; the pairs are sorted by node and
    option (as ``np.nonzero`` gives them) and every node has pairs on both sides."""
    key = 2 * rows + (opts >= n_a)
    starts = np.flatnonzero(np.diff(key, prepend=-1))
    m = np.maximum.reduceat(x, starts)
    return m[0::2], m[1::2]


def _decide(ar, vidx, free, alive, d, n_a, cheap=True):
    """Outcome per node: 1 (A better for every completion), -1 (B), 0 (tie), 2 (undecided),
    and with rounded arithmetic 3 (possibly a tie on the first level: check exactly); and the
    options still *alive* (those that may attain their set's best value in some completion).

    Level by level: the best value of A lies in ``[max over sure lo, max over candidate hi]``,
    where *candidates* may still attain A's lexicographic maximum on the earlier levels and
    *sure* options certainly do (their earlier values are known and equal to the maximum).
    An option whose first-level upper bound is below its set's best lower bound is never its
    set's best in the node's subtree: it is dropped for good.
    """
    N = len(vidx)
    out = np.full(N, 2, dtype=np.int8)
    if cheap and ar.kind == "float" and free.any():
        # first the cheap bounds (every free position gets the largest / smallest remaining
        # value: one exact float64 matrix product), then the rearrangement bounds for the rest
        w = ar.levels[0][0]
        wpos, wneg = np.maximum(w, 0), np.minimum(w, 0)
        part = ar.vtab[vidx] @ w.T
        fr = free.astype(np.float64)
        mpos, mneg = fr @ wpos.T, fr @ wneg.T
        top, bot = ar.tops[d][0], ar.bots[d][0]
        hi = np.where(alive, part + top * mpos + bot * mneg, -np.inf)
        lo = np.where(alive, part + bot * mpos + top * mneg, -np.inf)
        loA, loB = lo[:, :n_a].max(axis=1), lo[:, n_a:].max(axis=1)
        hiA, hiB = hi[:, :n_a].max(axis=1), hi[:, n_a:].max(axis=1)
        out[loA > hiB] = 1
        out[loB > hiA] = -1
        alive = alive & ~(hi < np.where(np.arange(alive.shape[1]) < n_a, loA[:, None], loB[:, None]))
        rest = np.flatnonzero(out == 2)
        if len(rest) < N:
            if len(rest):
                o, a = _decide(ar, vidx[rest], free[rest], alive[rest], d, n_a, cheap=False)
                out[rest], alive[rest] = o, a
            return out, alive
    rows, opts = np.nonzero(alive)
    nodes = np.arange(N)
    sure = None
    rounded = ar.kind == "rounded"
    gap = 2 * ar.eps if rounded else 0
    for li in range(len(ar.levels)):
        lo, hi = ar.bounds(vidx, free, rows, opts, d, li)
        loA, loB = _per_side_max(lo if sure is None else np.where(sure, lo, ar.low), rows, opts, n_a)
        hiA, hiB = _per_side_max(hi, rows, opts, n_a)
        if li == 0:
            best_lo = np.where(opts < n_a, loA[rows], loB[rows])  # pairs are all of the node's alive ones
            dead = hi < best_lo - gap
            alive = alive.copy()
            alive[rows[dead], opts[dead]] = False
        if rounded:  # decide only with a margin; near-ties are settled exactly
            out[nodes[loA - hiB > gap]] = 1
            out[nodes[loB - hiA > gap]] = -1
            close = (hiA - loA <= gap) & (hiB - loB <= gap) & (abs(loA - loB) <= gap)
            out[nodes[close]] = 3
            return out, alive
        out[nodes[loA > hiB]] = 1
        out[nodes[loB > hiA]] = -1
        level_tie = (loA == hiA) & (loB == hiB) & (loA == loB)
        if li + 1 == len(ar.levels) or not level_tie.any():
            out[nodes[level_tie]] = 0
            break
        # on to the next level with the tied nodes and their options that may reach the maximum
        tied_node = np.zeros(N, dtype=bool)
        tied_node[nodes[level_tie]] = True
        mx = np.zeros(N, dtype=lo.dtype)
        mx[nodes[level_tie]] = loA[level_tie]
        keep = tied_node[rows]
        keep &= hi >= mx[rows]
        exact_max = (lo == mx[rows]) & (hi == mx[rows])
        sure = (exact_max if sure is None else sure & exact_max)[keep]
        rows, opts = rows[keep], opts[keep]
        nodes = nodes[level_tie]
    return out, alive


def _branch_and_bound(W, n_a: int, values_desc, mult_desc, n: int, start=None, kind=None, max_work=None):
    """Exact ``(a_strict, b_strict, tie, nodes)`` of an orbit vote by value-order branch and bound
    (None if it would need more work than ``max_work``).

    Parameters
    ----------
    W : list of integer matrices (Python ints), one per level
        ``W[l][o][j]``: weight of option ``o`` (the first ``n_a`` are A's) on relevant state ``j``.
    n_a : int
        Number of options of A.
    values_desc, mult_desc : sequences of int
        The distinct (integer-scaled) reward values, largest first, and their multiplicities.
    n : int
        Number of states (the relevant ones plus the irrelevant ones, which cannot change a
        comparison and are counted combinatorially).
    start : list of ``(depth, vidx, alive, mult)``, optional
        Search from these nodes instead of the root (the compiled search hands over its close
        calls): value index per relevant position (``len(values_desc)`` when free), the live
        options and the ways the node's values were put on irrelevant states.
    kind : str, optional
        The arithmetic (see :class:`_Arith`); by default the cheapest exact one.
    max_work : (int, int), optional
        Give up (return None) before evaluating more than this many batches of nodes, or more
        than this many (node, live option) pairs in all; no limit by default.

    Examples
    --------
    A = {state 0}, B = {state 1, state 2}, values 10, 5, 0 (one each): A wins when 10 is on
    state 0 (2 of the 6 arrangements).

    >>> W = [[[1, 0, 0], [0, 1, 0], [0, 0, 1]]]
    >>> _branch_and_bound(W, 1, [10, 5, 0], [1, 1, 1], 3)[:3]
    (2, 4, 0)
    """
    nopt = len(W[0])
    k = len(W[0][0])
    vmax = max(abs(v) for v in values_desc)
    size = max(sum(abs(x) for x in row) for level in W for row in level) * vmax
    if kind is None:
        kind = "float" if size < 2**52 else "int" if size < 2**62 else "rounded"
    ar = _Arith(W, values_desc, mult_desc, k, kind)
    exact_ar = [None]  # Python-integer arithmetic, built when a rounded comparison is too close
    exact_work = [0]  # its big-integer operations so far (bounded by MAX_EXACT_WORK)
    weight = _big_int_weight(W, values_desc) if kind == "rounded" else 1
    T = len(values_desc)
    n_irr = n - k
    placed = [0]  # values placed before depth d (all copies of the d largest distinct values)
    for m in mult_desc:
        placed.append(placed[-1] + m)
    comp = []  # completions of a node at depth d: the remaining values on the remaining slots
    for d in range(T + 1):
        c = math.factorial(n - placed[d])
        for m in mult_desc[d:]:
            c //= math.factorial(m)
        comp.append(c)
    rows_per_eval = max(16, _EVAL_ELEMENTS // (nopt * max(k, 1)))  # at most every option alive
    # a node's multiplier: the ways its values were put on irrelevant states (1 when none)
    cdtype = object if n_irr and math.factorial(n_irr) * _CHUNK >= 2**62 else np.int64
    itype = np.int8 if T < 127 else np.int16
    totals = [0, 0, 0]
    nodes = [0]
    work = [0, 0]  # batches, (node, live option) pairs

    def decide(vidx, free, alive, d):
        work[0] += 1
        work[1] += int(alive.sum())
        if max_work is not None and (work[0] > max_work[0] or work[1] > max_work[1]):
            raise _OverBudget
        outs, alives = [], []
        for i in range(0, len(vidx), rows_per_eval):
            o, a = _decide(ar, vidx[i:i + rows_per_eval], free[i:i + rows_per_eval], alive[i:i + rows_per_eval], d, n_a)
            outs.append(o)
            alives.append(a)
        out, alive = np.concatenate(outs), np.concatenate(alives)
        close = np.flatnonzero(out == 3)
        if len(close):
            exact_work[0] += len(close) * nopt * k * len(W) * weight
            _check_exact_work(exact_work[0], so_far=True)
            if exact_ar[0] is None:
                exact_ar[0] = _Arith(W, values_desc, mult_desc, k, "object")
            out[close], alive[close] = _decide(exact_ar[0], vidx[close], free[close], alive[close], d, n_a)
        return out, alive

    def settle(vidx, free, alive, c, d):
        """Count the decided nodes of one batch at depth d; return the undecided ones."""
        nodes[0] += len(vidx)
        out, alive = decide(vidx, free, alive, d)
        for i, s in enumerate((1, -1, 0)):
            hit = out == s
            if hit.any():
                totals[i] += comp[d] * (int(hit.sum()) if not n_irr else int(c[hit].sum()))
        keep = out == 2
        if not keep.any():
            return None
        return vidx[keep], free[keep], alive[keep], c[keep]

    try:
        pending = [[] for _ in range(T + 1)]
        if start is None:
            start = [(0, np.full((1, k), T, dtype=itype), np.ones((1, nopt), dtype=bool), np.ones(1, dtype=cdtype))]
        for d, vidx, alive, c in start:
            vidx = np.asarray(vidx, dtype=itype).reshape(-1, k)
            rest = settle(vidx, vidx == T, np.array(alive, dtype=bool).reshape(len(vidx), nopt),
                          np.array(c, dtype=cdtype).reshape(len(vidx)), d)
            if rest is not None:
                pending[d].append(rest)
        combos: dict = {}
        while True:  # deepest first: few nodes wait at each depth
            d = next((i for i in range(T, -1, -1) if pending[i]), None)
            if d is None:
                break
            vidx, free, alive, c = pending[d].pop()
            m = mult_desc[d]
            n_free = free.sum(axis=1)
            branch = sum(math.comb(int(n_free.max()), a) for a in range(m + 1))
            per = max(1, _CHUNK // branch)
            if len(vidx) > per:
                pending[d].append((vidx[per:], free[per:], alive[per:], c[per:]))
                vidx, free, alive, c, n_free = vidx[:per], free[:per], alive[:per], c[:per], n_free[:per]
            for R in np.unique(n_free):
                R = int(R)
                g = n_free == R
                gv, gf, ga, gc = vidx[g], free[g], alive[g], c[g]
                irr_free = n_irr - (placed[d] - (k - R))
                idx = np.nonzero(gf)[1].reshape(len(gv), R)  # free positions, in order
                for alpha in range(max(0, m - irr_free), min(m, R) + 1):
                    ways = math.comb(irr_free, m - alpha)  # copies of this value put on irrelevant states
                    for sel in _combination_blocks(combos, R, alpha, math.comb(R, alpha)):
                        nc = len(sel)
                        cv = np.repeat(gv, nc, axis=0)
                        cf = np.repeat(gf, nc, axis=0)
                        ca = np.repeat(ga, nc, axis=0)
                        cc = np.repeat(gc, nc) * ways
                        if alpha:
                            chosen = idx[:, sel].reshape(-1, alpha)
                            rows = np.arange(len(cv))[:, None]
                            cv[rows, chosen] = d
                            cf[rows, chosen] = False
                        rest = settle(cv, cf, ca, cc, d + 1)
                        if rest is not None:
                            pending[d + 1].append(rest)
    except _OverBudget:
        return None
    return totals[0], totals[1], totals[2], nodes[0]


class _OverBudget(Exception):
    """The vectorised search reached its ``max_work``."""


def _combination_blocks(cache, R, alpha, n_comb):
    """Arrays of ``alpha``-subsets of ``range(R)``, in blocks of at most :data:`_CHUNK` rows."""
    if n_comb <= _CHUNK:
        key = (R, alpha)
        if key not in cache:
            cache[key] = np.array(list(itertools.combinations(range(R), alpha)), dtype=np.intp).reshape(n_comb, alpha)
        yield cache[key]
        return
    it = itertools.combinations(range(R), alpha)
    while True:
        block = list(itertools.islice(it, _CHUNK))
        if not block:
            return
        yield np.array(block, dtype=np.intp).reshape(len(block), alpha)


#: Smallest orbit (arrangements on the relevant states) counted by the compiled search: below
#: it the vectorised search takes well under a second, and loading numba (about 0.4 s from its
#: cache; compiling, once per installation, takes 10-40 s) would dominate.
COMPILED_ABOVE = 200_000
#: On those orbits the vectorised search still runs first, for at most this many batches of nodes
#: and (node, live option) pairs (a few milliseconds): many large orbits are decided near the root
#: (2 batches, 330 pairs for the 3x3 gridworld under average reward), where loading numba (about
#: 0.7 s) would be nearly all of the time; a harder vote loses only those milliseconds.
VECTORISED_FIRST = (2, 50_000)


def _compiled_fits(W, mult_desc, n: int) -> bool:
    """The compiled search counts one level, and its counts fit int64."""
    orbit = math.factorial(n)
    for m in mult_desc:
        orbit //= math.factorial(m)
    return len(W) == 1 and orbit < 2**62


def _branch_and_bound_compiled(W, n_a: int, values_desc, mult_desc, n: int, pairwise: bool = True):
    """:func:`_branch_and_bound` for one level, depth first and compiled with numba
    (:mod:`._kernel`): the same exact counts with fewer nodes (it also bounds the differences
    of two options).

    In int64 when every partial sum and bound (of an option and of a difference of two
    options) is below ``2**62`` in size, otherwise in float64 on the weights and values scaled
    to ``[-1, 1]``, deciding only with a margin above a rigorous rounding bound; the nodes left
    within the margin are handed to :func:`_branch_and_bound`, which settles them exactly.
    """
    from workbench.power._orbits import _kernel

    level = W[0]
    nopt, k = len(level), len(level[0])
    T = len(values_desc)
    vmax = max(abs(v) for v in values_desc) or 1
    wmax = max(abs(x) for row in level for x in row) or 1
    size = max(sum(abs(x) for x in row) for row in level) * vmax
    rounded = 2 * size >= 2**62
    if rounded:
        # scaled to [-1, 1]: one rounding per number (int -> float is correctly rounded and the
        # power of two is exact; no overflow or underflow below 2**1000)
        if max(wmax, vmax).bit_length() < 1000:
            sw, sv = 2.0**-wmax.bit_length(), 2.0**-vmax.bit_length()
            conv_w = lambda x: float(x) * sw  # noqa: E731
            conv_v = lambda x: float(x) * sv  # noqa: E731
        else:
            conv_w = lambda x: int(x) / wmax  # noqa: E731
            conv_v = lambda x: int(x) / vmax  # noqa: E731
        dtype = np.float64
        k_ = max(k, 1)
        # |computed - exact| <= eps for every bound of an option or of a difference of two, and
        # for the difference of two bounds (after scaling): at most 2k terms of size <= 2, each
        # with at most 2k + 8 roundings (conversions included), doubled twice for safety
        eps = 16 * k_ * (k_ + 4) * 2.0**-53 + 1e-300
        gap = dtype(2 * eps)
    else:
        conv_w = conv_v = int
        dtype = np.int64
        gap = np.int64(0)
    Wm = np.array([[conv_w(x) for x in row] for row in level], dtype=dtype).reshape(nopt, k)
    vals = np.array([conv_v(v) for v in values_desc], dtype=dtype)
    mult = np.array(mult_desc, dtype=np.int64)
    tops = np.zeros((T + 1, k + 1), dtype=dtype)
    bots = np.zeros((T + 1, k + 1), dtype=dtype)
    for d in range(T + 1):
        rest = [x for x, m in zip(vals[d:], mult_desc[d:]) for _ in range(m)]
        down, up = rest[:k], rest[::-1][:k]
        tops[d, :len(down)] = down
        bots[d, :len(up)] = up
    # each option's positions by weight, largest first (float rounding is monotone: the order
    # of the stored weights, for which the bound is the exact rearrangement bound)
    order = np.argsort(-Wm, axis=1, kind="stable").astype(np.int64)
    n_irr = n - k
    mmax = max(mult_desc)
    ways = np.zeros((n_irr + 1, mmax + 1), dtype=np.int64)
    for i in range(n_irr + 1):
        for j in range(min(i, mmax) + 1):
            ways[i, j] = min(math.comb(i, j), 2**62)  # the used ones are below the orbit size
    counts, nodes, (n_close, c_depth, c_vidx, c_alive, c_mul) = _kernel.branch_and_bound(
        Wm, n_a, order, vals, mult, n_irr, tops, bots, ways, pairwise, gap, rounded)
    placed = [0]
    for m in mult_desc:
        placed.append(placed[-1] + m)
    totals = [0, 0, 0]
    for d in range(T + 1):
        comp = math.factorial(n - placed[d])
        for m in mult_desc[d:]:
            comp //= math.factorial(m)
        for s in range(3):
            totals[s] += comp * int(counts[d, s])
    nodes = int(nodes)
    if n_close:  # the close calls of the rounded arithmetic, settled exactly
        depth = c_depth[:n_close]
        start = [(int(d), c_vidx[:n_close][depth == d], c_alive[:n_close][depth == d],
                  [int(x) for x in c_mul[:n_close][depth == d]]) for d in np.unique(depth)]
        a_s, b_s, t, more = _branch_and_bound(W, n_a, values_desc, mult_desc, n, start=start)
        totals = [totals[0] + a_s, totals[1] + b_s, totals[2] + t]
        nodes += more - n_close  # the handed-over nodes were counted once already
    return totals[0], totals[1], totals[2], nodes
