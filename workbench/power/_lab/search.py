"""The lab's search: phases bounded by counts, the :class:`SearchResult` and its outcome.

See :mod:`workbench.power._lab.conjectures` for the phases and how to add a conjecture.
"""

from __future__ import annotations

import enum
import itertools
import time  # only to report how long a search took; no decision depends on the clock
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from workbench._errors import EnumerationTooLarge, WorkbenchError
from workbench.power._lab.gadgets import _generic, _mdp_from_masks, _order_types, _splits
from workbench.power._lab.hypothesis_phase import _hypothesis_phase
from workbench.power._lab.registry import (
    DEFAULT_MAX_CASES,
    DEFAULT_RANDOM_PAIRS,
    DEFAULT_SHRINK_STEPS,
    VOTE_METHOD,
    Conjecture,
    RewardFamily,
    get_conjecture,
)
from workbench.power._lab.shrinking import counterexample_record, shrink
from workbench.power._orbits.votes import orbit_vote

__all__ = ["SearchResult", "SearchOutcome", "run_search", "PHASES"]


class SearchOutcome(str, enum.Enum):
    """How a lab search ended (:attr:`SearchResult.outcome`; the value is what JSON would show)."""

    #: a case violates the conclusion (it was shrunk and recorded in ``counterexample``)
    COUNTEREXAMPLE = "counterexample"
    #: the case cap stopped the search before every family ran to its end
    CAP_REACHED = "case cap reached"
    #: every family ran to its end without a counterexample (evidence, not a proof)
    EXHAUSTED = "no counterexample"

    def __str__(self) -> str:
        return self.value


@dataclass(repr=False)
class SearchResult:
    """What a lab search (:func:`run_search`) checked, under which settings, and how it ended.

    Examples
    --------
    >>> res = run_search("scaling", max_states=2, hypothesis_examples=0)
    >>> res.outcome
    <SearchOutcome.EXHAUSTED: 'no counterexample'>
    >>> res  # doctest: +NORMALIZE_WHITESPACE
    SearchResult('scaling': no counterexample; 9 orbits checked, 18 option-set pairs examined, 15 vacuous,
    0 skipped over the limit; seed 0, K = 2, phases exhaustive+structured+random+hypothesis, case cap 5000,
    0 hypothesis examples, shrink cap 2000 steps)
    """

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
    seconds: float = 0.0            # timing only; not part of the evidence
    seed: int = 0
    max_states: int = 0
    order: tuple = ()
    max_cases: int | None = None
    random_pairs: int = 0
    hypothesis_examples: int = 0
    shrink_steps: int = 0
    cap_reached: bool = False       # the case cap stopped the search (the last family is partial)
    shrink: dict | None = None      # {"steps": evaluations used, "complete": reached a local minimum}
    phases: dict = field(default_factory=dict)

    def settings_text(self) -> str:
        """The seed and caps that determine this run, in words (evidence quotes it)."""
        parts = [f"seed {self.seed}", f"K = {self.max_states}", f"phases {'+'.join(self.order)}",
                 "no case cap" if self.max_cases is None else f"case cap {self.max_cases}"]
        if "random" in self.order and self.max_states >= 4:
            parts.append(f"{self.random_pairs} random pairs")
        if "hypothesis" in self.order:
            parts.append(f"{self.hypothesis_examples} hypothesis examples")
        parts.append(f"shrink cap {self.shrink_steps} steps")
        return ", ".join(parts)

    @property
    def outcome(self) -> SearchOutcome:
        """How the search ended."""
        if self.counterexample is not None:
            return SearchOutcome.COUNTEREXAMPLE
        return SearchOutcome.CAP_REACHED if self.cap_reached else SearchOutcome.EXHAUSTED

    def __repr__(self) -> str:
        return (f"SearchResult({self.conjecture!r}: {self.outcome}; {self.cases_checked} orbits checked, "
                f"{self.cases_examined} option-set pairs examined, {self.vacuous} vacuous, {self.skipped_over_limit} "
                f"skipped over the limit; {self.settings_text()})")

    def _repr_html_(self) -> str:
        from workbench.power._orbits.result import _html_table

        rows = [("outcome", str(self.outcome)), ("orbits checked", self.cases_checked),
                ("option-set pairs examined", self.cases_examined), ("vacuous (hypotheses fail)", self.vacuous),
                ("skipped over the limit", self.skipped_over_limit), ("settings", self.settings_text()),
                ("stopped", self.stop_text())]
        rows += [(f"family: {fam}", f"{c['cases_checked']} checked, {c['vacuous']} vacuous")
                 for fam, c in self.per_family.items()]
        if self.counterexample is not None:
            rows += [("counterexample", self.counterexample["summary"]), ("reproduce", self.counterexample["command"])]
        return _html_table(f"Conjecture lab: {self.conjecture}", rows)

    def stop_text(self) -> str:
        """How the run ended, with the number of orbits it checked."""
        if self.outcome is SearchOutcome.COUNTEREXAMPLE:
            sh = self.shrink or {}
            return (f"stopped at the first counterexample after {self.cases_checked} orbits, shrunk in {sh.get('steps', 0)} "
                    f"steps ({'a local minimum' if sh.get('complete') else 'stopped by the step cap'})")
        if self.outcome is SearchOutcome.CAP_REACHED:
            return f"stopped by the case cap after {self.cases_checked} orbits (the last family is partial)"
        return f"every family ran to its end ({self.cases_checked} orbits)"

    def to_json(self) -> dict:
        return {"conjecture": self.conjecture, "statement": self.statement, "cases_checked": self.cases_checked,
                "cases_examined": self.cases_examined, "vacuous": self.vacuous,
                "skipped_over_limit": self.skipped_over_limit, "families": list(self.families),
                "per_family": dict(self.per_family), "hypothesis_kinds": dict(self.kinds.most_common(20)),
                "counterexample": self.counterexample, "seed": self.seed, "max_states": self.max_states,
                "phase_order": list(self.order), "max_cases": self.max_cases, "random_pairs": self.random_pairs,
                "hypothesis_examples": self.hypothesis_examples, "shrink_steps": self.shrink_steps,
                "cap_reached": self.cap_reached, "shrink": self.shrink, "phases": self.phases,
                "settings": self.settings_text(), "stopped": self.stop_text(),
                "seconds": round(self.seconds, 2)}


class _Out(Exception):
    pass


class _Found(Exception):
    def __init__(self, case):
        self.case = case


class _Runner:
    def __init__(self, conj: Conjecture, max_cases: int | None, result: SearchResult):
        self.conj, self.result = conj, result
        self.max_cases = max_cases

    def cap_reached(self) -> bool:
        return self.max_cases is not None and self.result.cases_checked >= self.max_cases

    def check_pair(self, family, mdp, state, a, b, rewards, *, raise_on_fail=True):
        """Check one option-set pair on ``rewards`` under every criterion; returns a failing case."""
        res = self.result
        fam = res.per_family.setdefault(family, {"cases_checked": 0, "vacuous": 0})
        for crit in self.conj.criteria:
            if self.cap_reached():
                raise _Out
            res.cases_examined += 1
            hyp = self.conj.hypotheses(mdp, state, a, b, crit)
            if hyp is None:
                res.vacuous += 1
                fam["vacuous"] += 1
                continue
            res.kinds[hyp.get("kind", "")] += 1
            for r in rewards:
                if self.cap_reached():
                    raise _Out
                try:
                    v = orbit_vote(mdp, state, list(a), list(b), r, crit, method=VOTE_METHOD)
                except EnumerationTooLarge as exc:
                    if exc.parameter != "limit":  # only orbits over the exact-count limit are skipped
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


PHASES = ("exhaustive", "structured", "random", "hypothesis")


def run_search(name: str, *, max_states: int = 4, seed: int = 0, max_cases: int | None = DEFAULT_MAX_CASES,
               random_pairs: int = DEFAULT_RANDOM_PAIRS, hypothesis_examples: int = 200,
               shrink_steps: int = DEFAULT_SHRINK_STEPS, order=PHASES) -> SearchResult:
    """Search for a counterexample to conjecture ``name`` (see the module docstring).

    Every bound is a count and every random choice comes from ``seed``, so two runs with the
    same arguments give the same result (apart from ``seconds``) on any machine.

    Parameters
    ----------
    max_states : int
        K: exhaustive search on 1..min(K, 3) states, random MDPs on 4..K states (1 <= K <= 8).
    seed : int
        Seeds the random and structured families and the hypothesis phase.
    max_cases : int or None
        Stop after this many checked orbits over all phases (``None``: run every phase to its end).
    random_pairs : int
        Option-set pairs drawn in the random phase.
    hypothesis_examples : int
        Examples generated in the hypothesis phase (0 skips it).
    shrink_steps : int
        Candidate evaluations allowed while shrinking a counterexample.
    order : sequence of phase names
        Which phases run, in which order (default: exhaustive, structured, random, hypothesis).
    """
    t0 = time.perf_counter()
    conj = get_conjecture(name)
    if not 1 <= max_states <= 8:
        raise WorkbenchError(f"max_states must be between 1 and 8, got {max_states}")
    if max_cases is not None and max_cases < 1:
        raise WorkbenchError(f"max_cases must be at least 1, got {max_cases}")
    for label, value in (("random_pairs", random_pairs), ("hypothesis_examples", hypothesis_examples),
                         ("shrink_steps", shrink_steps), ("seed", seed)):
        if value < 0:
            raise WorkbenchError(f"{label} must be at least 0, got {value}")
    order = tuple(order)
    for phase in order:
        if phase not in PHASES:
            raise WorkbenchError(f"unknown search phase {phase!r} (phases: {', '.join(PHASES)})")
    result = SearchResult(conj.name, conj.statement, seed=seed, max_states=max_states, order=order, max_cases=max_cases,
                          random_pairs=random_pairs, hypothesis_examples=hypothesis_examples, shrink_steps=shrink_steps)
    runner = _Runner(conj, max_cases, result)
    rng = np.random.default_rng(seed)
    crit_names = ", ".join(c.describe() for c in conj.criteria)
    rew = ("every reward multiset of k values from range(k) (so every order type)" if conj.rewards is RewardFamily.ORDER_TYPES
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
                    rewards = _order_types(k) if conj.rewards is RewardFamily.ORDER_TYPES else [_generic(k, rng) for _ in range(2)]
                    for a, b in _splits(acts):
                        runner.check_pair(f"exhaustive: all deterministic MDPs on {k} states", mdp, "s0", a, b, rewards)

        def structured():
            if conj.structured is None:
                return
            result.families.extend(conj.structured_families)
            for fam, mdp, state, a, b, rewards in conj.structured(rng):
                runner.check_pair(fam, mdp, state, a, b, rewards)

        def random_phase():
            if max_states < 4 or random_pairs == 0:
                return
            result.families.append(f"random deterministic MDPs on 4..{max_states} states ({random_pairs} option-set pairs, "
                                   f"uniform successor sets, random split at s0), "
                                   f"{'3 random reward multisets' if conj.rewards is RewardFamily.ORDER_TYPES else rew}")
            n_random = 0
            try:
                while n_random < random_pairs:
                    k = int(rng.integers(4, max_states + 1))
                    masks = [int(rng.integers(1, 2**k)) for _ in range(k)]
                    mdp = _mdp_from_masks(masks)
                    acts = mdp.actions("s0")
                    if len(acts) < 2:
                        continue
                    splits = _splits(acts)
                    a, b = splits[int(rng.integers(len(splits)))]
                    if conj.rewards is RewardFamily.ORDER_TYPES:
                        rewards = [sorted(rng.integers(0, k, size=k).tolist()) for _ in range(3)]
                    else:
                        rewards = [_generic(k, rng) for _ in range(2)]
                    runner.check_pair(f"random deterministic MDPs on 4..{max_states} states", mdp, "s0", a, b, rewards)
                    n_random += 1
            finally:
                result.phases["random"] = f"{n_random} of {random_pairs} random option-set pairs"

        def hypothesis_phase():
            nonlocal found
            if hypothesis_examples > 0:
                found = _hypothesis_phase(conj, runner, max_states, seed, hypothesis_examples, result)
                if "skipped" not in result.phases.get("hypothesis", "skipped"):
                    result.families.append(f"hypothesis-generated deterministic MDPs on 2..{max(2, min(max_states, 6))} "
                                           f"states ({hypothesis_examples} examples, seed {seed})"
                                           + (" [stopped here by the case cap: partial]" if result.cap_reached else ""))

        table = {"exhaustive": exhaustive, "structured": structured, "random": random_phase, "hypothesis": hypothesis_phase}
        for phase in order:
            if runner.cap_reached():
                result.cap_reached = True
                result.phases.setdefault("not run (case cap reached)", []).append(phase)
                continue
            _current["phase"] = phase
            table[phase]()
            if found is not None:
                break
    except _Out:
        result.cap_reached = True
        done = False
        for phase in order:  # phases after the interrupted one did not run
            if done:
                result.phases.setdefault("not run (case cap reached)", []).append(phase)
            done = done or phase == _current["phase"]
        if result.families:
            result.families[-1] += " [stopped here by the case cap: partial]"
    except _Found as f:
        found = f.case
    if found is not None:
        later = order[order.index(_current["phase"]) + 1:]
        if later:
            result.phases["not run (counterexample found)"] = list(later)
        stats = {}
        small = shrink(conj, found, max_steps=shrink_steps, stats=stats)
        result.shrink = stats
        result.counterexample = counterexample_record(conj, small if small is not None else found)
    result.seconds = time.perf_counter() - t0
    return result
