"""Orbit votes (spec §2): exact counts over the distinct permuted variants of a reward vector.

For option sets A and B (sets of visit distributions, compared under a criterion) and a reward
vector r, the orbit vote is ``(#A strictly better, #B strictly better, #ties)`` over the
*distinct* elements of the orbit ``{σ·r : σ in Sym(S)}``, whose size is ``|S|! / prod m_k!``
for value multiplicities ``m_k``. Counts are Python integers (exact, unbounded).

Reductions (all exact):

* a state whose coefficient is the same in every option at every level changes every value by
  the same amount, so it is *irrelevant*; placements of values on irrelevant states are counted
  with a multinomial instead of being enumerated;
* when every option is, on the relevant states, ``c·e_x`` for a single state ``x`` with the same
  ``c`` (for example terminal states under average reward) the options are exchangeable blocks
  and a dynamic programme over value types (highest first) gives the counts in closed form;
* with all reward values distinct, the same holds when the options also share, per side, a part
  on a few *hub* states (e.g. ``live``/``die`` before their terminals, under ``blackwell`` or
  ``discounted``): hub values are enumerated and the blocks are counted by rank;
* otherwise the distinct arrangements of values on the relevant states are enumerated in
  vectorised numpy chunks, each weighted by its number of completions.

Beyond ``limit`` arrangements the orbit is sampled uniformly (``method = "sampled"``) with a
Wilson 95% interval for the weak fraction, or :class:`EnumerationTooLarge` is raised when
sampling was not requested. Samples are bounded too (``max_samples``, :data:`MAX_SAMPLES`, and
the total work :data:`MAX_SAMPLE_WORK`), as is the exact count of arrangements
(:data:`MAX_COUNT_WORK`).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from workbench._errors import EnumerationTooLarge, ResourceTooLarge, WorkbenchError
from workbench.power._visits.criteria import Average
from workbench.power._visits.visits import MAX_VISITS, non_dominated

__all__ = [
    "OrbitVote",
    "orbit_vote",
    "orbit_vote_sets",
    "orbit_size",
    "wilson_interval",
    "DEFAULT_LIMIT",
    "MAX_SAMPLES",
]

DEFAULT_LIMIT = 20_000_000
#: Most uniform samples of an orbit (``max_samples``).
MAX_SAMPLES = 10_000_000
#: Most sampling work: samples x (states + options x relevant states).
MAX_SAMPLE_WORK = 5 * 10**9
#: Most steps of the exact count of arrangements (about relevant states x multiplicity per value).
MAX_COUNT_WORK = 20_000_000
#: Most exact big-integer work when values overflow machine integers (huge rewards or exact
#: discounts): rows x options x relevant states x levels x (bits / 64).
MAX_EXACT_WORK = 300_000_000
_CHUNK = 400_000
_PRUNE_ABOVE = 16
_PRUNE_WORK = 2 * 10**8


@dataclass(frozen=True)
class OrbitVote:
    """Result of an orbit vote.

    ``a_strict + b_strict + tie == orbit_size`` for ``method == "exact"``; for ``"sampled"``
    the three counts are over ``samples`` uniform draws from the orbit and ``ci`` is the Wilson
    95% interval for the weak fraction of A.
    """

    a_strict: int
    b_strict: int
    tie: int
    orbit_size: int
    criterion: str
    method: str = "exact"
    ci: tuple | None = None
    samples: int | None = None
    rule: str = "optimal"
    domain: str = "states"
    relevant: tuple = ()
    reduction: str = ""

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
            "method": self.method,
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


# --- counting helpers ---------------------------------------------------------------------

def _count_arrangements(counts: tuple, k: int) -> int:
    """Distinct ordered arrangements of ``k`` items drawn from a multiset with ``counts``.

    ``a[i]`` counts the sequences of length ``i`` over the types so far; a type with
    multiplicity ``m`` adds ``j <= m`` copies in ``C(i + j, j)`` positions (exact integers).
    """
    work = sum((k + 1) * (min(m, k) + 1) for m in counts)
    if work > MAX_COUNT_WORK:
        raise ResourceTooLarge(
            f"counting the arrangements of values on {k:,} relevant states would take about {work:,} steps, "
            f"more than {MAX_COUNT_WORK:,} (MAX_COUNT_WORK); use fewer distinct reward values or a smaller MDP")
    poly = [1]
    for m in counts:
        new = [0] * min(len(poly) + m, k + 1)
        for i, c in enumerate(poly):
            if c:
                for j in range(0, min(m, k - i) + 1):
                    new[i + j] += c * math.comb(i + j, j)
        poly = new
    return poly[k] if k < len(poly) else 0


def _count_text(n: int) -> str:
    """``n`` with thousands separators, or ``about 10^k`` when it is too long to print."""
    if n.bit_length() <= 200:
        return f"{n:,}"
    return f"about 10^{round((n.bit_length() - 1) * math.log10(2))}"


def _completions(rem: tuple) -> int:
    out = math.factorial(sum(rem))
    for m in rem:
        out //= math.factorial(m)
    return out


def _arrangement_chunks(counts: np.ndarray, k: int, max_rows: int, prefix=()):
    """Yield ``(rows, rem)``: all distinct arrangements of ``k`` slots (value-type indices)
    with the remaining counts, in chunks of at most about ``max_rows`` rows."""
    total = _count_arrangements(tuple(int(c) for c in counts), k)
    if total <= max_rows or k == 0:
        dtype = np.int16
        rows = np.zeros((1, 0), dtype=dtype)
        rem = counts[None, :].astype(np.int32)
        for _ in range(k):
            new_rows, new_rem = [], []
            for t in range(len(counts)):
                mask = rem[:, t] > 0
                if not mask.any():
                    continue
                r = rows[mask]
                rr = rem[mask].copy()
                rr[:, t] -= 1
                new_rows.append(np.concatenate([r, np.full((len(r), 1), t, dtype=dtype)], axis=1))
                new_rem.append(rr)
            rows = np.concatenate(new_rows)
            rem = np.concatenate(new_rem)
        if prefix:
            rows = np.concatenate([np.tile(np.array(prefix, dtype=dtype), (len(rows), 1)), rows], axis=1)
        yield rows, rem
        return
    for t in range(len(counts)):
        if counts[t] > 0:
            c = counts.copy()
            c[t] -= 1
            yield from _arrangement_chunks(c, k - 1, max_rows, prefix + (t,))


def _scaled_levels(levels, cols):
    """Integer weight matrices per level restricted to ``cols`` (each level scaled by its LCD)."""
    out, dens = [], []
    for level in levels:
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


def _dedupe(options):
    return list(dict.fromkeys(tuple(map(tuple, o)) for o in options))


def orbit_vote_sets(
    A,
    B,
    reward,
    *,
    criterion: str = "given vectors",
    rule=None,
    limit: int = DEFAULT_LIMIT,
    samples: int | None = None,
    seed: int = 0,
    names=None,
    domain: str = "states",
    max_samples: int = MAX_SAMPLES,
) -> OrbitVote:
    """Orbit vote for explicit option sets.

    Parameters
    ----------
    A, B : sequences of options
        Each option is a sequence of *level vectors* (one per criterion level, see
        ``workbench.power.Average.levels``), each of length ``len(reward)``. The value of an
        option is the tuple of dot products with ``r``, compared lexicographically; a set's
        value is its best option.
    reward : sequence of numbers
        Exact (Fractions/ints) values; floats are converted exactly.
    rule : DecisionRule, optional
        Compare ``rule.probability(A | A∪B)`` with ``rule.probability(B | A∪B)`` instead of the
        best values (RDSP Prop A.11). Single-level criteria only.
    limit : int
        Largest number of arrangements enumerated exactly.
    samples : int, optional
        If given and the exact enumeration exceeds ``limit``, sample this many uniform orbit
        elements instead (``method = "sampled"``); at most ``max_samples``.

    Examples
    --------
    The ghost/apple/cherry table (spec §3): utility (10, 5, 0) on (ghost, apple, cherry);
    A = {ghost}, B = {apple, cherry}:

    >>> e = lambda i: [tuple(1 if j == i else 0 for j in range(3))]
    >>> v = orbit_vote_sets([e(0)], [e(1), e(2)], [10, 5, 0])
    >>> (v.a_strict, v.b_strict, v.tie, v.orbit_size)
    (2, 4, 0, 6)
    """
    reward = [Fraction(x) if not isinstance(x, float) else Fraction(str(x)) for x in reward]
    n = len(reward)
    names = tuple(names) if names is not None else tuple(str(i) for i in range(n))
    A, B = _dedupe(A), _dedupe(B)
    if not A or not B:
        raise WorkbenchError("both option sets must be non-empty")
    nlev = len(A[0])
    if any(len(o) != nlev for o in A + B) or any(len(v) != n for o in A + B for v in o):
        raise WorkbenchError(f"every option needs {nlev} level vectors of length {n}")
    if rule is not None and getattr(rule, "name", "optimal") != "optimal" and nlev != 1:
        raise WorkbenchError(f"decision rule {rule.name} needs a single-level criterion (average or discounted)")
    if nlev == 1 and (rule is None or getattr(rule, "name", "optimal") == "optimal") and len(A) + len(B) > 16:
        # a set's best value is attained on its non-dominated vectors (other rules see all options);
        # the linear programmes only pay off for large enumerations
        k0 = sum(1 for j in range(n) if len({o[0][j] for o in A + B}) > 1)
        work = _count_arrangements(tuple(Counter(reward).values()), k0) * (len(A) + len(B))
        if work > _PRUNE_WORK:
            try:
                A, B = ([X[i] for i in non_dominated([o[0] for o in X])] for X in (A, B))
            except EnumerationTooLarge:
                pass  # too many options for the linear programmes: enumerate them all (same counts)
    levels = [[o[l] for o in A + B] for l in range(nlev)]
    if getattr(rule, "shift_invariant", True):
        relevant = [j for j in range(n) if any(len({v[j] for v in level}) > 1 for level in levels)]
    else:  # e.g. Satisfice: absolute values matter, so every state in a support is relevant
        relevant = [j for j in range(n) if any(v[j] != 0 for level in levels for v in level)]
    types = sorted(set(reward))
    mult = [reward.count(t) for t in types]
    size = orbit_size(reward)
    rule_name = getattr(rule, "name", "optimal") if rule is not None else "optimal"
    common = dict(orbit_size=size, criterion=criterion, rule=rule_name, domain=domain,
                  relevant=tuple(names[j] for j in relevant))
    if not relevant:  # every orbit element ties
        return OrbitVote(0, 0, size, method="exact", reduction="all options agree", **common)

    if rule_name == "optimal":
        blocks = _block_form(levels, len(A), relevant)
        if blocks is not None:
            a_s, b_s, t = _block_counts(mult[::-1], len(blocks[0]), len(blocks[1]), n)
            assert a_s + b_s + t == size
            return OrbitVote(a_s, b_s, t, method="exact", reduction="closed form (exchangeable single-state blocks)", **common)
        if len(types) == n:
            hb = _hub_block_form(levels, len(A), relevant)
            if hb is not None:
                res = _hub_block_counts(reward, *hb)
                if res is not None:
                    assert sum(res) == size
                    return OrbitVote(*res, method="exact", reduction=(
                        f"closed form (hub states {', '.join(names[j] for j in hb[2])} enumerated, "
                        f"exchangeable single-state blocks counted by rank)"), **common)

    k = len(relevant)
    n_arr = _count_arrangements(tuple(mult), k)
    scaled, wden = _scaled_levels(levels, relevant)
    vden = 1
    for t in types:
        vden = math.lcm(vden, t.denominator)
    vint = [int(t * vden) for t in types]
    dtype = _choose_dtype(scaled, vint)
    nC = len(A) + len(B)
    chunk = max(2_000, min(_CHUNK, 16_000_000 // nC if rule_name == "optimal" else 8_000_000 // (nC * nC)))
    rows_total = n_arr if n_arr <= limit else (samples or 0)
    if dtype is object:
        weight = _big_int_weight(scaled, vint)
        if rule_name != "optimal" or nlev > 1:  # every row is computed exactly
            _check_exact_work(rows_total * nC * k * nlev * weight)
    if rule_name != "optimal":
        if max(abs(v) for v in reward) > 10**150:  # rules compare probabilities in floating point
            raise WorkbenchError(f"decision rule {rule_name}: reward values must be at most 1e150 in size "
                                 f"(the rule compares in floating point)")
        compare = _rule_signs(rule, vden * wden[0])
    elif dtype is object and nlev == 1:
        compare = None
        evaluate = _hybrid_signs(scaled[0], len(A), vint, weight)
    else:
        compare = _signs
    if compare is not None:
        WA = [np.array([row for row in m[: len(A)]], dtype=dtype) for m in scaled]
        WB = [np.array([row for row in m[len(A):]], dtype=dtype) for m in scaled]
        vtab = np.array(vint, dtype=dtype)
        evaluate = lambda rows: compare(vtab[rows], WA, WB)  # noqa: E731

    if n_arr > limit:
        if not samples:
            raise EnumerationTooLarge(
                f"exact orbit vote needs {_count_text(n_arr)} arrangements of values on {k} relevant states, above the "
                f"limit {limit:,}; raise `limit` or give `samples` for a sampled estimate",
                estimate=n_arr, limit=limit, parameter="limit")
        if samples > max_samples:
            raise EnumerationTooLarge(f"{samples:,} samples of the orbit, above the limit {max_samples:,}; raise `max_samples`",
                                      estimate=samples, limit=max_samples, parameter="max_samples")
        work = samples * (n + nC * k)
        if work > MAX_SAMPLE_WORK:
            raise ResourceTooLarge(
                f"{samples:,} samples over {n} states and {nC} options need about {work:,} operations, more than "
                f"{MAX_SAMPLE_WORK:,} (MAX_SAMPLE_WORK); use fewer samples")
        chunk = max(1, min(chunk, 10**8 // n))  # rows of n values each: bounded memory
        rng = np.random.default_rng(seed)
        full = np.array([types.index(x) for x in reward], dtype=np.int16)
        cnt = [0, 0, 0]
        done = 0
        while done < samples:
            m = min(chunk, samples - done)
            draws = rng.permuted(np.tile(full, (m, 1)), axis=1)[:, relevant]
            s = evaluate(draws)
            cnt[0] += int((s > 0).sum())
            cnt[1] += int((s < 0).sum())
            cnt[2] += int((s == 0).sum())
            done += m
        ci = wilson_interval(cnt[0] + cnt[2], samples)
        return OrbitVote(cnt[0], cnt[1], cnt[2], method="sampled", ci=ci, samples=samples,
                         reduction=f"uniform sampling over {k} relevant states (seed {seed})", **common)

    counts = np.array(mult, dtype=np.int64)
    total = [0, 0, 0]
    radix = np.cumprod([1] + [m + 1 for m in mult[:-1]], dtype=object)
    use_key = math.prod(m + 1 for m in mult) < 2**62
    for rows, rem in _arrangement_chunks(counts, k, chunk):
        s = evaluate(rows)
        outcome = np.where(s > 0, 0, np.where(s < 0, 1, 2))
        if k == n:
            for i in range(3):
                total[i] += int((outcome == i).sum())
            continue
        if use_key:
            key = rem.astype(np.int64) @ np.array(radix, dtype=np.int64)
            uniq, reps, inv = np.unique(key, return_index=True, return_inverse=True)
        else:
            uniq, reps, inv = np.unique(rem, axis=0, return_index=True, return_inverse=True)
        tab = np.bincount(inv.ravel() * 3 + outcome, minlength=3 * len(uniq)).reshape(-1, 3)
        for g in range(len(uniq)):
            w = _completions(tuple(int(x) for x in rem[reps[g]]))
            for i in range(3):
                total[i] += w * int(tab[g, i])
    assert sum(total) == size, (total, size)
    how = f"enumerated {n_arr} arrangements on {k} relevant states; other states counted combinatorially"
    if rule_name != "optimal":
        how += "; rule probabilities compared in floating point (tolerance 1e-12)"
    return OrbitVote(total[0], total[1], total[2], method="exact", reduction=how, **common)


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
    Wf = np.array([[float(Fraction(x, wmax)) for x in row] for row in W])
    WAf, WBf = Wf[:nA], Wf[nA:]
    Wobj = np.array(W, dtype=object)
    WAo, WBo = Wobj[:nA], Wobj[nA:]
    vobj = np.array(vint, dtype=object)
    vf = np.array([float(Fraction(v, vmax)) for v in vint])
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
    to_float = np.vectorize(lambda x: float(Fraction(int(x), scale)), otypes=[float])

    def compare(vals, WA, WB):
        VA, VB = vals @ WA[0].T, vals @ WB[0].T
        if VA.dtype == object:  # exact big integers: divide exactly, then round once
            return rule.compare(to_float(VA), to_float(VB))
        return rule.compare(VA.astype(float) / scale, VB.astype(float) / scale)

    return compare


def _prune(visits, criterion):
    """Keep ``ND`` of an option set (exactly verified, see ``non_dominated``): the best value of
    a set is attained on its non-dominated elements, for every γ (spec §1)."""
    from workbench.power._visits.visits import non_dominated

    if len(visits) <= _PRUNE_ABOVE:
        return list(visits)  # a few options: the linear programmes would cost more than they save
    vecs = [criterion.hull_vector(f) for f in visits]
    try:
        return [visits[i] for i in non_dominated(vecs)]
    except EnumerationTooLarge:
        return list(visits)  # too many for the linear programmes; pruning only saves time


def orbit_vote(mdp, state, a, b, reward, criterion=None, *, max_visits: int = MAX_VISITS, **kwargs) -> OrbitVote:
    """Orbit vote at ``state`` between first-action sets ``a`` and ``b`` (options pooled).

    Parameters
    ----------
    mdp : MDP
    state : str
    a, b : sequences of action names at ``state`` (for a deterministic MDP, successor states)
    reward : sequence of numbers in the MDP's state order
    criterion : Average | Blackwell | Discounted, default Average()
    max_visits : int
        Most visit distributions enumerated at ``state`` (see ``visit_distributions``).
    **kwargs : passed to :func:`orbit_vote_sets` (``rule``, ``limit``, ``samples``, ``seed``,
        ``max_samples``)

    Examples
    --------
    The candy / Wait! MDP of the seed: at least 2/3 of every orbit weakly prefers ``wait``
    under average reward (RDSP Thm D.11 with n = 2).

    >>> from workbench.power import MDP
    >>> m = MDP.from_successors({"start": ["candy", "wait"], "wait": ["chocolate", "hug"],
    ...     "candy": ["candy"], "chocolate": ["chocolate"], "hug": ["hug"]})
    >>> v = orbit_vote(m, "start", ["candy"], ["wait"], [0, 0, 3, 2, 1])
    >>> v.weak_fraction_b
    Fraction(2, 3)
    """
    from workbench.power._visits.visits import options

    criterion = criterion or Average()
    if len(reward) != mdp.n_states:
        shown = ", ".join(mdp.states[:10]) + ("..." if mdp.n_states > 10 else "")
        raise WorkbenchError(f"reward has {len(reward)} values but {mdp.source} has {mdp.n_states} states ({shown})")
    A, B = options(mdp, state, a, max_visits=max_visits), options(mdp, state, b, max_visits=max_visits)
    if criterion.name == "blackwell":  # single-level criteria are pruned on their vectors later
        A, B = _prune(A, criterion), _prune(B, criterion)
    lv = criterion.levels(list(A) + list(B))
    optsA = [[lv[l][i] for l in range(len(lv))] for i in range(len(A))]
    optsB = [[lv[l][len(A) + i] for l in range(len(lv))] for i in range(len(B))]
    return orbit_vote_sets(optsA, optsB, reward, criterion=criterion.describe(), names=mdp.states,
                           domain=kwargs.pop("domain", "states"), **kwargs)

