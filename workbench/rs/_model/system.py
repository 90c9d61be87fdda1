"""A batch of reward-seeking systems: B parameter sets of N environments each (spec §2)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from workbench._errors import WorkbenchError
from workbench.rs._model.reward_model import CompiledModel, Flow, GradientFlow, RewardModel, compile_model
from workbench.rs._model.memory import (  # noqa: F401 - re-exported, the memory helpers' historical home
    DEFAULT_MEMORY_LIMIT,
    WORKING_COPIES,
    check_memory,
    format_bytes,
    memory_message,
    resource_hint,
    state_bytes,
)
from workbench.rs._model.transfer import NoTransfer, Transfer


@dataclass(frozen=True, eq=False)
class RewardSeekingSystem:
    """B systems of N environments, integrated together.

    Parameters
    ----------
    initial : array, shape (B, 3, N)
        Initial logits ``(z, x, y)`` per system and environment.
    alpha : array, broadcastable to (B, 3, N)
        Learnabilities ``alpha^z, alpha^x, alpha^y`` (positive); they sit on the receiving
        environment (row scaling ``diag(alpha) C r``).
    transfer : tuple of three Transfer
        For ``z``, ``x`` and ``y``.
    kappa, cost : array, broadcastable to (B,)
        Parameters of :class:`RewardModel` (footnote-4 coupling and branch cost).
    model, flow
        The expected reward and the flow derived from it.
    """

    initial: np.ndarray
    alpha: np.ndarray = 1.0
    transfer: tuple[Transfer, Transfer, Transfer] = (NoTransfer(), NoTransfer(), NoTransfer())
    kappa: np.ndarray = 0.0
    cost: np.ndarray = 0.0
    model: RewardModel = field(default_factory=RewardModel.standard)
    flow: Flow = field(default_factory=GradientFlow)

    def __post_init__(self):
        init = np.asarray(self.initial, dtype=float)
        if init.ndim != 3 or init.shape[1] != 3 or init.shape[2] < 1 or init.shape[0] < 1:
            raise WorkbenchError(f"initial logits must have shape (B, 3, N), got {init.shape}")
        if not np.all(np.isfinite(init)):
            raise WorkbenchError("initial logits must be finite")
        B, _, N = init.shape
        alpha = np.asarray(self.alpha, dtype=float)
        try:
            alpha = np.broadcast_to(alpha, (B, 3, N)).copy()
        except ValueError:
            raise WorkbenchError(f"learnabilities of shape {alpha.shape} do not fit the batch (B, 3, N) = {(B, 3, N)}") from None
        if not np.all(np.isfinite(alpha)) or np.any(alpha <= 0):
            raise WorkbenchError("learnabilities alpha must be positive and finite")
        params = {}
        for name in ("kappa", "cost"):
            v = np.asarray(getattr(self, name), dtype=float)
            try:
                v = np.broadcast_to(v.reshape(-1, 1) if v.ndim == 1 else v, (B, 1)).copy()
            except ValueError:
                raise WorkbenchError(f"{name} has {v.size} values for a batch of {B}") from None
            if not np.all(np.isfinite(v)):
                raise WorkbenchError(f"{name} must be finite")
            params[name] = v
        if np.any(params["kappa"] < 0):
            raise WorkbenchError("kappa must be >= 0 (spec §2, footnote-4 variant)")
        if len(self.transfer) != 3:
            raise WorkbenchError("transfer needs one coupling for each of z, x, y")
        for t in self.transfer:
            t.check_size(N, B)
        object.__setattr__(self, "initial", init)
        object.__setattr__(self, "alpha", alpha)
        object.__setattr__(self, "kappa", params["kappa"])
        object.__setattr__(self, "cost", params["cost"])

    @property
    def n_batch(self) -> int:
        return self.initial.shape[0]

    @property
    def n_envs(self) -> int:
        return self.initial.shape[2]

    def compiled(self) -> CompiledModel:
        return compile_model(self.model, self.flow)

    def vector_field(self) -> "VectorField":
        return VectorField(self.compiled(), self.alpha, self.transfer, self.kappa, self.cost)


class VectorField:
    """``d/dt`` of the logits for the systems still running; ``restrict`` drops finished ones."""

    def __init__(self, compiled, alpha, transfer, kappa, cost):
        self.compiled = compiled
        self.alpha = alpha
        self.transfer = transfer
        self.kappa = kappa
        self.cost = cost
        # variables that share one stackable transfer object are applied together
        groups: list[list[int]] = []
        for k, t in enumerate(transfer):
            same = next((g for g in groups if t.stackable and transfer[g[0]] is t), None)
            if same is None:
                groups.append([k])
            else:
                same.append(k)
        self._groups = groups

    def __call__(self, state: np.ndarray) -> np.ndarray:
        rates = self.compiled.rates(state[:, 0], state[:, 1], state[:, 2], self.kappa, self.cost)
        out = np.empty_like(state)
        for group in self._groups:
            t = self.transfer[group[0]]
            if len(group) == 1:
                out[:, group[0]] = self.alpha[:, group[0]] * t.apply(rates[group[0]])
                continue
            # one pass over a shared matrix (memory-bound: reading it dominates)
            applied = t.apply(np.concatenate([rates[k] for k in group]))
            rows = state.shape[0]
            for i, k in enumerate(group):
                out[:, k] = self.alpha[:, k] * applied[i * rows:(i + 1) * rows]
        return out

    def mean_reward(self, state: np.ndarray) -> np.ndarray:
        return self.compiled.reward(state[:, 0], state[:, 1], state[:, 2], self.kappa, self.cost).mean(axis=-1)

    def propensity(self, state: np.ndarray) -> np.ndarray:
        return self.compiled.propensity(state[:, 0], state[:, 1], state[:, 2], self.kappa, self.cost)

    def restrict(self, keep: np.ndarray) -> "VectorField":
        return VectorField(
            self.compiled,
            self.alpha[keep],
            tuple(t.restrict(keep) for t in self.transfer),
            self.kappa[keep],
            self.cost[keep],
        )
