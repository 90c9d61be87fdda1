"""The power-seeking engine (spec ``power_seeking.md``; OPTTSP = Turner et al. 2021, RDSP =
Turner & Tadepalli 2022).

MDPs (:class:`MDP`, TOML files, generators, drawing), exact visit distributions as rational
functions of γ, RSDs and non-domination, the ``average`` / ``blackwell`` / ``discounted(γ)``
criteria, exact orbit votes with big-integer counts (RDSP Thm D.11), certified copies
(OPTTSP Thm 6.13), POWER on [0, 1] and decision rules (RDSP Prop A.11).

Examples
--------
>>> from workbench.power import MDP, orbit_vote
>>> m = MDP.from_successors({"start": ["candy", "wait"], "wait": ["chocolate", "hug"],
...     "candy": ["candy"], "chocolate": ["chocolate"], "hug": ["hug"]})
>>> orbit_vote(m, "start", ["candy"], ["wait"], [0, 0, 3, 2, 1]).weak_fraction_b
Fraction(2, 3)
"""

from ._copies import CopiesCertificate, Involution, certify_copies, check_most, copies_at, find_copies
from ._criteria import Average, Blackwell, Discounted, criterion_from_name
from ._domains import featurized_orbit_vote, state_action_mdp
from ._generators import chain, gridworld, random_deterministic, star, terminal_choice
from ._mdp import MDP, dumps_mdp, load_mdp, loads_mdp
from ._orbits import OrbitVote, orbit_size, orbit_vote, orbit_vote_sets, wilson_interval
from ._power import (
    IIDDistribution,
    IIDUniform,
    PerStateDistribution,
    PowerEstimate,
    optimality_probability,
    power,
    power_by_value_iteration,
    power_of_actions,
    power_vectors,
)
from ._rules import AntiOpt, BestOfK, Boltzmann, FracOptimal, IsOptimal, Satisfice, UniformQuantiliser, rule_from_spec
from ._visits import VisitDistribution, non_dominated, options, recurrent_state_distributions, visit_distributions

__all__ = [
    "MDP", "load_mdp", "loads_mdp", "dumps_mdp",
    "star", "chain", "gridworld", "random_deterministic", "terminal_choice", "draw_mdp",
    "VisitDistribution", "visit_distributions", "options", "recurrent_state_distributions", "non_dominated",
    "Average", "Blackwell", "Discounted", "criterion_from_name",
    "OrbitVote", "orbit_vote", "orbit_vote_sets", "orbit_size", "wilson_interval",
    "Involution", "CopiesCertificate", "find_copies", "certify_copies", "copies_at", "check_most",
    "IIDUniform", "IIDDistribution", "PerStateDistribution", "PowerEstimate", "power", "power_vectors",
    "optimality_probability", "power_by_value_iteration", "power_of_actions",
    "IsOptimal", "FracOptimal", "AntiOpt", "Boltzmann", "BestOfK", "Satisfice", "UniformQuantiliser", "rule_from_spec",
    "state_action_mdp", "featurized_orbit_vote",
]


def __getattr__(name):  # matplotlib is imported only when drawing
    if name == "draw_mdp":
        from ._draw import draw_mdp

        return draw_mdp
    raise AttributeError(name)
