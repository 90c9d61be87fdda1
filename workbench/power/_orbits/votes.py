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
* otherwise (the optimal rule) a value-order branch and bound (:mod:`.search`) places the
  values from the largest down and counts every partial arrangement whose bounds already
  decide the vote with one multinomial, without visiting its completions (compiled with numba,
  depth first, for single-level votes on orbits of at least 200,000 arrangements);
* other decision rules enumerate the distinct arrangements of values on the relevant states in
  vectorised numpy chunks, each weighted by its number of completions.

How the counts are obtained is an object (:mod:`~workbench.power._orbits.methods`):
``method=Exact(limit=...)`` (the default, ``Exact()``) counts exactly and raises
:class:`EnumerationTooLarge` (``parameter == "limit"``) when the orbit has more than ``limit``
arrangements on the relevant states;
``method=Sampled(samples, seed)`` draws uniform orbit elements instead and reports a Wilson 95%
interval for the weak fraction. The vote never switches between the two by itself. Samples are
bounded (``max_samples``, :data:`MAX_SAMPLES`, and the total work :data:`MAX_SAMPLE_WORK`), as is
the exact count of arrangements (:data:`MAX_COUNT_WORK`).

The rest of the engine lives in one module per concept: the result (:mod:`.result`), the
counting of arrangements (:mod:`.counting`), the closed forms (:mod:`.closed_forms`), the
branch and bound (:mod:`.search`) and the vectorised comparisons (:mod:`.comparisons`).
"""

from __future__ import annotations

import math
from collections import Counter
from fractions import Fraction

import numpy as np

from workbench._errors import EnumerationTooLarge, ResourceTooLarge, WorkbenchError
from workbench.power._orbits.closed_forms import _block_counts, _block_form, _hub_block_counts, _hub_block_form
from workbench.power._orbits.comparisons import (
    _big_int_weight,
    _check_exact_work,
    _choose_dtype,
    _hybrid_signs,
    _rule_signs,
    _scaled_levels,
    _signs,
)
from workbench.power._orbits.counting import MAX_COUNT_WORK, _arrangement_chunks, _completions, _count_arrangements, _count_text
from workbench.power._orbits.methods import DEFAULT_LIMIT, MAX_SAMPLES, Exact, Sampled, VoteMethod
from workbench.power._orbits.result import OrbitVote, orbit_size, wilson_interval
from workbench.power._orbits.rules import DecisionRule, IsOptimal
from workbench.power._orbits.search import (
    COMPILED_ABOVE,
    VECTORISED_FIRST,
    _branch_and_bound,
    _branch_and_bound_compiled,
    _compiled_fits,
)
from workbench.power._visits.criteria import Average
from workbench.power._visits.visits import MAX_VISITS, non_dominated

__all__ = [
    "OrbitVote",
    "orbit_vote",
    "orbit_vote_sets",
    "orbit_size",
    "wilson_interval",
    "Exact",
    "Sampled",
    "DEFAULT_LIMIT",
    "MAX_SAMPLES",
    "MAX_COUNT_WORK",
]

#: Most sampling work: samples x (states + options x relevant states).
MAX_SAMPLE_WORK = 5 * 10**9
_CHUNK = 400_000
_PRUNE_ABOVE = 16
_PRUNE_WORK = 2 * 10**8


def _numba_available() -> bool:
    """numba is a dependency; without it (a broken install) the vectorised search counts alike."""
    import importlib.util

    return importlib.util.find_spec("numba") is not None


def _dedupe(options):
    return list(dict.fromkeys(tuple(map(tuple, o)) for o in options))


def orbit_vote_sets(
    A,
    B,
    reward,
    *,
    criterion: str = "given vectors",
    rule: DecisionRule | None = None,
    method: Exact | Sampled | None = None,
    names=None,
    domain: str = "states",
    max_samples: int = MAX_SAMPLES,
    **removed,
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
    rule : DecisionRule, default IsOptimal()
        Compare ``rule.choice_probability`` of A and of B within ``C = A ∪ B`` instead of the
        best values (RDSP Prop A.11). Rules other than :class:`IsOptimal` need a single-level
        criterion.
    method : Exact or Sampled, default Exact()
        ``Exact(limit)`` counts every distinct orbit element and raises
        :class:`EnumerationTooLarge` (``parameter == "limit"``) when the orbit has more than
        ``limit`` arrangements on the relevant states; ``Sampled(samples, seed)`` estimates the vote from
        uniform draws of the orbit (at most ``max_samples``). Never switches by itself.
    names : sequence of str, optional
        Names of the coordinates (states), for ``relevant`` in the result.
    domain : str
        What the orbit acts on, for the result (``"states"`` by default).
    max_samples : int
        Most draws a :class:`Sampled` method may ask for (:data:`MAX_SAMPLES`).

    Returns
    -------
    OrbitVote
        ``method`` is :attr:`VoteMethod.EXACT` or :attr:`VoteMethod.SAMPLED`, as counted.

    Examples
    --------
    The ghost/apple/cherry table (spec §3): utility (10, 5, 0) on (ghost, apple, cherry);
    A = {ghost}, B = {apple, cherry}:

    >>> e = lambda i: [tuple(1 if j == i else 0 for j in range(3))]
    >>> v = orbit_vote_sets([e(0)], [e(1), e(2)], [10, 5, 0])
    >>> (v.a_strict, v.b_strict, v.tie, v.orbit_size)
    (2, 4, 0, 6)

    The same vote estimated from draws of the orbit:

    >>> orbit_vote_sets([e(0)], [e(1), e(2)], [10, 5, 0], method=Sampled(samples=600, seed=0)).method
    <VoteMethod.SAMPLED: 'sampled'>

    References
    ----------
    Turner & Tadepalli 2022 (RDSP), Definition of orbit votes and Thm D.11; spec §2.
    """
    if removed:
        given = ", ".join(sorted(removed))
        raise TypeError(f"orbit_vote_sets() got unexpected keyword argument(s) {given}: the counting method is an object, "
                        f"method=Exact(limit=...) or method=Sampled(samples=..., seed=...)")
    method = Exact() if method is None else method
    if not isinstance(method, (Exact, Sampled)):
        raise WorkbenchError(f"method must be Exact(limit=...) or Sampled(samples=..., seed=...), got {method!r}")
    rule = IsOptimal() if rule is None else rule
    if not isinstance(rule, DecisionRule):
        raise WorkbenchError(f"rule must be a DecisionRule (for example IsOptimal() or Boltzmann(0.5)), got {rule!r}")
    optimal = isinstance(rule, IsOptimal)
    reward = [Fraction(x) if not isinstance(x, float) else Fraction(str(x)) for x in reward]
    n = len(reward)
    names = tuple(names) if names is not None else tuple(str(i) for i in range(n))
    A, B = _dedupe(A), _dedupe(B)
    if not A or not B:
        raise WorkbenchError("both option sets must be non-empty")
    nlev = len(A[0])
    if any(len(o) != nlev for o in A + B) or any(len(v) != n for o in A + B for v in o):
        raise WorkbenchError(f"every option needs {nlev} level vectors of length {n}")
    if not optimal and nlev != 1:
        raise WorkbenchError(f"decision rule {rule.name} needs a single-level criterion (average or discounted)")
    if nlev == 1 and optimal and len(A) + len(B) > 16 and isinstance(method, Sampled):
        # a set's best value is attained on its non-dominated vectors (other rules see all options);
        # the linear programmes only pay off for large samples (the exact search drops options
        # that cannot be their set's best as it goes)
        k0 = sum(1 for j in range(n) if len({o[0][j] for o in A + B}) > 1)
        work = _count_arrangements(tuple(Counter(reward).values()), k0) * (len(A) + len(B))
        if work > _PRUNE_WORK:
            try:
                A, B = ([X[i] for i in non_dominated([o[0] for o in X])] for X in (A, B))
            except EnumerationTooLarge:
                pass  # too many options for the linear programmes: enumerate them all (same counts)
    levels = [[o[l] for o in A + B] for l in range(nlev)]
    if rule.shift_invariant:
        relevant = [j for j in range(n) if any(len({v[j] for v in level}) > 1 for level in levels)]
    else:  # e.g. Satisfice: absolute values matter, so every state in a support is relevant
        relevant = [j for j in range(n) if any(v[j] != 0 for level in levels for v in level)]
    types = sorted(set(reward))
    mult = [reward.count(t) for t in types]
    size = orbit_size(reward)
    common = dict(orbit_size=size, criterion=criterion, rule=rule.name, domain=domain,
                  relevant=tuple(names[j] for j in relevant))
    sampled = isinstance(method, Sampled)
    if sampled:
        _check_samples(method.samples, max_samples, n, len(A) + len(B), len(relevant))
    if not relevant:  # every orbit element ties
        if sampled:  # what every draw gives: no need to draw
            return OrbitVote(0, 0, method.samples, method=VoteMethod.SAMPLED, ci=wilson_interval(method.samples, method.samples),
                             samples=method.samples, reduction="all options agree (every draw ties)", **common)
        return OrbitVote(0, 0, size, method=VoteMethod.EXACT, reduction="all options agree", **common)

    if optimal and not sampled:
        blocks = _block_form(levels, len(A), relevant)
        if blocks is not None:
            a_s, b_s, t = _block_counts(mult[::-1], len(blocks[0]), len(blocks[1]), n)
            assert a_s + b_s + t == size
            return OrbitVote(a_s, b_s, t, method=VoteMethod.EXACT, reduction="closed form (exchangeable single-state blocks)", **common)
        if len(types) == n:
            hb = _hub_block_form(levels, len(A), relevant)
            if hb is not None:
                res = _hub_block_counts(reward, *hb)
                if res is not None:
                    assert sum(res) == size
                    return OrbitVote(*res, method=VoteMethod.EXACT, reduction=(
                        f"closed form (hub states {', '.join(names[j] for j in hb[2])} enumerated, "
                        f"exchangeable single-state blocks counted by rank)"), **common)

    k = len(relevant)
    n_arr = None if sampled else _count_arrangements(tuple(mult), k)
    scaled, wden = _scaled_levels(levels, relevant)
    vden = 1
    for t in types:
        vden = math.lcm(vden, t.denominator)
    vint = [int(t * vden) for t in types]
    dtype = _choose_dtype(scaled, vint)
    nC = len(A) + len(B)
    chunk = max(2_000, min(_CHUNK, 16_000_000 // nC if optimal else 8_000_000 // (nC * nC)))
    rows_total = method.samples if sampled else (n_arr if n_arr <= method.limit else 0)
    if dtype is object:
        weight = _big_int_weight(scaled, vint)
        if not optimal or nlev > 1:  # every row is computed exactly
            _check_exact_work(rows_total * nC * k * nlev * weight)
    if not optimal and max(abs(v) for v in reward) > 10**150:  # rules compare probabilities in floating point
        raise WorkbenchError(f"decision rule {rule.name}: reward values must be at most 1e150 in size "
                             f"(the rule compares in floating point)")

    def comparisons():
        """``evaluate(rows)``: signs of value(A) - value(B) for arrangements (value-type indices);
        built only where rows are compared (the branch and bound does not need it)."""
        if not optimal:
            compare = _rule_signs(rule, vden * wden[0])
        elif dtype is object and nlev == 1:
            return _hybrid_signs(scaled[0], len(A), vint, weight)
        else:
            compare = _signs
        WA = [np.array([row for row in m[: len(A)]], dtype=dtype) for m in scaled]
        WB = [np.array([row for row in m[len(A):]], dtype=dtype) for m in scaled]
        vtab = np.array(vint, dtype=dtype)
        return lambda rows: compare(vtab[rows], WA, WB)

    if not sampled and n_arr > method.limit:
        raise EnumerationTooLarge(
            f"exact orbit vote needs {_count_text(n_arr)} arrangements of values on {k} relevant states, above the "
            f"limit {method.limit:,}; raise `limit` of Exact or count with method=Sampled(samples, seed) for an estimate",
            estimate=n_arr, limit=method.limit, parameter="limit")
    if sampled:
        evaluate = comparisons()
        samples, seed = method.samples, method.seed
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
        return OrbitVote(cnt[0], cnt[1], cnt[2], method=VoteMethod.SAMPLED, ci=ci, samples=samples,
                         reduction=f"uniform sampling over {k} relevant states (seed {seed})", **common)

    if optimal:
        if n_arr >= COMPILED_ABOVE and _compiled_fits(scaled, mult, n) and _numba_available():
            # the vectorised search first, within a work budget; the compiled one if that runs out
            found = (_branch_and_bound(scaled, len(A), vint[::-1], mult[::-1], n, max_work=VECTORISED_FIRST)
                     if VECTORISED_FIRST else None)
            if found is None:
                found = _branch_and_bound_compiled(scaled, len(A), vint[::-1], mult[::-1], n)
        else:
            found = _branch_and_bound(scaled, len(A), vint[::-1], mult[::-1], n)
        if found is not None:
            a_s, b_s, t, nodes = found
            assert a_s + b_s + t == size, (found, size)
            how = (f"value-order branch and bound over the {n_arr} arrangements on {k} relevant states "
                   f"({nodes} search nodes); other states counted combinatorially")
            return OrbitVote(a_s, b_s, t, method=VoteMethod.EXACT, reduction=how, **common)
    evaluate = comparisons()
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
    if not optimal:
        how += ("; C is the set of options (an option of A and B counts once); rule probabilities compared exactly: "
                "floating point where |P(A|C) - P(B|C)| >= 1e-9, otherwise "
                + ("exact rational arithmetic" if rule.arithmetic == "fractions" else
                   "ties by the Lindemann-Weierstrass theorem and signs by mpmath at increasing precision"))
    return OrbitVote(total[0], total[1], total[2], method=VoteMethod.EXACT, reduction=how, **common)


def _check_samples(samples: int, max_samples: int, n: int, n_options: int, k: int) -> None:
    if samples > max_samples:
        raise EnumerationTooLarge(f"{samples:,} samples of the orbit, above the limit {max_samples:,}; raise `max_samples`",
                                  estimate=samples, limit=max_samples, parameter="max_samples")
    work = samples * (n + n_options * k)
    if work > MAX_SAMPLE_WORK:
        raise ResourceTooLarge(
            f"{samples:,} samples over {n} states and {n_options} options need about {work:,} operations, more than "
            f"{MAX_SAMPLE_WORK:,} (MAX_SAMPLE_WORK); use fewer samples")


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


def _integer_discounted(visits, gamma):
    """``[[D f(γ) for f in visits]]`` as Python integers, for one common ``D > 0``, or None when a
    coefficient of some ``f`` is not an integer.

    The orbit vote under the optimal rule only compares values, so any common positive scale
    gives the same counts;
    this skips the per-element :class:`~fractions.Fraction` arithmetic of ``f.at(γ)``. With
    ``γ = p/q`` and ``f_x = N_x / d`` of degree at most ``m``, ``q^m N_x(p/q)`` and
    ``q^m d(p/q)`` are integers.
    """
    p, q = gamma.numerator, gamma.denominator
    degs = [f.degree() for f in visits]
    deg = max(degs)
    pp, qq = [1], [1]
    for _ in range(deg):
        pp.append(pp[-1] * p)
        qq.append(qq[-1] * q)
    rows, dens = [], []
    for f, m in zip(visits, degs):
        m -= 1
        out = []
        for poly in f.numerators + (f.denominator,):
            acc = 0
            for i, c in enumerate(poly):
                if c:
                    if c.denominator != 1:
                        return None
                    acc += c.numerator * pp[i] * qq[m - i]
            out.append(acc)
        den = out.pop()
        if den == 0:
            return None
        if den < 0:
            den, out = -den, [-x for x in out]
        rows.append(out)
        dens.append(den)
    D = math.lcm(*dens)
    rows = [[x * (D // d) for x in row] for row, d in zip(rows, dens)]
    g = math.gcd(*(x for row in rows for x in row))
    if g > 1:
        rows = [[x // g for x in row] for row in rows]
    return [[tuple(row) for row in rows]]


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
    **kwargs : passed to :func:`orbit_vote_sets` (``rule``, ``method``, ``max_samples``)

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
    >>> v
    OrbitVote(A 20 | B 40 | tie 0 of 60 distinct orbit elements; weak fraction B >= A 2/3; average reward (RSDs, transient reward ignored), rule optimal, exact)

    An exact vote over its limit raises instead of sampling; sampling is asked for explicitly:

    >>> from workbench.power import gridworld
    >>> g, r = gridworld(3, 3), list(range(9))
    >>> orbit_vote(g, "r0c0", ["r0c1"], ["r1c0"], r, method=Exact(limit=10))
    Traceback (most recent call last):
        ...
    workbench._errors.EnumerationTooLarge: exact orbit vote needs 362,880 arrangements of values on 9 relevant states, above the limit 10; raise `limit` of Exact or count with method=Sampled(samples, seed) for an estimate
    >>> s = orbit_vote(g, "r0c0", ["r0c1"], ["r1c0"], r, method=Sampled(samples=20_000, seed=1))
    >>> str(s.method), [round(x, 4) for x in s.ci]
    ('sampled', [0.9844, 0.9877])

    References
    ----------
    Turner & Tadepalli 2022 (RDSP), Thm D.11; spec §2 and §5 (the Wait! MDP).
    """
    from workbench.power._visits.visits import options

    criterion = criterion or Average()
    if len(reward) != mdp.n_states:
        shown = ", ".join(mdp.states[:10]) + ("..." if mdp.n_states > 10 else "")
        raise WorkbenchError(f"reward has {len(reward)} values but {mdp.source} has {mdp.n_states} states ({shown})")
    A, B = options(mdp, state, a, max_visits=max_visits), options(mdp, state, b, max_visits=max_visits)
    if criterion.name == "blackwell":  # single-level criteria are pruned on their vectors later
        A, B = _prune(A, criterion), _prune(B, criterion)
    # the optimal rule only compares values, so a common positive scale of the vectors changes
    # nothing; other rules (e.g. Boltzmann) see the values themselves
    optimal = isinstance(kwargs.get("rule") or IsOptimal(), IsOptimal)
    lv = (_integer_discounted(list(A) + list(B), criterion.gamma) if optimal and criterion.name == "discounted"
          else None) or criterion.levels(list(A) + list(B))
    optsA = [[lv[l][i] for l in range(len(lv))] for i in range(len(A))]
    optsB = [[lv[l][len(A) + i] for l in range(len(lv))] for i in range(len(B))]
    return orbit_vote_sets(optsA, optsB, reward, criterion=criterion.describe(), names=mdp.states,
                           domain=kwargs.pop("domain", "states"), **kwargs)
