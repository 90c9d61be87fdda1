"""The conjecture lab: hunt for counterexamples to orbit-vote conjectures.

A *conjecture* is a predicate over (MDP, state, option sets A and B, reward, criterion), split
in two parts so that the expensive structural work is done once per option-set pair:

``hypotheses(mdp, state, a, b, criterion) -> dict | None``
    ``None`` when the conjecture's hypotheses fail for these option sets (the case is
    *vacuous* and counted separately); otherwise a dict of what was established (e.g. the
    certified number of copies ``n``) that the second part uses. It must contain ``"bound"``.
``holds(vote, hyp) -> bool``
    Whether the exact orbit vote satisfies the conclusion.

The search (:func:`run_search`) runs, within a time budget and a case cap:

1. **exhaustive**: every deterministic MDP on 1..min(K, 3) states (a successor set per state;
   the query state is ``s0``, which loses no generality), every ordered pair (A, B) of disjoint
   non-empty action sets at ``s0``, every reward order type (multisets of ``k`` values from
   ``range(k)``) or, for generic-reward conjectures, 2 generic rewards;
2. **structured** families of the conjecture (e.g. copies of gadgets with cycles of different
   lengths, overlapping supports), if it has any;
3. **random**: random deterministic MDPs on 4..K states, random splits and rewards;
4. **hypothesis**: generation with the ``hypothesis`` library and its shrinking (``find``), so
   that a counterexample found there comes back minimal.

Any counterexample is then shrunk greedily (drop states, drop edges, drop actions from A/B,
lower reward values) while it stays a counterexample, and is returned as an ``mdps/``-format
TOML text with the ``workbench orbit`` command that reproduces its vote.

Adding a conjecture
-------------------
Write the two functions and register them::

    from workbench.power._conjectures import Conjecture, register_conjecture

    def hyp(mdp, state, a, b, criterion):
        cert = copies_at(mdp, state, a, b, criterion)
        return {"n": cert.n, "bound": Fraction(cert.n, cert.n + 1)} if cert.n else None

    register_conjecture(Conjecture(
        name="my-law", source="where it comes from",
        statement="formal statement, with the criterion and how ties count",
        hypotheses=hyp, holds=lambda vote, h: vote.weak_fraction_b >= h["bound"]))

Then ``workbench conjecture my-law --budget 30`` searches it (the module defining it must be
imported first, e.g. add it to :data:`PLUGIN_MODULES` or import it in this file).
"""

from __future__ import annotations

import itertools
import random as _random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from .._errors import WorkbenchError
from ._copies import find_copies, copies_at
from ._criteria import Average, Blackwell, Discounted
from ._mdp import MDP, dumps_mdp
from ._orbits import orbit_vote
from ._visits import non_dominated, options

__all__ = ["Conjecture", "SearchResult", "register_conjecture", "get_conjecture", "conjecture_names", "run_search",
           "counterexample_record", "PLUGIN_MODULES"]

PLUGIN_MODULES: tuple = ()  # extra modules that register conjectures when imported
_VOTE_LIMIT = 200_000       # largest exact enumeration per case; bigger orbits are skipped (and counted)


@dataclass(frozen=True)
class Conjecture:
    """A conjecture the lab can search (see the module docstring)."""

    name: str
    statement: str
    source: str
    hypotheses: Callable
    holds: Callable
    criteria: tuple = (Average(),)
    rewards: str = "order-types"        # or "generic"
    structured: Callable | None = None  # rng -> iterator of (family, mdp, state, a, b, rewards)
    structured_families: tuple = ()


_REGISTRY: dict[str, Conjecture] = {}


def register_conjecture(c: Conjecture) -> Conjecture:
    if not c.name or c.name in _REGISTRY and _REGISTRY[c.name] is not c:
        raise WorkbenchError(f"conjecture {c.name!r} is registered twice or has no name")
    _REGISTRY[c.name] = c
    return c


def _load_plugins():
    from importlib import import_module

    for mod in PLUGIN_MODULES:
        import_module(mod)


def conjecture_names() -> list[str]:
    _load_plugins()
    return sorted(_REGISTRY)


def get_conjecture(name: str) -> Conjecture:
    _load_plugins()
    if name not in _REGISTRY:
        raise WorkbenchError(f"unknown conjecture {name!r} (known: {', '.join(sorted(_REGISTRY))})")
    return _REGISTRY[name]


# --- the registered conjectures ----------------------------------------------------------------

def _fs(x) -> str:
    x = Fraction(x)
    return f"{x.numerator}/{x.denominator}" if x.denominator != 1 else str(x.numerator)


def _copies_hyp(mdp, state, a, b, criterion):
    cert = copies_at(mdp, state, a, b, criterion)
    if cert.n == 0:
        return None
    return {"n": cert.n, "bound": Fraction(cert.n, cert.n + 1), "kind": f"n={cert.n}",
            "involutions": [phi.named(cert.names) for phi in cert.involutions]}


def _copies_avg_hyp(mdp, state, a, b, criterion):
    return _copies_hyp(mdp, state, a, b, Average())


def _set_partitions(items):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in _set_partitions(rest):
        for i in range(len(part)):
            yield part[:i] + [[first] + part[i]] + part[i + 1:]
        yield [[first]] + part


def _is_image(X, Y, names) -> bool:
    """Is there an involution mapping the set X onto the set Y (exactly)?"""
    if len(X) != len(Y):
        return False
    if frozenset(X) == frozenset(Y):
        return True
    cert = find_copies(X, Y, names, max_iter=2_000)
    return cert.n >= 1 and any(phi.apply_set(X) == frozenset(Y) for phi in cert.involutions)


def _supp(vectors) -> frozenset:
    return frozenset(i for v in vectors for i, c in enumerate(v) if c)


def fractional_hypotheses(mdp, state, a, b, criterion=None, *, disjoint: bool = True):
    """RDSP Conj D.13 as formalised here (average-reward RSD level).

    Find a partition of ND(A) (the non-dominated RSDs reachable through A) into ``m`` blocks that
    are involution images of one block X, and ``n`` copies of X among B's RSDs, certified as in
    spec §2 (``φ_j·X ⊆ B``, ``φ_j·B_k = B_k`` for ``k != j``, non-identity involutions). With
    ``disjoint`` (the default, the natural reading of "n things versus m things") the m + n
    blocks must have pairwise disjoint supports; copies overlapping others are dropped (greedily).
    Among the valid partitions with ``n >= m`` the one with the largest ``n/(n+m)`` (the strongest
    instance) is tested. ``None`` if there is none.
    """
    A = list(dict.fromkeys(f.rsd() for f in options(mdp, state, a)))
    A = [A[i] for i in non_dominated(A)]
    B = list(dict.fromkeys(f.rsd() for f in options(mdp, state, b)))
    if len(A) > 6:
        return None
    best = None
    for part in _set_partitions(list(range(len(A)))):
        size = len(part[0])
        if any(len(p) != size for p in part):
            continue
        blocks = [[A[i] for i in p] for p in part]
        X = blocks[0]
        if disjoint:
            sup = [_supp(bl) for bl in blocks]
            if any(sup[i] & sup[j] for i, j in itertools.combinations(range(len(sup)), 2)):
                continue
        if not all(_is_image(X, bl, mdp.states) for bl in blocks[1:]):
            continue
        m = len(part)
        cert = find_copies(X, B, mdp.states, max_iter=5_000)
        invs = [phi for phi in cert.involutions if phi.pairs]  # the identity is a degenerate copy
        if disjoint:
            used = set(_supp(X).union(*(_supp(bl) for bl in blocks)))
            keep = []
            for phi in invs:
                s_ = _supp(phi.apply_set(X))
                if not s_ & used:
                    keep.append(phi)
                    used |= s_
            invs = keep
        n = len(invs)
        if n < m or n == 0:
            continue
        bound = Fraction(n, n + m)
        if best is None or bound > best["bound"]:
            best = {"m": m, "n": n, "bound": bound, "kind": f"m={m},n={n}", "block_size": size,
                    "X": [[_fs(c) for c in v] for v in X],
                    "copies_of_X_in_B": [phi.named(cert.names) for phi in invs]}
    return best


def fractional_overlap_hypotheses(mdp, state, a, b, criterion=None):
    """As :func:`fractional_hypotheses` but the things may overlap (only spec §2's copy conditions)."""
    return fractional_hypotheses(mdp, state, a, b, criterion, disjoint=False)


def strict_hypotheses(mdp, state, a, b, criterion=None):
    """B contains n >= 1 copies of ND(A) certified with non-identity involutions (average, RSDs)."""
    cert = copies_at(mdp, state, a, b, Average())
    invs = [phi for phi in cert.involutions if phi.pairs]
    if not invs:
        return None
    A = frozenset(f.rsd() for f in options(mdp, state, a))
    B = frozenset(f.rsd() for f in options(mdp, state, b))
    n = len(invs)
    return {"n": n, "bound": Fraction(n, n + 1), "kind": f"n={n}" + (", shared RSD" if A & B else ""),
            "shared_rsds": len(A & B), "involutions": [phi.named(cert.names) for phi in invs]}


def strict_disjoint_hypotheses(mdp, state, a, b, criterion=None):
    """:func:`strict_hypotheses` plus: no RSD is reachable through both A and B."""
    h = strict_hypotheses(mdp, state, a, b, criterion)
    return h if h is not None and h["shared_rsds"] == 0 else None


def _weak_b(vote, hyp) -> bool:
    return vote.weak_fraction_b >= hyp["bound"]


def _strict_b(vote, hyp) -> bool:
    return Fraction(vote.b_strict, vote.orbit_size) >= hyp["bound"]


# structured families --------------------------------------------------------------------------

GADGETS = {  # name -> (successor lists of local states; the states entered from the hub)
    "vertex": ({"v": ["v"]}, ["v"]),
    "2-cycle": ({"p": ["q"], "q": ["p"]}, ["p"]),
    "3-cycle": ({"t": ["u"], "u": ["w"], "w": ["t"]}, ["t"]),
    "vertex+2-cycle": ({"v": ["v"], "p": ["q"], "q": ["p"]}, ["v", "p"]),
    "2-cycle+3-cycle": ({"p": ["q"], "q": ["p"], "t": ["u"], "u": ["w"], "w": ["t"]}, ["p", "t"]),
    "lasso 1->2-cycle": ({"e": ["p"], "p": ["q"], "q": ["p"]}, ["e"]),
}


def gadget_mdp(gadget: str, m: int, n: int, *, overlap: str = "none", extra_edge=None) -> MDP:
    """``start -> hubA -> m copies of the gadget``, ``start -> hubB -> n copies``.

    ``overlap``: ``"none"``; ``"shared-sink"`` (every copy's entry can also go to one shared
    terminal ``z``, so A and B overlap on ``z``); ``"shared-state"`` (consecutive B copies share
    a state: copy j's first cycle state also steps to copy j+1's). ``extra_edge``: an extra
    (from, to) edge among the generated state names.
    """
    local, entries = GADGETS[gadget]
    succ = {"start": ["A", "B"], "A": [], "B": []}
    for side, k in (("A", m), ("B", n)):
        for j in range(k):
            tag = f"{side.lower()}{j}"
            for e in entries:
                succ[side].append(f"{tag}{e}")
            for s, nxt in local.items():
                succ[f"{tag}{s}"] = [f"{tag}{t}" for t in nxt]
    if overlap == "shared-sink":
        succ["z"] = ["z"]
        for side, k in (("A", m), ("B", n)):
            for j in range(k):
                first = f"{side.lower()}{j}{entries[0]}"
                succ[first] = succ[first] + ["z"] if "z" not in succ[first] else succ[first]
    elif overlap == "shared-state" and n >= 2:
        for j in range(n - 1):
            a_state = f"b{j}{entries[0]}"
            nxt = f"b{j + 1}{entries[0]}"
            if nxt not in succ[a_state]:
                succ[a_state] = succ[a_state] + [nxt]
    if extra_edge is not None:
        u, v = extra_edge
        if u in succ and v in succ and v not in succ[u]:
            succ[u] = succ[u] + [v]
    return MDP.from_successors(succ, name=f"{gadget}_{m}v{n}_{overlap}", start="start",
                               description=f"{m} vs {n} copies of gadget {gadget}, overlap {overlap}")


def _few_nonzero(N, rng, *, k=8):
    tails = [[1], [1, 1], [1, 2], [1, 1, 2], [1, 2, 3]]
    tails += [sorted(rng.integers(1, 5, size=3).tolist()) for _ in range(k)]
    return [[0] * (N - len(t)) + t for t in tails if len(t) <= N]


_MN = ((1, 1), (1, 2), (1, 3), (2, 2), (2, 3), (3, 3))


def _fractional_structured(rng):
    overlaps = ("none", "shared-sink", "shared-state")
    for gadget in GADGETS:
        for overlap in overlaps:
            for m, n in _MN:
                    mdp = gadget_mdp(gadget, m, n, overlap=overlap)
                    if mdp.n_states > 20:
                        continue
                    fam = f"gadget copies ({overlap} overlap)"
                    rewards = _few_nonzero(mdp.n_states, rng, k=2)
                    if mdp.n_states - 3 <= 8:
                        rewards.append(_generic(mdp.n_states, rng))
                    yield fam, mdp, "start", ("A",), ("B",), rewards
    # random extra edges on small gadget instances
    names = list(GADGETS)
    for _ in range(60):
        g = names[int(rng.integers(len(names)))]
        m = int(rng.integers(1, 3))
        n = int(rng.integers(m, 4))
        base = gadget_mdp(g, m, n)
        sts = [s for s in base.states if s != "start"]
        e = (sts[int(rng.integers(len(sts)))], sts[int(rng.integers(len(sts)))])
        mdp = gadget_mdp(g, m, n, extra_edge=e)
        yield "gadget copies + one random extra edge", mdp, "start", ("A",), ("B",), _few_nonzero(mdp.n_states, rng, k=1)


def _strict_structured(rng):
    for gadget in ("vertex", "2-cycle", "vertex+2-cycle", "lasso 1->2-cycle"):
        for overlap in ("none", "shared-sink"):
            for n in (1, 2, 3):
                mdp = gadget_mdp(gadget, 1, n, overlap=overlap)
                if mdp.n_states - 3 > 8:
                    continue
                yield f"gadget copies ({overlap} overlap)", mdp, "start", ("A",), ("B",), [_generic(mdp.n_states, rng) for _ in range(2)]


def _generic(n, rng):
    while True:
        r = [Fraction(int(x), 10**9) for x in rng.integers(1, 10**9, size=n)]
        if len(set(r)) == n:
            return r


FRACTIONAL_STATEMENT = (
    "Fractional scaling law (RDSP Conj D.13, formalised here). Let s be a state and A, B sets of first actions; "
    "under average reward an option is an RSD, a set's value is its best option, ties count as weakly optimal for both. "
    "Suppose ND(A) (A's non-dominated RSDs) is partitioned into m blocks X_1..X_m, each the image of X = X_1 under an "
    "involution of the states, and B's RSDs contain n >= m copies of X (non-identity involutions phi_j with phi_j X in B "
    "and phi_j B_k = B_k for k != j), and all m + n blocks have pairwise disjoint supports. Then for every reward r, at "
    "least n/(n+m) of the distinct elements of the orbit of r weakly prefer B. (m = 1 is the proven law, RDSP Thm D.11; "
    "terminal blocks are PS5.)")

_FRACTIONAL_FAMILIES = (
    "gadget copies (none/shared-sink/shared-state overlap) of vertex, 2-cycle, 3-cycle, vertex+2-cycle, 2-cycle+3-cycle "
    "and lasso gadgets, (m, n) in {(1,1), (1,2), (1,3), (2,2), (2,3), (3,3)} (<= 20 states), 7 rewards each: zeros plus "
    "1 / 1,1 / 1,2 / 1,1,2 / 1,2,3 / two random triples from 1..4 (+1 generic reward when <= 8 relevant states)",
    "gadget copies + one random extra edge (60 instances)")

register_conjecture(Conjecture(
    name="fractional", source="seed 001 'Conjecture'; RDSP Conj D.13", statement=FRACTIONAL_STATEMENT,
    hypotheses=fractional_hypotheses, holds=_weak_b, criteria=(Average(),), rewards="order-types",
    structured=_fractional_structured, structured_families=_FRACTIONAL_FAMILIES))

register_conjecture(Conjecture(
    name="fractional-overlap", source="seed 001 'Conjecture'; RDSP Conj D.13 (weaker hypotheses)",
    statement=FRACTIONAL_STATEMENT.replace(", and all m + n blocks have pairwise disjoint supports", "")
    + " [Variant: the blocks may overlap; only the copy conditions of spec §2 are required.]",
    hypotheses=fractional_overlap_hypotheses, holds=_weak_b, criteria=(Average(),), rewards="order-types",
    structured=_fractional_structured, structured_families=_FRACTIONAL_FAMILIES))

register_conjecture(Conjecture(
    name="fractional-discounted", source="spec §4 applied to RDSP Conj D.13",
    statement="The fractional law's conclusion (weak fraction >= n/(n+m), hypotheses as in 'fractional' at the RSD level) "
              "under discounted optimality (gamma in {1/10, 1/2, 9/10}) and Blackwell optimality. Expected to FAIL: a limit "
              "of the criterion, not evidence against the average-reward conjecture.",
    hypotheses=fractional_hypotheses, holds=_weak_b,
    criteria=(Discounted(Fraction(1, 10)), Discounted(Fraction(1, 2)), Discounted(Fraction(9, 10)), Blackwell()),
    rewards="order-types", structured=_fractional_structured, structured_families=_FRACTIONAL_FAMILIES))

_STRICT_FAMILIES = ("1 vs n copies of vertex / 2-cycle / vertex+2-cycle / lasso gadgets, disjoint or sharing a sink, "
                    "generic rewards",)

register_conjecture(Conjecture(
    name="strict", source="seed 001 'Conjecture which I think I see how to prove'",
    statement="Strict scaling law. If B contains n >= 1 copies of ND(A) (average reward, RSD copies, non-identity "
              "involutions), then for almost every reward r (tested: generic rewards, distinct random rationals) at least "
              "n/(n+1) of the distinct elements of the orbit of r make B strictly better than A.",
    hypotheses=strict_hypotheses, holds=_strict_b, criteria=(Average(),), rewards="generic",
    structured=_strict_structured,
    structured_families=_STRICT_FAMILIES))

register_conjecture(Conjecture(
    name="strict-disjoint", source="seed 001 'Conjecture which I think I see how to prove' (restricted)",
    statement="The strict scaling law restricted to option sets with no RSD reachable through both A and B.",
    hypotheses=strict_disjoint_hypotheses, holds=_strict_b, criteria=(Average(),), rewards="generic",
    structured=_strict_structured,
    structured_families=_STRICT_FAMILIES))

register_conjecture(Conjecture(
    name="scaling", source="RDSP Thm D.11 / OPTTSP Thm 6.13 (a proven law: a sanity check of the lab and the engine)",
    statement="If B contains n certified copies of ND(A) under the criterion (RSDs for average, visit distributions for "
              "discounted and Blackwell), every orbit has #B strictly better >= n #A strictly better.",
    hypotheses=_copies_hyp, holds=lambda v, h: v.b_strict >= h["n"] * v.a_strict,
    criteria=(Average(), Blackwell(), Discounted(Fraction(1, 2))), rewards="order-types"))


# --- search -------------------------------------------------------------------------------------

@dataclass
class SearchResult:
    conjecture: str
    statement: str
    cases_checked: int = 0          # orbit votes where the hypotheses held
    cases_examined: int = 0         # option-set pairs looked at (including vacuous ones)
    vacuous: int = 0                # option-set pairs whose hypotheses failed
    skipped_over_limit: int = 0     # orbits above the exact-enumeration limit
    families: list = field(default_factory=list)
    per_family: dict = field(default_factory=dict)
    kinds: Counter = field(default_factory=Counter)
    counterexample: dict | None = None
    seconds: float = 0.0
    budget: float = 0.0
    budget_exhausted: bool = False
    seed: int = 0
    max_states: int = 0
    phases: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"conjecture": self.conjecture, "statement": self.statement, "cases_checked": self.cases_checked,
                "cases_examined": self.cases_examined, "vacuous": self.vacuous,
                "skipped_over_limit": self.skipped_over_limit, "families": list(self.families),
                "per_family": dict(self.per_family), "hypothesis_kinds": dict(self.kinds.most_common(20)),
                "counterexample": self.counterexample, "seconds": round(self.seconds, 2), "budget": self.budget,
                "budget_exhausted": self.budget_exhausted, "seed": self.seed, "max_states": self.max_states,
                "phases": self.phases}


class _Out(Exception):
    pass


class _Found(Exception):
    def __init__(self, case):
        self.case = case


def _mdp_from_masks(masks) -> MDP:
    k = len(masks)
    succ = {f"s{i}": [f"s{j}" for j in range(k) if masks[i] >> j & 1] for i in range(k)}
    return MDP.from_successors(succ, name=f"lab{k}", start="s0")


def _splits(actions):
    acts = list(actions)
    out = []
    for ra in range(1, len(acts)):
        for A in itertools.combinations(acts, ra):
            rest = [x for x in acts if x not in A]
            for rb in range(1, len(rest) + 1):
                for B in itertools.combinations(rest, rb):
                    out.append((A, B))
    return out


def _order_types(k):
    return [list(c) for c in itertools.combinations_with_replacement(range(k), k)]


class _Runner:
    def __init__(self, conj: Conjecture, budget: float, max_cases: int | None, result: SearchResult):
        self.conj, self.result = conj, result
        self.t0 = time.perf_counter()
        self.deadline = self.t0 + budget
        self.max_cases = max_cases

    def out_of_time(self) -> bool:
        return time.perf_counter() > self.deadline or (self.max_cases is not None and self.result.cases_checked >= self.max_cases)

    def check_pair(self, family, mdp, state, a, b, rewards, *, raise_on_fail=True):
        """Check one option-set pair on ``rewards`` under every criterion; returns a failing case."""
        res = self.result
        fam = res.per_family.setdefault(family, {"cases_checked": 0, "vacuous": 0})
        for crit in self.conj.criteria:
            if self.out_of_time():
                raise _Out
            res.cases_examined += 1
            hyp = self.conj.hypotheses(mdp, state, a, b, crit)
            if hyp is None:
                res.vacuous += 1
                fam["vacuous"] += 1
                continue
            res.kinds[hyp.get("kind", "")] += 1
            for r in rewards:
                if self.out_of_time():
                    raise _Out
                try:
                    v = orbit_vote(mdp, state, list(a), list(b), r, crit, limit=_VOTE_LIMIT)
                except WorkbenchError as exc:
                    if "above the limit" not in str(exc):
                        raise
                    res.skipped_over_limit += 1
                    continue
                res.cases_checked += 1
                fam["cases_checked"] += 1
                if not self.conj.holds(v, hyp):
                    case = (mdp, state, tuple(a), tuple(b), tuple(r), crit)
                    if raise_on_fail:
                        raise _Found(case)
                    return case
        return None


def is_counterexample(conj: Conjecture, mdp, state, a, b, reward, crit) -> bool:
    try:
        hyp = conj.hypotheses(mdp, state, list(a), list(b), crit)
        if hyp is None:
            return False
        v = orbit_vote(mdp, state, list(a), list(b), list(reward), crit, limit=_VOTE_LIMIT)
    except WorkbenchError:
        return False
    return not conj.holds(v, hyp)


def shrink(conj: Conjecture, case, *, deadline: float | None = None):
    """Greedy shrinking of a counterexample: drop states, edges, actions of A/B, lower rewards."""
    mdp, state, a, b, reward, crit = case
    succ = {s: [next(iter(d)) for d in mdp.transitions[s].values()] for s in mdp.states}
    values = dict(zip(mdp.states, reward))
    a, b = list(a), list(b)

    def build(succ_, values_, a_, b_):
        try:
            m = MDP.from_successors(succ_, name="counterexample", start=state)
        except WorkbenchError:
            return None
        return m, state, tuple(a_), tuple(b_), tuple(values_[s] for s in m.states), crit

    def ok(c):
        return c is not None and is_counterexample(conj, *c)

    changed = True
    while changed:
        changed = False
        if deadline is not None and time.perf_counter() > deadline:
            break
        for s in list(succ):  # drop a state (and every edge into it)
            if s == state or (s in a and len(a) == 1) or (s in b and len(b) == 1):
                continue
            s2 = {u: [t for t in ts if t != s] for u, ts in succ.items() if u != s}
            if any(not ts for ts in s2.values()):
                continue
            a2, b2 = [x for x in a if x != s], [x for x in b if x != s]
            c = build(s2, values, a2, b2)
            if a2 and b2 and ok(c):
                succ, a, b, changed = s2, a2, b2, True
                break
        if changed:
            continue
        for u in list(succ):  # drop an edge
            for t in list(succ[u]):
                if len(succ[u]) == 1 or (u == state and (t in a or t in b)):
                    continue
                s2 = {x: [y for y in ts if not (x == u and y == t)] for x, ts in succ.items()}
                if ok(build(s2, values, a, b)):
                    succ, changed = s2, True
                    break
            if changed:
                break
        if changed:
            continue
        for side in ("a", "b"):  # drop an action from A or B (the state stays, as an irrelevant one)
            acts = a if side == "a" else b
            if len(acts) < 2:
                continue
            for x in acts:
                a2 = [y for y in a if y != x] if side == "a" else a
                b2 = [y for y in b if y != x] if side == "b" else b
                if ok(build(succ, values, a2, b2)):
                    a, b, changed = a2, b2, True
                    break
            if changed:
                break
        if changed:
            continue
        distinct = sorted(set(values[s] for s in succ))
        for s in (succ if conj.rewards != "generic" else ()):  # generic rewards must stay tie-free  # lower one reward value to the next smaller value present (or 0)
            v = values[s]
            lower = [w for w in distinct if w < v] or ([0] if v != 0 else [])
            for w in lower[::-1][:2]:
                v2 = dict(values)
                v2[s] = w
                if ok(build(succ, v2, a, b)):
                    values, changed = v2, True
                    break
            if changed:
                break
    return build(succ, values, a, b)


def counterexample_record(conj: Conjecture, case) -> dict:
    mdp, state, a, b, reward, crit = case
    hyp = conj.hypotheses(mdp, state, list(a), list(b), crit)
    v = orbit_vote(mdp, state, list(a), list(b), list(reward), crit, limit=_VOTE_LIMIT)
    crit_args = f"--criterion {crit.name}" + (f" --gamma {_fs(crit.gamma)}" if crit.name == "discounted" else "")
    rtxt = ",".join(_fs(x) for x in reward)
    command = (f"workbench orbit counterexample.toml --state {state} --a {','.join(a)} --b {','.join(b)} "
               f"--reward {rtxt} {crit_args}")
    desc = (f"Counterexample to conjecture '{conj.name}' found by the workbench conjecture lab. Reproduce: {command}. "
            f"Hypotheses: {', '.join(f'{k}={_fs(v_) if isinstance(v_, Fraction) else v_}' for k, v_ in hyp.items() if k in ('m', 'n', 'bound'))}.")
    m2 = MDP(states=mdp.states, transitions=mdp.transitions, name=f"counterexample_{conj.name}", description=desc,
             start=state)
    weak = v.weak_fraction_b
    strict = Fraction(v.b_strict, v.orbit_size)
    summary = (f"{mdp.n_states}-state MDP, A = {list(a)}, B = {list(b)}, reward {[_fs(x) for x in reward]}, "
               f"{crit.describe()}: B strict/A strict/tie = {v.b_strict}/{v.a_strict}/{v.tie} of {v.orbit_size}, weak "
               f"fraction {_fs(weak)}, strict {_fs(strict)} < bound {_fs(hyp['bound'])}")
    return {"mdp": dumps_mdp(m2), "state": state, "a": list(a), "b": list(b), "reward": [_fs(x) for x in reward],
            "criterion": crit.describe(), "vote": {"a_strict": v.a_strict, "b_strict": v.b_strict, "tie": v.tie,
                                                   "orbit_size": v.orbit_size, "weak_fraction_b": _fs(weak),
                                                   "strict_fraction_b": _fs(strict), "method": v.method},
            "hypotheses": {k: (_fs(x) if isinstance(x, Fraction) else x) for k, x in hyp.items()},
            "bound": _fs(hyp["bound"]), "command": command, "summary": summary}


def _hypothesis_phase(conj, runner, max_states, seed, examples, result):
    """Generate (graph, split, reward) with hypothesis; ``find`` shrinks a counterexample."""
    try:
        from hypothesis import HealthCheck, Phase, find, settings
        from hypothesis import strategies as st
        from hypothesis.errors import NoSuchExample, Unsatisfiable
    except ImportError:  # pragma: no cover - hypothesis is a test extra
        result.phases["hypothesis"] = "skipped: the hypothesis package is not installed"
        return None
    kmax = max(2, min(max_states, 6))

    @st.composite
    def cases(draw):
        k = draw(st.integers(2, kmax))
        masks = [draw(st.integers(1, 2**k - 1)) for _ in range(k)]
        mdp = _mdp_from_masks(masks)
        acts = mdp.actions("s0")
        if len(acts) < 2:
            return None
        a = draw(st.lists(st.sampled_from(acts), min_size=1, max_size=len(acts) - 1, unique=True))
        rest = [x for x in acts if x not in a]
        b = draw(st.lists(st.sampled_from(rest), min_size=1, max_size=len(rest), unique=True))
        if conj.rewards == "generic":
            r = [Fraction(x, 997) for x in draw(st.lists(st.integers(0, 10**6), min_size=k, max_size=k, unique=True))]
        else:
            r = draw(st.lists(st.integers(0, 3), min_size=k, max_size=k))
        crit = draw(st.sampled_from(list(conj.criteria)))
        return mdp, "s0", tuple(a), tuple(b), tuple(r), crit

    counted = {"n": 0, "found": False}

    def condition(c):
        if c is None or (runner.out_of_time() and not counted["found"]):
            return False
        if counted["found"]:  # shrinking: re-evaluations are not new cases
            return _is_cx(c)
        counted["n"] += 1
        hyp = conj.hypotheses(c[0], c[1], list(c[2]), list(c[3]), c[5])
        result.cases_examined += 1
        fam = result.per_family.setdefault("hypothesis-generated", {"cases_checked": 0, "vacuous": 0})
        if hyp is None:
            result.vacuous += 1
            fam["vacuous"] += 1
            return False
        try:
            v = orbit_vote(c[0], c[1], list(c[2]), list(c[3]), list(c[4]), c[5], limit=_VOTE_LIMIT)
        except WorkbenchError:
            result.skipped_over_limit += 1
            return False
        result.cases_checked += 1
        fam["cases_checked"] += 1
        bad = not conj.holds(v, hyp)
        counted["found"] = bad
        return bad

    def _is_cx(c):
        return is_counterexample(conj, c[0], c[1], c[2], c[3], c[4], c[5])

    s = settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck),
                 phases=[Phase.generate, Phase.shrink])
    try:
        found = find(cases(), condition, settings=s, random=_random.Random(seed))
    except (NoSuchExample, Unsatisfiable):
        found = None
    result.phases["hypothesis"] = f"{counted['n']} generated cases with a choice at s0 (max_examples={examples})"
    return found


PHASES = ("exhaustive", "structured", "random", "hypothesis")


def run_search(name: str, *, max_states: int = 4, budget: float = 30.0, seed: int = 0, max_cases: int | None = None,
               hypothesis_examples: int = 200, order=PHASES) -> SearchResult:
    """Search for a counterexample to conjecture ``name`` (see the module docstring).

    Parameters
    ----------
    max_states : int
        K: exhaustive search on 1..min(K, 3) states, random MDPs on 4..K states (1 <= K <= 8).
    budget : float
        Wall-clock seconds; the search stops (and says so) when it is spent.
    max_cases : int, optional
        Stop after this many checked orbits (for reproducible counts).
    order : sequence of phase names
        Which phases run, in which order (default: exhaustive, structured, random, hypothesis).
    """
    conj = get_conjecture(name)
    if not 1 <= max_states <= 8:
        raise WorkbenchError(f"--max-states must be between 1 and 8, got {max_states}")
    if not budget > 0:
        raise WorkbenchError(f"--budget must be positive, got {budget}")
    result = SearchResult(conj.name, conj.statement, budget=budget, seed=seed, max_states=max_states)
    runner = _Runner(conj, budget, max_cases, result)
    rng = np.random.default_rng(seed)
    crit_names = ", ".join(c.describe() for c in conj.criteria)
    rew = ("every reward order type (multisets of k values from range(k))" if conj.rewards == "order-types"
           else "2 generic rewards (distinct random rationals) per case")
    found = None
    _current = {"phase": None}
    try:
        def exhaustive():
            for k in range(1, min(max_states, 3) + 1):
                result.families.append(f"all deterministic MDPs on {k} state{'s' if k > 1 else ''} (query state s0, all "
                                       f"ordered splits (A, B) of its actions), {rew}; criteria: {crit_names}")
                for masks in itertools.product(range(1, 2**k), repeat=k):
                    mdp = _mdp_from_masks(masks)
                    acts = mdp.actions("s0")
                    if len(acts) < 2:
                        continue
                    rewards = _order_types(k) if conj.rewards == "order-types" else [_generic(k, rng) for _ in range(2)]
                    for a, b in _splits(acts):
                        runner.check_pair(f"exhaustive: all deterministic MDPs on {k} states", mdp, "s0", a, b, rewards)

        def structured():
            if conj.structured is None:
                return
            result.families.extend(conj.structured_families)
            for fam, mdp, state, a, b, rewards in conj.structured(rng):
                runner.check_pair(fam, mdp, state, a, b, rewards)

        def random_phase():
            if max_states < 4:
                return
            result.families.append(f"random deterministic MDPs on 4..{max_states} states (uniform successor sets, random "
                                   f"split at s0), {'3 random reward multisets' if conj.rewards == 'order-types' else rew}")
            n_random = 0
            try:
                while not runner.out_of_time() and n_random < 4000:
                    k = int(rng.integers(4, max_states + 1))
                    masks = [int(rng.integers(1, 2**k)) for _ in range(k)]
                    mdp = _mdp_from_masks(masks)
                    acts = mdp.actions("s0")
                    if len(acts) < 2:
                        continue
                    splits = _splits(acts)
                    a, b = splits[int(rng.integers(len(splits)))]
                    if conj.rewards == "order-types":
                        rewards = [sorted(rng.integers(0, k, size=k).tolist()) for _ in range(3)]
                    else:
                        rewards = [_generic(k, rng) for _ in range(2)]
                    runner.check_pair(f"random deterministic MDPs on 4..{max_states} states", mdp, "s0", a, b, rewards)
                    n_random += 1
            finally:
                result.phases["random"] = f"{n_random} random option-set pairs"

        def hypothesis_phase():
            nonlocal found
            if hypothesis_examples > 0 and not runner.out_of_time():
                found = _hypothesis_phase(conj, runner, max_states, seed, hypothesis_examples, result)
                if "skipped" not in result.phases.get("hypothesis", "skipped"):
                    result.families.append(f"hypothesis-generated deterministic MDPs on 2..{max(2, min(max_states, 6))} "
                                           "states (shrinking on failure)")

        table = {"exhaustive": exhaustive, "structured": structured, "random": random_phase, "hypothesis": hypothesis_phase}
        for phase in order:
            if phase not in table:
                raise WorkbenchError(f"unknown search phase {phase!r} (phases: {', '.join(PHASES)})")
            if runner.out_of_time():
                result.phases.setdefault("not run (budget or case cap spent)", []).append(phase)
                continue
            _current["phase"] = phase
            table[phase]()
            if found is not None:
                break
    except _Out:
        result.budget_exhausted = True
        done = False
        for phase in order:  # phases after the interrupted one did not run
            if done:
                result.phases.setdefault("not run (budget or case cap spent)", []).append(phase)
            done = done or phase == _current["phase"]
        if result.families:
            result.families[-1] += " [stopped here by the budget or case cap: partial]"
    except _Found as f:
        found = f.case
    if found is not None:
        small = shrink(conj, found, deadline=time.perf_counter() + max(5.0, budget / 2))
        result.counterexample = counterexample_record(conj, small if small is not None else found)
    result.seconds = time.perf_counter() - runner.t0
    result.budget_exhausted = result.budget_exhausted or runner.out_of_time()
    return result
