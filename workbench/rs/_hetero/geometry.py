r"""Environment geometries for heterogeneous coupling (spec ``reward_seeking.md`` §6, claim RS7).

Each environment ``i`` is a point :math:`u_i = s\,\xi_i \in \mathbb{R}^d`, where the raw
coordinates :math:`\xi_i` come from a named distribution and ``s`` is a per-geometry scale.
Transfers depend on similarity only,

.. math:: C^k_{ij} = \exp\!\left(-\frac{|u_i - u_j|^2}{2\,l_k^2}\right), \qquad C^k_{ii} = 1 .

Built-in geometries (spec §6 table):

============== ===========================================================
``gaussian4d``   :math:`\xi \sim N(0, I_4)`
``longtail4d``   :math:`\xi_c \sim t_3` per coordinate (Student t, 3 d.o.f.)
``gaussian100d`` :math:`\xi \sim N(0, I_{100})`
============== ===========================================================

Calibration (spec §6): the scale ``s`` is the root, found with Brent's method on
:math:`\log s`, of

.. math:: \overline{C}(s) = \frac{1}{N_{\rm ref}(N_{\rm ref}-1)} \sum_{i \ne j}
          \exp\!\left(-\frac{s^2 |\xi_i - \xi_j|^2}{2\,l_{\rm ref}^2}\right) = \text{target}

on ``N_ref = 100`` raw points drawn with a fixed calibration seed, with the reference length
``l_ref = 1``. :math:`\overline{C}` decreases strictly in ``s`` (every term does), so the root is
unique. Length scales ``l_k`` are then "in units of the calibrated geometry": with the default
``l_z = 1`` the mean off-diagonal ``C^z`` at ``N_ref`` equals the target (0.1), and changing
``l_z`` changes the coupling instead of being undone by re-calibration.

Adding a geometry
-----------------
Write a module-level sampler ``sampler(rng, n, dim) -> array (n, dim)`` (module level, so that
process and Dask workers can unpickle it) and register it::

    from workbench.rs._hetero.geometry import Geometry, register_geometry

    def uniform_cube(rng, n, dim):
        return rng.uniform(-1.0, 1.0, size=(n, dim))

    register_geometry(Geometry("uniform3d", dim=3, sampler=uniform_cube,
                               description="xi ~ U[-1, 1]^3"))

The sweep tasks carry the :class:`Geometry` object itself, so a registered geometry works on
every executor as long as the workers can import its sampler's module.

Examples
--------
>>> g = geometry_by_name("gaussian4d")
>>> cal = calibrate(g)
>>> round(cal.achieved, 12) == round(cal.target, 12)
True
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from workbench._errors import WorkbenchError

#: Seed of the calibration points (spec §6: "root finding, fixed seed").
CALIBRATION_SEED = 20260406
#: Spawn-key tag that keeps the calibration stream apart from every per-seed stream.
_CALIBRATION_TAG = 7


def gaussian_points(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    """Raw coordinates ``xi ~ N(0, I_dim)``, shape ``(n, dim)``."""
    return rng.standard_normal((n, dim))


def student_t3_points(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    """Raw coordinates with independent Student-t (3 d.o.f.) entries, shape ``(n, dim)``."""
    return rng.standard_t(3.0, size=(n, dim))


@dataclass(frozen=True)
class Geometry:
    """A named distribution of environment points (spec §6).

    Parameters
    ----------
    name : str
        Registry key, e.g. ``gaussian4d``.
    dim : int
        Dimension ``d`` of the points.
    sampler : callable
        ``sampler(rng, n, dim) -> ndarray (n, dim)`` of raw coordinates ``xi``; it must draw
        environment after environment, so that the first ``n`` rows of a draw of ``m > n``
        rows would equal a draw of ``n`` rows (the nesting of spec §6 relies on it; the
        environment sequence also draws in fixed blocks, see :mod:`workbench.rs._hetero.model`).
    description : str
    """

    name: str
    dim: int
    sampler: Callable[[np.random.Generator, int, int], np.ndarray] = field(compare=False)
    description: str = ""

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name or any(c in self.name for c in " ,/"):
            raise WorkbenchError(f"a geometry name must be a non-empty word without spaces, commas or slashes, got {self.name!r}")
        if not isinstance(self.dim, (int, np.integer)) or self.dim < 1:
            raise WorkbenchError(f"geometry {self.name}: dimension must be a positive integer, got {self.dim!r}")
        if not callable(self.sampler):
            raise WorkbenchError(f"geometry {self.name}: sampler must be callable")

    def raw_points(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` raw points (before scaling), validated for shape and finiteness."""
        pts = np.asarray(self.sampler(rng, int(n), int(self.dim)), dtype=float)
        if pts.shape != (n, self.dim) or not np.all(np.isfinite(pts)):
            raise WorkbenchError(f"geometry {self.name}: sampler returned shape {pts.shape} (or non-finite values), expected ({n}, {self.dim})")
        return pts

    def to_json(self) -> dict:
        return {"name": self.name, "dim": int(self.dim), "description": self.description,
                "sampler": f"{self.sampler.__module__}.{getattr(self.sampler, '__qualname__', repr(self.sampler))}"}


_REGISTRY: dict[str, Geometry] = {}


def register_geometry(geometry: Geometry, *, replace: bool = False) -> Geometry:
    """Add ``geometry`` to the registry of named geometries (names are unique)."""
    if not isinstance(geometry, Geometry):
        raise WorkbenchError("register_geometry needs a Geometry")
    if geometry.name in _REGISTRY and not replace and _REGISTRY[geometry.name] != geometry:
        raise WorkbenchError(f"geometry {geometry.name!r} is already registered")
    _REGISTRY[geometry.name] = geometry
    return geometry


def geometry_names() -> list[str]:
    return list(_REGISTRY)


def geometry_by_name(name: str) -> Geometry:
    """The registered geometry called ``name`` (one-line error listing the known names)."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise WorkbenchError(f"unknown geometry {name!r}; known: {', '.join(_REGISTRY)}") from None


register_geometry(Geometry("gaussian4d", 4, gaussian_points, "u = s * N(0, I_4)"))
register_geometry(Geometry("longtail4d", 4, student_t3_points, "u = s * t_3 per coordinate (4 coordinates)"))
register_geometry(Geometry("gaussian100d", 100, gaussian_points, "u = s * N(0, I_100)"))


def squared_distances(points: np.ndarray, other: np.ndarray | None = None) -> np.ndarray:
    r"""Pairwise :math:`|u_i - v_j|^2` via :math:`|u|^2 + |v|^2 - 2 u\cdot v`, clipped at 0."""
    other = points if other is None else other
    d2 = (points * points).sum(1)[:, None] + (other * other).sum(1)[None, :] - 2.0 * (points @ other.T)
    return np.maximum(d2, 0.0)


@dataclass(frozen=True)
class Calibration:
    """The calibrated scale ``s`` of one geometry and how it was found.

    Attributes
    ----------
    scale : float
        ``s`` with mean off-diagonal coupling (at ``length_scale``) equal to ``target``.
    achieved : float
        The mean off-diagonal coupling at ``scale`` (equals ``target`` to ``xtol``).
    """

    geometry: str
    scale: float
    target: float
    achieved: float
    n_ref: int
    length_scale: float
    seed: int
    iterations: int

    def to_json(self) -> dict:
        return {"geometry": self.geometry, "scale": self.scale, "target": self.target, "achieved": self.achieved,
                "n_ref": self.n_ref, "length_scale": self.length_scale, "seed": self.seed,
                "iterations": self.iterations, "method": "brentq on log s, xtol 1e-14"}


def mean_offdiagonal_coupling(d2: np.ndarray, scale: float, length_scale: float = 1.0) -> float:
    """Mean over ``i != j`` of ``exp(-scale^2 d2_ij / (2 l^2))`` for raw squared distances ``d2``."""
    n = d2.shape[0]
    c = np.exp(-(scale * scale) * d2 / (2.0 * length_scale * length_scale))
    return float((c.sum() - np.trace(c)) / (n * (n - 1)))


def calibrate(geometry: Geometry, *, target: float = 0.1, n_ref: int = 100, length_scale: float = 1.0,
              seed: int = CALIBRATION_SEED) -> Calibration:
    r"""Scale ``s`` of ``geometry`` so that the mean off-diagonal coupling at ``n_ref`` is ``target``.

    Solves :math:`\overline{C}(s) = \text{target}` (module docstring) with Brent's method on
    :math:`\log s`. Deterministic: the raw points come from ``seed`` only. Cached per
    arguments.

    Examples
    --------
    >>> cal = calibrate(geometry_by_name("gaussian100d"))
    >>> 0.1 < cal.scale < 0.2
    True
    """
    if not (0.0 < target < 1.0):
        raise WorkbenchError(f"calibration target coupling must lie in (0, 1), got {target}")
    if int(n_ref) != n_ref or n_ref < 2:
        raise WorkbenchError(f"calibration reference size n_ref must be an integer >= 2, got {n_ref}")
    if not (length_scale > 0) or not math.isfinite(length_scale):
        raise WorkbenchError(f"calibration length scale must be positive, got {length_scale}")
    return _calibrate_cached(geometry, float(target), int(n_ref), float(length_scale), int(seed))


def mean_couplings(geometry: Geometry, scale: float, length_scales, *, n: int = 2000, seed: int = CALIBRATION_SEED) -> list[float]:
    r"""Mean off-diagonal :math:`C^k` of the calibrated geometry for each length scale, estimated on
    ``n`` fresh points (a stream apart from the calibration points): the couplings ``c_k`` of the
    mean-field (homogeneous) model with the same average transfer."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(_CALIBRATION_TAG, 1)))
    d2 = squared_distances(geometry.raw_points(rng, n))
    return [mean_offdiagonal_coupling(d2, scale, float(l)) for l in length_scales]


@functools.lru_cache(maxsize=64)
def _calibrate_cached(geometry, target, n_ref, length_scale, seed):
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(_CALIBRATION_TAG,)))
    d2 = squared_distances(geometry.raw_points(rng, n_ref))
    off = d2[~np.eye(n_ref, dtype=bool)]
    if np.all(off == 0):
        raise WorkbenchError(f"geometry {geometry.name}: calibration points coincide; cannot calibrate")
    # Bracket on log s: at s_lo every coupling is > target, at s_hi every one is < target
    # (both follow from the extreme nonzero distances).
    pos = off[off > 0]
    s_lo = 0.5 * length_scale * math.sqrt(2.0 * -math.log(1 - (1 - target) / 2) / pos.max())
    s_hi = 2.0 * length_scale * math.sqrt(2.0 * -math.log(target / 2) / pos.min())
    f = lambda log_s: mean_offdiagonal_coupling(d2, math.exp(log_s), length_scale) - target  # noqa: E731
    if not (f(math.log(s_lo)) > 0 > f(math.log(s_hi))):
        raise WorkbenchError(f"geometry {geometry.name}: could not bracket the calibration root (target {target})")
    from scipy.optimize import brentq

    log_s, info = brentq(f, math.log(s_lo), math.log(s_hi), xtol=1e-14, rtol=4 * np.finfo(float).eps, full_output=True)
    scale = math.exp(log_s)
    return Calibration(geometry.name, scale, target, mean_offdiagonal_coupling(d2, scale, length_scale),
                       n_ref, length_scale, seed, int(info.iterations))
