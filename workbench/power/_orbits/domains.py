"""Reward domains other than states (seed caveats; spec §1).

* State-action rewards: convert a deterministic MDP to one whose states are the pairs ``s|a``
  (being in ``s|a`` means "took ``a`` in ``s``"); the orbit then acts on the pairs, so the
  number of actions matters. Every result says which domain its orbit acts on.
* Featurized rewards ``r = Φ w``: an option's value is ``(Φ^T f)·w``, so the orbit acts on
  permutations of the feature weights ``w`` (which need not be permutations of states).
"""

from __future__ import annotations

from fractions import Fraction

from workbench._errors import WorkbenchError
from workbench.power._visits.criteria import Average
from workbench.power._mdp.mdp import MDP
from workbench.power._orbits.votes import orbit_vote_sets

__all__ = ["state_action_mdp", "state_action_orbit_vote", "featurized_orbit_vote"]


def state_action_mdp(mdp: MDP) -> MDP:
    """The (state, action) MDP of a deterministic MDP: ``s|a -> t|b`` for ``t = T(s, a)``.

    Examples
    --------
    >>> from workbench.power import star
    >>> state_action_mdp(star(2)).states
    ('s|x0', 's|x1', 'x0|x0', 'x1|x1')
    """
    if not mdp.is_deterministic:
        raise WorkbenchError(f"{mdp.source}: state-action conversion is implemented for deterministic MDPs only")
    succ = {}
    for s in mdp.states:
        for a, dist in mdp.transitions[s].items():
            t = next(iter(dist))
            succ[f"{s}|{a}"] = [f"{t}|{b}" for b in mdp.transitions[t]]
    return MDP.from_successors(succ, name=f"{mdp.name}-state-action", description=f"(state, action) pairs of {mdp.name}",
                               source=f"{mdp.source} (state-action)")


def _pooled(mdp2, state, actions, criterion):
    from workbench.power._orbits.votes import _prune
    from workbench.power._visits.visits import visit_distributions

    out = []
    for a in actions:
        out.extend(visit_distributions(mdp2, f"{state}|{a}"))
    return _prune(out, criterion)


def state_action_orbit_vote(mdp: MDP, state, a, b, reward, criterion=None, **kwargs):
    """Orbit vote with a reward on (state, action) pairs, in the order of
    ``state_action_mdp(mdp).states``; the orbit acts on the pairs."""
    criterion = criterion or Average()
    mdp.check_actions(state, list(a) + list(b))
    m2 = state_action_mdp(mdp)
    if len(reward) != m2.n_states:
        raise WorkbenchError(f"state-action reward needs {m2.n_states} values ({', '.join(m2.states)}), got {len(reward)}")
    A, B = _pooled(m2, state, a, criterion), _pooled(m2, state, b, criterion)
    lv = criterion.levels(A + B)
    opts = [[lv[l][i] for l in range(len(lv))] for i in range(len(A) + len(B))]
    return orbit_vote_sets(opts[: len(A)], opts[len(A):], reward, criterion=criterion.describe(), names=m2.states,
                           domain=f"state-action pairs ({m2.n_states})", **kwargs)


def featurized_orbit_vote(mdp: MDP, state, a, b, features, weights, criterion=None, **kwargs):
    """Orbit vote for a featurized reward ``r(s) = Φ(s)·w`` over permutations of ``w``.

    Parameters
    ----------
    features : mapping state -> sequence of d numbers, or a list of rows in state order
    weights : sequence of d numbers
    """
    from workbench.power._orbits.votes import _prune
    from workbench.power._visits.visits import options

    criterion = criterion or Average()
    rows = [features[s] for s in mdp.states] if isinstance(features, dict) else list(features)
    if len(rows) != mdp.n_states:
        raise WorkbenchError(f"features: need one row per state ({mdp.n_states}), got {len(rows)}")
    d = len(weights)
    if any(len(r) != d for r in rows):
        raise WorkbenchError(f"features: every row needs {d} entries (one per weight)")
    Phi = [[Fraction(x) for x in r] for r in rows]
    A = _prune(options(mdp, state, a), criterion)
    B = _prune(options(mdp, state, b), criterion)
    lv = criterion.levels(list(A) + list(B))
    proj = lambda v: tuple(sum((v[i] * Phi[i][k] for i in range(len(v))), Fraction(0)) for k in range(d))  # noqa: E731
    opts = [[proj(lv[l][i]) for l in range(len(lv))] for i in range(len(A) + len(B))]
    return orbit_vote_sets(opts[: len(A)], opts[len(A):], weights, criterion=criterion.describe(),
                           names=tuple(f"feature{k}" for k in range(d)), domain=f"feature weights ({d})", **kwargs)
