"""Visit distributions ``f(γ) = sum_t γ^t E[e_{s_t}]`` as exact rational functions of γ.

Deterministic MDPs: every stationary deterministic policy from ``s`` traces a *lasso* (a simple
path, then a simple cycle repeated), and distinct lassos give distinct visit distributions, so
lassos are enumerated instead of policies (spec §1):
``f = sum_{t<k} γ^t e_{x_t} + γ^k / (1 - γ^L) sum_{j<L} γ^j e_{c_j}``.
Stochastic MDPs: policies on the reachable states are enumerated and ``e_s^T (I - γ T_π)^{-1}``
is computed exactly (sympy), then de-duplicated.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .._errors import WorkbenchError
from . import _rational as R
from ._mdp import MDP

__all__ = [
    "VisitDistribution",
    "visit_distributions",
    "options",
    "recurrent_state_distributions",
    "non_dominated",
    "MAX_LASSOS",
    "MAX_POLICIES",
]

MAX_LASSOS = 200_000
MAX_POLICIES = 20_000


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
        """The lasso ``prefix`` then ``cycle`` repeated (lists of state indices)."""
        k, L = len(prefix), len(cycle)
        one_minus = R.sub((Fraction(1),), R.monomial(L))
        nums = [()] * len(states)
        for t, x in enumerate(prefix):
            nums[x] = R.add(nums[x], R.mul(R.monomial(t), one_minus))
        for j, x in enumerate(cycle):
            nums[x] = R.add(nums[x], R.monomial(k + j))
        if not label:
            label = " -> ".join([states[x] for x in prefix] + ["(" + " ".join(states[x] for x in cycle) + ")"])
        return cls(tuple(states), tuple(nums), one_minus, frozenset(first_actions), label)

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
        d = R.evaluate(self.denominator, gamma)
        return tuple(R.evaluate(n, gamma) / d for n in self.numerators)

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
            if R.evaluate(self.denominator, one) == 0:
                q1 = R.evaluate(R.divide_by_one_minus_x(self.denominator), one)
                if q1 != 0:
                    cached = tuple(R.evaluate(n, one) / q1 for n in self.numerators)
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
        while R.evaluate(den, Fraction(1)) == 0 and all(R.evaluate(m, Fraction(1)) == 0 for m in nums):
            den = R.divide_by_one_minus_x(den)
            nums = [R.divide_by_one_minus_x(m) if m else () for m in nums]
        return nums, den

    def power_vector(self, state_index: int, gamma) -> tuple:
        """``(1-γ)(f(γ) - e_s)/γ`` at ``γ`` in [0, 1], exact for rational γ (limits at 0 and 1)."""
        nums, den = self.power_numerators(state_index)
        gamma = Fraction(gamma)
        d = R.evaluate(den, gamma)
        if d == 0:
            raise ArithmeticError("pole in the POWER integrand")
        return tuple(R.evaluate(n, gamma) / d for n in nums)

    def to_json(self):
        return {"label": self.label, "first_actions": sorted(self.first_actions), "rsd": list(self.rsd())}


def _lassos(mdp: MDP, state: str):
    states = mdp.states
    idx = {s: i for i, s in enumerate(states)}
    succ = {s: [t for dist in mdp.transitions[s].values() for t in dist] for s in states}
    first = {}
    for a, dist in mdp.transitions[state].items():
        first.setdefault(next(iter(dist)), set()).add(a)
    out = []
    path = [state]
    onpath = {state: 0}

    def dfs(u):
        for v in dict.fromkeys(succ[u]):
            if v in onpath:
                j = onpath[v]
                fa = first[path[1]] if len(path) > 1 else first[v]
                out.append(VisitDistribution.lasso(states, [idx[x] for x in path[:j]], [idx[x] for x in path[j:]], fa))
                if len(out) > MAX_LASSOS:
                    raise WorkbenchError(f"{mdp.source}: more than {MAX_LASSOS} lassos from {state!r}; the MDP is too large to enumerate")
            else:
                onpath[v] = len(path)
                path.append(v)
                dfs(v)
                path.pop()
                del onpath[v]

    dfs(state)
    return out


def _stochastic(mdp: MDP, state: str):
    import sympy

    reach = mdp.reachable(state)
    choices = [tuple(mdp.transitions[s]) for s in reach]
    total = 1
    for c in choices:
        total *= len(c)
    if total > MAX_POLICIES:
        raise WorkbenchError(f"{mdp.source}: {total} policies on the states reachable from {state!r} exceed {MAX_POLICIES}")
    g = sympy.Symbol("g")
    n = len(mdp.states)
    found: dict = {}
    seen_keys = set()
    for pol in itertools.product(*choices):
        policy = dict(zip(reach, pol))
        # states reachable under this policy
        sub, stack = [state], [state]
        inset = {state}
        while stack:
            u = stack.pop()
            for t in mdp.transitions[u][policy[u]]:
                if t not in inset:
                    inset.add(t)
                    sub.append(t)
                    stack.append(t)
        key = tuple((s, policy[s]) for s in sub)
        if key in seen_keys:
            continue
        seen_keys.add(key)
        pos = {s: i for i, s in enumerate(sub)}
        m = len(sub)
        M = sympy.zeros(m, m)
        for s in sub:
            for t, p in mdp.transitions[s][policy[s]].items():
                M[pos[t], pos[s]] -= g * sympy.Rational(p.numerator, p.denominator)
        M += sympy.eye(m)
        rhs = sympy.zeros(m, 1)
        rhs[0] = 1
        sol = M.LUsolve(rhs)
        fracs = [sympy.fraction(sympy.cancel(sympy.together(e))) for e in sol]
        den = sympy.Integer(1)
        for _, d in fracs:
            den = sympy.lcm(den, d)
        den = sympy.expand(den)
        nums = [()] * n
        for s, (nu, d) in zip(sub, fracs):
            nums[mdp.index(s)] = R.poly_from_sympy(sympy.expand(nu * sympy.cancel(den / d)), g)
        f = VisitDistribution(mdp.states, tuple(nums), R.poly_from_sympy(den, g), frozenset(), "")
        acts = {a for a, dist in mdp.transitions[state].items() if dist == mdp.transitions[state][policy[state]]}
        label = ", ".join(f"{s}:{policy[s]}" for s in sub)
        if f.key in found:
            old = found[f.key]
            found[f.key] = VisitDistribution(old.states, old.numerators, old.denominator, old.first_actions | acts, old.label)
        else:
            found[f.key] = VisitDistribution(f.states, f.numerators, f.denominator, frozenset(acts), label)
    return list(found.values())


def _cached(mdp: MDP, state: str):
    cache = mdp._cache
    if ("visits", state) not in cache:
        found = _lassos(mdp, state) if mdp.is_deterministic else _stochastic(mdp, state)
        cache[("visits", state)] = tuple(found)
    return cache[("visits", state)]


def visit_distributions(mdp: MDP, state: str) -> tuple:
    """All visit distributions ``F(s)`` (exact, de-duplicated), each tagged with its first actions.

    Examples
    --------
    >>> m = MDP.from_successors({"s": ["a", "b"], "a": ["a"], "b": ["b", "a"]})
    >>> sorted(f.label for f in visit_distributions(m, "s"))
    ['s -> (a)', 's -> (b)', 's -> b -> (a)']
    """
    mdp.index(state)
    return _cached(mdp, state)


def options(mdp: MDP, state: str, actions) -> tuple:
    """Visit distributions of the policies whose first action at ``state`` is in ``actions``."""
    acts = set(mdp.check_actions(state, actions))
    out = tuple(f for f in visit_distributions(mdp, state) if f.first_actions & acts)
    if not out:
        raise WorkbenchError(f"{mdp.source}: no policy from {state!r} starts with {sorted(acts)}")
    return out


def recurrent_state_distributions(mdp: MDP, state: str) -> tuple:
    """``RSD(s)``: the distinct limits ``(1-γ) f(γ)``, γ → 1 (exact tuples)."""
    return tuple(dict.fromkeys(f.rsd() for f in visit_distributions(mdp, state)))


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


def non_dominated(vectors, *, tol: float = 1e-9) -> list[int]:
    """Indices of the non-dominated vectors ``ND(X)``: the vertices of ``conv(X)``.

    A vector is *dominated* when it lies in the convex hull of the others. A linear programme
    (``scipy.optimize.linprog``) proposes convex weights; the claim is then re-checked in exact
    rational arithmetic on the LP's support, and a vector whose domination cannot be verified
    exactly is kept. So the result may keep a dominated vector, but never drops a vertex
    (maxima of linear functions over ``ND(X)`` and ``X`` agree exactly). Exact duplicates keep
    their first occurrence.

    Examples
    --------
    >>> non_dominated([(1, 0), (0, 1), (Fraction(1, 2), Fraction(1, 2))])
    [0, 1]
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
