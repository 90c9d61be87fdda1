"""Check a user's conjecture, written as a Python predicate, on the census family and random MDPs.

A conjecture file defines ``holds(case) -> bool``. A :class:`ConjectureCase` carries the MDP,
the state (the root ``s0``), the option sets ``a`` and ``b`` (first actions), the reward (in
the MDP's state order), the criterion and the exact orbit vote (``.vote.a_strict``,
``.vote.b_strict``, ``.vote.tie``, ``.vote.orbit_size``, ``.vote.weak_fraction_b``).

:func:`check_conjecture` runs ``holds`` on

1. the census family: every rooted deterministic MDP with ``1..max_states`` states up to
   isomorphism, every ordered split of the root's actions into disjoint non-empty sets (one per
   automorphism orbit), every order type with values ``0..n-1`` and ``generic`` distinct
   rational vectors (seed ``seed``), every criterion given;
2. random rooted deterministic MDPs on ``2..max(max_states + 2, 6)`` states (``seed``), a random
   disjoint split and an order-type or generic reward each, until ``max_cases`` cases in all.

Every bound is a count, so the same arguments give the same result on any machine. The first
failing case is shrunk greedily (drop a state, an edge, an action of A or B, lower a reward
value; the moves of the lab's shrinker, re-implemented because the lab's predicate does not see
the reward), then re-checked by :func:`~workbench.power._census.brute.brute_force_vote` (every
permutation, every policy, exact fractions), which shares no code with the orbit engine: the
counterexample is reported only if ``holds`` also fails on the brute-force vote.

Examples
--------
>>> from fractions import Fraction
>>> res = check_conjecture(lambda case: case.vote.weak_fraction_b >= Fraction(1, 2), max_states=2, max_cases=50)
>>> res.counterexample["summary"]
"3-state MDP, A = ['s1'], B = ['s0'], reward [0, 1, 0], average: vote A 2 | B 1 | tie 0 of 3 (brute force agrees)"
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from workbench._errors import WorkbenchError
from workbench.power._census.brute import brute_force_vote
from workbench.power._census.census import _crit_name, _fs, generic_rewards, order_type_rewards, root_splits
from workbench.power._census.enumeration import MAX_CENSUS_STATES, is_rooted, rooted_mdp_classes
from workbench.power._mdp.mdp import MDP, dumps_mdp
from workbench.power._visits.criteria import Average

__all__ = ["ConjectureCase", "CheckResult", "check_conjecture", "load_conjecture_file", "DEFAULT_CHECK_CASES"]

DEFAULT_CHECK_CASES = 20_000
_SHRINK_STEPS = 2_000


@dataclass(frozen=True)
class ConjectureCase:
    """One case a conjecture's ``holds(case)`` is asked about."""

    mdp: MDP
    state: str
    a: tuple
    b: tuple
    reward: tuple
    criterion: object
    vote: object

    def __repr__(self) -> str:
        return (f"ConjectureCase({self.mdp.n_states} states, A={list(self.a)}, B={list(self.b)}, "
                f"reward={[_fs(x) for x in self.reward]}, {_crit_name(self.criterion)}, vote={self.vote!r})")


def load_conjecture_file(path):
    """Import the Python file ``path`` and return its ``holds`` (one-line errors otherwise)."""
    p = Path(path)
    if not p.is_file():
        raise WorkbenchError(f"{path}: no such conjecture file")
    name = f"_workbench_conjecture_{abs(hash(str(p.resolve())))}"
    try:
        spec = importlib.util.spec_from_file_location(name, p)
        if spec is None or spec.loader is None:
            raise WorkbenchError(f"{path}: not a Python file")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except WorkbenchError:
        raise
    except BaseException as exc:  # the user's code: any failure is one line
        if isinstance(exc, KeyboardInterrupt):
            raise
        where = ""
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == str(p):
                where = f" (line {tb.tb_lineno})"
            tb = tb.tb_next
        line = getattr(exc, "lineno", None)
        if isinstance(exc, SyntaxError) and line:
            where = f" (line {line})"
        raise WorkbenchError(f"{path}: failed to import{where}: {type(exc).__name__}: {exc}") from None
    holds = getattr(module, "holds", None)
    if holds is None:
        raise WorkbenchError(f"{path}: defines no `holds(case) -> bool`")
    if not callable(holds):
        raise WorkbenchError(f"{path}: `holds` is not a function (define `def holds(case): ...`)")
    return holds


@dataclass(repr=False)
class CheckResult:
    """How a conjecture check ended: cases checked, the exact coverage, a counterexample or none."""

    cases_checked: int = 0
    exhaustive_cases: int = 0
    random_cases: int = 0
    exhaustive_complete: bool = False
    max_states: int = 0
    max_cases: int = 0
    seed: int = 0
    generic: int = 0
    criteria: tuple = ()
    classes: dict = field(default_factory=dict)
    counterexample: dict | None = None
    found_in: str = ""

    def coverage(self) -> str:
        crit = ", ".join(_crit_name(c) for c in self.criteria)
        sizes = ", ".join(f"{k} with {n} state{'s' * (int(n) > 1)}" for n, k in self.classes.items())
        ex = (f"every rooted deterministic MDP with 1..{self.max_states} states up to isomorphism (classes: {sizes}), "
              f"every ordered split of the root's actions into disjoint non-empty sets A, B, every order type with "
              f"values 0..n-1 and {self.generic} generic rational rewards (seed {self.seed}), criteria {crit}")
        if not self.exhaustive_complete:
            ex = f"the first {self.exhaustive_cases} cases of [{ex}] (stopped by the case cap {self.max_cases})"
        else:
            ex += f" ({self.exhaustive_cases} cases)"
        rnd = (f"; then {self.random_cases} random cases (rooted deterministic MDPs on 2..{_random_max(self.max_states)} "
               f"states, seed {self.seed})") if self.random_cases else ""
        return ex + rnd

    def __repr__(self) -> str:
        if self.counterexample is None:
            return f"CheckResult(no counterexample in {self.cases_checked} cases: {self.coverage()})"
        return f"CheckResult(counterexample: {self.counterexample['summary']})"

    def to_json(self) -> dict:
        return {"cases_checked": self.cases_checked, "coverage": self.coverage(), "counterexample": self.counterexample,
                "exhaustive_cases": self.exhaustive_cases, "random_cases": self.random_cases,
                "exhaustive_complete": self.exhaustive_complete, "classes": dict(self.classes),
                "max_states": self.max_states, "max_cases": self.max_cases, "seed": self.seed,
                "criteria": [_crit_name(c) for c in self.criteria], "generic_rewards": self.generic}


def _random_max(k: int) -> int:
    return max(k + 2, 6)


def _mdp(succ: dict, state="s0") -> MDP:
    return MDP.from_successors(succ, name="counterexample", start=state)


class _Stop(Exception):
    pass


def _vote(mdp, state, a, b, r, crit):
    from workbench.power._lab.registry import VOTE_METHOD
    from workbench.power._orbits.votes import orbit_vote

    return orbit_vote(mdp, state, list(a), list(b), list(r), crit, method=VOTE_METHOD)


def _fails(holds, mdp, state, a, b, r, crit, vote=None) -> bool:
    v = vote if vote is not None else _vote(mdp, state, a, b, r, crit)
    case = ConjectureCase(mdp, state, tuple(a), tuple(b), tuple(r), crit, v)
    try:
        return not holds(case)
    except Exception as exc:
        raise WorkbenchError(f"holds raised {type(exc).__name__}: {exc} on {case!r}") from None


def _reachable(succ, root):
    seen, todo = {root}, [root]
    while todo:
        for t in succ[todo.pop()]:
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return seen


def _shrink(holds, case, max_steps=_SHRINK_STEPS):
    mdp, state, a, b, r, crit = case
    succ = {s: [next(iter(d)) for d in mdp.transitions[s].values()] for s in mdp.states}
    values = dict(zip(mdp.states, r))
    a, b = list(a), list(b)
    steps = [0]

    def attempt(succ2, values2, a2, b2):
        if not a2 or not b2 or any(not ts for ts in succ2.values()):
            return None
        keep = _reachable(succ2, state)
        succ2 = {s: [t for t in ts if t in keep] for s, ts in succ2.items() if s in keep}
        a2, b2 = [x for x in a2 if x in keep], [x for x in b2 if x in keep]
        if not a2 or not b2 or any(not ts for ts in succ2.values()):
            return None
        if steps[0] >= max_steps:
            raise _Stop
        steps[0] += 1
        try:
            m = _mdp(succ2, state)
            rr = tuple(values2[s] for s in m.states)
            if _fails(holds, m, state, a2, b2, rr, crit):
                return succ2, values2, a2, b2
        except WorkbenchError as exc:
            if str(exc).startswith("holds raised"):
                return None
            return None
        return None

    complete = False
    try:
        while True:
            cand = None
            for s in list(succ):
                if s == state:
                    continue
                s2 = {u: [t for t in ts if t != s] for u, ts in succ.items() if u != s}
                cand = attempt(s2, values, [x for x in a if x != s], [x for x in b if x != s])
                if cand:
                    break
            if not cand:
                for u in list(succ):
                    for t in succ[u]:
                        if len(succ[u]) > 1 and not (u == state and (t in a or t in b)):
                            cand = attempt({x: [y for y in ts if (x, y) != (u, t)] for x, ts in succ.items()}, values, a, b)
                            if cand:
                                break
                    if cand:
                        break
            if not cand:
                for x in a + b:
                    a2 = [y for y in a if y != x] if x in a and len(a) > 1 else a
                    b2 = [y for y in b if y != x] if x in b and len(b) > 1 else b
                    if (a2, b2) != (a, b):
                        cand = attempt(succ, values, a2, b2)
                        if cand:
                            break
            if not cand:  # a simpler reward value: a smaller denominator, then a smaller magnitude
                simpler = lambda w, v: (Fraction(w).denominator, abs(w)) < (Fraction(v).denominator, abs(v))  # noqa: E731
                pool = sorted(set(values.values()) | set(range(len(succ))), key=lambda w: (Fraction(w).denominator, abs(w)))
                for s in succ:
                    for w in [w for w in pool if simpler(w, values[s])][:4]:
                        cand = attempt(succ, {**values, s: w}, a, b)
                        if cand:
                            break
                    if cand:
                        break
            if not cand:
                complete = True
                break
            succ, values, a, b = cand
    except _Stop:
        pass
    # rename the states s0, s1, ... in the order of a breadth-first walk from the root
    order, todo = [state], [state]
    while todo:
        for t in succ[todo.pop(0)]:
            if t not in order:
                order.append(t)
                todo.append(t)
    name = {s: f"s{i}" for i, s in enumerate(order)}
    succ = {name[s]: [name[t] for t in succ[s]] for s in order}
    values = {name[s]: values[s] for s in order}
    a, b, state = [name[x] for x in a], [name[x] for x in b], name[state]
    m = _mdp(succ, state)
    return (m, state, tuple(a), tuple(b), tuple(values[s] for s in m.states), crit), {"steps": steps[0],
                                                                                      "complete": complete}


def _record(holds, case, command_args, shrink_stats) -> dict:
    mdp, state, a, b, r, crit = case
    v = _vote(mdp, state, a, b, r, crit)
    bf = brute_force_vote(mdp, state, a, b, r, crit)
    if bf != (v.a_strict, v.b_strict, v.tie, v.orbit_size):
        raise WorkbenchError(f"the orbit engine and the brute force disagree on a counterexample: engine "
                             f"{(v.a_strict, v.b_strict, v.tie, v.orbit_size)}, brute force {bf}; please report this")
    from workbench.power._orbits.result import OrbitVote

    bvote = OrbitVote(*bf, criterion=v.criterion, method="exact")
    if not _fails(holds, mdp, state, a, b, r, crit, vote=bvote):
        raise WorkbenchError("holds fails on the engine's vote but not on the identical brute-force vote; "
                             "is holds deterministic?")
    rtxt = ",".join(_fs(x) for x in r)
    gamma = f" --gamma {_fs(crit.gamma)}" if crit.name == "discounted" else ""
    command = (f"workbench orbit counterexample.toml --state {state} --a {','.join(a)} --b {','.join(b)} "
               f"--reward {rtxt} --criterion {crit.name}{gamma}")
    desc = f"Counterexample found by workbench conjecture check. Reproduce the vote: {command}"
    m2 = MDP(states=mdp.states, transitions=mdp.transitions, name="counterexample", description=desc, start=state)
    summary = (f"{mdp.n_states}-state MDP, A = {list(a)}, B = {list(b)}, reward [{', '.join(_fs(x) for x in r)}], "
               f"{_crit_name(crit)}: vote A {v.a_strict} | B {v.b_strict} | tie {v.tie} of {v.orbit_size} "
               f"(brute force agrees)")
    return {"toml": dumps_mdp(m2), "command": command, "search_command": command_args, "state": state,
            "a": list(a), "b": list(b), "reward": [_fs(x) for x in r], "criterion": _crit_name(crit),
            "vote": {"a_strict": v.a_strict, "b_strict": v.b_strict, "tie": v.tie, "orbit_size": v.orbit_size,
                     "weak_fraction_b": _fs(v.weak_fraction_b)},
            "brute_force_vote": list(bf), "shrink": shrink_stats, "summary": summary}


def _random_case(rng, kmax):
    while True:
        k = int(rng.integers(2, kmax + 1))
        masks = [int(rng.integers(1, 2**k)) for _ in range(k)]
        if not is_rooted(masks) or bin(masks[0]).count("1") < 2:
            continue
        acts = [f"s{j}" for j in range(k) if masks[0] >> j & 1]
        side = rng.integers(0, 3, size=len(acts))  # 0: A, 1: B, 2: neither
        a = tuple(x for x, s in zip(acts, side) if s == 0)
        b = tuple(x for x, s in zip(acts, side) if s == 1)
        if not a or not b:
            continue
        succ = {f"s{i}": [f"s{j}" for j in range(k) if masks[i] >> j & 1] for i in range(k)}
        if rng.integers(2):
            r = sorted(int(x) for x in rng.integers(0, k, size=k))
            r = [int(x) for x in rng.permutation(r)]
        else:
            r = generic_rewards(k, 1, int(rng.integers(2**31)))[0]
        return _mdp(succ), "s0", a, b, r


def check_conjecture(holds, *, max_states: int = 3, max_cases: int = DEFAULT_CHECK_CASES, seed: int = 0,
                     criteria=(Average(),), generic: int = 2, command: str = "", progress=None) -> CheckResult:
    """Run ``holds(case)`` over the census family and random MDPs (see the module docstring).

    Returns a :class:`CheckResult`; its ``counterexample`` (shrunk, re-checked by brute force)
    has the MDP as ``mdps/`` TOML text and the ``workbench orbit`` command reproducing the vote.
    """
    if int(max_states) != max_states or not 1 <= max_states <= MAX_CENSUS_STATES:
        raise WorkbenchError(f"max_states must be between 1 and {MAX_CENSUS_STATES}, got {max_states}")
    if max_cases < 1:
        raise WorkbenchError(f"max_cases must be at least 1, got {max_cases}")
    criteria = tuple(criteria)
    res = CheckResult(max_states=max_states, max_cases=max_cases, seed=seed, generic=generic, criteria=criteria)
    found = None
    try:
        for n in range(1, max_states + 1):
            classes = list(rooted_mdp_classes(n))
            res.classes[str(n)] = len(classes)
            rewards = order_type_rewards(n) + generic_rewards(n, generic, seed)
            for cls in classes:
                mdp = None
                for a, b in root_splits(cls):
                    mdp = mdp or cls.mdp()
                    for crit in criteria:
                        for r in rewards:
                            if res.cases_checked >= max_cases:
                                raise _Stop
                            res.cases_checked += 1
                            res.exhaustive_cases += 1
                            if _fails(holds, mdp, "s0", a, b, r, crit):
                                found = (mdp, "s0", a, b, tuple(r), crit)
                                res.found_in = f"census family ({n} states, class {cls.id})"
                                raise _Stop
                if progress:
                    progress(res.cases_checked, max_cases)
        res.exhaustive_complete = True
        rng = np.random.default_rng(seed)
        kmax = _random_max(max_states)
        while res.cases_checked < max_cases:
            mdp, state, a, b, r = _random_case(rng, kmax)
            crit = criteria[int(rng.integers(len(criteria)))]
            res.cases_checked += 1
            res.random_cases += 1
            if _fails(holds, mdp, state, a, b, r, crit):
                found = (mdp, state, a, b, tuple(r), crit)
                res.found_in = "random MDPs"
                break
            if progress and res.random_cases % 200 == 0:
                progress(res.cases_checked, max_cases)
    except _Stop:
        pass
    if found is not None:
        small, stats = _shrink(holds, found)
        res.counterexample = _record(holds, small, command, stats)
        res.counterexample["found_in"] = res.found_in
    return res
