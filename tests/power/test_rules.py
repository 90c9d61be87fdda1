"""Decision rules (RDSP Prop A.11) and other reward domains."""

import itertools
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from workbench._errors import WorkbenchError
from workbench.power import (
    AntiOpt,
    BestOfK,
    Boltzmann,
    DecisionRule,
    FracOptimal,
    IsOptimal,
    Satisfice,
    UniformQuantiliser,
    featurized_orbit_vote,
    load_mdp,
    orbit_vote,
    rule_from_spec,
    star,
    state_action_mdp,
)
from workbench.power._orbits.domains import state_action_orbit_vote

ROOT = Path(__file__).resolve().parents[2]
WAIT = load_mdp(ROOT / "mdps/wait.toml")
RULES = [FracOptimal(), AntiOpt(), Boltzmann(0.5), Boltzmann(5.0), BestOfK(2), BestOfK(3), Satisfice(2.5),
         UniformQuantiliser(0.5)]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: repr(r))
def test_prop_a11_most_holds_for_rules_on_wait(rule):
    # phi_1 = (candy chocolate), phi_2 = (candy hug) fix C = {candy, chocolate, hug}
    for r in [[1, 2, 3, 4, 5], [0, 0, 1, 1, 0], [5, 1, 2, 2, 3], [0, 3, 1, 2, 0]]:
        v = orbit_vote(WAIT, "start", ["candy"], ["wait"], r, rule=rule)
        assert v.total == v.orbit_size
        assert v.b_strict >= 2 * v.a_strict, (rule, r, v)


def test_fracoptimal_by_hand():
    # values on (candy, chocolate, hug); with a tie at the top fracoptimal splits 1/2 : 1/2
    v = orbit_vote(WAIT, "start", ["candy"], ["wait"], [0, 0, 1, 1, 0], rule=FracOptimal())
    # orbit of (0,0,1,1,0): 10 elements; candy/choc/hug values: each pattern counted by hand
    counts = [0, 0, 0]
    for r in set(itertools.permutations([0, 0, 1, 1, 0])):
        c, ch, h = r[2], r[3], r[4]
        best = max(c, ch, h)
        opt = [x == best for x in (c, ch, h)]
        pa, pb = opt[0] / sum(opt), (opt[1] + opt[2]) / sum(opt)
        counts[0 if pa > pb else 1 if pb > pa else 2] += 1
    assert (v.a_strict, v.b_strict, v.tie) == tuple(counts)


def test_boltzmann_probabilities():
    V = np.array([[0.0, 1.0, 2.0]])
    P = Boltzmann(1.0).probabilities(V)
    assert np.allclose(P, np.exp([0, 1, 2]) / np.exp([0, 1, 2]).sum())
    P = BestOfK(2).probabilities(V)
    assert np.allclose(P, [[1 / 9, 3 / 9, 5 / 9]])


def test_rule_parsing():
    assert rule_from_spec("optimal") == IsOptimal()
    assert rule_from_spec("boltzmann:1/2") == Boltzmann(0.5)
    with pytest.raises(WorkbenchError):
        rule_from_spec("softmax:1")


def test_state_action_domain():
    m = state_action_mdp(star(2))
    assert m.states == ("s|x0", "s|x1", "x0|x0", "x1|x1")
    v = state_action_orbit_vote(star(2), "s", ["x0"], ["x1"], [0, 1, 2, 3])
    assert v.domain.startswith("state-action") and v.total == 24
    # with state-action rewards the candy / wait law still holds (both ends are terminal)
    v = state_action_orbit_vote(WAIT, "start", ["candy"], ["wait"], [1, 2, 3, 4, 5, 6, 7])
    assert v.weak_fraction_b >= Fraction(2, 3)


def test_featurized_rewards_can_break_the_law():
    # chocolate and hug share a feature: the feature orbit has only 2 elements, split 1 : 1
    feats = {"start": [0, 0], "wait": [0, 0], "candy": [1, 0], "chocolate": [0, 1], "hug": [0, 1]}
    v = featurized_orbit_vote(WAIT, "start", ["candy"], ["wait"], feats, [5, 1])
    assert v.domain.startswith("feature") and (v.a_strict, v.b_strict, v.orbit_size) == (1, 1, 2)
    assert v.weak_fraction_b == Fraction(1, 2) < Fraction(2, 3)


def test_rules_share_a_public_abstract_base():
    rules = [IsOptimal(), FracOptimal(), AntiOpt(), Boltzmann(0.5), BestOfK(3), Satisfice(1.0), UniformQuantiliser(0.5)]
    VA, VB = np.array([[1.0], [3.0], [2.0]]), np.array([[2.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    for rule in rules:
        assert isinstance(rule, DecisionRule) and isinstance(rule.name, str)
        pA, pB = rule.choice_probability(VA, VB)
        assert pA.shape == pB.shape == (3,)
        assert (rule.compare(VA, VB) == np.sign(np.round(pA - pB, 12)).astype(int)).all(), rule
    with pytest.raises(TypeError):
        DecisionRule()

    class Nameless(DecisionRule):
        def choice_probability(self, VA, VB):
            return VA.max(axis=1), VB.max(axis=1)

    with pytest.raises(TypeError):
        Nameless()  # `name` is abstract until a subclass sets it


def test_boltzmann_near_tie_is_decided_exactly():
    """2 e^x vs e^0 with x just above ln(1/2): floating point sees a difference below 1e-12, the
    exact sign (mpmath at rising precision) says B wins; an exact tie stays a tie."""
    from workbench.power import orbit_vote_sets

    x = Fraction("-0.693147180559945")  # ln(1/2) = -0.6931471805599453094...
    rule = Boltzmann(1.0)
    assert rule.exact_sign([Fraction(0), x, x], [0], [1, 2]) == -1
    assert rule.exact_sign([Fraction(0), Fraction(1), Fraction(1), Fraction(0)], [0, 1], [2, 3]) == 0
    # A = {e_0}, B = {e_1, e_2}: with the reward (0, x, x) B is favoured on the two elements
    # putting 0 first and x on 1, 2 (exactly, not a tie)
    v = orbit_vote_sets([((1, 0, 0),)], [((0, 1, 0),), ((0, 0, 1),)], [0, x, x], rule=rule)
    assert (v.a_strict, v.b_strict, v.tie) == (0, 3, 0)
    assert "mpmath" in v.reduction and "C is the set of options" in v.reduction


def test_rule_votes_use_the_option_set_c():
    """An option of both A and B is one element of C (RDSP), not two."""
    from workbench.power import orbit_vote_sets

    seen = []

    class Spy(FracOptimal):
        def set_probability(self, VC, ia, ib):
            seen.append((VC.shape[1], list(ia), list(ib)))
            return super().set_probability(VC, ia, ib)

    shared = ((0, 1, 0),)
    v = orbit_vote_sets([((1, 0, 0),), shared], [shared, ((0, 0, 1),)], [0, 1, 2], rule=Spy())
    assert seen and all(k == 3 and ib[0] in ia for k, ia, ib in seen)
    assert (v.a_strict, v.b_strict, v.tie) == (2, 2, 2)


def test_exact_probabilities_match_floating_point():
    values = [Fraction(v) for v in (0, 1, 1, 3, 2)]
    V = np.array([[float(v) for v in values]])
    for rule in (FracOptimal(), BestOfK(3), Satisfice(1.5), UniformQuantiliser(0.5), UniformQuantiliser(1 / 3)):
        exact = rule.exact_probabilities(values)
        assert sum(exact) == 1, rule
        assert np.allclose([float(p) for p in exact], rule.probabilities(V)[0]), rule
