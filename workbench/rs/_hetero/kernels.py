r"""Kernel back-ends: how the Gaussian transfer matrices of spec §6 are stored and applied.

One interface, :class:`KernelBackend`, with ``build(points, length_scales)`` returning the
three :class:`~workbench.rs._model.transfer.Transfer` objects ``(T_z, T_x, T_y)`` for
:class:`~workbench.rs._model.system.RewardSeekingSystem`, plus a report (storage, bytes, truncation
error). Each matrix is built once per run (per system), never per step; equal length scales
share one matrix, and the vector field applies a shared matrix to all its variables in one pass
(``T_z`` and ``T_x`` of the spec's default length scales: one stream over the matrix, not two).
Products run with ``blas_threads`` BLAS threads (default 1: measured faster for these
memory-bound products on a shared 2-core machine, see ``benchmarks/bench_hetero.py``).

.. math:: C_{ij} = \exp\!\left(-\frac{|u_i - u_j|^2}{2 l^2}\right), \qquad (T r)_i = \sum_j C_{ij} r_j .

Back-ends
---------
``dense`` (:class:`Dense64`)
    float64 kernel; exact to rounding. From ``packed_from`` environments on (default 2048, where
    the full matrix, 32 MB, stops fitting in cache) only its upper-triangular ``block x block``
    tiles are stored (:class:`SymmetricBlockTransfer`): half the memory, and a product that
    streams each tile once and uses it twice (``C_IJ v_J`` and ``C_IJ^T v_I``) while it is in cache.
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

import contextlib
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


def gaussian_kernel_blocks(points: np.ndarray, length_scale: float, dtype=np.float64, block: int = 512):
    """The upper-triangular ``block x block`` tiles ``C[I, J]`` (``J >= I``) of the kernel matrix.

    Never allocates the full matrix. Diagonal tiles have diagonal exactly 1 and are exactly
    symmetric (their upper half mirrored), as in :func:`gaussian_kernel_dense`.
    """
    n = points.shape[0]
    inv = -1.0 / (2.0 * length_scale * length_scale)
    starts = list(range(0, n, block))
    tiles = []
    for i in starts:
        pi = points[i:i + block]
        for j in starts:
            if j < i:
                continue
            t = np.exp(squared_distances(pi, points[j:j + block]) * inv).astype(dtype, copy=False)
            if i == j:
                np.fill_diagonal(t, 1.0)
                t[:] = np.triu(t) + np.triu(t, 1).T
            tiles.append((i, j, np.ascontiguousarray(t)))
    return tiles


class KernelTransfer(Transfer):
    """A transfer built by a kernel back-end, shared by the whole batch (``B`` is usually 1)."""

    n_envs: int
    stackable = True  # the same matrix for every row: variables sharing it are applied in one pass

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


class SymmetricBlockTransfer(KernelTransfer):
    """Dense symmetric kernel stored as its upper-triangular tiles (half the bytes of the full matrix).

    ``apply(r)`` computes ``r @ C`` tile by tile: each off-diagonal tile ``C_IJ`` contributes
    ``C_IJ r_J`` to rows ``I`` and ``C_IJ^T r_I`` to rows ``J``, the second product reading the
    tile from cache. Rates of several variables or systems (the rows of ``r``) share the pass.
    """

    def __init__(self, tiles, n_envs: int, dtype):
        self.tiles = tiles
        self.n_envs = n_envs
        self._dtype = np.dtype(dtype)

    def apply(self, rates):
        v = np.ascontiguousarray(rates.T, dtype=self._dtype)  # (N, R)
        y = np.zeros_like(v)
        for i, j, t in self.tiles:
            bi, bj = t.shape
            y[i:i + bi] += t @ v[j:j + bj]
            if i != j:
                y[j:j + bj] += t.T @ v[i:i + bi]
        return np.ascontiguousarray(y.T, dtype=np.float64)

    @property
    def nbytes(self) -> int:
        return int(sum(t.nbytes for _, _, t in self.tiles))


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
        # variables sharing a matrix are applied in one pass over it (VectorField)
        bytes_eval = sum(t.nbytes for t, _ in built.values())
        report["bytes_per_evaluation"] = int(bytes_eval)
        report["max_truncation_error"] = max(info["truncation_error"] for _, info in built.values())
        return BuiltKernels(transfers, report, int(bytes_eval), time.perf_counter() - t0)

    def _build_one(self, points, length_scale, memory_limit=None) -> tuple[KernelTransfer, dict]:  # pragma: no cover - interface
        raise NotImplementedError

    def describe(self) -> dict:
        return {"kernel": self.name}

    def blas_limit(self):
        """Context manager limiting BLAS to :attr:`blas_threads` threads (None: the library's default)."""
        threads = getattr(self, "blas_threads", None)
        if threads is None:
            return contextlib.nullcontext()
        from threadpoolctl import threadpool_limits  # here, not at import (start-up time)

        return threadpool_limits(limits=threads, user_api="blas")


def _dense_bytes(backend: KernelBackend, n_envs: int, length_scales) -> float:
    # one N x N matrix per distinct length scale, plus the row-block temporaries
    matrices = len({float(v) for v in length_scales}) * float(n_envs) * n_envs * np.dtype(backend.dtype).itemsize
    return matrices + KernelBackend.memory_estimate(backend, n_envs, length_scales)


@dataclass(frozen=True)
class Dense64(KernelBackend):
    """Dense float64 kernel matrices (the reference back-end).

    Parameters
    ----------
    packed_from : int
        From this many environments on, store only the upper-triangular tiles
        (:class:`SymmetricBlockTransfer`: half the memory and half the bytes per product);
        below it the full matrix, which then fits in cache. ``packed_from=0`` always packs.
    block : int
        Tile size of the packed storage (``block**2`` entries, 2 MB in float64 at 512, so a
        tile read for ``C_IJ r_J`` is still in cache for ``C_IJ^T r_I``).
    blas_threads : int or None
        BLAS threads during the products (None: the library's default). One is faster for
        these memory-bound products on a shared 2-core machine (benchmarks/bench_hetero.py).
    """

    packed_from: int = 2048
    block: int = 512
    blas_threads: int | None = 1
    name = "dense"
    dtype = np.float64

    def __post_init__(self):
        if int(self.packed_from) != self.packed_from or self.packed_from < 0:
            raise WorkbenchError(f"packed_from must be an integer >= 0, got {self.packed_from}")
        if int(self.block) != self.block or self.block < 16:
            raise WorkbenchError(f"block must be an integer >= 16, got {self.block}")
        if self.blas_threads is not None and (int(self.blas_threads) != self.blas_threads or self.blas_threads < 1):
            raise WorkbenchError(f"blas_threads must be a positive integer or None, got {self.blas_threads}")

    def packs(self, n_envs: int) -> bool:
        return n_envs >= self.packed_from and n_envs > self.block

    def memory_estimate(self, n_envs, length_scales):
        if not self.packs(n_envs):
            return _dense_bytes(self, n_envs, length_scales)
        tiles = -(-n_envs // self.block)
        stored = tiles * (tiles + 1) / 2 * self.block**2 * np.dtype(self.dtype).itemsize
        # the tiles of each distinct length scale, and one tile's temporaries while building
        return len({float(v) for v in length_scales}) * stored + 3.0 * self.block**2 * 8

    def _build_one(self, points, length_scale, memory_limit=None):
        n = points.shape[0]
        if self.packs(n):
            t = SymmetricBlockTransfer(gaussian_kernel_blocks(points, length_scale, self.dtype, self.block), n, self.dtype)
            return t, {"storage": f"packed symmetric ({self.block} x {self.block} tiles)", "dtype": np.dtype(self.dtype).name,
                       "nnz": n * n, "density": 1.0, "bytes": t.nbytes, "truncation_error": 0.0}
        m = gaussian_kernel_dense(points, length_scale, self.dtype)
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
    blas_threads: int | None = 1
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
