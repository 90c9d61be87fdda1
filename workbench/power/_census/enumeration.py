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

Independent counts check the enumeration (``tests/test_census.py``): Burnside's lemma over
the labelled graphs, computed on edge sets rather than masks
(:func:`burnside_class_count`); for small ``n``, grouping the labelled graphs with
``networkx``'s isomorphism test; and, up to 5 states, the orbit-stabiliser identity
``sum over classes of (n-1)!/|Aut_0(G)| = L(n)``, the number of labelled rooted graphs, which
:func:`labelled_rooted_count` computes by a recursion without enumerating anything. The class
counts are 1, 6, 112, 5856 and 918,000 for 1 to 5 states.

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
           "labelled_rooted_count", "MAX_CENSUS_STATES"]

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


@lru_cache(maxsize=None)
def _bit_tables(n: int):
    """For each root-fixing relabelling ``p``: ``table[k, m]`` is mask ``m`` with bit ``j`` moved to ``p[j]``."""
    import numpy as np

    perms = _root_fixing_perms(n)
    table = np.zeros((len(perms), 1 << n), dtype=np.int64)
    for k, p in enumerate(perms):
        for m in range(1 << n):
            table[k, m] = sum(1 << p[j] for j in range(n) if m >> j & 1)
    return perms, table


def _canonical_chunk(n: int, first: int):
    """The rooted labelled graphs with root mask ``first``, as a masks array, with their codes under
    every root-fixing relabelling (code: the masks read as base-2^n digits, state 0 the most
    significant, so codes order like mask tuples)."""
    import numpy as np

    perms, table = _bit_tables(n)
    width = 1 << n
    if n == 1:
        rest = np.zeros((0, 1), dtype=np.int64)
    else:
        rest = np.indices((width - 1,) * (n - 1), dtype=np.int64).reshape(n - 1, -1) + 1
    masks = np.vstack([np.full((1, rest.shape[1]), first, dtype=np.int64), rest])
    seen = np.ones(masks.shape[1], dtype=np.int64)  # the root
    for _ in range(n):  # n rounds of "add every successor of a reached state" reach the closure
        nxt = seen.copy()
        for i in range(n):
            nxt |= np.where((seen >> i) & 1 == 1, masks[i], 0)
        seen = nxt
    masks = masks[:, seen == width - 1]
    codes = np.empty((len(perms), masks.shape[1]), dtype=np.int64)
    for k, p in enumerate(perms):
        code = np.zeros(masks.shape[1], dtype=np.int64)
        relabelled = [None] * n
        for i in range(n):
            relabelled[p[i]] = table[k][masks[i]]
        for i in range(n):
            code = code * width + relabelled[i]
        codes[k] = code
    return masks, codes


def _canonical_graphs(n: int):
    """Yield ``(masks, automorphisms)`` for each class, in increasing canonical form (vectorised
    over the labelled graphs of one root mask at a time; the same forms as :func:`canonical_form`)."""
    import numpy as np

    perms = _root_fixing_perms(n)
    for first in range(1, 1 << n):
        masks, codes = _canonical_chunk(n, first)
        own = codes[0]  # perms[0] is the identity
        keep = np.all(codes >= own, axis=0)
        for col in np.flatnonzero(keep):
            auts = tuple(perms[k] for k in np.flatnonzero(codes[:, col] == own[col]))
            yield tuple(int(m) for m in masks[:, col]), auts


def rooted_mdp_classes(n: int):
    """Every rooted deterministic MDP on ``n`` states up to isomorphism, once each, as
    :class:`MDPClass` in increasing order of canonical form.

    Walks the ``(2^n - 1)^n`` labelled graphs (vectorised with numpy, one root mask at a time)
    and keeps the canonical ones (a graph is kept when it equals its own canonical form), so no
    set of seen forms is stored. Five states (2.9e7 labelled graphs) take about a minute.
    """
    _check_n(n)
    for masks, auts in _canonical_graphs(n):
        yield MDPClass(masks, auts)


@lru_cache(maxsize=None)
def class_count(n: int) -> int:
    """Number of isomorphism classes of rooted deterministic MDPs on ``n`` states."""
    return sum(1 for _ in rooted_mdp_classes(n))


def labelled_rooted_count(n: int) -> int:
    r"""Number ``L(n)`` of labelled rooted deterministic MDPs on ``n`` states, by recursion.

    Classify the ``(2^n - 1)^n`` labelled graphs without sinks by the set ``S`` of states
    reachable from the root, ``|S| = k``: no edge leaves ``S``, so ``S`` carries a rooted graph
    without sinks (``L(k)`` ways, over ``C(n-1, k-1)`` choices of ``S``), and each of the other
    ``n - k`` states has any non-empty successor set:

    .. math:: (2^n - 1)^n = \sum_{k=1}^{n} \binom{n-1}{k-1} L(k)\,(2^n - 1)^{n-k}.

    Exact integers; no graph is enumerated, so it checks :func:`rooted_mdp_classes` through the
    orbit-stabiliser identity ``sum over classes of (n-1)!/|Aut_0(G)| = L(n)``.

    Examples
    --------
    >>> [labelled_rooted_count(n) for n in range(1, 6)]
    [1, 6, 210, 33750, 21594786]
    """
    if int(n) != n or n < 1:
        raise WorkbenchError(f"n must be a positive integer, got {n}")
    counts: dict = {}
    for size in range(1, int(n) + 1):
        sinkless = (2**size - 1) ** size
        counts[size] = sinkless - sum(math.comb(size - 1, k - 1) * counts[k] * (2**size - 1) ** (size - k)
                                      for k in range(1, size))
    return counts[int(n)]


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
