import numpy as np
import pytest
from hypothesis import given

from workbench.rs._homogeneous.reference import reference_outcome
from workbench.testing import homogeneous_configs
from workbench import WorkbenchError
from workbench.rs import (DormandPrince, Euler, HomogeneousConfig, Horizon, RewardSeekingSystem, Saturation,
                          reduced_system, simulate)

# p0 in (1e-4, 0.9), logits in (-3, 3), each alpha in (0.1, 10)
configs = homogeneous_configs()


@pytest.mark.parametrize("cfg", [
    HomogeneousConfig(p0=0.5), HomogeneousConfig(p0=0.01), HomogeneousConfig(p0=0.1, x0=1, y0=-1, alpha=(1, 1, 0.3)),
    HomogeneousConfig(p0=0.1, x0=-2, y0=-2, alpha=(1, 100, 1)), HomogeneousConfig(p0=0.3, x0=-1, y0=0.5, alpha=(2, 0.5, 3)),
])
def test_matches_independent_solve_ivp(cfg):
    res = simulate(reduced_system(cfg), solver=DormandPrince(rtol=1e-10, atol=1e-12))
    outcome, t_sat, p = reference_outcome(cfg.p0, cfg.x0, cfg.y0, cfg.alpha)
    assert res.outcome[0] == outcome
    assert res.t_sat[0] == pytest.approx(t_sat, rel=1e-5)
    assert res.mean_p[0] == pytest.approx(p, rel=1e-5, abs=1e-8)


def test_batch_equals_one_by_one():
    cfgs = [HomogeneousConfig(p0=p, x0=x) for p in (0.5, 0.05, 0.001) for x in (-1.0, 0.0, 2.0)]
    batch = simulate(reduced_system(cfgs))
    for i, cf in enumerate(cfgs):
        one = simulate(reduced_system(cf))
        assert one.outcome[0] == batch.outcome[i]
        assert one.t_end[0] == batch.t_end[i]  # per-system steps: bit-identical
        assert one.mean_p[0] == batch.mean_p[i]


@given(configs)
def test_probabilities_stay_in_open_interval_and_J_never_decreases(cfg):
    times = np.concatenate([[0.0], np.logspace(-2, 3, 40)])
    system = reduced_system(cfg)
    res = simulate(system, criterion=Horizon(), t_max=times[-1], record_times=times)
    s = res.recorded[0, :, :, 0]
    comp = system.compiled()
    p = comp.propensity(s[:, 0], s[:, 1], s[:, 2], 0.0, 0.0)
    J = comp.reward(s[:, 0], s[:, 1], s[:, 2], 0.0, 0.0)
    assert np.all((p > 0) & (p < 1))
    assert np.all(np.diff(J) >= -1e-12)  # N = 1 gradient flow: dJ/dt = sum alpha_k (dJ/dk)^2 >= 0


@pytest.mark.parametrize("initial", [[-700.0, 700.0, -700.0], [700.0, -700.0, 700.0], [np.log(1e-12), 0.0, -2.0], [-700.0, -700.0, -700.0]])
def test_extreme_logits_do_not_overflow(initial):
    system = RewardSeekingSystem(initial=np.array(initial)[None, :, None])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        res = simulate(system, t_max=1e4)
    assert np.all(np.isfinite(res.state)) and np.isfinite(res.mean_p[0])
    assert res.outcome[0] in ("reward-seeking", "local", "undecided")


def test_tiny_prior_is_fine():
    res = simulate(reduced_system(HomogeneousConfig(p0=1e-12)))
    assert res.outcome[0] == "local" and res.mean_p[0] < 1e-9 and res.reason[0] == "saturated"


def test_time_cap_gives_undecided_never_classified():
    res = simulate(reduced_system([HomogeneousConfig(p0=0.5), HomogeneousConfig(p0=0.01)]), t_max=5.0)
    assert list(res.outcome) == ["undecided", "undecided"]
    assert list(res.reason) == ["time cap", "time cap"]
    assert np.all(np.isnan(res.t_sat))


def test_step_limit_gives_undecided():
    res = simulate(reduced_system(HomogeneousConfig(p0=0.5)), solver=DormandPrince(max_steps=3))
    assert res.outcome[0] == "undecided" and res.reason[0] == "step limit"


def test_already_saturated_stops_at_zero():
    res = simulate(reduced_system(HomogeneousConfig(p0=0.5, x0=20, y0=20)))
    assert res.reason[0] == "saturated" and res.t_end[0] == 0.0


def test_euler_agrees_with_adaptive_at_first_order():
    cfgs = [HomogeneousConfig(p0=0.5), HomogeneousConfig(p0=0.01), HomogeneousConfig(p0=0.1, x0=1, y0=-1, alpha=(1, 1, 0.3))]
    a = simulate(reduced_system(cfgs))
    errors = []
    for dt in (0.2, 0.4):
        e = simulate(reduced_system(cfgs), solver=Euler(dt=dt))
        assert list(a.outcome) == list(e.outcome)
        errors.append(np.max(np.abs(e.mean_p - a.mean_p)))
        np.testing.assert_allclose(e.t_end, a.t_end, rtol=5 * dt / 100)
    assert errors[0] < 1e-4
    assert 1.6 < errors[1] / errors[0] < 2.4  # halving dt halves the error: first order


def test_record_times_land_exactly():
    times = np.array([0.0, 0.5, 1.0, 7.25])
    res = simulate(reduced_system(HomogeneousConfig(p0=0.2)), criterion=Horizon(), t_max=7.25, record_times=times)
    assert res.t_end[0] == 7.25 and np.all(np.isfinite(res.recorded))
    np.testing.assert_array_equal(res.recorded[0, -1], res.state[0])


@pytest.mark.parametrize("kwargs", [dict(eps=0), dict(eps=1.5), dict(threshold=1.0)])
def test_bad_criterion(kwargs):
    with pytest.raises(WorkbenchError):
        Saturation(**kwargs)


def test_bad_system_shapes():
    with pytest.raises(WorkbenchError):
        RewardSeekingSystem(initial=np.zeros((2, 3)))
    with pytest.raises(WorkbenchError):
        RewardSeekingSystem(initial=np.zeros((1, 3, 1)), alpha=-1.0)
    with pytest.raises(WorkbenchError):
        simulate(reduced_system(HomogeneousConfig()), t_max=-1)


def test_t_sat_at_the_default_tolerance_matches_a_tight_run():
    # the event is located on the integrator's own step, not on the cubic interpolant
    # (which alone limited T_sat to about 1e-5 relative on long steps)
    from workbench.rs import HomogeneousConfig, reduced_system
    from workbench.rs._simulate.solvers import DormandPrince

    system = reduced_system([HomogeneousConfig(p0=p) for p in (0.1, 1e-2, 1e-4, 1e-8, 1e-12)])
    t = simulate(system).t_end
    tight = simulate(system, solver=DormandPrince(rtol=1e-12, atol=1e-14)).t_end
    assert np.max(np.abs(t / tight - 1)) < 1e-6
    assert round(float(t[-1]), 2) == 1024.07
