import numpy as np
import pytest

from workbench.rs._homogeneous.reference import reference_outcome
from workbench import WorkbenchError
from workbench.rs import HomogeneousConfig, ReplicatorFlow, alpha_eff
from workbench.rs._homogeneous.critical import critical_diversity, fit_scaling


def test_canonical_n_star_against_independent_reference():
    [r] = critical_diversity(HomogeneousConfig(p0=0.1))
    assert r.monotone and r.n_star is not None
    cfg = r.config
    for n, expected in ((r.n_star, "reward-seeking"), (r.n_star - 1, "local")):
        outcome, _, _ = reference_outcome(cfg.p0, cfg.x0, cfg.y0, tuple(alpha_eff(np.array(cfg.alpha), np.array(cfg.c), n)))
        assert outcome == expected
    lo, hi = r.bracket
    assert lo < r.n_star_continuous <= hi and hi / lo - 1 < 1e-6
    assert r.n_star == int(np.ceil(lo))


def test_batched_priors_match_single_and_decrease():
    priors = [0.1, 0.03, 0.01]
    batch = critical_diversity([HomogeneousConfig(p0=p) for p in priors])
    single = [critical_diversity(HomogeneousConfig(p0=p))[0] for p in priors]
    assert [b.n_star for b in batch] == [s.n_star for s in single]
    assert batch[0].n_star < batch[1].n_star < batch[2].n_star


def test_no_n_star_below_cap_is_reported():
    [r] = critical_diversity(HomogeneousConfig(p0=1e-4), n_max=100)
    assert r.n_star is None and r.n_star_continuous is None and r.monotone


def test_reward_seeking_at_n_one():
    [r] = critical_diversity(HomogeneousConfig(p0=0.5))
    assert r.n_star == 1


def test_fit_scaling_exact_power_law():
    p0 = np.array([1e-1, 1e-2, 1e-3, 1e-4])
    fit = fit_scaling(p0, 3.0 * p0**-1.25)
    assert fit.slope == pytest.approx(-1.25) and fit.r_squared == pytest.approx(1.0)
    assert fit.slope_ci[0] == pytest.approx(-1.25, abs=1e-9) and fit.slope_ci[1] == pytest.approx(-1.25, abs=1e-9)


def test_fit_scaling_needs_three_points():
    with pytest.raises(WorkbenchError):
        fit_scaling([0.1, 0.01, 0.001], [10.0, None, 100.0])


def test_replicator_grows_slower_than_gradient():
    g = critical_diversity([HomogeneousConfig(p0=p) for p in (1e-2, 1e-4)])
    r = critical_diversity([HomogeneousConfig(p0=p, flow=ReplicatorFlow()) for p in (1e-2, 1e-4)])
    assert r[1].n_star / r[0].n_star < g[1].n_star / g[0].n_star


def _outcome_at(cfg, n):
    from workbench.rs import reduced_system, simulate

    return str(simulate(reduced_system(cfg, n=float(n))).outcome[0])


def _assert_exact_n_star(p0, n_max):
    [r] = critical_diversity(HomogeneousConfig(p0=p0), n_max=n_max)
    assert r.n_star is not None and r.integer_check["consistent"]
    # the defining relation, checked by simulating afresh: N* - 1 fails, N* succeeds
    assert _outcome_at(r.config, r.n_star) == "reward-seeking"
    assert _outcome_at(r.config, r.n_star - 1) == "local"
    lo, hi = r.bracket
    assert r.n_star - 1 <= lo < r.n_star_continuous <= hi <= r.n_star
    return r


def test_integer_n_star_is_exact_beyond_the_section_search_resolution():
    # the section search stops at a relative width of 1e-7, wider than 1 above N = 1e7
    r = _assert_exact_n_star(1e-8, 1e9)
    assert r.n_star == 180822871  # two independent integrators agree (issue 12)


@pytest.mark.slow
@pytest.mark.parametrize("p0, n_max", [(1e-10, 1e11), (2e-12, 1e12)])
def test_integer_n_star_is_exact_up_to_1e12(p0, n_max):
    r = _assert_exact_n_star(p0, n_max)
    assert r.n_star == pytest.approx(1.808 / p0, rel=1e-3)
