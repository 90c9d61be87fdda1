r"""Kernel back-ends: how the Gaussian transfer matrices of spec §6 are stored and applied.

One interface, :class:`KernelBackend`, with ``build(points, length_scales)`` returning the
three :class:`~workbench.rs._model.transfer.Transfer` objects ``(T_z, T_x, T_y)`` for
:class:`~workbench.rs._model.system.RewardSeekingSystem`, plus a report (storage, bytes, truncation
error). Each matrix is built once per run (per system), never per step; equal length scales
share one matrix.

.. math:: C_{ij} = \exp\!\left(-\frac{|u_i - u_j|^2}{2 l^2}\right), \qquad (T r)_i = \sum_j C_{ij} r_j .

Back-ends
---------
``dense`` (:class:`Dense64`)
    float64 ``N x N`` matrix; exact to rounding.
``dense32`` (:class:`Dense32`)
    float32 matrix and float32 product (half the memory traffic); relative error of a product
    about ``1e-7`` (float32 epsilon times a modest factor). The adaptive integrator's ``rtol``
    must then stay above :data:`FLOAT32_RTOL_FLOOR`.
``sparse`` (:class:`SparseCutoff`)
    entries with ``C_ij < cutoff`` are dropped: neighbours within radius
    :math:`r = l\sqrt{2\ln(1/\text{cutoff})}` are found with :class:`scipy.spatial.cKDTree`
    and stored in CSR. Where the kept fraction would exceed ``max_density`` (the long length
    scales ``l_z = l_x = 1`` of a calibrated geometry couple almost every pair) that variable is
    stored densely instead; the report says which. The truncation error is reported as the
    operator norm :math:`\|C - C_{\rm cut}\|_\infty = \max_i \sum_{j\,\rm dropped} C_{ij}`
    (computed exactly, in blocks, up to ``exact_error_limit`` environments; above it the
    bound ``(N - 1) * cutoff``), so that :math:`\|\Delta (T r)\|_\infty \le \text{error}\,\|r\|_\infty`.

Examples
--------
>>> import numpy as np
>>> pts = np.random.default_rng(0).standard_normal((50, 4))
>>> tz, tx, ty = Dense64().build(pts, (1.0, 1.0, 0.25)).transfers
>>> tz is tx
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from workbench._errors import WorkbenchError
from workbench.rs._hetero.geometry import squared_distances
from workbench.rs._model.system import check_memory
from workbench.rs._model.transfer import Transfer

#: Smallest relative tolerance of the adaptive integrator with float32 kernels (the rates carry
#: float32 rounding, ~1e-7 relative; a tighter error control only rejects steps on noise).
FLOAT32_RTOL_FLOOR = 1e-5

_BLOCK = 2048  # rows per block when building matrices (bounds the temporary memory)


def gaussian_kernel_dense(points: np.ndarray, length_scale: float, dtype=np.float64) -> np.ndarray:
    """The dense kernel matrix, built in row blocks (diagonal exactly 1, symmetric)."""
    n = points.shape[0]
    out = np.empty((n, n), dtype=dtype)
    inv = -1.0 / (2.0 * length_scale * length_scale)
    for start in range(0, n, _BLOCK):
        stop = min(n, start + _BLOCK)
        block = np.exp(squared_distances(points[start:stop], points) * inv)
        out[start:stop] = block
    np.fill_diagonal(out, 1.0)
    # Symmetrize exactly (the two halves can differ in the last bit): copy the upper blocks down.
    for start in range(0, n, _BLOCK):
        stop = min(n, start + _BLOCK)
        upper = out[start:stop, start:stop]
        upper[:] = np.triu(upper) + np.triu(upper, 1).T
        out[stop:, start:stop] = out[start:stop, stop:].T
    return out


class KernelTransfer(Transfer):
    """A transfer built by a kernel back-end, shared by the whole batch (``B`` is usually 1)."""

    n_envs: int

    def check_size(self, n_envs, n_batch):
        if n_envs != self.n_envs:
            raise WorkbenchError(f"kernel built for {self.n_envs} environments, system has {n_envs}")


class DenseTransfer(KernelTransfer):
    """Dense symmetric kernel, ``apply(r) = r @ C`` in the matrix's dtype, result in float64."""

    def __init__(self, matrix: np.ndarray):
        self.matrix = matrix
        self.n_envs = matrix.shape[0]
        self._dtype = matrix.dtype

    def apply(self, rates):
        # C is symmetric: for one system, C @ r (a row-major gemv) streams the matrix once.
        m = self.matrix
        if rates.shape[0] == 1:
            v = rates[0] if self._dtype == np.float64 else rates[0].astype(self._dtype)
            return (m @ v)[None].astype(np.float64, copy=False)
        return (rates.astype(self._dtype, copy=False) @ m).astype(np.float64, copy=False)

    @property
    def nbytes(self) -> int:
        return int(self.matrix.nbytes)


class SparseTransfer(KernelTransfer):
    """CSR kernel: ``apply(r) = (C r^T)^T`` (float64)."""

    def __init__(self, matrix):
        self.matrix = matrix.tocsr()
        self.n_envs = self.matrix.shape[0]

    def apply(self, rates):
        return np.ascontiguousarray((self.matrix @ rates.T).T)

    @property
    def nbytes(self) -> int:
        m = self.matrix
        return int(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes)


@dataclass(frozen=True, eq=False)
class BuiltKernels:
    """The three transfers ``(T_z, T_x, T_y)`` and what was built.

    Attributes
    ----------
    report : dict
        Per distinct length scale: ``storage`` (dense/csr), ``dtype``, ``nnz``, ``density``,
        ``bytes`` (of the stored matrix), ``truncation_error`` (``||C - C_used||_inf``, 0 for
        dense; float32 rounding is not counted here) and which variables share it.
    bytes_per_evaluation : int
        Bytes of matrix data streamed by one vector-field evaluation (three applies).
    """

    transfers: tuple
    report: dict = field(default_factory=dict)
    bytes_per_evaluation: int = 0
    seconds: float = 0.0


class KernelBackend:
    """Strategy: build the three transfers for ``points`` and length scales ``(l_z, l_x, l_y)``."""

    name: str = "?"
    dtype = np.float64

    def memory_estimate(self, n_envs: int, length_scales) -> float:
        """Bytes that building the kernels of ``n_envs`` environments allocates (for ``sparse``
        a lower bound: the stored entries are known only after the neighbour search)."""
        return 3.0 * min(n_envs, _BLOCK) * n_envs * 8  # row blocks of distances and kernel values

    def build(self, points: np.ndarray, length_scales, *, memory_limit: float | None = None) -> BuiltKernels:
        """Build the three transfers; over ``memory_limit`` bytes (default 4 GiB) raise
        :class:`~workbench._errors.ResourceTooLarge` before allocating a matrix."""
        import time

        points = np.asarray(points, dtype=float)
        if points.ndim != 2 or points.shape[0] < 1:
            raise WorkbenchError(f"points must have shape (N, d) with N >= 1, got {points.shape}")
        ls = tuple(float(v) for v in length_scales)
        if len(ls) != 3 or any(not (v > 0) or not math.isfinite(v) for v in ls):
            raise WorkbenchError(f"length scales must be three positive numbers, got {length_scales}")
        n = points.shape[0]
        check_memory(self.memory_estimate(n, ls), f"the {self.name} kernels of N = {n:,} environments", memory_limit)
        t0 = time.perf_counter()
        built: dict[float, tuple[KernelTransfer, dict]] = {}
        for var, l in zip("zxy", ls):
            if l not in built:
                built[l] = self._build_one(points, l, memory_limit=memory_limit)
                built[l][1]["variables"] = ""
            built[l][1]["variables"] += var
        transfers = tuple(built[l][0] for l in ls)
        report = {"backend": self.name, "n_envs": int(points.shape[0]),
                  "matrices": [{"length_scale": l, **info} for l, (_, info) in built.items()]}
        bytes_eval = sum(t.nbytes for t in transfers)
        report["bytes_per_evaluation"] = int(bytes_eval)
        report["max_truncation_error"] = max(info["truncation_error"] for _, info in built.values())
        return BuiltKernels(transfers, report, int(bytes_eval), time.perf_counter() - t0)

    def _build_one(self, points, length_scale, memory_limit=None) -> tuple[KernelTransfer, dict]:  # pragma: no cover - interface
        raise NotImplementedError

    def describe(self) -> dict:
        return {"kernel": self.name}


def _dense_bytes(backend: KernelBackend, n_envs: int, length_scales) -> float:
    # one N x N matrix per distinct length scale, plus the row-block temporaries
    matrices = len({float(v) for v in length_scales}) * float(n_envs) * n_envs * np.dtype(backend.dtype).itemsize
    return matrices + KernelBackend.memory_estimate(backend, n_envs, length_scales)


@dataclass(frozen=True)
class Dense64(KernelBackend):
    """Dense float64 kernel matrices (the reference back-end)."""

    name = "dense"
    dtype = np.float64

    def memory_estimate(self, n_envs, length_scales):
        return _dense_bytes(self, n_envs, length_scales)

    def _build_one(self, points, length_scale, memory_limit=None):
        m = gaussian_kernel_dense(points, length_scale, self.dtype)
        n = m.shape[0]
        return DenseTransfer(m), {"storage": "dense", "dtype": np.dtype(self.dtype).name, "nnz": n * n, "density": 1.0,
                                  "bytes": int(m.nbytes), "truncation_error": 0.0}


@dataclass(frozen=True)
class Dense32(Dense64):
    """Dense float32 kernel matrices: half the bytes per step, ~1e-7 relative rounding per product."""

    name = "dense32"
    dtype = np.float32

    def describe(self):
        return {"kernel": self.name, "rtol_floor": FLOAT32_RTOL_FLOOR}


@dataclass(frozen=True)
class SparseCutoff(KernelBackend):
    """Drop entries below ``cutoff`` (neighbour search with a k-d tree); dense where too full.

    Parameters
    ----------
    cutoff : float
        Entries ``C_ij < cutoff`` are dropped (``0 < cutoff < 1``).
    max_density : float
        A variable whose kept fraction of pairs (estimated on a sample of pairs first) exceeds
        this is stored densely (float64) instead; CSR costs ~12 bytes per entry against 8.
    exact_error_limit : int
        Up to this many environments the truncation error is computed exactly (blockwise);
        above it the bound ``(N - 1) * cutoff`` is reported.
    """

    cutoff: float = 1e-8
    max_density: float = 0.25
    exact_error_limit: int = 20000
    name = "sparse"

    def __post_init__(self):
        if not (0.0 < self.cutoff < 1.0):
            raise WorkbenchError(f"sparse cutoff must lie in (0, 1), got {self.cutoff}")
        if not (0.0 < self.max_density <= 1.0):
            raise WorkbenchError(f"max_density must lie in (0, 1], got {self.max_density}")

    def memory_estimate(self, n_envs, length_scales):
        # row blocks only while the truncation error is computed exactly; the stored entries are
        # checked during the build, once the neighbour density is known
        return KernelBackend.memory_estimate(self, n_envs, length_scales) if n_envs <= self.exact_error_limit else 0.0

    def radius(self, length_scale: float) -> float:
        return length_scale * math.sqrt(2.0 * math.log(1.0 / self.cutoff))

    def _estimated_density(self, points, radius) -> float:
        n = points.shape[0]
        if n < 2:
            return 0.0
        rng = np.random.default_rng(0)
        m = min(20000, n * (n - 1))
        i, j = rng.integers(0, n, m), rng.integers(0, n, m)
        keep = i != j
        d2 = ((points[i[keep]] - points[j[keep]]) ** 2).sum(1)
        return float(np.mean(d2 <= radius * radius)) if keep.any() else 0.0

    def _build_one(self, points, length_scale, memory_limit=None):
        from scipy import sparse
        from scipy.spatial import cKDTree

        n = points.shape[0]
        r = self.radius(length_scale)
        density = self._estimated_density(points, r)
        if density > self.max_density:
            check_memory(8.0 * n * n, f"the dense (too full for sparse) kernel of N = {n:,} environments", memory_limit)
            m = gaussian_kernel_dense(points, length_scale, np.float64)
            return DenseTransfer(m), {"storage": "dense (too full for sparse)", "dtype": "float64", "nnz": n * n,
                                      "density": 1.0, "bytes": int(m.nbytes), "truncation_error": 0.0,
                                      "cutoff": self.cutoff, "radius": r}
        # pairs (2 indices), their kernel values, and the CSR triplets built from them
        check_memory(64.0 * density * n * n + 64.0 * n, f"the sparse kernel of N = {n:,} environments", memory_limit)
        tree = cKDTree(points)
        pairs = tree.query_pairs(r, output_type="ndarray")
        i, j = pairs[:, 0], pairs[:, 1]
        c = np.exp(-((points[i] - points[j]) ** 2).sum(1) / (2.0 * length_scale**2))
        keep = c >= self.cutoff
        i, j, c = i[keep], j[keep], c[keep]
        rows = np.concatenate([i, j, np.arange(n)])
        cols = np.concatenate([j, i, np.arange(n)])
        vals = np.concatenate([c, c, np.ones(n)])
        mat = sparse.csr_matrix((vals, (rows, cols)), shape=(n, n))
        mat.sum_duplicates()
        mat.sort_indices()
        if n <= self.exact_error_limit:
            err, exact = self._dropped_row_sum(points, length_scale, self.cutoff), True
        else:
            err, exact = (n - 1) * self.cutoff, False
        t = SparseTransfer(mat)
        return t, {"storage": "csr", "dtype": "float64", "nnz": int(mat.nnz), "density": mat.nnz / float(n * n),
                   "bytes": t.nbytes, "truncation_error": float(err), "truncation_error_exact": exact,
                   "cutoff": self.cutoff, "radius": r}

    @staticmethod
    def _dropped_row_sum(points, length_scale, cutoff) -> float:
        """``max_i sum_{j: C_ij < cutoff} C_ij``, computed blockwise without storing the matrix."""
        n = points.shape[0]
        inv = -1.0 / (2.0 * length_scale * length_scale)
        worst = 0.0
        for start in range(0, n, _BLOCK):
            stop = min(n, start + _BLOCK)
            full = np.exp(squared_distances(points[start:stop], points) * inv)
            full[np.arange(stop - start), np.arange(start, stop)] = 1.0
            worst = max(worst, float(np.max(np.where(full < cutoff, full, 0.0).sum(1))))
        return worst

    def describe(self):
        return {"kernel": self.name, "cutoff": self.cutoff, "max_density": self.max_density}


BACKENDS = {"dense": Dense64, "dense32": Dense32, "sparse": SparseCutoff}


def backend_by_name(name: str, **options) -> KernelBackend:
    """``dense``, ``dense32`` or ``sparse`` (options such as ``cutoff`` only for ``sparse``)."""
    if name not in BACKENDS:
        raise WorkbenchError(f"unknown kernel back-end {name!r}; choose one of {', '.join(BACKENDS)}")
    options = {k: v for k, v in options.items() if v is not None}
    if options and name != "sparse":
        raise WorkbenchError(f"kernel options {sorted(options)} apply only to --kernel sparse, not {name}")
    return BACKENDS[name](**options)
