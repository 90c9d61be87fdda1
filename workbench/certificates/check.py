"""Independent checker of the certificates in a ``workbench verify`` report folder.

Usage: ``python -m workbench.certificates.check REPORT_DIR`` (exit status 0 when no certificate
fails, 1 otherwise). It reads ``REPORT_DIR/certificates/*.json`` and uses only the Python
standard library and :mod:`fractions`; it imports no other ``workbench`` module, and re-derives
everything it checks from the MDP text in the certificate:

- the MDP is parsed from its TOML (``tomllib``); only *deterministic* MDPs are supported (every
  action leads to one state with probability 1);
- the recurrent state distributions (RSDs) of the policies whose first action at ``state`` is in
  ``a`` (or ``b``) are enumerated by its own depth-first search over lassos (a simple path, then a
  simple cycle): each RSD is the uniform distribution on the lasso's cycle, kept as the set of
  cycle states (two RSDs are equal exactly when their cycles have the same states);
- the **average-reward** value of an RSD under a reward ``r`` is the exact mean of ``r`` over its
  cycle (``Fraction``); a set's value is its best RSD's value.

Kinds of certificate:

``copies`` (RSD level)
    Each involution is a product of disjoint transpositions of existing states; with ``A`` the
    RSD options the copies are of and ``B`` the RSDs of ``b``: ``φ_i·A ⊆ B``, ``φ_i·A ≠ A`` (an
    involution fixing A is degenerate, like the identity), and ``φ_i·B_j = B_j`` for every other
    copy ``B_j = φ_j·A``; ``n`` is the number of involutions. ``A`` is every RSD of ``a`` unless the
    certificate names a subset (the non-dominated ones): then each named option must be an RSD of
    ``a``. With a ``non_domination`` section (below) the named subset must be exactly the
    certified non-dominated options; without one, the domination of the others is reported as
    not re-checked.
``non_domination`` (RSD level; standalone, or the ``non_domination`` section of a copies
    certificate)
    ``ND(X)`` is the set of options that are the strict unique maximum of ``r·f`` for some reward
    ``r`` (the vertices of ``conv(X)``). ``options`` must be exactly the RSDs of ``a`` (cycle
    states; each RSD is uniform on them). Each option has one witness: a vertex's ``reward`` (by
    state, absent states 0; exact integers or ``"p/q"`` strings) gives it a strictly larger mean
    than every other option; a dominated option's ``weights`` (by option index, over the *other*
    options) are non-negative, sum to 1 and reproduce it exactly, ``sum_j w_j f_j = f`` (equality
    of vectors, not a componentwise bound).
``counterexample`` (average reward)
    The orbit vote of ``reward`` (state order of the TOML) is recomputed by brute force over every
    *distinct* permutation of the reward vector (at most :data:`MAX_ORBIT` of them) and must equal
    the certified counts; the certified fraction (``strict`` or ``weak`` for B) must be below the
    certified bound; an embedded ``copies`` certificate is checked as above.

Anything else (stochastic MDPs, visit-distribution-level copies, discounted or Blackwell votes,
orbits above the cap) is reported as ``unchecked`` with the reason, never as passed.
"""

from __future__ import annotations

import itertools
import json
import sys
import tomllib
from collections import Counter
from fractions import Fraction
from pathlib import Path

#: Largest orbit the brute-force vote enumerates.
MAX_ORBIT = 2_000_000

__all__ = ["check_certificate", "check_files", "check_report", "main", "MAX_ORBIT"]


class Unsupported(Exception):
    """The certificate is outside what this checker can verify."""


# --- the MDP -------------------------------------------------------------------------------------

def _parse_mdp(text: str):
    data = tomllib.loads(text)
    states = data.get("states")
    if not isinstance(states, dict) or not states:
        raise ValueError("the MDP has no [states] table")
    succ = {}
    for s, acts in states.items():
        if isinstance(acts, list):  # simple form: each action is named after its successor
            succ[s] = {str(t): str(t) for t in acts}
            continue
        if not isinstance(acts, dict):
            raise ValueError(f"state {s!r}: actions must be a list or a table")
        succ[s] = {}
        for a, dist in acts.items():
            if not isinstance(dist, dict) or len(dist) != 1 or Fraction(str(next(iter(dist.values())))) != 1:
                raise Unsupported("stochastic MDP (only deterministic MDPs are supported)")
            succ[s][a] = next(iter(dist))
    order = list(states)
    for s, acts in succ.items():
        for t in acts.values():
            if t not in succ:
                raise ValueError(f"state {s!r} leads to unknown state {t!r}")
    return order, succ


def rsds(succ, state, actions) -> set:
    """RSDs (as frozensets of cycle states) of the policies whose first action at ``state`` is in
    ``actions``: every lasso from ``state``, by depth-first search over simple paths."""
    actions = set(actions)
    unknown = actions - set(succ[state])
    if unknown:
        raise ValueError(f"state {state!r} has no action(s) {sorted(unknown)}")
    out = set()

    def walk(path):
        here = path[-1]
        nexts = [t for a, t in succ[here].items() if len(path) > 1 or a in actions]
        for t in set(nexts):
            if t in path:
                out.add(frozenset(path[path.index(t):]))
            else:
                walk(path + [t])

    walk([state])
    return out


# --- copies -------------------------------------------------------------------------------------

def _involution(pairs, states):
    m = {}
    for pair in pairs:
        if len(pair) != 2 or pair[0] == pair[1]:
            raise ValueError(f"{pair} is not a transposition of two states")
        x, y = pair
        if x not in states or y not in states:
            raise ValueError(f"{pair} names a state the MDP does not have")
        if x in m or y in m:
            raise ValueError(f"transpositions {pairs} are not disjoint")
        m[x], m[y] = y, x
    return m


def _apply(phi, options):
    return frozenset(frozenset(phi.get(x, x) for x in o) for o in options)


def _check_copies(cert, order, succ) -> tuple[list, list]:
    """(failures, notes) of a copies certificate."""
    if cert.get("level", "rsd") != "rsd":
        raise Unsupported(f"copies at the {cert.get('level')} level (only RSD copies are supported)")
    state, a, b = cert["state"], cert["a"], cert["b"]
    A_all, B = rsds(succ, state, a), rsds(succ, state, b)
    fails, notes = [], []
    nd = cert.get("non_domination")
    vertices = None
    if nd is not None:
        f2, n2, vertices = _check_non_domination(nd, order, succ, state, a)
        fails += [f"non-domination: {x}" for x in f2]
        notes += n2
    if cert.get("a_options") is not None:
        A = frozenset(frozenset(o) for o in cert["a_options"])
        if not A <= A_all:
            fails.append("a listed option of A is not an RSD of the first actions a")
        left_out = len(A_all - A)
        if vertices is not None:
            if A != vertices:
                fails.append("the listed options of A are not the non-dominated ones the witnesses certify")
        elif left_out:
            notes.append(f"copies of {len(A)} non-dominated options of A; the domination of the other {left_out} is "
                         "taken from the certificate (not re-checked)")
    else:
        A = frozenset(A_all)
    phis = [_involution(p, set(order)) for p in cert["involutions"]]
    copies = [_apply(phi, A) for phi in phis]
    for i, (phi, Bi) in enumerate(zip(phis, copies)):
        name = f"phi_{i + 1}"
        if not Bi <= B:
            fails.append(f"{name}.A is not inside B")
        if Bi == A:
            fails.append(f"{name}.A = A (degenerate)")
        for j, Bj in enumerate(copies):
            if j != i and _apply(phi, Bj) != Bj:
                fails.append(f"{name} moves copy {j + 1}")
    if "n" in cert and cert["n"] != len(phis):
        fails.append(f"n = {cert['n']} but {len(phis)} involutions are given")
    if not phis:
        fails.append("no involution: n = 0 certifies nothing")
    notes.insert(0, f"n = {len(phis)}: every phi_i is an involution with phi_i.A inside B ({len(B)} RSDs), phi_i.A != A "
                    f"and the other copies fixed ({len(A)} RSD options in A)")
    return fails, notes


# --- non-domination ---------------------------------------------------------------------------

def _fraction(x) -> Fraction:
    if isinstance(x, float):
        raise ValueError(f"{x!r} is a float; witnesses must be exact (integers or 'p/q' strings)")
    return Fraction(str(x))


def _mean(reward, option) -> Fraction:
    return Fraction(sum((reward.get(x, Fraction(0)) for x in option), Fraction(0)), len(option))


def _uniform(option, order) -> tuple:
    return tuple(Fraction(1, len(option)) if x in option else Fraction(0) for x in order)


def _check_non_domination(nd, order, succ, state, a) -> tuple[list, list, frozenset]:
    """(failures, notes, the certified vertex options) of non-domination witnesses at the RSD level.

    ``nd["options"]`` must be exactly the RSDs of ``a`` (each the uniform distribution on its
    listed cycle states). Each option needs one witness: a vertex's ``reward`` (by state, absent
    states 0) must give it a strictly larger mean than every other option; a dominated option's
    ``weights`` (over the *other* options, by index) must be non-negative, sum to 1 and reproduce it
    exactly: ``sum_j w_j f_j = f`` as vectors over the states."""
    if nd.get("level", "rsd") != "rsd":
        raise Unsupported(f"non-domination at the {nd.get('level')} level (only RSDs are supported)")
    options = [frozenset(o) for o in nd["options"]]
    fails = []
    if len(set(options)) != len(options):
        fails.append("an option is listed twice")
    derived = rsds(succ, state, a)
    if set(options) != derived:
        fails.append(f"the options listed ({len(set(options))}) are not the {len(derived)} RSDs of the first actions a")
    witnessed = Counter()
    vertices = set()
    for v in nd.get("vertices", []):
        i = int(v["option"])
        witnessed[i] += 1
        reward = {str(s): _fraction(x) for s, x in v["reward"].items()}
        if set(reward) - set(order):
            fails.append(f"option {i}: the reward names a state the MDP does not have")
        top = _mean(reward, options[i])
        if not all(_mean(reward, o) < top for j, o in enumerate(options) if j != i):
            fails.append(f"option {i}: its reward does not make it the strict unique maximum")
        vertices.add(options[i])
    for d in nd.get("dominated", []):
        i = int(d["option"])
        witnessed[i] += 1
        weights = {int(j): _fraction(w) for j, w in d["weights"].items()}
        if i in weights or any(not 0 <= j < len(options) for j in weights):
            fails.append(f"option {i}: its weights must be over the other options")
            continue
        if any(w < 0 for w in weights.values()) or sum(weights.values()) != 1:
            fails.append(f"option {i}: the weights are not convex (non-negative, summing to 1)")
        combo = [sum((w * c for w, c in zip(weights.values(), col)), Fraction(0))
                 for col in zip(*(_uniform(options[j], order) for j in weights))] if weights else []
        if combo != list(_uniform(options[i], order)):
            fails.append(f"option {i}: the weighted sum of the other options is not the option")
    missing = [i for i in range(len(options)) if witnessed[i] != 1]
    if missing:
        fails.append(f"options {missing} have no witness or more than one")
    notes = [f"non-domination: {len(vertices)} of the {len(options)} RSD options of a are strict unique maxima for their "
             f"certified rewards; the other {len(options) - len(vertices)} are exact convex combinations of the others"]
    return fails, notes, frozenset(vertices)


def _check_non_domination_certificate(cert, order, succ) -> tuple[list, list]:
    fails, notes, _ = _check_non_domination(cert, order, succ, cert["state"], cert["a"])
    return fails, notes


# --- votes --------------------------------------------------------------------------------------

def _distinct_permutations(values):
    """Every distinct arrangement of ``values`` (multiset permutations, in lexicographic order)."""
    items = sorted(values)
    n = len(items)
    while True:
        yield tuple(items)
        i = n - 2
        while i >= 0 and items[i] >= items[i + 1]:
            i -= 1
        if i < 0:
            return
        j = n - 1
        while items[j] <= items[i]:
            j -= 1
        items[i], items[j] = items[j], items[i]
        items[i + 1:] = reversed(items[i + 1:])


def _orbit_size(values) -> int:
    from math import factorial

    out = factorial(len(values))
    for m in Counter(values).values():
        out //= factorial(m)
    return out


def average_vote(order, succ, state, a, b, reward) -> dict:
    """Brute-force orbit vote under average reward: counts over the distinct permutations."""
    A, B = rsds(succ, state, a), rsds(succ, state, b)
    idx = {s: i for i, s in enumerate(order)}
    A = [[idx[x] for x in o] for o in A]
    B = [[idx[x] for x in o] for o in B]
    reward = [Fraction(str(x)) for x in reward]
    if len(reward) != len(order):
        raise ValueError(f"the reward has {len(reward)} values for {len(order)} states")
    size = _orbit_size(reward)
    if size > MAX_ORBIT:
        raise Unsupported(f"orbit of {size:,} elements is above the brute-force cap {MAX_ORBIT:,}")
    counts = {"a_strict": 0, "b_strict": 0, "tie": 0}
    for r in _distinct_permutations(reward):
        va = max(Fraction(sum(r[x] for x in o), len(o)) for o in A)
        vb = max(Fraction(sum(r[x] for x in o), len(o)) for o in B)
        counts["a_strict" if va > vb else "b_strict" if vb > va else "tie"] += 1
    counts["orbit_size"] = size
    return counts


def _check_counterexample(cert, order, succ) -> tuple[list, list]:
    if "average" not in cert.get("criterion", ""):
        raise Unsupported(f"criterion {cert.get('criterion')!r} (only average reward is supported)")
    got = average_vote(order, succ, cert["state"], cert["a"], cert["b"], cert["reward"])
    claimed = cert["vote"]
    fails = [f"{k}: certified {claimed[k]}, recomputed {got[k]}" for k in ("a_strict", "b_strict", "tie", "orbit_size")
             if int(claimed[k]) != got[k]]
    kind = cert.get("fraction", "weak")
    frac = Fraction(got["b_strict"] + (got["tie"] if kind == "weak" else 0), got["orbit_size"])
    bound = Fraction(str(cert["bound"]))
    if not frac < bound:
        fails.append(f"the {kind} fraction for B, {frac}, is not below the bound {bound}")
    notes = [f"vote {got['b_strict']}/{got['a_strict']}/{got['tie']} of {got['orbit_size']} (B/A/tie) recomputed by brute "
             f"force; {kind} fraction {frac} < {bound}"]
    if cert.get("copies") is not None:
        f2, n2 = _check_copies({**cert["copies"], "state": cert["state"], "a": cert["a"], "b": cert["b"]}, order, succ)
        fails += [f"copies: {x}" for x in f2]
        notes += n2
    return fails, notes


# --- files --------------------------------------------------------------------------------------

def check_certificate(cert: dict) -> dict:
    """``{"status": "passed" | "failed" | "unchecked", "messages": [...]}`` for one certificate."""
    try:
        order, succ = _parse_mdp(cert["mdp"])
        kind = cert.get("kind")
        if kind == "copies":
            fails, notes = _check_copies(cert, order, succ)
        elif kind == "counterexample":
            fails, notes = _check_counterexample(cert, order, succ)
        elif kind == "non_domination":
            fails, notes = _check_non_domination_certificate(cert, order, succ)
        else:
            raise Unsupported(f"certificate kind {kind!r}")
    except Unsupported as exc:
        return {"status": "unchecked", "messages": [str(exc)]}
    except (KeyError, IndexError, ValueError, TypeError, tomllib.TOMLDecodeError) as exc:
        return {"status": "failed", "messages": [f"malformed certificate: {type(exc).__name__}: {exc}"]}
    return {"status": "failed" if fails else "passed", "messages": fails or notes}


def check_files(paths) -> dict:
    """Check certificate files; a summary with per-file results (names relative to their folder)."""
    results = {}
    for p in sorted(Path(x) for x in paths):
        try:
            cert = json.loads(p.read_text())
        except (OSError, json.JSONDecodeError) as exc:
            results[p.name] = {"status": "failed", "messages": [f"unreadable: {exc}"]}
            continue
        results[p.name] = check_certificate(cert)
    count = Counter(r["status"] for r in results.values())
    return {"checker": "python -m workbench.certificates.check (standard library and fractions only)",
            "supports": "deterministic MDPs; RSD-level copies and non-domination witnesses; counterexample votes under average reward "
                        f"(brute force over at most {MAX_ORBIT:,} distinct permutations)",
            "files": len(results), "passed": count["passed"], "failed": count["failed"],
            "unchecked": count["unchecked"], "results": results}


def check_report(report_dir) -> dict:
    """Check every ``certificates/*.json`` of a report folder."""
    return check_files(sorted((Path(report_dir) / "certificates").glob("*.json")))


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m workbench.certificates.check REPORT_DIR", file=sys.stderr)
        return 2
    folder = Path(argv[0]) / "certificates"
    if not folder.is_dir():
        print(f"{argv[0]}: no certificates/ folder", file=sys.stderr)
        return 2
    summary = check_report(argv[0])
    for name, r in summary["results"].items():
        print(f"{r['status']:9s} {name}" + "".join(f"\n          {m}" for m in r["messages"]))
    print(f"{summary['files']} certificates: {summary['passed']} passed, {summary['failed']} failed, "
          f"{summary['unchecked']} unchecked")
    return 1 if summary["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
