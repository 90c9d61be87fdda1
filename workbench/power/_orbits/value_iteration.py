"""Value iteration batched over reward samples: the per-sample POWER integrand without visit sets.

For each reward sample ``r`` (a column of ``R``), ``V <- r + γ max_a T_a V`` from ``V = r``,
all columns of a block at once, until the block's sup-norm change is below ``tol``. Then
``|(1-γ)/γ (V(s) - V*(s))| <= (1-γ)/γ · γ/(1-γ) · ||V_k - V_{k-1}|| < tol`` (the contraction
bound), so every per-sample value ``(1-γ)/γ (V(s) - r(s))`` is within ``tol`` of the exact
integrand ``max_f g_f(γ)^T r``. At γ = 0 the limit ``max_a (T_a r)(s)`` is taken directly.

Deterministic MDPs use gathers (one indexed read per action slot); stochastic ones one dense
``T_a @ V`` per action slot. Action slots past a state's last action repeat its first action,
which leaves every maximum unchanged and avoids masks. Columns are processed in blocks of
:data:`BLOCK` samples so that ``V`` stays in cache.

References
----------
POWERplay (Harris, 2022) estimates POWER by value iteration per reward sample; this is the same
method, vectorised over samples.
"""

from __future__ import annotations

import math

import numpy as np

from workbench._errors import ResourceTooLarge

__all__ = ["ValueIterationKernel", "iterations_needed", "BLOCK", "MAX_DENSE"]

#: Reward samples per block of the iteration (``V`` is states x BLOCK floats).
BLOCK = 4096
#: Most floats in the dense transition matrices of a stochastic MDP (400 MB).
MAX_DENSE = 5 * 10**7


def iterations_needed(gamma: float, tol: float, scale: float = 1.0) -> int:
    """Upper estimate of the iterations to a sup-norm change below ``tol`` when rewards are
    bounded by ``scale`` in absolute value: ``||V_1 - V_0|| <= γ·2·scale`` and the changes shrink
    by ``γ`` per step."""
    if gamma <= 0:
        return 1
    start = 2 * gamma * max(scale, 1e-300)
    if start < tol:
        return 1
    return 1 + math.ceil(math.log(tol / start) / math.log(gamma))


class ValueIterationKernel:
    """Transition structure of an MDP prepared once for batched value iteration.

    Examples
    --------
    >>> from workbench.power import star
    >>> k = ValueIterationKernel(star(2))
    >>> R = np.array([[0.0, 0.2, 0.9], [0.0, 0.5, 0.1]])  # two samples over s, x0, x1
    >>> k.integrands(R, 0, 0.5, 1e-12)[0].round(6).tolist()
    [0.9, 0.5]
    """

    def __init__(self, mdp):
        n = mdp.n_states
        idx = {s: i for i, s in enumerate(mdp.states)}
        dists = [list(mdp.transitions[s].values()) for s in mdp.states]
        self.n_states = n
        self.slots = max(len(d) for d in dists)
        self.deterministic = mdp.is_deterministic
        if self.deterministic:
            succ = np.empty((self.slots, n), dtype=np.intp)
            for i, ds in enumerate(dists):
                for k in range(self.slots):
                    succ[k, i] = idx[next(iter(ds[k if k < len(ds) else 0]))]
            self.succ = succ
        else:
            if self.slots * n * n > MAX_DENSE:
                raise ResourceTooLarge(
                    f"{mdp.source}: value iteration on a stochastic MDP holds {self.slots} dense {n} x {n} transition "
                    f"matrices ({self.slots * n * n:,} floats), more than {MAX_DENSE:,} (MAX_DENSE); use a smaller MDP")
            T = np.zeros((self.slots, n, n))
            for i, ds in enumerate(dists):
                for k in range(self.slots):
                    for t, p in ds[k if k < len(ds) else 0].items():
                        T[k, i, idx[t]] = float(p)
            self.T = T

    def _best_next(self, V: np.ndarray) -> np.ndarray:
        """``max_a T_a V`` for ``V`` of shape (states, block)."""
        if self.deterministic:
            M = V[self.succ[0]]
            for k in range(1, self.slots):
                np.maximum(M, V[self.succ[k]], out=M)
            return M
        M = self.T[0] @ V
        for k in range(1, self.slots):
            np.maximum(M, self.T[k] @ V, out=M)
        return M

    def integrands(self, R: np.ndarray, state: int, gamma: float, tol: float) -> tuple:
        """Per-sample ``(1-γ)/γ (V*(state) - r(state))`` within ``tol``, for rewards ``R`` of
        shape (samples, states); returns (values, most iterations used by a block)."""
        out = np.empty(len(R))
        most = 0
        for lo in range(0, len(R), BLOCK):
            r = np.ascontiguousarray(R[lo:lo + BLOCK].T)
            if gamma == 0:  # the limit γ -> 0: best expected next-state reward
                out[lo:lo + BLOCK] = self._best_next(r)[state]
                most = max(most, 1)
                continue
            V = r.copy()
            iterations = 0
            while True:
                new = self._best_next(V)
                new *= gamma
                new += r
                iterations += 1
                change = np.abs(new - V).max()
                V = new
                if change < tol:
                    break
            most = max(most, iterations)
            out[lo:lo + BLOCK] = (1 - gamma) / gamma * (V[state] - r[state])
        return out, most
