"""An independent brute-force orbit vote: every permutation, every policy, exact fractions.

Used to re-check counterexamples and to test the census against the orbit engine. It shares
nothing with :mod:`workbench.power._orbits` or :mod:`workbench.power._visits`: options are the
trajectories of deterministic stationary policies from the state (a path then a cycle, found by
walking the successor graph), the orbit is the set of distinct vectors ``r∘σ`` over all ``n!``
permutations ``σ`` (``itertools.permutations``), and values are exact:

* average: the mean reward on the cycle;
* discounted(γ): ``sum_{t<k} γ^t r(x_t) + γ^k/(1-γ^L) sum_{j<L} γ^j r(c_j)`` in fractions;
* Blackwell: two values ``N_1/(1-γ^{L_1})`` and ``N_2/(1-γ^{L_2})`` are compared by the sign,
  just below γ = 1, of the polynomial ``N_1 (1-γ^{L_2}) - N_2 (1-γ^{L_1})`` (the denominators
  are positive there): the lowest non-zero coefficient of its expansion in ``x = 1 - γ``.

Cost: ``n!`` permutations times the number of trajectories; meant for a few states.

Examples
--------
>>> from workbench.power import MDP
>>> m = MDP.from_successors({"start": ["candy", "wait"], "wait": ["chocolate", "hug"],
...     "candy": ["candy"], "chocolate": ["chocolate"], "hug": ["hug"]})
>>> brute_force_vote(m, "start", ["candy"], ["wait"], [0, 0, 3, 2, 1])
(20, 40, 0, 60)
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

from workbench._errors import WorkbenchError

__all__ = ["brute_force_vote", "trajectories", "BRUTE_FORCE_MAX_STATES"]

#: Most states the brute force accepts (``n!`` permutations).
BRUTE_FORCE_MAX_STATES = 9


def _succ(mdp, s):
    out = []
    for dist in mdp.transitions[s].values():
        if len(dist) != 1:
            raise WorkbenchError(f"brute force: state {s!r} has a stochastic action; it handles deterministic MDPs only")
        out.append(next(iter(dist)))
    return out


def trajectories(mdp, state, first) -> set:
    """Every (path, cycle) of a deterministic stationary policy from ``state`` whose first
    action is in ``first``, as tuples of state indices."""
    idx = {s: i for i, s in enumerate(mdp.states)}
    out = set()

    def walk(path, chosen):
        s = path[-1]
        nxts = [chosen[s]] if s in chosen else _succ(mdp, s)
        for t in nxts:
            ch = dict(chosen)
            ch[s] = t
            if t in path:
                i = path.index(t)
                out.add((tuple(idx[x] for x in path[:i]), tuple(idx[x] for x in path[i:])))
            else:
                walk(path + [t], ch)

    for a in first:
        t = next(iter(mdp.transitions[state][a]))
        if t == state:
            out.add(((), (idx[state],)))
        else:
            walk([state, t], {state: t})
    return out


def _poly_sub(p, q):
    n = max(len(p), len(q))
    return [(p[i] if i < len(p) else 0) - (q[i] if i < len(q) else 0) for i in range(n)]


def _poly_mul(p, q):
    out = [Fraction(0)] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        for j, b in enumerate(q):
            out[i + j] += a * b
    return out


def _numerator(traj, r):
    """``N(γ)`` with value ``N(γ)/(1-γ^L)``, as coefficients in γ."""
    path, cycle = traj
    k, L = len(path), len(cycle)
    # sum_{t<k} γ^t r_t (1 - γ^L) + γ^k sum_j γ^j r_cj
    head = [Fraction(r[x]) for x in path]
    n = [Fraction(0)] * (k + L)
    for t, v in enumerate(head):
        n[t] += v
        n[t + L] -= v
    for j, x in enumerate(cycle):
        n[k + j] += Fraction(r[x])
    return n, L


def _blackwell_cmp(u, v) -> int:
    (n1, l1), (n2, l2) = u, v
    one_minus = lambda L: [Fraction(1)] + [Fraction(0)] * (L - 1) + [Fraction(-1)]  # noqa: E731
    p = _poly_sub(_poly_mul(n1, one_minus(l2)), _poly_mul(n2, one_minus(l1)))
    # coefficients of p(1 - x): sum_i p_i (1-x)^i
    q = [Fraction(0)] * len(p)
    for i, c in enumerate(p):
        if c:
            for j in range(i + 1):
                q[j] += c * math.comb(i, j) * (-1) ** j
    for c in q:
        if c:
            return 1 if c > 0 else -1
    return 0


def _value_key(criterion):
    name = getattr(criterion, "name", criterion)
    if name == "average":
        return lambda traj, r: Fraction(sum(Fraction(r[x]) for x in traj[1]), len(traj[1]))
    if name == "discounted":
        g = Fraction(criterion.gamma)

        def disc(traj, r):
            path, cycle = traj
            head = sum((g**t * Fraction(r[x]) for t, x in enumerate(path)), Fraction(0))
            tail = sum((g**j * Fraction(r[x]) for j, x in enumerate(cycle)), Fraction(0))
            return head + g ** len(path) / (1 - g ** len(cycle)) * tail
        return disc
    if name == "blackwell":
        from functools import cmp_to_key

        key = cmp_to_key(_blackwell_cmp)
        return lambda traj, r: key(_numerator(traj, r))
    raise WorkbenchError(f"brute force: unknown criterion {name!r}")


def brute_force_vote(mdp, state, a, b, reward, criterion=None) -> tuple:
    """``(a_strict, b_strict, tie, orbit_size)`` over the distinct permutations of ``reward``.

    ``criterion``: an ``Average``/``Blackwell``/``Discounted`` object (default average).
    """
    if mdp.n_states > BRUTE_FORCE_MAX_STATES:
        raise WorkbenchError(f"brute force: {mdp.n_states} states, more than {BRUTE_FORCE_MAX_STATES}")
    key = _value_key(criterion or "average")
    ta, tb = trajectories(mdp, state, a), trajectories(mdp, state, b)
    counts = [0, 0, 0]
    for rr in set(itertools.permutations([Fraction(x) for x in reward])):
        va = max(key(t, rr) for t in ta)
        vb = max(key(t, rr) for t in tb)
        counts[0 if va > vb else 1 if vb > va else 2] += 1
    return (counts[0], counts[1], counts[2], sum(counts))
