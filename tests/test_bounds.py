"""Issue 9: the library bounds every expensive step before it starts (steps, memory, grids)."""

import math

import pytest

from workbench._errors import ResourceTooLarge, WorkbenchError
from workbench.rs import HomogeneousConfig
from workbench.rs._hetero.geometry import geometry_by_name
from workbench.rs._hetero.model import HeteroConfig, critical_diversity_hetero, log_grid, simulate_hetero
from workbench.rs._homogeneous.config import full_system, reduced_system
from workbench.rs._hetero.kernels import Dense64
from workbench.rs._simulate.simulate import simulate

GAUSS = geometry_by_name("gaussian4d")


@pytest.mark.parametrize("changes", [dict(alpha=(1e300, 1.0, 1.0)), dict(alpha=(1.0, 1.0, 1e300)), dict(n=1e300)])
def test_an_overflowing_field_ends_the_run_instead_of_looping(changes):
    # A NaN step size once made the loop retry forever; now the run ends as undecided.
    res = simulate(reduced_system(HomogeneousConfig(**changes)))
    assert res.outcome[0] == "undecided" and res.reason[0] in ("non-finite", "step size underflow")


def test_full_system_memory_is_checked_before_allocating():
    with pytest.raises(ResourceTooLarge, match=r"N = 1,000,000,000 .*about 447 GiB.*raise memory_limit"):
        full_system(HomogeneousConfig(n=1e9))
    with pytest.raises(ResourceTooLarge):
        full_system(HomogeneousConfig(n=100.0), dense=True, memory_limit=100_000)
    assert full_system(HomogeneousConfig(n=100.0), dense=True).n_envs == 100


def test_simulate_checks_its_working_memory():
    system = reduced_system([HomogeneousConfig()] * 10)
    with pytest.raises(ResourceTooLarge, match="integrating 10 system"):
        simulate(system, memory_limit=1000)


def test_hetero_memory_is_checked_before_drawing_or_building():
    cfg = HeteroConfig()
    with pytest.raises(ResourceTooLarge, match=r"N = 100,000 .* dense kernel"):
        simulate_hetero(cfg, GAUSS, 100_000, 0.1, 0)
    with pytest.raises(ResourceTooLarge, match="n_ref = 1,000,000"):
        cfg.with_(n_ref=10**6).calibration(GAUSS)
    with pytest.raises(ResourceTooLarge, match="dense kernels of N = 50"):
        Dense64().build(GAUSS.raw_points(__import__("numpy").random.default_rng(0), 50), (1, 1, 0.25), memory_limit=1000)
    with pytest.raises(ResourceTooLarge):
        critical_diversity_hetero(cfg, GAUSS, 0.1, 0, n_max=10**5)


def test_hetero_cost_must_lie_in_the_unit_interval():
    with pytest.raises(WorkbenchError, match=r"cost must lie in \[0, 1\)"):
        HeteroConfig(cost=-0.1)
    with pytest.raises(WorkbenchError, match=r"cost must lie in \[0, 1\)"):
        HomogeneousConfig(cost=1.0)


def test_log_grid_with_growth_close_to_one_is_fast_and_unchanged():
    assert log_grid(10, 1 + 1e-12) == list(range(1, 11))
    assert log_grid(100, 2.0) == [1, 2, 4, 8, 16, 32, 64, 100]
    assert log_grid(8192, 1 + 1e-9)[-3:] == [8190, 8191, 8192]
    g = log_grid(1000, 1.3)
    assert g == sorted(set(g)) and g[-1] == 1000 and all(b / a <= 1.3 + 1 / a for a, b in zip(g, g[1:]))


def test_small_prior_limit_with_a_large_kappa():
    # together() left (a-1)/(1-a) uncancelled, a ZeroDivisionError once a rounded to 1 (kappa >= 6)
    from workbench.rs._analysis.small_prior import predicted_scaling

    d = predicted_scaling(HomogeneousConfig(kappa=6.0))
    assert d.exponent == -1.0 and math.isfinite(d.prefactor)
