"""Visit distributions ``f(γ) = sum_t γ^t E[e_{s_t}]`` as exact rational functions of γ.

Deterministic MDPs: every stationary deterministic policy from ``s`` traces a *lasso* (a simple
path, then a simple cycle repeated), and distinct lassos give distinct visit distributions, so
lassos are enumerated instead of policies (spec §1):
``f = sum_{t<k} γ^t e_{x_t} + γ^k / (1 - γ^L) sum_{j<L} γ^j e_{c_j}``.
Stochastic MDPs: policies on the reachable states are enumerated and ``e_s^T (I - γ T_π)^{-1}``
is computed exactly (fraction-free elimination over ``Z[γ]``), then de-duplicated.

Every enumeration is bounded before or while it runs (:class:`EnumerationTooLarge` /
:class:`ResourceTooLarge` with the estimate, the limit and the parameter that raises it):
``max_visits`` lassos or policies from one state (:data:`MAX_VISITS`), the size of the exact
polynomials (:data:`MAX_VISIT_TERMS`), the exact solving work for stochastic MDPs
(:data:`MAX_STOCHASTIC_WORK`) and the vectors given to the linear programmes of
:func:`non_dominated` (:data:`MAX_VECTORS`; up to :data:`EXACT_LP_WORK` they are solved exactly,
without scipy).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from workbench._errors import EnumerationTooLarge, ResourceTooLarge, WorkbenchError
import workbench.power._visits.rational as R
from workbench.power._visits.exact_linear import in_convex_hull, solve_polynomial_system
from workbench.power._mdp.mdp import MDP

__all__ = [
    "VisitDistribution",
    "visit_distributions",
    "options",
    "recurrent_state_distributions",
    "non_dominated",
    "MAX_VISITS",
    "MAX_VISIT_TERMS",
    "MAX_STOCHASTIC_WORK",
    "MAX_VECTORS",
    "EXACT_LP_WORK",
]

#: Most lassos (deterministic) or policies (stochastic) enumerated from one state.
MAX_VISITS = 20_000
#: Most polynomial coefficients held by the visit distributions of one state: a lasso through
#: ``m`` of the ``n`` states holds about ``m (m + 1) / 2 + n`` (a chain of 3,000 states fits).
MAX_VISIT_TERMS = 5_000_000
#: Most exact solving work for a stochastic MDP: for each distinct policy, the cube of the number
#: of states it reaches plus 10 (a fixed cost), summed (a dense 30-state system is 27,010).
MAX_STOCHASTIC_WORK = 30_000
#: Most vectors :func:`non_dominated` checks (one linear programme each, over all the others).
MAX_VECTORS = 2_000

#: Largest problem :func:`non_dominated` decides by exact simplex instead of HiGHS: ``n^2 (d + 1)^2``
#: for ``n`` vectors in ``d`` varying coordinates. Measured on the 2-core machine (load 4-5): 30
#: random vectors in 6 coordinates (44,100) take 30-130 ms exactly, 110-210 ms with HiGHS once
#: ``scipy.optimize`` is loaded (0.4 s more to load it); 40 in 8 (129,600) 140-470 ms against
#: 150-280 ms. Below the limit the exact path is no slower even in a process that has scipy.
EXACT_LP_WORK = 50_000

_ZERO, _ONE, _MINUS_ONE = Fraction(0), Fraction(1), Fraction(-1)


def _evaluate(p, x: Fraction) -> Fraction:
    """``R.evaluate`` for an exact ``x``, fast on the sparse polynomials of lassos (a few
    non-zero coefficients among thousands, most of them the shared zero)."""
    nz = [(k, c) for k, c in enumerate(p) if c is not _ZERO and c]
    if x == 1:
        return sum((c for _, c in nz), _ZERO)
    if 8 * len(nz) < len(p):
        return sum((c * x**k for k, c in nz), _ZERO)
    return R.evaluate(p, x)


def _canonical(numerators, denominator):
    lead = denominator[-1]
    return tuple(R.scale(n, 1 / lead) for n in numerators), R.scale(denominator, 1 / lead)


@dataclass(frozen=True)
class VisitDistribution:
    """One visit distribution ``f(γ) = N(γ) / d(γ)`` (a vector over ``states``).

    Parameters
    ----------
    states : tuple of str
        The coordinates (the MDP's states, in order).
    numerators : tuple of polynomials
        ``N_x(γ)`` for each state ``x`` (coefficient tuples, increasing degree).
    denominator : polynomial
        Common denominator ``d(γ)`` (normalised to be monic).
    first_actions : frozenset of str
        The actions at the start state of the policies producing this ``f``.
    label : str
        Human-readable description, e.g. ``s -> a -> (b c)`` for a lasso.

    Examples
    --------
    >>> f = VisitDistribution.lasso(("s", "t"), [0], [1], {"t"})
    >>> f.at(Fraction(1, 2)), f.rsd()
    ((Fraction(1, 1), Fraction(1, 1)), (Fraction(0, 1), Fraction(1, 1)))
    """

    states: tuple
    numerators: tuple
    denominator: tuple
    first_actions: frozenset = frozenset()
    label: str = ""

    def __post_init__(self):
        if len(self.numerators) != len(self.states):
            raise ValueError("one numerator per state is needed")
        if not self.denominator or R.evaluate(self.denominator, Fraction(0)) == 0:
            raise ValueError("denominator must be non-zero at gamma = 0")
        nums, den = _canonical(self.numerators, self.denominator)
        object.__setattr__(self, "numerators", nums)
        object.__setattr__(self, "denominator", den)

    @classmethod
    def lasso(cls, states, prefix, cycle, first_actions=frozenset(), label=""):
        """The lasso ``prefix`` then ``cycle`` repeated (lists of distinct state indices).

        ``f = (sum_{t<k} (γ^t - γ^{t+L}) e_{x_t} + sum_{j<L} γ^{k+j} e_{c_j}) / (1 - γ^L)``,
        built directly in the canonical form (monic denominator ``γ^L - 1``): this is the hot
        loop of the lasso enumeration.
        """
        k, L = len(prefix), len(cycle)
        if L < 1 or len(set(prefix) | set(cycle)) != k + L:
            raise ValueError("a lasso needs a non-empty cycle and distinct states")
        nums = [()] * len(states)
        tail = (_ZERO,) * (L - 1) + (_ONE,)
        for t, x in enumerate(prefix):
            nums[x] = (_ZERO,) * t + (_MINUS_ONE,) + tail
        for j, x in enumerate(cycle):
            nums[x] = (_ZERO,) * (k + j) + (_MINUS_ONE,)
        if not label:
            label = " -> ".join([states[x] for x in prefix] + ["(" + " ".join(states[x] for x in cycle) + ")"])
        f = object.__new__(cls)
        for name, value in (("states", tuple(states)), ("numerators", tuple(nums)), ("denominator", (_MINUS_ONE,) + tail),
                            ("first_actions", frozenset(first_actions)), ("label", label)):
            object.__setattr__(f, name, value)
        return f

    @property
    def key(self):
        return (self.numerators, self.denominator)

    def support(self) -> frozenset:
        return frozenset(self.states[i] for i, n in enumerate(self.numerators) if n)

    def at(self, gamma) -> tuple:
        """``f(γ)`` exactly, for rational ``0 <= γ < 1``."""
        gamma = Fraction(gamma)
        if not 0 <= gamma < 1:
            raise WorkbenchError(f"gamma must be in [0, 1) for a visit distribution, got {gamma}")
        d = _evaluate(self.denominator, gamma)
        return tuple(_evaluate(n, gamma) / d for n in self.numerators)

    def at_float(self, gamma: float) -> np.ndarray:
        d = R.evaluate_float(self.denominator, gamma)
        return np.array([R.evaluate_float(n, gamma) / d for n in self.numerators])

    def laurent(self, terms: int) -> list[tuple]:
        """Level vectors ``c_{-1}, c_0, ..., c_{terms-2}`` of ``f`` in ``x = 1 - γ``."""
        cols = [R.laurent_at_one(n, self.denominator, terms, start=-1) for n in self.numerators]
        return [tuple(c[j] for c in cols) for j in range(terms)]

    def rsd(self) -> tuple:
        """Recurrent state distribution ``lim_{γ→1} (1-γ) f(γ)`` (exact).

        With ``d(γ) = (1-γ) q(γ)`` (a simple pole), the limit is ``N(1) / q(1)``.
        """
        cached = self.__dict__.get("_rsd")
        if cached is None:
            one = Fraction(1)
            if _evaluate(self.denominator, one) == 0:
                q1 = _evaluate(R.divide_by_one_minus_x(self.denominator), one)
                if q1 != 0:
                    cached = tuple(_evaluate(n, one) / q1 for n in self.numerators)
            if cached is None:
                cached = self.laurent(1)[0]
            object.__setattr__(self, "_rsd", cached)
        return cached

    def degree(self) -> int:
        return max([len(n) for n in self.numerators] + [len(self.denominator)])

    def power_numerators(self, state_index: int):
        """``g(γ) = (1-γ)(f(γ) - e_s)/γ`` as (numerators, denominator) with removable
        singularities at 0 and 1 cancelled, so that g is finite on [0, 1]."""
        one_minus = (Fraction(1), Fraction(-1))
        nums = []
        for i, n in enumerate(self.numerators):
            m = R.sub(n, self.denominator) if i == state_index else n
            m = R.mul(m, one_minus)
            nums.append(R.divide_by_x(m) if m else ())
        den = self.denominator
        # cancel (1 - γ) factors while every numerator and the denominator vanish at 1
        while _evaluate(den, _ONE) == 0 and all(_evaluate(m, _ONE) == 0 for m in nums):
            den = R.divide_by_one_minus_x(den)
            nums = [R.divide_by_one_minus_x(m) if m else () for m in nums]
        return nums, den

    def power_vector(self, state_index: int, gamma) -> tuple:
        """``(1-γ)(f(γ) - e_s)/γ`` at ``γ`` in [0, 1], exact for rational γ (limits at 0 and 1)."""
        nums, den = self.power_numerators(state_index)
        gamma = Fraction(gamma)
        d = _evaluate(den, gamma)
        if d == 0:
            raise ArithmeticError("pole in the POWER integrand")
        return tuple(_evaluate(n, gamma) / d for n in nums)

    def to_json(self):
        return {"label": self.label, "first_actions": sorted(self.first_actions), "rsd": list(self.rsd())}


def _too_many(what, count, limit, state, mdp, parameter, exact=False):
    estimate = f"{count:,}" if exact else f"more than {limit:,}"
    return EnumerationTooLarge(
        f"{mdp.source}: {estimate} {what} from {state!r}, above the limit {limit:,}; raise `{parameter}` "
        f"(or ask about a smaller MDP or state)", estimate=count, limit=limit, parameter=parameter)


def _walk_lassos(succ, state, emit) -> None:
    """Depth-first search over simple paths from ``state`` (iterative: paths can be thousands
    of states long); ``emit(path, j)`` for every edge from the path's end back to ``path[j]``.
    Successors are visited in order, so the lassos come in the order of a recursive search."""
    path, onpath = [state], {state: 0}
    stack = [iter(succ[state])]
    while stack:
        v = next(stack[-1], None)
        if v is None:  # state names are non-empty strings, never None
            stack.pop()
            del onpath[path.pop()]
        elif v in onpath:
            emit(path, onpath[v])
        else:
            onpath[v] = len(path)
            path.append(v)
            stack.append(iter(succ[v]))


def _lassos(mdp: MDP, state: str, max_visits: int = MAX_VISITS):
    states = mdp.states
    n = len(states)
    idx = {s: i for i, s in enumerate(states)}
    succ = {s: tuple(dict.fromkeys(t for dist in mdp.transitions[s].values() for t in dist)) for s in states}
    # count first (cheap), so that nothing is built for an enumeration over its limits
    size = [0, 0]  # lassos, polynomial coefficients

    def count(path, j):
        m = len(path)
        size[0] += 1
        size[1] += m * (m + 1) // 2 + n
        if size[0] > max_visits:
            raise _too_many("lassos (visit distributions)", size[0], max_visits, state, mdp, "max_visits")
        if size[1] > MAX_VISIT_TERMS:
            raise ResourceTooLarge(
                f"{mdp.source}: the visit distributions from {state!r} need more than {MAX_VISIT_TERMS:,} exact "
                f"polynomial coefficients ({size[0]:,} lassos so far, the latest through {m:,} states); "
                f"this is a fixed bound (MAX_VISIT_TERMS): ask about a smaller MDP or state")

    _walk_lassos(succ, state, count)
    first = {}
    for a, dist in mdp.transitions[state].items():
        first.setdefault(next(iter(dist)), set()).add(a)
    out = []

    def build(path, j):
        fa = first[path[1]] if len(path) > 1 else first[path[j]]
        out.append(VisitDistribution.lasso(states, [idx[x] for x in path[:j]], [idx[x] for x in path[j:]], fa))

    _walk_lassos(succ, state, build)
    return out


def _policy_keys(mdp: MDP, state: str, max_visits: int):
    """The distinct policies from ``state``, each restricted to the states it reaches, with the
    policy; bounded by ``max_visits`` policies and :data:`MAX_STOCHASTIC_WORK`."""
    reach = mdp.reachable(state)
    choices = [tuple(mdp.transitions[s]) for s in reach]
    total = 1
    for c in choices:
        total *= len(c)
        if total > max_visits:
            # the exact count is a product of small numbers; say it unless it is astronomically long
            exact = math.prod(len(c) for c in choices)
            shown = exact if exact.bit_length() < 200 else total
            raise _too_many("policies (on the states reachable)", shown, max_visits, state, mdp, "max_visits",
                            exact=shown == exact)
    keys, work = {}, 0
    for pol in itertools.product(*choices):
        policy = dict(zip(reach, pol))
        sub, stack, inset = [state], [state], {state}
        while stack:
            u = stack.pop()
            for t in mdp.transitions[u][policy[u]]:
                if t not in inset:
                    inset.add(t)
                    sub.append(t)
                    stack.append(t)
        key = tuple((s, policy[s]) for s in sub)
        if key in keys:
            continue
        keys[key] = (sub, policy)
        work += len(sub) ** 3 + 10
        if work > MAX_STOCHASTIC_WORK:
            raise ResourceTooLarge(
                f"{mdp.source}: the exact visit distributions from {state!r} need more than {MAX_STOCHASTIC_WORK:,} "
                f"units of solving work ({len(keys):,} policies so far, the latest reaching {len(sub):,} states; "
                f"a policy reaching m states costs m^3 + 10); this is a fixed bound (MAX_STOCHASTIC_WORK): "
                f"ask about a smaller MDP or state")
    return keys.values()


def _solve_policy(mdp: MDP, state: str, sub, policy):
    """``f = e_s^T (I - γ T_π)^{-1}`` on the states ``sub`` reached by ``policy``, as
    (numerators per state, common denominator) polynomials with Fraction coefficients.

    Transposed, ``f`` solves ``(I - γ T_π)^T f = e_s``; each equation is scaled by the common
    denominator of its probabilities into ``Z[γ]`` and solved fraction-free
    (:func:`~workbench.power._visits.exact_linear.solve_polynomial_system`). The fraction is
    then reduced (the greatest common divisor of the denominator and all numerators divided
    out) and the denominator made monic: the unique form, so that equal distributions compare
    equal.
    """
    pos = {s: i for i, s in enumerate(sub)}
    m = len(sub)
    incoming = [{} for _ in range(m)]  # incoming[t][s] = T_π(s, t)
    for s in sub:
        for t, p in mdp.transitions[s][policy[s]].items():
            incoming[pos[t]][pos[s]] = incoming[pos[t]].get(pos[s], _ZERO) + p
    M, rhs = [], []
    for i, probs in enumerate(incoming):
        scale = math.lcm(*(Fraction(p).denominator for p in probs.values()))
        row = [[] for _ in range(m)]
        for j, p in probs.items():
            row[j] = [0, -int(p * scale)]
        row[i] = [scale, *row[i][1:]]
        M.append(row)
        rhs.append([scale] if i == pos[state] else [])
    y, d = solve_polynomial_system(M, rhs)
    den = R.strip(d)
    nums = [R.strip(p) for p in y]
    g = den
    for p in nums:
        if len(g) == 1:
            break
        g = R.gcd(g, p)
    if len(g) > 1:
        den = R.divide(den, g)[0]
        nums = [R.divide(p, g)[0] for p in nums]
    lead = den[-1]
    out = [()] * len(mdp.states)
    for s, p in zip(sub, nums):
        out[mdp.index(s)] = R.scale(p, 1 / lead)
    return tuple(out), R.scale(den, 1 / lead)


def _stochastic(mdp: MDP, state: str, max_visits: int = MAX_VISITS):
    found: dict = {}
    for sub, policy in _policy_keys(mdp, state, max_visits):
        nums, den = _solve_policy(mdp, state, sub, policy)
        f = VisitDistribution(mdp.states, nums, den, frozenset(), "")
        acts = {a for a, dist in mdp.transitions[state].items() if dist == mdp.transitions[state][policy[state]]}
        label = ", ".join(f"{s}:{policy[s]}" for s in sub)
        if f.key in found:
            old = found[f.key]
            found[f.key] = VisitDistribution(old.states, old.numerators, old.denominator, old.first_actions | acts, old.label)
        else:
            found[f.key] = VisitDistribution(f.states, f.numerators, f.denominator, frozenset(acts), label)
    return list(found.values())


def _cached(mdp: MDP, state: str, max_visits: int = MAX_VISITS):
    cache = mdp._cache
    if ("visits", state) not in cache:
        found = _lassos(mdp, state, max_visits) if mdp.is_deterministic else _stochastic(mdp, state, max_visits)
        cache[("visits", state)] = tuple(found)
    found = cache[("visits", state)]
    if len(found) > max_visits:  # computed earlier under a higher limit
        raise _too_many("visit distributions", len(found), max_visits, state, mdp, "max_visits", exact=True)
    return found


def visit_distributions(mdp: MDP, state: str, *, max_visits: int = MAX_VISITS) -> tuple:
    """All visit distributions ``F(s)`` (exact, de-duplicated), each tagged with its first actions.

    At most ``max_visits`` lassos (deterministic MDPs) or policies (stochastic MDPs) are
    enumerated; more raise :class:`EnumerationTooLarge` before anything is built.

    Examples
    --------
    >>> m = MDP.from_successors({"s": ["a", "b"], "a": ["a"], "b": ["b", "a"]})
    >>> sorted(f.label for f in visit_distributions(m, "s"))
    ['s -> (a)', 's -> (b)', 's -> b -> (a)']
    """
    mdp.index(state)
    return _cached(mdp, state, max_visits)


def options(mdp: MDP, state: str, actions, *, max_visits: int = MAX_VISITS) -> tuple:
    """Visit distributions of the policies whose first action at ``state`` is in ``actions``."""
    acts = set(mdp.check_actions(state, actions))
    out = tuple(f for f in visit_distributions(mdp, state, max_visits=max_visits) if f.first_actions & acts)
    if not out:
        raise WorkbenchError(f"{mdp.source}: no policy from {state!r} starts with {sorted(acts)}")
    return out


def recurrent_state_distributions(mdp: MDP, state: str, *, max_visits: int = MAX_VISITS) -> tuple:
    """``RSD(s)``: the distinct limits ``(1-γ) f(γ)``, γ → 1 (exact tuples)."""
    return tuple(dict.fromkeys(f.rsd() for f in visit_distributions(mdp, state, max_visits=max_visits)))


def _exact_solution(M, b):
    """A solution of ``M x = b`` over the rationals (free variables 0), or None."""
    M = [list(map(Fraction, row)) + [Fraction(bi)] for row, bi in zip(M, b)]
    nrow, ncol = len(M), len(M[0]) - 1
    piv_cols, r = [], 0
    for c in range(ncol):
        p = next((i for i in range(r, nrow) if M[i][c] != 0), None)
        if p is None:
            continue
        M[r], M[p] = M[p], M[r]
        inv = 1 / M[r][c]
        M[r] = [x * inv for x in M[r]]
        for i in range(nrow):
            if i != r and M[i][c] != 0:
                f = M[i][c]
                M[i] = [x - f * y for x, y in zip(M[i], M[r])]
        piv_cols.append(c)
        r += 1
        if r == nrow:
            break
    if any(all(x == 0 for x in row[:-1]) and row[-1] != 0 for row in M):
        return None
    x = [Fraction(0)] * ncol
    for i, c in enumerate(piv_cols):
        x[c] = M[i][-1]
    return x


def _drop_simplex_interior(vecs, idx):
    """Exact pre-filter: when all vectors are non-negative with the same sum ``c`` (visit
    distributions, RSDs, POWER integrands), a vector supported on states ``x`` whose scaled
    unit vectors ``c·e_x`` are all present is their convex combination, hence dominated."""
    sums = {sum(v) for v in vecs}
    if len(sums) != 1 or any(c < 0 for v in vecs for c in v):
        return vecs, idx
    c = sums.pop()
    if c <= 0:
        return vecs, idx
    units = {next(i for i, x in enumerate(v) if x) for v in vecs if sum(1 for x in v if x) == 1}
    keep = [j for j, v in enumerate(vecs)
            if sum(1 for x in v if x) == 1 or not all(i in units for i, x in enumerate(v) if x)]
    return [vecs[j] for j in keep], [idx[j] for j in keep]


def _varying_coordinates(vecs):
    """The vectors restricted to the coordinates where they differ: a coordinate equal in all
    of them holds for every convex combination, so it never decides domination."""
    cols = [c for c in range(len(vecs[0])) if any(v[c] != vecs[0][c] for v in vecs)]
    return [tuple(v[c] for c in cols) for v in vecs]


def _extreme_in_a_coordinate(vecs) -> set:
    """Indices of the vectors that alone attain the maximum or the minimum of some coordinate:
    vertices of the hull (the unique maximiser of a linear function), no programme needed."""
    out = set()
    for c in range(len(vecs[0])):
        col = [v[c] for v in vecs]
        for best in (max(col), min(col)):
            hits = [i for i, x in enumerate(col) if x == best]
            if len(hits) == 1:
                out.add(hits[0])
    return out


def _exact_work(n: int, dim: int) -> int:
    """Size measure of the exact filter: ``n`` linear programmes over ``n - 1`` vectors in ``dim``
    coordinates (a tableau of ``(dim + 1) x n`` entries, pivoted about ``dim + 1`` times)."""
    return n * n * (dim + 1) ** 2


def non_dominated(vectors, *, tol: float = 1e-9, max_vectors: int = MAX_VECTORS) -> list[int]:
    """Indices of the non-dominated vectors ``ND(X)``: the vertices of ``conv(X)``.

    A vector is *dominated* when it lies in the convex hull of the others: when
    ``λ >= 0, sum_j λ_j = 1, sum_j λ_j x_j = v`` is feasible over the other vectors ``x_j``.

    * Small problems (``n^2 (d + 1)^2 <= EXACT_LP_WORK`` for ``n`` vectors varying in ``d``
      coordinates) are decided exactly: a vector that alone attains the largest or smallest
      value of a coordinate is a vertex; for the others, phase 1 of the simplex method with
      Bland's rule in integer arithmetic
      (:func:`~workbench.power._visits.exact_linear.in_convex_hull`). The result is exactly
      ``ND(X)``, and scipy is not imported.
    * Larger ones: a linear programme (``scipy.optimize.linprog``, HiGHS) proposes convex
      weights; the claim is then re-checked in exact rational arithmetic on the programme's
      support, and a vector whose domination cannot be verified exactly is kept. So the
      result may keep a dominated vector, but never drops a vertex.

    Either way maxima of linear functions over the result and over ``X`` agree exactly. Exact
    duplicates keep their first occurrence. More than ``max_vectors`` vectors left after the
    exact pre-filters raise :class:`EnumerationTooLarge` (one linear programme per vector,
    over all the others).

    Examples
    --------
    >>> non_dominated([(1, 0), (0, 1), (Fraction(1, 2), Fraction(1, 2))])
    [0, 1]

    References
    ----------
    R. G. Bland, "New finite pivoting rules for the simplex method", Mathematics of Operations
    Research 2 (1977) 103-107. V. Chvátal, *Linear Programming* (Freeman, 1983), ch. 3.
    """
    X = [tuple(Fraction(c) for c in v) for v in vectors]
    first = list(dict.fromkeys(X))
    keep_idx = [X.index(v) for v in first]
    if len(first) <= 2:
        return keep_idx
    first, keep_idx = _drop_simplex_interior(first, keep_idx)
    if len(first) <= 2:
        return keep_idx
    arr = np.array([[float(c) for c in v] for v in first])
    is_unit = np.all((arr == 0) | (arr == 1), axis=1) & (arr.sum(axis=1) == 1)
    if is_unit.all():
        return keep_idx
    if len(first) > max_vectors:
        raise EnumerationTooLarge(
            f"the non-domination filter would solve {len(first):,} linear programmes over {len(first):,} vectors, "
            f"above the limit {max_vectors:,}; raise `max_vectors`", estimate=len(first), limit=max_vectors,
            parameter="max_vectors")
    live = _varying_coordinates(first)
    if _exact_work(len(live), len(live[0])) <= EXACT_LP_WORK:
        # small: an exact phase-1 simplex per vector, and no scipy import (start-up)
        vertex = _extreme_in_a_coordinate(live)
        return [keep_idx[i] for i, v in enumerate(live)
                if i in vertex or not in_convex_hull(live[:i] + live[i + 1:], v)]
    from scipy.optimize import linprog

    out = []
    for i, v in enumerate(arr):
        others = np.delete(arr, i, axis=0)
        other_idx = [j for j in range(len(first)) if j != i]
        A_eq = np.vstack([others.T, np.ones(len(others))])
        b_eq = np.concatenate([v, [1.0]])
        res = linprog(np.zeros(len(others)), A_eq=A_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        if res.status == 0:
            support = [other_idx[j] for j in np.flatnonzero(res.x > 1e-12)]
            M = [[first[j][c] for j in support] for c in range(len(v))] + [[Fraction(1)] * len(support)]
            lam = _exact_solution(M, list(first[i]) + [Fraction(1)])
            if lam is not None and all(x >= 0 for x in lam):
                continue  # verified dominated
        out.append(keep_idx[i])
    return out
