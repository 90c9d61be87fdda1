"""The lab's families of cases: all small deterministic MDPs (by successor masks), copies of small
gadgets behind two hubs, and their rewards."""

from __future__ import annotations

import itertools
from fractions import Fraction

from workbench.power._mdp.mdp import MDP

__all__ = ["GADGETS", "gadget_mdp"]

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
