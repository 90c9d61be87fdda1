"""The frontier of the fractional law: which structural conditions does ``n/(n+m)`` need?

A *thing decomposition* of a case (an MDP, the root ``s0``, disjoint first-action sets A and
B) picks ``m >= 1`` pairwise disjoint non-empty sets of A's non-dominated RSDs (the A-things)
and ``n >= 1`` pairwise disjoint non-empty sets of B's RSDs (the B-things). Its *law* is

.. math:: w_B(r) = \\frac{\\#\\{r' \\in \\mathrm{Orbit}(r) : V_B(r') \\ge V_A(r')\\}}{|\\mathrm{Orbit}(r)|}
          \\ge \\frac{n}{n+m}

for every reward ``r`` of the family, under the criterion of the row (exact orbit votes). The
things are sets of *level vectors*: RSDs (``level="rsd"``, the default, for every criterion), or
what the row's criterion acts on (``level="criterion"``: RSDs for average, ``f(γ)`` for
discounted, the visit distribution functions ``f`` for Blackwell). A state permutation ``σ``
acts on a vector by permuting coordinates and on a thing elementwise. For each decomposition
the frontier records seven conditions:

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
rows with these conditions under ``average`` are labelled with the theorem. At the criterion's
level the same argument holds for every criterion (a value is ``max_{v∈T} r·v`` on the
level vectors; Blackwell is the discounted order for γ near 1): labels ``PS14v``/``PS16av``.
RSD-level conditions carry no theorem under discounted or Blackwell criteria, where transient
states change the values (docs/conjecture-lab.md, "Which level the conditions live on"). Every other
combination is open ground, and the table says, per combination and criterion, whether the
law held on every case of the families or gives the first counterexample met. Cases are met
in increasing number of states (classes in canonical order, splits, then rewards with order
types before generic ones), so a counterexample from the exhaustive family has the fewest
states of its combination; each is re-checked by the independent brute force
(:func:`~workbench.power._census.brute.brute_force_vote`). For one case and one combination
only the decomposition with the largest ``n/(n+m)`` decides the row (a failure of a weaker
bound is a failure of the stronger one); each row also keeps one cell per ``(m, n)`` (``by_mn``)
with its own first counterexample, so that, e.g., "two B-things against one" has its own
smallest counterexample. :func:`run_hub_family` runs the same table on structured hub variants
(:func:`hub_variants`, up to 7 states) and :func:`equal_shape_cells` decides the ``m = 1``,
``cover``, ``equal_shapes`` cells on every split with no option cap.

Families: the census family (:mod:`~workbench.power._census.enumeration`, 1..K states, every
disjoint root split once per automorphism orbit, every order type with values ``0..n-1`` and
``generic`` seeded rational vectors) and, unless ``structured=False``, the *hub* gadgets that
show counting options alone is not enough: ``k`` 2-cycles through one hub (living) against one
2-cycle (dying), ``k = 2, 3``, with rewards ``0..n-1`` and the generic vectors (average reward only: under the other criteria
the transient states make their orbits larger than the exact limit).

Conditions are decided by brute force over all ``n!`` state permutations, so cases are small;
a case with more than ``max_options`` (default :data:`MAX_THING_OPTIONS`) vectors on either
side is skipped and counted (``skipped``, ``skipped_by_states``). Votes on the census family
come from :func:`~workbench.power._census.fastvote.split_votes` (exact, the orbit engine's counts).

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
           "thing_conditions", "hub_gadget", "hub_variants", "run_hub_family", "FRONTIER_COLUMNS", "LEVELS"]

CONDITIONS = ("cover", "equal_shapes", "b_copies", "swaps_a", "swaps_b", "swaps_cross", "disjoint")
#: average, Blackwell, and discounted with γ = 1/2 and γ = 9/10 (exact rationals)
DEFAULT_FRONTIER_CRITERIA = (Average(), Blackwell(), Discounted(Fraction(1, 2)), Discounted(Fraction(9, 10)))
#: Most RSDs per side for which the thing decompositions are enumerated.
MAX_THING_OPTIONS = 5
FRONTIER_COLUMNS = CONDITIONS + ("criterion", "theorem", "status", "cases", "largest_bound", "states",
                                 "counterexample", "by_mn")
#: ``"rsd"``: conditions on RSDs for every criterion; ``"criterion"``: on what the criterion acts on.
LEVELS = ("rsd", "criterion")


def _by_mn_text(by_mn: dict) -> str:
    """``m:n`` cells as ``1:2 holds (12); 2:2 fails (4 states)``."""
    return "; ".join(f"{k} {'holds' if v['counterexample'] is None else 'fails'} "
                     f"({v['cases']} cases{'' if v['counterexample'] is None else ', ' + str(v['counterexample']['n_states']) + ' states'})"
                     for k, v in by_mn.items())


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


def hub_variants(max_states: int = 7):
    """Structured hub-like gadgets with at most ``max_states`` states: ``(name, mdp, a, b)``.

    A dying side: ``s0`` then a path of ``pd`` states into a cycle of ``cd`` states (or, with
    ``pd = -1``, a cycle of ``cd`` states through ``s0`` itself). A living side: ``s0`` then a path
    of ``pl`` states into a hub ``h`` with ``k`` cycles of ``c`` states through it (``pl = -1``:
    ``s0`` is the hub and each cycle is its own first action). ``pd, pl ∈ {-1, 0, 1}``,
    ``cd ∈ {1, 2, 3}``, ``k ∈ {2, 3}``, ``c ∈ {2, 3}``; A is the dying first action(s), B the
    living one(s). :func:`hub_gadget` is ``pd = 1, cd = 2, pl = 1, c = 2``. Variants with the same
    ``(A, B)`` RSD structure but more states are kept: the search reports the smallest.

    Also the *stars* (``k + 2`` states, ``k >= 2``): ``s0`` with a self-loop, ``s0 <-> a1`` (A =
    ``{s0, a1}``: a loop and a 2-cycle at ``s0``) and ``k`` states ``b_i`` with a self-loop and an
    edge back to ``s0`` (B = ``{b_1..b_k}``: each a loop and a 2-cycle through ``s0``, an image of
    A's pair, all overlapping A at ``s0``).
    """
    from workbench.power._mdp.mdp import MDP

    for k in range(2, max_states - 1):
        succ = {"s0": ["s0", "a1"] + [f"b{i}" for i in range(1, k + 1)], "a1": ["s0"]}
        succ.update({f"b{i}": ["s0", f"b{i}"] for i in range(1, k + 1)})
        yield (f"star k={k} ({k + 2} states)", MDP.from_successors(succ, name=f"star_{k}", start="s0"), ["s0", "a1"],
               [f"b{i}" for i in range(1, k + 1)])

    for k in (2, 3):
        for c in (2, 3):
            for cd in (1, 2, 3):
                for pd in (-1, 0, 1):
                    for pl in (-1, 0, 1):
                        if pd == -1 and pl == -1:
                            continue  # two cycle systems through s0: A's and B's first actions both cycles
                        succ: dict = {"s0": []}
                        # dying side
                        if pd == -1:
                            ring = ["s0"] + [f"d{i}" for i in range(1, cd)]
                            if cd == 1:
                                succ["s0"].append("s0")
                                a = ["s0"]
                            else:
                                a = [ring[1]]
                        else:
                            path = [f"p{i}" for i in range(1, pd + 1)]
                            ring = [f"d{i}" for i in range(1, cd + 1)]
                            chain = path + ring
                            a = [chain[0]]
                            for u, v in zip(chain, chain[1:]):
                                succ[u] = [v]
                        if pd != -1 or cd > 1:
                            succ["s0"].append(a[0])
                        for i, u in enumerate(ring):
                            if cd > 1 or pd != -1:
                                succ.setdefault(u, [])
                                nxt = ring[(i + 1) % len(ring)]
                                if nxt not in succ[u]:
                                    succ[u].append(nxt)
                        # living side
                        hub = "s0" if pl == -1 else "h"
                        lpath = [] if pl == -1 else [f"l{i}" for i in range(1, pl + 1)] + ["h"]
                        if lpath:
                            succ["s0"].append(lpath[0])
                            for u, v in zip(lpath, lpath[1:]):
                                succ[u] = [v]
                        cyc_first = []
                        for j in range(1, k + 1):
                            xs = [f"x{j}_{i}" for i in range(1, c)]
                            cyc_first.append(xs[0])
                            succ.setdefault(hub, []).append(xs[0])
                            for u, v in zip(xs, xs[1:] + [hub]):
                                succ[u] = [v]
                        b = cyc_first if pl == -1 else [lpath[0]]
                        n_states = len(set(succ) | {v for vs in succ.values() for v in vs})
                        if n_states > max_states:
                            continue
                        name = f"hub variant k={k} c={c} cd={cd} pd={pd} pl={pl} ({n_states} states)"
                        yield name, MDP.from_successors(succ, name=f"hub_k{k}_c{c}_cd{cd}_pd{pd}_pl{pl}", start="s0"), a, b


def run_hub_family(max_states: int = 7, *, criteria=(Average(),), generic: int = 2, seed: int = 0,
                   level: str = "rsd", max_options: int = 6) -> FrontierResult:
    """The frontier on :func:`hub_variants` (every order type with values ``0..n-1`` and
    ``generic`` rational rewards per variant), in increasing number of states. The option cap
    is 6 here (a star with ``k`` B-states has ``2k`` B-RSDs).

    Examples
    --------
    >>> res = run_hub_family(5)
    >>> counting = (True, True, False, True, True, False, False)  # no copies, no cross swaps, overlapping
    >>> row = next(r for r in res.rows if tuple(r[c] for c in CONDITIONS) == counting)
    >>> row["by_mn"]["1:2"]["counterexample"]["summary"]
    'star k=2 (4 states), A = s0,a1, B = b1,b2, m = 1, n = 2, reward 0 0 0 1: weak fraction 1/2 < 2/3'
    >>> row["by_mn"]["1:3"]["counterexample"]["summary"]
    'star k=3 (5 states), A = s0,a1, B = b1,b2,b3, m = 1, n = 3, reward 0 0 0 0 1: weak fraction 3/5 < 3/4'
    """
    if level not in LEVELS:
        raise WorkbenchError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    cap = int(max_options)
    t0 = time.perf_counter()
    res = FrontierResult(max_states, tuple(criteria), generic, seed, False, level, cap)
    variants = sorted(hub_variants(max_states), key=lambda v: v[1].n_states)
    cases = ((name, mdp, a, b, order_type_rewards(mdp.n_states) + generic_rewards(mdp.n_states, generic, seed), False)
             for name, mdp, a, b in variants)
    _run_cases(res, cases)
    res.seconds = time.perf_counter() - t0
    return res


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
    """Level vectors by index, and the action of every state permutation on them.

    A vector is a tuple over the states whose entries are hashable and falsy where the
    coordinate is zero (Fractions, or the ``()``/``(numerator, denominator)`` pairs of a visit
    distribution function); a permutation acts by permuting the coordinates.
    """

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
                w = [None] * n_states
                for i, c in enumerate(v):
                    w[p[i]] = c
                img.append(index.get(tuple(w), -1))
            inv = all(p[p[i]] == i for i in range(n_states)) and any(p[i] != i for i in range(n_states))
            img = tuple(img)
            actions[img] = actions.get(img, False) or inv
        self.perms = list(actions)
        self.involution = list(actions.values())
        self.support = [frozenset(i for i, c in enumerate(v) if c) for v in self.vectors]
        self._masks: dict = {}

    @staticmethod
    def image(img, thing):
        out = frozenset(img[i] for i in thing)
        return None if -1 in out else out

    def mask_images(self, mask: int) -> tuple:
        """Images of the thing ``mask`` (a bitmask of pool indices) under every permutation (-1: not a thing)."""
        out = self._masks.get(mask)
        if out is None:
            members = [i for i in range(len(self.vectors)) if mask >> i & 1]
            res = []
            for img in self.perms:
                m = 0
                for i in members:
                    j = img[i]
                    if j < 0:
                        m = -1
                        break
                    m |= 1 << j
                res.append(m)
            out = self._masks[mask] = tuple(res)
        return out


def _mask(thing) -> int:
    return sum(1 << i for i in thing)


def thing_conditions(pool: _Pool, a_things, b_things, nd_a) -> dict:
    """The seven conditions of one decomposition (things: frozensets of pool indices)."""
    a = [_mask(t) for t in a_things]
    b = [_mask(t) for t in b_things]
    return dict(zip(CONDITIONS, _conditions_masks(pool, a, b, _mask(nd_a))))


def _conditions_masks(pool: _Pool, a: list, b: list, nd_mask: int) -> tuple:
    """:func:`thing_conditions` on bitmasks (the frontier's inner loop)."""
    things = a + b
    k, m, n = len(things), len(a), len(b)
    imgs = [pool.mask_images(t) for t in things]
    P = len(pool.perms)
    full = (1 << k) - 1
    # fixed[p]: bitmask of the things that permutation p maps onto themselves
    fixed = []
    for p in range(P):
        f = 0
        for i in range(k):
            if imgs[i][p] == things[i]:
                f |= 1 << i
        fixed.append(f)

    def swapped(i, j):
        ti, tj, ii, ij = things[i], things[j], imgs[i], imgs[j]
        need = full & ~(1 << i) & ~(1 << j)
        return any(ii[p] == tj and ij[p] == ti and fixed[p] & need == need for p in range(P))

    X, ix = things[0], imgs[0]
    shapes = set(ix)
    b_need = ((1 << k) - 1) & ~((1 << m) - 1)  # B's bits

    def copy(j):
        bj = b[j]
        if bj == X:
            return False
        need = b_need & ~(1 << (m + j))
        return any(inv and ix[p] == bj and fixed[p] & need == need for p, inv in enumerate(pool.involution))

    cover = 0
    for t in a:
        cover |= t
    sup = pool.support
    sups = [frozenset().union(*(sup[i] for i in range(len(sup)) if t >> i & 1)) for t in things]
    return (
        cover == nd_mask,
        all(t in shapes for t in things[1:]),
        all(copy(j) for j in range(n)),
        all(swapped(i, j) for i, j in itertools.combinations(range(m), 2)),
        all(swapped(m + i, m + j) for i, j in itertools.combinations(range(n), 2)),
        all(swapped(i, m + j) for i in range(m) for j in range(n)),
        all(not (sups[i] & sups[j]) for i, j in itertools.combinations(range(k), 2)),
    )


def _theorem(key: tuple, criterion_name: str, level: str = "rsd") -> str:
    """PS14 / PS16a under average reward; at the criterion's level the same exchangeability
    argument covers discounted and Blackwell (``PS14v`` / ``PS16av``, see the docs)."""
    c = dict(zip(CONDITIONS, key))
    if not (c["cover"] and c["swaps_a"] and c["swaps_b"] and c["swaps_cross"]):
        return ""
    name = "PS14" if c["disjoint"] else "PS16a"
    if criterion_name == "average":
        return name
    return name + "v" if level == "criterion" else ""


def _level_vector(f, level, criterion):
    """The vector a condition is decided on: the RSD, or what ``criterion`` acts on."""
    if level == "rsd" or criterion.name == "average":
        return f.rsd()
    if criterion.name == "discounted":
        return f.at(criterion.gamma)
    # Blackwell: the visit distribution function itself, coordinate by coordinate
    return tuple((num, f.denominator) if num else () for num in f.numerators)


def _case_structure(mdp, a, b, *, level: str = "rsd", criterion=None, max_options: int | None = None):
    """``({condition key: {(m, n): (a_things, b_things)}}, pool)``: every decomposition's conditions.

    For each key and each ``(m, n)`` the first decomposition met is kept (its bound is
    ``n/(n+m)``). ``level`` ``"rsd"`` decides the conditions on RSDs; ``"criterion"`` on what
    ``criterion`` acts on (RSDs for average, ``f(γ)`` for discounted, the functions ``f`` for
    Blackwell), with ND(A) by ``criterion.hull_vector``. ``(None, None)`` when a side has more
    than ``max_options`` vectors (default :data:`MAX_THING_OPTIONS`).
    """
    from workbench.power._visits.criteria import Average
    from workbench.power._visits.visits import non_dominated, options

    crit = criterion if (criterion is not None and level == "criterion") else Average()
    cap = MAX_THING_OPTIONS if max_options is None else max_options
    A: dict = {}
    for f in options(mdp, "s0", a):
        A.setdefault(_level_vector(f, level, crit), crit.hull_vector(f))
    hulls = list(A.values())
    keep = {hulls[i] for i in non_dominated(hulls)}
    nd_a = [v for v, h in A.items() if h in keep]
    B = list(dict.fromkeys(_level_vector(f, level, crit) for f in options(mdp, "s0", b)))
    if len(nd_a) > cap or len(B) > cap:
        return None, None
    pool = _Pool(dict.fromkeys(nd_a + B), mdp.n_states)
    index = {v: i for i, v in enumerate(pool.vectors)}
    ia, ib = [index[v] for v in nd_a], [index[v] for v in B]
    nd_mask = _mask(ia)
    parts_b = [[_mask(t) for t in parts] for parts in _partial_partitions(ib) if parts]
    out: dict = {}
    for pa in _partial_partitions(ia):
        if not pa:
            continue
        am = [_mask(t) for t in pa]
        for bm in parts_b:
            key = _conditions_masks(pool, am, bm, nd_mask)
            slot = out.setdefault(key, {})
            mn = (len(am), len(bm))
            if mn not in slot:
                slot[mn] = (am, bm)
    return out, pool


def _bits(mask: int) -> list:
    return [i for i in range(mask.bit_length()) if mask >> i & 1]


def _best(slot: dict) -> tuple:
    """The largest bound ``n/(n+m)`` of one key's decompositions and its ``(m, n)``."""
    m, n = max(slot, key=lambda mn: (Fraction(mn[1], mn[0] + mn[1]), -mn[0]))
    return Fraction(n, n + m), (m, n)


@dataclass
class _Cell:
    cases: int = 0
    largest_bound: Fraction = Fraction(0)
    states: set = field(default_factory=set)
    counterexample: dict | None = None
    by_mn: dict = field(default_factory=dict)  # (m, n) -> [cases, first counterexample or None]


@dataclass(repr=False)
class FrontierResult:
    """The frontier table: one row per (combination of conditions, criterion) met in the families.

    ``rows`` are dicts with :data:`FRONTIER_COLUMNS`; ``status`` is ``holds`` (every case of the
    combination satisfied its largest bound on every reward of the family) or ``counterexample``
    (the first failing case, re-checked by brute force, under ``counterexample``); ``by_mn`` maps
    ``"m:n"`` to that cell's case count and first counterexample. ``level`` and ``max_options``
    are the run's settings; ``skipped`` counts split-criterion cases over the option cap
    (``skipped_by_states`` by MDP size).
    """

    max_states: int
    criteria: tuple
    generic: int
    seed: int
    structured: bool
    level: str = "rsd"
    max_options: int = 5
    rows: list = field(default_factory=list)
    cases: int = 0
    skipped: int = 0
    skipped_by_states: dict = field(default_factory=dict)
    over_limit: int = 0
    votes: int = 0
    seconds: float = 0.0

    def coverage(self) -> str:
        fam = (f"every rooted deterministic MDP with 1..{self.max_states} states up to isomorphism, every disjoint root "
               f"split (one per automorphism orbit), rewards: every order type with values 0..n-1 and {self.generic} "
               f"generic rational vectors (seed {self.seed})")
        if self.structured:
            fam += "; hub gadgets k = 2, 3 (rewards 0..n-1 and the generic vectors)"
        lev = ("RSDs" if self.level == "rsd" else "the criterion's level (RSDs for average, f(gamma) for discounted, "
               "the functions f for Blackwell)")
        return (fam + f"; criteria: {', '.join(_crit_name(c) for c in self.criteria)}; conditions decided on {lev}; "
                f"splits with more than {self.max_options} vectors on a side skipped ({self.skipped} split-criterion "
                f"cases)")

    def __repr__(self) -> str:
        bad = sum(r["status"] == "counterexample" for r in self.rows)
        return (f"FrontierResult(1..{self.max_states} states, {self.cases} split-criterion cases, {len(self.rows)} "
                f"rows, {bad} with a counterexample)")

    def to_json(self) -> dict:
        return {"max_states": self.max_states, "criteria": [_crit_name(c) for c in self.criteria],
                "generic_rewards": self.generic, "seed": self.seed, "structured": self.structured,
                "coverage": self.coverage(), "conditions": list(CONDITIONS), "cases": self.cases,
                "level": self.level, "max_options": self.max_options, "skipped_cases": self.skipped,
                "skipped_by_states": {str(k): v for k, v in sorted(self.skipped_by_states.items())}, "votes_over_limit": self.over_limit, "votes": self.votes, "rows": self.rows,
                "seconds": round(self.seconds, 2)}

    def csv_text(self) -> str:
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=FRONTIER_COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in self.rows:
            w.writerow({**{c: r[c] for c in FRONTIER_COLUMNS}, "states": " ".join(map(str, r["states"])),
                        "counterexample": "" if r["counterexample"] is None else r["counterexample"]["summary"],
                        "by_mn": _by_mn_text(r["by_mn"])})
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

    def mn_table(self) -> str:
        """Per row and ``(m, n)``: cases, and the first counterexample's states and weak fraction."""
        lines = ["per (m, n): m:n holds (cases) | m:n FAILS (cases; first counterexample: states, weak fraction < bound)"]
        for r in self.rows:
            flags = "".join("+" if r[c] else "." for c in CONDITIONS)
            cells = []
            for mn, v in r["by_mn"].items():
                cx = v["counterexample"]
                cells.append(f"{mn} holds ({v['cases']})" if cx is None else
                             f"{mn} FAILS ({v['cases']}; {cx['n_states']} states, {cx['weak_fraction_b']} < {cx['bound']})")
            lines.append(f"{flags} {r['criterion']:<16} " + " | ".join(cells))
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
                 structured: bool = True, level: str = "rsd", max_options: int | None = None,
                 progress=None) -> FrontierResult:
    """Map the fractional law's frontier on the census family (see the module docstring).

    ``level`` ``"rsd"`` decides the conditions on RSDs for every criterion; ``"criterion"`` on
    the vectors the criterion acts on (see :func:`_case_structure`), where the exchangeability
    argument of PS14/PS16a applies to every criterion (theorem labels ``PS14v``, ``PS16av``).
    ``max_options`` (default :data:`MAX_THING_OPTIONS`): splits with more vectors on a side are
    skipped and counted. Votes on the census family come from
    :func:`~workbench.power._census.fastvote.split_votes` (exact; equal to ``orbit_vote``),
    on the gadgets from ``orbit_vote``.

    Examples
    --------
    >>> res = run_frontier(2, criteria=(Average(),), structured=False)
    >>> [(r["theorem"], r["status"]) for r in res.rows][:2]
    [('PS14', 'holds'), ('', 'holds')]
    """
    check_census_size(max_states, generic)
    if level not in LEVELS:
        raise WorkbenchError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    cap = MAX_THING_OPTIONS if max_options is None else int(max_options)
    if cap < 1:
        raise WorkbenchError(f"max_options must be at least 1, got {max_options}")
    criteria = tuple(criteria)
    t0 = time.perf_counter()
    res = FrontierResult(max_states, criteria, generic, seed, structured, level, cap)
    _run_cases(res, _families(max_states, generic, seed, structured), progress)
    res.seconds = time.perf_counter() - t0
    return res


def _run_cases(res: FrontierResult, cases, progress=None) -> None:
    """Fill ``res.rows`` from ``cases`` (``(where, mdp, a, b, rewards, average_only)`` tuples)."""
    from workbench.power._census.brute import brute_force_vote
    from workbench.power._census.fastvote import MAX_FAST_STATES, split_votes
    from workbench.power._lab.registry import VOTE_METHOD
    from workbench.power._orbits.votes import orbit_vote

    criteria, level, cap = res.criteria, res.level, res.max_options
    cells: dict = {}
    for done, (where, mdp, a, b, rewards, gadget) in enumerate(cases):
        if progress:
            progress(done, None)
        structures: dict = {}
        for crit in criteria:
            if gadget and crit.name != "average":
                continue
            lkey = "rsd" if level == "rsd" or crit.name == "average" else _crit_name(crit)
            if lkey not in structures:
                structures[lkey] = _case_structure(mdp, a, b, level=level, criterion=crit, max_options=cap)
            keys, pool = structures[lkey]
            if keys is None:
                res.skipped += 1
                res.skipped_by_states[mdp.n_states] = res.skipped_by_states.get(mdp.n_states, 0) + 1
                continue
            cname = _crit_name(crit)
            res.cases += 1
            if mdp.n_states <= MAX_FAST_STATES:
                counts = split_votes(mdp, "s0", a, b, rewards, crit)
            else:
                counts = []
                for r in rewards:
                    try:
                        v = orbit_vote(mdp, "s0", a, b, r, crit, method=VOTE_METHOD)
                        counts.append((v.a_strict, v.b_strict, v.tie, v.orbit_size))
                    except EnumerationTooLarge:  # pragma: no cover - the gadgets are average-only
                        res.over_limit += 1
                        counts.append(None)
            res.votes += sum(c is not None for c in counts)
            weak = [None if c is None else Fraction(c[1] + c[2], c[3]) for c in counts]
            for key, slot in keys.items():
                bound, mn_best = _best(slot)
                cell = cells.setdefault((key, cname), _Cell())
                cell.cases += 1
                cell.largest_bound = max(cell.largest_bound, bound)
                cell.states.add(mdp.n_states)
                for mn, (am, bm) in sorted(slot.items()):
                    b_mn = Fraction(mn[1], sum(mn))
                    sub = cell.by_mn.setdefault(mn, [0, None])
                    sub[0] += 1
                    need = sub[1] is None or (mn == mn_best and cell.counterexample is None)
                    if not need:
                        continue
                    hit = next((i for i, w in enumerate(weak) if w is not None and w < b_mn), None)
                    if hit is None:
                        continue
                    cx = _certificate(where, mdp, a, b, mn, b_mn, rewards[hit], counts[hit], am, bm, pool, crit,
                                      brute_force_vote)
                    if sub[1] is None:
                        sub[1] = cx
                    if mn == mn_best and cell.counterexample is None:
                        cell.counterexample = cx
    for (key, cname), cell in sorted(cells.items(), key=lambda kv: (tuple(not x for x in kv[0][0]),
                                                                   [_crit_name(c) for c in criteria].index(kv[0][1]))):
        crit_name = cname.split(":")[0]
        res.rows.append({**dict(zip(CONDITIONS, key)), "criterion": cname,
                         "theorem": _theorem(key, crit_name, level),
                         "status": "holds" if cell.counterexample is None else "counterexample", "cases": cell.cases,
                         "largest_bound": _fs(cell.largest_bound), "states": sorted(cell.states),
                         "counterexample": cell.counterexample,
                         "by_mn": {f"{m}:{n}": {"cases": c, "counterexample": cx}
                                   for (m, n), (c, cx) in sorted(cell.by_mn.items())}})


def _certificate(where, mdp, a, b, mn, bound, r, count, am, bm, pool, crit, brute_force_vote) -> dict:
    """A counterexample record, re-checked by the independent brute force."""
    m, n = mn
    a_s, b_s, tie, size = count
    weak = Fraction(b_s + tie, size)
    bf = brute_force_vote(mdp, "s0", a, b, r, crit)
    name = lambda t: "{" + ", ".join(  # noqa: E731
        "(" + " ".join(_coord(c) for c in pool.vectors[i]) + ")" for i in _bits(t)) + "}"
    reward = " ".join(_fs(x) for x in r)
    return {
        "where": where, "n_states": mdp.n_states, "a": a, "b": b, "m": m, "n": n,
        "bound": _fs(bound), "reward": reward, "weak_fraction_b": _fs(weak),
        "vote": {"a_strict": a_s, "b_strict": b_s, "tie": tie, "orbit_size": size},
        "a_things": [name(t) for t in am], "b_things": [name(t) for t in bm],
        "brute_force_vote": list(bf), "brute_force_agrees": tuple(bf) == (a_s, b_s, tie, size),
        "summary": (f"{where}, A = {','.join(a)}, B = {','.join(b)}, m = {m}, n = {n}, reward "
                    f"{reward}: weak fraction {_fs(weak)} < {_fs(bound)}"),
    }


def _coord(c) -> str:
    """One coordinate of a level vector: a number, or ``N(γ)/d(γ)`` of a visit distribution function."""
    if isinstance(c, tuple):
        if not c:
            return "0"
        num, den = c
        poly = lambda p: "[" + ",".join(_fs(x) for x in p) + "]"  # noqa: E731
        return f"{poly(num)}/{poly(den)}"
    return _fs(c)


def equal_shape_cells(max_states: int = 4, *, criteria=(Average(),), generic: int = 2, seed: int = 0,
                      progress=None) -> dict:
    """The ``(1, n)`` cells with ``cover`` and ``equal_shapes``, on every split, without an option cap.

    With ``m = 1`` and ``cover`` the A-thing is ``X = ND(A)`` itself, and ``equal_shapes`` makes
    every B-thing an image ``σ·X`` inside B's RSDs; so these decompositions are the sets of
    ``n >= 1`` pairwise disjoint images of ``X`` in ``B``, few even when B has many RSDs. For
    every split of the census family (no :data:`MAX_THING_OPTIONS` cap) each such decomposition's
    seven conditions are decided as in :func:`run_frontier` (RSD level) and its bound ``n/(n+1)``
    tested on the family's rewards.

    Returns ``{(condition key, criterion name, n): {"cases": int, "counterexample": dict | None}}``
    with the first (fewest-state) counterexample, re-checked by brute force.

    Examples
    --------
    >>> cells = equal_shape_cells(2)
    >>> cells[(True,) * 7, "average", 1]["cases"], cells[(True,) * 7, "average", 1]["counterexample"]
    (3, None)
    """
    from workbench.power._census.brute import brute_force_vote
    from workbench.power._census.fastvote import split_votes
    from workbench.power._visits.visits import non_dominated, options

    check_census_size(max_states, generic)
    out: dict = {}
    for where, mdp, a, b, rewards, _ in _families(max_states, generic, seed, False):
        if progress:
            progress(where)
        A = list(dict.fromkeys(f.rsd() for f in options(mdp, "s0", a)))
        nd_a = [A[i] for i in non_dominated(A)]
        B = list(dict.fromkeys(f.rsd() for f in options(mdp, "s0", b)))
        pool = _Pool(dict.fromkeys(nd_a + B), mdp.n_states)
        index = {v: i for i, v in enumerate(pool.vectors)}
        X = _mask(index[v] for v in nd_a)
        b_mask = _mask(index[v] for v in B)
        images = sorted({t for t in pool.mask_images(X) if t > 0 and t & b_mask == t})
        found: dict = {}

        def extend(chosen, start):
            if chosen:
                key = _conditions_masks(pool, [X], list(chosen), X)
                found.setdefault((key, len(chosen)), list(chosen))
            for i in range(start, len(images)):
                t = images[i]
                if all(not (t & u) for u in chosen):
                    extend(chosen + [t], i + 1)

        extend([], 0)
        if not found:
            continue
        for crit in criteria:
            cname = _crit_name(crit)
            counts = split_votes(mdp, "s0", a, b, rewards, crit)
            weak = [Fraction(c[1] + c[2], c[3]) for c in counts]
            for (key, n), bm in found.items():
                cell = out.setdefault((key, cname, n), {"cases": 0, "counterexample": None})
                cell["cases"] += 1
                if cell["counterexample"] is None:
                    bound = Fraction(n, n + 1)
                    hit = next((i for i, w in enumerate(weak) if w < bound), None)
                    if hit is not None:
                        cell["counterexample"] = _certificate(where, mdp, a, b, (1, n), bound, rewards[hit],
                                                              counts[hit], [X], bm, pool, crit, brute_force_vote)
    return out
