r"""Strategies for pairs (A, B) where B contains n copies of A by construction.

*B contains n copies of A* (OPTTSP Def. 6.8 / Thm 6.13; RDSP Thm D.11; spec §2) when there are
involutions :math:`\phi_1, \dots, \phi_n` of the states with :math:`B_i := \phi_i \cdot A \subseteq B`,
:math:`\phi_i \cdot B_j = B_j` for :math:`j \ne i`, and :math:`\phi_i \cdot A \ne A`. Then
every orbit vote satisfies :math:`\#(B \succ) \ge n \cdot \#(A \succ)`, so B is weakly preferred
by at least :math:`n/(n+1)` of every orbit.

The strategies build A on a block of coordinates (states), each copy on its own block of the same
shape, and :math:`\phi_i` swaps block 0 with block i point by point; coordinates outside the
blocks (*shared* states) are fixed by every :math:`\phi_i`, and B may hold further options.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from hypothesis import strategies as st

from workbench._errors import WorkbenchError
from workbench.power import MDP, Involution, certify_copies, options

__all__ = ["Copies", "copies", "CopiesChoice", "mdps_with_copies"]


def _range(name, low, high, floor=0):
    if int(low) != low or int(high) != high or not floor <= low <= high:
        raise WorkbenchError(f"{name}: need integers {floor} <= min <= max, got {low} and {high}")


@dataclass(frozen=True)
class Copies:
    """Option sets ``A`` and ``B`` (frozensets of equal-length vectors) and the involutions that
    witness ``n`` copies of ``A`` in ``B``; ``certificate()`` checks them with
    :func:`workbench.power.certify_copies`."""

    A: frozenset
    B: frozenset
    involutions: tuple

    @property
    def n(self) -> int:
        return len(self.involutions)

    @property
    def dimension(self) -> int:
        return len(next(iter(self.A)))

    def certificate(self):
        return certify_copies(self.A, self.B, self.involutions)


def _distribution(draw, coords, max_weight, must_touch=()):
    """A probability vector (dict coordinate -> Fraction) on some of ``coords``, touching at least
    one coordinate of ``must_touch`` when given."""
    first = [draw(st.sampled_from(sorted(must_touch)))] if must_touch else []
    rest = [c for c in coords if c not in first]
    supp = first + draw(st.lists(st.sampled_from(rest), unique=True, min_size=0 if first else 1,
                                 max_size=min(2, len(rest)))) if rest else first
    w = draw(st.lists(st.integers(1, max_weight), min_size=len(supp), max_size=len(supp)))
    return {c: Fraction(x, sum(w)) for c, x in zip(supp, w)}


@st.composite
def copies(draw, n=None, *, min_copies: int = 1, max_copies: int = 3, max_block: int = 2, max_shared: int = 1,
           max_options: int = 2, max_extra: int = 1, max_weight: int = 2):
    r"""Vector option sets ``(A, B)`` with ``n`` copies of A in B, and their involutions.

    Options are probability vectors (as RSDs are) with ``Fraction`` entries. Coordinates:
    A's block ``0..k-1``, copy i's block ``i·k .. (i+1)·k - 1``, then the shared coordinates.
    Every option of A has mass on A's block (so :math:`\phi_i \cdot A \ne A`); B holds the n
    copies and up to ``max_extra`` further options on any coordinates. Shrinks towards one
    copy of a single unit vector: A = {e_0}, B = {e_1}.

    Parameters
    ----------
    n : int, optional
        The number of copies; drawn in ``min_copies..max_copies`` when not given.
    max_block, max_shared, max_options, max_extra, max_weight : int
        Most coordinates of a block, shared coordinates, options in A, extra options in B,
        and the integer weights behind each probability.

    Examples
    --------
    >>> from workbench.testing import minimal
    >>> c = minimal(copies(n=2))
    >>> show = lambda vs: sorted(" ".join(map(str, v)) for v in vs)
    >>> show(c.A), show(c.B), [phi.pairs for phi in c.involutions]
    (['1 0 0'], ['0 0 1', '0 1 0'], [((0, 1),), ((0, 2),)])
    >>> c.certificate().n
    2
    """
    if n is None:
        _range("copies: copies", min_copies, max_copies, 1)
        n = draw(st.integers(min_copies, max_copies))
    elif int(n) != n or n < 1:
        raise WorkbenchError(f"copies: n must be an integer >= 1, got {n!r}")
    k = draw(st.integers(1, max_block))
    h = draw(st.integers(0, max_shared))
    dim = (n + 1) * k + h
    shared = list(range((n + 1) * k, dim))
    block = list(range(k))
    A = []
    for _ in range(draw(st.integers(1, max_options))):
        d = _distribution(draw, block + shared, max_weight, must_touch=block)
        A.append(tuple(d.get(x, Fraction(0)) for x in range(dim)))
    phis = tuple(Involution(tuple((j, i * k + j) for j in range(k))) for i in range(1, n + 1))
    B = set().union(*(phi.apply_set(A) for phi in phis))
    for _ in range(draw(st.integers(0, max_extra))):
        d = _distribution(draw, list(range(dim)), max_weight)
        B.add(tuple(d.get(x, Fraction(0)) for x in range(dim)))
    return Copies(frozenset(A), frozenset(B), phis)


@dataclass(frozen=True)
class CopiesChoice:
    """A choice ``(mdp, state, a, b)`` whose B side contains ``n`` copies of its A side, with the
    witnessing involutions (of state indices): each is an automorphism of the MDP that fixes
    ``state`` and maps A's first actions onto some of B's, so the copies hold for the options of
    every criterion (RSDs under ``average``, visit distributions under ``discounted`` and
    ``blackwell``)."""

    mdp: MDP
    state: str
    a: tuple
    b: tuple
    involutions: tuple

    @property
    def n(self) -> int:
        return len(self.involutions)

    def option_vectors(self, criterion=None):
        """A's and B's options as the vectors :func:`workbench.power.copies_at` compares: RSDs
        under ``average`` (the default), exact visit distributions otherwise."""
        A, B = options(self.mdp, self.state, self.a), options(self.mdp, self.state, self.b)
        if criterion is None or criterion.name == "average":
            return [f.rsd() for f in A], [f.rsd() for f in B], "rsd"
        vec = lambda f: tuple((x, f.denominator) if x else () for x in f.numerators)  # noqa: E731
        return [vec(f) for f in A], [vec(f) for f in B], "visit distribution"

    def certificate(self, criterion=None):
        """Check the involutions exactly with :func:`workbench.power.certify_copies` (raises
        :class:`~workbench.WorkbenchError` naming the failed condition)."""
        A, B, level = self.option_vectors(criterion)
        return certify_copies(A, B, self.involutions, names=self.mdp.states, level=level)


def _region(draw, names, outside, max_actions):
    """Successor lists for a region of states reachable from its first ``entries`` states (a
    spanning tree from the earlier states) where each state has a successor inside the region
    (so the region holds a cycle) and may also lead to the ``outside`` states."""
    k = len(names)
    succ = [[] for _ in range(k)]
    for j in range(1, k):
        parents = [p for p in range(j - 1, -1, -1) if len(succ[p]) < max_actions]
        succ[draw(st.sampled_from(parents))].append(names[j])
    for i in range(k):
        if not succ[i]:
            succ[i].append(names[draw(st.integers(0, k - 1).map(lambda x: (i - x) % k))])  # self first
        room = max_actions - len(succ[i])
        pool = [t for t in [*names, *outside] if t not in succ[i]]
        if room > 0 and pool:
            succ[i] += draw(st.lists(st.sampled_from(pool), unique=True, max_size=min(room, len(pool))))
    return {names[i]: succ[i] for i in range(k)}


@st.composite
def mdps_with_copies(draw, n=None, *, min_copies: int = 1, max_copies: int = 2, max_block: int = 2,
                     max_shared: int = 1, max_extra: int = 1, max_actions: int = 2):
    """Deterministic MDPs with a choice at ``s`` whose B side contains ``n`` copies of its A side.

    States: the root ``s``; A's block ``a0, a1, ...`` (entered from ``s`` by A's first action
    ``a0``); copy i's block ``b{i}_0, b{i}_1, ...`` (the same graph, entered by ``b{i}_0``);
    shared states ``z0, ...`` that any block may lead to (a closed region, reached from ``s``);
    and extra states ``x0, ...`` (a region entered by one more action of B). Every state is
    reachable from ``s``, and each block holds a cycle of its own, so no involution fixes A.
    The involution ``φ_i`` swaps ``a_j`` with ``b{i}_j``. Shrinks towards the candy /
    chocolate MDP: ``s -> a0 | b1_0``, both terminal.

    Parameters
    ----------
    n : int, optional
        Number of copies (drawn in ``min_copies..max_copies`` when not given).
    max_block, max_shared, max_extra : int
        Most states of a block, of the shared region and of the extra region of B.
    max_actions : int
        Most successors of a state inside a region.

    Examples
    --------
    >>> from workbench.testing import minimal
    >>> c = minimal(mdps_with_copies(n=2))
    >>> {s: c.mdp.successors(s) for s in c.mdp.states}, c.a, c.b
    ({'s': ('a0', 'b1_0', 'b2_0'), 'a0': ('a0',), 'b1_0': ('b1_0',), 'b2_0': ('b2_0',)}, ('a0',), ('b1_0', 'b2_0'))
    >>> c.certificate().n
    2
    """
    if n is None:
        _range("mdps_with_copies: copies", min_copies, max_copies, 1)
        n = draw(st.integers(min_copies, max_copies))
    elif int(n) != n or n < 1:
        raise WorkbenchError(f"mdps_with_copies: n must be an integer >= 1, got {n!r}")
    if max_actions < 1:
        raise WorkbenchError("mdps_with_copies: max_actions must be at least 1")
    k = draw(st.integers(1, max_block))
    h = draw(st.integers(0, max_shared))
    e = draw(st.integers(0, max_extra))
    shared = [f"z{i}" for i in range(h)]
    block = [f"a{j}" for j in range(k)]
    succ = {"s": []}
    gadget = _region(draw, block, shared, max_actions)
    copies_ = [{f"b{i}_{j}": [f"b{i}_{t[1:]}" if t.startswith("a") else t for t in gadget[f"a{j}"]]
                for j in range(k)} for i in range(1, n + 1)]
    extra = _region(draw, [f"x{i}" for i in range(e)], shared, max_actions) if e else {}
    zone = _region(draw, shared, [], max_actions) if h else {}
    a = ("a0",)
    b = tuple(f"b{i}_0" for i in range(1, n + 1)) + (("x0",) if e else ())
    succ["s"] = [*a, *b]
    if h and not any(t.startswith("z") for g in (gadget, extra) for ts in g.values() for t in ts):
        succ["s"].append("z0")  # reach the shared region; this action is in neither A nor B
    # (an action into the shared region belongs to neither side: φ_i fixes it, so it cannot be in A)
    succ.update(gadget)
    for cp in copies_:
        succ.update(cp)
    succ.update(extra)
    succ.update(zone)
    mdp = MDP.from_successors(succ, name=f"copies{n}", start="s", source="<drawn MDP with copies>",
                              description=f"B = {{{', '.join(b)}}} contains {n} copies of A = {{a0}} at s")
    idx = mdp.index
    phis = tuple(Involution(tuple((idx(f"a{j}"), idx(f"b{i}_{j}")) for j in range(k))) for i in range(1, n + 1))
    return CopiesChoice(mdp, "s", a, b, phis)
