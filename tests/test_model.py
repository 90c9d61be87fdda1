"""The model is defined once: symbolic and numeric rates agree; known structural facts hold.

References are computed with mpmath at 50 digits from the exact float inputs, so they carry no
rounding of their own. The engine is compared term by term: each rate is a sum, and its error is
bounded relative to the sum of the terms' magnitudes (``scale``), not to the sum itself, which
cancels when ``a`` is close to ``b``. The engine reaches ~1e-14 of the scale in the worst case
(the argument ``x + kappa*y`` is rounded once, |x + kappa*y| <= 90); ``RTOL`` leaves 100x margin.
"""

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import example, given
from hypothesis import strategies as st

from workbench.rs import GradientFlow, ReplicatorFlow, RewardModel, compile_model
from workbench.rs._model.reward_model import cost, kappa, x, y, z

logit = st.floats(-30, 30)
param = st.floats(0, 2)
RTOL = 1e-12
DIGITS = 50


def _sigmoid(u):
    return 1 / (1 + mpmath.exp(-u))


def spec_rates(flow, Z, X, Y, K=0.0, C=0.0):
    """Spec §2 written out by hand (independent of sympy), at 50 digits: (rates, scales)."""
    with mpmath.workdps(DIGITS):
        Z, X, Y, K, C = (mpmath.mpf(float(v)) for v in (Z, X, Y, K, C))
        p, a, b = _sigmoid(Z), _sigmoid(X + K * Y), _sigmoid(Y)
        q, abar, bbar = _sigmoid(-Z), _sigmoid(-(X + K * Y)), _sigmoid(-Y)  # 1 - p etc., without cancellation
        if flow == "gradient":
            rates = (p * q * (a - C - b), p * a * abar, q * b * bbar + K * p * a * abar)
            scale = (p * q * (a + C + b), rates[1], rates[2])
        else:
            rates = (a - C - b, p * abar, q * bbar + K * p * a * abar / b)
            scale = (a + C + b, rates[1], rates[2])
        return rates, scale


def assert_close(engine, reference, scale):
    for r, ref, s in zip(engine, reference, scale):
        err = abs(mpmath.mpf(float(r)) - ref)
        assert err <= RTOL * s, (float(r), float(ref), float(err / s) if s else err)


@given(logit, logit, logit)
@example(0.0, 21.5, 0.0)  # 1 - expit(21.5) loses 7 digits in double precision
def test_gradient_rates_match_spec(Z, X, Y):
    r = compile_model(RewardModel.standard(), GradientFlow()).rates(Z, X, Y, 0.0, 0.0)
    assert_close(r, *spec_rates("gradient", Z, X, Y))


@given(logit, logit, logit, param, param)
@example(0.0, 21.5, 0.0, 0.0, 0.0)
@example(-30.0, 30.0, 30.0, 2.0, 2.0)
def test_replicator_rates_match_spec(Z, X, Y, K, C):
    r = compile_model(RewardModel.standard(), ReplicatorFlow()).rates(Z, X, Y, K, C)
    assert_close(r, *spec_rates("replicator", Z, X, Y, K, C))


def test_spec_reference_is_exact_where_double_precision_is_not():
    """The regression that made the old hand formula flaky: 1 - expit(21.5) in double precision."""
    from scipy.special import expit

    (_, rx, _), _ = spec_rates("replicator", 0.0, 21.5, 0.0)
    with mpmath.workdps(DIGITS):
        exact = _sigmoid(mpmath.mpf(0)) * _sigmoid(mpmath.mpf(-21.5))
        assert abs(rx - exact) < mpmath.mpf(10) ** -45 * exact
        assert abs(0.5 * (1 - expit(21.5)) - exact) > 1e-10 * exact  # the old form's error
    r = compile_model(RewardModel.standard(), ReplicatorFlow()).rates(0.0, 21.5, 0.0, 0.0, 0.0)
    assert abs(mpmath.mpf(float(r[1])) - exact) <= 1e-15 * exact


_SYMBOLIC = {}


def symbolic_rates(flow, Z, X, Y, K, C):
    """The sympy rate expressions themselves, evaluated by mpmath at 50 digits."""
    if flow.name not in _SYMBOLIC:
        exprs = flow.local_rates(RewardModel.standard())
        _SYMBOLIC[flow.name] = sp.lambdify((z, x, y, kappa, cost), list(exprs), modules=[{"sigmoid": _sigmoid}, "mpmath"])
    with mpmath.workdps(DIGITS):
        return _SYMBOLIC[flow.name](*(mpmath.mpf(float(v)) for v in (Z, X, Y, K, C)))


@pytest.mark.parametrize("flow", [GradientFlow(), ReplicatorFlow()], ids=lambda f: f.name)
@given(Z=logit, X=logit, Y=logit, K=param, C=param)
def test_symbolic_and_numeric_vector_fields_agree(flow, Z, X, Y, K, C):
    num = compile_model(RewardModel.standard(), flow).rates(Z, X, Y, K, C)
    _, scale = spec_rates(flow.name, Z, X, Y, K, C)
    assert_close(num, symbolic_rates(flow, Z, X, Y, K, C), scale)


@given(logit, logit)
def test_equal_skills_keep_p_constant(Z, S):
    """a = b (kappa = cost = 0) gives dz/dt = 0 exactly in both flows."""
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
