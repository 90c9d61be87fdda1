"""Counterexamples: the check of one case, greedy shrinking, and the reproducible record."""

from __future__ import annotations

from fractions import Fraction

from workbench._errors import WorkbenchError
from workbench.power._lab.hypotheses import _fs
from workbench.power._lab.registry import DEFAULT_SHRINK_STEPS, VOTE_METHOD, Conjecture, RewardFamily
from workbench.power._mdp.mdp import MDP, dumps_mdp
from workbench.power._orbits.votes import orbit_vote

__all__ = ["is_counterexample", "shrink", "counterexample_record"]


def is_counterexample(conj: Conjecture, mdp, state, a, b, reward, crit) -> bool:
    try:
        hyp = conj.hypotheses(mdp, state, list(a), list(b), crit)
        if hyp is None:
            return False
        v = orbit_vote(mdp, state, list(a), list(b), list(reward), crit, method=VOTE_METHOD)
    except WorkbenchError:
        return False
    return not conj.holds(v, hyp)


def shrink(conj: Conjecture, case, *, max_steps: int = DEFAULT_SHRINK_STEPS, stats: dict | None = None):
    """Greedy shrinking of a counterexample: drop states, edges, actions of A/B, lower rewards.

    At most ``max_steps`` candidates are evaluated (a count, so the result never depends on the
    machine). ``stats``, if given, receives ``steps`` (candidates evaluated), ``max_steps`` and
    ``complete`` (a local minimum was reached: no single step shrinks it further).
    """
    stats = {} if stats is None else stats
    stats.update(steps=0, max_steps=max_steps, complete=False)
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

    class _Spent(Exception):
        pass

    def ok(c):
        if c is None:
            return False
        if stats["steps"] >= max_steps:
            raise _Spent
        stats["steps"] += 1
        return is_counterexample(conj, *c)

    try:
        changed = True
        while changed:
            changed = False
            for s in list(succ):  # drop a state (and every edge into it)
                if s == state or (s in a and len(a) == 1) or (s in b and len(b) == 1):
                    continue
                s2 = {u: [t for t in ts if t != s] for u, ts in succ.items() if u != s}
                if any(not ts for ts in s2.values()):
                    continue
                a2, b2 = [x for x in a if x != s], [x for x in b if x != s]
                if a2 and b2 and ok(build(s2, values, a2, b2)):
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
            # lower one reward value to the next smaller value present (or 0); generic rewards must stay tie-free
            distinct = sorted(set(values[s] for s in succ))
            for s in (succ if conj.rewards is not RewardFamily.GENERIC else ()):
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
        stats["complete"] = True
    except _Spent:
        pass
    return build(succ, values, a, b)


def counterexample_record(conj: Conjecture, case) -> dict:
    mdp, state, a, b, reward, crit = case
    hyp = conj.hypotheses(mdp, state, list(a), list(b), crit)
    v = orbit_vote(mdp, state, list(a), list(b), list(reward), crit, method=VOTE_METHOD)
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
