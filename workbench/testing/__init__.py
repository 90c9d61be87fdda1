"""Hypothesis strategies for property tests of the workbench's science, in your own test suite.

Requires `Hypothesis <https://hypothesis.readthedocs.io>`_ (``pip install 'workbench[testing]'``).
Every strategy shrinks towards small, readable examples: few states, small integers, the
identity permutation, one copy. Draws depend only on Hypothesis's choices, so a run is
reproduced by its seed (``pytest --hypothesis-seed N``) or its printed blob.

- **MDPs**: :func:`deterministic_mdps` (rooted: every state reachable from ``s0``),
  :func:`stochastic_mdps` (exact rational probabilities), :func:`gridworlds`;
- **choices**: :func:`choices` (a state and first-action sets A, B), :func:`first_action_splits`;
- **copies by construction** (the hypotheses of OPTTSP Thm 6.13 / RDSP Thm D.11):
  :func:`mdps_with_copies` (an MDP whose B side contains n copies of its A side) and
  :func:`copies` (vector option sets), each with its witnessing involutions;
- **rewards**: :func:`rational_rewards` (generic rationals), :func:`tied_rewards`,
  :func:`order_types` (and :func:`all_order_types`), :func:`state_action_rewards`;
- **symmetries**: :func:`permutations`, :func:`involutions`;
- **reward-seeking configurations**: :func:`homogeneous_configs`, :func:`hetero_configs`;
- :func:`minimal`: the smallest example of a strategy, reproducibly.

Examples
--------
A property test of OPTTSP Thm 6.13's conclusion, as a user writes it:

>>> from fractions import Fraction
>>> from hypothesis import given, settings, strategies as st
>>> from workbench.power import orbit_vote
>>> from workbench.testing import mdps_with_copies, order_types
>>> @settings(max_examples=5, database=None)
... @given(case=mdps_with_copies(max_copies=2, max_block=1, max_shared=0, max_extra=0), data=st.data())
... def test_n_copies_win_n_of_n_plus_1(case, data):
...     r = data.draw(order_types(case.mdp.n_states))
...     vote = orbit_vote(case.mdp, case.state, case.a, case.b, r)
...     assert vote.weak_fraction_b >= Fraction(case.n, case.n + 1)
>>> test_n_copies_win_n_of_n_plus_1()
"""

try:
    import hypothesis  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("workbench.testing needs Hypothesis: pip install 'workbench[testing]' "
                      "(or pip install hypothesis)") from exc

from workbench.testing._copies import Copies, CopiesChoice, copies, mdps_with_copies
from workbench.testing._mdps import Choice, choices, deterministic_mdps, first_action_splits, gridworlds, stochastic_mdps
from workbench.testing._minimal import minimal
from workbench.testing._rewards import all_order_types, order_types, rational_rewards, state_action_rewards, tied_rewards
from workbench.testing._rs import hetero_configs, homogeneous_configs
from workbench.testing._symmetry import involutions, permutations

__all__ = [
    "deterministic_mdps", "stochastic_mdps", "gridworlds",
    "Choice", "choices", "first_action_splits",
    "Copies", "copies", "CopiesChoice", "mdps_with_copies",
    "rational_rewards", "tied_rewards", "order_types", "all_order_types", "state_action_rewards",
    "permutations", "involutions",
    "homogeneous_configs", "hetero_configs",
    "minimal",
]
