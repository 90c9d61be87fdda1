r"""Why :math:`N^*(p_0)` is a power law at small prior, and when it is not (claim RS6).

Homogeneous coupling gives :math:`\alpha^k_{\rm eff} = \alpha^k(1 + (N-1)c_k)`. With
:math:`c_y = 0` and :math:`c_z, c_x > 0`, set

.. math:: P = \alpha^z_{\rm eff}\, p, \qquad \rho = \lim_{N\to\infty} \alpha^x_{\rm eff}/\alpha^z_{\rm eff}
          = \frac{c_x \alpha^x}{c_z \alpha^z},

and let :math:`\alpha^z_{\rm eff}\to\infty` at fixed ``P``. For the seed's gradient flow the
reduced field tends to the *limit system*

.. math:: \dot P = P^2 (a - b), \qquad \dot a = \rho P\, a^2 (1-a)^2, \qquad \dot b = \alpha^y b^2(1-b)^2,

which does not contain N. Its outcome depends on the initial value :math:`P_0 = \alpha^z_{\rm eff} p_0`
only, and switches at a critical :math:`P_0^*` (computed here by bisection on the limit system,
whose own invariant regions decide each run). Hence
:math:`\alpha^z(1 + (N^*-1)c_z)\,p_0 \to P_0^*`, i.e.

.. math:: N^* \simeq \frac{P_0^*}{c_z\alpha^z}\; p_0^{-1}: \quad \text{exponent } -1 .

The same substitution applied to the ``replicator`` flow diverges (:math:`\dot P \propto \alpha^z_{\rm eff} P`):
there :math:`\dot z = \alpha^z_{\rm eff}(a - b)` does not vanish as :math:`p\to 0`, so the prior
is climbed in log space at a rate :math:`\propto N` and :math:`N^* \simeq \ln(1/p_0)/(c_z\alpha^z I)`
with :math:`I = \max_t \int_0^t (a_0 - b)\,dt` from the :math:`p = 0` system: logarithmic, not
a power law. With :math:`c_y > 0` every learnability grows like N; rescaling time by N gives an
N-independent limit with learnabilities :math:`c_k\alpha^k`, so a critical prior exists below
which no N suffices.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import sympy as sp
from scipy.integrate import quad, solve_ivp

from workbench._errors import WorkbenchError
from workbench.rs._analysis.equilibria import ALPHA_X, ALPHA_Y, ALPHA_Z, A, B, P, probability_field
from workbench.rs._analysis.scaling_laws import (  # noqa: F401 - the results of predicted_scaling
    CriticalPrior, LogarithmicLaw, NoRescaling, NoSaturation, NoSwitch, PowerLaw, ScalingLaw, ScalingPrediction,
)
from workbench.rs._homogeneous.config import HomogeneousConfig
from workbench.rs._simulate.simulate import Outcome

PP, RHO = sp.symbols("P rho", positive=True)


@dataclass(frozen=True)
class LimitSystem:
    r"""The small-prior limit of the reduced field (see module docstring).

    Attributes
    ----------
    exists : bool
        True if every component has a finite, N-independent limit.
    components : tuple
        :math:`(\dot P, \dot a, \dot b)` in ``P, a, b, rho, alpha_y`` (None if not ``exists``).
    P_invariant : sympy.Expr or None
        Corner of the limit system's invariant regions (root of :math:`\frac{d}{dt}(a-b)|_{a=b}`).
    """

    variant: str
    exists: bool
    components: tuple | None
    raw_limits: tuple
    P_invariant: sp.Expr | None
    r_plus_certified: bool
    r_minus_certified: bool

    def to_json(self) -> dict:
        return {"variant": self.variant, "exists": self.exists,
                "components": None if self.components is None else [str(c) for c in self.components],
                "raw_limits": [str(c) for c in self.raw_limits],
                "P_invariant": None if self.P_invariant is None else str(self.P_invariant)}


@functools.lru_cache(maxsize=32)
def limit_system(flow=None, model=None, kappa_value=0, cost_value=0) -> LimitSystem:
    r"""Take :math:`\alpha^z_{\rm eff}\to\infty` at fixed :math:`P = \alpha^z_{\rm eff} p`, :math:`\rho`, :math:`\alpha^y`.

    Examples
    --------
    >>> limit_system().components
    (P**2*(a - b), P*a**2*rho*(a - 1)**2, alpha_y*b**2*(b - 1)**2)
    """
    field = probability_field(flow, model, kappa_value=kappa_value, cost_value=cost_value)
    Fp, Fa, Fb = field.components
    scale = {P: PP / ALPHA_Z, ALPHA_X: RHO * ALPHA_Z}
    raw = (ALPHA_Z * Fp.subs(scale), Fa.subs(scale), Fb.subs(scale))
    lims = tuple(sp.factor(sp.limit(sp.together(c), ALPHA_Z, sp.oo)) for c in raw)
    exists = all(lim.is_finite is not False and not lim.has(sp.oo, -sp.oo, sp.zoo) and not lim.has(ALPHA_Z) for lim in lims)
    if not exists:
        return LimitSystem(field.variant, False, None, lims, None, False, False)
    lp, la, lb = lims
    race = sp.factor((la - lb).subs(B, A))
    P_inv, rplus, rminus = None, False, False
    try:
        roots = [r for r in sp.solve(sp.fraction(race)[0], PP) if not r.has(A)]
    except NotImplementedError:
        roots = []
    if len(roots) == 1:
        P_inv = sp.factor(roots[0])
        s = {A: sp.Symbol("s_a", positive=True), B: sp.Symbol("s_b", positive=True)}
        W = sp.Symbol("W", positive=True)

        def pos(e):
            return bool(sp.factor(sp.together(e.subs({v: s[v] / (1 + s[v]) for v in s}))).is_positive)

        ratio_ok = pos(sp.together(race / (PP - P_inv)))
        rplus = ratio_ok and pos(lp.subs(A, B + W))
        rminus = ratio_ok and pos(-lp.subs(B, A + W))
    return LimitSystem(field.variant, True, lims, lims, P_inv, rplus, rminus)


def _limit_outcome(ls: LimitSystem, P0: float, la0: float, lb0: float, rho: float, alpha_y: float,
                   eps: float | None = None, t_max: float = 1e6, log_p_big: float = math.log(1e8)) -> Outcome:
    """Integrate the limit system in (ln P, logit a, logit b); its :class:`Outcome`.

    ``eps=None``: the t -> infinity outcome (the limit system's own invariant regions, or blow-up
    of P). ``eps``: the saturation criterion at leading order in 1/N: while P is finite the
    propensity is O(1/N) and the mean reward is b, so the run is local if b reaches 1 - eps
    before P blows up (after the blow-up p jumps to 1 on a time scale O(1/N)).
    """
    lp, la, lb = ls.components
    vals = {RHO: rho, ALPHA_Y: alpha_y}
    f = sp.lambdify((PP, A, B), [sp.cancel(lp / PP).subs(vals), sp.cancel(la / (A * (1 - A))).subs(vals),
                                 sp.cancel(lb / (B * (1 - B))).subs(vals)], "numpy")
    P_inv = None if ls.P_invariant is None else float(ls.P_invariant.subs(vals))

    def sig(u):
        return 0.5 * (1 + math.tanh(0.5 * u))

    def rhs(t, s):
        return f(math.exp(s[0]), sig(s[1]), sig(s[2]))

    def margin(sign):
        def ev(t, s):
            if P_inv is None or P_inv <= 0:
                return -1.0
            cert = ls.r_plus_certified if sign > 0 else ls.r_minus_certified
            if not cert:
                return -1.0
            return min(sign * (s[1] - s[2]), sign * (s[0] - math.log(P_inv)))
        ev.terminal, ev.direction = True, 1
        return ev

    def blowup(t, s):
        return s[0] - log_p_big
    blowup.terminal, blowup.direction = True, 1

    def saturated(t, s):
        return s[2] - math.log((1 - eps) / eps)
    saturated.terminal, saturated.direction = True, 1

    s0 = [math.log(P0), la0, lb0]
    if eps is None:
        for sign, name in ((1, Outcome.REWARD_SEEKING), (-1, Outcome.LOCAL)):
            if margin(sign)(0, s0) >= 0:
                return name
        events = [margin(1), margin(-1), blowup]
    else:
        if saturated(0, s0) >= 0:
            return Outcome.LOCAL
        events = [lambda t, s: -1.0, saturated, blowup]
    sol = solve_ivp(rhs, (0, t_max), s0, method="LSODA", rtol=1e-10, atol=1e-12, events=events)
    if sol.t_events[2].size and eps is not None:
        # p crosses 0 -> 1 on the fast time scale with a, b frozen: J = b + p (a - b) reaches 1 - eps
        # before p = 1/2 exactly when (a + b)/2 >= 1 - eps.
        _, la_end, lb_end = sol.y_events[2][0]
        return Outcome.REWARD_SEEKING if 0.5 * (sig(la_end) + sig(lb_end)) < 1 - eps else Outcome.LOCAL
    if sol.t_events[0].size or sol.t_events[2].size:
        return Outcome.REWARD_SEEKING
    if sol.t_events[1].size:
        return Outcome.LOCAL
    return Outcome.UNDECIDED


def critical_limit_prior(ls: LimitSystem, la0: float, lb0: float, rho: float, alpha_y: float,
                         eps: float | None = None, rel_tol: float = 1e-9) -> float | None:
    r"""Critical :math:`P_0^*` of the limit system by bisection on :math:`\ln P_0` (see ``_limit_outcome``)."""
    lo, hi = math.log(1e-8), math.log(1e4)
    if _limit_outcome(ls, math.exp(hi), la0, lb0, rho, alpha_y, eps) != Outcome.REWARD_SEEKING:
        return None
    if _limit_outcome(ls, math.exp(lo), la0, lb0, rho, alpha_y, eps) == Outcome.REWARD_SEEKING:
        return 0.0
    while hi - lo > rel_tol:
        mid = 0.5 * (lo + hi)
        if _limit_outcome(ls, math.exp(mid), la0, lb0, rho, alpha_y, eps) == Outcome.REWARD_SEEKING:
            hi = mid
        else:
            lo = mid
    return math.exp(0.5 * (lo + hi))


def replicator_log_rate(config: HomogeneousConfig) -> dict:
    r"""The p -> 0 system of a flow whose :math:`\dot z` does not vanish at p = 0 (``replicator``).

    Returns ``I = max_t int_0^t (zdot/alpha_z)|_{p=0} dt`` along the p = 0 dynamics (``a`` frozen,
    ``b`` learning alone), computed by quadrature over ``b``.
    """
    field = probability_field(config.flow, config.model, kappa_value=config.kappa, cost_value=config.cost)
    zdot, xdot, ydot = field.logit_velocity
    Fp, Fa, Fb = field.components
    rate = sp.factor(sp.limit(zdot / ALPHA_Z, P, 0))
    a_frozen = sp.simplify(Fa.subs(P, 0)) == 0
    bdot = sp.factor(Fb.subs(P, 0))
    a0 = 1 / (1 + math.exp(-(config.x0 + config.kappa * config.y0)))
    b0 = 1 / (1 + math.exp(-config.y0))
    r = sp.lambdify((A, B), rate.subs({ALPHA_Z: 1}), "math")
    bd = sp.lambdify(B, bdot.subs({ALPHA_Y: config.alpha[2] * (1 + (config.n - 1) * config.c[2])}), "math")
    # the integrand in b: r(a0, b) / bdot(b), from b0 to the zero of r (where z stops rising)
    zero = sp.solve(sp.Eq(rate, 0), B)
    b_top = [float(zz.subs(A, a0)) for zz in zero if zz.subs(A, a0).is_real]
    b_top = [v for v in b_top if b0 < v < 1]
    if rate == 0 or not b_top:
        return {"rate_at_p0": str(rate), "a_frozen": a_frozen, "I": 0.0 if rate == 0 else None}
    I, err = quad(lambda b: r(a0, b) / bd(b), b0, b_top[0], limit=200)
    return {"rate_at_p0": str(rate), "a_frozen": a_frozen, "bdot_at_p0": str(bdot), "I": I, "I_error": err,
            "b_turn": b_top[0]}


def predicted_scaling(config: HomogeneousConfig, *, eps: float = 1e-3) -> ScalingPrediction:
    r"""Predicted small-prior behaviour of :math:`N^*(p_0)` for ``config`` (its ``p0`` and ``n`` are ignored).

    Returns
    -------
    ScalingPrediction
        One of :class:`PowerLaw` (``c_y = 0``: exponent -1, ``prefactor`` for the saturation
        criterion with ``eps`` (spec §3), ``prefactor_asymptotic`` for the :math:`t\to\infty`
        criterion, :class:`~workbench.rs._analysis.asymptotic.Asymptotic`), :class:`LogarithmicLaw`
        (``replicator``), :class:`CriticalPrior` (``c_y > 0``), :class:`NoSaturation` (a branch
        cost), :class:`NoRescaling` (``c_z = 0`` or ``c_x = 0``) or :class:`NoSwitch`. Every one
        has ``exponent``, ``prefactor``, ``applies`` (True when a power law is predicted),
        ``law`` and ``note``; ``to_dict()`` is the JSON record.

    Examples
    --------
    >>> d = predicted_scaling(HomogeneousConfig())
    >>> d.exponent, round(d.prefactor, 2), d.applies
    (-1.0, 1.81, True)

    References
    ----------
    Spec ``reward_seeking.md`` §5 and the workbench's claims RS6a-c (small-prior scaling).
    """
    az, ax, ay = config.alpha
    cz, cx, cy = config.c
    base = {"variant": config.flow.name, "kappa": config.kappa, "cost": config.cost}
    if cz == 0:
        return NoRescaling(**base, exponent=None, prefactor=None,
                           note="c_z = 0: the reasoning learnability does not grow with N, so there is no small-prior rescaling")
    if cy > 0:
        return CriticalPrior(**base, exponent=None, prefactor=None,
                             note=("c_y > 0: every effective learnability grows like N; rescaling time by N gives an "
                                   "N-independent limit with learnabilities c_k*alpha_k, so N* diverges at a critical prior "
                                   "p0_c and no N suffices below it (see critical_prior)"),
                             **critical_prior(config))
    ls = limit_system(config.flow, config.model, config.kappa, config.cost)
    if not ls.exists:
        info = replicator_log_rate(config)
        I = info.get("I")
        note = ("the limit P = alpha_z_eff*p does not exist for this flow (zdot does not vanish as p -> 0): "
                "the prior is climbed in log space at a rate proportional to N, so "
                "N* ~ ln(1/p0)/(c_z*alpha_z*I) to leading order: logarithmic, not a power law")
        return LogarithmicLaw(**base, exponent=0.0, prefactor=None, note=note,
                              log_coefficient=None if not I else 1.0 / (cz * az * I),
                              limit_components=tuple(str(c) for c in ls.raw_limits), **info)
    if config.cost != 0:
        return NoSaturation(**base, exponent=-1.0, prefactor=None,
                            limit_components=tuple(str(c) for c in ls.components),
                            note=("the small-prior limit system exists and is N-independent (so the t -> oo boundary still scales "
                                  "as 1/p0), but with a cost the reward-seeking branch earns at most 1 - cost: for cost >= eps the "
                                  "saturation criterion can never classify a run as reward-seeking, so the saturation N* does not "
                                  "exist; the t -> oo prefactor needs the attracting-segment rule {p=1, a=1, b < 1 - cost}, which "
                                  "is not implemented"))
    if cx == 0:
        return NoRescaling(**base, exponent=None, prefactor=None,
                           note="c_x = 0: rho -> 0, the reward-seeking skill is frozen in the limit")
    rho = (cx * ax) / (cz * az)
    la0, lb0 = config.x0 + config.kappa * config.y0, config.y0
    P0 = critical_limit_prior(ls, la0, lb0, rho, ay, eps)
    # the t -> oo outcome of the limit system is certified only where both invariant regions are
    P0_inf = critical_limit_prior(ls, la0, lb0, rho, ay, None) if (ls.r_plus_certified and ls.r_minus_certified) else None
    if P0 is None or P0 == 0.0:
        return NoSwitch(**base, exponent=None, prefactor=None, P0_star=P0, rho=rho,
                        note="the limit system has no switch in P0 (always local or always reward-seeking)")
    return PowerLaw(**base, exponent=-1.0, prefactor=P0 / (cz * az), eps=eps,
                    P0_star=P0, rho=rho, P0_star_asymptotic=P0_inf,
                    prefactor_asymptotic=None if P0_inf is None else P0_inf / (cz * az),
                    P_invariant=None if ls.P_invariant is None else float(ls.P_invariant.subs({RHO: rho, ALPHA_Y: ay})),
                    limit_components=tuple(str(c) for c in ls.components),
                    note=("c_y = 0: with P = alpha_z_eff*p the reduced field has an N-independent limit; its outcome "
                          "switches at P0*, so alpha_z*(1 + (N*-1)*c_z)*p0 -> P0*: N* ~ (P0*/(c_z*alpha_z))/p0"))


def predicted_n_star(config: HomogeneousConfig, p0, *, eps: float = 1e-3) -> np.ndarray:
    r"""Leading-order :math:`N^*_c(p_0) = 1 + (P_0^*/(\alpha^z p_0) - 1)/c_z` for the power-law case."""
    d = predicted_scaling(config, eps=eps)
    if not isinstance(d, PowerLaw):
        raise WorkbenchError(f"no power law predicted: {d.note}")
    p0 = np.asarray(p0, dtype=float)
    return 1.0 + (d.P0_star / (config.alpha[0] * p0) - 1.0) / config.c[0]


def critical_prior(config: HomogeneousConfig, *, lo: float = 1e-8, hi: float = 0.5, rel_tol: float = 1e-4) -> dict:
    r"""Critical prior of the :math:`N\to\infty` system when every :math:`c_k > 0`.

    Rescaling time by N, :math:`\alpha_{\rm eff}/N \to c\,\alpha`, so the :math:`N\to\infty` outcome is
    that of the N = 1 system with learnabilities :math:`c_k\alpha^k` (Saturation criterion). Below
    ``p0_c`` that system is local: no N suffices (given monotonicity in N).
    """
    from workbench.rs._homogeneous.config import reduced_system
    from workbench.rs._simulate.simulate import REWARD_SEEKING, simulate

    if min(config.c) <= 0:
        raise WorkbenchError("the N -> infinity limit with a critical prior needs every c_k > 0")
    lim_alpha = tuple(a * c for a, c in zip(config.alpha, config.c))

    def rs(p0s):
        cfgs = [config.with_(p0=float(p), alpha=lim_alpha, c=(0.0, 0.0, 0.0), n=1.0) for p in p0s]
        return simulate(reduced_system(cfgs), t_max=1e9).outcome == REWARD_SEEKING

    grid = np.geomspace(lo, hi, 40)
    out = rs(grid)
    if out.all():
        return {"critical_prior": None, "critical_prior_note": f"reward-seeking at N=inf for every p0 >= {lo}"}
    if not out.any():
        return {"critical_prior": None, "critical_prior_note": f"local at N=inf for every p0 <= {hi}"}
    i = int(np.argmax(out))
    a, b = grid[max(i - 1, 0)], grid[i]
    while b / a - 1 > rel_tol:
        mids = np.geomspace(a, b, 10)[1:-1]
        o = rs(mids)
        j = int(np.argmax(o)) if o.any() else len(mids)
        a = mids[j - 1] if j > 0 else a
        b = mids[j] if j < len(mids) else b
    return {"critical_prior": float(math.sqrt(a * b)), "critical_prior_bracket": [float(a), float(b)],
            "n_infinity_learnabilities": list(lim_alpha)}
