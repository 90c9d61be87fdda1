"""The branch-and-bound count of orbit votes against brute force (every distinct permutation,
exact Fractions), on random MDPs and random option sets, with ties, under every criterion."""

import itertools
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.power import Average, Blackwell, Discounted, gridworld, orbit_vote, orbit_vote_sets
from workbench.power._orbits import search
from workbench.testing import deterministic_mdps

from .test_orbits import brute_force, triple

CRITERIA = [Average(), Blackwell(), Discounted(Fraction(1, 2)), Discounted(Fraction(9, 10)), Discounted(Fraction(0))]


def brute_force_sets(A, B, reward):
    val = lambda o, r: tuple(sum(Fraction(x) * y for x, y in zip(level, r)) for level in o)  # noqa: E731
    out = [0, 0, 0]
    for r in set(itertools.permutations(reward)):
        va, vb = max(val(o, r) for o in A), max(val(o, r) for o in B)
        out[0 if va > vb else 1 if vb > va else 2] += 1
    return tuple(out)


def draw_case(m, data):
    """A reward with ties and negative values, a criterion, and a split of the root's actions."""
    acts = m.actions("s0")
    r = data.draw(st.lists(st.sampled_from([0, 1, 2, Fraction(1, 2), -1]), min_size=m.n_states, max_size=m.n_states))
    crit = data.draw(st.sampled_from(CRITERIA))
    split = data.draw(st.integers(1, len(acts) - 1))
    return r, crit, list(acts[:split]), list(acts[split:])


@settings(max_examples=60, deadline=None)
@given(m=deterministic_mdps(min_states=4, max_states=7, min_root_actions=2), data=st.data())
def test_random_mdps_every_criterion(m, data):
    r, crit, a, b = draw_case(m, data)
    v = orbit_vote(m, "s0", a, b, r, crit)
    assert triple(v) == brute_force(m, "s0", a, b, r, crit)


options_ = st.integers(1, 3).flatmap(lambda L: st.tuples(
    st.just(L), st.integers(2, 6)).flatmap(lambda t: st.lists(
        st.lists(st.lists(st.integers(-3, 3), min_size=t[1], max_size=t[1]), min_size=t[0], max_size=t[0]),
        min_size=1, max_size=4).map(lambda opts: (t[1], opts))))


@settings(max_examples=80, deadline=None)
@given(a=options_, data=st.data())
def test_random_option_sets_with_negative_weights_and_levels(a, data):
    n, A = a
    L = len(A[0])
    B = data.draw(st.lists(st.lists(st.lists(st.integers(-3, 3), min_size=n, max_size=n), min_size=L, max_size=L),
                           min_size=1, max_size=4))
    r = data.draw(st.lists(st.integers(-2, 2), min_size=n, max_size=n))
    v = orbit_vote_sets(A, B, r)
    assert triple(v) == brute_force_sets(A, B, r)


@pytest.mark.parametrize("chunk", [1, 3, 50_000])
def test_chunking_and_irrelevant_states_do_not_change_counts(monkeypatch, chunk):
    monkeypatch.setattr(search, "_CHUNK", chunk)
    A = [[(1, 0, 0, 2, 0, 0, 5)], [(0, 1, 1, 0, 0, 0, 5)]]
    B = [[(0, 0, 0, 1, 1, 1, 5)], [(2, 0, 0, 0, 0, 1, 5)]]
    for r in [[0, 0, 0, 1, 1, 2, 3], [3, 1, 4, 1, 5, 9, 2], [0, 0, 0, 0, 0, 0, 1]]:
        assert triple(orbit_vote_sets(A, B, r)) == brute_force_sets(A, B, r)


@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_huge_integers_decide_in_rounded_arithmetic_and_settle_near_ties_exactly(data):
    # denominators far past 2**62: the search rounds, with a margin, and settles close calls exactly
    big = 10**30 + data.draw(st.integers(0, 7))
    n = data.draw(st.integers(3, 6))
    w = lambda: [Fraction(data.draw(st.integers(0, 3)), big) + Fraction(data.draw(st.integers(0, 1)), 7)  # noqa: E731
                 for _ in range(n)]
    A, B = [[tuple(w())] for _ in range(2)], [[tuple(w())] for _ in range(2)]
    r = data.draw(st.lists(st.sampled_from([0, 1, Fraction(1, 10**25), 2]), min_size=n, max_size=n))
    assert triple(orbit_vote_sets(A, B, r)) == brute_force_sets(A, B, r)


def test_ten_factorial_counts_few_nodes():
    v = orbit_vote(gridworld(5, 2), "r0c0", ["r0c1"], ["r1c0"], list(range(10)))
    assert triple(v) == (40320, 40320, 3548160)
    nodes = int(v.reduction.split("(")[1].split()[0])
    assert nodes < 1000


# The compiled search (numba, depth first, with bounds on differences of options) runs on
# orbits of at least COMPILED_ABOVE arrangements that the vectorised search does not finish
# within VECTORISED_FIRST (batches, pairs); here it is forced on small ones too.

@pytest.fixture
def compiled(monkeypatch):
    from workbench.power._orbits import votes

    monkeypatch.setattr(votes, "COMPILED_ABOVE", 0)
    monkeypatch.setattr(votes, "VECTORISED_FIRST", None)
    calls = []
    original = search._branch_and_bound_compiled

    def spy(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(votes, "_branch_and_bound_compiled", spy)
    return calls


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(m=deterministic_mdps(min_states=4, max_states=7, min_root_actions=2), data=st.data())
def test_compiled_search_against_the_lab_brute_force_every_criterion(compiled, m, data):
    from workbench.power._census.brute import brute_force_vote

    r, crit, a, b = draw_case(m, data)
    v = orbit_vote(m, "s0", a, b, r, crit)
    assert triple(v) + (v.orbit_size,) == brute_force_vote(m, "s0", a, b, r, crit)


single_level = st.integers(2, 7).flatmap(lambda n: st.tuples(
    st.lists(st.lists(st.integers(-3, 3), min_size=n, max_size=n), min_size=1, max_size=4),
    st.lists(st.lists(st.integers(-3, 3), min_size=n, max_size=n), min_size=1, max_size=4),
    st.lists(st.integers(-2, 2), min_size=n, max_size=n)))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=single_level)
def test_compiled_search_against_brute_force_on_option_sets(compiled, case):
    # negative weights, repeated values, irrelevant states (constant columns)
    A, B, r = case
    A, B = [[tuple(o)] for o in A], [[tuple(o)] for o in B]
    v = orbit_vote_sets(A, B, r)
    assert triple(v) == brute_force_sets(A, B, r)
    assert compiled or "branch and bound" not in v.reduction


@settings(max_examples=40, deadline=None)
@given(case=single_level, scale=st.sampled_from([1, 2**40, 2**70 + 1]))
def test_compiled_search_with_and_without_difference_bounds_matches_the_vectorised_one(case, scale):
    A, B, r = case
    W = [[[x * scale for x in o] for o in A + B]]
    cols = [j for j in range(len(r)) if len({row[j] for row in W[0]}) > 1]
    if not cols:
        return
    W = [[[row[j] for j in cols] for row in W[0]]]
    types = sorted(set(r), reverse=True)
    args = (W, len(A), types, [r.count(t) for t in types], len(r))
    expected = search._branch_and_bound(*args)[:3]
    assert search._branch_and_bound_compiled(*args)[:3] == expected
    assert search._branch_and_bound_compiled(*args, pairwise=False)[:3] == expected


def test_compiled_search_hands_rounded_near_ties_to_the_exact_search(monkeypatch):
    # weights past 2**62: the compiled search rounds and hands the possible ties over
    from workbench.power._orbits import _kernel

    handed = []
    original = _kernel.branch_and_bound

    def spy(*args):
        out = original(*args)
        handed.append(out[2][0])
        return out

    monkeypatch.setattr(_kernel, "branch_and_bound", spy)
    X = 2**70 + 1
    A = [[(X, 0, 0, 1, 0, 0)], [(0, 0, X, 0, 0, 1)]]
    B = [[(0, X, 0, 1, 0, 0)], [(0, 0, 0, 0, X, 1)]]
    r = [0, 0, 1, 1, 2, 3]
    types = sorted(set(r), reverse=True)
    W = [[list(o[0]) for o in A + B]]
    got = search._branch_and_bound_compiled(W, 2, types, [r.count(t) for t in types], 6)
    assert handed and handed[0] > 0
    assert got[:3] == brute_force_sets(A, B, r)
    # distinct values, ties where 0 + 3 = 1 + 2: the enumerated completions hand them over too
    A, B, r = [[(X, X, 0, 0)]], [[(0, 0, X, X)]], [0, 1, 2, 3]
    got = search._branch_and_bound_compiled([[[X, X, 0, 0], [0, 0, X, X]]], 1, [3, 2, 1, 0], [1, 1, 1, 1], 4)
    assert handed[-1] > 0
    assert got[:3] == brute_force_sets(A, B, r) == (8, 8, 8)


def test_compiled_search_counts_the_benchmark_cases_exactly(compiled):
    # the 10! case and the 3x3 gridworld under discounting (rounded arithmetic: 67-bit weights)
    v = orbit_vote(gridworld(5, 2), "r0c0", ["r0c1"], ["r1c0"], list(range(10)))
    assert triple(v) == (40320, 40320, 3548160)
    g = gridworld(3, 3)
    v = orbit_vote(g, "r0c0", ["r0c1"], ["r1c0"], list(range(1, 10)), Discounted(Fraction(9, 10)))
    assert triple(v) == (181440, 181440, 0)
    assert len(compiled) == 2


def test_large_orbits_run_vectorised_first_and_compiled_past_the_budget(monkeypatch):
    # 9! arrangements: decided near the root under average reward (no numba needed); under
    # gamma = 1/2 the vectorised search runs out of its budget and the compiled one counts
    # exactly what the unbounded vectorised search counts.
    from workbench.power._orbits import votes

    calls = []
    original = votes._branch_and_bound_compiled
    monkeypatch.setattr(votes, "_branch_and_bound_compiled", lambda *a, **k: calls.append(a) or original(*a, **k))
    g = gridworld(3, 3)
    v = orbit_vote(g, "r0c0", ["r0c0"], ["r1c0"], list(range(9)))
    assert triple(v) == (40320, 322560, 0) and calls == []
    budgeted = orbit_vote(g, "r0c0", ["r0c1"], ["r1c0"], list(range(9)), Discounted(Fraction(1, 2)))
    assert len(calls) == 1
    monkeypatch.setattr(votes, "VECTORISED_FIRST", (10**12, 10**18))
    unbounded = orbit_vote(g, "r0c0", ["r0c1"], ["r1c0"], list(range(9)), Discounted(Fraction(1, 2)))
    assert len(calls) == 1 and triple(budgeted) == triple(unbounded) == (176940, 176940, 9000)


def test_vectorised_search_gives_up_only_past_its_budget():
    W = [[[1, 0, 0], [0, 1, 0], [0, 0, 1]]]
    assert search._branch_and_bound(W, 1, [10, 5, 0], [1, 1, 1], 3, max_work=(0, 0)) is None
    assert search._branch_and_bound(W, 1, [10, 5, 0], [1, 1, 1], 3, max_work=(10, 10**6))[:3] == (2, 4, 0)


def test_integer_discounted_levels_are_a_positive_multiple_of_the_exact_ones():
    from workbench.power import options
    from workbench.power._orbits.votes import _integer_discounted

    g = gridworld(3, 3)
    fs = list(options(g, "r0c0", ["r0c1", "r1c0"]))
    for gamma in [Fraction(9, 10), Fraction(1, 2), Fraction(0), Fraction(2, 3)]:
        [ints] = _integer_discounted(fs, gamma)
        exact = [f.at(gamma) for f in fs]
        ratio = {Fraction(x) / y for row, erow in zip(ints, exact) for x, y in zip(row, erow) if y}
        assert len(ratio) == 1 and ratio.pop() > 0
        assert all((x == 0) == (y == 0) for row, erow in zip(ints, exact) for x, y in zip(row, erow))


def test_integer_discounted_set_up_only_for_the_optimal_rule():
    # Boltzmann sees the values themselves: orbit_vote must give it the exact f(γ), not a multiple
    # (on the Wait! MDP the scaled vectors would give A 14 instead of 0 at temperature 5)
    from pathlib import Path

    from workbench.power import Boltzmann, load_mdp, options

    m = load_mdp(Path(__file__).resolve().parents[2] / "mdps/wait.toml")
    a, b, r, crit = ["candy"], ["wait"], [0, 0, 3, 2, 1], Discounted(Fraction(1, 2))
    A, B = options(m, "start", a), options(m, "start", b)
    exact = lambda X: [[f.at(crit.gamma)] for f in X]  # noqa: E731
    for rule in [None, Boltzmann(0.5), Boltzmann(5.0)]:
        kw = {} if rule is None else {"rule": rule}
        assert triple(orbit_vote(m, "start", a, b, r, crit, **kw)) == triple(orbit_vote_sets(exact(A), exact(B), r, **kw))
    assert triple(orbit_vote(m, "start", a, b, r, crit, rule=Boltzmann(5.0))) == (0, 60, 0)
