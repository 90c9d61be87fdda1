r"""Dynamic programming batched over reward samples: the per-sample POWER integrand without visit sets.

For each reward sample ``r`` (a column of ``R``) the Bellman operator is
``L v = r + γ max_a T_a v`` and ``V* = L V*``; the integrand of POWER at ``s`` is
``I(s) = (1-γ)/γ (V*(s) - r(s)) = max_f g_f(γ)^T r``.

**Stopping rule (MacQueen bounds).** For *any* vector ``v`` let ``w = L v``, ``Δ = w - v``,
``m = min_x Δ(x)`` and ``M = max_x Δ(x)``. Then

.. math::

    w + \frac{γ}{1-γ} m \mathbf 1 \;\le\; V^* \;\le\; w + \frac{γ}{1-γ} M \mathbf 1 .

Proof: ``w >= v + m1``; ``L`` is monotone and ``L(u + c1) = Lu + γc1``, so by induction
``L^{j+1} v >= L^j v + γ^j m 1``, and summing over ``j >= 1``,
``V* = lim L^j v >= w + m(γ + γ^2 + ...) 1``; the upper bound alike. Multiplying by
``(1-γ)/γ`` (the factors ``γ/(1-γ)`` cancel),

.. math::

    I(s) \in \Big[\tfrac{1-γ}{γ}\big(w(s) - r(s)\big) + m,\;
                  \tfrac{1-γ}{γ}\big(w(s) - r(s)\big) + M\Big],

so the midpoint ``Î(s) = (1-γ)/γ (w(s) - r(s)) + (m + M)/2`` is within ``(M - m)/2`` of the
exact integrand; it is computed as ``(1-γ) best(s) + (m + M)/2`` with ``best = max_a T_a v``
(``w = r + γ best``, so the two agree exactly, and no ``1/γ`` amplifies rounding at small γ).
Each sample stops when ``(M - m)/2 + μ·max_x |w(x)| <= tol`` (the numpy
iteration uses ``max |r| / (1-γ) >= max |w|`` for the margin): the *span* of
``Δ`` per sample, not its sup-norm. The sup-norm rule (``||Δ||_∞ <= tol``, estimate
``(1-γ)/γ (w(s) - r(s))``, error at most ``||Δ||_∞`` by the same bounds) stops on the same
iterates no earlier, because ``M - m <= 2 ||Δ||_∞``. The bracket is exact for the computed
``v``; ``μ = 4 (n + 16) ε`` (``ε = 2^-52``, ``n`` states; :func:`rounding_floor`) is a
generous allowance for the rounding of the one Bellman step that computes ``w`` (at most ``n``
products and sums of numbers below ``max |w|``), of ``Δ``, of the estimate, and of γ itself
(the double nearest the rational γ), so that every per-sample value is within ``tol`` of the
exact integrand; a ``tol`` not above it is refused before any work.

**Iterates.** The bounds hold for any ``v``, so the iterates may come from any method:

- numpy (stochastic MDPs, and small batches of deterministic ones: no compiled code to load):
  value iteration ``v <- L v`` from ``v = r``, the samples of a block at once, each column until
  it meets the rule (its estimate is taken then); finished columns leave the block once they
  are a quarter of it. (A finished column would stay finished: ``Δ_{k+1}(x)`` lies between
  ``γ min_a (T_a Δ_k)(x)`` and ``γ max_a (T_a Δ_k)(x)``, so the span and the sup-norm of ``Δ``
  shrink by ``γ`` per step at least.) Deterministic MDPs use gathers (one indexed read per
  action slot), stochastic ones one dense ``T_a @ V`` per slot.
- compiled (:mod:`._vi_kernel`, numba; deterministic MDPs, batches with at least
  :data:`COMPILED_ABOVE` units of work): policy iteration one sample at a time in cache (the
  policy's values exactly, from its cycles, then a greedy improvement), stopped by the same rule
  after a few improvement steps instead of about ``log(tol)/log(γ)`` iterations.

Action slots past a state's last action repeat its first action, which leaves every maximum
unchanged and avoids masks. At γ = 0 the limit ``max_a (T_a r)(s)`` is taken directly.

References
----------
J. MacQueen, "A modified dynamic programming method for Markovian decision problems",
J. Math. Anal. Appl. 14 (1966) 38-43; E. Porteus, "Some bounds for discounted sequential decision
processes", Management Sci. 18 (1971) 7-11; M. L. Puterman, *Markov Decision Processes* (1994),
§6.6.3 (Prop. 6.6.5, Thm 6.6.6: these bounds) and §6.4 (policy iteration). POWERplay (Harris,
2022) estimates POWER by value iteration per reward sample with the sup-norm rule.
"""

from __future__ import annotations

import importlib.util
import math

import numpy as np

from workbench._errors import InvalidInput, ResourceTooLarge

__all__ = ["ValueIterationKernel", "iterations_needed", "rounding_floor", "BLOCK", "MAX_DENSE", "COMPILED_ABOVE"]

#: Reward samples per block of the numpy iteration (``V`` is states x BLOCK floats).
BLOCK = 4096
#: Most floats in the dense transition matrices of a stochastic MDP (400 MB).
MAX_DENSE = 5 * 10**7
#: Least work (samples x states x action slots x sup-norm iterations) run compiled on a
#: deterministic MDP: below it the numpy iteration takes well under 0.1 s and loading numba (about
#: 0.4 s from its cache) would dominate.
COMPILED_ABOVE = 5 * 10**7

_EPS = 2.0 ** -52
#: μ = 4 (n + 16) ε: the Bellman step (n products and sums), Δ = w - v, the estimate
#: (1-γ) best(s) + (m + M)/2 and the rounding of γ (|dI/dγ| <= 2 max |V*|) each add at most
#: about (n + 16) ε max |w|.
_MU = 4


def iterations_needed(gamma: float, tol: float, scale: float = 1.0) -> int:
    """Upper estimate of the value-iteration steps to a sup-norm change below ``tol`` when rewards
    are bounded by ``scale`` in absolute value: ``||V_1 - V_0|| <= γ·2·scale`` and the changes
    shrink by ``γ`` per step. The span rule never needs more."""
    if gamma <= 0:
        return 1
    start = 2 * gamma * max(scale, 1e-300)
    if start < tol:
        return 1
    return 1 + math.ceil(math.log(tol / start) / math.log(gamma))


def _numba_available() -> bool:
    return importlib.util.find_spec("numba") is not None


def rounding_margin(n_states: int) -> float:
    """``μ = 4 (n + 16) ε``: the stopping rule's rounding allowance per unit of ``max |w|``."""
    return _MU * (n_states + 16) * _EPS


def rounding_floor(n_states: int, gamma: float, scale: float) -> float:
    """``μ · scale / (1-γ)``: the rounding margin of the stopping rule when rewards are bounded by
    ``scale`` (then ``max |w| <= scale / (1-γ)``); ``tol`` must exceed it."""
    return rounding_margin(n_states) * scale / (1 - gamma)


def _too_fine(tol: float, gamma: float, floor: float) -> InvalidInput:
    return InvalidInput(f"value iteration: tol {tol:g} is not above the rounding error of doubles at gamma {gamma:g} "
                        f"({floor:.2g} for these rewards); use a larger tol")


class ValueIterationKernel:
    """Transition structure of an MDP prepared once for dynamic programming batched over rewards.

    Examples
    --------
    >>> from workbench.power import star
    >>> k = ValueIterationKernel(star(2))
    >>> R = np.array([[0.0, 0.2, 0.9], [0.0, 0.5, 0.1]])  # two samples over s, x0, x1
    >>> values, steps, unit = k.integrands(R, 0, 0.5, 1e-12)
    >>> values.round(6).tolist(), unit
    ([0.9, 0.5], 'iterations')
    """

    def __init__(self, mdp):
        n = mdp.n_states
        idx = {s: i for i, s in enumerate(mdp.states)}
        dists = [list(mdp.transitions[s].values()) for s in mdp.states]
        self.n_states = n
        self.slots = max(len(d) for d in dists)
        self.deterministic = mdp.is_deterministic
        pick = lambda ds, k: ds[k if k < len(ds) else 0]  # noqa: E731 - slots past the last repeat the first
        if self.deterministic:
            succ = np.empty((self.slots, n), dtype=np.intp)
            for i, ds in enumerate(dists):
                for k in range(self.slots):
                    succ[k, i] = idx[next(iter(pick(ds, k)))]
            self.succ = succ
        else:
            if self.slots * n * n > MAX_DENSE:
                raise ResourceTooLarge(
                    f"{mdp.source}: value iteration on a stochastic MDP holds {self.slots} dense {n} x {n} transition "
                    f"matrices ({self.slots * n * n:,} floats), more than {MAX_DENSE:,} (MAX_DENSE); use a smaller MDP")
            T = np.zeros((self.slots, n, n))
            for i, ds in enumerate(dists):
                for k in range(self.slots):
                    for t, p in pick(ds, k).items():
                        T[k, i, idx[t]] = float(p)
            self.T = T

    def numpy_work(self, samples: int, iterations: int) -> int:
        """Work units of the numpy iteration: samples x states x slots x iterations (x states if stochastic)."""
        return samples * self.n_states * self.slots * iterations * (1 if self.deterministic else self.n_states)

    def runs_compiled(self, samples: int, iterations: int) -> bool:
        """Whether ``samples`` samples run compiled (policy iteration): a deterministic MDP, enough
        work to pay for loading numba, and numba installed."""
        return (self.deterministic and self.numpy_work(samples, iterations) >= COMPILED_ABOVE
                and _numba_available())

    def _best_next(self, V: np.ndarray, out: np.ndarray | None = None, tmp: np.ndarray | None = None) -> np.ndarray:
        """``max_a T_a V`` for ``V`` of shape (states, block), into ``out`` (``tmp``: a buffer of
        the same shape); preallocated buffers halve the time of small blocks."""
        out = np.empty_like(V) if out is None else out
        tmp = np.empty_like(V) if tmp is None else tmp
        if self.deterministic:
            np.take(V, self.succ[0], axis=0, out=out)
            for k in range(1, self.slots):
                np.maximum(out, np.take(V, self.succ[k], axis=0, out=tmp), out=out)
            return out
        np.matmul(self.T[0], V, out=out)
        for k in range(1, self.slots):
            np.maximum(out, np.matmul(self.T[k], V, out=tmp), out=out)
        return out

    def _block(self, r: np.ndarray, state: int, gamma: float, tol: float, max_steps: int, *, span: bool = True,
               drop: bool = True):
        """Value iteration on the columns of ``r`` (states x block), each column until it meets the
        span rule (``span=False``: the sup-norm rule, for comparison); returns (estimates,
        iterations per column).

        With ``drop`` the columns that have met their rule leave the block once they are a
        quarter of it: both the span and the sup-norm of ``Δ`` shrink by ``γ`` per step at
        least, so a column that met its rule keeps meeting it, and its estimate is taken the
        first time.
        """
        # |W| <= max |r| / (1-γ): the rounding margin once per block, not a reduction per step
        floor = rounding_floor(self.n_states, gamma, float(np.abs(r).max()))
        budget = tol - floor
        est = np.empty(r.shape[1])
        steps = np.empty(r.shape[1], dtype=np.int64)
        cols = np.arange(r.shape[1])  # the original column of each column in the block
        fresh = np.ones(r.shape[1], dtype=bool)  # not met its rule yet
        V, W, tmp, D = r.copy(), np.empty_like(r), np.empty_like(r), np.empty_like(r)
        iterations = 0
        while True:
            self._best_next(V, W, tmp)
            best_s = W[state].copy()  # (1-γ)/γ (w(s) - r(s)) = (1-γ) best(s): no 1/γ to round
            W *= gamma
            W += r
            iterations += 1
            np.subtract(W, V, out=D)
            lo, hi = D.min(axis=0), D.max(axis=0)
            met = fresh & ((hi - lo) / 2 <= budget if span else np.maximum(-lo, hi) <= budget)
            if met.any():
                e = (1 - gamma) * best_s[met]
                if span:
                    e += 0.5 * (lo[met] + hi[met])
                est[cols[met]] = e
                steps[cols[met]] = iterations
                fresh &= ~met
                if not fresh.any():
                    return est, steps
            if iterations >= max_steps:
                raise _too_fine(tol, gamma, floor)
            if drop and 4 * (len(fresh) - fresh.sum()) >= len(fresh):
                r, V, cols = np.ascontiguousarray(r[:, fresh]), np.ascontiguousarray(W[:, fresh]), cols[fresh]
                W, tmp, D = np.empty_like(r), np.empty_like(r), np.empty_like(r)
                fresh = np.ones(r.shape[1], dtype=bool)
            else:
                V, W = W, V

    def integrands(self, R: np.ndarray, state: int, gamma: float, tol: float, *, compiled: bool | None = None) -> tuple:
        """Per-sample ``(1-γ)/γ (V*(state) - r(state))`` within ``tol``, for rewards ``R`` of shape
        (samples, states).

        ``compiled=None`` decides by :meth:`runs_compiled` (the sup-norm iteration count for
        the work). Returns
        (values, most steps of a sample or block, what a step is: ``"iterations"`` or
        ``"policy-improvement steps"``).
        """
        R = np.asarray(R, dtype=float)
        out = np.empty(len(R))
        if gamma == 0:  # the limit γ -> 0: best expected next-state reward
            for lo in range(0, len(R), BLOCK):
                out[lo:lo + BLOCK] = self._best_next(np.ascontiguousarray(R[lo:lo + BLOCK].T))[state]
            return out, 1, "iterations"
        scale = float(np.abs(R).max()) if len(R) else 1.0
        floor = rounding_floor(self.n_states, gamma, scale)
        if tol <= floor:
            raise _too_fine(tol, gamma, floor)
        sup_steps = iterations_needed(gamma, tol, scale)
        max_steps = 2 * sup_steps + 10
        if compiled is None:
            compiled = self.runs_compiled(len(R), sup_steps)
        if compiled:
            from workbench.power._orbits import _vi_kernel

            if not self.deterministic:
                raise InvalidInput("ValueIterationKernel: compiled policy iteration needs a deterministic MDP")
            steps = np.empty(len(R), dtype=np.int64)
            _vi_kernel.deterministic_columns(np.ascontiguousarray(R), self.succ.astype(np.int64), state, gamma, tol,
                                             rounding_margin(self.n_states), max_steps, out, steps)
            if len(R) and steps.min() < 0:
                raise _too_fine(tol, gamma, floor)
            return out, int(steps.max()) if len(R) else 0, "policy-improvement steps"
        most = 0
        for lo in range(0, len(R), BLOCK):
            r = np.ascontiguousarray(R[lo:lo + BLOCK].T)
            out[lo:lo + BLOCK], used = self._block(r, state, gamma, tol, max_steps)
            most = max(most, int(used.max()))
        return out, most, "iterations"
