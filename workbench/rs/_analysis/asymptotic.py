r"""The asymptotic criterion: the :math:`t\to\infty` outcome from the derived drift rule (RS8).

:func:`workbench.rs._analysis.drift.late_time_drift` proves, from the model's own field, that the regions

.. math:: R_+ = \{a \ge b,\ p \ge p_{\rm inv}\},\qquad R_- = \{a \le b,\ p \le p_{\rm inv}\}

are forward invariant (``p`` increases in :math:`R_+` and decreases in :math:`R_-`), and that
:math:`p_{\rm inv}` equals the late-time drift threshold :math:`p^*`; for the seed's model
:math:`p^* = \alpha^y_{\rm eff} / (\alpha^x_{\rm eff} + \alpha^y_{\rm eff})`. A run therefore
stops as soon as it enters :math:`R_+` (``reward-seeking``) or :math:`R_-` (``local``): after
that the outcome as :math:`t\to\infty` cannot change. Only the stable manifold of the saddle
at :math:`(p^*, 1, 1)` (measure zero) never enters either region; a run still outside at the
time cap is ``undecided``, except where a region is not certified (a positive ``cost`` breaks
:math:`R_+`): then the sign of :math:`\dot z` at the cap is reported with reason
``drift at time cap (not certified)``.

Learnabilities are the effective ones: ``alpha_i * (C 1)_i`` (the row sums of the transfer),
exact for the reduced system and the homogeneous full system; for heterogeneous systems every
environment must be in the same region, a heuristic extension.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import sympy as sp
from scipy.special import logit

from workbench.rs._analysis.drift import DriftRule, late_time_drift
from workbench.rs._analysis.equilibria import ALPHAS, as_rational, probability_field
from workbench.rs._model.expression import lambdify_modules
from workbench.rs._model.reward_model import LOGITS, PARAMETERS
from workbench.rs._simulate.simulate import LOCAL, REWARD_SEEKING, UNDECIDED, Criterion, outcome_where


@functools.lru_cache(maxsize=64)
def _rule(model, flow, kappa_value: str, cost_value: str) -> tuple[DriftRule, object]:
    rule = late_time_drift(probability_field(flow, model, kappa_value=as_rational(kappa_value),
                                             cost_value=as_rational(cost_value)))
    p_inv = None if rule.p_invariant is None else sp.lambdify(ALPHAS, rule.p_invariant, "numpy")
    return rule, p_inv


@functools.lru_cache(maxsize=16)
def _branch_logits(model):
    """Logits of the a and b branches (the sigmoid arguments) as numeric functions."""
    args = (*LOGITS, *PARAMETERS)
    la = sp.lambdify(args, model.a.args[0], lambdify_modules())
    lb = sp.lambdify(args, model.b.args[0], lambdify_modules())
    return la, lb


@dataclass(frozen=True)
class Asymptotic(Criterion):
    r"""Classify the :math:`t\to\infty` outcome by the derived invariant regions (RS8).

    Examples
    --------
    >>> from workbench.rs import HomogeneousConfig, reduced_system, simulate
    >>> r = simulate(reduced_system(HomogeneousConfig(p0=0.1, n=20)), criterion=Asymptotic())
    >>> str(r.outcome[0])
    'reward-seeking'

    Parameters
    ----------
    threshold : float
        Not used by the certified rule; only for the uncertified fallback at the time cap
        (mean ``p`` above it with ``dz/dt > 0``) and for ``fraction_reward_seeking``.

    Notes
    -----
    A run stopped by the event has reason ``entered invariant region`` (its ``t_sat`` is NaN:
    it was not stopped by saturation).
    """

    threshold: float = 0.5
    event_reason = "entered invariant region"

    def _margins(self, field, y):
        model, flow = field.compiled.model, field.compiled.flow
        ones = np.ones((y.shape[0], y.shape[2]))
        alpha = np.stack([field.alpha[:, k] * field.transfer[k].apply(ones) for k in range(3)], axis=1)
        kap, cst = field.kappa[:, 0], field.cost[:, 0]
        la, lb = _branch_logits(model)
        z, x, yy = y[:, 0], y[:, 1], y[:, 2]
        gap = la(z, x, yy, kap[:, None], cst[:, None]) - lb(z, x, yy, kap[:, None], cst[:, None])
        gap = np.broadcast_to(gap, z.shape)
        plus = np.full(y.shape[0], -np.inf)
        minus = np.full(y.shape[0], -np.inf)
        for key in sorted(set(zip(kap.tolist(), cst.tolist()))):
            sel = (kap == key[0]) & (cst == key[1])
            rule, p_inv = _rule(model, flow, repr(key[0]), repr(key[1]))
            if p_inv is None:
                continue
            pv = np.broadcast_to(np.asarray(p_inv(alpha[sel, 0], alpha[sel, 1], alpha[sel, 2]), dtype=float), z[sel].shape)
            with np.errstate(divide="ignore"):
                zc = np.where(pv <= 0, -np.inf, np.where(pv >= 1, np.inf, logit(np.clip(pv, 1e-300, 1 - 1e-16))))
            dz = z[sel] - zc
            if rule.r_plus_certified:
                plus[sel] = np.min(np.minimum(gap[sel], dz), axis=-1)
            if rule.r_minus_certified:
                minus[sel] = np.min(np.minimum(-gap[sel], -dz), axis=-1)
        return plus, minus

    def event_value(self, field, y):
        plus, minus = self._margins(field, y)
        return np.maximum(plus, minus)

    def classify(self, field, y):
        plus, minus = self._margins(field, y)
        return outcome_where(plus >= minus, REWARD_SEEKING, LOCAL)

    def at_time_cap(self, field, y):
        plus, minus = self._margins(field, y)
        out = np.full(y.shape[0], UNDECIDED, dtype=object)
        inside = np.maximum(plus, minus) >= 0
        out[inside] = outcome_where(plus[inside] >= minus[inside], REWARD_SEEKING, LOCAL)
        # Not in a certified region: report the current drift sign where a region is missing.
        zdot = field(y)[:, 0].mean(axis=-1)
        p = field.propensity(y).mean(axis=-1)
        uncertified = ~inside & (~np.isfinite(plus) | ~np.isfinite(minus))
        out[uncertified & (zdot > 0) & (p > self.threshold)] = REWARD_SEEKING
        out[uncertified & (zdot < 0) & (p < self.threshold)] = LOCAL
        reason = "drift at time cap (not certified)" if uncertified.any() else "time cap"
        return out, reason

    def describe(self):
        return {"criterion": "asymptotic", "threshold": self.threshold,
                "rule": "stop on entering R+ = {a>=b, p>=p_inv} (reward-seeking) or R- = {a<=b, p<=p_inv} (local)"}
