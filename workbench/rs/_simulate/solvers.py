"""Integrators for a batch of systems, each system with its own time and step size.

Strategy objects for :func:`workbench.rs.simulate`: :class:`DormandPrince` (adaptive, the
default) and :class:`Euler` (fixed step, as in the seed). Both advance every running system
in one vectorized operation; a system stops on its own event without stopping the others.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench._errors import WorkbenchError

# Dormand & Prince (1980), RK5(4)7FM; the same tableau as scipy's RK45.
_C = np.array([0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1])
_A = [
    [],
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
]
_B = np.array([35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84])
_E = np.array([-71 / 57600, 0, 71 / 16695, -71 / 1920, 17253 / 339200, -22 / 525, 1 / 40])


def _rms(v: np.ndarray) -> np.ndarray:
    return np.sqrt(np.mean(v.reshape(v.shape[0], int(np.prod(v.shape[1:]))) ** 2, axis=1))


def _bcast(v: np.ndarray, like: np.ndarray) -> np.ndarray:
    return v.reshape((-1,) + (1,) * (like.ndim - 1))


class Solver:
    """Interface: ``initial_step``, ``attempt`` and ``next_step`` on arrays of running systems."""

    max_steps: int
    adaptive: bool

    def initial_step(self, field, y, f, span):  # pragma: no cover - interface
        raise NotImplementedError

    def attempt(self, field, y, f, h):  # pragma: no cover - interface
        raise NotImplementedError

    def describe(self) -> dict:
        return {"solver": type(self).__name__}


@dataclass(frozen=True)
class DormandPrince(Solver):
    """Adaptive explicit Runge–Kutta 5(4) with per-system error control.

    Parameters
    ----------
    rtol, atol : float
        Local error tolerances; a step is accepted when the RMS of
        ``err / (atol + rtol * max(|y_old|, |y_new|))`` over a system's 3N logits is <= 1.
    max_steps : int
        Per-system cap; a system that reaches it is reported ``undecided`` ("step limit").
    """

    rtol: float = 1e-8
    atol: float = 1e-10
    max_steps: int = 200_000
    adaptive = True

    def __post_init__(self):
        if not (0 < self.rtol < 1) or not (self.atol > 0):
            raise WorkbenchError("solver tolerances must satisfy 0 < rtol < 1 and atol > 0")
        if self.max_steps < 1:
            raise WorkbenchError("max_steps must be positive")

    def initial_step(self, field, y, f, span):
        # Hairer, Norsett & Wanner, Solving ODEs I, II.4 (vectorized).
        scale = self.atol + np.abs(y) * self.rtol
        d0, d1 = _rms(y / scale), _rms(f / scale)
        h0 = np.where((d0 < 1e-5) | (d1 < 1e-5), 1e-6, 0.01 * d0 / np.maximum(d1, 1e-300))
        h0 = np.minimum(h0, span)
        f1 = field(y + _bcast(h0, y) * f)
        d2 = _rms((f1 - f) / scale) / h0
        dmax = np.maximum(d1, d2)
        h1 = np.where(dmax <= 1e-15, np.maximum(1e-6, h0 * 1e-3), (0.01 / np.maximum(dmax, 1e-300)) ** 0.2)
        return np.minimum(np.minimum(100 * h0, h1), span)

    def attempt(self, field, y, f, h):
        """One trial step; returns ``(y_new, f_new, error_norm)``."""
        hb = _bcast(h, y)
        k = [f]
        for i in range(1, 6):
            dy = sum(a * ki for a, ki in zip(_A[i], k) if a != 0)
            k.append(field(y + hb * dy))
        y_new = y + hb * sum(b * ki for b, ki in zip(_B, k) if b != 0)
        f_new = field(y_new)
        k.append(f_new)
        err = hb * sum(e * ki for e, ki in zip(_E, k) if e != 0)
        scale = self.atol + np.maximum(np.abs(y), np.abs(y_new)) * self.rtol
        return y_new, f_new, _rms(err / scale)

    def next_step(self, h, err_norm, accepted):
        with np.errstate(divide="ignore"):
            factor = np.where(err_norm == 0, 10.0, 0.9 * err_norm ** -0.2)
        factor = np.clip(factor, 0.2, 10.0)
        return h * np.where(accepted, factor, np.minimum(factor, 1.0))

    def describe(self):
        return {"solver": "dormand-prince", "rtol": self.rtol, "atol": self.atol, "max_steps": self.max_steps}


@dataclass(frozen=True)
class Euler(Solver):
    """Explicit Euler with a fixed step ``dt`` (the seed's integrator)."""

    dt: float = 0.01
    max_steps: int = 10_000_000
    adaptive = False

    def __post_init__(self):
        if not (self.dt > 0) or not np.isfinite(self.dt):
            raise WorkbenchError(f"Euler step dt must be positive, got {self.dt}")

    def initial_step(self, field, y, f, span):
        return np.minimum(np.full(y.shape[0], self.dt), span)

    def attempt(self, field, y, f, h):
        y_new = y + _bcast(h, y) * f
        return y_new, field(y_new), np.zeros(y.shape[0])

    def next_step(self, h, err_norm, accepted):
        return np.full_like(h, self.dt)

    def describe(self):
        return {"solver": "euler", "dt": self.dt}


def hermite(y0, f0, y1, f1, h, theta):
    """Cubic Hermite interpolation on a step, ``theta`` in [0, 1] per system."""
    t = _bcast(theta, y0)
    hb = _bcast(h, y0)
    t2, t3 = t * t, t * t * t
    return (2 * t3 - 3 * t2 + 1) * y0 + (t3 - 2 * t2 + t) * hb * f0 + (-2 * t3 + 3 * t2) * y1 + (t3 - t2) * hb * f1
