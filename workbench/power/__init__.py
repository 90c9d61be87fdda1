"""The power-seeking engine (spec ``power_seeking.md``; OPTTSP = Turner et al. 2021, RDSP =
Turner & Tadepalli 2022).

MDPs (:class:`MDP`, TOML files, generators, drawing), exact visit distributions as rational
functions of γ, RSDs and non-domination, the ``average`` / ``blackwell`` / ``discounted(γ)``
criteria, orbit votes counted exactly with big integers (``method=Exact()``, RDSP Thm D.11)
or estimated from uniform draws (``method=Sampled(samples, seed)``), certified copies
(OPTTSP Thm 6.13), the census of small rooted MDPs and user conjectures (``run_census``,
``check_conjecture``), POWER on [0, 1] and decision rules (RDSP Prop A.11).

Examples
--------
>>> from workbench.power import MDP, orbit_vote
>>> m = MDP.from_successors({"start": ["candy", "wait"], "wait": ["chocolate", "hug"],
...     "candy": ["candy"], "chocolate": ["chocolate"], "hug": ["hug"]})
>>> orbit_vote(m, "start", ["candy"], ["wait"], [0, 0, 3, 2, 1]).weak_fraction_b
Fraction(2, 3)
"""

from typing import TYPE_CHECKING

# Names load on first use (module __getattr__ below), so that importing one sub-module does not
# import the whole science; static tools (type checkers, the API docs) read these imports.
if TYPE_CHECKING:
    from workbench.power._orbits.copies import CopiesCertificate, Involution, certify_copies, check_most, copies_at, find_copies
    from workbench.power._visits.criteria import Average, Blackwell, Discounted, criterion_from_name
    from workbench.power._orbits.domains import featurized_orbit_vote, state_action_mdp
    from workbench.power._mdp.generators import chain, gridworld, random_deterministic, star, terminal_choice
    from workbench.power._mdp.mdp import MDP, dumps_mdp, load_mdp, loads_mdp
    from workbench.power._mdp.shipped import shipped_mdp, shipped_mdp_names
    from workbench.power._lab.registry import Conjecture, RewardFamily, conjecture_names, get_conjecture, register_conjecture
    from workbench.power._census.brute import brute_force_vote
    from workbench.power._census.census import DEFAULT_CENSUS_CRITERIA, CensusResult, census_class, run_census
    from workbench.power._census.check import CheckResult, ConjectureCase, check_conjecture, load_conjecture_file
    from workbench.power._census.enumeration import MDPClass, burnside_class_count, canonical_form, class_count, labelled_rooted_count, rooted_mdp_classes
    from workbench.power._lab.search import SearchOutcome, SearchResult, run_search
    from workbench.power._lab.shrinking import is_counterexample, shrink
    from workbench.power._orbits.methods import Exact, Sampled, VoteMethod
    from workbench.power._orbits.power_methods import Auto, BatchedValueIteration, ExactVisits
    from workbench.power._orbits.result import OrbitVote, orbit_size, wilson_interval
    from workbench.power._orbits.votes import orbit_vote, orbit_vote_sets
    from workbench.power._orbits.power import (
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
    from workbench.power._orbits.rules import (
        AntiOpt,
        BestOfK,
        Boltzmann,
        DecisionRule,
        FracOptimal,
        IsOptimal,
        Satisfice,
        UniformQuantiliser,
        rule_from_spec,
    )
    from workbench.power._visits.visits import VisitDistribution, non_dominated, options, recurrent_state_distributions, visit_distributions

_EXPORTS = {
    **dict.fromkeys(('CopiesCertificate', 'Involution', 'certify_copies', 'check_most', 'copies_at', 'find_copies'), 'workbench.power._orbits.copies'),
    **dict.fromkeys(('Average', 'Blackwell', 'Discounted', 'criterion_from_name'), 'workbench.power._visits.criteria'),
    **dict.fromkeys(('featurized_orbit_vote', 'state_action_mdp'), 'workbench.power._orbits.domains'),
    **dict.fromkeys(('chain', 'gridworld', 'random_deterministic', 'star', 'terminal_choice'), 'workbench.power._mdp.generators'),
    **dict.fromkeys(('MDP', 'dumps_mdp', 'load_mdp', 'loads_mdp'), 'workbench.power._mdp.mdp'),
    **dict.fromkeys(('shipped_mdp', 'shipped_mdp_names'), 'workbench.power._mdp.shipped'),
    **dict.fromkeys(('Conjecture', 'RewardFamily', 'conjecture_names', 'get_conjecture', 'register_conjecture'), 'workbench.power._lab.registry'),
    **dict.fromkeys(('brute_force_vote',), 'workbench.power._census.brute'),
    **dict.fromkeys(('CensusResult', 'DEFAULT_CENSUS_CRITERIA', 'census_class', 'run_census'), 'workbench.power._census.census'),
    **dict.fromkeys(('CheckResult', 'ConjectureCase', 'check_conjecture', 'load_conjecture_file'), 'workbench.power._census.check'),
    **dict.fromkeys(('MDPClass', 'burnside_class_count', 'canonical_form', 'class_count', 'labelled_rooted_count', 'rooted_mdp_classes'), 'workbench.power._census.enumeration'),
    **dict.fromkeys(('SearchOutcome', 'SearchResult', 'run_search'), 'workbench.power._lab.search'),
    **dict.fromkeys(('is_counterexample', 'shrink'), 'workbench.power._lab.shrinking'),
    **dict.fromkeys(('Exact', 'Sampled', 'VoteMethod'), 'workbench.power._orbits.methods'),
    **dict.fromkeys(('Auto', 'BatchedValueIteration', 'ExactVisits'), 'workbench.power._orbits.power_methods'),
    **dict.fromkeys(('OrbitVote', 'orbit_size', 'wilson_interval'), 'workbench.power._orbits.result'),
    **dict.fromkeys(('orbit_vote', 'orbit_vote_sets'), 'workbench.power._orbits.votes'),
    **dict.fromkeys(('IIDDistribution', 'IIDUniform', 'PerStateDistribution', 'PowerEstimate', 'optimality_probability', 'power', 'power_by_value_iteration', 'power_of_actions', 'power_vectors'), 'workbench.power._orbits.power'),
    **dict.fromkeys(('AntiOpt', 'BestOfK', 'Boltzmann', 'DecisionRule', 'FracOptimal', 'IsOptimal', 'Satisfice', 'UniformQuantiliser', 'rule_from_spec'), 'workbench.power._orbits.rules'),
    **dict.fromkeys(('VisitDistribution', 'non_dominated', 'options', 'recurrent_state_distributions', 'visit_distributions'), 'workbench.power._visits.visits'),
}

# Figures import matplotlib, so they load on first use.
_FIGURES = {
    "draw_mdp": "workbench.power._plotting.draw",
    **{name: "workbench.power._plotting.figures" for name in (
        "plot_involutions", "plot_counterexample", "plot_orbit_bars", "plot_power_vs_gamma",
        "plot_weak_fraction_vs_gamma", "plot_fractional_family")},
}

__all__ = [
    "MDP", "load_mdp", "loads_mdp", "dumps_mdp", "shipped_mdp", "shipped_mdp_names",
    "star", "chain", "gridworld", "random_deterministic", "terminal_choice",
    "VisitDistribution", "visit_distributions", "options", "recurrent_state_distributions", "non_dominated",
    "Average", "Blackwell", "Discounted", "criterion_from_name",
    "OrbitVote", "orbit_vote", "orbit_vote_sets", "orbit_size", "wilson_interval", "Exact", "Sampled", "VoteMethod",
    "Involution", "CopiesCertificate", "find_copies", "certify_copies", "copies_at", "check_most",
    "IIDUniform", "IIDDistribution", "PerStateDistribution", "PowerEstimate", "power", "power_vectors",
    "ExactVisits", "BatchedValueIteration", "Auto",
    "optimality_probability", "power_by_value_iteration", "power_of_actions",
    "DecisionRule", "IsOptimal", "FracOptimal", "AntiOpt", "Boltzmann", "BestOfK", "Satisfice", "UniformQuantiliser", "rule_from_spec",
    "state_action_mdp", "featurized_orbit_vote",
    "Conjecture", "RewardFamily", "SearchResult", "SearchOutcome", "conjecture_names", "get_conjecture", "is_counterexample", "register_conjecture",
    "run_search", "shrink",
    "MDPClass", "rooted_mdp_classes", "class_count", "canonical_form", "burnside_class_count", "labelled_rooted_count", "run_census", "census_class", "DEFAULT_CENSUS_CRITERIA", "CensusResult",
    "ConjectureCase", "CheckResult", "check_conjecture", "load_conjecture_file", "brute_force_vote",
    *_FIGURES,
]


def __getattr__(name):
    module = _EXPORTS.get(name) or _FIGURES.get(name)
    if module is None:
        raise AttributeError(f"module 'workbench.power' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module), name)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
