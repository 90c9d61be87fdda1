"""POWER on [0, 1]: closed forms, limits, Monte Carlo against exact and against value iteration."""

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from workbench._errors import WorkbenchError
from workbench.power import (
    Auto,
    BatchedValueIteration,
    ExactVisits,
    Average,
    Discounted,
    IIDDistribution,
    IIDUniform,
    PerStateDistribution,
    gridworld,
    load_mdp,
    optimality_probability,
    power,
    power_by_value_iteration,
    power_vectors,
    random_deterministic,
    star,
)

ROOT = Path(__file__).resolve().parents[2]
WAIT = load_mdp(ROOT / "mdps/wait.toml")


@pytest.mark.parametrize("k", [1, 2, 3, 7])
@pytest.mark.parametrize("gamma", [0, Fraction(1, 3), Fraction(9, 10), 1])
def test_k_one_cycles_give_k_over_k_plus_1(k, gamma):
    est = power(star(k), "s", gamma)
    assert est.exact == Fraction(k, k + 1) and isinstance(est.method, ExactVisits) and est.error == 0


def test_limits_at_zero_and_one_are_not_evaluated_literally():
    # gamma = 0: best expected next-state reward (candy or wait: max of 2 uniforms)
    assert power(WAIT, "start", 0).exact == Fraction(2, 3)
    # gamma = 1: best average reward over RSDs (candy, chocolate, hug: max of 3)
    assert power(WAIT, "start", 1).exact == Fraction(3, 4)
    # integrand vectors at the limits
    vs = power_vectors(WAIT, "start", 0)
    assert sorted(vs) == sorted([(0, 0, 1, 0, 0), (0, 1, 0, 0, 0)])


def test_power_continuous_near_the_limits():
    for g in [Fraction(1, 10**6), Fraction(999999, 10**6)]:
        est = power(WAIT, "start", g, Auto(samples=200_000, seed=3))
        ref = 2 / 3 if g < Fraction(1, 2) else 3 / 4
        assert abs(est.power - ref) < 0.01


def test_monte_carlo_ci_covers_exact_integral_wait_half():
    # POWER(start, 1/2) = E[max(r_candy, (r_wait + max(r_choc, r_hug)) / 2)], computed by
    # numerical integration over the 4 uniforms (1-d inner integrals exact):
    # f(γ) for candy: g = e_candy; for wait: (1-γ)(γ e_wait + γ²/(1-γ) e_x)/γ = (1/2) e_wait + (1/2) e_x
    rng = np.random.default_rng(123)
    R = rng.uniform(size=(2_000_000, 4))
    ref = np.maximum(R[:, 0], 0.5 * R[:, 1] + 0.5 * np.maximum(R[:, 2], R[:, 3])).mean()
    est = power(WAIT, "start", Fraction(1, 2), Auto(samples=200_000, seed=0))
    assert est.exact is None and est.ci[0] - 2e-3 <= ref <= est.ci[1] + 2e-3


def test_batched_matmul_matches_value_iteration():
    g = gridworld(3, 3)
    rng = np.random.default_rng(7)
    R = rng.uniform(size=(300, 9))
    vi = power_by_value_iteration(g, "r1c1", 0.5, R)
    G = np.array([[float(c) for c in v] for v in power_vectors(g, "r1c1", Fraction(1, 2))])
    mm = (R @ G.T).max(axis=1)
    assert np.allclose(vi, mm, atol=1e-8)


def test_distributions():
    est = power(star(3), "s", 1, distribution=IIDUniform(2, 4))
    assert est.exact == 2 + 2 * Fraction(3, 4)
    est = power(star(2), "s", 1, Auto(samples=100_000), distribution=IIDDistribution(stats.beta(2, 2)))
    assert est.exact is None and est.ci[0] < est.power < est.ci[1]
    # per-state override: x0 always 1 -> POWER = 1
    from workbench.power._orbits.power import IIDUniform as U

    fixed = PerStateDistribution(U(0, 1), {1: IIDDistribution(stats.uniform(1, 0))})
    est = power(star(2), "s", 1, Auto(samples=10_000), distribution=fixed)
    assert abs(est.power - 1.0) < 1e-12


def test_optimality_probability_wait():
    p, (lo, hi) = optimality_probability(WAIT, "start", ["wait"], Average(), samples=50_000)
    assert lo <= 2 / 3 <= hi
    p, (lo, hi) = optimality_probability(WAIT, "start", ["candy"], Discounted(Fraction(1, 2)), samples=50_000)
    assert 0 < p < 1


def test_gamma_out_of_range():
    with pytest.raises(WorkbenchError):
        power(WAIT, "start", Fraction(3, 2))


def test_stochastic_power_runs():
    m = load_mdp(ROOT / "mdps/stochastic.toml")
    est = power(m, "s0", 1)
    assert est.exact is None and 0 < est.power < 1


def test_power_seeking_comparison_of_actions():
    from workbench.power import power_of_actions

    res = power_of_actions(WAIT, "start", 1)
    assert res == {"candy": (Fraction(1, 2), 0.0), "wait": (Fraction(2, 3), 0.0)}
    m = load_mdp(ROOT / "mdps/stochastic.toml")
    res = power_of_actions(m, "s0", Fraction(1, 2), Auto(samples=20_000))
    assert set(res) == {"explore", "safe"} and res["safe"][0] == Fraction(1, 2)


# --- methods: ExactVisits, BatchedValueIteration, Auto -------------------------------------------

SMALL = [(WAIT, "start"), (star(4), "s"), (gridworld(3, 3), "r1c1"), (gridworld(2, 2), "r0c0"),
         (load_mdp(ROOT / "mdps/stochastic.toml"), "s0")] + [(random_deterministic(n, seed=k), "s0")
                                                           for n, k in ((5, 0), (8, 1), (12, 2))]


@pytest.mark.parametrize("gamma", [Fraction(0), Fraction(1, 3), Fraction(9, 10)])
@pytest.mark.parametrize("case", range(len(SMALL)))
def test_both_methods_draw_the_same_samples_and_agree_within_tol(case, gamma):
    m, s = SMALL[case]
    exact = power(m, s, gamma, ExactVisits(samples=4_000, seed=5))
    vi = power(m, s, gamma, BatchedValueIteration(samples=4_000, seed=5, tol=1e-10))
    assert isinstance(vi.method, BatchedValueIteration) and vi.n_options is None
    if exact.exact is None:  # the same reward samples: the estimates differ only by value iteration's tolerance
        assert abs(exact.power - vi.power) <= 1e-9 and abs(exact.error - (vi.error - 1e-10)) <= 1e-9
    else:  # a closed form: the sampled CI covers it (fixed seed)
        assert vi.ci[0] <= float(exact.exact) <= vi.ci[1]


@pytest.mark.parametrize("k, gamma", [(2, Fraction(1, 2)), (3, Fraction(9, 10)), (5, Fraction(1, 10))])
def test_value_iteration_ci_covers_closed_form(k, gamma):
    est = power(star(k), "s", gamma, BatchedValueIteration(samples=20_000, seed=11))
    assert est.exact is None and est.ci[0] <= k / (k + 1) <= est.ci[1] and est.error > est.ci[1] - est.power


def test_value_iteration_ci_covers_exact_wait_integral():
    # the same reference as test_monte_carlo_ci_covers_exact_integral_wait_half
    rng = np.random.default_rng(123)
    R = rng.uniform(size=(2_000_000, 4))
    ref = np.maximum(R[:, 0], 0.5 * R[:, 1] + 0.5 * np.maximum(R[:, 2], R[:, 3])).mean()
    est = power(WAIT, "start", Fraction(1, 2), BatchedValueIteration(samples=100_000, seed=2))
    assert est.ci[0] - 2e-3 <= ref <= est.ci[1] + 2e-3


def test_auto_chooses_before_enumerating_and_says_so():
    small = power(gridworld(3, 3), "r1c1", Fraction(9, 10), Auto(samples=2_000))
    assert isinstance(small.method, ExactVisits) and small.how.startswith("auto: exact (153 lassos")
    big = power(gridworld(6, 6), "r3c3", Fraction(9, 10), Auto(samples=500))
    assert isinstance(big.method, BatchedValueIteration) and "more than" in big.how
    assert isinstance(power(WAIT, "start", 1, Auto()).method, ExactVisits)  # no value iteration at gamma = 1
    assert power(WAIT, "start", Fraction(9, 10)).to_json()["method"] == "ExactVisits"


def test_exact_enumeration_bounded_before_work_names_the_alternative():
    with pytest.raises(WorkbenchError, match="max_visits.*BatchedValueIteration"):
        power(gridworld(6, 6), "r3c3", Fraction(9, 10), ExactVisits(samples=100))
    with pytest.raises(WorkbenchError, match="gamma < 1.*ExactVisits"):
        power(WAIT, "start", 1, BatchedValueIteration(samples=100))
    with pytest.raises(WorkbenchError, match="MAX_ITERATION_WORK"):
        power(gridworld(6, 6), "r3c3", Fraction(999999, 10**6), BatchedValueIteration(samples=1_000_000))


@pytest.mark.parametrize("bad", [lambda: ExactVisits(samples=1), lambda: BatchedValueIteration(tol=0),
                                 lambda: Auto(seed=-1), lambda: BatchedValueIteration(tol=float("nan"))])
def test_methods_validate(bad):
    with pytest.raises(WorkbenchError):
        bad()


def test_method_must_be_a_method_object():
    with pytest.raises(WorkbenchError, match="ExactVisits"):
        power(WAIT, "start", 1, "exact")
