r"""The sweep's specification: what determines a critical-diversity sweep's results (spec §6, RS7).

A :class:`SweepSpec` holds the geometries, priors and seeds, the ``N*`` search settings, the
model (:class:`~workbench.rs._hetero.model.HeteroConfig`) and the numerics as strategy objects:
a solver (:class:`~workbench.rs._simulate.solvers.DormandPrince` or
:class:`~workbench.rs._simulate.solvers.Euler`) and a kernel back-end
(:class:`~workbench.rs._hetero.kernels.Dense64`, :class:`~workbench.rs._hetero.kernels.Dense32`
or :class:`~workbench.rs._hetero.kernels.SparseCutoff`). One :class:`SweepTask` per
(geometry, prior, seed).

Examples
--------
>>> from workbench.rs._hetero.kernels import SparseCutoff
>>> spec = SweepSpec(geometries=("gaussian4d",), priors=(0.3,), seeds=(0,), kernel=SparseCutoff(cutoff=1e-6))
>>> spec.solver
DormandPrince(rtol=1e-06, atol=1e-09, max_steps=200000)
>>> spec.to_json()["kernel"]
{'kernel': 'sparse', 'cutoff': 1e-06, 'max_density': 0.25}
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field

from workbench._errors import WorkbenchError
from workbench._io import to_jsonable
from workbench.rs._hetero.geometry import Geometry, geometry_by_name
from workbench.rs._hetero.kernels import Dense64, KernelBackend
from workbench.rs._hetero.model import HeteroConfig, check_solver_backend, default_solver
from workbench.rs._simulate.solvers import Solver

#: Version of the record and manifest layout; a store of another version is refused.
STORE_FORMAT = "workbench.rs.sweep/1"


# --------------------------------------------------------------------------- the sweep


@dataclass(frozen=True)
class SweepSpec:
    """Everything that determines a sweep's results (and nothing that does not, e.g. the executor).

    Parameters
    ----------
    geometries : tuple of str
        Registered geometry names (:func:`~workbench.rs._hetero.geometry.geometry_by_name`).
    priors : tuple of float
        Priors ``p0`` in (0, 1), distinct.
    seeds : tuple of int
        Seeds of the environment sequences (``--seeds K`` means ``0 .. K-1``).
    n_max : int
        Cap of the ``N*`` search.
    growth, rel_tol : float
        Bracketing grid factor and bisection stopping rule (see ``critical_diversity_hetero``).
    config : HeteroConfig
    solver : Solver, optional
        The integrator, :class:`~workbench.rs._simulate.solvers.DormandPrince` or
        :class:`~workbench.rs._simulate.solvers.Euler`. Default: the kernel's default,
        ``DormandPrince(rtol=1e-6, atol=1e-9)`` (``rtol=1e-5`` with ``Dense32``), see
        :func:`~workbench.rs._hetero.model.default_solver`. An adaptive ``rtol`` below the
        float32 rounding of a ``Dense32`` kernel is refused.
    kernel : KernelBackend, default ``Dense64()``
        How the transfer matrices are stored: ``Dense64()``, ``Dense32()`` or
        ``SparseCutoff(cutoff=...)``.
    bootstrap : int
        Bootstrap resamples for the slope intervals; ``bootstrap_seed`` fixes them.
    level : float
        Nominal level of the slope intervals.
    """

    geometries: tuple[str, ...]
    priors: tuple[float, ...]
    seeds: tuple[int, ...]
    n_max: int = 4096
    growth: float = 2.0
    rel_tol: float = 0.02
    config: HeteroConfig = field(default_factory=HeteroConfig)
    solver: Solver | None = None
    kernel: KernelBackend = Dense64()
    bootstrap: int = 2000
    bootstrap_seed: int = 0
    level: float = 0.95

    def __post_init__(self):
        geos = tuple(self.geometries)
        if not geos:
            raise WorkbenchError("a sweep needs at least one geometry")
        if len(set(geos)) != len(geos):
            raise WorkbenchError(f"geometries repeat: {', '.join(geos)}")
        for g in geos:
            geometry_by_name(g)
        priors = tuple(float(p) for p in self.priors)
        if not priors:
            raise WorkbenchError("a sweep needs at least one prior p0")
        for p in priors:
            if not (0.0 < p < 1.0):
                raise WorkbenchError(f"every p0 must lie strictly between 0 and 1, got {p}")
        if len(set(priors)) != len(priors):
            raise WorkbenchError("priors p0 repeat")
        seeds = tuple(self.seeds)
        if not seeds:
            raise WorkbenchError("a sweep needs at least one seed (--seeds K with K >= 1)")
        if any(isinstance(s, bool) or int(s) != s or s < 0 for s in seeds) or len(set(seeds)) != len(seeds):
            raise WorkbenchError("seeds must be distinct non-negative integers")
        if isinstance(self.n_max, bool) or int(self.n_max) != self.n_max or self.n_max < 2:
            raise WorkbenchError(f"n_max must be an integer >= 2, got {self.n_max!r}")
        if not (self.growth > 1.0) or not math.isfinite(self.growth):
            raise WorkbenchError(f"grid growth must be > 1, got {self.growth}")
        if not (self.rel_tol >= 0.0) or not math.isfinite(self.rel_tol):
            raise WorkbenchError(f"rel_tol must be >= 0, got {self.rel_tol}")
        if int(self.bootstrap) != self.bootstrap or self.bootstrap < 100:
            raise WorkbenchError(f"bootstrap needs at least 100 resamples, got {self.bootstrap}")
        if not (0.5 <= self.level < 1.0):
            raise WorkbenchError(f"level must lie in [0.5, 1), got {self.level}")
        object.__setattr__(self, "geometries", geos)
        object.__setattr__(self, "priors", priors)
        object.__setattr__(self, "seeds", tuple(int(s) for s in seeds))
        object.__setattr__(self, "n_max", int(self.n_max))
        # The strategies: objects, checked once here with one-line errors.
        if not isinstance(self.kernel, KernelBackend):
            raise WorkbenchError(f"kernel must be a kernel back-end object (Dense64(), Dense32() or "
                                 f"SparseCutoff(cutoff=...)), got {self.kernel!r}")
        if self.solver is None:
            object.__setattr__(self, "solver", default_solver(self.kernel))
        if not isinstance(self.solver, Solver):
            raise WorkbenchError(f"solver must be a solver object (DormandPrince(rtol=...) or Euler(dt=...)), "
                                 f"got {self.solver!r}")
        check_solver_backend(self.solver, self.kernel)

    def geometry_objects(self) -> list[Geometry]:
        return [geometry_by_name(g) for g in self.geometries]

    def tasks(self) -> list["SweepTask"]:
        """One task per (geometry, prior, seed), in a fixed order."""
        return [SweepTask(g, p, s, self) for g in self.geometry_objects() for p in self.priors for s in self.seeds]

    def to_json(self) -> dict:
        """The manifest record (the solver and kernel by their ``describe()`` records)."""
        return {
            "format": STORE_FORMAT,
            "geometries": [geometry_by_name(g).to_json() for g in self.geometries],
            "priors": list(self.priors), "seeds": list(self.seeds), "n_max": self.n_max, "growth": self.growth,
            "rel_tol": self.rel_tol, "config": self.config.to_json(), "solver": self.solver.describe(),
            "kernel": self.kernel.describe(), "bootstrap": self.bootstrap, "bootstrap_seed": self.bootstrap_seed,
            "level": self.level,
        }

    def fingerprint(self) -> str:
        return hashlib.sha256(json.dumps(to_jsonable(self.to_json()), sort_keys=True).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class SweepTask:
    """One (geometry, prior, seed) search; carries its own seed and everything it needs."""

    geometry: Geometry
    p0: float
    seed: int
    spec: SweepSpec

    @property
    def key(self) -> str:
        return f"{self.geometry.name}__p0={self.p0!r}__seed={self.seed}"
