"""Throughput per worker of the two workloads that outgrow one machine (issue 14), on each executor.

The workloads are the ones the command line distributes:

1. **Census** (``workbench conjecture census``): one task per isomorphism class of rooted
   deterministic MDPs. Here: every ``--census-stride``-th 4-state class (a fixed, deterministic
   subset; default every 20th of 5856, 293 classes), under the census's default criteria,
   3 generic rewards, seed 0.
2. **Heterogeneous sweep** (``workbench rs sweep``): one task per (geometry, prior, seed), an
   N* search. Here: gaussian4d and gaussian100d, p0 = 0.03 and 0.01, seeds 0 and 1, n_max 1024
   (8 tasks).

Each workload runs on: this process (serial), 1 and 2 local processes, and a Dask LocalCluster
with 1 and 2 single-threaded workers. For each, the table gives the start-up time of the
executor (pool or cluster), the wall time of the tasks after start-up, tasks per second, tasks
per second per worker, and the parallel efficiency ``serial time / (workers x wall)``; each row
is the best of ``--repeat`` rounds over all executors, and every process (this one included)
runs BLAS on one thread. Every
run's results are compared with the serial run's (census rows and votes; sweep results without
their timing): the executor must not change them.

    python benchmarks/bench_dask.py [--census-stride 20] [--skip-sweep] [--skip-census]

The machine is shared: read ratios within one run, and the load average printed at the top.
"""

from __future__ import annotations

import argparse
import os
import platform
import time


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not on every platform
        return "?"


def census_items(stride: int) -> list:
    from workbench.power import DEFAULT_CENSUS_CRITERIA, rooted_mdp_classes

    classes = list(rooted_mdp_classes(4))[::stride]
    return [(c.masks, c.automorphisms, tuple(DEFAULT_CENSUS_CRITERIA), 3, 0, False) for c in classes]


def sweep_items() -> list:
    from workbench.rs import SweepSpec

    spec = SweepSpec(geometries=("gaussian4d", "gaussian100d"), priors=(0.03, 0.01), seeds=(0, 1), n_max=1024)
    return spec.tasks()


def census_task(item):
    """One census task, as ``workbench conjecture census`` runs it: the rows of one class."""
    from workbench.power import census_class

    return census_class(*item)


def sweep_task(task):
    """One sweep task, as ``workbench rs sweep`` runs it: one N* search."""
    from workbench.rs import critical_diversity_hetero

    spec = task.spec
    res = critical_diversity_hetero(spec.config, task.geometry, task.p0, task.seed, n_max=spec.n_max, growth=spec.growth,
                                    rel_tol=spec.rel_tol, solver=spec.solver, backend=spec.kernel)
    return {"result": res.to_json()}


def _census_key(item, rec):
    return rec["class"], rec["rows"], rec["votes"]


def _sweep_key(task, rec):
    return task.key, rec["result"]


def run(executor, fn, items, key):
    """Start the executor, run every item, return (start-up s, task wall s, canonical results)."""
    t0 = time.perf_counter()
    with executor.session() as mapper:
        t1 = time.perf_counter()
        out = [key(item, rec) for item, rec in mapper(fn, items)]
        t2 = time.perf_counter()
    return t1 - t0, t2 - t1, sorted(out, key=lambda r: str(r[0]))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--census-stride", type=int, default=20)
    ap.add_argument("--skip-census", action="store_true")
    ap.add_argument("--skip-sweep", action="store_true")
    ap.add_argument("--repeat", type=int, default=2, help="rounds over the executors; each row is its best round")
    args = ap.parse_args(argv)

    import numpy as np
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)  # as in every worker (one BLAS thread), so the serial row is the same work

    from workbench.rs import DaskExecutor, ProcessExecutor, SerialExecutor

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {_load()}; "
          f"python {platform.python_version()}, numpy {np.__version__}")
    executors = [("serial", SerialExecutor(), 1), ("processes x1", ProcessExecutor(1), 1),
                 ("processes x2", ProcessExecutor(2), 2), ("dask local x1", DaskExecutor(None, 1), 1),
                 ("dask local x2", DaskExecutor(None, 2), 2)]
    workloads = []
    if not args.skip_census:
        items = census_items(args.census_stride)
        workloads.append((f"census: every {args.census_stride}th 4-state class ({len(items)} classes)",
                          census_task, items, _census_key, "classes"))
    if not args.skip_sweep:
        items = sweep_items()
        workloads.append((f"sweep: 2 geometries x 2 priors x 2 seeds, n_max 1024 ({len(items)} tasks)",
                          sweep_task, items, _sweep_key, "tasks"))
    for title, fn, items, key, unit in workloads:
        print(f"\n{title}")
        print(f"| executor | workers | start-up s | wall s | {unit}/s | {unit}/s per worker | efficiency | same results |")
        print("|---|---|---|---|---|---|---|---|")
        fn(items[0])  # imports and first-call set-up, outside every timing
        best = {}
        for _ in range(args.repeat):
            for name, ex, workers in executors:
                start, wall, res = run(ex, fn, items, key)
                if name not in best or wall < best[name][1]:
                    best[name] = (start, wall, res)
        reference, serial_wall = best["serial"][2], best["serial"][1]
        for name, ex, workers in executors:
            start, wall, res = best[name]
            rate = len(items) / wall
            eff = serial_wall / (workers * wall)
            print(f"| {name} | {workers} | {start:.2f} | {wall:.2f} | {rate:.2f} | {rate / workers:.2f} | "
                  f"{eff:.2f} | {res == reference} |", flush=True)
        print(f"load after: {_load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
