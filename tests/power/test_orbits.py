"""Orbit votes: known answers from the spec, brute-force agreement, pitfalls, properties."""

import itertools
import math
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench._errors import WorkbenchError
from workbench.power import (
    MDP,
    Average,
    Blackwell,
    Discounted,
    Exact,
    Sampled,
    VoteMethod,
    copies_at,
    gridworld,
    load_mdp,
    options,
    orbit_size,
    orbit_vote,
    orbit_vote_sets,
    random_deterministic,
    terminal_choice,
)
from workbench.power._orbits.closed_forms import _block_counts
from workbench.power._orbits.counting import _count_arrangements
from workbench.testing import deterministic_mdps, permutations

ROOT = Path(__file__).resolve().parents[2]
WAIT = load_mdp(ROOT / "mdps/wait.toml")
CRITERIA = [Average(), Blackwell(), Discounted(Fraction(1, 2)), Discounted(Fraction(9, 10)), Discounted(Fraction(0))]


def brute_force(mdp, state, a, b, reward, criterion):
    """Reference: every distinct permutation, values by exact Fractions, no reduction."""
    A, B = options(mdp, state, a), options(mdp, state, b)
    lv = criterion.levels(list(A) + list(B))
    val = lambda i, r: tuple(sum(x * y for x, y in zip(lv[l][i], r)) for l in range(len(lv)))  # noqa: E731
    out = [0, 0, 0]
    for r in set(itertools.permutations(reward)):
        va = max(val(i, r) for i in range(len(A)))
        vb = max(val(len(A) + i, r) for i in range(len(B)))
        out[0 if va > vb else 1 if vb > va else 2] += 1
    return tuple(out)


def _random_with_choice(seed, n=6):
    """The first random 6-state MDP from ``seed`` on whose start state there is a choice."""
    while True:
        m = random_deterministic(n, seed=seed, max_out=3)
        if len(m.actions("s0")) >= 2:
            return m
        seed += 1000


def triple(v):
    return (v.a_strict, v.b_strict, v.tie)


def test_candy_wait_two_thirds_every_orbit():
    for r in [[0, 0, 3, 2, 1], [1, 2, 3, 4, 5], [0, 0, 1, 1, 0], [5, 5, 5, 5, 4], [0, 1, 0, 0, 0]]:
        v = orbit_vote(WAIT, "start", ["candy"], ["wait"], r)
        assert v.weak_fraction_b >= Fraction(2, 3)
        assert v.meets(2)
    v = orbit_vote(WAIT, "start", ["candy"], ["wait"], [1, 2, 3, 4, 5])
    assert triple(v) == (40, 80, 0) and v.orbit_size == 120 and v.weak_fraction_b == Fraction(2, 3)


def test_ghost_apple_cherry_table():
    e = lambda i: [tuple(1 if j == i else 0 for j in range(3))]  # noqa: E731
    v = orbit_vote_sets([e(1), e(2)], [e(0)], [10, 5, 0], names=("ghost", "apple", "cherry"))
    assert triple(v) == (4, 2, 0) and v.orbit_size == 6


def test_three_copies_three_quarters():
    m = load_mdp(ROOT / "mdps/three_copies.toml")
    n = m.n_states
    idx = {s: i for i, s in enumerate(m.states)}
    rewards = []
    for ones in (["v"], ["t1", "t2"], ["p1", "p2", "v_1"], ["t1_3", "p2", "v"]):
        r = [0] * n
        for s in ones:
            r[idx[s]] = 1
        rewards.append(r)
    for r in rewards:
        v = orbit_vote(m, "start", ["a"], ["b"], r)
        assert v.method == "exact"
        assert v.b_strict >= 3 * v.a_strict
        assert v.weak_fraction_b >= Fraction(3, 4)
    # a single 1 among 27 states: A wins when it sits on one of A's 6 cycle states, B on one of
    # the 18 copy states, and the 3 transient states (start, a, b) give ties
    v = orbit_vote(m, "start", ["a"], ["b"], rewards[0])
    assert (v.a_strict, v.b_strict, v.tie, v.orbit_size) == (6, 18, 3, 27)


def test_live_51_die_2_exact_and_fast():
    import time

    m = load_mdp(ROOT / "mdps/live51_die2.toml")
    t = time.perf_counter()
    v = orbit_vote(m, "start", ["die"], ["live"], list(range(56)))
    elapsed = time.perf_counter() - t
    assert v.orbit_size == math.factorial(56)
    assert v.method == "exact" and v.weak_fraction_b == Fraction(51, 53)
    assert v.weak_fraction_b >= Fraction(25, 26)
    assert elapsed < 1.0
    # repeated values: still exact, still meets the proven 25/26
    r = [i % 7 for i in range(56)]
    v = orbit_vote(m, "start", ["die"], ["live"], r)
    assert v.total == v.orbit_size == orbit_size(r)
    assert v.b_strict >= 25 * v.a_strict


def test_block_closed_form_matches_enumeration():
    for r in [[0, 0, 1, 1, 2, 3, 3], [1, 1, 1, 1, 1, 2, 0], list(range(7))]:
        m = terminal_choice(3, 1)  # start, live, die, l0..l2, d0
        v = orbit_vote(m, "start", ["die"], ["live"], r)
        assert v.reduction.startswith("closed form")
        assert triple(v) == brute_force(m, "start", ["die"], ["live"], r, Average())


def test_block_counts_small():
    # 3 slots: a=1, b=1, c=1, values {0, 1, 1}: orbits 3; A strict when A gets the only... 1 is max
    # values {1, 1, 0} (highest first: multiplicities [2, 1]) on slots A, B, C: 3 elements;
    # A strict iff A gets 1 and B gets 0: 1; B strict: 1; tie (both 1): 1
    assert _block_counts([2, 1], 1, 1, 3) == (1, 1, 1)
    assert sum(_block_counts([1, 1, 1], 1, 2, 3)) == 6
    assert _block_counts([1, 1, 1], 1, 2, 3) == (2, 4, 0)


def test_count_arrangements():
    assert _count_arrangements((1, 1, 1), 2) == 6
    assert _count_arrangements((2, 1), 2) == 3
    assert _count_arrangements((3,), 2) == 1


@pytest.mark.parametrize("criterion", CRITERIA, ids=lambda c: c.describe())
def test_agrees_with_brute_force_on_wait(criterion):
    for r in [[0, 0, 3, 2, 1], [1, 2, 3, 4, 5], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0], [Fraction(1, 3), 0, 1, 1, Fraction(1, 3)]]:
        v = orbit_vote(WAIT, "start", ["candy"], ["wait"], r, criterion)
        assert triple(v) == brute_force(WAIT, "start", ["candy"], ["wait"], r, criterion)


@pytest.mark.parametrize("seed", range(6))
def test_agrees_with_brute_force_on_random_mdps(seed):
    import random

    m = _random_with_choice(seed)
    acts = m.actions("s0")
    rnd = random.Random(seed)
    r = [rnd.choice([0, 1, 2, Fraction(1, 2)]) for _ in range(6)]
    for crit in CRITERIA[:3]:
        v = orbit_vote(m, "s0", [acts[0]], list(acts[1:]), r, crit)
        assert triple(v) == brute_force(m, "s0", [acts[0]], list(acts[1:]), r, crit)


def test_pitfall_blackwell_and_discounted_fall_below_average_bound():
    """Spec §4: the n/(n+1) law is for average reward with ties weakly optimal."""
    tied = [0, 0, 1, 1, 0]  # candy and chocolate tie on average reward
    avg = orbit_vote(WAIT, "start", ["candy"], ["wait"], tied, Average())
    bw = orbit_vote(WAIT, "start", ["candy"], ["wait"], tied, Blackwell())
    assert avg.weak_fraction_b == Fraction(4, 5) >= Fraction(2, 3)
    assert bw.weak_fraction_b == Fraction(3, 5) < Fraction(2, 3)
    disc = orbit_vote(WAIT, "start", ["candy"], ["wait"], [1, 2, 3, 4, 5], Discounted(Fraction(1, 2)))
    assert disc.weak_fraction_b < Fraction(2, 3)
    # at small gamma only the next state matters, so candy and wait split the orbit evenly
    small = orbit_vote(WAIT, "start", ["candy"], ["wait"], [1, 2, 3, 4, 5], Discounted(Fraction(1, 10)))
    assert (small.a_strict, small.b_strict) == (60, 60)


def test_pitfall_small_gamma_favours_the_set_with_fewer_options():
    # A = {a} leads to 3 terminal options, B = {b1, b2} are 2 terminal options
    m = MDP.from_successors({"s": ["a", "b1", "b2"], "a": ["x", "y", "z"], "b1": ["b1"], "b2": ["b2"],
                             "x": ["x"], "y": ["y"], "z": ["z"]})
    r = list(range(7))
    avg = orbit_vote(m, "s", ["a"], ["b1", "b2"], r, Average())
    small = orbit_vote(m, "s", ["a"], ["b1", "b2"], r, Discounted(Fraction(1, 10)))
    assert avg.weak_fraction_a == Fraction(3, 5)  # max of 5 terminal rewards lies among x, y, z
    assert small.b_strict > small.a_strict  # at gamma = 1/10 the 2-option set wins most of the orbit
    assert triple(small) == brute_force(m, "s", ["a"], ["b1", "b2"], r, Discounted(Fraction(1, 10)))


def test_cycle_averages_tie_with_distinct_rewards():
    # a 2-cycle (1, 3) and a 1-cycle 2 tie on average although all rewards differ
    m = MDP.from_successors({"s": ["x", "p"], "x": ["x"], "p": ["q"], "q": ["p"]})
    v = orbit_vote(m, "s", ["x"], ["p"], [0, 2, 1, 3])
    assert v.tie > 0
    assert triple(v) == brute_force(m, "s", ["x"], ["p"], [0, 2, 1, 3], Average())


def test_ten_distinct_values_on_ten_relevant_states():
    import time

    g = gridworld(5, 2)
    t = time.perf_counter()
    v = orbit_vote(g, "r0c0", ["r0c1"], ["r1c0"], list(range(10)))
    assert time.perf_counter() - t < 30
    assert v.orbit_size == math.factorial(10) == v.total
    assert triple(v) == (40320, 40320, 3548160)
    assert "branch and bound over the 3628800 arrangements" in v.reduction


def test_sampling_past_the_limit_and_refusal():
    g = gridworld(3, 3)
    r = list(range(9))
    with pytest.raises(WorkbenchError, match="limit"):
        orbit_vote(g, "r0c0", ["r0c1"], ["r1c0"], r, method=Exact(limit=100))
    exact = orbit_vote(g, "r0c0", ["r0c1"], ["r1c0"], r)
    s = orbit_vote(g, "r0c0", ["r0c1"], ["r1c0"], r, method=Sampled(samples=20000, seed=1))
    assert s.method == "sampled" and s.samples == 20000 and s.total == 20000
    lo, hi = s.ci
    assert lo <= float(exact.weak_fraction_a) <= hi


def test_wrong_reward_length():
    with pytest.raises(WorkbenchError, match="5 states"):
        orbit_vote(WAIT, "start", ["candy"], ["wait"], [1, 2, 3])


def relabel(m, perm):
    """Rename state i to 'q{perm[i]}' and reorder the states by the new index."""
    name = {s: f"q{perm[i]}" for i, s in enumerate(m.states)}
    order = sorted(m.states, key=lambda s: perm[m.index(s)])
    succ = {name[s]: [name[next(iter(d))] for d in m.transitions[s].values()] for s in order}
    return MDP.from_successors(succ), name


@settings(max_examples=30, deadline=None)
@given(m=deterministic_mdps(min_states=6, max_states=6, min_root_actions=2), data=st.data())
def test_property_relabel_invariance_and_counts_sum(m, data):
    acts = m.actions("s0")
    r = data.draw(st.lists(st.integers(0, 3), min_size=6, max_size=6))
    perm = data.draw(permutations(6))
    crit = data.draw(st.sampled_from([Average(), Blackwell(), Discounted(Fraction(2, 3))]))
    v = orbit_vote(m, "s0", [acts[0]], list(acts[1:]), r, crit)
    assert v.total == v.orbit_size == orbit_size(r)
    m2, name = relabel(m, perm)
    r2 = [None] * 6
    for i, s in enumerate(m.states):
        r2[m2.index(name[s])] = r[i]
    v2 = orbit_vote(m2, name["s0"], [name[acts[0]]], [name[a] for a in acts[1:]], r2, crit)
    assert triple(v) == triple(v2)


@settings(max_examples=40, deadline=None)
@given(m=deterministic_mdps(min_states=7, max_states=7, min_root_actions=2), data=st.data())
def test_property_certified_copies_bound_every_orbit(m, data):
    acts = m.actions("s0")
    a, b = [acts[0]], list(acts[1:])
    cert = copies_at(m, "s0", a, b)
    if cert.n == 0:
        return
    r = data.draw(st.lists(st.integers(0, 4), min_size=7, max_size=7))
    v = orbit_vote(m, "s0", a, b, r)
    assert v.b_strict >= cert.n * v.a_strict
    assert v.weak_fraction_b >= Fraction(cert.n, cert.n + 1)


def test_exact_when_integers_overflow_float64():
    # huge denominators force the float-then-exact (single level) and object (multi-level) paths
    from workbench.power._orbits.comparisons import _choose_dtype

    r = [Fraction(1, 10**17 + 3), Fraction(2, 10**17 + 3) + Fraction(1, 10**30), Fraction(2, 10**17 + 3), 0, 10**12]
    for crit in [Discounted(Fraction(999, 1000)), Blackwell(), Average()]:
        v = orbit_vote(WAIT, "start", ["candy"], ["wait"], r, crit)
        assert triple(v) == brute_force(WAIT, "start", ["candy"], ["wait"], r, crit), crit
    assert _choose_dtype([[[10**20]]], [10**20]) is object


def test_stochastic_orbits_agree_with_brute_force():
    m = load_mdp(ROOT / "mdps/stochastic.toml")
    for crit in [Average(), Discounted(Fraction(1, 2)), Blackwell()]:
        for r in [[0, 0, 0, 1, 2, 3, 4], [0, 1, 1, 0, 2, 0, 1]]:
            v = orbit_vote(m, "s0", ["safe"], ["explore"], r, crit)
            assert triple(v) == brute_force(m, "s0", ["safe"], ["explore"], r, crit)


@pytest.mark.parametrize("seed", range(5))
def test_blackwell_equals_discounted_at_gamma_extremely_close_to_one(seed):
    """Independent check of the Laurent comparison: with small integer rewards and short lassos,
    the discounted order at γ = 1 - 10^-40 (exact rationals) is the order near γ = 1."""
    import random

    m = _random_with_choice(seed + 100)
    acts = m.actions("s0")
    rnd = random.Random(seed)
    r = [rnd.choice([0, 1, 2]) for _ in range(6)]
    bw = orbit_vote(m, "s0", [acts[0]], list(acts[1:]), r, Blackwell())
    near = orbit_vote(m, "s0", [acts[0]], list(acts[1:]), r, Discounted(1 - Fraction(1, 10**40)))
    assert triple(bw) == triple(near)


def test_seed_invariance_one_vs_n_and_two_vs_two_n():
    # distinct rewards: 1 vs n and 2 vs 2n terminal options give the same weak fraction n/(n+1)
    for n in (2, 3, 5):
        v1 = orbit_vote(terminal_choice(n, 1), "start", ["die"], ["live"], list(range(n + 4)))
        v2 = orbit_vote(terminal_choice(2 * n, 2), "start", ["die"], ["live"], list(range(2 * n + 5)))
        assert v1.weak_fraction_b == v2.weak_fraction_b == Fraction(n, n + 1)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 8), m=st.integers(1, 4), data=st.data())
def test_fractional_law_for_exchangeable_terminals(n, m, data):
    # RDSP Conj D.13 in the exchangeable single-state case: n live vs m dying terminals
    if m > n:
        n, m = m, n
    r = data.draw(st.lists(st.integers(0, 3), min_size=n + m + 3, max_size=n + m + 3))
    v = orbit_vote(terminal_choice(n, m), "start", ["die"], ["live"], r)
    assert v.weak_fraction_b >= Fraction(n, n + m)


@pytest.mark.slow
def test_blackwell_ten_factorial_enumeration():
    g = gridworld(5, 2)
    v = orbit_vote(g, "r0c0", ["r0c1"], ["r1c0"], list(range(10)), Blackwell())
    assert v.total == v.orbit_size == math.factorial(10)
    s = orbit_vote(g, "r0c0", ["r0c1"], ["r1c0"], list(range(10)), Blackwell(), method=Sampled(samples=50_000, seed=3))
    assert s.ci[0] <= float(v.weak_fraction_a) <= s.ci[1]


@pytest.mark.parametrize("criterion", [Blackwell(), Discounted(Fraction(1, 2)), Discounted(Fraction(9, 10))],
                         ids=lambda c: c.describe())
def test_hub_block_closed_form_matches_brute_force(criterion):
    import random

    m = terminal_choice(2, 2)
    r = random.Random(5).sample(range(-20, 20), m.n_states)
    v = orbit_vote(m, "start", ["die"], ["live"], r, criterion)
    assert v.reduction.startswith("closed form (hub states")
    assert triple(v) == brute_force(m, "start", ["die"], ["live"], r, criterion)


def test_live_51_die_2_discounted_and_blackwell_exact():
    m = load_mdp(ROOT / "mdps/live51_die2.toml")
    bw = orbit_vote(m, "start", ["die"], ["live"], list(range(56)), Blackwell())
    assert bw.method == "exact" and bw.weak_fraction_b == Fraction(51, 53)  # distinct values: no ties to break
    d = orbit_vote(m, "start", ["die"], ["live"], list(range(56)), Discounted(Fraction(1, 2)))
    assert d.method == "exact" and d.total == math.factorial(56)
    assert d.weak_fraction_b == Fraction(34017007, 45837792) < Fraction(25, 26)  # far below the average law


def test_method_objects_never_switch():
    w = load_mdp(ROOT / "mdps/wait.toml")
    exact = orbit_vote(w, "start", ["candy"], ["wait"], [1, 2, 3, 4, 5], method=Exact(limit=1_000))
    assert exact.method is VoteMethod.EXACT and exact.method == "exact" and exact.total == exact.orbit_size
    # a closed form exists, but Sampled samples: the method field says what counted the vote
    s = orbit_vote(w, "start", ["candy"], ["wait"], [1, 2, 3, 4, 5], method=Sampled(samples=3_000, seed=2))
    assert s.method is VoteMethod.SAMPLED and s.total == 3_000 and s.ci[0] <= 1 / 3 <= s.ci[1]
    assert s.to_json()["method"] == "sampled" and "3000 uniform samples" in repr(s)
    # every element ties: Sampled reports the draws' ties without drawing
    t = orbit_vote(w, "start", ["candy"], ["wait"], [0, 0, 0, 0, 0], method=Sampled(samples=10))
    assert (t.method, t.tie, t.samples) == (VoteMethod.SAMPLED, 10, 10)


@pytest.mark.parametrize("make", [lambda: Exact(limit=0), lambda: Exact(limit=1.5), lambda: Exact(limit=True),
                                  lambda: Sampled(samples=0), lambda: Sampled(samples=10, seed=-1)])
def test_method_objects_validate(make):
    with pytest.raises(WorkbenchError):
        make()


def test_removed_keywords_say_what_to_pass():
    w = load_mdp(ROOT / "mdps/wait.toml")
    with pytest.raises(TypeError, match="method=Exact"):
        orbit_vote(w, "start", ["candy"], ["wait"], [1, 2, 3, 4, 5], limit=10)
    with pytest.raises(WorkbenchError, match="Exact"):
        orbit_vote(w, "start", ["candy"], ["wait"], [1, 2, 3, 4, 5], method="exact")


def test_orbit_vote_repr_and_html():
    w = load_mdp(ROOT / "mdps/wait.toml")
    v = orbit_vote(w, "start", ["candy"], ["wait"], [0, 0, 3, 2, 1])
    assert repr(v).startswith("OrbitVote(A 20 | B 40 | tie 0 of 60 distinct orbit elements; weak fraction B >= A 2/3")
    assert "<td>2/3 (= 0.666667)</td>" in v._repr_html_()
