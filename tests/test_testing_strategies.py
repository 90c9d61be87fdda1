"""The public strategies (workbench.testing): every draw is valid, and the minimal examples are small."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.power import Average, Blackwell, Discounted, Involution, copies_at, orbit_vote_sets, star
from workbench.rs import HeteroConfig, HomogeneousConfig
from workbench.testing import (
    all_order_types,
    choices,
    copies,
    deterministic_mdps,
    first_action_splits,
    gridworlds,
    hetero_configs,
    homogeneous_configs,
    involutions,
    mdps_with_copies,
    minimal,
    order_types,
    permutations,
    rational_rewards,
    state_action_rewards,
    stochastic_mdps,
    tied_rewards,
)


def _rooted(m):
    return set(m.reachable(m.start)) == set(m.states)


@given(deterministic_mdps(max_states=6))
def test_deterministic_mdps_are_rooted(m):
    assert m.is_deterministic and 1 <= m.n_states <= 6 and m.start == "s0" and _rooted(m)
    assert all(1 <= len(m.actions(s)) <= 3 for s in m.states)


@given(deterministic_mdps(min_states=2, max_states=5, self_loops=False, terminals=False, min_root_actions=2))
def test_deterministic_mdp_options(m):
    assert _rooted(m) and len(m.actions("s0")) >= 2
    assert all(s not in m.successors(s) for s in m.states)


@given(deterministic_mdps(terminals=True))
def test_terminals_required(m):
    assert any(m.successors(s) == (s,) for s in m.states)


@given(stochastic_mdps())
def test_stochastic_mdps_are_rooted_with_exact_probabilities(m):
    assert _rooted(m) and m.start == "s0"
    for acts in m.transitions.values():
        assert 1 <= len(acts) <= 2
        for dist in acts.values():
            assert 1 <= len(dist) <= 2 and sum(dist.values()) == 1
            assert all(isinstance(p, Fraction) and p > 0 for p in dist.values())


@given(gridworlds())
def test_gridworlds_are_connected(g):
    assert _rooted(g) and g.n_states <= 9


@given(choices())
def test_choices_split_the_actions(c):
    assert c.a and c.b and not set(c.a) & set(c.b) and set(c.a) | set(c.b) == set(c.mdp.actions(c.state))


@given(st.data())
def test_splits_without_cover(data):
    a, b = data.draw(first_action_splits(star(4), "s", cover=False))
    assert a and b and not set(a) & set(b)


@settings(max_examples=30)
@given(copies())
def test_vector_copies_certify(c):
    cert = c.certificate()
    assert cert.n == c.n >= 1
    assert all(phi.apply_set(c.A) != c.A for phi in c.involutions)
    # and the theorem's conclusion on one orbit, through the engine
    r = list(range(c.dimension))
    v = orbit_vote_sets([[a] for a in c.A], [[b] for b in c.B], r)
    assert v.b_strict >= c.n * v.a_strict


CRITERIA = [Average(), Blackwell(), Discounted(Fraction(1, 2))]


@settings(max_examples=25)
@given(mdps_with_copies(), st.sampled_from(CRITERIA))
def test_every_drawn_mdp_certifies_n_copies(c, criterion):
    """The hypotheses of OPTTSP Thm 6.13 / RDSP Thm D.11 hold by construction: the project's
    certifier accepts the strategy's involutions under every criterion, none fixes A."""
    assert _rooted(c.mdp) and c.mdp.start == c.state
    cert = c.certificate(criterion)
    assert cert.n == c.n and all(ch["is_involution"] and ch["maps_into_B"] and ch["leaves_other_copies_alone"]
                                   for ch in cert.checks)
    A, B, _ = c.option_vectors(criterion)
    assert all(phi.apply_set(A) != frozenset(map(tuple, A)) for phi in c.involutions)


@settings(max_examples=10)
@given(mdps_with_copies(max_block=1, max_shared=1, max_extra=0))
def test_the_copies_search_finds_at_least_as_many_on_small_draws(c):
    assert copies_at(c.mdp, c.state, c.a, c.b).n >= c.n


@given(rational_rewards(5, distinct=True))
def test_generic_rationals(r):
    assert len(set(r)) == 5 and all(isinstance(x, Fraction) and 0 <= x <= 1 for x in r)


@given(tied_rewards(5))
def test_ties(r):
    assert len(r) == 5 and len(set(r)) < 5


@given(order_types(4))
def test_order_types_are_dense_ranks(r):
    assert sorted(set(r)) == list(range(len(set(r)))) and r in all_order_types(4)


def test_all_order_types_are_the_ordered_bell_numbers():
    assert [len(all_order_types(n)) for n in range(7)] == [1, 1, 3, 13, 75, 541, 4683]


@given(involutions(6), permutations(6))
def test_symmetries(phi, p):
    assert isinstance(phi, Involution) and phi.is_involution(6) and phi.pairs
    assert sorted(p) == list(range(6))


@given(homogeneous_configs())
def test_homogeneous_configs_are_within_the_ranges(cfg):
    assert isinstance(cfg, HomogeneousConfig) and 1e-4 <= cfg.p0 <= 0.9
    assert -3 <= cfg.x0 <= 3 and all(0.1 <= a <= 10 for a in cfg.alpha)


@given(homogeneous_configs(c=(0.0, 0.5), n=(1.0, 50.0)))
def test_homogeneous_configs_with_coupling(cfg):
    assert all(0 <= c <= 0.5 for c in cfg.c) and 1 <= cfg.n <= 50


@given(hetero_configs())
def test_hetero_configs_are_valid(cfg):
    assert isinstance(cfg, HeteroConfig) and 0 <= cfg.alpha_sigma <= 1


# --- shrinking: the minimal examples are small and readable ---------------------------------------

def test_minimal_examples_are_small():
    m = minimal(deterministic_mdps(), lambda m: m.n_states >= 3)
    assert m.n_states == 3 and sum(len(m.actions(s)) for s in m.states) == 3
    m = minimal(stochastic_mdps(), lambda m: not m.is_deterministic)
    assert m.n_states <= 3 and set(m.transitions["s0"]["a0"].values()) == {Fraction(1, 2)}
    assert minimal(gridworlds()).n_states == 1
    c = minimal(mdps_with_copies(n=3))
    assert c.mdp.n_states == 5 and c.b == ("b1_0", "b2_0", "b3_0")
    c = minimal(copies(), lambda c: c.n == 2)
    assert c.dimension == 3 and len(c.A) == 1 and len(c.B) == 2
    assert minimal(rational_rewards(3)) == [0, 0, 0]
    assert minimal(tied_rewards(3)) == [0, 0, 0]
    assert minimal(order_types(3)) == [0, 0, 0]
    assert minimal(permutations(5)) == (0, 1, 2, 3, 4)
    assert minimal(involutions(5)).pairs == ((0, 1),)
    assert minimal(state_action_rewards(star(2))) == [0, 0, 0, 0]
    cfg = minimal(homogeneous_configs())
    assert cfg.x0 == cfg.y0 == 0.0


def test_minimal_counterexample_to_a_false_claim_is_tiny():
    """A deliberately false claim ("no state is terminal") shrinks to the 1-state MDP."""
    m = minimal(deterministic_mdps(), lambda m: any(m.successors(s) == (s,) for s in m.states))
    assert m.n_states == 1


def test_bad_arguments_say_what_to_change():
    from workbench import WorkbenchError

    with pytest.raises(WorkbenchError, match="max_states"):
        minimal(deterministic_mdps(max_states=1, terminals=False))
    with pytest.raises(WorkbenchError, match="min_pairs"):
        minimal(involutions(3, min_pairs=2))
    with pytest.raises(WorkbenchError, match="2"):
        minimal(first_action_splits(star(1), "s"))
    with pytest.raises(WorkbenchError, match="p0"):
        homogeneous_configs(p0=(0, 2))
