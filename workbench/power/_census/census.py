"""The census: every small rooted deterministic MDP, every root split, exact orbit votes, and
the scaling laws' status on each.

For every isomorphism class of rooted deterministic MDPs with ``1..K`` states
(:mod:`~workbench.power._census.enumeration`), every ordered pair ``(A, B)`` of disjoint
non-empty sets of the root's actions (with ``overlap=True`` also every pair of distinct
overlapping ones), taken once per orbit of the class's automorphism group, every criterion of
the run and every *law* below, the census records one row with a status:

``holds``               the law's hypotheses hold and its conclusion holds for every reward of
                        its family;
``counterexample``      the hypotheses hold and some reward of the family violates the
                        conclusion (the first such reward and its vote are recorded);
``hypothesis not met``  the law says nothing here.

Reward families (exact, per class on ``n`` states): every reward multiset of ``n`` values
from ``0..n-1`` (hence every order type, ties included) and ``generic`` vectors of distinct
random rationals from ``numpy.random.default_rng(seed)`` (tie-free). Laws about *almost every*
reward (``strict``, ``strict-disjoint``) use only the generic vectors.

The laws are the lab's registered readings (:func:`workbench.power.get_conjecture`), with their
hypotheses computed by the lab's own functions:

``n/(n+1)``             copies: ``B`` contains ``n >= 1`` certified copies of ``ND(A)`` under the
                        criterion (:func:`~workbench.power.copies_at`; RSDs for average, visit
                        distributions otherwise). Conclusion: weak fraction of B ``>= n/(n+1)``
                        (RDSP Thm D.11);
``most``                same hypotheses; ``#B strictly better >= n * #A strictly better`` in the
                        orbit (``f(B) >=^n_most f(A)``; the lab's ``scaling``);
``strict``              the lab's ``strict``: ``n >= 1`` non-identity RSD copies; strict fraction
                        of B ``>= n/(n+1)`` for generic rewards;
``strict-disjoint``     ``strict`` when no RSD is reachable through both A and B;
``fractional``          the lab's ``fractional``: ND(A) is ``m`` involution-images of a block X,
                        B has ``n >= m`` copies of X, all ``m + n`` blocks have disjoint supports;
                        weak fraction of B ``>= n/(n+m)``;
``fractional-overlap``  the same without the disjoint supports.

The strict and fractional hypotheses are stated at the RSD level; under the Blackwell or
discounted criterion their rows test that *criterion's variant* of the law (the lab's
``fractional-discounted``), which is expected to fail (spec §4).

Relabelling states maps a class's votes to themselves (the orbit runs over every permutation),
so one canonical member per class, and one split per automorphism orbit of splits, lose nothing.

References
----------
Turner & Tadepalli 2022 (RDSP), Thm D.11 and Conj D.13; Turner et al. 2021 (OPTTSP), Thm 6.13;
spec §2-§4.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple

import numpy as np

from workbench._errors import WorkbenchError
from workbench.power._census.enumeration import MAX_CENSUS_STATES, MDPClass, rooted_mdp_classes
from workbench.power._visits.criteria import Average, Blackwell, Discounted

__all__ = ["DEFAULT_CENSUS_CRITERIA", "LAWS", "STATUSES", "CensusResult", "run_census", "census_class", "order_type_rewards", "generic_rewards",
           "root_splits", "CSV_COLUMNS"]

LAWS = ("n/(n+1)", "most", "strict", "strict-disjoint", "fractional", "fractional-overlap")
STATUSES = ("holds", "counterexample", "hypothesis not met")
CSV_COLUMNS = ("class", "n_states", "mdp", "a", "b", "overlap", "law", "criterion", "status", "hypotheses", "bound",
               "rewards_checked", "worst_fraction", "counterexample_reward", "counterexample_vote")
_GENERIC_ONLY = ("strict", "strict-disjoint")
#: The three criteria of the engine; the discount is the exact rational 1/2.
DEFAULT_CENSUS_CRITERIA = (Average(), Blackwell(), Discounted(Fraction(1, 2)))


def _fs(x) -> str:
    x = Fraction(x)
    return f"{x.numerator}/{x.denominator}" if x.denominator != 1 else str(x.numerator)


def order_type_rewards(n: int) -> list:
    """Every multiset of ``n`` values from ``0..n-1`` (sorted), so every order type with ties."""
    return [list(c) for c in itertools.combinations_with_replacement(range(n), n)]


def generic_rewards(n: int, count: int, seed: int) -> list:
    """``count`` vectors of ``n`` distinct rationals ``k/10^9`` from ``default_rng([seed, n])``."""
    rng = np.random.default_rng([seed, n])
    out = []
    while len(out) < count:
        r = [Fraction(int(x), 10**9) for x in rng.integers(1, 10**9, size=n)]
        if len(set(r)) == n:
            out.append(r)
    return out


def root_splits(cls: MDPClass, *, overlap: bool = False) -> list:
    """Ordered pairs ``(A, B)`` of non-empty sets of root actions, one per automorphism orbit.

    Disjoint pairs always; with ``overlap`` also distinct pairs that share an action.
    """
    n = cls.n_states
    acts = [j for j in range(n) if cls.masks[0] >> j & 1]
    subsets = [frozenset(c) for k in range(1, len(acts) + 1) for c in itertools.combinations(acts, k)]
    seen, out = set(), []
    for A in subsets:
        for B in subsets:
            if A == B or (A & B and not overlap):
                continue
            key = min((tuple(sorted(p[i] for i in A)), tuple(sorted(p[i] for i in B))) for p in cls.automorphisms)
            if key in seen:
                continue
            seen.add(key)
            out.append((tuple(f"s{i}" for i in sorted(A)), tuple(f"s{i}" for i in sorted(B))))
    return out


def _crit_name(crit) -> str:
    return crit.name if crit.name != "discounted" else f"discounted:{_fs(crit.gamma)}"


class _SplitVote(NamedTuple):
    """One reward's exact orbit vote on a split (the counts of :class:`OrbitVote`)."""

    a_strict: int
    b_strict: int
    tie: int
    orbit_size: int

    @property
    def weak_fraction_b(self) -> Fraction:
        return Fraction(self.b_strict + self.tie, self.orbit_size)


def census_class(masks, automorphisms, criteria, generic: int, seed: int, overlap: bool) -> dict:
    """The census rows of one class (a pure function of its arguments; runs in workers)."""
    from workbench.power._census.fastvote import split_votes
    from workbench.power._lab.registry import get_conjecture

    cls = MDPClass(tuple(masks), tuple(automorphisms))
    mdp, n = cls.mdp(), cls.n_states
    order = order_type_rewards(n)
    gen = generic_rewards(n, generic, seed)
    family_all = list(order) + list(gen)
    scaling, strict, frac, frac_o = (get_conjecture(x) for x in ("scaling", "strict", "fractional", "fractional-overlap"))
    rows, votes = [], 0
    for a, b in root_splits(cls, overlap=overlap):
        ov = bool(set(a) & set(b))
        # RSD-level hypotheses do not depend on the criterion: once per split
        h_strict = strict.hypotheses(mdp, "s0", list(a), list(b), Average())
        h_sd = h_strict if h_strict is not None and h_strict["shared_rsds"] == 0 else None
        h_frac = frac.hypotheses(mdp, "s0", list(a), list(b), Average())
        h_fo = frac_o.hypotheses(mdp, "s0", list(a), list(b), Average())
        for crit in criteria:
            h_copies = scaling.hypotheses(mdp, "s0", list(a), list(b), crit)
            counts: list = []  # every reward's vote, computed together on the first request
            asked: set = set()  # the rewards the laws used: `votes` counts each once

            def vote(key, r, a=a, b=b, crit=crit, counts=counts, asked=asked):
                nonlocal votes
                if not counts:
                    counts.extend(_SplitVote(*c) for c in split_votes(mdp, "s0", list(a), list(b), family_all, crit))
                if key not in asked:
                    asked.add(key)
                    votes += 1
                kind, i = key
                return counts[i if kind == "o" else len(order) + i]

            laws = {
                "n/(n+1)": (h_copies, lambda v, h: (v.weak_fraction_b, v.weak_fraction_b >= h["bound"])),
                "most": (h_copies, lambda v, h: (v.weak_fraction_b, v.b_strict >= h["n"] * v.a_strict)),
                "strict": (h_strict, lambda v, h: (Fraction(v.b_strict, v.orbit_size),
                                                   Fraction(v.b_strict, v.orbit_size) >= h["bound"])),
                "strict-disjoint": (h_sd, lambda v, h: (Fraction(v.b_strict, v.orbit_size),
                                                        Fraction(v.b_strict, v.orbit_size) >= h["bound"])),
                "fractional": (h_frac, lambda v, h: (v.weak_fraction_b, v.weak_fraction_b >= h["bound"])),
                "fractional-overlap": (h_fo, lambda v, h: (v.weak_fraction_b, v.weak_fraction_b >= h["bound"])),
            }
            for law in LAWS:
                hyp, test = laws[law]
                row = {"class": cls.id, "n_states": n, "mdp": cls.describe(), "a": ",".join(a), "b": ",".join(b),
                       "overlap": ov, "law": law, "criterion": _crit_name(crit), "status": "hypothesis not met",
                       "hypotheses": "", "bound": "", "rewards_checked": 0, "worst_fraction": "",
                       "counterexample_reward": "", "counterexample_vote": ""}
                if hyp is not None:
                    row["hypotheses"] = hyp.get("kind", "")
                    row["bound"] = _fs(hyp["bound"])
                    family = [("g", i, r) for i, r in enumerate(gen)]
                    if law not in _GENERIC_ONLY:
                        family = [("o", i, r) for i, r in enumerate(order)] + family
                    worst, status = None, "holds"
                    for kind, i, r in family:
                        v = vote((kind, i), r)
                        if v is None:
                            continue
                        row["rewards_checked"] += 1
                        frac_b, ok = test(v, hyp)
                        worst = frac_b if worst is None else min(worst, frac_b)
                        if not ok:
                            status = "counterexample"
                            row["counterexample_reward"] = " ".join(_fs(x) for x in r)
                            row["counterexample_vote"] = f"A {v.a_strict} | B {v.b_strict} | tie {v.tie} of {v.orbit_size}"
                            break
                    row["status"] = status
                    row["worst_fraction"] = _fs(worst) if worst is not None else ""
                rows.append(row)
    return {"class": cls.id, "rows": rows, "votes": votes}


def _census_task(item):
    return census_class(*item)


@dataclass(repr=False)
class CensusResult:
    """What a census run covered: class counts per size, rows, a summary, the settings.

    ``rows`` holds one dict per (class, split, law, criterion) with the columns
    :data:`CSV_COLUMNS`; ``summary[law][criterion][status]`` counts them.
    """

    max_states: int
    classes: dict
    criteria: tuple
    generic: int
    seed: int
    overlap: bool
    rows: list = field(default_factory=list)
    votes: int = 0
    seconds: float = 0.0
    resumed: int = 0  # classes read back from an earlier run

    @property
    def splits(self) -> int:
        return len({(r["class"], r["a"], r["b"]) for r in self.rows})

    @property
    def summary(self) -> dict:
        out = {}
        for r in self.rows:
            d = out.setdefault(r["law"], {}).setdefault(r["criterion"], dict.fromkeys(STATUSES, 0))
            d[r["status"]] += 1
        return out

    def counterexamples(self, law=None) -> list:
        return [r for r in self.rows if r["status"] == "counterexample" and (law is None or r["law"] == law)]

    def coverage(self) -> str:
        sizes = ", ".join(f"{k} with {n} state{'s' * (int(n) > 1)}" for n, k in self.classes.items())
        return (f"every rooted deterministic MDP with 1..{self.max_states} states up to isomorphism (classes: {sizes}), "
                f"every ordered split (A, B) of the root's actions into {'distinct' if self.overlap else 'disjoint'} "
                f"non-empty sets (one per automorphism orbit), rewards: every order type with values 0..n-1 and "
                f"{self.generic} generic rational vectors (seed {self.seed}); criteria: "
                f"{', '.join(_crit_name(c) for c in self.criteria)}")

    def __repr__(self) -> str:
        bad = len(self.counterexamples())
        return (f"CensusResult(1..{self.max_states} states: classes {self.classes}, {self.splits} splits, "
                f"{len(self.rows)} rows, {self.votes} orbit votes, {bad} counterexample rows)")

    def to_json(self, *, rows: bool = True) -> dict:
        out = {"classes": dict(self.classes), "max_states": self.max_states,
               "criteria": [_crit_name(c) for c in self.criteria], "generic_rewards": self.generic, "seed": self.seed,
               "overlap": self.overlap, "splits": self.splits, "row_count": len(self.rows), "votes": self.votes,
               "coverage": self.coverage(), "summary": self.summary, "resumed_classes": self.resumed,
               "seconds": round(self.seconds, 2)}
        if rows:
            out["rows"] = self.rows
        return out

    def csv_text(self) -> str:
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(self.rows)
        return buf.getvalue()


def _settings_key(max_states, criteria, generic, seed, overlap) -> dict:
    return {"criteria": [_crit_name(c) for c in criteria], "generic": generic, "seed": seed, "overlap": overlap}


def check_census_size(max_states, generic) -> None:
    """The bounds every census-family run shares (census, frontier)."""
    if int(max_states) != max_states or not 1 <= max_states <= MAX_CENSUS_STATES:
        raise WorkbenchError(f"max_states must be between 1 and {MAX_CENSUS_STATES}, got {max_states}")
    if generic < 0:
        raise WorkbenchError(f"generic must be at least 0, got {generic}")


def run_census(max_states: int, *, criteria=DEFAULT_CENSUS_CRITERIA, generic: int = 3, seed: int = 0, overlap: bool = False,
               out=None, executor=None, progress=None) -> CensusResult:
    """Run the census on 1..``max_states`` states (see the module docstring).

    Parameters
    ----------
    max_states : int
        1 to :data:`MAX_CENSUS_STATES`.
    criteria : sequence of Average / Blackwell / Discounted
        Default :data:`DEFAULT_CENSUS_CRITERIA`: average, Blackwell and discounted with γ = 1/2.
    generic : int
        Generic rational reward vectors per class (from ``seed``).
    overlap : bool
        Also split the root's actions into overlapping pairs.
    out : path, optional
        A directory: finished classes are appended to ``census_progress.jsonl`` there and a
        re-run with the same settings skips them; ``census.csv``, ``census.json`` and
        ``census_summary.json`` are written at the end.
    executor : optional
        An executor with ``session()`` yielding ``map(fn, items)`` (e.g. the sweep's
        process or Dask executors); default: this process.
    progress : callable, optional
        Called as ``progress(done, total, n_states)`` after each class.

    Examples
    --------
    >>> res = run_census(2)
    >>> res.classes, res.summary["n/(n+1)"]["average"], sorted(res.summary["n/(n+1)"])
    ({'1': 1, '2': 6}, {'holds': 3, 'counterexample': 0, 'hypothesis not met': 3}, ['average', 'blackwell', 'discounted:1/2'])
    """
    from workbench._io import atomic_write_json, atomic_write_text

    check_census_size(max_states, generic)
    criteria = tuple(criteria)
    t0 = time.perf_counter()
    settings = _settings_key(max_states, criteria, generic, seed, overlap)
    done: dict = {}
    log = None
    if out is not None:
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        log = out / "census_progress.jsonl"
        if log.exists():
            lines = log.read_text().splitlines()
            if lines:
                try:
                    head = json.loads(lines[0])
                except json.JSONDecodeError:
                    head = None
                if head != {"settings": settings}:
                    raise WorkbenchError(f"{log} holds a census with other settings ({lines[0][:120]}); use another "
                                         f"--out directory or delete the file")
                for line in lines[1:]:
                    try:
                        rec = json.loads(line)
                    except json.JSONDecodeError:
                        continue  # a line cut short by an interruption: that class runs again
                    done[rec["class"]] = rec
        if not log.exists() or not log.read_text().strip():
            log.write_text(json.dumps({"settings": settings}) + "\n")
    result = CensusResult(max_states, {}, criteria, generic, seed, overlap)
    result.resumed = len(done)
    by_class = {}
    with contextlib.ExitStack() as stack:
        mapper = None  # one executor session for every state count, opened when there is work
        for n in range(1, max_states + 1):
            classes = list(rooted_mdp_classes(n))
            result.classes[str(n)] = len(classes)
            todo = [(c.masks, c.automorphisms, criteria, generic, seed, overlap) for c in classes if c.id not in done]
            finished = len(classes) - len(todo)
            if progress:
                progress(finished, len(classes), n)
            if executor is None:
                pairs = ((item, _census_task(item)) for item in todo)
            else:
                if mapper is None and todo:
                    mapper = stack.enter_context(executor.session())
                pairs = mapper(_census_task, todo) if todo else iter(())
            for _item, rec in pairs:
                done[rec["class"]] = rec
                if log is not None:
                    with open(log, "a") as fh:
                        fh.write(json.dumps(rec) + "\n")
                finished += 1
                if progress:
                    progress(finished, len(classes), n)
            for c in classes:
                by_class[c.id] = done[c.id]
    for rec in by_class.values():
        result.rows.extend(rec["rows"])
        result.votes += rec["votes"]
    result.seconds = time.perf_counter() - t0
    if out is not None:
        atomic_write_text(out / "census.csv", result.csv_text())
        atomic_write_json(out / "census.json", result.to_json())
        atomic_write_json(out / "census_summary.json", result.to_json(rows=False))
    return result
