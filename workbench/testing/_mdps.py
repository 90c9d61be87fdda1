"""Strategies for MDPs: deterministic (rooted), stochastic with rational probabilities, gridworlds,
and the choices (a state with first-action sets A and B) made in them."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from hypothesis import strategies as st

from workbench._errors import WorkbenchError
from workbench.power import MDP, gridworld

__all__ = ["deterministic_mdps", "stochastic_mdps", "gridworlds", "Choice", "choices", "first_action_splits"]


def _check_bounds(name, low, high, floor):
    if int(low) != low or int(high) != high or low < floor or high < low:
        raise WorkbenchError(f"{name}: need integers {floor} <= min <= max, got min {low}, max {high}")


def _tree(draw, n, fanout):
    """Children lists of a random spanning tree rooted at 0 (parent of j < j, at most ``fanout``
    children each): every state is reachable from state 0. Shrinks towards a path from 0."""
    children = [[] for _ in range(n)]
    for j in range(1, n):
        # state j - 1 has no child yet, so there is always a candidate; the latest one comes first,
        # so that shrinking gives the chain 0 -> 1 -> ... (the most readable tree)
        parents = [p for p in range(j - 1, -1, -1) if len(children[p]) < fanout]
        children[draw(st.sampled_from(parents))].append(j)
    return children


@st.composite
def deterministic_mdps(draw, *, min_states: int = 1, max_states: int = 5, max_actions: int = 3,
                       self_loops: bool = True, terminals: bool | None = None, min_root_actions: int = 1):
    """Rooted deterministic MDPs: every state is reachable from the root ``s0``.

    States are ``s0, s1, ...`` (``s0`` is ``start``); each action is named after its successor
    (spec §1). A spanning tree from ``s0`` makes every state reachable; extra edges are drawn on
    top. Shrinks towards few states, the chain ``s0 -> s1 -> ...`` and no extra edges.

    Parameters
    ----------
    min_states, max_states : int
        Bounds on the number of states.
    max_actions : int
        Most successors of a state (at least ``min_root_actions``).
    self_loops : bool
        Whether a state with other successors may also have a self-loop.
    terminals : bool or None
        ``None``: terminal states (whose only action is the self-loop) may occur; ``True``: at
        least one (the last state, ``s{n-1}``, is terminal); ``False``: none (then at least 2
        states).
    min_root_actions : int
        Fewest actions at ``s0`` (2 gives a choice at the root).

    Examples
    --------
    The smallest MDP with a choice at the root:

    >>> from workbench.testing import minimal
    >>> m = minimal(deterministic_mdps(min_root_actions=2))
    >>> {s: m.successors(s) for s in m.states}
    {'s0': ('s1', 's0'), 's1': ('s1',)}
    """
    _check_bounds("deterministic_mdps: states", min_states, max_states, 1)
    if not 1 <= min_root_actions <= max_actions:
        raise WorkbenchError(f"deterministic_mdps: need 1 <= min_root_actions <= max_actions, got {min_root_actions} and {max_actions}")
    low = max(min_states, 2 if terminals is False else 1, min_root_actions + (0 if self_loops else 1))
    if low > max_states:
        raise WorkbenchError(f"deterministic_mdps: max_states={max_states} is too small for these options "
                             f"(need at least {low} states)")
    n = draw(st.integers(low, max_states))
    succ = _tree(draw, n, max_actions)
    for i in range(n):
        if terminals is True and i == n - 1:
            succ[i] = [i]  # the last state has no tree child: making it terminal keeps reachability
            continue
        room = max_actions - len(succ[i])
        pool = [t for t in range(n) if t not in succ[i] and (self_loops or t != i)]
        need = max(0, min_root_actions - len(succ[i])) if i == 0 else 0
        if room > 0 and pool:
            succ[i] += draw(st.lists(st.sampled_from(pool), unique=True, min_size=need, max_size=min(room, len(pool))))
        if not succ[i]:
            succ[i] = [i] if terminals is not False else [draw(st.sampled_from([t for t in range(n) if t != i]))]
    names = [f"s{i}" for i in range(n)]
    return MDP.from_successors({names[i]: [names[t] for t in succ[i]] for i in range(n)},
                               name=f"drawn{n}", start="s0", source="<drawn deterministic MDP>")


@st.composite
def stochastic_mdps(draw, *, min_states: int = 1, max_states: int = 4, max_actions: int = 2, max_support: int = 2,
                    max_weight: int = 3):
    """Rooted MDPs with exact rational (``Fraction``) transition probabilities.

    Every state is reachable from ``s0`` (``start``). State ``s{i}`` has actions ``a0, a1, ...``
    (at most ``max_actions``), each a distribution over at most ``max_support`` successors with
    probabilities ``w / sum(w)`` for integer weights ``1 <= w <= max_weight``. Shrinks towards
    few states, one action each, equal weights.

    Examples
    --------
    >>> from workbench.testing import minimal
    >>> m = minimal(stochastic_mdps(), lambda m: not m.is_deterministic)
    >>> m.n_states, dict(m.transitions["s0"]["a0"])
    (3, {'s1': Fraction(1, 2), 's2': Fraction(1, 2)})
    """
    _check_bounds("stochastic_mdps: states", min_states, max_states, 1)
    if max_actions < 1 or max_support < 1 or max_weight < 1:
        raise WorkbenchError("stochastic_mdps: max_actions, max_support and max_weight must be at least 1")
    n = draw(st.integers(min_states, max_states))
    children = _tree(draw, n, max_actions * max_support)
    names = [f"s{i}" for i in range(n)]
    trans = {}
    for i in range(n):
        k = draw(st.integers(max(1, -(-len(children[i]) // max_support)), max_actions))
        supports = [[] for _ in range(k)]
        for c in children[i]:
            supports[draw(st.sampled_from([a for a in range(k) if len(supports[a]) < max_support]))].append(c)
        acts = {}
        for a, supp in enumerate(supports):
            pool = [t for t in [i, *range(n)] if t not in supp]
            pool = list(dict.fromkeys(pool))  # self first: an empty action shrinks to a self-loop
            room = max_support - len(supp)
            if room > 0 and pool:
                supp += draw(st.lists(st.sampled_from(pool), unique=True, min_size=0 if supp else 1,
                                      max_size=min(room, len(pool))))
            w = draw(st.lists(st.integers(1, max_weight), min_size=len(supp), max_size=len(supp)))
            acts[f"a{a}"] = {names[t]: Fraction(x, sum(w)) for t, x in zip(supp, w)}
        trans[names[i]] = acts
    return MDP(states=tuple(names), transitions=trans, name=f"drawn{n}", start="s0", source="<drawn stochastic MDP>")


@st.composite
def gridworlds(draw, *, max_width: int = 3, max_height: int = 3, deletions: bool = True, self_loops: bool | None = None):
    """Gridworlds (:func:`workbench.power.gridworld`), with deleted cells, connected.

    Cells unreachable from the first cell after the deletions are deleted too, so every state is
    reachable from ``start``. ``self_loops=None`` draws whether cells have a stay action.
    Shrinks towards a single cell.

    Examples
    --------
    >>> from workbench.testing import minimal
    >>> minimal(gridworlds(), lambda g: g.n_states >= 3).states
    ('r0c0', 'r1c0', 'r2c0')
    """
    _check_bounds("gridworlds: width", 1, max_width, 1)
    _check_bounds("gridworlds: height", 1, max_height, 1)
    w, h = draw(st.integers(1, max_width)), draw(st.integers(1, max_height))
    cells = [(r, c) for r in range(h) for c in range(w)]
    deleted = set(draw(st.lists(st.sampled_from(cells), unique=True, max_size=len(cells) - 1))) if deletions else set()
    loops = draw(st.booleans()) if self_loops is None else self_loops
    g = gridworld(w, h, deleted=sorted(deleted), self_loops=loops)
    reach = set(g.reachable(g.start))
    if len(reach) < g.n_states:
        deleted |= {(r, c) for (r, c) in cells if f"r{r}c{c}" not in reach}
        g = gridworld(w, h, deleted=sorted(deleted), self_loops=loops)
    return g


@st.composite
def first_action_splits(draw, mdp: MDP, state: str, *, cover: bool = True):
    """Disjoint non-empty first-action sets ``(a, b)`` at ``state`` (which needs 2+ actions).

    ``cover=True``: every action is in ``a`` or ``b``; otherwise some may be in neither.
    Shrinks towards ``a`` = the first action, ``b`` = the rest.

    Examples
    --------
    >>> from workbench.testing import minimal
    >>> from workbench.power import star
    >>> minimal(first_action_splits(star(3), "s"))
    (('x0',), ('x1', 'x2'))
    """
    acts = mdp.actions(state)
    if len(acts) < 2:
        raise WorkbenchError(f"first_action_splits: state {state!r} has {len(acts)} action(s); a split needs 2")
    side = draw(st.lists(st.integers(0, 1 if cover else 2), min_size=len(acts), max_size=len(acts)))
    a = [x for x, s in zip(acts, side) if s == 1]
    b = [x for x, s in zip(acts, side) if s == 0]
    if not a:  # 0 is "B": shrinking gives the first action to A and the rest to B
        a = [acts[0]]
        b = [x for x in b if x != acts[0]]
    if not b:
        rest = [x for x in acts if x not in a]  # actions in neither set
        b, a = ([rest[-1]], a) if rest else ([a[-1]], a[:-1])
    return tuple(a), tuple(b)


@dataclass(frozen=True)
class Choice:
    """A state of an MDP and two disjoint first-action sets there (the arguments of
    :func:`workbench.power.orbit_vote`)."""

    mdp: MDP
    state: str
    a: tuple
    b: tuple


@st.composite
def choices(draw, mdps=None, *, cover: bool = True):
    """A :class:`Choice` ``(mdp, state, a, b)``: a state with 2+ actions, split into A and B.

    ``mdps`` defaults to ``deterministic_mdps(min_root_actions=2)``; the state is the MDP's
    ``start`` when it has a choice, else one drawn among the states that have one (draws of
    MDPs without any choice are rejected).

    Examples
    --------
    >>> from workbench.testing import minimal
    >>> c = minimal(choices())
    >>> c.state, c.a, c.b
    ('s0', ('s1',), ('s0',))
    """
    mdp = draw(deterministic_mdps(min_root_actions=2) if mdps is None else mdps)
    if mdp.start is not None and len(mdp.actions(mdp.start)) >= 2:
        state = mdp.start
    else:
        states = [s for s in mdp.states if len(mdp.actions(s)) >= 2]
        if not states:
            from hypothesis import reject

            reject()
        state = draw(st.sampled_from(states))
    a, b = draw(first_action_splits(mdp, state, cover=cover))
    return Choice(mdp, state, a, b)
