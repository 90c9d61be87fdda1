"""The frontier of the fractional law: which structural conditions does ``n/(n+m)`` need?

A *thing decomposition* of a case (an MDP, the root ``s0``, disjoint first-action sets A and
B) picks ``m >= 1`` pairwise disjoint non-empty sets of A's non-dominated RSDs (the A-things)
and ``n >= 1`` pairwise disjoint non-empty sets of B's RSDs (the B-things). Its *law* is

.. math:: w_B(r) = \\frac{\\#\\{r' \\in \\mathrm{Orbit}(r) : V_B(r') \\ge V_A(r')\\}}{|\\mathrm{Orbit}(r)|}
          \\ge \\frac{n}{n+m}

for every reward ``r`` of the family, under the criterion of the row (votes by the exact orbit
engine; the things are always RSD sets, so the conditions are structural and the criterion
only decides the vote). A state permutation ``σ`` acts on an RSD by permuting coordinates and
on a thing elementwise. For each decomposition the frontier records seven conditions:

``cover``           the A-things cover ND(A) (so A's value is its best thing's value);
``equal_shapes``    every thing is ``σ·X`` for some ``σ``, with ``X`` the first A-thing;
``b_copies``        every B-thing is ``φ·X`` for a non-identity involution ``φ`` that fixes
                    every other B-thing (spec §2's certified copies, one per B-thing);
``swaps_a``         every two A-things are swapped by a ``σ`` fixing every other thing
                    (A's and B's); true when ``m = 1``;
``swaps_b``         the same for every two B-things; true when ``n = 1``;
``swaps_cross``     the same for every A-thing and B-thing (the cross-condition);
``disjoint``        the ``m + n`` things have pairwise disjoint supports.

With ``cover`` and all three swap conditions the things' values are exchangeable over the
orbit under average reward, so the law holds (PS16a; with ``disjoint`` it is PS14's setting):
rows with these conditions under ``average`` are labelled with the theorem. Every other
combination is open ground, and the table says, per combination and criterion, whether the
law held on every case of the families or gives the first counterexample met. Cases are met
in increasing number of states (classes in canonical order, splits, then rewards with order
types before generic ones), so a counterexample from the exhaustive family has the fewest
states of its combination; each is re-checked by the independent brute force
(:func:`~workbench.power._census.brute.brute_force_vote`). For one case and one combination
only the decomposition with the largest ``n/(n+m)`` matters (a failure of a weaker bound is a
failure of the stronger one).

Families: the census family (:mod:`~workbench.power._census.enumeration`, 1..K states, every
disjoint root split once per automorphism orbit, every order type with values ``0..n-1`` and
``generic`` seeded rational vectors) and, unless ``structured=False``, the *hub* gadgets that
show counting options alone is not enough: ``k`` 2-cycles through one hub (living) against one
2-cycle (dying), ``k = 2, 3``, with rewards ``0..n-1`` and the generic vectors (average reward only: under the other criteria
the transient states make their orbits larger than the exact limit).

Conditions are decided by brute force over all ``n!`` state permutations, so cases are small;
a case with more than :data:`MAX_THING_OPTIONS` RSDs on either side is skipped and counted.

References
----------
Turner & Tadepalli 2022 (RDSP), Conj D.13 and Thm D.11; spec §2 (copies) and §3 (what is known
about the fractional conjecture).
"""

from __future__ import annotations

import csv
import io
import itertools
import time
from dataclasses import dataclass, field
from fractions import Fraction

from workbench._errors import EnumerationTooLarge, WorkbenchError
from workbench.power._census.census import _crit_name, _fs, check_census_size, generic_rewards, order_type_rewards, root_splits
from workbench.power._census.enumeration import MAX_CENSUS_STATES, rooted_mdp_classes
from workbench.power._visits.criteria import Average, Blackwell, Discounted

__all__ = ["CONDITIONS", "DEFAULT_FRONTIER_CRITERIA", "MAX_THING_OPTIONS", "FrontierResult", "run_frontier",
           "thing_conditions", "hub_gadget", "FRONTIER_COLUMNS"]

CONDITIONS = ("cover", "equal_shapes", "b_copies", "swaps_a", "swaps_b", "swaps_cross", "disjoint")
#: average, Blackwell, and discounted with γ = 1/2 and γ = 9/10 (exact rationals)
DEFAULT_FRONTIER_CRITERIA = (Average(), Blackwell(), Discounted(Fraction(1, 2)), Discounted(Fraction(9, 10)))
#: Most RSDs per side for which the thing decompositions are enumerated.
MAX_THING_OPTIONS = 5
FRONTIER_COLUMNS = CONDITIONS + ("criterion", "theorem", "status", "cases", "largest_bound", "states",
                                 "counterexample")


def hub_gadget(k: int):
    """``k`` 2-cycles through one hub (living) against one 2-cycle (dying).

    States ``s0, die, d1, d2, live, h, x1..xk``: ``s0 -> die, live``; ``die -> d1``;
    ``d1 <-> d2``; ``live -> h``; ``h <-> xi``. With ``k = 3`` (9 states) and reward ``0..8`` the
    weak fraction of B = {live} is 3667/5040 < 3/4 under average reward (spec §3), although
    ``live`` reaches three 2-cycles and ``die`` one.
    """
    from workbench.power._mdp.mdp import MDP

    succ = {"s0": ["die", "live"], "die": ["d1"], "d1": ["d2"], "d2": ["d1"], "live": ["h"],
            "h": [f"x{i}" for i in range(1, k + 1)]}
    succ.update({f"x{i}": ["h"] for i in range(1, k + 1)})
    return MDP.from_successors(succ, name=f"hub_{k}", start="s0",
                               description=f"{k} 2-cycles through one hub against one 2-cycle")


def _partial_partitions(items):
    """Every collection of pairwise disjoint non-empty subsets of ``items`` (as tuples)."""
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in _partial_partitions(rest):
        yield part  # first unused
        yield [(first,)] + part
        for i in range(len(part)):
            yield part[:i] + [(first,) + part[i]] + part[i + 1:]


class _Pool:
    """RSD vectors by index, and the action of every state permutation on them."""

    def __init__(self, vectors, n_states):
        self.vectors = list(vectors)
        index = {v: i for i, v in enumerate(self.vectors)}
        # Permutations of the states in the pool's supports suffice (every condition maps things
        # onto things, so a witness restricted to their supports and extended by the identity is
        # one too); those acting alike on the pool are kept once.
        inside = sorted({i for v in self.vectors for i, c in enumerate(v) if c})
        actions: dict = {}
        for q in itertools.permutations(inside):
            p = list(range(n_states))
            for i, j in zip(inside, q):
                p[i] = j
            img = []
            for v in self.vectors:
                w = [0] * n_states
                for i, c in enumerate(v):
                    w[p[i]] = c
                img.append(index.get(tuple(w), -1))
            inv = all(p[p[i]] == i for i in range(n_states)) and any(p[i] != i for i in range(n_states))
            img = tuple(img)
            actions[img] = actions.get(img, False) or inv
        self.perms = list(actions)
        self.involution = list(actions.values())
        self.support = [frozenset(i for i, c in enumerate(v) if c) for v in self.vectors]

    @staticmethod
    def image(img, thing):
        out = frozenset(img[i] for i in thing)
        return None if -1 in out else out


def thing_conditions(pool: _Pool, a_things, b_things, nd_a) -> dict:
    """The seven conditions of one decomposition (things: frozensets of pool indices)."""
    things = list(a_things) + list(b_things)
    X = a_things[0]
    img = pool.image
    perms = pool.perms

    def swapped(t, u):
        others = [v for v in things if v is not t and v is not u]
        return any(img(p, t) == u and img(p, u) == t and all(img(p, v) == v for v in others) for p in perms)

    def copy(j):
        bj = b_things[j]
        if bj == X:
            return False
        others = [v for k, v in enumerate(b_things) if k != j]
        return any(inv and img(p, X) == bj and all(img(p, v) == v for v in others)
                   for p, inv in zip(perms, pool.involution))

    sup = [frozenset().union(*(pool.support[i] for i in t)) for t in things]
    m, n = len(a_things), len(b_things)
    return {
        "cover": frozenset().union(*a_things) == nd_a,
        "equal_shapes": all(any(img(p, X) == t for p in perms) for t in things[1:]),
        "b_copies": all(copy(j) for j in range(n)),
        "swaps_a": all(swapped(a_things[i], a_things[j]) for i, j in itertools.combinations(range(m), 2)),
        "swaps_b": all(swapped(b_things[i], b_things[j]) for i, j in itertools.combinations(range(n), 2)),
        "swaps_cross": all(swapped(t, u) for t in a_things for u in b_things),
        "disjoint": all(not (sup[i] & sup[j]) for i, j in itertools.combinations(range(len(sup)), 2)),
    }


def _theorem(key: tuple, criterion_name: str) -> str:
    c = dict(zip(CONDITIONS, key))
    if criterion_name != "average" or not (c["cover"] and c["swaps_a"] and c["swaps_b"] and c["swaps_cross"]):
        return ""
    return "PS14" if c["disjoint"] else "PS16a"


def _case_structure(mdp, a, b):
    """``{condition key: (bound, m, n, a_things, b_things)}`` with the largest bound per key, the pool."""
    from workbench.power._visits.visits import non_dominated, options

    A = list(dict.fromkeys(f.rsd() for f in options(mdp, "s0", a)))
    nd_a = [A[i] for i in non_dominated(A)]
    B = list(dict.fromkeys(f.rsd() for f in options(mdp, "s0", b)))
    if len(nd_a) > MAX_THING_OPTIONS or len(B) > MAX_THING_OPTIONS:
        return None, None
    pool = _Pool(dict.fromkeys(nd_a + B), mdp.n_states)
    index = {v: i for i, v in enumerate(pool.vectors)}
    ia, ib = [index[v] for v in nd_a], [index[v] for v in B]
    best = {}
    for parts_a in _partial_partitions(ia):
        if not parts_a:
            continue
        a_things = [frozenset(t) for t in parts_a]
        for parts_b in _partial_partitions(ib):
            if not parts_b:
                continue
            b_things = [frozenset(t) for t in parts_b]
            key = tuple(thing_conditions(pool, a_things, b_things, frozenset(ia)).values())
            m, n = len(a_things), len(b_things)
            bound = Fraction(n, n + m)
            if key not in best or bound > best[key][0]:
                best[key] = (bound, m, n, a_things, b_things)
    return best, pool


@dataclass
class _Cell:
    cases: int = 0
    largest_bound: Fraction = Fraction(0)
    states: set = field(default_factory=set)
    counterexample: dict | None = None


@dataclass(repr=False)
class FrontierResult:
    """The frontier table: one row per (combination of conditions, criterion) met in the families.

    ``rows`` are dicts with :data:`FRONTIER_COLUMNS`; ``status`` is ``holds`` (every case of the
    combination satisfied its largest bound on every reward of the family) or ``counterexample``
    (the first failing case, re-checked by brute force, under ``counterexample``).
    """

    max_states: int
    criteria: tuple
    generic: int
    seed: int
    structured: bool
    rows: list = field(default_factory=list)
    cases: int = 0
    skipped: int = 0
    over_limit: int = 0
    votes: int = 0
    seconds: float = 0.0

    def coverage(self) -> str:
        fam = (f"every rooted deterministic MDP with 1..{self.max_states} states up to isomorphism, every disjoint root "
               f"split (one per automorphism orbit), rewards: every order type with values 0..n-1 and {self.generic} "
               f"generic rational vectors (seed {self.seed})")
        if self.structured:
            fam += "; hub gadgets k = 2, 3 (rewards 0..n-1 and the generic vectors)"
        return fam + f"; criteria: {', '.join(_crit_name(c) for c in self.criteria)}"

    def __repr__(self) -> str:
        bad = sum(r["status"] == "counterexample" for r in self.rows)
        return (f"FrontierResult(1..{self.max_states} states, {self.cases} split-criterion cases, {len(self.rows)} "
                f"rows, {bad} with a counterexample)")

    def to_json(self) -> dict:
        return {"max_states": self.max_states, "criteria": [_crit_name(c) for c in self.criteria],
                "generic_rewards": self.generic, "seed": self.seed, "structured": self.structured,
                "coverage": self.coverage(), "conditions": list(CONDITIONS), "cases": self.cases,
                "skipped_cases": self.skipped, "votes_over_limit": self.over_limit, "votes": self.votes, "rows": self.rows,
                "seconds": round(self.seconds, 2)}

    def csv_text(self) -> str:
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=FRONTIER_COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in self.rows:
            w.writerow({**r, "states": " ".join(map(str, r["states"])),
                        "counterexample": "" if r["counterexample"] is None else r["counterexample"]["summary"]})
        return buf.getvalue()

    def table(self) -> str:
        """The rows as aligned text (``+`` a condition holds, ``.`` it does not)."""
        head = " ".join(f"{c:>11}" for c in CONDITIONS)
        lines = [f"{head}  {'criterion':<16} {'theorem':<7} {'cases':>6} {'bound':>5}  result"]
        for r in self.rows:
            flags = " ".join(f"{'+' if r[c] else '.':>11}" for c in CONDITIONS)
            res = (f"holds ({r['cases']} cases, {min(r['states'])}..{max(r['states'])} states)"
                   if r["status"] == "holds" else f"COUNTEREXAMPLE {r['counterexample']['summary']}")
            lines.append(f"{flags}  {r['criterion']:<16} {r['theorem'] or '-':<7} {r['cases']:>6} "
                         f"{r['largest_bound']:>5}  {res}")
        return "\n".join(lines)


def _families(max_states, generic, seed, structured):
    for k in range(1, max_states + 1):
        order = order_type_rewards(k)
        gen = generic_rewards(k, generic, seed)
        for cls in rooted_mdp_classes(k):
            mdp = cls.mdp()
            for a, b in root_splits(cls):
                yield f"class {cls.id} [{cls.describe()}]", mdp, list(a), list(b), order + gen, False
    if structured:
        for k in (2, 3):
            mdp = hub_gadget(k)
            rewards = [list(range(mdp.n_states))] + generic_rewards(mdp.n_states, generic, seed)  # average only
            yield f"hub gadget k={k} ({mdp.n_states} states)", mdp, ["die"], ["live"], rewards, True


def run_frontier(max_states: int = 3, *, criteria=DEFAULT_FRONTIER_CRITERIA, generic: int = 2, seed: int = 0,
                 structured: bool = True, progress=None) -> FrontierResult:
    """Map the fractional law's frontier on the census family (see the module docstring).

    Examples
    --------
    >>> res = run_frontier(2, criteria=(Average(),), structured=False)
    >>> [(r["theorem"], r["status"]) for r in res.rows][:2]
    [('PS14', 'holds'), ('', 'holds')]
    """
    from workbench.power._census.brute import brute_force_vote
    from workbench.power._lab.registry import VOTE_METHOD
    from workbench.power._orbits.votes import orbit_vote

    check_census_size(max_states, generic)
    criteria = tuple(criteria)
    t0 = time.perf_counter()
    res = FrontierResult(max_states, criteria, generic, seed, structured)
    cells: dict = {}
    for done, (where, mdp, a, b, rewards, gadget) in enumerate(_families(max_states, generic, seed, structured)):
        if progress:
            progress(done, None)
        best, pool = _case_structure(mdp, a, b)
        if best is None:
            res.skipped += len(criteria)
            continue
        for crit in criteria:
            if gadget and crit.name != "average":
                continue
            cname = _crit_name(crit)
            res.cases += 1
            failed: dict = {}
            for r in rewards:
                try:
                    v = orbit_vote(mdp, "s0", a, b, r, crit, method=VOTE_METHOD)
                except EnumerationTooLarge:  # the hub gadgets under Blackwell / discounted criteria
                    res.over_limit += 1
                    continue
                res.votes += 1
                for key, hyp in best.items():
                    if key not in failed and v.weak_fraction_b < hyp[0]:
                        failed[key] = (r, v)
            for key, (bound, m, n, at, bt) in best.items():
                cell = cells.setdefault((key, cname), _Cell())
                cell.cases += 1
                cell.largest_bound = max(cell.largest_bound, bound)
                cell.states.add(mdp.n_states)
                if key in failed and cell.counterexample is None:
                    r, v = failed[key]
                    bf = brute_force_vote(mdp, "s0", a, b, r, crit)
                    name = lambda t: "{" + ", ".join(  # noqa: E731
                        "(" + " ".join(_fs(c) for c in pool.vectors[i]) + ")" for i in sorted(t)) + "}"
                    reward = " ".join(_fs(x) for x in r)
                    cell.counterexample = {
                        "where": where, "n_states": mdp.n_states, "a": a, "b": b, "m": m, "n": n,
                        "bound": _fs(bound), "reward": reward, "weak_fraction_b": _fs(v.weak_fraction_b),
                        "vote": {"a_strict": v.a_strict, "b_strict": v.b_strict, "tie": v.tie,
                                 "orbit_size": v.orbit_size},
                        "a_things": [name(t) for t in at], "b_things": [name(t) for t in bt],
                        "brute_force_vote": list(bf),
                        "brute_force_agrees": tuple(bf) == (v.a_strict, v.b_strict, v.tie, v.orbit_size),
                        "summary": (f"{where}, A = {','.join(a)}, B = {','.join(b)}, m = {m}, n = {n}, reward "
                                    f"{reward}: weak fraction {_fs(v.weak_fraction_b)} < {_fs(bound)}"),
                    }
    for (key, cname), cell in sorted(cells.items(), key=lambda kv: (tuple(not x for x in kv[0][0]),
                                                                   [_crit_name(c) for c in criteria].index(kv[0][1]))):
        res.rows.append({**dict(zip(CONDITIONS, key)), "criterion": cname, "theorem": _theorem(key, cname),
                         "status": "holds" if cell.counterexample is None else "counterexample", "cases": cell.cases,
                         "largest_bound": _fs(cell.largest_bound), "states": sorted(cell.states),
                         "counterexample": cell.counterexample})
    res.seconds = time.perf_counter() - t0
    return res
