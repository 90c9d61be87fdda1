r"""Symbolic analysis of the reduced reward-seeking dynamics, one variant at a time (RS6, RS8).

:func:`analyze` gathers, for one (flow, kappa, cost):

* the reduced field in probability coordinates, derived from ``flow.local_rates(model)``;
* every maximal equilibrium set with eigenvalues and leading normal terms
  (:mod:`workbench.rs._analysis.equilibria`, RS8);
* the late-time drift rule and the exact invariant basins (:mod:`workbench.rs._analysis.drift`, RS8);
* the small-prior scaling of :math:`N^*(p_0)` for the canonical homogeneous configuration
  (:mod:`workbench.rs._analysis.small_prior`, RS6).

Nothing is typed in by hand: the ``replicator``, ``kappa`` and ``cost`` variants go through the
same code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

from workbench._errors import WorkbenchError
from workbench.rs._analysis.drift import DriftRule, late_time_drift
from workbench.rs._analysis.equilibria import ALPHA_X, ALPHA_Y, EquilibriumReport, as_rational, equilibrium_report, probability_field
from workbench.rs._homogeneous.config import HomogeneousConfig
from workbench.rs._model.reward_model import flow_by_name
from workbench.rs._analysis.scaling_laws import CriticalPrior, LogarithmicLaw, NoSaturation, PowerLaw, ScalingPrediction
from workbench.rs._analysis.small_prior import predicted_scaling


@dataclass(frozen=True)
class Analysis:
    """Everything :func:`analyze` derived for one variant; ``to_json`` is the ``rs analyze --json`` contract."""

    variant: str
    kappa: sp.Expr
    cost: sp.Expr
    equilibria: EquilibriumReport
    drift: DriftRule
    scaling: ScalingPrediction
    canonical: dict

    @property
    def field(self):
        return self.equilibria.field

    def to_json(self) -> dict:
        return {
            "variant": self.variant,
            "kappa": str(self.kappa),
            "cost": str(self.cost),
            "field": {name: str(c) for name, c in zip(("dp/dt", "da/dt", "db/dt"), self.field.components)},
            "equilibrium_sets": [s.to_json() for s in self.equilibria.sets],
            "late_time_drift": self.drift.to_json(),
            "scaling": self.scaling.to_dict(),
            "canonical": self.canonical,
        }

    def render_text(self) -> str:
        lines = [f"Reduced dynamics, variant {self.variant} (kappa = {self.kappa}, cost = {self.cost}),"
                 " in probability coordinates (alphas are the effective learnabilities):"]
        for name, c in zip(("dp/dt", "da/dt", "db/dt"), self.field.components):
            lines.append(f"  {name} = {sp.sstr(c)}")
        lines.append(f"\nEquilibrium sets ({len(self.equilibria.sets)}, maximal, verified by substitution):")
        for st in self.equilibria.sets:
            lines.append(f"  {st.eq_set.label()}: {st.verdict}")
            lines.append(f"      eigenvalues {', '.join(sp.sstr(e) for e in st.eigenvalues)}")
            for n in st.normal:
                extra = f"; sign change at {', '.join(sp.sstr(r) for r in n.sign_changes)}" if n.sign_changes else ""
                lines.append(f"      normal {n.coordinate}: inward velocity {sp.sstr(n.coefficient)}*delta^{n.order} -> {n.character}{extra}")
        d = self.drift
        lines.append("\nLate-time drift (both skills near 1):")
        if d.skill_decay:
            lines.append(f"  skill gaps decay as 1 - a ~ ({sp.sstr(d.skill_decay[0])})/t, 1 - b ~ ({sp.sstr(d.skill_decay[1])})/t")
        lines.append(f"  {d.drift_label} = {sp.sstr(d.drift)}")
        lines.append(f"  rule: {d.direction}")
        if d.saddle:
            verdict = {True: "a3 < 0: a saddle (one positive real eigenvalue)", False: "a3 >= 0",
                       None: "sign of a3 not decided for all learnabilities"}[d.saddle["positive_real_eigenvalue"]]
            lines.append(f"  (p*, 1, 1) in the ln t system: Routh-Hurwitz a3 = {sp.sstr(d.saddle['a3'])}; {verdict}")
        if d.p_invariant is not None:
            regions = [name for name, ok in (("R+ = {a >= b, p >= p_inv}", d.r_plus_certified),
                                             ("R- = {a <= b, p <= p_inv}", d.r_minus_certified)) if ok]
            lines.append(f"  exact invariant regions (p_inv = {sp.sstr(d.p_invariant)}): {', '.join(regions) or 'none certified'}")
        c = self.canonical
        if c.get("p_star") is not None:
            sym = "p*" if c.get("threshold") == "p_star" else "p_inv"
            lines.append(f"  canonical config at N = 1: {sym} = {c['p_star']:.4f}; as N grows: {sym}(N) = {c['p_star_of_N']}")
        s = self.scaling
        lines.append("\nSmall-prior scaling of N*(p0) (canonical homogeneous configuration):")
        if isinstance(s, PowerLaw):
            asym = "n/a" if s.prefactor_asymptotic is None else f"{s.prefactor_asymptotic:.4f}"
            lines.append(f"  N* ~ {s.prefactor:.4f} * p0^({s.exponent:.0f})   (saturation, eps = {s.eps}; "
                         f"P0* = {s.P0_star:.6f}; t -> oo criterion: prefactor {asym})")
        elif isinstance(s, LogarithmicLaw):
            coef = s.log_coefficient
            lines.append(f"  not a power law: N* ~ {coef:.2f} * ln(1/p0) to leading order (I = {s.I:.4f})"
                         if coef else "  not a power law (logarithmic)")
        elif isinstance(s, NoSaturation):
            lines.append("  no saturation N* (see the note); the limit system is still N-independent")
        elif isinstance(s, CriticalPrior):
            lines.append(f"  not a power law: critical prior p0_c = {s.critical_prior}")
        lines.append(f"  {s.note}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"Analysis(variant={self.variant!r}, kappa={self.kappa}, cost={self.cost}, "
                f"{len(self.equilibria.sets)} equilibrium sets, drift {self.drift.drift_label} = {sp.sstr(self.drift.drift)}, "
                f"scaling={self.scaling!r})")

    def _repr_markdown_(self) -> str:
        r"""The analysis in a notebook: the reduced field, the equilibrium sets and the criterion in math.

        Examples
        --------
        >>> md = analyze("gradient")._repr_markdown_()
        >>> print(md.splitlines()[0])
        **Reduced dynamics**, variant `gradient` ($\kappa = 0$, cost $= 0$), in probability coordinates:
        >>> "N^* \\simeq 1.8082" in md
        True
        """
        out = [rf"**Reduced dynamics**, variant `{self.variant}` ($\kappa = {sp.latex(self.kappa)}$, "
               rf"cost $= {sp.latex(self.cost)}$), in probability coordinates:", "",
               r"$$\begin{aligned}"]
        out += [rf"\dot {name} &= {sp.latex(c)} \\" for name, c in zip(("p", "a", "b"), self.field.components)]
        out += [r"\end{aligned}$$", "", f"**Equilibrium sets** ({len(self.equilibria.sets)}, maximal):", ""]
        for st in self.equilibria.sets:
            eig = ", ".join(sp.latex(e) for e in st.eigenvalues)
            out.append(rf"- ${st.eq_set.latex()}$: {st.verdict}; eigenvalues ${eig}$")
        d = self.drift
        lhs = r"\frac{dz}{d\ln t}" if d.kind != "constant" else r"\frac{dz}{dt}"
        out += ["", rf"**Late-time drift** (the criterion): ${lhs} = {sp.latex(d.drift)}$"
                + (rf", $p^* = {sp.latex(d.p_star)}$" if d.p_star is not None else "") + f"; rule: {d.direction}."]
        sc = self.scaling
        if isinstance(sc, PowerLaw):
            out += ["", rf"**Small prior:** $N^* \simeq {sc.prefactor:.4f}\, p_0^{{{sc.exponent:.0f}}}$ "
                        rf"(saturation, $\varepsilon = {sc.eps:g}$; $P_0^* = {sc.P0_star:.6f}$)."]
        else:
            out += ["", f"**Small prior:** no power law ({sc.law or 'n/a'}): {sc.note}."]
        return "\n".join(out)

    def render_latex(self) -> str:
        out = [r"\begin{align*}"]
        for name, c in zip(("p", "a", "b"), self.field.components):
            out.append(rf"\dot {name} &= {sp.latex(c)} \\")
        out.append(r"\end{align*}")
        out.append(r"\begin{itemize}")
        for st in self.equilibria.sets:
            eig = ", ".join(sp.latex(e) for e in st.eigenvalues)
            normals = "; ".join(rf"{n.coordinate}: ${sp.latex(n.coefficient)}\,\delta^{{{n.order}}}$ ({n.character})" for n in st.normal)
            out.append(rf"\item ${st.eq_set.latex()}$: {st.verdict}; eigenvalues ${eig}$; {normals}")
        out.append(r"\end{itemize}")
        d = self.drift
        lhs = r"\frac{dz}{d\ln t}" if d.kind != "constant" else r"\frac{dz}{dt}"
        out.append(rf"Late-time drift: ${lhs} = {sp.latex(d.drift)}$" +
                   (rf", $p^* = {sp.latex(d.p_star)}$." if d.p_star is not None else "."))
        s = self.scaling
        if isinstance(s, PowerLaw):
            out.append(rf"Small prior: $N^* \simeq {s.prefactor:.4f}\, p_0^{{{s.exponent:.0f}}}$.")
        else:
            out.append(rf"Small prior: no power law ({s.law or 'n/a'}).")
        return "\n".join(out)


def analyze(variant: str = "gradient", *, kappa=0, cost=0, config: HomogeneousConfig | None = None) -> Analysis:
    r"""Derive equilibria, stability, the late-time drift rule and the small-prior scaling (RS6, RS8).

    Parameters
    ----------
    variant : {"gradient", "replicator"}
    kappa, cost : number
        Footnote-4 coupling (>= 0) and branch cost; read exactly (``0.1`` is 1/10).
    config : HomogeneousConfig, optional
        For the scaling and the canonical numbers (default: the canonical configuration);
        its ``flow``, ``kappa`` and ``cost`` are replaced by the arguments.

    Examples
    --------
    >>> a = analyze("gradient")
    >>> str(a.drift.p_star)
    'alpha_y/(alpha_x + alpha_y)'
    >>> a.scaling
    PowerLaw(variant='gradient', N* ~ 1.8082 * p0^-1, P0*=0.180824)
    """
    flow = flow_by_name(variant)
    for name, v in (("kappa", kappa), ("cost", cost)):
        if not isinstance(v, (int, float)) or not math.isfinite(v):
            raise WorkbenchError(f"{name} must be a finite number, got {v!r}")
    if kappa < 0:
        raise WorkbenchError(f"kappa must be >= 0 (spec section 2, footnote-4 variant), got {kappa}")
    k, c = as_rational(kappa), as_rational(cost)
    field = probability_field(flow, kappa_value=k, cost_value=c)
    eq = equilibrium_report(field)
    drift = late_time_drift(field)
    cfg = (config or HomogeneousConfig()).with_(flow=flow, kappa=float(kappa), cost=float(cost))
    scaling = predicted_scaling(cfg)
    canonical = {"config": cfg.to_json()}
    if drift.p_star is not None or drift.p_invariant is not None:
        target = drift.p_star if drift.p_star is not None else drift.p_invariant
        n = sp.Symbol("N", positive=True)
        a_x = as_rational(cfg.alpha[1]) * (1 + (n - 1) * as_rational(cfg.c[1]))
        a_y = as_rational(cfg.alpha[2]) * (1 + (n - 1) * as_rational(cfg.c[2]))
        of_n = sp.simplify(target.subs({ALPHA_X: a_x, ALPHA_Y: a_y}))
        label = "p_star" if drift.p_star is not None else "p_invariant"
        canonical.update({"threshold": label, "p_star": float(of_n.subs(n, 1)), "p_star_of_N": sp.sstr(of_n)})
    return Analysis(variant, k, c, eq, drift, scaling, canonical)


def trajectory_check(report: EquilibriumReport, *, alphas=(1.0, 1.3, 0.8), delta: float = 1e-3,
                     samples: int = 5, relative_change: float = 0.2) -> list[dict]:
    r"""Start trajectories next to each classified set and check the predicted direction (RS8).

    For every set, ``samples`` interior points along it, and every fixed (normal) coordinate,
    that coordinate alone is displaced by ``delta`` into the cube and the reduced field
    (numeric, ``alphas`` = effective learnabilities) is integrated over the local time scale
    :math:`T = r / (|c|\,\delta^{k-1})` of its leading term :math:`c\,\delta^k` (``r`` =
    ``relative_change``). An ``attracting`` direction must end closer than ``delta``, a
    ``repelling`` one farther. Points within 0.05 of a sign change are skipped.

    Returns one record per (set, point, direction) with ``expected``, ``start``, ``end``, ``ok``.
    """
    import numpy as np
    from scipy.integrate import solve_ivp

    from workbench.rs._analysis.equilibria import ALPHAS, COORD_NAMES, COORDS

    f = report.field.numeric()
    names = dict(zip(COORD_NAMES, COORDS))
    alpha_sub = dict(zip(ALPHAS, alphas))
    out = []
    for st in report.sets:
        s = st.eq_set
        grid = np.linspace(0.1, 0.9, samples) if s.free else np.array([0.0])
        for g in grid:
            free_vals = {names[v]: sp.Float(g) for v in s.free}
            point = {n: (float(s.fixed[n].subs(free_vals)) if n in s.fixed else float(g)) for n in COORD_NAMES}
            for n in st.normal:
                if n.order < 1 or any(abs(float(r) - g) < 0.05 for r in n.sign_changes):
                    continue
                coef = float(sp.sympify(n.coefficient).subs(alpha_sub).subs(free_vals))
                if coef == 0:
                    continue
                start = dict(point)
                value = s.fixed[n.coordinate]
                start[n.coordinate] += -delta if value == 1 else delta
                t_end = relative_change / (abs(coef) * delta ** (n.order - 1))
                sol = solve_ivp(lambda t, y: f(*y, *alphas), (0, t_end), [start[c] for c in COORD_NAMES],
                                method="LSODA", rtol=1e-11, atol=1e-15)
                end = dict(zip(COORD_NAMES, sol.y[:, -1]))
                expected = "attracting" if coef < 0 else "repelling"
                d1 = abs(end[n.coordinate] - point[n.coordinate])
                ok = bool(d1 < delta) if expected == "attracting" else bool(d1 > delta)
                out.append({"set": s.label(), "at": {k: round(v, 4) for k, v in point.items()},
                            "direction": n.coordinate, "expected": expected, "t_end": t_end,
                            "start": delta, "end": float(d1), "ok": ok})
    return out
