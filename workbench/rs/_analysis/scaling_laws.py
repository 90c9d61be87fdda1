r"""The results of :func:`~workbench.rs._analysis.small_prior.predicted_scaling`: sibling classes, one per case.

How the critical diversity :math:`N^*(p_0)` behaves as :math:`p_0 \to 0` (claim RS6):

* :class:`PowerLaw`: :math:`N^* \simeq (P_0^*/(c_z\alpha^z))\,p_0^{-1}` (``c_y = 0``, gradient flow);
* :class:`LogarithmicLaw`: :math:`N^* \simeq \ln(1/p_0)/(c_z\alpha^z I)` (replicator flow);
* :class:`CriticalPrior`: no ``N`` suffices below a critical prior (``c_y > 0``);
* :class:`NoSaturation`: a branch cost; the saturation criterion has no ``N*``;
* :class:`NoRescaling` (``c_z = 0`` or ``c_x = 0``) and :class:`NoSwitch` (the limit system
  never switches).

All share :class:`ScalingPrediction`'s fields (``exponent``, ``prefactor``, ``applies``, ``law``,
``note``); ``to_dict()`` is the JSON record of ``rs analyze --json`` and of the claims.

References
----------
Spec ``reward_seeking.md`` §5 (the canonical configuration); claims RS6a (power law),
RS6b (replicator, logarithmic), RS6c (critical prior).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar


class ScalingLaw(StrEnum):
    """How :math:`N^*(p_0)` behaves as :math:`p_0 \to 0` (the ``law`` of a :class:`ScalingPrediction`)."""

    POWER = "power"
    LOGARITHMIC = "logarithmic"
    NO_SATURATION = "no saturation N*"
    CRITICAL_PRIOR = "critical prior"


@dataclass(frozen=True)
class ScalingPrediction:
    r"""Base of the results of :func:`predicted_scaling`: the fields every driver reads.

    Subclasses: :class:`PowerLaw`, :class:`LogarithmicLaw`, :class:`CriticalPrior`,
    :class:`NoSaturation`, :class:`NoRescaling`, :class:`NoSwitch`.

    Attributes
    ----------
    variant : str
        The flow (``gradient`` or ``replicator``).
    kappa, cost : float
    exponent : float or None
        :math:`\lim d\ln N^*/d\ln p_0` as :math:`p_0 \to 0` (None when not defined).
    prefactor : float or None
        :math:`N^* \simeq \text{prefactor}\cdot p_0^{\text{exponent}}` (saturation criterion), or None.
    note : str
        Which case and why.
    applies : bool (class attribute)
        True exactly for :class:`PowerLaw`.
    law : ScalingLaw or None (class attribute)
    """

    variant: str
    kappa: float
    cost: float
    exponent: float | None
    prefactor: float | None
    note: str

    applies: ClassVar[bool] = False
    law: ClassVar[ScalingLaw | None] = None
    #: the case's own keys, in the order of :meth:`to_dict` after ``applies``/``law``
    _KEYS: ClassVar[tuple[str, ...]] = ("note",)
    #: keys left out of :meth:`to_dict` when None
    _OPTIONAL: ClassVar[tuple[str, ...]] = ()

    def to_dict(self) -> dict:
        """The JSON record (the ``scaling`` of ``rs analyze --json`` and of the claims' evidence)."""
        out = {"variant": self.variant, "kappa": self.kappa, "cost": self.cost, "exponent": self.exponent,
               "prefactor": self.prefactor, "applies": self.applies}
        if self.law is not None:
            out["law"] = self.law.value
        for k in self._KEYS:
            v = getattr(self, k)
            if v is not None or k not in self._OPTIONAL:
                out[k] = v
        return out

    def __repr__(self) -> str:
        shown = [f"{k}={getattr(self, k)!r}" for k in ("exponent", "prefactor") if getattr(self, k) is not None]
        return f"{type(self).__name__}({', '.join([f'variant={self.variant!r}', *shown])})"


@dataclass(frozen=True, repr=False)
class PowerLaw(ScalingPrediction):
    r""":math:`N^* \simeq \text{prefactor}\cdot p_0^{-1}` (``c_y = 0``, the limit system switches at :math:`P_0^*`).

    ``prefactor`` is :math:`P_0^*/(c_z\alpha^z)` for the saturation criterion with ``eps``;
    ``prefactor_asymptotic`` for the :math:`t\to\infty` criterion (None where not certified).

    Examples
    --------
    >>> from workbench.rs import HomogeneousConfig, predicted_scaling
    >>> predicted_scaling(HomogeneousConfig())
    PowerLaw(variant='gradient', N* ~ 1.8082 * p0^-1, P0*=0.180824)
    """

    eps: float = 1e-3
    P0_star: float = math.nan
    rho: float = math.nan
    P0_star_asymptotic: float | None = None
    prefactor_asymptotic: float | None = None
    P_invariant: float | None = None
    limit_components: tuple = ()

    applies: ClassVar[bool] = True
    law: ClassVar[ScalingLaw] = ScalingLaw.POWER
    _KEYS = ("eps", "P0_star", "rho", "P0_star_asymptotic", "prefactor_asymptotic", "P_invariant", "limit_components", "note")

    def to_dict(self) -> dict:
        return {**super().to_dict(), "limit_components": list(self.limit_components), "note": self.note}

    def __repr__(self) -> str:
        return (f"PowerLaw(variant={self.variant!r}, N* ~ {self.prefactor:.4f} * p0^{self.exponent:.0f}, "
                f"P0*={self.P0_star:.6f})")


@dataclass(frozen=True, repr=False)
class LogarithmicLaw(ScalingPrediction):
    r""":math:`N^* \simeq \ln(1/p_0)/(c_z\alpha^z I)`: the limit :math:`P = \alpha^z_{\rm eff} p` does not exist (``replicator``).

    ``log_coefficient`` is :math:`1/(c_z\alpha^z I)` (None when ``I`` is not positive); the rest
    is :func:`~workbench.rs._analysis.small_prior.replicator_log_rate`.
    """

    log_coefficient: float | None = None
    limit_components: tuple = ()
    rate_at_p0: str = ""
    a_frozen: bool = False
    bdot_at_p0: str | None = None
    I: float | None = None  # noqa: E741
    I_error: float | None = None
    b_turn: float | None = None

    law: ClassVar[ScalingLaw] = ScalingLaw.LOGARITHMIC
    _KEYS = ("log_coefficient", "note", "limit_components", "rate_at_p0", "a_frozen", "bdot_at_p0", "I", "I_error", "b_turn")
    _OPTIONAL = ("bdot_at_p0", "I_error", "b_turn")

    def to_dict(self) -> dict:
        return {**super().to_dict(), "limit_components": list(self.limit_components)}

    def __repr__(self) -> str:
        coef = "n/a" if self.log_coefficient is None else f"{self.log_coefficient:.4f}"
        return f"LogarithmicLaw(variant={self.variant!r}, N* ~ {coef} * ln(1/p0))"


@dataclass(frozen=True, repr=False)
class CriticalPrior(ScalingPrediction):
    r"""No power law: with :math:`c_y > 0` no N suffices below a critical prior ``critical_prior`` (see :func:`~workbench.rs._analysis.small_prior.critical_prior`)."""

    critical_prior: float | None = None
    critical_prior_note: str | None = None
    critical_prior_bracket: list | None = None
    n_infinity_learnabilities: list | None = None

    law: ClassVar[ScalingLaw] = ScalingLaw.CRITICAL_PRIOR
    _KEYS = ("note", "critical_prior", "critical_prior_note", "critical_prior_bracket", "n_infinity_learnabilities")
    _OPTIONAL = ("critical_prior_note", "critical_prior_bracket", "n_infinity_learnabilities")

    def __repr__(self) -> str:
        return f"CriticalPrior(variant={self.variant!r}, p0_c={self.critical_prior!r})"


@dataclass(frozen=True, repr=False)
class NoSaturation(ScalingPrediction):
    """With a branch cost the saturation criterion never calls a run reward-seeking: no saturation ``N*``."""

    limit_components: tuple = ()

    law: ClassVar[ScalingLaw] = ScalingLaw.NO_SATURATION
    _KEYS = ("limit_components", "note")

    def to_dict(self) -> dict:
        return {**super().to_dict(), "limit_components": list(self.limit_components), "note": self.note}


@dataclass(frozen=True, repr=False)
class NoRescaling(ScalingPrediction):
    """``c_z = 0`` or ``c_x = 0``: no small-prior rescaling (the ``note`` says which)."""


@dataclass(frozen=True, repr=False)
class NoSwitch(ScalingPrediction):
    """The limit system's outcome does not switch in :math:`P_0` (always local or always reward-seeking)."""

    P0_star: float | None = None
    rho: float = math.nan

    _KEYS = ("P0_star", "rho", "note")
