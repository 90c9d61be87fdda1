"""The model is defined once: symbolic and numeric rates agree; known structural facts hold."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from scipy.special import expit

from workbench.rs import GradientFlow, ReplicatorFlow, RewardModel, compile_model
from workbench.rs._model import cost, kappa, x, y, z

logit = st.floats(-30, 30)
param = st.floats(0, 2)


def spec_rates(flow, Z, X, Y, K=0.0, C=0.0):
    """Spec §2 written out by hand (independent of sympy) for kappa = cost = 0."""
    p, a, b = expit(Z), expit(X + K * Y), expit(Y)
    if flow == "gradient":
        return p * (1 - p) * (a - C - b), p * a * (1 - a), (1 - p) * b * (1 - b) + K * p * a * (1 - a)
    return a - C - b, p * (1 - a), (1 - p) * (1 - b) + K * p * a * (1 - a) / b


@given(logit, logit, logit)
def test_gradient_rates_match_spec(Z, X, Y):
    r = compile_model(RewardModel.standard(), GradientFlow()).rates(Z, X, Y, 0.0, 0.0)
    np.testing.assert_allclose(r, spec_rates("gradient", Z, X, Y), rtol=1e-9, atol=1e-15)  # the hand formula rounds 1 - a


@given(logit, logit, logit, param, param)
def test_replicator_rates_match_spec(Z, X, Y, K, C):
    r = compile_model(RewardModel.standard(), ReplicatorFlow()).rates(Z, X, Y, K, C)
    np.testing.assert_allclose(r, spec_rates("replicator", Z, X, Y, K, C), rtol=1e-9, atol=1e-12)


@given(logit, logit, logit, param, param)
def test_symbolic_and_numeric_vector_fields_agree(Z, X, Y, K, C):
    model = RewardModel.standard()
    exprs = GradientFlow().local_rates(model)
    sym = [float(sp.N(e.subs({z: Z, x: X, y: Y, kappa: K, cost: C}).rewrite(sp.exp), 30)) for e in exprs]
    num = compile_model(model, GradientFlow()).rates(Z, X, Y, K, C)
    np.testing.assert_allclose(num, sym, rtol=1e-9, atol=1e-15)


@given(logit, logit, param, param)
def test_equal_skills_keep_p_constant(Z, S, K, C):
    """a = b (and no cost) gives dz/dt = 0 in both flows."""
    for flow in (GradientFlow(), ReplicatorFlow()):
        rz, _, _ = compile_model(RewardModel.standard(), flow).rates(Z, S, S, 0.0, 0.0)
        assert rz == 0.0


@pytest.mark.parametrize("flow", [GradientFlow(), ReplicatorFlow()])
def test_extreme_logits_are_finite(flow):
    vals = np.array([-1e4, -750.0, -700.0, -50.0, 0.0, 50.0, 700.0, 750.0, 1e4])
    Z, X, Y = np.meshgrid(vals, vals, vals, indexing="ij")
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        rates = compile_model(RewardModel.standard(), flow).rates(Z, X, Y, 0.5, 0.1)
    assert all(np.all(np.isfinite(r)) for r in rates)
