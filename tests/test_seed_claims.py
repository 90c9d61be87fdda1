"""The science behind RS10-RS14: cutoff law, phase motion, reachability, cost variant, Euler's order."""

import math

import numpy as np
import pytest

from workbench import WorkbenchError
from workbench.rs import (
    ConfigurationDistribution,
    HomogeneousConfig,
    ReplicatorFlow,
    cost_bound,
    cost_drift_rate,
    cost_threshold,
    LogGrid,
    critical_diversity,
    cutoff_law,
    cutoff_law_derivation,
    euler_convergence,
    phase_motion_derivation,
    reachable_fraction,
    reduced_system,
    vertical_descent,
    wilson_interval,
)


def test_cutoff_law_derivation_passes_and_gives_the_law():
    d = cutoff_law_derivation()
    assert d["passed"]
    assert d["limit"] == ["Q**2*(a - b)", "Q*a**2*rho*(a - 1)**2", "b**2*(b - 1)**2"]
    assert d["critical_prior"] == "K*alpha_y*c_y/(alpha_z*c_z)"


def test_cutoff_law_constant_is_rs6a_p0_star():
    law = cutoff_law(HomogeneousConfig(c=(0.1, 0.1, 0.01)))
    assert law.K == pytest.approx(0.180824, rel=1e-5)
    assert law.rho == 1.0
    assert law.critical_prior == pytest.approx(law.K * 0.1)
    # with c_y = 0 the law is RS6a's leading-order N* = 1 + (P0*/p0 - 1)/c_z
    law0 = cutoff_law(HomogeneousConfig())
    assert law0.critical_prior == 0.0
    assert float(law0.n_star(1e-3)) == pytest.approx(1 + (law0.K / 1e-3 - 1) / 0.1)


def test_cutoff_law_no_n_below_the_critical_prior():
    law = cutoff_law(HomogeneousConfig(c=(0.1, 0.1, 0.01)))
    assert np.isinf(law.n_star(0.9 * law.critical_prior))
    assert np.isinf(law.n_star(law.critical_prior))
    assert np.isfinite(law.n_star(1.1 * law.critical_prior))


def test_cutoff_law_matches_computed_n_star():
    cfg = HomogeneousConfig(c=(0.1, 0.1, 0.001))
    law = cutoff_law(cfg)
    [r] = critical_diversity(cfg.with_(p0=3 * law.critical_prior), n_max=1e5, scan=LogGrid(17), rel_tol=1e-5)
    assert r.n_star_continuous == pytest.approx(float(law.n_star(3 * law.critical_prior)), rel=0.01)


@pytest.mark.parametrize("cfg, match", [
    (HomogeneousConfig(cost=0.01), "cost"),
    (HomogeneousConfig(c=(0.0, 0.1, 0.0)), "c_z > 0"),
    (HomogeneousConfig(flow=ReplicatorFlow()), "does not exist"),
])
def test_cutoff_law_refuses_what_it_does_not_cover(cfg, match):
    with pytest.raises(WorkbenchError, match=match):
        cutoff_law(cfg)


def test_phase_motion_is_vertical_for_equal_transfers():
    d = phase_motion_derivation()
    assert d["passed"] and d["vertical_when_equal"] and d["u_limit"] == "log(c_x/c_z)"


def test_vertical_descent_sets_c_x_to_c_z_and_the_gap():
    d = vertical_descent(HomogeneousConfig(p0=0.01, c=(0.1, 0.5, 0.0)), gaps=(2.0, -2.0), alpha_x=(1.0,), n_max=1e4)
    assert d.base.c == (0.1, 0.1, 0.0)
    assert d.n_star[0, 0] == 173 and np.isnan(d.n_star[1, 0])
    assert d.to_json()["n_star"] == [[173], [None]]


def test_wilson_interval():
    lo, hi = wilson_interval(196, 200)
    assert (round(lo, 4), round(hi, 4)) == (0.9497, 0.9922)
    assert wilson_interval(0, 10)[0] == 0.0 and wilson_interval(10, 10)[1] == pytest.approx(1.0)
    lo, hi = wilson_interval(5, 10)
    assert lo < 0.5 < hi and math.isclose(lo + hi, 1.0)
    with pytest.raises(WorkbenchError):
        wilson_interval(3, 2)


def test_configuration_distribution_is_reproducible_and_stated():
    d0, d1 = ConfigurationDistribution("zero"), ConfigurationDistribution("uniform")
    a, b = d1.sample(5, 3), d1.sample(5, 3)
    assert a == b
    assert all(c.c[2] == 0.0 for c in d0.sample(5, 3))
    assert all(0 <= c.c[2] <= c.c[0] <= c.c[1] for c in a)
    assert d1.to_json()["c_y"] == "uniform(0, c_z)"
    with pytest.raises(WorkbenchError, match="local_transfer"):
        ConfigurationDistribution("sometimes")


def test_reachable_fraction_counts():
    r = reachable_fraction(ConfigurationDistribution("uniform"), size=12, seed=1, n_cap=1e8)
    assert r.size == 12 and r.undecided == 0 and r.cross_check_agree == 12
    assert r.reachable >= r.reward_seeking_at_1 and r.reachable_from_local <= r.initially_local
    assert r.interval[0] <= r.fraction <= r.interval[1]


def test_cost_bound_and_drift_rate():
    assert cost_bound(1e-3) == 0.002
    with pytest.raises(WorkbenchError):
        cost_bound(0.7)
    assert float(cost_drift_rate(0.5, 0.1, 1.0, 1.0)) == pytest.approx(0.25 * 0.25 / 0.4)
    assert float(cost_drift_rate(0.5, 0.1, 1.0, 10.0)) == pytest.approx(0.25 * 0.25 / 4.0)


def test_cost_threshold_is_near_eps_at_small_prior():
    lo, hi = cost_threshold(HomogeneousConfig(p0=0.01), n_max=1e3, lo=0.5e-3, hi=1.5e-3, steps=2)
    assert lo < hi and hi - lo == pytest.approx(0.25e-3)
    assert lo <= 1e-3 <= hi


def test_euler_converges_with_order_one():
    c = euler_convergence(reduced_system(HomogeneousConfig(n=20.0)), dts=(0.1, 0.05, 0.025), t_end=10.0)
    assert abs(c.order - 1) < 0.02 and all(abs(q - 1) < 0.02 for q in c.pair_orders)
    assert c.reference_gap < 1e-3 * min(c.errors)
    with pytest.raises(WorkbenchError, match="decreasing"):
        euler_convergence(reduced_system(HomogeneousConfig()), dts=(0.1, 0.2, 0.05))
