"""RS6: why log N* against log p0 is a straight line of slope -1 (gradient flow, c_y = 0),
and why it is not for the replicator flow or for c_y > 0.

1. Rescaling. Put P = alpha_z_eff * p and alpha_x_eff = rho * alpha_z_eff in the reduced field
   (derived from the model) and let alpha_z_eff -> oo. The gradient flow tends to the limit system
       dP/dt = P^2 (a - b),  da/dt = rho P a^2 (1-a)^2,  db/dt = alpha_y b^2 (1-b)^2,
   which contains no N (checked: no alpha_z left; the finite-N field is the limit + O(1/alpha_z)).
2. Hence the outcome depends on p0 only through P0 = alpha_z (1 + (N-1) c_z) p0, and switches at
   the limit system's critical P0*: N* = 1 + (P0*/(alpha_z p0) - 1)/c_z, slope d ln N*/d ln p0 -> -1.
3. P0* comes from the limit system numerically (bisection; saturation rule at leading order in 1/N),
   and is compared with the directly computed N* of the canonical configuration.
4. Replicator: the same limit diverges (dz/dt = alpha_z (a - b) does not vanish as p -> 0), so the
   prior is climbed in log space at rate ~ N: N* ~ ln(1/p0) / (c_z alpha_z I), logarithmic.
5. c_y > 0: every alpha_eff ~ N; time rescaled by N gives an N-independent system with
   learnabilities c_k alpha_k, whose outcome at small p0 is local: a critical prior exists.
Run: python proofs/small_prior_scaling.py   (exit 0 = every check passed)
"""

import math
import sympy as sp

from workbench.rs import HomogeneousConfig, ReplicatorFlow, Saturation
from workbench.rs._analysis.checks import SymbolicChecks
from workbench.rs._analysis.asymptotic import Asymptotic
from workbench.rs._homogeneous.critical import critical_diversity
from workbench.rs._homogeneous.scan import LogGrid
from workbench.rs._analysis.equilibria import ALPHA_X, ALPHA_Z, P, probability_field
from workbench.rs._analysis.small_prior import PP, RHO, limit_system, predicted_scaling


def main():
    check = SymbolicChecks()


    print("1. Small-prior rescaling of the gradient flow (from the model's own field)")
    ls = limit_system()
    for name, comp in zip(("dP/dt", "da/dt", "db/dt"), ls.components):
        sp.pprint(sp.Eq(sp.Symbol(name), comp))
    check("the limit exists and is finite", ls.exists)
    check("the limit contains no alpha_z, i.e. no N", not any(c.has(ALPHA_Z) for c in ls.components))
    # finite-N field = limit + O(1/alpha_z)
    field = probability_field()
    lam = sp.Symbol("epsilon", positive=True)  # epsilon = 1/alpha_z_eff
    exact = [ALPHA_Z * field.components[0], field.components[1], field.components[2]]
    exact = [sp.together(e.subs({P: PP / ALPHA_Z, ALPHA_X: RHO * ALPHA_Z}).subs(ALPHA_Z, 1 / lam)) for e in exact]
    corr = [sp.simplify(sp.limit((e - c) / lam, lam, 0)) for e, c in zip(exact, ls.components)]
    print("  first-order corrections (coefficient of 1/alpha_z_eff):", [sp.sstr(c) for c in corr])
    check("the finite-N field differs from the limit by O(1/alpha_z_eff) (finite first-order coefficients)",
          all(c.is_finite is not False and not c.has(sp.oo, sp.zoo) for c in corr))

    print("\n2. Exponent")
    p0, P0s, az, cz = sp.symbols("p_0 P_0^* alpha_z c_z", positive=True)
    n_star = 1 + (P0s / (az * p0) - 1) / cz
    sp.pprint(sp.Eq(sp.Symbol("N*"), n_star))
    slope = sp.limit(sp.diff(sp.log(n_star), p0) * p0, p0, 0)
    print("  lim_{p0->0} d ln N*/d ln p0 =", slope)
    check("exponent -1", slope == -1)

    print("\n3. Prefactor from the limit system vs the computed N* (canonical configuration)")
    cfg = HomogeneousConfig()
    pred = predicted_scaling(cfg)
    print(f"  P0* (saturation, eps=1e-3) = {pred.P0_star:.6f}  -> prefactor P0*/(c_z alpha_z) = {pred.prefactor:.5f}")
    print(f"  P0* (t -> oo criterion)   = {pred.P0_star_asymptotic:.6f}  -> prefactor {pred.prefactor_asymptotic:.5f}")
    p0s = [1e-3, 1e-4, 1e-5]
    for crit, key in ((Saturation(), "P0_star"), (Asymptotic(), "P0_star_asymptotic")):
        res = critical_diversity([cfg.with_(p0=v) for v in p0s], criterion=crit, n_max=1e7, scan=LogGrid(29), rel_tol=1e-7,
                                 t_max=1e9)
        for v, r in zip(p0s, res):
            predicted = 1 + (getattr(pred, key) / v - 1) / cfg.c[0]
            rel = abs(predicted / r.n_star_continuous - 1)
            print(f"  {crit.describe()['criterion']:>10}: p0={v:.0e}  N*_c computed {r.n_star_continuous:12.2f}"
                  f"  predicted {predicted:12.2f}  rel. diff {rel:.1e}")
            check(f"{crit.describe()['criterion']}, p0={v:.0e}: |predicted/computed - 1| < 2e-3", rel < 2e-3)

    print("\n4. Replicator flow")
    lr = limit_system(ReplicatorFlow())
    print("  limits:", [sp.sstr(c) for c in lr.raw_limits])
    check("replicator: the P-limit does not exist (dP/dt grows like alpha_z_eff)", not lr.exists)
    rep = predicted_scaling(cfg.with_(flow=ReplicatorFlow()))
    print(f"  dz/dt / alpha_z at p = 0: {rep.rate_at_p0};  a frozen at p = 0: {rep.a_frozen};  I = {rep.I:.6f}")
    print(f"  leading law N* ~ ln(1/p0)/(c_z alpha_z I) = {rep.log_coefficient:.3f} ln(1/p0)")
    check("replicator: a is frozen at p = 0 and dz/dt does not vanish there", rep.a_frozen and rep.rate_at_p0 != "0")
    res = critical_diversity([cfg.with_(p0=v, flow=ReplicatorFlow()) for v in (1e-4, 1e-6)], n_max=1e5, scan=LogGrid(41),
                             rel_tol=1e-6, t_max=1e9)
    n4, n6 = (r.n_star_continuous for r in res)
    numeric_rate = (n6 - n4) / math.log(100)
    nm = math.sqrt(n4 * n6)
    predicted_rate = 1 / (cfg.c[0] * rep.I + 1 / nm)  # with the ln N correction: c_z I N + ln N = ln(1/p0) + C
    print(f"  N*_c(1e-4) = {n4:.2f}, N*_c(1e-6) = {n6:.2f}: dN*/d ln(1/p0) = {numeric_rate:.2f};"
          f"  predicted 1/(c_z I + 1/N*) = {predicted_rate:.2f} (leading order {rep.log_coefficient:.2f})")
    check("replicator: N* grows linearly in ln(1/p0) at the predicted rate (within 10%)",
          abs(numeric_rate / predicted_rate - 1) < 0.10)

    print("\n5. c_y > 0: a critical prior")
    cy = cfg.with_(c=(0.1, 0.1, 0.05))
    d = predicted_scaling(cy)
    print(f"  c = {cy.c}: N -> oo system has learnabilities {d.n_infinity_learnabilities}; "
          f"critical prior p0_c = {d.critical_prior}")
    check("c_y > 0: no power law, a critical prior exists", (not d.applies) and d.critical_prior is not None)
    below = critical_diversity(cy.with_(p0=0.8 * d.critical_prior), n_max=1e8, scan=LogGrid(33), t_max=1e9)[0]
    above = critical_diversity(cy.with_(p0=1.2 * d.critical_prior), n_max=1e8, scan=LogGrid(33), t_max=1e9)[0]
    print(f"  p0 = 0.8 p0_c: N* = {below.n_star} (n_max 1e8);  p0 = 1.2 p0_c: N* = {above.n_star}")
    check("below p0_c no N <= 1e8 suffices; above it one does", below.n_star is None and above.n_star is not None)

    check.finish()


if __name__ == "__main__":
    main()
