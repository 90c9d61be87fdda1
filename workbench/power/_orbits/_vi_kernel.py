"""Compiled policy iteration per reward sample for POWER on deterministic MDPs (numba), in cache.

Imported only by :class:`~workbench.power._orbits.value_iteration.ValueIterationKernel` when
the work is large enough to pay for loading numba (``import workbench.power`` never loads it);
compiled once and kept in numba's cache (``cache=True``). The stopping rule and its error
bound are derived in :mod:`workbench.power._orbits.value_iteration`.

Policy iteration per sample (Puterman §6.4): the policy is evaluated exactly by walking its
functional graph (each state's path ends in a cycle, whose value is a geometric sum), improved
greedily (an action changes only on a strict improvement, so the iteration cannot cycle), and
the MacQueen bound of one Bellman step from the evaluated values decides when to stop (a stable
policy is optimal, so its bound is at the rounding level; if that is still above ``tol``,
value-iteration steps follow).

A sample whose bound does not reach ``tol`` within ``max_steps`` (only when ``tol`` is below
the rounding error) gets ``steps = -1``; the caller reports it.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__: list = []


@njit(cache=True, nogil=True)
def _evaluate(r, pol, gamma, V, mark, stack):
    """``V = r + γ V[pol]`` exactly (up to rounding) for a deterministic policy ``pol``."""
    n = len(r)
    for i in range(n):
        mark[i] = 0
    for i0 in range(n):
        if mark[i0] == 2:
            continue
        top = 0
        x = i0
        while mark[x] == 0:  # follow the policy until a known state or a new cycle
            mark[x] = 1
            stack[top] = x
            top += 1
            x = pol[x]
        if mark[x] == 1:  # x starts a cycle: stack[p:top]
            p = top - 1
            while stack[p] != x:
                p -= 1
            acc = 0.0
            gp = 1.0
            for q in range(p, top):
                acc += gp * r[stack[q]]
                gp *= gamma
            V[x] = acc / (1.0 - gp)
            nxt = x
            for q in range(top - 1, p, -1):
                y = stack[q]
                V[y] = r[y] + gamma * V[nxt]
                nxt = y
            for q in range(p, top):
                mark[stack[q]] = 2
            top = p
        for q in range(top - 1, -1, -1):  # the path into the known part, backwards
            y = stack[q]
            V[y] = r[y] + gamma * V[pol[y]]
            mark[y] = 2


@njit(cache=True, nogil=True)
def deterministic_columns(R, succ, s, gamma, tol, margin, max_steps, out, steps):
    """Policy iteration per row of ``R`` (samples x states); ``succ[k, i]`` is the successor of
    state ``i`` under its action slot ``k``. Writes the integrand estimates to ``out`` and the
    improvement steps per sample to ``steps``. ``margin``: the rounding allowance per unit of
    ``max |W|`` (``value_iteration.rounding_margin``)."""
    B, n = R.shape
    slots = succ.shape[0]
    V = np.empty(n)
    W = np.empty(n)
    pol = np.empty(n, np.int64)
    mark = np.empty(n, np.int64)
    stack = np.empty(n, np.int64)
    for b in range(B):
        r = R[b]
        for i in range(n):  # greedy in the immediate reward: the policy of one value-iteration step
            best = succ[0, i]
            for k in range(1, slots):
                j = succ[k, i]
                if r[j] > r[best]:
                    best = j
            pol[i] = best
        step = 0
        changed = True
        while True:
            step += 1
            if changed:
                _evaluate(r, pol, gamma, V, mark, stack)
            else:  # a stable policy is optimal; only rounding is left: value-iteration steps
                for i in range(n):
                    V[i] = W[i]
            lo = np.inf
            hi = -np.inf
            big = 0.0
            best_s = 0.0
            changed = False
            for i in range(n):
                bj = pol[i]
                m = V[bj]
                for k in range(slots):
                    j = succ[k, i]
                    if V[j] > m:
                        m = V[j]
                        bj = j
                if i == s:
                    best_s = m
                w = r[i] + gamma * m
                W[i] = w
                d = w - V[i]
                lo = min(lo, d)
                hi = max(hi, d)
                big = max(big, abs(w))
                if bj != pol[i]:
                    pol[i] = bj
                    changed = True
            slack = margin * big
            if 0.5 * (hi - lo) + slack <= tol:
                out[b] = (1.0 - gamma) * best_s + 0.5 * (lo + hi)
                steps[b] = step
                break
            if step >= max_steps:
                out[b] = np.nan
                steps[b] = -1
                break
