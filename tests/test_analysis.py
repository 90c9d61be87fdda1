"""Symbolic analysis of the reduced dynamics (RS6, RS8): known answers, cross-checks, CLI, proofs."""

import argparse
import json

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench._errors import WorkbenchError
from workbench.claims._proofs import run_proof
from workbench.rs import (
    GradientFlow, Horizon, HomogeneousConfig, ReplicatorFlow, RewardModel, full_system, reduced_system, simulate,
)
from workbench.rs._analysis.analyze import analyze, trajectory_check
from workbench.cli.rs_analyze import add_analyze_command, run_analyze
from workbench.rs._analysis.asymptotic import Asymptotic
from workbench.rs._analysis.drift import late_time_drift
from workbench.rs._analysis.equilibria import (
    ALPHA_X, ALPHA_Y, ALPHA_Z, ALPHAS, COORDS, A, B, P, equilibrium_report, equilibrium_sets, probability_field,
    routh_hurwitz_3x3, to_probability,
)
from workbench.rs._analysis.scaling_laws import CriticalPrior, LogarithmicLaw, NoRescaling, NoSaturation, PowerLaw, ScalingLaw
from workbench.rs._analysis.small_prior import limit_system, predicted_n_star, predicted_scaling

SEED_LINES = {
    "line {a=0, b=0, p in [0,1]}": "repelling",
    "line {a=1, b=1, p in [0,1]}": "attracting",
    "line {p=0, b=0, a in [0,1]}": "repelling",
    "line {p=0, b=1, a in [0,1]}": "attracting",
    "line {p=1, a=0, b in [0,1]}": "repelling",
    "line {p=1, a=1, b in [0,1]}": "attracting",
}


# ----------------------------------------------------------------------------------------------
# Known answers
# ----------------------------------------------------------------------------------------------

def test_gradient_field_in_probability_coordinates():
    f = probability_field(GradientFlow())
    expected = (ALPHA_Z * P**2 * (1 - P) ** 2 * (A - B), ALPHA_X * P * A**2 * (1 - A) ** 2,
                ALPHA_Y * (1 - P) * B**2 * (1 - B) ** 2)
    assert all(sp.simplify(c - e) == 0 for c, e in zip(f.components, expected))


def test_replicator_field_in_probability_coordinates():
    f = probability_field(ReplicatorFlow())
    expected = (ALPHA_Z * P * (1 - P) * (A - B), ALPHA_X * P * A * (1 - A) ** 2, ALPHA_Y * (1 - P) * B * (1 - B) ** 2)
    assert all(sp.simplify(c - e) == 0 for c, e in zip(f.components, expected))


def test_text_model_gives_the_same_field_as_the_cost_parameter():
    text = RewardModel.from_text("p*(a - 1/10) + (1-p)*b")
    f1 = probability_field(GradientFlow(), text)
    f2 = probability_field(GradientFlow(), cost_value=0.1)
    assert all(sp.simplify(c1 - c2) == 0 for c1, c2 in zip(f1.components, f2.components))


def test_to_probability_rejects_foreign_sigmoids():
    from workbench.rs._model.expression import sigmoid
    from workbench.rs._model.reward_model import x, z

    with pytest.raises(WorkbenchError):
        to_probability(sigmoid(z + x), {z: P})


@pytest.mark.parametrize("flow", [GradientFlow(), ReplicatorFlow()], ids=lambda f: f.name)
def test_six_lines_with_seed_verdicts(flow):
    rep = equilibrium_report(probability_field(flow))
    assert {s.eq_set.label(): s.verdict for s in rep.sets} == SEED_LINES


def test_gradient_equilibria_are_non_hyperbolic_and_replicator_partly_hyperbolic():
    grad = equilibrium_report(probability_field(GradientFlow()))
    assert all(all(e == 0 for e in s.eigenvalues) for s in grad.sets)
    rep = equilibrium_report(probability_field(ReplicatorFlow()))
    line = [s for s in rep.sets if s.eq_set.label() == "line {p=0, b=0, a in [0,1]}"][0]
    assert sp.simplify(sp.Mul(*[e for e in line.eigenvalues if e != 0]) - A * ALPHA_Z * ALPHA_Y) == 0


def test_cost_makes_the_reward_seeking_line_change_character_at_one_minus_cost():
    rep = equilibrium_report(probability_field(GradientFlow(), cost_value=0.1))
    labels = {s.eq_set.label(): s for s in rep.sets}
    assert "line {a=1, b=1, p in [0,1]}" not in labels
    line = labels["line {p=1, a=1, b in [0,1]}"]
    assert line.verdict.startswith("changes character")
    assert sp.Rational(9, 10) in line.normal[0].sign_changes


def test_equilibrium_sets_contain_every_solve_solution():
    f = probability_field(GradientFlow())
    sets = equilibrium_sets(f)
    nums = [sp.fraction(sp.together(c))[0] for c in f.components]
    for sol in sp.solve(nums, list(COORDS), dict=True):
        assert any(all(sp.simplify(sol.get(v, v) - s.substitution().get(v, v)) == 0 or v not in s.substitution()
                       for v in COORDS) for s in sets)


def test_routh_hurwitz_3x3():
    assert routh_hurwitz_3x3(sp.diag(-1, -2, -3))["stable"] is True
    rh = routh_hurwitz_3x3(sp.Matrix([[0, 1, 0], [0, 0, 1], [1, -3, -3]]))  # lambda^3 + 3 lambda^2 + 3 lambda - 1
    assert rh["stable"] is False and rh["positive_real_eigenvalue"] is True
    assert rh["characteristic_polynomial_checked"]


@pytest.mark.parametrize("flow", [GradientFlow(), ReplicatorFlow()], ids=lambda f: f.name)
def test_late_time_threshold(flow):
    rule = late_time_drift(probability_field(flow))
    assert sp.simplify(rule.p_star - ALPHA_Y / (ALPHA_X + ALPHA_Y)) == 0
    assert sp.simplify(rule.p_invariant - rule.p_star) == 0
    assert rule.r_plus_certified and rule.r_minus_certified
    assert rule.saddle["positive_real_eigenvalue"] is True


def test_gradient_drift_on_log_time_scale():
    rule = late_time_drift(probability_field(GradientFlow()))
    assert sp.simplify(rule.drift - ALPHA_Z * (P / ALPHA_Y - (1 - P) / ALPHA_X)) == 0


def test_kappa_threshold_closed_form():
    rule = late_time_drift(probability_field(GradientFlow(), kappa_value=sp.Rational(1, 2)))
    assert sp.simplify(rule.p_star - 2 * ALPHA_Y / (4 * ALPHA_X + ALPHA_Y)) == 0


def test_cost_drift_is_constant_and_breaks_r_plus():
    rule = late_time_drift(probability_field(GradientFlow(), cost_value=0.1))
    assert rule.kind == "constant" and rule.p_star is None
    assert rule.r_minus_certified and not rule.r_plus_certified


# ----------------------------------------------------------------------------------------------
# Jacobian against finite differences (hypothesis)
# ----------------------------------------------------------------------------------------------

_JACOBIANS = {}


def _numeric_field_and_jacobian(name, kappa, cost):
    key = (name, kappa, cost)
    if key not in _JACOBIANS:
        f = probability_field(GradientFlow() if name == "gradient" else ReplicatorFlow(), kappa_value=kappa, cost_value=cost)
        _JACOBIANS[key] = (f.numeric(), sp.lambdify((*COORDS, *ALPHAS), f.jacobian(), "numpy"))
    return _JACOBIANS[key]


@settings(max_examples=30, deadline=None)
@given(
    variant=st.sampled_from([("gradient", 0, 0), ("replicator", 0, 0), ("gradient", 0.5, 0.1), ("replicator", 0.25, 0)]),
    pab=st.tuples(*[st.floats(0.05, 0.95) for _ in range(3)]),
    alphas=st.tuples(*[st.floats(0.2, 3.0) for _ in range(3)]),
)
def test_symbolic_jacobian_matches_finite_differences(variant, pab, alphas):
    f, jac = _numeric_field_and_jacobian(*variant)
    J = np.array(jac(*pab, *alphas), dtype=float)
    h = 1e-6
    fd = np.empty((3, 3))
    for k in range(3):
        up, dn = list(pab), list(pab)
        up[k] += h
        dn[k] -= h
        fd[:, k] = (np.array(f(*up, *alphas)) - np.array(f(*dn, *alphas))) / (2 * h)
    np.testing.assert_allclose(J, fd, rtol=1e-5, atol=1e-8)


# ----------------------------------------------------------------------------------------------
# Numeric behaviour near classified sets; the asymptotic criterion
# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("flow,cost", [(GradientFlow(), 0), (ReplicatorFlow(), 0), (GradientFlow(), 0.1)],
                         ids=["gradient", "replicator", "gradient-cost"])
def test_trajectories_near_sets_behave_as_classified(flow, cost):
    records = trajectory_check(equilibrium_report(probability_field(flow, cost_value=cost)))
    assert len(records) >= 30
    assert all(r["ok"] for r in records), [r for r in records if not r["ok"]][:3]


@pytest.mark.parametrize("flow,kappa", [(GradientFlow(), 0.0), (ReplicatorFlow(), 0.0), (GradientFlow(), 0.5)],
                         ids=["gradient", "replicator", "kappa"])
def test_asymptotic_agrees_with_long_integration(flow, kappa):
    cfgs = [HomogeneousConfig(p0=p0, n=float(n), flow=flow, kappa=kappa)
            for p0 in (0.3, 0.03, 1e-3) for n in np.geomspace(1, 1e4, 9)]
    ra = simulate(reduced_system(cfgs), criterion=Asymptotic(), t_max=1e12)
    rh = simulate(reduced_system(cfgs), criterion=Horizon(), t_max=1e14)
    decided = (rh.mean_p < 1e-3) | (rh.mean_p > 1 - 1e-3)
    assert decided.all()
    assert list(ra.outcome) == list(rh.outcome)
    assert {"reward-seeking", "local"} <= set(ra.outcome)


def test_asymptotic_on_the_full_homogeneous_system_matches_the_reduced_one():
    for n, p0 in [(5, 0.1), (5, 0.01), (40, 0.01)]:
        cfg = HomogeneousConfig(p0=p0, n=n)
        full = simulate(full_system(cfg, dense=True), criterion=Asymptotic(), t_max=1e9)
        red = simulate(reduced_system(cfg), criterion=Asymptotic(), t_max=1e9)
        assert full.outcome[0] == red.outcome[0]
        assert full.t_end[0] == pytest.approx(red.t_end[0], rel=1e-4, abs=1e-9)


def test_asymptotic_starts_decided_inside_r_plus():
    # p0 = 0.5 > p* = 1/2 at N = 1 would be on the boundary; at N = 11, p* = 1/3 and a0 > b0.
    r = simulate(reduced_system(HomogeneousConfig(p0=0.5, n=11)), criterion=Asymptotic())
    assert r.outcome[0] == "reward-seeking" and r.t_end[0] == 0.0


def test_asymptotic_with_cost_uses_r_minus_or_the_drift_at_the_cap():
    cfgs = [HomogeneousConfig(p0=p0, n=30.0, cost=0.1) for p0 in (0.9, 0.01)]
    r = simulate(reduced_system(cfgs), criterion=Asymptotic(), t_max=1e6)
    long = simulate(reduced_system(cfgs), criterion=Horizon(), t_max=1e12)
    assert list(r.outcome) == list(long.outcome)


def test_asymptotic_describe_and_threshold():
    d = Asymptotic(threshold=0.4).describe()
    assert d["criterion"] == "asymptotic" and d["threshold"] == 0.4


# ----------------------------------------------------------------------------------------------
# Small prior
# ----------------------------------------------------------------------------------------------

def test_limit_system_is_n_independent_for_the_gradient_flow():
    ls = limit_system()
    assert ls.exists and not any(c.has(ALPHA_Z) for c in ls.components)
    assert not limit_system(ReplicatorFlow()).exists


def test_predicted_scaling_canonical_matches_the_computed_n_star():
    d = predicted_scaling(HomogeneousConfig())
    assert isinstance(d, PowerLaw) and d.applies and d.law == ScalingLaw.POWER and d.exponent == -1.0
    # N*_c computed by critical_diversity for the canonical configuration (brief): 1808139.3 at p0 = 1e-6
    assert d.prefactor == pytest.approx(1.8081, rel=2e-4)
    assert float(predicted_n_star(HomogeneousConfig(), 1e-5)) == pytest.approx(180800.1, rel=2e-4)
    assert d.prefactor_asymptotic < d.prefactor
    assert list(d.to_dict())[:8] == ["variant", "kappa", "cost", "exponent", "prefactor", "applies", "law", "eps"]
    assert d.to_dict()["law"] == "power" and type(d.to_dict()["law"]) is str


def test_predicted_scaling_is_computed_once_per_configuration():
    """Several claims and predicted_n_star (once per prior) ask for the same prediction: it is shared,
    and the lambdified limit field is derived once per parameters (the bisections reuse it)."""
    from workbench.rs._analysis.small_prior import _limit_field, _predicted_scaling

    cfg = HomogeneousConfig()
    first = predicted_scaling(cfg)
    assert predicted_scaling(cfg.with_(p0=cfg.p0)) is first
    assert _predicted_scaling(cfg, 1e-3) == first  # the same result computed afresh
    before = _limit_field.cache_info().misses
    predicted_scaling(cfg, eps=2e-3)  # a new eps: new bisections, the same field
    assert _limit_field.cache_info().misses == before


def test_predicted_scaling_replicator_and_local_transfer():
    rep = predicted_scaling(HomogeneousConfig(flow=ReplicatorFlow()))
    assert isinstance(rep, LogarithmicLaw) and not rep.applies and rep.law == "logarithmic"
    assert rep.I == pytest.approx(1 - (1 - np.exp(-2)) / 2, rel=1e-8)  # int_{-2}^{0} (1 - e^y)/2 dy
    cy = predicted_scaling(HomogeneousConfig(c=(0.1, 0.1, 0.05)))
    assert isinstance(cy, CriticalPrior) and not cy.applies and 0.05 < cy.critical_prior < 0.15
    cost = predicted_scaling(HomogeneousConfig(cost=0.1))  # J <= 1 - cost on the reward-seeking branch
    assert isinstance(cost, NoSaturation) and not cost.applies and cost.prefactor is None
    none = predicted_scaling(HomogeneousConfig(c=(0.0, 0.1, 0.0)))
    assert isinstance(none, NoRescaling) and none.law is None and "law" not in none.to_dict()


def test_predicted_scaling_kappa_matches_numeric_n_star():
    from workbench.rs._homogeneous.critical import critical_diversity
    from workbench.rs import LogGrid

    cfg = HomogeneousConfig(kappa=0.5)
    d = predicted_scaling(cfg)
    [r] = critical_diversity(cfg.with_(p0=1e-4), n_max=1e7, scan=LogGrid(29), rel_tol=1e-7, t_max=1e9)
    assert float(predicted_n_star(cfg, 1e-4)) == pytest.approx(r.n_star_continuous, rel=2e-3)
    assert d.exponent == -1.0



def _canonical_limit_prefactor(p_cutoff):
    from workbench.rs._analysis.small_prior import critical_limit_prior

    cfg = HomogeneousConfig()
    ls = limit_system(cfg.flow, cfg.model, cfg.kappa, cfg.cost)
    return critical_limit_prior(ls, cfg.x0, cfg.y0, 1.0, 1.0, 1e-3, p_cutoff=p_cutoff) / (cfg.c[0] * cfg.alpha[0])


def test_small_prior_prefactor_names_its_cut_off():
    # the blow-up's cut-off is a parameter; the default (1e8) is the reported prefactor
    assert _canonical_limit_prefactor(1e8) == pytest.approx(predicted_scaling(HomogeneousConfig()).prefactor, rel=1e-12)
    # the independent values at 1e4 and 1e12; the prefactor rises towards its limit
    low, high, limit = (_canonical_limit_prefactor(pc) for pc in (1e4, 1e12, float("inf")))
    assert round(low, 5) == 1.80802 and round(high, 5) == 1.80832
    assert low < high < limit == pytest.approx(1.80849, abs=1e-5)


@pytest.mark.slow
def test_small_prior_limit_agrees_with_two_fits_in_one_over_log_cutoff():
    from workbench.rs import small_prior_limit

    r = small_prior_limit()
    assert r.prefactor == pytest.approx(1.808492, abs=2e-6) and r.error < 2e-5
    assert all(np.all(np.diff(f["prefactors"]) > 0) for f in r.fits)
    assert 0.004 < r.rate < 0.006

# ----------------------------------------------------------------------------------------------
# Analysis object and command line
# ----------------------------------------------------------------------------------------------

def _parser():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    add_analyze_command(sub)
    return parser


def test_analyze_json_round_trip(capsys):
    args = _parser().parse_args(["analyze", "--variant", "replicator", "--json"])
    assert run_analyze(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["variant"] == "replicator" and len(out["equilibrium_sets"]) == 6
    assert out["late_time_drift"]["p_star"] == "alpha_y/(alpha_x + alpha_y)"
    assert out["scaling"]["law"] == "logarithmic"


def test_analyze_text_and_latex(capsys):
    assert run_analyze(_parser().parse_args(["analyze"])) == 0
    text = capsys.readouterr().out
    assert "p* = alpha_y/(alpha_x + alpha_y)" in text and "N* ~ 1.808" in text
    assert run_analyze(_parser().parse_args(["analyze", "--cost", "0.1", "--latex"])) == 0
    assert r"\begin{align*}" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["analyze", "--kappa", "-1"], ["analyze", "--cost", "nan"],
                                  ["analyze", "--kappa", "__import__('os')"], ["analyze", "--latex", "--json"]])
def test_analyze_bad_input(argv):
    with pytest.raises(WorkbenchError):
        run_analyze(_parser().parse_args(argv))


def test_analyze_bad_input_through_main_exits_2(capsys):
    from workbench.cli._main import main

    assert main(["rs", "analyze", "--kappa", "-1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "kappa" in err


def test_analysis_object_to_json_is_serialisable():
    from workbench._io import dumps_json

    a = analyze("gradient", kappa=0.5)
    assert "p_star" in json.loads(dumps_json(a.to_json()))["late_time_drift"]


# ----------------------------------------------------------------------------------------------
# Proof scripts
# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["homogeneous_reduction", "monotonicity_direction", "equilibria_stability",
                                  "late_time_drift", "small_prior_scaling"])
def test_proof_script_passes(name):
    run = run_proof(name, timeout=300)
    assert run.available and run.passed, run.output[-2000:]
    assert "RESULT: all checks passed" in run.output


def test_analysis_claims_register_their_ids():
    import workbench.claims.rs.analysis  # noqa: F401
    from workbench.claims._registry import _REGISTRY

    assert {"RS8", "RS8a", "RS8b", "RS6a", "RS6b", "RS6c", "RS7a", "RS5a"} <= set(_REGISTRY)
