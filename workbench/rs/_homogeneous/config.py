r"""Homogeneous coupling (spec §5): identical environments, ``C^k = (1 - c_k) I + c_k 1 1^T``.

The symmetric state is invariant and the N-environment system reduces exactly to the
single-environment system with effective learnabilities
:math:`\alpha^k_{\rm eff}(N) = \alpha^k (1 + (N - 1) c_k)` (claim RS3).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from workbench._errors import WorkbenchError
from workbench.rs._model.reward_model import Flow, GradientFlow, RewardModel
from workbench.rs._model.system import RewardSeekingSystem, check_memory, state_bytes
from workbench.rs._model.transfer import MatrixTransfer, UniformTransfer


def alpha_eff(alpha, c, n):
    r"""Effective learnability :math:`\alpha (1 + (N - 1) c)` of N homogeneously coupled environments.

    Parameters
    ----------
    alpha : float or array
        Learnability of one environment.
    c : float or array
        Off-diagonal transfer, in [0, 1].
    n : float or array
        Number of environments (a real number >= 1 in the reduced system).

    Examples
    --------
    >>> float(alpha_eff(1.0, 0.1, 11))
    2.0
    """
    return np.asarray(alpha, dtype=float) * (1.0 + (np.asarray(n, dtype=float) - 1.0) * np.asarray(c, dtype=float))


def _logit(p: float) -> float:
    """``log(p / (1 - p))``, the same formula (and so the same bits) as ``scipy.special.logit``:
    around p = 1/2 it uses ``log1p`` to keep precision."""
    if p < 0.3 or p > 0.65:
        return math.log(p / (1 - p))
    s = 2 * (p - 0.5)
    return math.log1p(s) - math.log1p(-s)


@dataclass(frozen=True)
class HomogeneousConfig:
    """One homogeneous configuration (spec §5); defaults are the canonical one.

    Parameters
    ----------
    p0 : float
        Initial prior of reward-seeking, in (0, 1); ``z0 = logit(p0)``.
    x0, y0 : float
        Initial skill logits of the reward-seeking and local branches.
    alpha : (float, float, float)
        Learnabilities ``(alpha^z, alpha^x, alpha^y)``, positive.
    c : (float, float, float)
        Off-diagonal transfers ``(c_z, c_x, c_y)`` in [0, 1].
    n : float
        Number of environments, >= 1 (real in the reduced system).
    kappa, cost : float
        Footnote-4 coupling (>= 0) and cost of the reward-seeking branch.
    flow : Flow
        ``GradientFlow()`` (default) or ``ReplicatorFlow()``.
    model : RewardModel
    """

    p0: float = 0.01
    x0: float = 0.0
    y0: float = -2.0
    alpha: tuple[float, float, float] = (1.0, 1.0, 1.0)
    c: tuple[float, float, float] = (0.1, 0.1, 0.0)
    n: float = 1.0
    kappa: float = 0.0
    cost: float = 0.0
    flow: Flow = field(default_factory=GradientFlow)
    model: RewardModel = field(default_factory=RewardModel.standard)

    def __post_init__(self):
        object.__setattr__(self, "alpha", tuple(float(a) for a in self.alpha))
        object.__setattr__(self, "c", tuple(float(v) for v in self.c))
        if not (0.0 < self.p0 < 1.0):
            raise WorkbenchError(f"p0 must lie strictly between 0 and 1, got {self.p0}")
        if len(self.alpha) != 3 or any(not (a > 0) or not np.isfinite(a) for a in self.alpha):
            raise WorkbenchError(f"learnabilities alpha must be three positive numbers, got {self.alpha}")
        if len(self.c) != 3 or any(not (0.0 <= v <= 1.0) for v in self.c):
            raise WorkbenchError(f"transfers c must be three numbers in [0, 1], got {self.c}")
        if not (self.n >= 1) or not np.isfinite(self.n):
            raise WorkbenchError(f"the number of environments n must be >= 1, got {self.n}")
        if not np.isfinite(self.x0) or not np.isfinite(self.y0):
            raise WorkbenchError("initial logits x0, y0 must be finite")
        if not (self.kappa >= 0) or not np.isfinite(self.kappa):
            raise WorkbenchError(f"kappa must be >= 0, got {self.kappa}")
        if not (0.0 <= self.cost < 1.0):
            raise WorkbenchError(f"cost must lie in [0, 1), got {self.cost}: a negative cost pays more than the "
                                 "largest reward 1, and with cost >= 1 the reward-seeking branch earns nothing")
        self.model.check_on_cube(self.kappa, self.cost)

    @property
    def z0(self) -> float:
        return _logit(float(self.p0))

    def with_(self, **changes) -> "HomogeneousConfig":
        return replace(self, **changes)

    def alpha_eff(self, n=None) -> np.ndarray:
        """``(alpha^z_eff, alpha^x_eff, alpha^y_eff)`` at ``n`` (default ``self.n``)."""
        return alpha_eff(np.array(self.alpha), np.array(self.c), self.n if n is None else n)

    def to_json(self) -> dict:
        return {
            "p0": self.p0, "x0": self.x0, "y0": self.y0, "alpha": list(self.alpha), "c": list(self.c),
            "n": self.n, "kappa": self.kappa, "cost": self.cost, "variant": self.flow.name, "model": self.model.name,
        }


def reduced_system(configs, n=None) -> RewardSeekingSystem:
    """The N = 1 system with ``alpha_eff`` for each config (a batch), optionally at other ``n``.

    ``configs`` is one :class:`HomogeneousConfig` or a sequence sharing model and flow; ``n``
    (scalar or one per system) overrides ``config.n``.
    """
    configs = [configs] if isinstance(configs, HomogeneousConfig) else list(configs)
    if not configs:
        raise WorkbenchError("no configurations to simulate")
    first = configs[0]
    if any(cf.flow != first.flow or cf.model != first.model for cf in configs):
        raise WorkbenchError("a batch must share one model and one flow")
    ns = np.broadcast_to(np.asarray([cf.n for cf in configs] if n is None else n, dtype=float), (len(configs),))
    if np.any(~(ns >= 1)):
        raise WorkbenchError("the number of environments n must be >= 1")
    alpha = np.array([cf.alpha for cf in configs])
    c = np.array([cf.c for cf in configs])
    a_eff = alpha_eff(alpha, c, ns[:, None])
    initial = np.array([[[cf.z0], [cf.x0], [cf.y0]] for cf in configs])
    return RewardSeekingSystem(
        initial=initial,
        alpha=a_eff[:, :, None],
        kappa=np.array([cf.kappa for cf in configs]),
        cost=np.array([cf.cost for cf in configs]),
        model=first.model,
        flow=first.flow,
    )


def full_system(config: HomogeneousConfig, *, dense: bool = False, memory_limit: float | None = None) -> RewardSeekingSystem:
    """The full N-environment system (integer ``config.n``) with ``C = (1-c) I + c 11^T``.

    ``dense=True`` uses explicit N x N matrices instead of the O(N) uniform transfer, so the
    reduction can be checked against a plain matrix product. The memory the system and its
    integration need is estimated first; over ``memory_limit`` (bytes, default 4 GiB) it raises
    :class:`~workbench._errors.ResourceTooLarge` before allocating anything.
    """
    n = int(round(config.n))
    if n != config.n:
        raise WorkbenchError(f"the full system needs an integer number of environments, got {config.n}")
    matrices = 3 * 8.0 * n * n if dense else 0.0
    check_memory(state_bytes(1, n) + matrices, f"the full system of N = {n:,} environments", memory_limit)
    transfers = tuple(
        MatrixTransfer(UniformTransfer(ck).matrix(n)) if dense else UniformTransfer(ck) for ck in config.c
    )
    initial = np.broadcast_to(np.array([config.z0, config.x0, config.y0])[None, :, None], (1, 3, n)).copy()
    return RewardSeekingSystem(
        initial=initial,
        alpha=np.array(config.alpha)[None, :, None],
        transfer=transfers,
        kappa=config.kappa,
        cost=config.cost,
        model=config.model,
        flow=config.flow,
    )
