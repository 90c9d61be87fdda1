"""The sympy- and scipy-free exact paths of the visit distributions: the fraction-free solve of
``e_s^T (I - γ T_π)^{-1}`` against sympy's field Q(γ), and the exact simplex hull test of
``non_dominated`` against the HiGHS path (same kept indices)."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import workbench.power._visits.rational as R
import workbench.power._visits.visits as V
from workbench.power._visits.exact_linear import convex_weights, solve_polynomial_system
from workbench.testing import stochastic_mdps

F = Fraction


def _sympy_solve_policy(mdp, state, sub, policy):
    """The former implementation (sympy's DomainMatrix over Q(γ)), kept as the oracle."""
    import sympy
    from sympy.polys.matrices import DomainMatrix

    field = sympy.QQ.frac_field(sympy.Symbol("g"))
    g = field.gens[0]
    pos = {s: i for i, s in enumerate(sub)}
    m = len(sub)
    rows = {i: {i: field.one} for i in range(m)}
    for s in sub:
        for t, p in mdp.transitions[s][policy[s]].items():
            i, j = pos[t], pos[s]
            rows[i][j] = rows[i].get(j, field.zero) - g * field.convert(sympy.Rational(p.numerator, p.denominator))
    rows = {i: {j: v for j, v in r.items() if v} for i, r in rows.items()}
    x = DomainMatrix(rows, (m, m), field).lu_solve(DomainMatrix({0: {0: field.one}}, (m, 1), field)).to_sdm()
    sol = [x.get(i, {}).get(0, field.zero) for i in range(m)]
    den = None
    for e in sol:
        den = e.denom if den is None else den.lcm(e.denom)

    def poly(p):
        coeffs = [F(0)] * (p.degree() + 1) if p else []
        for (k,), c in p.items():
            coeffs[k] = F(int(c.numerator), int(c.denominator))
        return R.strip(coeffs)

    nums = [()] * len(mdp.states)
    for s, e in zip(sub, sol):
        nums[mdp.index(s)] = poly(e.numer * den.exquo(e.denom))
    return tuple(nums), poly(den)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stochastic_mdps(max_states=5, max_actions=2, max_support=3, max_weight=4))
def test_fraction_free_solve_equals_sympy(m):
    for state in m.states:
        for sub, policy in V._policy_keys(m, state, V.MAX_VISITS):
            ours = V._solve_policy(m, state, sub, policy)
            oracle = _sympy_solve_policy(m, state, sub, policy)
            assert ours == oracle
            nums, den = ours
            assert V.VisitDistribution(m.states, nums, den).key == (nums, den)  # already canonical


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_polynomial_solve_satisfies_the_system(data):
    m = data.draw(st.integers(1, 4))
    polys = st.lists(st.integers(-3, 3), max_size=3).map(lambda p: [int(c) for c in R.strip(p)])
    M = [[data.draw(polys) for _ in range(m)] for _ in range(m)]
    for i in range(m):  # constant term 1 + ... on the diagonal, 0 off it: every leading minor is 1 at 0
        M[i][i] = [1] + list(M[i][i][1:])
        for j in range(m):
            if j != i and M[i][j]:
                M[i][j] = [0] + list(M[i][j][1:])
    b = [data.draw(polys) for _ in range(m)]
    y, d = solve_polynomial_system(M, b)
    P = [[R.strip(p) for p in row] for row in M]
    for i in range(m):
        lhs = ()
        for j in range(m):
            lhs = R.add(lhs, R.mul(P[i][j], R.strip(y[j])))
        assert lhs == R.mul(R.strip(d), R.strip(b[i]))


def _rationals(lo=-4, hi=4):
    return st.builds(F, st.integers(lo, hi), st.integers(1, 3))


@st.composite
def vector_sets(draw):
    """Vector sets with the degenerate cases of hulls: duplicates, points on segments and faces
    (exact convex combinations), scaled unit vectors (simplex vertices), constant coordinates."""
    d = draw(st.integers(1, 4))
    base = draw(st.lists(st.tuples(*[_rationals()] * d), min_size=1, max_size=6))
    if draw(st.booleans()):
        c = draw(st.integers(1, 3))
        base += [tuple(F(c) if k == j else F(0) for k in range(d)) for j in range(d)]
    out = list(base)
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["duplicate", "combination", "collinear"]))
        pts = draw(st.lists(st.sampled_from(base), min_size=1, max_size=3))
        if kind == "duplicate":
            out.append(pts[0])
        else:
            w = [F(draw(st.integers(1, 3))) for _ in pts]
            if kind == "collinear":  # beyond the segment, or on it
                w[0] = F(draw(st.integers(-2, 3)))
            s = sum(w)
            if s == 0:
                continue
            out.append(tuple(sum(wi * p[k] for wi, p in zip(w, pts)) / s for k in range(d)))
    order = draw(st.permutations(range(len(out))))
    return [out[i] for i in order]


@settings(max_examples=300, deadline=None)
@given(vector_sets())
def test_exact_hull_filter_equals_highs(X):
    exact = V.non_dominated(X) if V._exact_work(len(X), len(X[0])) <= V.EXACT_LP_WORK else None
    assert exact is not None  # these sets are small: the exact path decides them
    saved = V.EXACT_LP_WORK
    try:
        V.EXACT_LP_WORK = -1
        highs = V.non_dominated(X)
    finally:
        V.EXACT_LP_WORK = saved
    assert exact == highs


@settings(max_examples=300, deadline=None)
@given(vector_sets())
def test_convex_weights_are_a_certificate(X):
    v, others = X[0], X[1:]
    lam = convex_weights(others, v)
    if lam is not None:
        assert all(x >= 0 for x in lam) and sum(lam) == 1
        assert all(sum(l * p[k] for l, p in zip(lam, others)) == v[k] for k in range(len(v)))
    else:  # not in the hull: no convex combination of any subset of at most d + 1 others
        d = len(v)
        for r in range(1, min(len(others), d + 1) + 1):
            for sub in itertools.combinations(others, r):
                M = [[p[k] for p in sub] for k in range(d)] + [[F(1)] * r]
                sol = V._exact_solution(M, list(v) + [F(1)])
                assert sol is None or any(x < 0 for x in sol)  # Carathéodory: some subset would do


def test_the_hull_filter_imports_no_scipy_when_small():
    import subprocess
    import sys

    code = ("import sys; from fractions import Fraction as F; from workbench.power._visits.visits import non_dominated;"
            "print(non_dominated([(1, 0, 0), (0, 1, 0), (0, 0, 1), (F(1, 3), F(1, 3), F(1, 3)), (2, -1, 5)]),"
            " 'scipy.optimize' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[-1] == "False"


@pytest.mark.parametrize("X, kept", [
    ([(0, 0), (1, 0), (0, 1), (F(1, 4), F(1, 4))], [0, 1, 2]),       # interior point
    ([(0, 0), (2, 0), (1, 0), (0, 1)], [0, 1, 3]),                   # on an edge
    ([(0,), (1,), (F(1, 2),), (1,)], [0, 1]),                        # collinear, duplicate
    ([(1, 0, 0), (0, 1, 0), (0, 0, 1), (F(1, 3), F(1, 3), F(1, 3))], [0, 1, 2]),
])
def test_non_dominated_degenerate_cases(X, kept):
    assert V.non_dominated(X) == kept
