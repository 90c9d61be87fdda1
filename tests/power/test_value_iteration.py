"""Batched value iteration (and compiled policy iteration) against the exact POWER integrands.

Every per-sample value must be within ``tol`` of ``max_f g_f(γ)^T r``, computed here from the
exact visit distributions in rational arithmetic (the float rewards converted exactly), and the
MacQueen span rule must never need more iterations than the sup-norm rule.
"""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench._errors import InvalidInput
from workbench.power import BatchedValueIteration, gridworld, power, random_deterministic, star
from workbench.power._orbits.power import _exact_vectors
from workbench.power._orbits.value_iteration import ValueIterationKernel, iterations_needed
from workbench.testing import deterministic_mdps, stochastic_mdps

GAMMAS = [Fraction(1, 100), Fraction(1, 3), Fraction(1, 2), Fraction(9, 10), Fraction(99, 100)]
TOLS = [1e-3, 1e-6, 1e-9]


def exact_integrands(mdp, s: int, gamma: Fraction, R: np.ndarray) -> list:
    """``max_f g_f(γ)^T r`` per row of ``R``, exactly (Fractions)."""
    G = _exact_vectors(mdp, s, gamma, 10**6)
    return [max(sum((g * Fraction(x) for g, x in zip(v, r)), Fraction(0)) for v in G) for r in R.tolist()]


def rewards(seed: int, samples: int, n: int, low: float) -> np.ndarray:
    return np.random.default_rng(seed).uniform(low, 1.0, size=(samples, n))


mdps = st.one_of(deterministic_mdps(max_states=5), stochastic_mdps(max_states=4))


@given(mdp=mdps, gamma=st.sampled_from(GAMMAS), tol=st.sampled_from(TOLS), seed=st.integers(0, 2**32 - 1),
       low=st.sampled_from([0.0, -1.0]), compiled=st.booleans(), data=st.data())
def test_every_sample_within_tol_of_the_exact_integrand(mdp, gamma, tol, seed, low, compiled, data):
    s = data.draw(st.integers(0, mdp.n_states - 1), label="state")
    R = rewards(seed, 6, mdp.n_states, low)
    compiled = compiled and mdp.is_deterministic  # policy iteration is compiled for deterministic MDPs only
    values, steps, _ = ValueIterationKernel(mdp).integrands(R, s, float(gamma), tol, compiled=compiled)
    exact = exact_integrands(mdp, s, gamma, R)
    for v, e in zip(values.tolist(), exact):
        assert abs(Fraction(v) - e) <= Fraction(tol), (v, float(e), steps)


@pytest.mark.parametrize("compiled", [False, True])
@pytest.mark.parametrize("gamma", [Fraction(999, 1000), Fraction(1, 1000), Fraction(1, 10**7), Fraction(1, 10**9)])
def test_within_tol_at_extreme_discounts(gamma, compiled):
    for m, s in [(gridworld(2, 2), 0), (random_deterministic(6, seed=3), 0), (star(3), 0)]:
        R = rewards(1, 4, m.n_states, 0.0)
        values, _, _ = ValueIterationKernel(m).integrands(R, s, float(gamma), 1e-6, compiled=compiled)
        for v, e in zip(values.tolist(), exact_integrands(m, s, gamma, R)):
            assert abs(Fraction(v) - e) <= Fraction(1, 10**6)


@given(mdp=mdps, gamma=st.sampled_from(GAMMAS), tol=st.sampled_from(TOLS), seed=st.integers(0, 2**32 - 1))
def test_span_rule_never_needs_more_iterations_than_the_sup_norm_rule(mdp, gamma, tol, seed):
    k = ValueIterationKernel(mdp)
    r = np.ascontiguousarray(rewards(seed, 16, mdp.n_states, 0.0).T)
    g = float(gamma)
    cap = 2 * iterations_needed(g, tol) + 10
    span_values, span_steps = k._block(r, 0, g, tol, cap, span=True)
    sup_values, sup_steps = k._block(r, 0, g, tol, cap, span=False)
    # per sample, on the same iterates (a sample's iterates do not depend on the other samples)
    assert (span_steps <= sup_steps).all() and sup_steps.max() <= iterations_needed(g, tol) + 1
    assert np.abs(span_values - sup_values).max() <= 2 * tol
    # dropping finished samples changes nothing: gathers are exact; dense products on narrower blocks
    # may sum in another order (rounding), which can move a borderline sample by one iteration
    kept, kept_steps = k._block(r, 0, g, tol, cap, span=True, drop=False)
    if mdp.is_deterministic:
        assert (kept_steps == span_steps).all() and np.array_equal(kept, span_values)
    else:
        assert np.abs(kept_steps - span_steps).max() <= 1 and np.abs(kept - span_values).max() <= 2 * tol


def test_span_rule_saves_iterations_on_gridworlds():
    # the 4x4 gridworld at γ = 0.9 and tol 1e-8: 175 iterations by the sup-norm rule
    k = ValueIterationKernel(gridworld(4, 4))
    r = np.ascontiguousarray(rewards(0, 512, 16, 0.0).T)
    span, sup = k._block(r, 5, 0.9, 1e-8, 400, span=True)[1], k._block(r, 5, 0.9, 1e-8, 400, span=False)[1]
    assert sup.max() == 175 and span.max() < 175 and span.mean() < 0.6 * sup.mean()


def test_compiled_policy_iteration_needs_few_steps_and_says_so():
    m = gridworld(4, 4)
    est = power(m, "r2c2", Fraction(9, 10), BatchedValueIteration(samples=20_000, seed=0))
    assert "policy iteration per reward sample" in est.how and "MacQueen" in est.how
    R = rewards(0, 2_000, m.n_states, 0.0)
    k = ValueIterationKernel(m)
    pi, steps, unit = k.integrands(R, 10, 0.9, 1e-8, compiled=True)
    vi, iterations, _ = k.integrands(R, 10, 0.9, 1e-8, compiled=False)
    assert unit == "policy-improvement steps" and steps <= 20 < iterations
    assert np.abs(pi - vi).max() <= 2e-8


@pytest.mark.parametrize("compiled", [False, True])
def test_tol_below_rounding_is_refused_before_any_work(compiled):
    with pytest.raises(InvalidInput, match=r"rounding error of doubles at gamma 0.999 \(1.7e-11 .*larger tol"):
        ValueIterationKernel(gridworld(2, 2)).integrands(rewards(0, 4, 4, 0.0), 0, 0.999, 1e-12, compiled=compiled)


def test_auto_runs_the_exact_method_where_value_iteration_cannot():
    # gamma that rounds to 1.0 in double precision, and a tol below value iteration's rounding
    # floor: Auto runs ExactVisits (and says why); BatchedValueIteration itself refuses.
    from workbench import WorkbenchError
    from workbench.power import Auto

    g = gridworld(3, 3)
    near_one = "99999999999999999/100000000000000000"
    est = power(g, "r0c0", near_one, Auto(samples=200, seed=0))
    assert "rounds to 1.0" in est.how
    with pytest.raises(WorkbenchError, match="rounds to 1.0 in double precision"):
        power(g, "r0c0", near_one, BatchedValueIteration(samples=200))
    est = power(g, "r0c0", Fraction(999, 1000), Auto(samples=200, seed=0, tol=1e-13))
    assert "rounding floor" in est.how
