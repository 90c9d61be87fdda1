r"""Transfer between environments (spec §2): :math:`\dot k_i = \alpha^k_i \sum_j C^k_{ij} r^k_j`.

Each transfer is a strategy object with ``apply(rates)`` for rates of shape ``(B, N)``
(B systems in the batch, N environments each) and ``restrict(keep)`` to follow the batch
when finished systems are dropped. The matrix is built once, never per step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench._errors import WorkbenchError


class Transfer:
    """Base class: how the rates of one variable spread across environments.

    ``stackable`` declares that ``apply`` treats every row alike (one matrix for the whole
    batch), so variables sharing the transfer may be applied together in one pass.
    """

    stackable: bool = False

    def apply(self, rates: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def restrict(self, keep: np.ndarray) -> "Transfer":
        return self

    def check_size(self, n_envs: int, n_batch: int) -> None:
        pass


@dataclass(frozen=True)
class NoTransfer(Transfer):
    """``C = I``: environments learn separately (always the case for N = 1)."""

    stackable = True

    def apply(self, rates):
        return rates


@dataclass(frozen=True, eq=False)
class UniformTransfer(Transfer):
    r"""Homogeneous coupling ``C = (1 - c) I + c 1 1^T`` (spec §5), applied in O(N).

    ``c`` is a scalar or one value per system of the batch, each in [0, 1].
    """

    c: np.ndarray | float

    def __post_init__(self):
        c = np.asarray(self.c, dtype=float)
        if c.ndim > 1 or not np.all(np.isfinite(c)) or np.any((c < 0) | (c > 1)):
            raise WorkbenchError(f"transfer c must be in [0, 1], got {self.c}")
        object.__setattr__(self, "c", c.reshape(-1, 1) if c.ndim == 1 else c)

    def apply(self, rates):
        return (1.0 - self.c) * rates + self.c * rates.sum(axis=1, keepdims=True)

    def restrict(self, keep):
        return self if self.c.ndim == 0 else UniformTransfer(self.c[keep, 0])

    def check_size(self, n_envs, n_batch):
        if self.c.ndim == 2 and self.c.shape[0] != n_batch:
            raise WorkbenchError(f"transfer c has {self.c.shape[0]} values for a batch of {n_batch}")

    def matrix(self, n_envs: int) -> np.ndarray:
        """The dense ``N x N`` matrix (for a scalar ``c``)."""
        c = float(self.c)
        return (1 - c) * np.eye(n_envs) + c * np.ones((n_envs, n_envs))


@dataclass(frozen=True, eq=False)
class MatrixTransfer(Transfer):
    """A dense transfer matrix ``C`` (``N x N``, ``C_ii = 1``, ``0 <= C_ij <= 1``), shared by the batch."""

    stackable = True

    matrix: np.ndarray

    def __post_init__(self):
        m = np.asarray(self.matrix, dtype=float)
        if m.ndim != 2 or m.shape[0] != m.shape[1]:
            raise WorkbenchError(f"transfer matrix must be square, got shape {m.shape}")
        if not np.all(np.isfinite(m)) or np.any((m < 0) | (m > 1)):
            raise WorkbenchError("transfer matrix entries must lie in [0, 1]")
        if not np.allclose(np.diag(m), 1.0):
            raise WorkbenchError("transfer matrix must have C_ii = 1")
        object.__setattr__(self, "matrix", np.ascontiguousarray(m))

    def apply(self, rates):
        return rates @ self.matrix.T

    def check_size(self, n_envs, n_batch):
        if self.matrix.shape[0] != n_envs:
            raise WorkbenchError(f"transfer matrix is {self.matrix.shape[0]}x{self.matrix.shape[0]} for {n_envs} environments")
