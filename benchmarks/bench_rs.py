"""Benchmarks of the reward-seeking engine, reported as ratios measured in the same run.

1. Batched integration of B single-environment systems (one DormandPrince batch with per-system
   steps and stopping) against a per-system loop of ``scipy.integrate.solve_ivp`` (RK45, same
   tolerances, the same saturation event). The loop is timed on ``--baseline-count`` of the same
   systems and its per-system cost scaled to B (say so when you quote it); ``--baseline-count B``
   times the whole loop.
2. ``rs critical`` for one prior: the library call and the whole command (process start included).

    python benchmarks/bench_rs.py [--systems 10000] [--baseline-count 300]
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import time

import numpy as np

from workbench.rs import DormandPrince, HomogeneousConfig, reduced_system, simulate
from workbench.rs import critical_diversity
from workbench.rs import reference_outcome


def random_configs(n, seed=0):
    rng = np.random.default_rng(seed)
    return [HomogeneousConfig(p0=float(10 ** rng.uniform(-4, np.log10(0.5))), x0=float(rng.uniform(-3, 3)), y0=float(rng.uniform(-3, 3)),
                              alpha=tuple(float(a) for a in 10 ** rng.uniform(-1, 1, 3))) for _ in range(n)]


def solve_ivp_loop(cfgs, rtol, atol):
    return [reference_outcome(cf.p0, cf.x0, cf.y0, cf.alpha, method="RK45", rtol=rtol, atol=atol)[0] for cf in cfgs]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--systems", type=int, default=10_000)
    ap.add_argument("--baseline-count", type=int, default=300)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    rtol, atol = 1e-8, 1e-10
    print(f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}, numpy {np.__version__}")

    cfgs = random_configs(args.systems)
    system = reduced_system(cfgs)
    simulate(reduced_system(cfgs[:10]))  # warm up lambdify caches
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        res = simulate(system, solver=DormandPrince(rtol=rtol, atol=atol))
        times.append(time.perf_counter() - t0)
    batched = min(times)
    k = min(args.baseline_count, args.systems)
    t0 = time.perf_counter()
    base_out = solve_ivp_loop(cfgs[:k], rtol, atol)
    loop = time.perf_counter() - t0
    loop_per_system = loop / k
    agree = sum(a == b for a, b in zip(base_out, res.outcome[:k]))
    print(f"[1] batched DormandPrince, {args.systems} systems: {batched:.3f} s (best of {args.repeats}), "
          f"{batched / args.systems * 1e6:.1f} us/system, max steps {res.steps.max()}, undecided {int((res.outcome == 'undecided').sum())}")
    print(f"    solve_ivp(RK45) loop timed on {k} of them: {loop:.2f} s = {loop_per_system * 1e3:.2f} ms/system"
          f"{'' if k == args.systems else f' -> {loop_per_system * args.systems:.1f} s scaled to {args.systems}'}")
    print(f"    speed-up per system: {loop_per_system / (batched / args.systems):.0f}x  (outcomes agree on {agree}/{k})")

    cfg = HomogeneousConfig(p0=1e-3)
    critical_diversity(cfg)
    ct = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        [r] = critical_diversity(cfg)
        ct.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "workbench", "rs", "critical", "--p0", "1e-3", "--json"], check=True, capture_output=True)
    cli = time.perf_counter() - t0
    print(f"[2] critical_diversity(p0=1e-3): N* = {r.n_star}, {min(ct):.3f} s (best of {args.repeats}); "
          f"`workbench rs critical --p0 1e-3` end to end: {cli:.2f} s")


if __name__ == "__main__":
    main()
