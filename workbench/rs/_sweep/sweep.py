r"""Critical-diversity sweeps over (geometry, prior, seed): run or resume every task and aggregate (spec §6, RS7).

One task is one :func:`~workbench.rs._hetero.model.critical_diversity_hetero` search for one
(geometry, prior, seed): coarse, independent, and a pure function of its parameters, so the
result does not depend on which executor runs it. The pieces live in their own modules:
the specification (:mod:`~workbench.rs._sweep.spec`), the executors
(:mod:`~workbench.rs._sweep.executors`), the resumable store (:mod:`~workbench.rs._sweep.store`),
the aggregation (:mod:`~workbench.rs._sweep.statistics`) and the homogeneous references
(:mod:`~workbench.rs._sweep.reference`). Nothing is written before the executor has started
(a scheduler that cannot be reached leaves no store behind).

Examples
--------
>>> spec = SweepSpec(geometries=("gaussian4d",), priors=(0.3, 0.1), seeds=(0,), n_max=64)
>>> result = run_sweep(spec)
>>> [r["p0"] for r in result.summary["results"]]
[0.3, 0.1]
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from dataclasses import dataclass

from workbench._io import to_jsonable
from workbench.rs._hetero.model import critical_diversity_hetero
from workbench.rs._sweep.executors import (  # noqa: F401 - re-exported for callers of this module
    DaskExecutor, Executor, ProcessExecutor, SerialExecutor, executor_from_options,
)
from workbench.rs._sweep.reference import homogeneous_reference
from workbench.rs._sweep.spec import STORE_FORMAT, SweepSpec, SweepTask  # noqa: F401
from workbench.rs._sweep.statistics import aggregate, median_interval, slope_with_bootstrap  # noqa: F401
from workbench.rs._sweep.store import SweepStore

def run_task(task: SweepTask) -> dict:
    """Run one search and return its record (a pure function of ``task``, plus timing)."""
    spec = task.spec
    t0 = time.perf_counter()
    res = critical_diversity_hetero(spec.config, task.geometry, task.p0, task.seed, n_max=spec.n_max,
                                    growth=spec.growth, rel_tol=spec.rel_tol, solver=spec.solver,
                                    backend=spec.kernel)
    return {
        "format": STORE_FORMAT, "key": task.key, "spec_hash": spec.fingerprint(),
        "result": res.to_json(),
        "timing": {"seconds": time.perf_counter() - t0, "host": socket.gethostname(), "pid": os.getpid()},
    }


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
