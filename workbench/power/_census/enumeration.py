"""Rooted deterministic MDPs up to isomorphism: canonical forms and class counts.

A rooted deterministic MDP on ``n`` states is a directed graph on ``{0, ..., n-1}`` (self-loops
allowed) in which every state has at least one successor and every state is reachable from the
root ``0``. In this engine an action of a deterministic MDP *is* its successor state
(:meth:`MDP.from_successors` names each action after its successor and refuses duplicates), so
the MDP is exactly its successor sets and two MDPs are the same up to renaming when their graphs
are isomorphic by a bijection that fixes the root. A graph is stored as the tuple of successor
bitmasks ``(m_0, ..., m_{n-1})`` (bit ``j`` of ``m_i``: ``i -> j``).

The *canonical form* of a graph is the lexicographically smallest mask tuple over the ``(n-1)!``
relabellings that fix the root; two graphs are isomorphic (fixing the root) exactly when their
canonical forms agree. :func:`rooted_mdp_classes` visits each class once.

Two independent counts check the enumeration (``tests/test_census.py``): Burnside's lemma over
the labelled graphs, computed on edge sets rather than masks
(:func:`burnside_class_count`), and, for small ``n``, grouping the labelled graphs with
``networkx``'s isomorphism test.

Examples
--------
>>> [class_count(n) for n in (1, 2, 3)]
[1, 6, 112]
>>> cls = next(iter(rooted_mdp_classes(2)))
>>> cls.masks, cls.mdp().transitions["s0"].keys()
((2, 1), dict_keys(['s1']))

References
----------
W. Burnside, *Theory of Groups of Finite Order* (1897), the orbit-counting lemma; spec §1
(a deterministic MDP is a directed graph, one action per out-edge).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import lru_cache

from workbench._errors import WorkbenchError

__all__ = ["MDPClass", "rooted_mdp_classes", "class_count", "canonical_form", "is_rooted", "burnside_class_count",
           "MAX_CENSUS_STATES"]

#: Largest size the census enumerates (5 states: 31^5 labelled graphs, a long run).
MAX_CENSUS_STATES = 5


def _check_n(n: int) -> None:
    if int(n) != n or not 1 <= n <= MAX_CENSUS_STATES:
        raise WorkbenchError(f"the census enumerates 1 to {MAX_CENSUS_STATES} states, got {n}")


def is_rooted(masks) -> bool:
    """Every state has a successor and is reachable from state 0."""
    n = len(masks)
    if any(m == 0 for m in masks):
        return False
    seen, frontier = 1, 1
    while frontier:
        nxt = 0
        for i in range(n):
            if frontier >> i & 1:
                nxt |= masks[i]
        frontier = nxt & ~seen
        seen |= nxt
    return seen == (1 << n) - 1


@lru_cache(maxsize=None)
def _root_fixing_perms(n: int) -> tuple:
    return tuple((0,) + p for p in itertools.permutations(range(1, n)))


def _relabel(masks, p) -> tuple:
    """The graph with state ``i`` renamed ``p[i]``."""
    out = [0] * len(masks)
    for i, m in enumerate(masks):
        new = 0
        j = 0
        while m:
            if m & 1:
                new |= 1 << p[j]
            m >>= 1
            j += 1
        out[p[i]] = new
    return tuple(out)


def canonical_form(masks) -> tuple:
    """The smallest relabelling of ``masks`` (successor bitmasks) over bijections fixing state 0."""
    masks = tuple(masks)
    return min(_relabel(masks, p) for p in _root_fixing_perms(len(masks)))


def _automorphisms(masks) -> tuple:
    return tuple(p for p in _root_fixing_perms(len(masks)) if _relabel(masks, p) == masks)


@dataclass(frozen=True)
class MDPClass:
    """One isomorphism class of rooted deterministic MDPs, in canonical form.

    ``masks[i]`` has bit ``j`` set when ``s{i} -> s{j}``; the root is ``s0``. ``automorphisms``
    are the relabellings fixing the root that map the graph to itself (the identity included).
    """

    masks: tuple
    automorphisms: tuple = ()

    @property
    def n_states(self) -> int:
        return len(self.masks)

    @property
    def id(self) -> str:
        """A stable name: size and the canonical successor masks, e.g. ``"3:6.4.4"``."""
        return f"{self.n_states}:" + ".".join(str(m) for m in self.masks)

    def successors(self) -> dict:
        n = self.n_states
        return {f"s{i}": [f"s{j}" for j in range(n) if self.masks[i] >> j & 1] for i in range(n)}

    def describe(self) -> str:
        """``s0->s1,s2; s1->s1; ...``"""
        return "; ".join(f"{s}->{','.join(ts)}" for s, ts in self.successors().items())

    def mdp(self):
        from workbench.power._mdp.mdp import MDP

        return MDP.from_successors(self.successors(), name=f"census_{self.id.replace(':', '_').replace('.', '_')}",
                                   start="s0", description=f"census class {self.id}")


def _labelled(n: int):
    full = range(1, 1 << n)
    for masks in itertools.product(full, repeat=n):
        if is_rooted(masks):
            yield masks


def rooted_mdp_classes(n: int):
    """Every rooted deterministic MDP on ``n`` states up to isomorphism, once each, as
    :class:`MDPClass` in increasing order of canonical form.

    Enumerates the ``(2^n - 1)^n`` labelled graphs and keeps the canonical ones (a graph is
    kept when it equals its own canonical form), so no set of seen forms is stored.
    """
    _check_n(n)
    perms = _root_fixing_perms(n)
    for masks in _labelled(n):
        if all(_relabel(masks, p) >= masks for p in perms):
            yield MDPClass(masks, _automorphisms(masks))


@lru_cache(maxsize=None)
def class_count(n: int) -> int:
    """Number of isomorphism classes of rooted deterministic MDPs on ``n`` states."""
    return sum(1 for _ in rooted_mdp_classes(n))


def burnside_class_count(n: int) -> int:
    """The class count by Burnside's lemma, an independent computation for the tests.

    ``#classes = (1/(n-1)!) * sum over labelled rooted graphs G of |Aut_0(G)|``, with the
    root-fixing automorphisms found on edge sets (not on masks as in :func:`canonical_form`).
    """
    _check_n(n)
    total = 0
    perms = [dict(zip(range(n), (0,) + p)) for p in itertools.permutations(range(1, n))]
    for masks in _labelled(n):
        edges = frozenset((i, j) for i in range(n) for j in range(n) if masks[i] >> j & 1)
        total += sum(1 for p in perms if frozenset((p[i], p[j]) for i, j in edges) == edges)
    q, r = divmod(total, math.factorial(n - 1))
    assert r == 0, "Burnside's sum must be divisible by the group order"
    return q
