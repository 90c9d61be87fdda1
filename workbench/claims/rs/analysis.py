"""Claims settled by the symbolic analysis: RS8 and results beyond the seed (RS5a, RS6a-c, RS7a, RS8a-b).

Each check runs the matching ``proofs/`` script (the proof a reader can rerun) and, where the
claim is numeric in nature, a stated numeric cross-check.
"""

from __future__ import annotations

import math

import numpy as np

from workbench.claims._registry import CheckContext, Evidence, Step, StepKind, claim
from workbench.claims._proofs import cached_proof

SEED = "seed 000"
CANONICAL_PRIORS = (1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6)


_proof = cached_proof  # proofs/<name>.py, run once per verify run


def _proof_details(*runs) -> dict:
    return {r.name: r.to_json() for r in runs}


@claim("RS8", source=f"{SEED}, 'Single-Environment' (asymptotic remark) and spec section 3",
       statement=("Fixed points of the reduced dynamics, their stability, and the late-time drift of p: in (p, a, b) "
                  "the equilibria are six lines on edges of the cube (all non-hyperbolic for the gradient flow); "
                  "{a=b=1}, {p=0,b=1}, {p=1,a=1} attract, {a=b=0}, {p=0,b=0}, {p=1,a=0} repel; near a = b = 1 "
                  "the propensity drifts on the ln t scale with dz/d ln t = alpha_z (p/alpha_y - (1-p)/alpha_x), "
                  "towards 1 above p* = alpha_y/(alpha_x + alpha_y) and towards 0 below."),
       code="workbench/rs/_analysis/equilibria.py; workbench/rs/_analysis/drift.py; proofs/equilibria_stability.py; proofs/late_time_drift.py")
def check_rs8(context: CheckContext) -> Evidence:
    from workbench.rs._analysis.analyze import trajectory_check
    from workbench.rs._analysis.equilibria import equilibrium_report, probability_field
    from workbench.rs._model.reward_model import GradientFlow, ReplicatorFlow

    records = []
    for flow, cost in ((GradientFlow(), 0), (ReplicatorFlow(), 0), (GradientFlow(), 0.1)):
        records += [{**r, "variant": flow.name, "cost": cost}
                    for r in trajectory_check(equilibrium_report(probability_field(flow, cost_value=cost)))]
    # the proofs last: in a parallel verify they run beside this check (their own tasks)
    eq, drift = _proof(context, "equilibria_stability"), _proof(context, "late_time_drift")
    bad = [r for r in records if not r["ok"]]
    steps = (
        Step("the equilibrium sets (branching over factors, verified by substitution and sympy.solve) and their linear "
             "eigenvalues (proofs/equilibria_stability.py)", StepKind.SYMBOLIC, "general alphas, gradient and replicator flows",
             eq.passed, complete=True),
        Step("stability of the non-hyperbolic sets from the leading inward normal term, one normal direction at a time",
             StepKind.FORMAL, "each set, one normal coordinate at a time (mixed directions not analysed)", eq.passed),
        Step("the ln t drift dz/d ln t = alpha_z (p/alpha_y - (1-p)/alpha_x) from the self-similar skill decay "
             "(proofs/late_time_drift.py)", StepKind.FORMAL, "leading order as t -> infinity near a = b = 1", drift.passed),
        Step("trajectories started 1e-3 inside each set move as classified", StepKind.NUMERIC,
             f"{len(records)} trajectories (gradient, replicator, cost 0.1; alphas (1, 1.3, 0.8))", not bad),
    )
    summary = (f"Symbolic: proofs/equilibria_stability.py {'passed' if eq.passed else 'FAILED'} (sets found by branching over "
               f"factors, verified by substitution, cross-checked with sympy.solve; classification by eigenvalues and leading "
               f"inward normal terms) and proofs/late_time_drift.py {'passed' if drift.passed else 'FAILED'} (self-similar skill "
               f"decay u ~ 1/(alpha_x p t), v ~ 1/(alpha_y (1-p) t); p* = alpha_y/(alpha_x+alpha_y); (p*,1,1) a saddle of the "
               f"ln t system by Routh-Hurwitz, a3 < 0). Numeric: {len(records) - len(bad)}/{len(records)} trajectories started "
               f"at inward distance 1e-3 from a set (one normal coordinate at a time, gradient, replicator and cost 0.1, "
               f"alphas (1, 1.3, 0.8)) moved as classified over the local time scale of the leading term.")
    return Evidence(summary, steps,
                    {"proofs": _proof_details(eq, drift), "trajectory_checks": len(records),
                     "trajectory_failures": bad[:10], "trajectory_delta": 1e-3})


@claim("RS8a", source="beyond the seed (makes spec section 3's asymptotic criterion exact)",
       statement=("The t -> infinity outcome is decided in finite time: R+ = {a >= b, p >= p*} and R- = {a <= b, p <= p*} "
                  "are forward invariant with p monotone inside (p -> 1 in R+, p -> 0 in R-), p* the late-time drift threshold; "
                  "for kappa < 1, p* = (1-kappa) alpha_y/(alpha_x + (1-kappa)^2 alpha_y), and for kappa >= 1 R+ = {a >= b}. "
                  "A cost > 0 keeps R- and breaks R+. The Asymptotic criterion stops on entering R+ or R- and agrees with long "
                  "integrations."),
       code="workbench/rs/_analysis/drift.py; workbench/rs/_analysis/asymptotic.py; proofs/late_time_drift.py")
def check_rs8a(context: CheckContext) -> Evidence:
    from workbench.rs._analysis.asymptotic import Asymptotic
    from workbench.rs._homogeneous.config import HomogeneousConfig, reduced_system
    from workbench.rs._model.reward_model import GradientFlow, ReplicatorFlow
    from workbench.rs._simulate.simulate import Horizon, simulate

    drift = _proof(context, "late_time_drift")
    rows, total, agree, decided = [], 0, 0, 0
    for flow, kap in ((GradientFlow(), 0.0), (ReplicatorFlow(), 0.0), (GradientFlow(), 0.5)):
        cfgs = [HomogeneousConfig(p0=p0, n=float(n), flow=flow, kappa=kap)
                for p0 in (0.3, 0.1, 0.03, 0.01, 1e-3) for n in np.geomspace(1, 1e4, 25)]
        ra = simulate(reduced_system(cfgs), criterion=Asymptotic(), t_max=1e12)
        rh = simulate(reduced_system(cfgs), criterion=Horizon(), t_max=1e14)
        dec = (rh.mean_p < 1e-3) | (rh.mean_p > 1 - 1e-3)
        ok = (ra.outcome == rh.outcome) & dec
        total += len(cfgs)
        decided += int(dec.sum())
        agree += int(ok.sum())
        rows.append({"variant": flow.name, "kappa": kap, "runs": len(cfgs), "decided_by_long_run": int(dec.sum()),
                     "agree": int(ok.sum()), "median_stop_time": float(np.median(ra.t_end))})
    figs = _basin_figure(context)
    steps = (
        Step("R+ and R- are forward invariant: the signs of d(a-b)/dt on a = b and of dp/dt on p = p* "
             "(proofs/late_time_drift.py)", StepKind.SYMBOLIC, "general alphas, kappa, cost", drift.passed, complete=True),
        Step("the outcome is decided in finite time (every run enters R+ or R-) and p -> 1 inside R+ (p -> 0 in R-)",
             StepKind.NUMERIC, f"{total} reduced runs: canonical config, p0 in 0.3..1e-3, 25 N in 1..1e4; gradient, "
             "replicator, kappa = 0.5; long run to t = 1e14, decided when p < 1e-3 or p > 1 - 1e-3", agree == total),
    )
    summary = (f"Invariance of R+ and R- proved symbolically (boundary signs of d(a-b)/dt on a = b and of dp/dt, "
               f"proofs/late_time_drift.py {'passed' if drift.passed else 'FAILED'}). Numeric cross-check: the Asymptotic "
               f"criterion agreed with a Horizon integration to t = 1e14 on {agree}/{total} reduced runs (canonical config, "
               f"p0 in 0.3..1e-3, 25 values of N in 1..1e4; gradient, replicator, kappa = 0.5); a long run counts as decided "
               f"when its final p is below 1e-3 or above 1 - 1e-3 ({decided}/{total} were).")
    return Evidence(summary, steps, {"proof": drift.to_json(), "cross_check": rows}, figs)


def _basin_figure(context: CheckContext) -> tuple[str, ...]:
    """Trajectories of the N = 1 gradient flow in (p, logit a - logit b) with the invariant regions R+ and R-."""
    return context.figure("rs8a_invariant_regions.png", _draw_basins)


def _draw_basins():
    import matplotlib.pyplot as plt
    from scipy.special import expit

    from workbench.rs._homogeneous.config import HomogeneousConfig, reduced_system
    from workbench.rs._simulate.simulate import Horizon, simulate

    p_star = 0.5  # alpha = (1, 1, 1), N = 1: p* = alpha_y / (alpha_x + alpha_y)
    starts = [(p0, y0) for p0 in (0.05, 0.2, 0.4, 0.6, 0.8, 0.95) for y0 in (-3.0, -1.0, 1.0)]
    cfgs = [HomogeneousConfig(p0=p0, x0=0.0, y0=y0, c=(0.0, 0.0, 0.0)) for p0, y0 in starts]
    times = np.concatenate([[0.0], np.geomspace(1e-2, 1e6, 400)])
    res = simulate(reduced_system(cfgs), criterion=Horizon(), t_max=1e6, record_times=times)
    fig, ax = plt.subplots(figsize=(5.8, 4.0))
    ax.axhspan(0, 12, xmin=p_star, xmax=1, color="tab:red", alpha=0.12, label="$R_+$: reward-seeking")
    ax.axhspan(-12, 0, xmin=0, xmax=p_star, color="tab:blue", alpha=0.12, label="$R_-$: local")
    for k in range(len(cfgs)):
        z, x, y = res.recorded[k, :, 0, 0], res.recorded[k, :, 1, 0], res.recorded[k, :, 2, 0]
        ok = np.isfinite(z)
        color = "tab:red" if res.outcome[k] == "reward-seeking" else "tab:blue"
        ax.plot(expit(z[ok]), np.clip(x[ok] - y[ok], -12, 12), color=color, lw=0.9)
        ax.plot(expit(z[0]), x[0] - y[0], "o", color=color, ms=3)
    ax.axvline(p_star, color="k", lw=0.6)
    ax.axhline(0, color="k", lw=0.6)
    ax.set_xlim(0, 1)
    ax.set_ylim(-12, 12)
    ax.set_xlabel("$p$")
    ax.set_ylabel("logit $a$ - logit $b$")
    ax.set_title("RS8a: invariant regions, N = 1, alpha = (1,1,1), $p^*=1/2$", fontsize=9)
    ax.legend(fontsize=7, loc="lower right")
    return ax


def _canonical_n_star(context: CheckContext, criterion_name: str):
    from workbench.rs._analysis.asymptotic import Asymptotic
    from workbench.rs._homogeneous.critical import critical_diversity
    from workbench.rs import LogGrid
    from workbench.rs._homogeneous.config import HomogeneousConfig
    from workbench.rs._simulate.simulate import Saturation

    def compute():
        crit = Saturation() if criterion_name == "saturation" else Asymptotic()
        return critical_diversity([HomogeneousConfig(p0=p) for p in CANONICAL_PRIORS], criterion=crit,
                                  n_max=1e8, scan=LogGrid(49), rel_tol=1e-7, t_max=1e9)
    return context.cached(f"analysis:n_star:{criterion_name}", compute)


@claim("RS8b", source="beyond the seed (compares the two outcome criteria of spec section 3)",
       statement=("The t -> infinity criterion needs slightly fewer environments than the saturation criterion: "
                  "N*_inf(p0) < N*_sat(p0), with small-prior prefactors 1.7998 and 1.8082 (canonical configuration)."),
       code="workbench/rs/_analysis/asymptotic.py; workbench/rs/_analysis/small_prior.py")
def check_rs8b(context: CheckContext) -> Evidence:
    sat = _canonical_n_star(context, "saturation")
    asym = _canonical_n_star(context, "asymptotic")
    pairs = [(p, s.n_star_continuous, a.n_star_continuous) for p, s, a in zip(CANONICAL_PRIORS, sat, asym)]
    ok = all(s is not None and a is not None and a < s for _, s, a in pairs)
    summary = ("N*_c (saturation, eps 1e-3 / t -> inf): "
               + "; ".join(f"p0={p:.0e}: {s:.6g} / {a:.6g}" for p, s, a in pairs)
               + ". Computed with critical_diversity (49-point log grid to 1e8, bracket relative width 1e-7).")
    steps = (Step("N*_inf(p0) < N*_sat(p0)", StepKind.NUMERIC,
                  f"{len(CANONICAL_PRIORS)} priors 1e-1..1e-6, canonical config; bracket relative width 1e-7", ok),)
    return Evidence(summary, steps,
                    {"pairs": [{"p0": p, "n_star_saturation": s, "n_star_asymptotic": a} for p, s, a in pairs]})


@claim("RS6a", source=f"{SEED}, 'Example Scaling Laws' (derives RS6)",
       statement=("For the gradient flow with c_y = 0, N* is a power law at small prior with exponent -1: with "
                  "P = alpha_z_eff p the reduced field has an N-independent limit dP/dt = P^2 (a-b), da/dt = rho P a^2 (1-a)^2, "
                  "db/dt = alpha_y b^2 (1-b)^2, whose outcome switches at P0*; N* ~ (P0*/(c_z alpha_z)) / p0. Canonical: "
                  "prefactor (computed numerically from the limit system, not symbolic) 1.8082 (saturation, eps 1e-3, with the limit "
                  "system's blow-up cut off at P = 1e8), 1.7998 (t -> infinity). The saturation prefactor moves with the cut-off "
                  "like 1/ln P (a keeps learning while P blows up), and N* p0 with it like 1/ln N; its p0 -> 0 limit (cut-off at "
                  "infinity) is 1.80849, confirmed to 1e-5 by two independent fits in 1/ln P."),
       code="workbench/rs/_analysis/small_prior.py; proofs/small_prior_scaling.py")
def check_rs6a(context: CheckContext) -> Evidence:
    from workbench.rs._homogeneous.config import HomogeneousConfig
    from workbench.rs._analysis.small_prior import predicted_n_star, predicted_scaling, small_prior_limit

    pred = predicted_scaling(HomogeneousConfig())
    limit = small_prior_limit(HomogeneousConfig())
    sat = _canonical_n_star(context, "saturation")
    proof = _proof(context, "small_prior_scaling")  # last: in a parallel verify it runs beside this check
    rows = []
    for p, r in zip(CANONICAL_PRIORS, sat):
        predicted = float(predicted_n_star(HomogeneousConfig(), p))
        rows.append({"p0": p, "n_star_c": r.n_star_continuous, "predicted": predicted,
                     "relative_difference": abs(predicted / r.n_star_continuous - 1)})
    small = [r for r in rows if r["p0"] <= 1e-3]
    ok = proof.passed and all(r["relative_difference"] < 2e-3 for r in small) and limit.error < 2e-5

    def draw():
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(5.5, 3.6))
        ps = np.array([r["p0"] for r in rows])
        ax.semilogx(ps, [r["n_star_c"] * r["p0"] for r in rows], "o-", label="computed $N^*_c\\,p_0$ (saturation)")
        ax.semilogx(ps, [r["predicted"] * r["p0"] for r in rows], "k--", label="limit system: $10P_0^*-9p_0$")
        ax.axhline(pred.prefactor, color="grey", lw=0.8)
        ax.set_xlabel("$p_0$")
        ax.set_ylabel("$N^* p_0$")
        ax.legend(fontsize=8)
        ax.set_title("RS6a: $N^* \\simeq (P_0^*/c_z)\\,p_0^{-1}$")
        return ax

    figs = context.figure("rs6a_small_prior_prefactor.png", draw)
    summary = (f"proofs/small_prior_scaling.py {'passed' if proof.passed else 'FAILED'}: the P-limit exists and contains no N; "
               f"the finite-N field differs by O(1/alpha_z_eff); lim d ln N*/d ln p0 = -1. P0* = {pred.P0_star:.6f} "
               f"(bisection on the limit system, saturation rule at leading order in 1/N, blow-up cut off at P = 1e8) gives "
               f"prefactor {pred.prefactor:.5f}; with the cut-off at infinity (the p0 -> 0 limit) {limit.prefactor:.5f} "
               f"(fits in 1/ln P on two disjoint ladders of cut-offs: {limit.fits[0]['limit']:.6f}, {limit.fits[1]['limit']:.6f}; "
               f"prefactor(P) ~ limit - {limit.rate:.4f}/ln P); "
               f"predicted vs computed N*_c: " + ", ".join(f"{r['p0']:.0e}: {r['relative_difference']:.1e}" for r in rows)
               + " (relative; criterion < 2e-3 for p0 <= 1e-3).")
    steps = (
        Step("the P = alpha_z_eff p limit of the reduced field exists and contains no N; the finite-N field differs by "
             "O(1/alpha_z_eff) (proofs/small_prior_scaling.py)", StepKind.SYMBOLIC, "gradient flow, c_y = 0, general alphas",
             proof.passed, complete=True),
        Step("N* ~ (P0*/(c_z alpha_z)) / p0 with exponent -1: the outcome of the finite-N system follows the limit "
             "system's at leading order in 1/N", StepKind.FORMAL, "asymptotic, p0 -> 0", proof.passed),
        Step("the threshold P0* and the prefactor: bisection on the limit system (blow-up cut off at P = 1e8) and its "
             "cut-off -> infinity limit from two fits in 1/ln P", StepKind.NUMERIC,
             f"canonical configuration; limit fits agree within {limit.error:.1e} (criterion 2e-5)", limit.error < 2e-5),
        Step("predicted vs computed N*_c", StepKind.NUMERIC,
             "6 priors 1e-1..1e-6; relative difference < 2e-3 for p0 <= 1e-3",
             all(r["relative_difference"] < 2e-3 for r in small)),
    )
    return Evidence(summary, steps,
                    {"proof": proof.to_json(), "prediction": pred.to_dict(), "limit": limit.to_json(), "comparison": rows}, figs)


@claim("RS6b", source=f"{SEED}, 'Example Scaling Laws' (replicator variant of RS6)",
       statement=("For the replicator flow N* is not a power law: dz/dt = alpha_z_eff (a - b) does not vanish as p -> 0, "
                  "so the prior is climbed in log space at a rate proportional to N and N* ~ ln(1/p0) / (c_z alpha_z I), "
                  "I = max_t int (a0 - b) dt along the p = 0 dynamics (I = 0.5677 canonical); with the ln N correction of the "
                  "climb's end point, dN*/d ln(1/p0) = 1/(c_z alpha_z I + 1/N*)."),
       code="workbench/rs/_analysis/small_prior.py; proofs/small_prior_scaling.py")
def check_rs6b(context: CheckContext) -> Evidence:
    from workbench.rs._homogeneous.critical import critical_diversity
    from workbench.rs import LogGrid
    from workbench.rs._homogeneous.config import HomogeneousConfig
    from workbench.rs._model.reward_model import ReplicatorFlow
    from workbench.rs._analysis.small_prior import predicted_scaling

    proof = _proof(context, "small_prior_scaling")
    cfg = HomogeneousConfig(flow=ReplicatorFlow())
    pred = predicted_scaling(cfg)
    res = critical_diversity([cfg.with_(p0=p) for p in CANONICAL_PRIORS], n_max=1e5, scan=LogGrid(41), rel_tol=1e-6, t_max=1e9)
    ns = [r.n_star_continuous for r in res]
    rates = []
    for (p1, n1), (p2, n2) in zip(zip(CANONICAL_PRIORS, ns), list(zip(CANONICAL_PRIORS, ns))[1:]):
        nm = math.sqrt(n1 * n2)
        rates.append({"between": [p1, p2], "numeric": (n2 - n1) / math.log(p1 / p2),
                      "predicted": 1 / (0.1 * pred.I + 1 / nm)})
    ok = proof.passed and all(abs(r["numeric"] / r["predicted"] - 1) < 0.15 for r in rates[2:])
    summary = (f"Symbolic: the P = alpha_z_eff p limit diverges for the replicator flow; at p = 0, a is frozen and "
               f"dz/dt/alpha_z = {pred.rate_at_p0}. I = {pred.I:.5f} (quadrature). N*_c = "
               + ", ".join(f"{n:.1f}" for n in ns) + " for p0 = 1e-1..1e-6; dN*/d ln(1/p0) numeric vs 1/(c_z I + 1/N*): "
               + ", ".join(f"{r['numeric']:.2f}/{r['predicted']:.2f}" for r in rates)
               + f" (criterion: within 15% for p0 <= 1e-2; leading order {pred.log_coefficient:.2f}). The ln N correction is "
                 "a matched-asymptotics argument (the climb ends where alpha_z_eff p = O(1)), not a proof.")
    steps = (
        Step("the P-limit diverges for the replicator flow; at p = 0, a is frozen (proofs/small_prior_scaling.py)",
             StepKind.SYMBOLIC, "replicator flow, general alphas", proof.passed, complete=True),
        Step("N* ~ ln(1/p0)/(c_z alpha_z I) with the ln N correction (matched asymptotics)", StepKind.FORMAL,
             "asymptotic, p0 -> 0", proof.passed),
        Step("dN*/d ln(1/p0) against 1/(c_z I + 1/N*); I by quadrature", StepKind.NUMERIC,
             "6 priors 1e-1..1e-6, canonical configuration; within 15% for p0 <= 1e-2",
             all(abs(r["numeric"] / r["predicted"] - 1) < 0.15 for r in rates[2:])),
    )
    return Evidence(summary, steps,
                    {"proof": proof.to_json(), "prediction": pred.to_dict(), "n_star_c": ns, "rates": rates})


@claim("RS6c", source="beyond the seed (answers 'does a critical prior exist?')",
       statement=("With c_y > 0 every effective learnability grows like N; rescaling time by N gives an N-independent limit "
                  "with learnabilities c_k alpha_k, so below a critical prior p0_c no N suffices and N* is not a power law "
                  "(canonical with c = (0.1, 0.1, 0.05): p0_c = 0.0916)."),
       code="workbench/rs/_analysis/small_prior.py::critical_prior; proofs/small_prior_scaling.py")
def check_rs6c(context: CheckContext) -> Evidence:
    from workbench.rs._homogeneous.critical import critical_diversity
    from workbench.rs import LogGrid
    from workbench.rs._homogeneous.config import HomogeneousConfig
    from workbench.rs._analysis.small_prior import predicted_scaling

    cfg = HomogeneousConfig(c=(0.1, 0.1, 0.05))
    pred = predicted_scaling(cfg)
    pc = pred.critical_prior
    if pc is None:
        return Evidence("no critical prior found", (Step("a critical prior exists in the N -> infinity system",
                                                          StepKind.NUMERIC, "c = (0.1, 0.1, 0.05)", False),),
                        {"prediction": pred.to_dict()})
    factors = (0.5, 0.9, 1.1, 1.5, 3.0)
    res = critical_diversity([cfg.with_(p0=f * pc) for f in factors], n_max=1e8, scan=LogGrid(41), t_max=1e9)
    rows = [{"p0": f * pc, "n_star": r.n_star, "n_star_c": r.n_star_continuous} for f, r in zip(factors, res)]
    ok = all((r["n_star"] is None) == (f < 1) for f, r in zip(factors, rows))
    summary = (f"p0_c = {pc:.5f} from the N -> infinity system (bisection, relative bracket 1e-4). N* at p0 = "
               + ", ".join(f"{f} p0_c: {r['n_star']}" for f, r in zip(factors, rows))
               + " (None: local for every N <= 1e8). N* diverges as p0 -> p0_c from above.")
    steps = (
        Step("with c_y > 0 time rescaled by N gives an N-independent limit with learnabilities c_k alpha_k",
             StepKind.FORMAL, "every c_y > 0 (leading order in 1/N)", True),
        Step("p0_c by bisection on the limit system; no N <= 1e8 wins below p0_c, a finite N* above", StepKind.NUMERIC,
             f"c = (0.1, 0.1, 0.05); p0 = {', '.join(str(f) for f in factors)} x p0_c; relative bracket 1e-4", ok),
    )
    return Evidence(summary, steps, {"prediction": pred.to_dict(), "rows": rows})


#: Points per seed on which RS7a compares the Perron eigenvalue of C/N with the mean row sum.
PERRON_NODES = 256


def perron_bracket(kernel: np.ndarray) -> dict:
    r"""The Perron eigenvalue :math:`\mu` of :math:`K = C/N` with the two bounds it must satisfy on the same points.

    Mean row sum :math:`\bar r = \mathbf 1^\top K \mathbf 1/N = (1 + (N-1)\bar c)/N` (the Rayleigh quotient at
    :math:`u = \mathbf 1/\sqrt N`, the diagonal :math:`C_{ii} = 1` included) :math:`\le \mu \le` the maximum row
    sum (Perron-Frobenius, :math:`K \ge 0`). ``cbar_offdiagonal`` is :math:`\bar c`, the off-diagonal mean;
    ``cbar_se`` estimates its sampling standard error as a U-statistic, :math:`2\,\mathrm{sd}(\bar c_i)/\sqrt N`
    (:math:`\bar c_i` the off-diagonal row means).

    >>> q = perron_bracket(np.array([[1.0, 0.5], [0.5, 1.0]]))
    >>> (q["mean_row_sum"], q["perron"], q["ordered"])
    (0.75, 0.75, True)
    """
    n = kernel.shape[0]
    k = kernel / n
    rows = k.sum(axis=1)
    mu = float(np.linalg.eigvalsh(k)[-1])
    mean_row, max_row = float(rows.mean()), float(rows.max())
    row_off = (kernel.sum(axis=1) - np.diag(kernel)) / (n - 1)
    slack = 1e-12  # eigvalsh rounding on entries <= 1
    return {"n": int(n), "perron": mu, "mean_row_sum": mean_row, "max_row_sum": max_row,
            "cbar_offdiagonal": float(row_off.mean()), "cbar_se": float(2.0 * row_off.std(ddof=1) / math.sqrt(n)),
            "ordered": mean_row - slack <= mu <= max_row + slack}


@claim("RS7a", source=f"{SEED}, footnote 5 ('why are the slopes so similar?')",
       statement=("The slope of log N* against log p0 is -1 in every geometry, set by the small-prior mean-field limit: with "
                  "kernels normalised by N and P = N p, the heterogeneous field tends to an N-free system whose initial data "
                  "depend on N and p0 only through lambda = N p0, as long as N times the mean local-skill coupling stays small "
                  "(N cbar_y << 1) and N cbar_z >> 1. So N* = lambda*/p0 and the geometry sets only lambda*, which the "
                  "mean-field limit on the sampled points predicts. It is below the homogeneous mean-field value "
                  "P0*/cbar_z mainly because the learnability noise favours the fast learners and, where the Perron "
                  "eigenvalue of C/N exceeds its mean row sum (1 + (N-1) cbar_z)/N on the same points, the blow-up grows "
                  "along its Perron vector."),
       code="workbench/rs/_hetero/mean_field.py; workbench/rs/_analysis/derivations/hetero_mean_field.py; proofs/hetero_mean_field.py",
       expected_to_hold=True)
def check_rs7a(context: CheckContext) -> Evidence:
    from workbench.claims.rs.hetero import RS7_SPEC as RS7A_SPEC, rs7_sweep, rs7a_predictions
    from workbench.rs._hetero.geometry import geometry_by_name, mean_couplings
    from workbench.rs._hetero.kernels import gaussian_kernel_dense
    from workbench.rs._hetero.mean_field import (collapse_measure, mean_field_lambda_star,
                                                 two_cluster_environments)
    from workbench.rs._hetero.model import EnvironmentSequence
    from workbench.rs._homogeneous.config import HomogeneousConfig
    from workbench.rs._homogeneous.critical import critical_diversity
    from workbench.rs import LogGrid
    from workbench.rs._plotting.collapse import plot_collapse

    cfg = RS7A_SPEC.config
    # exactly solvable: two clusters reduce to the homogeneous system with alpha_eff = alpha N (1 + c)/2
    p0_tc, c_h = 1e-3, 0.2
    hom = critical_diversity(HomogeneousConfig(p0=p0_tc, c=(c_h, c_h, 0.0)), n_max=1e7, scan=LogGrid(36))[0]
    two = []
    for c in (0.1, 0.5):
        envs = two_cluster_environments(cfg, 16, math.sqrt(-2.0 * math.log(c)), p0_tc)
        got = mean_field_lambda_star(envs, cfg, p0=p0_tc, rel_tol=1e-3).lambda_star
        exact = p0_tc * 2.0 * (1.0 + (hom.n_star_continuous - 1.0) * c_h) / (1.0 + c)
        two.append({"c_between": c, "lambda_star": got, "exact": exact, "rel_error": abs(got / exact - 1.0)})
    two_ok = all(t["rel_error"] < 2e-3 for t in two)
    # measured N* p0 against the mean-field prediction on the same seeds' points
    # predict_lambda_star(cfg, geometry, seed, nodes=128, ...) per seed, before waiting for RS7's sweep
    predictions = rs7a_predictions(RS7A_SPEC)
    sweep = context.cached("rs7_hetero_sweep", rs7_sweep)
    rows = sweep.summary["results"]
    comp, pred_med = [], {}
    for g in RS7A_SPEC.geometries:
        geo = geometry_by_name(g)
        preds = [predictions[(g, s)] for s in RS7A_SPEC.seeds]
        measured = [r["n_star"] * r["p0"] for r in rows if r["geometry"] == g and r["n_star"] is not None
                    and r["p0"] == min(RS7A_SPEC.priors)]
        pm, mm = float(np.median(preds)), float(np.median(measured)) if measured else None
        pred_med[g] = pm
        # the geometry's mean couplings (population: 2000 fresh calibration-stream points), for the homogeneous model
        cz, cy = mean_couplings(geo, cfg.calibration(geo).scale, (cfg.length_scales[0], cfg.length_scales[2]), n=2000)
        # Perron eigenvalue and the mean row sum on the SAME points (each seed's first PERRON_NODES environments):
        # mean row sum of C/N = (1 + (N-1) cbar)/N <= mu (Rayleigh, u = 1/sqrt(N)) <= max row sum (Perron-Frobenius)
        perron = [perron_bracket(gaussian_kernel_dense(
            EnvironmentSequence(geo, cfg, s).take(PERRON_NODES, min(RS7A_SPEC.priors)).points, cfg.length_scales[0]))
            for s in RS7A_SPEC.seeds]
        mu = float(np.median([q["perron"] for q in perron]))
        homog = 0.1808 / cz  # homogeneous mean-field lambda* = P0*/c_z (P0* = 0.1808 at alpha = 1, RS6a)
        comp.append({"geometry": g, "predicted_per_seed": preds, "predicted_median": pm, "measured_median": mm,
                     "ratio": None if mm is None else mm / pm, "cbar_z": cz, "cbar_y": cy,
                     "cbar_z_same_points_median": float(np.median([q["cbar_offdiagonal"] for q in perron])),
                     "mean_row_sum_median": float(np.median([q["mean_row_sum"] for q in perron])),
                     "cbar_z_sampling_se_median": float(np.median([q["cbar_se"] for q in perron])),
                     "n_cbar_y_at_n_star": None if mm is None else mm / min(RS7A_SPEC.priors) * cy,
                     "perron_eigenvalue": mu, "perron_per_seed": perron, "homogeneous_lambda_star": homog,
                     "homogeneous_over_measured": None if mm is None else homog / mm,
                     "perron_bound_lambda": 0.1808 / mu})
    perron_ok = all(q["ordered"] for c in comp for q in c["perron_per_seed"])
    match_ok = all(c["ratio"] is not None and abs(c["ratio"] - 1.0) < 0.25 for c in comp)
    collapse = collapse_measure(rows)
    figures = context.figure("rs7a_collapse.png", lambda: plot_collapse(rows, pred_med))
    proof = _proof(context, "hetero_mean_field")  # last: in a parallel verify it runs beside this check
    priors = list(RS7A_SPEC.priors)
    summary = (
        "Mean-field limit derived from the model's own rates (proofs/hetero_mean_field.py "
        + ("passed" if proof.passed else "FAILED") + "): N and p0 enter only through lambda = N p0 when N cbar_y << 1. "
        f"Two-cluster check (exact reduction to the homogeneous system): relative errors "
        + ", ".join(f"{t['rel_error']:.1e}" for t in two) + ". Measured median N* p0 at p0 = "
        f"{min(priors)} over {len(RS7A_SPEC.seeds)} seeds against the mean-field lambda* on the same seeds' first 128 points: "
        + "; ".join(f"{c['geometry']} {c['measured_median']:.2f} vs {c['predicted_median']:.2f}" for c in comp if c["measured_median"])
        + f". Collapse of N* p0 over priors {priors}: worst {collapse['worst']:.2f} (1 = flat). Homogeneous mean-field "
        "lambda* = P0*/cbar_z over measured: " + ", ".join(f"{c['homogeneous_over_measured']:.1f}" for c in comp if c["measured_median"])
        + f"; on each seed's first {PERRON_NODES} points (median over {len(RS7A_SPEC.seeds)} seeds) the Perron eigenvalue mu of "
        "C/N against the mean row sum (1 + (N-1) cbar_z)/N of the same points: " + ", ".join(
            f"{c['geometry']} {c['perron_eigenvalue']:.4f} >= {c['mean_row_sum_median']:.4f}" for c in comp)
        + f" (mean row sum <= mu <= max row sum in {sum(q['ordered'] for c in comp for q in c['perron_per_seed'])}/"
        f"{sum(len(c['perron_per_seed']) for c in comp)} cases; the geometry's cbar_z from 2000 fresh points differs from a "
        "256-point sample's by sampling error, standard error ~0.003); the blow-up grows along the Perron vector, "
        "markedly where mu exceeds the mean row sum (4d), and the learnability noise lowers lambda* by a further ~20% "
        "(fast learners lead the blow-up)."
    )
    steps = (
        Step("the mean-field limit of one transfer term is N-free; r^y <= 1/4 bounds the local-skill transfer by "
             "alpha_y (N-1) cbar_y/4; P(0) -> lambda e^{s zeta}; slope -1; 2x2 Perron >= mean row sum",
             StepKind.SYMBOLIC, "every p, a, b in the cube, every lambda (proofs/hetero_mean_field.py)", proof.passed),
        Step("the limit of the N-term sum is the sum of the term limits (terms weighted 1/N, bounded); Rayleigh for N x N",
             StepKind.FORMAL, "every geometry with bounded kernels", True),
        Step("two-cluster geometry: the mean-field lambda* equals the exact homogeneous reduction within 2e-3",
             StepKind.NUMERIC, "c_between = 0.1, 0.5; p0 = 1e-3; bisection rel. tol 1e-3", two_ok),
        Step("Perron eigenvalue of C/N between its mean and its maximum row sum on the same points (Rayleigh; "
             "Perron-Frobenius), so mu >= (1 + (N-1) cbar_z)/N", StepKind.NUMERIC,
             f"{len(RS7A_SPEC.geometries)} geometries x {len(RS7A_SPEC.seeds)} seeds x first {PERRON_NODES} points; "
             "float64 eigvalsh, slack 1e-12", perron_ok),
        Step("predicted lambda* (mean field on the sampled points) matches the measured median N* p0 within 25%",
             StepKind.NUMERIC, f"{len(RS7A_SPEC.geometries)} geometries x {len(RS7A_SPEC.seeds)} seeds at p0 = {min(priors)}",
             match_ok),
    )
    details = {"proof": proof.to_json(), "two_cluster": two, "two_cluster_homogeneous_n_star_c": hom.n_star_continuous,
               "comparison": comp, "collapse": collapse, "spec": sweep.summary["spec"],
               "condition": "N cbar_y << 1 (local skill learns alone) and N cbar_z >> 1 (self-transfer negligible)",
               "symbolic_steps": "the limit of each transfer term, the r^y bound, the initial-data limit, the slope, 2x2 Perron",
               "numeric_steps": "lambda* on sampled points (bisection on the model's own simulation), two-cluster, collapse"}
    return Evidence(summary, steps, details, figures)


@claim("RS5a", source="beyond the seed (RS5 stated for the outcome instead of the phase point)",
       statement=("The late-time drift threshold p*(N) = alpha_y_eff/(alpha_x_eff + alpha_y_eff) decreases in N whenever "
                  "c_x > c_y: more environments enlarge R+ = {a >= b, p >= p*}, the invariant part of the asymptotic "
                  "reward-seeking basin."),
       code="proofs/monotonicity_direction.py")
def check_rs5a(context: CheckContext) -> Evidence:
    proof = _proof(context, "monotonicity_direction")
    steps = (Step("dp*/dN = -alpha_x alpha_y (c_x - c_y)/(...)^2 < 0 for c_x > c_y (proofs/monotonicity_direction.py)",
                  StepKind.SYMBOLIC, "every N >= 1, alpha > 0, c_x > c_y >= 0", proof.passed, complete=True),
             Step("R+ = {a >= b, p >= p*} is forward invariant and part of the reward-seeking basin (RS8a)",
                  StepKind.SYMBOLIC, "general alphas (proofs/late_time_drift.py)", _proof(context, "late_time_drift").passed,
                  complete=True))
    return Evidence("dp*/dN = -alpha_x alpha_y (c_x - c_y)/(...)^2 < 0 for c_x > c_y; proofs/monotonicity_direction.py "
                    + ("passed" if proof.passed else "FAILED") + ". So R+, the invariant part of the reward-seeking basin "
                    "(not all of it), grows with N.", steps, {"proof": proof.to_json()})
