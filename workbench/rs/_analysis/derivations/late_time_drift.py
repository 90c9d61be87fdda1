"""RS8: the late-time drift of p, its threshold p*, and the exact asymptotic basins.

Near the saturated line a = b = 1 write a = 1 - u, b = 1 - v. From the model's own field:
  du/dt = q_u(u, v) + ..., dv/dt = q_v(u, v) + ... (quadratic), so u ~ U/t, v ~ V/t with
  -U = q_u(U, V), -V = q_v(U, V); then dz/d(ln t) -> D(p) and D(p*) = 0.
Gradient flow:   U = 1/(alpha_x p), V = 1/(alpha_y (1-p)),
                 D(p) = alpha_z (p/alpha_y - (1-p)/alpha_x),  p* = alpha_y/(alpha_x + alpha_y).
In the (p, U, V) system on the ln t scale, p* is a saddle (Routh-Hurwitz: a3 < 0).
Exact at all times: R+ = {a >= b, p >= p_inv} and R- = {a <= b, p <= p_inv} are forward invariant,
with p_inv = p* (checked for gradient and replicator, for kappa in {1/4, 1/2, 3/4}:
p* = (1-kappa) alpha_y / (alpha_x + (1-kappa)^2 alpha_y)). With cost > 0 the drift is the
constant -alpha_z cost: R- stays invariant, R+ does not.
Run: python proofs/late_time_drift.py   (exit 0 = every symbolic check passed)
"""

import sympy as sp

from workbench.rs import GradientFlow, ReplicatorFlow
from workbench.rs._analysis.checks import SymbolicChecks
from workbench.rs._analysis.drift import late_time_drift
from workbench.rs._analysis.equilibria import ALPHA_X, ALPHA_Y, ALPHA_Z, P, probability_field


def main():
    check = SymbolicChecks()


    def show(rule):
        print(f"  skill decay (U, V) with u ~ U/t, v ~ V/t: {[sp.sstr(s) for s in rule.skill_decay]}")
        print("  leading drift of the propensity logit:")
        sp.pprint(sp.Eq(sp.Symbol(rule.drift_label), rule.drift), num_columns=140)
        print(f"  p* = {sp.sstr(rule.p_star)},  p_inv = {sp.sstr(rule.p_invariant)}")
        print(f"  rule: {rule.direction}")
        if rule.saddle:
            print(f"  Routh-Hurwitz at p*: a1 = {sp.sstr(rule.saddle['a1'])}, a2 = {sp.sstr(rule.saddle['a2'])}, "
                  f"a3 = {sp.sstr(rule.saddle['a3'])}")


    for flow in (GradientFlow(), ReplicatorFlow()):
        print("=" * 100)
        print(flow.name, "(kappa = 0, cost = 0)")
        rule = late_time_drift(probability_field(flow))
        show(rule)
        check(f"{flow.name}: threshold kind", rule.kind == "threshold")
        check(f"{flow.name}: p* = alpha_y/(alpha_x + alpha_y)", sp.simplify(rule.p_star - ALPHA_Y / (ALPHA_X + ALPHA_Y)) == 0)
        check(f"{flow.name}: D(p)/(p - p*) > 0 (p* repels the drift: p -> 1 above, p -> 0 below)",
              rule.checks.get("drift_over_(p-p_star)_positive") is True)
        check(f"{flow.name}: (p*, U, V) is a saddle of the ln t system (a3 < 0)", rule.saddle["positive_real_eigenvalue"] is True)
        check(f"{flow.name}: characteristic polynomial of the saddle checked", rule.saddle["characteristic_polynomial_checked"])
        check(f"{flow.name}: d(a-b)/dt on a=b has the sign of p - p_inv", rule.checks.get("race_over_(p-p_inv)_positive") is True)
        check(f"{flow.name}: pdot > 0 where a > b and pdot < 0 where a < b", rule.r_plus_certified and rule.r_minus_certified)
        check(f"{flow.name}: p_inv = p* (the invariant regions meet at the drift threshold)",
              sp.simplify(rule.p_invariant - rule.p_star) == 0)
        if flow.name == "gradient":
            expected = ALPHA_Z * (P / ALPHA_Y - (1 - P) / ALPHA_X)
            check("gradient: D(p) = alpha_z (p/alpha_y - (1-p)/alpha_x)", sp.simplify(rule.drift - expected) == 0)

    print("=" * 100)
    print("footnote-4 variant: p* as a function of kappa")
    for flow in (GradientFlow(), ReplicatorFlow()):
        for kap in (sp.Rational(1, 4), sp.Rational(1, 2), sp.Rational(3, 4)):
            rule = late_time_drift(probability_field(flow, kappa_value=kap))
            closed = (1 - kap) * ALPHA_Y / (ALPHA_X + (1 - kap) ** 2 * ALPHA_Y)
            print(f"  {flow.name}, kappa = {kap}: p* = {sp.sstr(rule.p_star)}, p_inv = {sp.sstr(rule.p_invariant)}")
            check(f"{flow.name}, kappa={kap}: p* = (1-kappa) a_y/(a_x + (1-kappa)^2 a_y) = p_inv",
                  rule.p_star is not None and sp.simplify(rule.p_star - closed) == 0 and sp.simplify(rule.p_invariant - closed) == 0)
            check(f"{flow.name}, kappa={kap}: invariant regions certified", rule.r_plus_certified and rule.r_minus_certified)
        rule = late_time_drift(probability_field(flow, kappa_value=sp.Rational(3, 2)))
        print(f"  {flow.name}, kappa = 3/2: p_inv = {rule.p_invariant} ({rule.checks.get('sign_everywhere')})")
        check(f"{flow.name}, kappa=3/2 (>= 1): d(a-b)/dt > 0 on a = b everywhere, so R+ = {{a >= b}}", rule.p_invariant == 0)

    print("=" * 100)
    print("cost variant (cost = 1/10)")
    for flow in (GradientFlow(), ReplicatorFlow()):
        rule = late_time_drift(probability_field(flow, cost_value=sp.Rational(1, 10)))
        show(rule)
        check(f"{flow.name}, cost=1/10: constant drift (order 0 in the skill gaps)", rule.kind == "constant")
        check(f"{flow.name}, cost=1/10: dz/d(ln t) < 0 for every p in (0,1)", "drifts to 0" in rule.direction)
        check(f"{flow.name}, cost=1/10: R- certified, R+ not", rule.r_minus_certified and not rule.r_plus_certified)

    check.finish()


if __name__ == "__main__":
    main()
