"""A property test as a user writes it in their own suite, from the public API alone:
OPTTSP Thm 6.13 / RDSP Thm D.11's conclusion over drawn (MDP, A, B with n copies of A, reward).

If B contains n copies of A, then on every orbit of reward vectors B is weakly preferred by at
least n/(n+1) of the orbit's elements, and #(B strictly better) >= n * #(A strictly better).
"""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.power import Average, Blackwell, Discounted, orbit_vote
from workbench.testing import mdps_with_copies, order_types, rational_rewards

SMALL = mdps_with_copies(max_copies=2, max_block=2, max_shared=1, max_extra=1)


@settings(max_examples=15)
@given(case=SMALL, data=st.data())
def test_n_copies_are_weakly_preferred_by_n_of_n_plus_1_of_every_orbit(case, data):
    reward = data.draw(st.one_of(order_types(case.mdp.n_states), rational_rewards(case.mdp.n_states)))
    criterion = data.draw(st.sampled_from([Average(), Blackwell(), Discounted(Fraction(1, 2))]))
    vote = orbit_vote(case.mdp, case.state, case.a, case.b, reward, criterion)
    assert vote.method == "exact"
    assert vote.b_strict >= case.n * vote.a_strict
    assert vote.weak_fraction_b >= Fraction(case.n, case.n + 1)
