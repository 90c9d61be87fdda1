"""Certified copies (spec §2; OPTTSP Thm 6.13, RDSP Thm D.11).

``B`` *contains n copies of* ``A`` when there are involutions ``φ_1..φ_n`` of the states with
``B_i := φ_i·A ⊆ B`` and ``φ_i·B_j = B_j`` for ``j ≠ i``. Then for every reward ``r`` the orbit
vote satisfies ``#(B strictly better) >= n · #(A strictly better)`` (the ``≥^n_most`` relation)
and B is weakly preferred by at least ``n/(n+1)`` of every orbit, for any criterion under which
a set's value is its best option's linear value (so: RSD copies for ``average``, visit
distribution copies for ``discounted`` and ``blackwell``).

Candidates come from induced-subgraph isomorphisms (networkx VF2) between the bipartite
option–state graphs of A and B (edge labels: the exact coefficients); each candidate is then
certified by direct, exact checks. An involution with ``φ·A = A`` satisfies ``φ·A ⊆ B`` whenever
``A ⊆ B`` but is as degenerate as the identity (spec §2): it is never a candidate, and ``search``
counts the ones rejected. For each image ``φ·A`` the canonically smallest involution is kept
(fewest moved states, then the sorted transpositions) and the candidates are sorted the same way,
so the certificate does not depend on the order of the VF2 search. The largest certified family is found by an exact
maximum-clique search on small candidate sets and greedily otherwise, so ``n`` is a certified
lower bound, not necessarily the maximum. The isomorphism search is bounded (``max_iter``
isomorphisms, ``max_steps`` units of work); a search cut short says so in ``search``.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field
from fractions import Fraction

from workbench._errors import WorkbenchError
from workbench._numbers import format_fraction

__all__ = ["Involution", "CopiesCertificate", "find_copies", "certify_copies", "copies_at", "check_most", "MAX_COPY_STEPS"]

#: Most work of the isomorphism search: feasibility checks x (nodes of the two graphs)^2, the
#: cost of one check growing with the graphs (the shipped examples need at most about 2e8).
MAX_COPY_STEPS = 2 * 10**9


class _OutOfSteps(Exception):
    pass


@functools.cache
def _bounded_matcher():
    """The matcher class, defined on first use: networkx loads only when copies are searched."""
    from networkx.algorithms import isomorphism

    class _BoundedMatcher(isomorphism.GraphMatcher):
        """VF2 that stops after a number of feasibility checks (a symmetric option set can have
        factorially many matches, and the search can also run long between two matches)."""

        def __init__(self, G1, G2, *, checks: int, **kwargs):
            super().__init__(G1, G2, **kwargs)
            self._checks_left = checks

        def syntactic_feasibility(self, G1_node, G2_node):
            self._checks_left -= 1
            if self._checks_left < 0:
                raise _OutOfSteps
            return super().syntactic_feasibility(G1_node, G2_node)

    return _BoundedMatcher


@dataclass(frozen=True)
class Involution:
    """A product of disjoint transpositions of coordinates (state indices).

    Examples
    --------
    >>> phi = Involution(((0, 2),))
    >>> phi.apply((1, 2, 3))
    (3, 2, 1)
    """

    pairs: tuple

    def __post_init__(self):
        flat = [x for p in self.pairs for x in p]
        if len(set(flat)) != len(flat) or any(x == y for x, y in self.pairs):
            raise ValueError("transpositions must be disjoint and non-trivial")
        object.__setattr__(self, "pairs", tuple(sorted(tuple(sorted(p)) for p in self.pairs)))
        m = {}
        for x, y in self.pairs:
            m[x], m[y] = y, x
        object.__setattr__(self, "_map", m)

    def __call__(self, i: int) -> int:
        return self._map.get(i, i)

    @property
    def moved(self) -> frozenset:
        return frozenset(self._map)

    def apply(self, vector) -> tuple:
        """``(φ·v)_x = v_{φ(x)}``."""
        return tuple(vector[self(i)] for i in range(len(vector)))

    def apply_set(self, vectors) -> frozenset:
        return frozenset(self.apply(v) for v in vectors)

    def is_involution(self, n: int) -> bool:
        return all(self(self(i)) == i for i in range(n))

    def named(self, names) -> list:
        return [[names[x], names[y]] for x, y in self.pairs]


def _support(v) -> frozenset:
    return frozenset(i for i, c in enumerate(v) if c)


@dataclass(frozen=True)
class CopiesCertificate:
    """A certified family of copies of A inside B.

    ``checks`` holds, per involution, the exact checks of spec §2: it is an involution,
    ``φ_i·A ⊆ B``, ``φ_i·B_j = B_j`` for every other copy ``j``, and ``φ_i·A ≠ A`` (an involution
    fixing A is as degenerate as the identity and is never certified).
    ``disjoint``: the copies ``B_i`` have pairwise disjoint supports. ``orthogonal`` (the
    orthogonality condition of OPTTSP Thm 6.13 / RDSP Thm D.11 as implemented here): the
    supports of A and of all copies are pairwise disjoint, and every element of B outside the
    copies is orthogonal to (has support disjoint from) A and every copy.

    Examples
    --------
    >>> find_copies([(1, 0, 0)], [(0, 1, 0), (0, 0, 1)], names=("candy", "chocolate", "hug"))
    CopiesCertificate(n=2 at the rsd level, bound 2/3; disjoint, orthogonal; (candy chocolate), (candy hug); exact maximum clique over 2 candidates)

    References
    ----------
    Turner et al. 2021 (OPTTSP), Thm 6.13; Turner & Tadepalli 2022 (RDSP), Thm D.11; spec §2.
    """

    n: int
    involutions: tuple
    disjoint: bool
    orthogonal: bool
    checks: tuple
    names: tuple = ()
    level: str = "rsd"
    candidates: int = 0
    search: str = ""

    @property
    def bound(self):
        from fractions import Fraction

        return Fraction(self.n, self.n + 1)

    def _named(self) -> list:
        return [" ".join(f"({' '.join(p)})" for p in phi.named(self.names)) for phi in self.involutions]

    def __repr__(self) -> str:
        props = ", ".join(k for k, v in (("disjoint", self.disjoint), ("orthogonal", self.orthogonal)) if v) or "overlapping"
        invs = ", ".join(self._named()) or "no involution"
        search = f"; {self.search}" if self.search else ""
        return (f"CopiesCertificate(n={self.n} at the {self.level} level, bound {format_fraction(self.bound)}; "
                f"{props}; {invs}{search})")

    def _repr_html_(self) -> str:
        from workbench.power._orbits.result import _html_table

        rows = [("copies n", self.n), ("bound n/(n+1)", format_fraction(self.bound, decimal=True)),
                ("level", self.level), ("disjoint", self.disjoint), ("orthogonal", self.orthogonal)]
        rows += [(f"involution {i + 1}", text) for i, text in enumerate(self._named())]
        rows += [("candidates", self.candidates), ("search", self.search)]
        return _html_table("Certified copies of A inside B", rows)

    def to_json(self) -> dict:
        return {
            "n": self.n,
            "bound": self.bound,
            "disjoint": self.disjoint,
            "orthogonal": self.orthogonal,
            "involutions": [phi.named(self.names) for phi in self.involutions],
            "checks": list(self.checks),
            "level": self.level,
            "candidates": self.candidates,
            "search": self.search,
        }


def certify_copies(A, B, involutions, names=None, level="rsd") -> CopiesCertificate:
    """Check exactly that ``involutions`` witness ``len(involutions)`` copies of A in B.

    Raises WorkbenchError naming the failed condition.
    """
    A = frozenset(map(tuple, A))
    B = frozenset(map(tuple, B))
    n = len(next(iter(A)))
    names = tuple(names) if names is not None else tuple(str(i) for i in range(n))
    copies = [phi.apply_set(A) for phi in involutions]
    checks = []
    for i, phi in enumerate(involutions):
        inv = phi.is_involution(n)
        into = copies[i] <= B
        alone = all(phi.apply_set(copies[j]) == copies[j] for j in range(len(copies)) if j != i)
        moves_a = copies[i] != A
        checks.append({"involution": phi.named(names), "is_involution": inv, "maps_into_B": into,
                       "leaves_other_copies_alone": alone, "moves_A": moves_a})
        if not (inv and into and alone and moves_a):
            bad = ("not an involution" if not inv else "phi.A is not inside B" if not into
                   else "moves another copy" if not alone else "phi.A = A (degenerate, like the identity)")
            raise WorkbenchError(f"copy {i + 1} ({phi.named(names)}) fails certification: {bad}")
    supports = [frozenset().union(*(_support(v) for v in c)) for c in copies]
    disjoint = all(not (supports[i] & supports[j]) for i, j in itertools.combinations(range(len(copies)), 2))
    suppA = frozenset().union(*(_support(v) for v in A))
    rest = B - frozenset().union(*copies) if copies else B
    covered = suppA.union(*supports)
    orthogonal = disjoint and all(not (suppA & s) for s in supports) and all(not (_support(v) & covered) for v in rest)
    return CopiesCertificate(len(involutions), tuple(involutions), disjoint, orthogonal, tuple(checks), names, level)


def _graph(options, offset):
    """The bipartite option–state graph. Nodes are integers (option ``i`` is ``i``, state ``x`` is
    ``offset + x``) so that the search order never depends on string hashing."""
    import networkx as nx

    g = nx.Graph()
    for i, v in enumerate(options):
        g.add_node(i, kind="option", degree=sum(1 for c in v if c))
    for i, v in enumerate(options):
        for x in sorted(_support(v)):
            g.add_node(offset + x, kind="state")
            g.add_edge(i, offset + x, coef=v[x])
    return g


def _candidates(A, B, max_iter, max_steps=MAX_COPY_STEPS):
    """Candidate involutions in canonical order, the number of degenerate ones rejected
    (``φ·A = A``), and whether the search stopped at ``max_steps``.

    For each distinct image ``φ·A`` the canonically smallest involution found is kept (fewest
    moved points, then the sorted transpositions), and candidates are sorted the same way, so the
    result does not depend on the order in which VF2 meets them.
    """
    offset = max(len(A), len(B))
    GA, GB = _graph(A, offset), _graph(B, offset)
    Bset, Aset = frozenset(B), frozenset(A)
    nm = lambda p, q: p["kind"] == q["kind"] and p.get("degree") == q.get("degree")  # noqa: E731
    em = lambda p, q: p["coef"] == q["coef"]  # noqa: E731
    nodes = GA.number_of_nodes() + GB.number_of_nodes()
    matcher = _bounded_matcher()(GB, GA, node_match=nm, edge_match=em, checks=max_steps // max(1, nodes * nodes))
    best, degenerate, stopped = {}, set(), False
    try:
        for mapping in itertools.islice(matcher.subgraph_isomorphisms_iter(), max_iter):
            _add_candidate(mapping, offset, A, Aset, Bset, best, degenerate)
    except _OutOfSteps:
        stopped = True
    out = sorted(best.values(), key=_canonical)
    return out, len(degenerate), stopped


def _canonical(phi) -> tuple:
    return (len(phi.moved), phi.pairs)


def _add_candidate(mapping, offset, A, Aset, Bset, best, degenerate):
    """Record the involution read off a VF2 mapping, if it is one and maps A into B."""
    sigma = {a - offset: b - offset for b, a in mapping.items() if a >= offset}
    pairs, used, moved = [], set(), set()
    for x, y in sigma.items():
        if x == y:
            continue
        if sigma.get(y, x) != x:  # y is also moved elsewhere: not an involution
            return
        p = tuple(sorted((x, y)))
        if p not in used:
            if x in moved or y in moved:
                return
            used.add(p)
            moved.update(p)
            pairs.append(p)
    if not pairs:  # the identity is a copy only degenerately (spec §2)
        return
    phi = Involution(tuple(pairs))
    image = phi.apply_set(A)
    if not image <= Bset:
        return
    if image == Aset:  # phi·A = A: as degenerate as the identity (spec §2), never a copy
        degenerate.add(phi.pairs)
        return
    if image not in best or _canonical(phi) < _canonical(best[image]):
        best[image] = phi


def find_copies(A, B, names=None, *, level="rsd", max_iter: int = 20_000, exact_clique_up_to: int = 40,
                max_steps: int = MAX_COPY_STEPS) -> CopiesCertificate:
    """Find and certify the largest family of copies of A in B this search can certify.

    Parameters
    ----------
    A, B : sequences of equal-length vectors (exact coefficients; zero = falsy)
    max_iter : int
        Cap on VF2 isomorphisms examined.
    max_steps : int
        Cap on the work of the VF2 search (see :data:`MAX_COPY_STEPS`); the candidates found
        until then are used, and ``search`` says the search stopped.

    Examples
    --------
    Candy / Wait!: A = {e_candy}, B = {e_chocolate, e_hug} on (candy, chocolate, hug):

    >>> c = find_copies([(1, 0, 0)], [(0, 1, 0), (0, 0, 1)], names=("candy", "chocolate", "hug"))
    >>> c.n, c.disjoint, [phi.named(c.names) for phi in c.involutions]
    (2, True, [[['candy', 'chocolate']], [['candy', 'hug']]])
    """
    A = list(dict.fromkeys(map(tuple, A)))
    B = list(dict.fromkeys(map(tuple, B)))
    if not A or not B:
        raise WorkbenchError("both option sets must be non-empty")
    cands, degenerate, stopped = _candidates(A, B, max_iter, max_steps)
    images = [phi.apply_set(A) for phi in cands]
    ok = lambda i, j: cands[i].apply_set(images[j]) == images[j] and cands[j].apply_set(images[i]) == images[i]  # noqa: E731
    if not cands:
        chosen, how = [], "no candidate involution"
    elif len(cands) <= exact_clique_up_to:
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(range(len(cands)))
        g.add_edges_from((i, j) for i, j in itertools.combinations(range(len(cands)), 2) if ok(i, j))
        chosen = max(nx.find_cliques(g), key=lambda c: (len(c), [-x for x in sorted(c)]))
        chosen = sorted(chosen)
        how = f"exact maximum clique over {len(cands)} candidates"
    else:
        chosen = []
        # prefer involutions moving few points, then by position
        order = sorted(range(len(cands)), key=lambda i: (len(cands[i].moved), cands[i].pairs))
        for i in order:
            if all(ok(i, j) for j in chosen):
                chosen.append(i)
        how = f"greedy over {len(cands)} candidates (a certified lower bound)"
    if degenerate:
        how += (f"; {degenerate} degenerate involution{'s' if degenerate != 1 else ''} with phi.A = A rejected "
                "(a copy must differ from A)")
    if stopped:
        how += f"; the isomorphism search stopped at its work bound ({max_steps:,}, MAX_COPY_STEPS): a certified lower bound"
    cert = certify_copies(A, B, [cands[i] for i in chosen], names, level) if chosen else CopiesCertificate(
        0, (), True, True, (), tuple(names) if names is not None else tuple(str(i) for i in range(len(A[0]))), level)
    return CopiesCertificate(cert.n, cert.involutions, cert.disjoint, cert.orthogonal, cert.checks, cert.names,
                             level, len(cands), how)


def copies_at(mdp, state, a, b, criterion=None, *, max_visits: int | None = None,
              max_vectors: int | None = None) -> CopiesCertificate:
    """Copies of the (non-dominated) options of first actions ``a`` inside those of ``b``.

    Under ``Average`` the vectors are RSDs; under ``Discounted``/``Blackwell`` they are the
    visit distributions themselves (as exact rational functions), so that the certified ``n``
    bounds orbit votes under that criterion. ``max_visits`` and ``max_vectors`` bound the
    enumeration of visit distributions and the non-domination filter (defaults: the limits of
    ``workbench.power._visits.visits``).
    """
    from workbench.power._visits.criteria import Average
    from workbench.power._visits.visits import MAX_VECTORS, MAX_VISITS, non_dominated, options

    criterion = criterion or Average()
    max_visits = MAX_VISITS if max_visits is None else max_visits
    max_vectors = MAX_VECTORS if max_vectors is None else max_vectors
    A = options(mdp, state, a, max_visits=max_visits)
    # copies of ND(A) suffice
    A = [A[i] for i in non_dominated([criterion.hull_vector(f) for f in A], max_vectors=max_vectors)]
    B = options(mdp, state, b, max_visits=max_visits)
    if criterion.name == "average":
        va, vb, level = [f.rsd() for f in A], [f.rsd() for f in B], "rsd"
    else:
        va = [tuple((n, f.denominator) if n else () for n in f.numerators) for f in A]
        vb = [tuple((n, f.denominator) if n else () for n in f.numerators) for f in B]
        level = "visit distribution"
    return find_copies(va, vb, mdp.states, level=level)


@dataclass(frozen=True)
class MostCheck:
    """Outcome of the ``≥^n_most`` check over several reward vectors.

    Examples
    --------
    >>> from workbench.power import shipped_mdp
    >>> check_most(shipped_mdp("wait"), "start", ["candy"], ["wait"], [[0, 0, 3, 2, 1], [1, 1, 0, 0, 0]], 2)
    MostCheck(n=2: holds on 2 rewards; worst weak fraction B >= A 2/3 at reward (0, 0, 3, 2, 1))
    """

    n: int
    holds: bool
    worst_reward: tuple
    worst_vote: object
    votes: tuple = field(default=(), repr=False)

    def __repr__(self) -> str:
        weak = self.worst_vote.weak_fraction_b
        weak = format_fraction(weak) if isinstance(weak, Fraction) else f"{weak:.6g}"
        return (f"MostCheck(n={self.n}: {'holds' if self.holds else 'FAILS'} on {len(self.votes)} reward{'s' if len(self.votes) != 1 else ''}; "
                f"worst weak fraction B >= A {weak} at reward {tuple(self.worst_reward)})")

    def to_json(self):
        return {"n": self.n, "holds": self.holds, "worst_reward": list(self.worst_reward),
                "worst_vote": self.worst_vote.to_json()}


def check_most(mdp, state, a, b, rewards, n: int, criterion=None, **kwargs) -> MostCheck:
    """Verify ``#(B strictly better) >= n · #(A strictly better)`` on the orbit of every reward in
    ``rewards``; report the worst orbit (smallest weak fraction for B)."""
    from workbench.power._orbits.votes import orbit_vote

    votes = [orbit_vote(mdp, state, a, b, r, criterion, **kwargs) for r in rewards]
    if not votes:
        raise WorkbenchError("check_most needs at least one reward vector")
    worst = min(range(len(votes)), key=lambda i: votes[i].weak_fraction_b)
    holds = all(v.meets(n, "b") for v in votes)
    return MostCheck(n, holds, tuple(rewards[worst]), votes[worst], tuple(votes))
