"""Benchmarks of the heterogeneous engine (spec §6, issue 4), all measured in one run.

1. Copy bandwidth of this machine, measured with numpy (``np.copyto`` of a 512 MB array;
   bandwidth = bytes read + bytes written per second, best of 5).
2. Time per vector-field evaluation at N = 1000, 3000, 10000 for each kernel back-end
   (dense float64 as shipped: full matrix below N = 2048, packed symmetric tiles from there;
   dense float64 always full, the previous storage; dense float32; sparse cutoff), against the
   memory-bandwidth floor ``bytes of kernel data streamed per evaluation / copy bandwidth``, and
   the ratio. The shared z/x matrix is streamed once per evaluation (one pass for both
   variables). An Euler step is one evaluation; a Dormand–Prince step is six (FSAL), so its
   floor is six times that. The dense rows are timed with one BLAS thread (the default) and
   with the library's default thread count; the cost exponent in N is fitted to the shipped
   dense rows.
3. N = 3000 (gaussian4d, p0 = 0.01, seed 0) integrated to saturation with each back-end.
4. Optional (``--figure-sweep DIR``): the figure sweep at its default size (3 geometries x
   5 priors x 5 seeds, N <= 8192) on 2 local processes, resumable in DIR.
5. Peak resident memory (``resource.getrusage``, this process; children separately), and the
   peak of a fresh process that builds the N = 10^4 system and takes one evaluation, packed
   against full storage.

    python benchmarks/bench_hetero.py [--sizes 1000,3000,10000] [--figure-sweep /tmp/hetero_sweep]

The machine is shared: numbers are noisy (repeat the run and quote the best).
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import time

import numpy as np

from workbench.rs import geometry_by_name
from workbench.rs import EnvironmentSequence, HeteroConfig, hetero_system, simulate_hetero
from workbench.rs import Dense32, Dense64, SparseCutoff


def copy_bandwidth(nbytes: int = 512 * 2**20, repeats: int = 5) -> float:
    a = np.ones(nbytes // 8)
    b = np.empty_like(a)
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        np.copyto(b, a)
        best = min(best, time.perf_counter() - t0)
    return 2 * a.nbytes / best


def time_evaluation(field, y, min_time: float = 1.0, max_reps: int = 200) -> float:
    field(y)
    reps, t0 = 0, time.perf_counter()
    while reps < max_reps and (time.perf_counter() - t0 < min_time or reps < 3):
        field(y)
        reps += 1
    return (time.perf_counter() - t0) / reps


def peak_rss_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024.0  # kB on Linux


_PEAK_SCRIPT = """
import sys
from workbench.rs import Dense64, EnvironmentSequence, HeteroConfig, geometry_by_name, hetero_system
n, packed = int(sys.argv[1]), int(sys.argv[2])
cfg = HeteroConfig()
envs = EnvironmentSequence(geometry_by_name("gaussian4d"), cfg, seed=0).take(n, 0.01)
system, kernels = hetero_system(envs, cfg, Dense64(packed_from=packed))
system.vector_field()(system.initial)
# VmHWM: this process image's peak (ru_maxrss would include the parent's size at fork)
print([int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")][0] / 1024.0)
"""


def fresh_process_peak_mb(n: int, packed_from: int) -> float:
    import subprocess

    out = subprocess.run([sys.executable, "-c", _PEAK_SCRIPT, str(n), str(packed_from)], check=True, capture_output=True, text=True)
    return float(out.stdout.split()[-1])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,3000,10000")
    ap.add_argument("--saturation-n", type=int, default=3000)
    ap.add_argument("--figure-sweep", metavar="DIR", default=None, help="also run the default-size figure sweep (up to ~30 min)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--memory-n", type=int, default=10000, help="N of the fresh-process peak-memory comparison (0: skip)")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {platform.machine()}, python {platform.python_version()}, numpy {np.__version__}; shared, noisy")
    bw = copy_bandwidth()
    print(f"copy bandwidth (numpy copyto, read+write): {bw / 1e9:.2f} GB/s")
    cfg, g = HeteroConfig(), geometry_by_name("gaussian4d")
    seq = EnvironmentSequence(g, cfg, seed=0)
    backends = [("dense", Dense64()), ("full", Dense64(packed_from=10**9)), ("dense/T", Dense64(blas_threads=None)),
                ("full/T", Dense64(packed_from=10**9, blas_threads=None)), ("dense32", Dense32()), ("sparse", SparseCutoff())]
    print("\nper vector-field evaluation (= one Euler step; a Dormand-Prince step is 6 evaluations);"
          " /T = the BLAS library's default thread count, otherwise 1 thread")
    print(f"{'N':>6} {'kernel':>8} {'build s':>8} {'MB/eval':>9} {'ms/eval':>9} {'floor ms':>9} {'ratio':>6}  storage")
    shipped = []
    for n in sizes:
        envs = seq.take(n, 0.01)
        for label, b in backends:
            with b.blas_limit():
                system, kernels = hetero_system(envs, cfg, b)
                field = system.vector_field()
                t = time_evaluation(field, system.initial)
            floor = kernels.bytes_per_evaluation / bw
            if label == "dense":
                shipped.append((n, t))
            storage = ",".join(f"{m['variables']}:{m['storage']}" for m in kernels.report["matrices"])
            print(f"{n:>6} {label:>8} {kernels.seconds:>8.2f} {kernels.bytes_per_evaluation / 1e6:>9.1f} {1e3 * t:>9.3f} "
                  f"{1e3 * floor:>9.3f} {t / floor:>6.2f}  {storage}; trunc err {kernels.report['max_truncation_error']:.2g}")
            del system, kernels, field
        sys.stdout.flush()
    if len(shipped) >= 2:
        x, y = np.log([n for n, _ in shipped]), np.log([t for _, t in shipped])
        print(f"cost exponent in N (dense as shipped, least squares over N = {', '.join(str(n) for n, _ in shipped)}): "
              f"{np.polyfit(x, y, 1)[0]:.2f} (2 = memory-bound N^2)")
    if args.memory_n:
        for label, packed in (("packed (shipped)", 2048), ("full", 10**9)):
            print(f"peak RSS, fresh process, N = {args.memory_n} system built and one evaluation, {label}: "
                  f"{fresh_process_peak_mb(args.memory_n, packed):.0f} MB")

    print(f"\nN = {args.saturation_n} to saturation (gaussian4d, p0 = 0.01, seed 0, adaptive)")
    for _, b in backends[:1] + backends[4:]:
        r = simulate_hetero(cfg, g, args.saturation_n, 0.01, 0, backend=b)
        print(f"  {b.name:>8}: {r.seconds:6.2f} s  {r.steps} steps  outcome {r.outcome}  mean p {r.mean_p:.6f}  "
              f"T_sat {r.t_sat:.6g}")
    print(f"peak RSS of this process: {peak_rss_mb():.0f} MB")

    if args.figure_sweep:
        from workbench.rs import ProcessExecutor, SweepSpec, SweepStore, plot_sweep, run_sweep

        spec = SweepSpec(("gaussian4d", "longtail4d", "gaussian100d"), priors=(0.1, 0.03, 0.01, 0.003, 0.001),
                         seeds=tuple(range(5)), n_max=8192)
        t0 = time.perf_counter()
        res = run_sweep(spec, store=SweepStore(args.figure_sweep), executor=ProcessExecutor(args.workers),
                        progress=True, reference=True)
        run = res.summary["run"]
        print(f"\nfigure sweep: {run['tasks']} tasks ({run['computed']} computed, {run['reused']} reused) in "
              f"{time.perf_counter() - t0:.0f} s wall on {args.workers} processes; summed task time {run['task_seconds']:.0f} s")
        for g_, v in res.summary["slopes"].items():
            print(f"  {g_}: slope {v.get('slope')} CI {v.get('ci')}")
        import matplotlib.pyplot as plt

        fig_path = f"{args.figure_sweep}/rs_hetero_slopes.png"
        ax = plot_sweep(res.summary)
        ax.figure.savefig(fig_path, dpi=110, bbox_inches="tight")
        plt.close(ax.figure)
        print(f"  figure: {fig_path}")
        print(f"peak RSS of worker processes: {peak_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB")


if __name__ == "__main__":
    main()
