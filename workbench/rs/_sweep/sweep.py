r"""Critical-diversity sweeps over (geometry, prior, seed): tasks, executors, store, aggregation (spec §6, RS7).

One task is one :func:`~workbench.rs._hetero.model.critical_diversity_hetero` search for one
(geometry, prior, seed): coarse, independent, and a pure function of its parameters, so the
result does not depend on which executor runs it:

* :class:`SerialExecutor` (default), :class:`ProcessExecutor` (``concurrent.futures``, local
  processes, BLAS pinned to one thread per worker), :class:`DaskExecutor` (Dask distributed:
  a ``LocalCluster`` or an existing scheduler at ``tcp://HOST:PORT``).

Store (``--out DIR``): ``DIR/manifest.json`` holds the sweep parameters; ``DIR/records/`` one
JSON record per finished task, written atomically (temporary ``.part`` file, fsync,
``os.replace``) by the parent process as results arrive; ``DIR/summary.json`` the aggregate,
written as soon as the last task is in (before any figure). A record is read back only if it
parses, has the current format, names its own task and carries the manifest's hash; leftover
``.part`` files are ignored and removed. A second run with the same parameters reuses every
valid record (resume after SIGKILL or Ctrl-C); a run with different parameters is refused.
Nothing is written before the executor has started (a scheduler that cannot be reached leaves
no store behind).

Aggregation. Per (geometry, prior): the median of ``N*`` over seeds (a censored ``N*``,
none up to ``n_max``, counts as larger than every finite value) with the distribution-free
order-statistic interval :math:`[N^*_{(j)}, N^*_{(K+1-j)}]`, whose exact coverage
:math:`1 - 2\,P(\mathrm{Bin}(K, 1/2) \le j - 1)` is reported (it cannot reach 95% with fewer than
6 seeds). Per geometry: the least-squares slope of :math:`\log_{10} N^*` against
:math:`\log_{10} p_0` (pooled over seeds, i.e. the fit of the per-prior mean of
:math:`\log_{10} N^*`) over the priors where no seed is censored or at the floor ``N* = 1``,
with a percentile bootstrap interval that resamples seeds (a seed shares its environments
across priors, so seeds are the independent units).

Examples
--------
>>> spec = SweepSpec(geometries=("gaussian4d",), priors=(0.3, 0.1), seeds=(0,), n_max=64)
>>> result = run_sweep(spec)
>>> [r["p0"] for r in result.summary["results"]]
[0.3, 0.1]
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import json
import math
import os
import re
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from workbench._errors import OutputNotWritable, WorkbenchError
from workbench._io import atomic_write_json, check_writable, to_jsonable
from workbench.rs._hetero.geometry import Geometry, geometry_by_name
from workbench.rs._hetero.model import HeteroConfig, check_solver_backend, critical_diversity_hetero, default_solver
from workbench.rs._hetero.kernels import backend_by_name

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
    integrator : ``adaptive`` or ``euler``; dt, rtol : optional
    kernel : ``dense``, ``dense32`` or ``sparse``; cutoff : optional (sparse only)
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
    integrator: str = "adaptive"
    dt: float | None = None
    rtol: float | None = None
    kernel: str = "dense"
    cutoff: float | None = None
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
        # Validate the strategies once, here, with one-line errors.
        self.solver()
        self.backend()

    def solver(self):
        backend = self.backend()
        s = default_solver(backend, self.integrator, dt=self.dt, rtol=self.rtol)
        check_solver_backend(s, backend)
        return s

    def backend(self):
        return backend_by_name(self.kernel, cutoff=self.cutoff)

    def geometry_objects(self) -> list[Geometry]:
        return [geometry_by_name(g) for g in self.geometries]

    def tasks(self) -> list["SweepTask"]:
        """One task per (geometry, prior, seed), in a fixed order."""
        return [SweepTask(g, p, s, self) for g in self.geometry_objects() for p in self.priors for s in self.seeds]

    def to_json(self) -> dict:
        return {
            "format": STORE_FORMAT,
            "geometries": [geometry_by_name(g).to_json() for g in self.geometries],
            "priors": list(self.priors), "seeds": list(self.seeds), "n_max": self.n_max, "growth": self.growth,
            "rel_tol": self.rel_tol, "config": self.config.to_json(), "solver": self.solver().describe(),
            "kernel": self.backend().describe(), "bootstrap": self.bootstrap, "bootstrap_seed": self.bootstrap_seed,
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


def _set_blas_threads(n: int) -> bool:
    """Set the thread count of numpy's OpenBLAS (via ctypes); False when not found."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return False
    for lib in sorted(set(re.findall(r"(/\S*openblas\S*\.so\S*)", maps))):
        try:
            handle = ctypes.CDLL(lib)
        except OSError:
            continue
        for name in ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads64_", "openblas_set_num_threads"):
            fn = getattr(handle, name, None)
            if fn is not None:
                fn.argtypes = [ctypes.c_int]
                fn(int(n))
                return True
    return False


def _exit_with_parent(parent_pid: int, interval: float = 0.5) -> None:
    """Daemon thread: end this worker when its parent is gone (e.g. the sweep was SIGKILLed),
    instead of leaving an orphan that finishes a task nobody will record."""
    import threading

    def watch():
        while True:
            time.sleep(interval)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _worker_init(parent_pid: int | None = None) -> None:
    """Worker processes run one task each at a time: one BLAS thread avoids oversubscription
    (matrix-vector products give identical results whatever the thread count). With
    ``parent_pid`` the worker also exits when that parent dies."""
    _set_blas_threads(1)
    if parent_pid is not None:
        _exit_with_parent(parent_pid)


def run_task(task: SweepTask) -> dict:
    """Run one search and return its record (a pure function of ``task``, plus timing)."""
    spec = task.spec
    t0 = time.perf_counter()
    res = critical_diversity_hetero(spec.config, task.geometry, task.p0, task.seed, n_max=spec.n_max,
                                    growth=spec.growth, rel_tol=spec.rel_tol, solver=spec.solver(),
                                    backend=spec.backend())
    return {
        "format": STORE_FORMAT, "key": task.key, "spec_hash": spec.fingerprint(),
        "result": res.to_json(),
        "timing": {"seconds": time.perf_counter() - t0, "host": socket.gethostname(), "pid": os.getpid()},
    }


# --------------------------------------------------------------------------- executors


class Executor:
    """Strategy: run ``fn`` on every item, yielding ``(item, result)`` as each finishes."""

    name = "?"

    def map(self, fn: Callable, items: list) -> Iterator[tuple]:  # pragma: no cover - interface
        raise NotImplementedError

    @contextlib.contextmanager
    def session(self):
        """Start (or connect to) the workers and yield a ``map`` that uses them.

        Failing to start raises here, before the caller writes anything.
        """
        yield self.map

    def describe(self) -> dict:
        return {"executor": self.name}


class SerialExecutor(Executor):
    """In this process, one task after another (the default)."""

    name = "serial"

    def map(self, fn, items):
        for item in items:
            yield item, fn(item)


@dataclass(frozen=True)
class ProcessExecutor(Executor):
    """``concurrent.futures.ProcessPoolExecutor`` with ``workers`` local processes."""

    workers: int = 2
    name = "processes"

    def __post_init__(self):
        if int(self.workers) != self.workers or self.workers < 1:
            raise WorkbenchError(f"--workers must be a positive integer, got {self.workers}")

    def map(self, fn, items):
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=self.workers, initializer=_worker_init, initargs=(os.getpid(),)) as pool:
            futures = {pool.submit(fn, item): item for item in items}
            try:
                for fut in as_completed(futures):
                    yield futures[fut], fut.result()
            except BaseException:
                for f in futures:
                    f.cancel()
                raise

    def describe(self):
        return {"executor": self.name, "workers": self.workers}


@dataclass(frozen=True)
class DaskExecutor(Executor):
    """Dask distributed: ``address=None`` starts a ``LocalCluster`` (``workers`` single-threaded
    workers, no dashboard), ``tcp://HOST:PORT`` joins an existing scheduler."""

    address: str | None = None
    workers: int = 2
    processes: bool = True
    timeout: float = 10.0
    name = "dask"

    def __post_init__(self):
        if self.address is not None and not re.match(r"^(tcp|tls|inproc|ucx)://\S+$", self.address):
            raise WorkbenchError(f"--scheduler must be 'local' or an address like tcp://HOST:PORT, got {self.address!r}")
        if int(self.workers) != self.workers or self.workers < 1:
            raise WorkbenchError(f"--workers must be a positive integer, got {self.workers}")

    @contextlib.contextmanager
    def _client(self):
        from distributed import Client, LocalCluster

        if self.address is None:
            cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=self.processes,
                                   dashboard_address=None, host="127.0.0.1")
            client = Client(cluster)
            try:
                if self.processes:
                    client.run(_worker_init)
                yield client
            finally:
                client.close()
                cluster.close()
        else:
            self._probe()
            try:
                client = Client(self.address, timeout=f"{self.timeout}s")
            except (OSError, TimeoutError) as exc:
                raise WorkbenchError(f"cannot reach the Dask scheduler at {self.address}: {exc}") from None
            try:
                yield client
            finally:
                client.close()

    def _probe(self) -> None:
        """A plain TCP connect first: nothing listening fails at once, not after Dask's retries."""
        from urllib.parse import urlsplit

        if not self.address.startswith("tcp://"):
            return
        try:
            parts = urlsplit(self.address)
            host, port = parts.hostname, parts.port
        except ValueError:
            raise WorkbenchError(f"--scheduler {self.address!r} is not an address like tcp://HOST:PORT") from None
        if not host or port is None:
            return
        try:
            socket.create_connection((host, port), timeout=self.timeout).close()
        except OSError as exc:
            raise WorkbenchError(f"cannot reach the Dask scheduler at {self.address}: {exc.strerror or exc}") from None

    @contextlib.contextmanager
    def session(self):
        with self._client() as client:
            yield lambda fn, items: self._map(client, fn, items)

    def map(self, fn, items):
        with self.session() as run:
            yield from run(fn, items)

    def _map(self, client, fn, items):
        from distributed import as_completed

        futures = [client.submit(fn, item, pure=False, key=f"rs-sweep-{i}-{os.getpid()}-{time.time_ns()}")
                   for i, item in enumerate(items)]
        where = {f.key: item for f, item in zip(futures, items)}
        try:
            for fut in as_completed(futures):
                yield where[fut.key], fut.result()
        finally:
            client.cancel(futures)

    def describe(self):
        return {"executor": self.name, "scheduler": self.address or "local", "workers": self.workers}


def executor_from_options(scheduler: str | None, workers: int | None) -> Executor:
    """No scheduler: serial (``workers`` None) or local processes; ``local`` or ``tcp://...``: Dask."""
    if scheduler is None:
        return SerialExecutor() if workers is None else ProcessExecutor(workers)
    if scheduler == "local":
        return DaskExecutor(None, workers or 2)
    if workers is not None:
        raise WorkbenchError("--workers does not apply when joining an existing cluster (--scheduler tcp://...); its workers are fixed")
    return DaskExecutor(scheduler)


# --------------------------------------------------------------------------- store


class SweepStore:
    """One atomic JSON record per finished task under ``directory`` plus a manifest."""

    def __init__(self, directory):
        # Checked here, before any work; nothing is created until open().
        self.directory = check_writable(directory, name="--out", directory=True, create=True)
        self.records = self.directory / "records"
        for sub in (self.records, self.directory / "manifest.json", self.directory / "summary.json"):
            if sub.exists() and sub.is_dir() != (sub == self.records):
                raise OutputNotWritable(f"--out {self.directory}: {sub} is in the way (not a sweep store); use another --out")

    def check(self, spec: SweepSpec) -> bool:
        """Check, writing nothing, that the store is new or was made with ``spec``; True if it exists."""
        manifest = to_jsonable(spec.to_json())
        self._hash = spec.fingerprint()
        path = self.directory / "manifest.json"
        if not path.exists():
            return False
        try:
            old = json.loads(path.read_text())
        except (OSError, ValueError, RecursionError):
            raise WorkbenchError(f"{path} is not a readable sweep manifest; use another --out") from None
        if not isinstance(old, dict):
            raise WorkbenchError(f"{path} is not a sweep manifest; use another --out")
        if old != manifest:
            diff = sorted(k for k in set(old) | set(manifest) if old.get(k) != manifest.get(k))
            raise WorkbenchError(f"--out {self.directory} holds a sweep made with different parameters "
                                 f"(differs in: {', '.join(diff)}); use another --out or the same parameters")
        return True

    def open(self, spec: SweepSpec) -> None:
        """Create the store, or check that it was made with the same parameters."""
        if not self.check(spec):
            self.directory.mkdir(parents=True, exist_ok=True)
            atomic_write_json(self.directory / "manifest.json", to_jsonable(spec.to_json()))
        self.records.mkdir(parents=True, exist_ok=True)
        for stale in self.records.glob(".*.part"):  # left by a killed writer; never read
            with contextlib.suppress(OSError):
                stale.unlink()

    def _path(self, task: SweepTask) -> Path:
        safe = re.sub(r"[^A-Za-z0-9_.=+-]", "_", task.key)
        return self.records / f"{safe}.json"

    def load(self, task: SweepTask) -> dict | None:
        """The valid record of ``task`` or None (missing, unreadable or not this sweep's)."""
        path = self._path(task)
        try:
            rec = json.loads(path.read_text())
        except (OSError, ValueError, RecursionError):
            return None
        ok = (isinstance(rec, dict) and rec.get("format") == STORE_FORMAT and rec.get("key") == task.key
              and rec.get("spec_hash") == self._hash and isinstance(rec.get("result"), dict)
              and "n_star" in rec["result"])
        return rec if ok else None

    def save(self, task: SweepTask, record: dict) -> Path:
        return atomic_write_json(self._path(task), record)

    def save_summary(self, summary: dict) -> Path:
        """Write ``summary.json`` (atomically) into the store."""
        return atomic_write_json(self.directory / "summary.json", summary)


# --------------------------------------------------------------------------- aggregation


def median_interval(values, level: float = 0.95) -> dict:
    """Median of ``values`` (``inf`` = censored) and the order-statistic interval with its exact coverage."""
    from scipy.stats import binom

    x = np.sort(np.asarray(values, dtype=float))
    k = x.size
    med = float(np.median(x)) if k else math.nan
    j_best, cover = 1, 1.0 - 2.0 * 0.5**k
    for j in range(1, k // 2 + 1):
        c = 1.0 - 2.0 * binom.cdf(j - 1, k, 0.5)
        if c >= level:
            j_best, cover = j, c
    lo, hi = (float(x[j_best - 1]), float(x[k - j_best])) if k else (math.nan, math.nan)
    fin = lambda v: v if math.isfinite(v) else None  # noqa: E731
    return {"median": fin(med), "ci": [fin(lo), fin(hi)], "ci_coverage": float(cover), "n_seeds": int(k),
            "censored": int(np.sum(~np.isfinite(x)))}


def _ols_slope(xs: np.ndarray, ys: np.ndarray) -> float:
    xc = xs - xs.mean()
    return float((xc * (ys - ys.mean())).sum() / (xc * xc).sum())


def slope_with_bootstrap(log_p0: np.ndarray, log_n: np.ndarray, *, resamples: int = 2000, level: float = 0.95,
                         seed: int = 0) -> dict:
    r"""Slope of ``log_n`` (priors x seeds) on ``log_p0`` with a seed-resampling percentile bootstrap.

    ``log_n`` has shape ``(P, K)``: P priors, K seeds, all finite.
    """
    P, K = log_n.shape
    slope = _ols_slope(log_p0, log_n.mean(axis=1))
    intercept = float(log_n.mean() - slope * log_p0.mean())
    per_seed = [_ols_slope(log_p0, log_n[:, k]) for k in range(K)]
    out = {"slope": slope, "intercept_log10": intercept, "priors_used": int(P), "seeds": int(K),
           "per_seed_slopes": per_seed, "ci": None, "ci_level": level, "bootstrap_resamples": int(resamples)}
    if K >= 2:
        rng = np.random.default_rng(seed)
        idx = rng.integers(0, K, size=(resamples, K))
        means = log_n[:, idx].mean(axis=2)  # (P, resamples)
        xc = log_p0 - log_p0.mean()
        boots = (xc[:, None] * (means - means.mean(axis=0))).sum(0) / (xc * xc).sum()
        a = (1.0 - level) / 2.0
        out["ci"] = [float(np.quantile(boots, a)), float(np.quantile(boots, 1 - a))]
        out["bootstrap_distinct_resamples"] = int(math.comb(2 * K - 1, K))
    return out


def aggregate(spec: SweepSpec, records: dict[str, dict]) -> dict:
    """Medians, intervals and slopes from the records of every task of ``spec``."""
    tasks = spec.tasks()
    results, medians, slopes = [], [], {}
    for g in spec.geometry_objects():
        table = np.full((len(spec.priors), len(spec.seeds)), np.inf)
        for i, p in enumerate(spec.priors):
            for k, s in enumerate(spec.seeds):
                r = records[SweepTask(g, p, s, spec).key]["result"]
                if r["n_star"] is not None:
                    table[i, k] = r["n_star"]
                results.append({"geometry": g.name, "p0": p, "seed": s, "n_star": r["n_star"], "bracket": r["bracket"],
                                "censored": r["censored"], "undecided": r["undecided"],
                                "evaluations": len(r["evaluations"]),
                                "calibrated_scale": r["calibrated_scale"]})
            medians.append({"geometry": g.name, "p0": p, **median_interval(table[i], spec.level)})
        usable = [i for i in range(len(spec.priors)) if np.all(np.isfinite(table[i])) and np.all(table[i] > 1)]
        excluded = [spec.priors[i] for i in range(len(spec.priors)) if i not in usable]
        if len(usable) >= 2:
            fit = slope_with_bootstrap(np.log10(np.array(spec.priors))[usable], np.log10(table[usable]),
                                       resamples=spec.bootstrap, level=spec.level, seed=spec.bootstrap_seed)
        else:
            fit = {"slope": None, "ci": None, "priors_used": len(usable),
                   "note": "fewer than 2 priors with every seed's N* finite and > 1"}
        slopes[g.name] = {**fit, "priors_excluded": excluded,
                          "excluded_because": "a seed censored (no N* <= n_max) or at the floor N* = 1" if excluded else None}
    assert len(results) == len(tasks)
    return {"results": results, "medians": medians, "slopes": slopes}


def homogeneous_reference(spec: SweepSpec, *, mean_field: bool = True) -> dict:
    """Homogeneous comparisons at the sweep's priors (spec §5):

    * ``canonical``: ``c = (target, target, 0)`` (spec §5's canonical coupling), its ``N*``, slope,
      and the predicted small-prior exponent when the analysis module provides it;
    * ``mean_field``: per geometry, ``c_k`` = the mean off-diagonal ``C^k`` of the calibrated
      geometry (2000 fresh points), its ``N*`` and, when every ``c_k > 0``, the critical prior
      below which the homogeneous model has no ``N*`` at all (RS6c).
    """
    from workbench.rs._homogeneous.critical import critical_diversity, fit_scaling
    from workbench.rs._hetero.geometry import mean_couplings
    from workbench.rs._homogeneous.config import HomogeneousConfig

    cfg = spec.config
    t = cfg.target_coupling
    base = HomogeneousConfig(p0=0.5, x0=cfg.x0, y0=cfg.y0, alpha=cfg.alpha_median, c=(t, t, 0.0), kappa=cfg.kappa,
                             cost=cfg.cost, flow=cfg.flow, model=cfg.model)

    def n_stars(hc):
        res = critical_diversity([hc.with_(p0=p) for p in spec.priors], n_max=1e7, grid_size=36)
        out = {"config": hc.to_json(), "n_star": {repr(p): r.n_star for p, r in zip(spec.priors, res)}}
        ok = [(p, r.n_star_continuous) for p, r in zip(spec.priors, res) if r.n_star_continuous and r.n_star_continuous > 1]
        if len(ok) >= 3:
            f = fit_scaling([p for p, _ in ok], [n for _, n in ok])
            out["slope"], out["slope_ci_ols"] = f.slope, list(f.slope_ci)
        elif len(ok) == 2:
            out["slope"] = float(np.diff(np.log10([n for _, n in ok]))[0] / np.diff(np.log10([p for p, _ in ok]))[0])
        return out

    out = {"canonical": n_stars(base), "note": "homogeneous c = (target, target, 0) is spec §5's canonical coupling; "
                                               "mean_field uses each geometry's mean off-diagonal C^k"}
    try:
        from workbench.rs._analysis.small_prior import critical_prior, predicted_scaling
    except ImportError:
        critical_prior = predicted_scaling = None
    if predicted_scaling is not None:
        pred = predicted_scaling(base)
        out["canonical"]["predicted_exponent"] = pred.get("exponent")
        out["canonical"]["predicted_note"] = pred.get("note")
    mf = {}
    for g in (spec.geometry_objects() if mean_field else []):
        c = mean_couplings(g, cfg.calibration(g).scale, cfg.length_scales)
        hc = base.with_(c=tuple(float(v) for v in c))
        entry = {"c": c, **n_stars(hc)}
        if critical_prior is not None and min(c) > 0:
            cp = critical_prior(hc)
            entry["critical_prior"] = cp.get("critical_prior")
        mf[g.name] = entry
    if mean_field:
        out["mean_field"] = mf
    # Flat keys kept for the figure and the CLI text.
    out["n_star"], out["slope"] = out["canonical"]["n_star"], out["canonical"].get("slope")
    out["predicted_exponent"] = out["canonical"].get("predicted_exponent")
    return out


# --------------------------------------------------------------------------- entry point


@dataclass(frozen=True, eq=False)
class SweepResult:
    """``summary`` is the JSON contract of ``rs sweep``; ``records`` maps task keys to records."""

    summary: dict
    records: dict


def run_sweep(spec: SweepSpec, *, store: SweepStore | None = None, executor: Executor | None = None,
              progress: bool = False, reference: bool | str = False) -> SweepResult:
    """Run (or resume) every task of ``spec`` and aggregate.

    Parameters
    ----------
    spec : SweepSpec
    store : SweepStore, optional
        Reuse valid records and save new ones as they finish (without it, nothing is saved).
    executor : Executor, default SerialExecutor()
    progress : bool
        A tqdm bar with ETA on stderr.
    reference : bool or ``"canonical"``
        Add the homogeneous references (:func:`homogeneous_reference`): ``True`` both the canonical
        and the per-geometry mean-field one, ``"canonical"`` only the canonical one (faster).
    """
    executor = executor or SerialExecutor()
    t0 = time.perf_counter()
    tasks = spec.tasks()
    records: dict[str, dict] = {}
    if store is not None and store.check(spec):  # an existing store: reuse its valid records
        for t in tasks:
            rec = store.load(t)
            if rec is not None:
                records[t.key] = rec
    reused = len(records)
    todo = [t for t in tasks if t.key not in records]
    bar = None
    try:
        # Start the executor (connect to the scheduler) before the store is created.
        with executor.session() if todo else contextlib.nullcontext(None) as run:
            if store is not None:
                store.open(spec)
            if progress:
                from tqdm import tqdm

                bar = tqdm(total=len(tasks), initial=reused, desc="rs sweep", unit="task", dynamic_ncols=True)
            for task, rec in (run(run_task, todo) if todo else ()):
                if store is not None:
                    store.save(task, rec)
                records[task.key] = rec
                if bar is not None:
                    bar.update(1)
    except KeyboardInterrupt:
        if store is None or not (store.directory / "manifest.json").exists():
            raise
        raise KeyboardInterrupt(f"{len(records)} of {len(tasks)} tasks are kept in {store.records}; "
                                "run the same command again to resume") from None
    finally:
        if bar is not None:
            bar.close()
    summary = aggregate(spec, records)
    summary["calibration"] = {g.name: spec.config.calibration(g).to_json() for g in spec.geometry_objects()}
    if reference:
        summary["homogeneous_reference"] = homogeneous_reference(spec, mean_field=reference != "canonical")
    summary["spec"] = to_jsonable(spec.to_json())
    summary["run"] = {**executor.describe(), "tasks": len(tasks), "reused": reused, "computed": len(todo),
                      "seconds": time.perf_counter() - t0,
                      "task_seconds": sum(r["timing"]["seconds"] for r in records.values()),
                      "store": str(store.directory) if store is not None else None}
    if store is not None:  # before any figure, so a failing plot cannot lose it
        store.save_summary(summary)
    return SweepResult(summary, records)


def deterministic_part(summary: dict) -> dict:
    """The summary without timing and execution details (equal across executors)."""
    return {k: v for k, v in summary.items() if k != "run"}
