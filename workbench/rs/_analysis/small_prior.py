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


#: Where the limit system's blow-up of P is cut off by default (``p_cutoff``). P0* moves with it
#: like 1/ln(p_cutoff) (see :func:`small_prior_limit`); a run of N environments cuts the blow-up
#: off near P ~ c_z alpha_z N, so the default describes N* near 1e8-1e9.
P_CUTOFF = 1e8


def _limit_outcome(ls: LimitSystem, P0: float, la0: float, lb0: float, rho: float, alpha_y: float,
                   eps: float | None = None, t_max: float = 1e6, p_cutoff: float = P_CUTOFF, _handoff: bool = False):
    """Integrate the limit system in (ln P, logit a, logit b); its :class:`Outcome`.

    ``eps=None``: the t -> infinity outcome (the limit system's own invariant regions, or blow-up
    of P). ``eps``: the saturation criterion at leading order in 1/N: while P is finite the
    propensity is O(1/N) and the mean reward is b, so the run is local if b reaches 1 - eps
    before P blows up (after the blow-up p jumps to 1 on a time scale O(1/N)). The blow-up is
    cut off at ``P = p_cutoff`` and the criterion read there, ``(a + b)/2 < 1 - eps``; beyond
    ``P_CUTOFF`` the run continues in the time ``tau`` with ``d tau = P dt``, in which the blow-up
    is at ``tau = infinity``. ``p_cutoff = inf`` reads the criterion in that limit, where b
    has stopped and a -> 1 (checked symbolically; otherwise an error).
    """
    if not p_cutoff > 1.0:
        raise WorkbenchError(f"p_cutoff must be > 1, got {p_cutoff}")
    if p_cutoff > P_CUTOFF and eps is not None:
        outcome = _limit_outcome(ls, P0, la0, lb0, rho, alpha_y, eps, t_max, P_CUTOFF, _handoff=True)
        if isinstance(outcome, tuple):
            return _continue_blowup(ls, outcome, rho, alpha_y, eps, p_cutoff)
        return outcome
    log_p_big = math.log(min(p_cutoff, P_CUTOFF))
    f, P_inv = _limit_field(ls, rho, alpha_y)

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
        if _handoff:
            return tuple(sol.y_events[2][0])  # the caller continues the blow-up past P_CUTOFF
        return Outcome.REWARD_SEEKING if 0.5 * (sig(la_end) + sig(lb_end)) < 1 - eps else Outcome.LOCAL
    if sol.t_events[0].size or sol.t_events[2].size:
        return Outcome.REWARD_SEEKING
    if sol.t_events[1].size:
        return Outcome.LOCAL
    return Outcome.UNDECIDED


@functools.lru_cache(maxsize=64)
def _limit_field(ls: LimitSystem, rho: float, alpha_y: float):
    """The limit system's field in (ln P, logit a, logit b), lambdified, and its P_invariant at ``rho``, ``alpha_y``.

    Derived once per system and parameters: a bisection integrates the same field many times.
    """
    lp, la, lb = ls.components
    vals = {RHO: rho, ALPHA_Y: alpha_y}
    f = sp.lambdify((PP, A, B), [sp.cancel(lp / PP).subs(vals), sp.cancel(la / (A * (1 - A))).subs(vals),
                                 sp.cancel(lb / (B * (1 - B))).subs(vals)], "numpy")
    P_inv = None if ls.P_invariant is None else float(ls.P_invariant.subs(vals))
    return f, P_inv


@functools.lru_cache(maxsize=64)
def _blowup_field(ls: LimitSystem, rho: float, alpha_y: float, to_infinity: bool):
    """The limit system's field in ``tau`` (``d tau = P dt``), lambdified, once per system and parameters.

    ``to_infinity``: first check symbolically that the criterion has a limit as the cut-off goes
    to infinity (a -> 1, b frozen); a WorkbenchError if not.
    """
    lp, la, lb = ls.components
    vals = {RHO: rho, ALPHA_Y: alpha_y}
    comps = [sp.cancel(lp / PP**2), sp.cancel(la / (A * (1 - A) * PP)), sp.cancel(lb / (B * (1 - B) * PP))]
    if to_infinity:
        # a -> 1 as tau -> oo when its tau-velocity stays positive as P -> oo; b stops (its velocity ~ 1/P)
        a_rate = sp.limit(comps[1], PP, sp.oo)
        s_a = sp.Symbol("s_a", positive=True)
        b_stops = sp.limit(comps[2], PP, sp.oo) == 0
        if not (b_stops and not a_rate.has(B) and bool(sp.factor(sp.together(a_rate.subs(vals).subs(A, s_a / (1 + s_a)))).is_positive)):
            raise WorkbenchError("p_cutoff = inf needs a -> 1 and b frozen as P -> oo in the limit system; give a finite p_cutoff")
    return sp.lambdify((PP, A, B), [c.subs(vals) for c in comps], "numpy")


def _continue_blowup(ls: LimitSystem, state, rho: float, alpha_y: float, eps: float, p_cutoff: float) -> Outcome:
    """Continue a run from ``P = P_CUTOFF`` to ``p_cutoff`` in ``tau`` (``d tau = P dt``) and read the criterion."""
    f = _blowup_field(ls, rho, alpha_y, math.isinf(p_cutoff))

    def sig(u):
        return 0.5 * (1 + math.tanh(0.5 * u))

    def rhs(tau, s):
        return f(math.exp(min(s[0], 705.0)), sig(s[1]), sig(s[2]))

    # past ln P = 700 the remaining change of b is below 1e-300 (its tau-velocity is O(1/P))
    log_end = 700.0 if math.isinf(p_cutoff) else math.log(p_cutoff)

    def end(tau, s):
        return s[0] - log_end
    end.terminal, end.direction = True, 1

    def saturated(tau, s):
        return s[2] - math.log((1 - eps) / eps)
    saturated.terminal, saturated.direction = True, 1

    sol = solve_ivp(rhs, (0, 1e12), list(state), method="LSODA", rtol=1e-10, atol=1e-12, events=[end, saturated])
    if sol.t_events[1].size:
        return Outcome.LOCAL
    if not sol.t_events[0].size:
        return Outcome.UNDECIDED
    _, la_end, lb_end = sol.y_events[0][0]
    a_end = 1.0 if math.isinf(p_cutoff) else sig(la_end)
    return Outcome.REWARD_SEEKING if 0.5 * (a_end + sig(lb_end)) < 1 - eps else Outcome.LOCAL


def critical_limit_prior(ls: LimitSystem, la0: float, lb0: float, rho: float, alpha_y: float,
                         eps: float | None = None, rel_tol: float = 1e-9, *, p_cutoff: float = P_CUTOFF,
                         guess: float | None = None) -> float | None:
    r"""Critical :math:`P_0^*` of the limit system by bisection on :math:`\ln P_0` (see ``_limit_outcome``).

    ``p_cutoff``: where the blow-up of P is cut off and the saturation criterion read
    (default :data:`P_CUTOFF` = 1e8; ``inf`` for the limit; ignored for ``eps=None``, where a
    blow-up is reward-seeking whatever the cut-off). :math:`P_0^*` depends on it like
    :math:`1/\ln` ``p_cutoff``; :func:`small_prior_limit` gives the limit and the rate.
    ``guess``: a nearby threshold (another cut-off's); the bisection starts from
    ``guess * (1 +- 1e-2)`` when the outcomes at both ends confirm that bracket (14 fewer halvings).
    """
    def rewarded(log_p0):
        return _limit_outcome(ls, math.exp(log_p0), la0, lb0, rho, alpha_y, eps, p_cutoff=p_cutoff) == Outcome.REWARD_SEEKING

    def bisect(lo, hi):
        while hi - lo > rel_tol:
            mid = 0.5 * (lo + hi)
            lo, hi = (lo, mid) if rewarded(mid) else (mid, hi)
        return math.exp(0.5 * (lo + hi))

    if guess:
        lo, hi = math.log(guess) - 1e-2, math.log(guess) + 1e-2
        if rewarded(hi) and not rewarded(lo):
            return bisect(lo, hi)
    lo, hi = math.log(1e-8), math.log(1e4)
    if not rewarded(hi):
        return None
    if rewarded(lo):
        return 0.0
    return bisect(lo, hi)


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
    try:
        hash((config, eps))
    except TypeError:  # a configuration holding an unhashable model: nothing to share
        return _predicted_scaling(config, eps)
    return _predicted_scaling_cached(config, eps)


@functools.lru_cache(maxsize=32)  # several claims, and predicted_n_star per prior, ask for the same configuration
def _predicted_scaling_cached(config: HomogeneousConfig, eps: float) -> ScalingPrediction:
    return _predicted_scaling(config, eps)


def _predicted_scaling(config: HomogeneousConfig, eps: float) -> ScalingPrediction:
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


#: Cut-offs of the blow-up used by :func:`small_prior_limit`: two disjoint ladders, one fit each.
LIMIT_CUTOFFS = ((1e4, 1e6, 1e8, 1e10, 1e12, 1e16), (1e20, 1e30, 1e50, 1e100, 1e200, 1e300))


@dataclass(frozen=True)
class SmallPriorLimit:
    r"""The small-prior prefactor of :math:`N^*` as the limit system's cut-off goes to infinity.

    The saturation prefactor read from the limit system depends on where its blow-up is cut
    off, :math:`P_c`, like :math:`L - C/\ln P_c`: ``a`` keeps learning during the blow-up, by
    :math:`\int P\,dt = \ln P/(a - b)`, so ``1 - a ~ 1/ln P``. A run of N environments cuts
    the blow-up off near :math:`P \sim c_z\alpha^z N`, so :math:`N^* p_0` tends to L like
    :math:`1/\ln N` as :math:`p_0 \to 0`.

    Attributes
    ----------
    prefactor : float
        L from the limit system with the cut-off at infinity (b frozen, a = 1 at the blow-up).
    fits : tuple of dict
        Two independent fits :math:`L + C x + D x^2`, :math:`x = 1/\ln P_c`, on disjoint ladders
        of cut-offs (``cutoffs``, ``prefactors``, ``limit``, ``rate`` C).
    error : float
        Error estimate of L: the larger distance of either fit's limit from ``prefactor``.
    rate : float
        C in ``prefactor(P_c) ~ L - C / ln P_c`` (from the fit on the larger cut-offs).
    """

    eps: float
    prefactor: float
    error: float
    rate: float
    fits: tuple
    p_cutoff_default: float

    def to_json(self) -> dict:
        return {"eps": self.eps, "prefactor": self.prefactor, "error": self.error, "rate": self.rate,
                "fits": list(self.fits), "p_cutoff_default": self.p_cutoff_default}


def small_prior_limit(config: HomogeneousConfig | None = None, *, eps: float = 1e-3, cutoffs=LIMIT_CUTOFFS) -> SmallPriorLimit:
    r"""The true small-prior saturation prefactor (cut-off at infinity) with an error estimate.

    The prefactor of :func:`predicted_scaling` is read with the blow-up cut off at
    :data:`P_CUTOFF` (1e8). This computes the limit directly (``p_cutoff = inf``) and checks it
    against two quadratic fits in :math:`1/\ln P_c` on disjoint ladders of cut-offs. Needs the
    power-law case (:math:`c_y = 0`, a limit system with a = 1 reached at the blow-up).

    Examples
    --------
    >>> r = small_prior_limit()  # about 30 s  # doctest: +SKIP
    >>> round(r.prefactor, 5), r.error < 2e-5, round(r.rate, 4)  # doctest: +SKIP
    (1.80849, True, 0.0053)
    """
    config = config or HomogeneousConfig()
    az, ax, ay = config.alpha
    cz, cx, cy = config.c
    if cy != 0 or cz == 0 or cx == 0 or config.cost != 0:
        raise WorkbenchError("small_prior_limit needs the power-law case: c_y = 0, c_z > 0, c_x > 0 and no cost")
    ls = limit_system(config.flow, config.model, config.kappa, config.cost)
    if not ls.exists:
        raise WorkbenchError(f"the small-prior limit system does not exist for the {config.flow.name} flow")
    rho = (cx * ax) / (cz * az)
    la0, lb0 = config.x0 + config.kappa * config.y0, config.y0

    def prefactor(pc, guess=None):
        P0 = critical_limit_prior(ls, la0, lb0, rho, ay, eps, p_cutoff=pc, guess=guess)
        if not P0:
            raise WorkbenchError(f"the limit system has no switch in P0 at p_cutoff = {pc:g}")
        return P0 / (cz * az)

    L = prefactor(math.inf)
    fits = []
    for ladder in cutoffs:
        ladder = tuple(float(c) for c in ladder)
        if len(ladder) < 3:
            raise WorkbenchError("each ladder of cut-offs needs at least 3 values for a quadratic fit")
        vals = [prefactor(c, guess=L * cz * az) for c in ladder]  # every threshold is within 1e-3 of the limit's
        x = 1.0 / np.log(ladder)
        D, C, L_fit = np.polyfit(x, vals, 2)
        fits.append({"cutoffs": list(ladder), "prefactors": vals, "limit": float(L_fit), "rate": float(-C), "curvature": float(D)})
    error = max(abs(f["limit"] - L) for f in fits)
    return SmallPriorLimit(eps, float(L), float(error), fits[-1]["rate"], tuple(fits), P_CUTOFF)
