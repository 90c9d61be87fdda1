"""A batch of reward-seeking systems: B parameter sets of N environments each (spec §2)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from workbench._errors import ResourceTooLarge, WorkbenchError
from workbench.rs._model.reward_model import CompiledModel, Flow, GradientFlow, RewardModel, compile_model
from workbench.rs._model.transfer import NoTransfer, Transfer


#: Default limit on the memory one simulation may allocate (bytes); every function that could
#: exceed it takes a ``memory_limit`` parameter.
DEFAULT_MEMORY_LIMIT = 4 * 2**30

#: Arrays of the size of the state (B x 3 x N floats) that an integration keeps at once: the
#: state, the trial state, two derivatives, seven Runge-Kutta stages and temporaries.
WORKING_COPIES = 20


def format_bytes(n: float) -> str:
    """``1.5 GiB``-style text for a byte count."""
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024 or unit == "PiB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.3g} {unit}"
        n /= 1024.0
    return f"{n:.3g} EiB"  # pragma: no cover


def check_memory(nbytes: float, what: str, memory_limit: float | None = None) -> None:
    """Raise :class:`ResourceTooLarge` before allocating when ``nbytes`` exceeds the limit."""
    limit = DEFAULT_MEMORY_LIMIT if memory_limit is None else memory_limit
    if nbytes > limit:
        exc = ResourceTooLarge(f"{memory_message(what, nbytes, limit)} (raise memory_limit to allow it)")
        exc.what, exc.estimate, exc.limit = what, nbytes, limit  # the command line words its own hint
        raise exc


def memory_message(what: str, nbytes: float, limit: float) -> str:
    return f"{what} would need about {format_bytes(nbytes)} of memory, over the limit of {format_bytes(limit)}"


def resource_hint(exc, hint: str):
    """The same :class:`ResourceTooLarge` with a command-line ``hint`` instead of the library's."""
    if getattr(exc, "estimate", None) is None:
        return exc
    return ResourceTooLarge(f"{memory_message(exc.what, exc.estimate, exc.limit)}; {hint}")


def state_bytes(n_batch: int, n_envs: int) -> float:
    """Working memory of integrating ``n_batch`` systems of ``n_envs`` environments (float64)."""
    return float(WORKING_COPIES) * n_batch * 3 * n_envs * 8


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

    def __call__(self, state: np.ndarray) -> np.ndarray:
        rz, rx, ry = self.compiled.rates(state[:, 0], state[:, 1], state[:, 2], self.kappa, self.cost)
        out = np.empty_like(state)
        for k, r in enumerate((rz, rx, ry)):
            out[:, k] = self.alpha[:, k] * self.transfer[k].apply(r)
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
