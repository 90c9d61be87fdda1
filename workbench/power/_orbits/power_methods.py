"""How POWER is computed: :class:`ExactVisits`, :class:`BatchedValueIteration` or :class:`Auto`.

The method is an object passed as ``method=`` to :func:`~workbench.power.power`; the result's
``method`` field is the concrete method that ran (never :class:`Auto`) and ``how`` says why.

- :class:`ExactVisits` enumerates the visit distributions exactly (lassos or policies), keeps the
  distinct integrands ``g_f(γ)`` and uses a closed form where one applies (error 0); otherwise
  one matrix product of reward samples against the stacked integrands (95% CI).
- :class:`BatchedValueIteration` never enumerates: dynamic programming per reward sample (the
  method of POWERplay), each sample stopped by the MacQueen bounds within ``tol`` of its
  integrand: value iteration vectorised over the samples, or, for large batches on
  deterministic MDPs, policy iteration compiled per sample. Needs γ < 1.
- :class:`Auto` estimates both costs *before* enumerating (the lasso count, stopped at the
  count where the exact set-up would cost more than value iteration; the policy count for
  stochastic MDPs) and runs the cheaper. The choice depends only on the problem and fixed cost
  constants, never on the clock.

Both sampled methods draw the same reward samples in the same order for the same ``seed``, so
their estimates agree to within ``tol`` sample by sample.

Examples
--------
>>> Auto()
Auto(samples=100000, seed=0, tol=1e-08)
>>> BatchedValueIteration(samples=10_000, seed=1)
BatchedValueIteration(samples=10000, seed=1, tol=1e-08)
>>> BatchedValueIteration(samples=1)
Traceback (most recent call last):
    ...
workbench._errors.InvalidInput: BatchedValueIteration: samples must be a whole number of at least 2, got 1
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from workbench._errors import InvalidInput

__all__ = ["ExactVisits", "BatchedValueIteration", "Auto", "DEFAULT_SAMPLES", "DEFAULT_TOL"]

#: Reward samples of a Monte Carlo estimate unless the method says otherwise.
DEFAULT_SAMPLES = 100_000
#: Largest per-sample error of value iteration unless the method says otherwise.
DEFAULT_TOL = 1e-8


def _whole(value, *, owner: str, name: str, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise InvalidInput(f"{owner}: {name} must be a whole number of at least {minimum}, got {value!r}")


def _tolerance(value, owner: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1 or math.isnan(value):
        raise InvalidInput(f"{owner}: tol must be a number in (0, 1), got {value!r}")


@dataclass(frozen=True)
class _RewardSamples:
    """What every POWER method reads: ``samples`` reward draws from ``default_rng(seed)``."""

    samples: int = DEFAULT_SAMPLES
    seed: int = 0

    def __post_init__(self):
        _whole(self.samples, owner=type(self).__name__, name="samples", minimum=2)
        _whole(self.seed, owner=type(self).__name__, name="seed", minimum=0)


@dataclass(frozen=True)
class _SamplesWithTolerance(_RewardSamples):
    """Reward samples, and ``tol``: the largest per-sample error of value iteration."""

    tol: float = DEFAULT_TOL

    def __post_init__(self):
        super().__post_init__()
        _tolerance(self.tol, type(self).__name__)


@dataclass(frozen=True)
class ExactVisits(_RewardSamples):
    """Exact visit distributions, then a closed form or one batched product over reward samples.

    Parameters
    ----------
    samples : int
        Reward samples when no closed form applies (at least 2).
    seed : int
        Seed of ``numpy.random.default_rng`` for the reward samples.
    """


@dataclass(frozen=True)
class BatchedValueIteration(_SamplesWithTolerance):
    """Dynamic programming per reward sample, batched (no enumeration; needs γ < 1).

    Each sample's integrand ``(1-γ)/γ (V*(s) - r(s))`` is bracketed by the MacQueen bounds of one
    Bellman step, ``(1-γ)/γ (w(s) - r(s)) + [min Δ, max Δ]`` with ``w = L v`` and ``Δ = w - v``,
    and the midpoint is kept once the bracket is narrower than ``2 tol``. The iterates ``v`` come
    from value iteration vectorised over the samples (numpy), or, on deterministic MDPs when the
    work pays for loading numba, from policy iteration compiled one sample at a time (exact
    policy values from the policy's cycles; a few improvement steps). See
    :mod:`workbench.power._orbits.value_iteration` for the derivation.

    Parameters
    ----------
    samples : int
        Reward samples (at least 2).
    seed : int
        Seed of ``numpy.random.default_rng``; the same draws as :class:`ExactVisits` with this seed.
    tol : float
        Every per-sample integrand is within ``tol`` of the exact one (the MacQueen bounds, with a
        margin for rounding), so the estimate's bias is below ``tol``.

    References
    ----------
    Puterman, *Markov Decision Processes* (1994), §6.6.3 (Thm 6.6.6) and §6.4; MacQueen (1966);
    Harris 2022 (POWERplay).
    """


@dataclass(frozen=True)
class Auto(_SamplesWithTolerance):
    """:class:`ExactVisits` or :class:`BatchedValueIteration`, whichever is estimated cheaper.

    Parameters are passed on to the method chosen. At γ = 1 (no value iteration) and γ = 0 (no
    iteration either way) the exact method runs.
    """

    def exact(self) -> ExactVisits:
        return ExactVisits(self.samples, self.seed)

    def sampled(self) -> BatchedValueIteration:
        return BatchedValueIteration(self.samples, self.seed, self.tol)


# Cost constants (seconds) measured once on the project's 2-core machine; fixed, so the choice is
# reproducible. Exact set-up per lasso grows with the lasso length (about the number of states).
_LASSO_BUILD = 3e-6
_LASSO_BUILD_PER_STATE = 0.3e-6
_PRODUCT = 3e-9  # per (sample, option): the product against the stacked integrands and its row maximum
_PRODUCT_PER_STATE = 0.4e-9
_GATHER = 2e-9  # value iteration per (sample, state, action slot, iteration), deterministic, numpy
_DENSE = 1.0e-9  # per multiply-add of the dense T_a @ V, stochastic, numpy
_POLICY_ITERATION = 1.6e-8  # per (sample, state, action slot): compiled policy iteration, all its steps
# Exact fraction-free solve of one policy, stochastic: m^3 polynomial operations on polynomials of
# degree up to m whose coefficients grow, so per unit of work ((states reached)^3 + 10) times the
# number of states. Within about 5x either way: 0.63 s measured against 3.2 s estimated for a
# sparse 30-state policy, 10 s against 3.2 s for a dense one.
_POLICY = 4e-6


def value_iteration_cost(kernel, samples: int, iterations: int) -> float:
    """Estimated seconds of :class:`BatchedValueIteration` on ``kernel`` (a ``ValueIterationKernel``),
    with ``iterations`` the sup-norm iteration count (an upper estimate under the span rule)."""
    n, slots = kernel.n_states, kernel.slots
    if kernel.runs_compiled(samples, iterations):
        return samples * n * slots * _POLICY_ITERATION
    per = n * slots * (_GATHER if kernel.deterministic else n * _DENSE)
    return samples * per * iterations


def exact_cost(n_states: int, lassos: int, samples: int) -> float:
    return lassos * (_LASSO_BUILD + _LASSO_BUILD_PER_STATE * n_states) + \
        samples * lassos * (_PRODUCT + _PRODUCT_PER_STATE * n_states)


def lassos_affordable(n_states: int, samples: int, budget: float) -> int:
    """The most lassos whose exact set-up and product fit in ``budget`` seconds."""
    per = _LASSO_BUILD + _LASSO_BUILD_PER_STATE * n_states + samples * (_PRODUCT + _PRODUCT_PER_STATE * n_states)
    return int(budget / per)


def stochastic_exact_cost(units: int, policies: int, samples: int, n_states: int) -> float:
    """Upper estimate: ``units`` of exact solving work (every policy over every reachable state),
    then one option per policy."""
    return units * n_states * _POLICY + samples * policies * (_PRODUCT + _PRODUCT_PER_STATE * n_states)
