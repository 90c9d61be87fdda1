"""Benchmarks of the reward-seeking engine, reported as ratios measured in the same run.

1. Batched integration of B single-environment systems (one DormandPrince batch with per-system
   steps and stopping) against a per-system loop of ``scipy.integrate.solve_ivp`` (RK45, same
   tolerances, the same saturation event). The loop is timed on ``--baseline-count`` of the same
   systems and its per-system cost scaled to B (say so when you quote it); ``--baseline-count B``
   times the whole loop.
2. ``rs critical`` for one prior: the library call and the whole command (process start included).
3. ``critical_diversity`` against the fair baseline, a per-configuration script: ``solve_ivp``
   (RK45, the same rtol 1e-8 / atol 1e-10 and saturation event) on the same reduced ODE written
   by hand, N bracketed on a x10 ladder from 1 to 1e9, ``brentq`` on the continuous margin
   ``p(T_sat) - 1/2`` in log N to the same relative width 1e-7, then the integer N* from
   ``ceil(N*_c)`` checked (and stepped) by simulating N* and N* - 1. A fixed seeded random set
   covers four kinds (gradient flow, replicator flow, kappa > 0, cost > 0); each configuration
   is timed alone (best of ``--repeats``) for both. Accuracy: N*_c of both against
   ``critical_diversity`` at rtol 1e-12 / atol 1e-14; integer N* of both against the previous
   batched numpy engine. Two pairs do the same work on both sides: ``scan=Ladder()`` (no
   monotonicity check) against the baseline, and the default ``scan=LogGrid(97)`` (which checks)
   against the baseline also evaluating the 97-point grid; the cross ratio (default against the
   plain baseline) is printed too. Then a batch of priors: one call against the baseline run per prior.

    python benchmarks/bench_rs.py [--systems 10000] [--baseline-count 300] [--critical-set 48] [--only critical]
"""

from __future__ import annotations

import argparse
import math
import platform
import subprocess
import sys
import time

import numpy as np

from workbench.rs import DormandPrince, HomogeneousConfig, Saturation, reduced_system, simulate
from workbench.rs import Ladder, critical_diversity
from workbench.rs import reference_outcome


def random_configs(n, seed=0):
    rng = np.random.default_rng(seed)
    return [HomogeneousConfig(p0=float(10 ** rng.uniform(-4, np.log10(0.5))), x0=float(rng.uniform(-3, 3)), y0=float(rng.uniform(-3, 3)),
                              alpha=tuple(float(a) for a in 10 ** rng.uniform(-1, 1, 3))) for _ in range(n)]


def solve_ivp_loop(cfgs, rtol, atol):
    return [reference_outcome(cf.p0, cf.x0, cf.y0, cf.alpha, method="RK45", rtol=rtol, atol=atol)[0] for cf in cfgs]


# ---- [3] rs critical against a per-configuration solve_ivp + brentq script -------------------

CRITICAL_KINDS = ("gradient", "replicator", "kappa>0", "cost>0")


def critical_configs(n, seed=14):
    """``n`` configurations, the four kinds in turn; parameters drawn from a fixed seed.

    p0 log-uniform in [1e-7, 0.3]; x0 uniform in [-1, 1], y0 in [-3, -1] (the seed's
    set-up: the local skill starts lower); learnabilities log-uniform in
    [1/3, 3]; c_z, c_x uniform in [0.02, 0.5], c_y = 0; kappa uniform in [0.05, 1] (kind
    ``kappa>0``, gradient and replicator alternately); cost uniform in [1e-4, 1e-3] (kind
    ``cost>0``, below eps so that both branches can saturate; flows alternate).
    """
    from workbench.rs import GradientFlow, ReplicatorFlow

    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        kind = CRITICAL_KINDS[i % 4]
        flow = ReplicatorFlow() if kind == "replicator" or (kind in ("kappa>0", "cost>0") and (i // 4) % 2) else GradientFlow()
        cz, cx = rng.uniform(0.02, 0.5, 2)
        out.append((kind, HomogeneousConfig(
            p0=float(10 ** rng.uniform(-7, math.log10(0.3))), x0=float(rng.uniform(-1, 1)), y0=float(rng.uniform(-3, -1)),
            alpha=tuple(float(a) for a in 10 ** rng.uniform(-0.477, 0.477, 3)), c=(float(cz), float(cx), 0.0),
            kappa=float(rng.uniform(0.05, 1.0)) if kind == "kappa>0" else 0.0,
            cost=float(rng.uniform(1e-4, 1e-3)) if kind == "cost>0" else 0.0, flow=flow)))
    return out


def _expit(u):
    return 1.0 / (1.0 + math.exp(-u)) if u >= 0 else math.exp(u) / (1.0 + math.exp(u))


def baseline_critical(cf, *, grid=None, n_max=1e9, rel_tol=1e-7, eps=1e-3, threshold=0.5, rtol=1e-8, atol=1e-10, t_max=1e7):
    """``(N*, N*_c)`` by the plain per-configuration method (see the module docstring).

    ``grid``: bracket on these N instead of the x10 ladder, i.e. also evaluate every grid point
    (the monotonicity check that ``critical_diversity`` reports, which the ladder skips).
    """
    from scipy.integrate import solve_ivp
    from scipy.optimize import brentq

    replicator = cf.flow.name == "replicator"
    kappa, cost = cf.kappa, cf.cost
    start = [math.log(cf.p0 / (1 - cf.p0)), cf.x0, cf.y0]

    def margin(n):
        az, ax, ay = (a * (1.0 + (n - 1.0) * c) for a, c in zip(cf.alpha, cf.c))

        def rhs(t, s):
            p, a, b = _expit(s[0]), _expit(s[1] + kappa * s[2]), _expit(s[2])
            if replicator:
                return [az * (a - cost - b), ax * p * (1 - a), ay * (kappa * p * a * (1 - a) / b + (1 - p) * (1 - b))]
            return [az * p * (1 - p) * (a - cost - b), ax * p * a * (1 - a), ay * (kappa * p * a * (1 - a) + (1 - p) * b * (1 - b))]

        def saturated(t, s):
            p = _expit(s[0])
            return p * (_expit(s[1] + kappa * s[2]) - cost) + (1 - p) * _expit(s[2]) - (1 - eps)

        saturated.terminal, saturated.direction = True, 1
        if saturated(0.0, start) >= 0:
            return _expit(start[0]) - threshold
        sol = solve_ivp(rhs, (0, t_max), start, method="RK45", rtol=rtol, atol=atol, events=saturated)
        if not sol.t_events[0].size:
            return -1.0  # undecided counts as not reward-seeking
        return _expit(sol.y_events[0][0][0]) - threshold

    if grid is not None:
        g = np.array([margin(float(n)) for n in grid])
        if g[0] > 0:
            return 1, 1.0
        if not (g > 0).any():
            return None, None
        i = int(np.argmax(g > 0))
        lo, hi = float(grid[i - 1]), float(grid[i])
    else:
        ladder = [min(10.0**k, n_max) for k in range(int(math.ceil(math.log10(n_max))) + 1)]
        if margin(1.0) > 0:
            return 1, 1.0
        for lo, hi in zip(ladder, ladder[1:]):
            if margin(hi) > 0:
                break
        else:
            return None, None
    u = brentq(lambda v: margin(math.exp(v)), math.log(lo), math.log(hi), xtol=0.5 * math.log1p(rel_tol), rtol=4 * np.finfo(float).eps)
    n_c = math.exp(u)
    n_star = max(1, math.ceil(n_c))
    while n_star > 1 and margin(float(n_star - 1)) > 0:
        n_star -= 1
    while margin(float(n_star)) <= 0:
        n_star += 1
    return n_star, n_c


def _best(fn, repeats):
    best, out = math.inf, None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


class NumpyEngineSaturation(Saturation):
    """Saturation unchanged; as a subclass it is run by critical_diversity's batched numpy engine
    (the engine before the compiled kernel), which is how [3] times and checks that engine."""


def bench_critical(n_configs, repeats, n_priors, base_repeats=2):

    cases = critical_configs(n_configs)
    t0 = time.perf_counter()
    critical_diversity(HomogeneousConfig(p0=0.1))  # compile or load the kernels (reported below)
    critical_diversity(HomogeneousConfig(p0=0.1, flow=cases[1][1].flow))
    warm = time.perf_counter() - t0
    tight = DormandPrince(rtol=1e-12, atol=1e-14)
    print(f"[3] rs critical: {n_configs} configurations (seed 14, kinds {', '.join(CRITICAL_KINDS)}); "
          f"kernels ready in {warm:.2f} s (compiled, or loaded from numba's cache)")
    print("    two pairs, each doing the same work on both sides:")
    print("      ladder: ours with scan=Ladder() against base (x10 ladder + brentq; neither checks monotonicity)")
    print("      grid:   ours with the default scan=LogGrid(97) against base+grid (base also evaluating the 97-point grid)")
    print("      cross:  the default (checks) against base (does not)")
    print(f"    {'#':>3} {'kind':<10} {'flow':<10} {'p0':>8} {'N*':>9} {'base N*':>9} {'err N*_c':>8} {'base err':>8} "
          f"{'ladder':>7} {'base ms':>7} {'ratio':>6} {'grid ms':>7} {'b+g ms':>7} {'ratio':>6} {'cross':>6}")
    rows = []
    for i, (kind, cf) in enumerate(cases):
        ours_t, [r] = _best(lambda: critical_diversity(cf), repeats)
        lad_t, [lr] = _best(lambda: critical_diversity(cf, scan=Ladder()), repeats)
        base_t, (b_star, b_c) = _best(lambda: baseline_critical(cf), base_repeats)
        grid_t, (g_star, g_c) = _best(lambda: baseline_critical(cf, grid=np.logspace(0.0, 9.0, 97)), 1)
        [ref] = critical_diversity(cf, solver=tight)
        def err(v):
            return abs(v / ref.n_star_continuous - 1) if v is not None and ref.n_star_continuous not in (None, 1.0) else 0.0
        e_ours, e_base, e_lad = err(r.n_star_continuous), err(b_c), err(lr.n_star_continuous)
        rows.append((kind, cf, r, b_star, e_ours, e_base, ours_t, base_t, ref, grid_t, g_star, lad_t, lr, e_lad))
        print(f"    {i:>3} {kind:<10} {cf.flow.name:<10} {cf.p0:>8.2e} {str(r.n_star):>9} {str(b_star):>9} {e_ours:>8.1e} {e_base:>8.1e} "
              f"{lad_t * 1e3:>7.2f} {base_t * 1e3:>7.1f} {base_t / lad_t:>5.0f}x {ours_t * 1e3:>7.2f} {grid_t * 1e3:>7.0f} "
              f"{grid_t / ours_t:>5.0f}x {base_t / ours_t:>5.1f}x")
    ratios = np.array([row[7] / row[6] for row in rows])
    g_ratios = np.array([row[9] / row[6] for row in rows])
    l_ratios = np.array([row[7] / row[11] for row in rows])
    mid = [j for j, row in enumerate(rows) if row[8].n_star is not None and row[8].n_star > 1]
    same_base = sum(row[2].n_star == row[3] for row in rows)
    same_ref = sum(row[2].n_star == row[8].n_star for row in rows)
    same_lad = sum(row[12].n_star == row[2].n_star for row in rows)
    # the previous engine (batched numpy, section search) on the whole set at once
    by_flow = {}
    for idx, (_, cf, *_rest) in enumerate(rows):
        by_flow.setdefault(cf.flow.name, []).append(idx)
    t0 = time.perf_counter()
    old = {}
    for idxs in by_flow.values():
        for idx, res in zip(idxs, critical_diversity([rows[i][1] for i in idxs], criterion=NumpyEngineSaturation())):
            old[idx] = res
    old_t = time.perf_counter() - t0
    same_old = sum(rows[i][2].n_star == old[i].n_star for i in range(len(rows)))
    within = sum(old[i].n_star_continuous is None or (rows[i][2].bracket is None and old[i].bracket is None)
                 or abs(rows[i][2].n_star_continuous / old[i].n_star_continuous - 1) <= 1e-7 for i in range(len(rows)))
    e_o, e_b, e_l = (np.array([row[k] for row in rows]) for k in (4, 5, 13))
    print(f"    ladder against base (neither checks): min {l_ratios.min():.1f}x, median {np.median(l_ratios):.0f}x, "
          f"max {l_ratios.max():.0f}x (total {sum(r[11] for r in rows):.2f} s against {sum(r[7] for r in rows):.2f} s)")
    print(f"    grid (default) against base+grid (both check): min {g_ratios.min():.0f}x, median {np.median(g_ratios):.0f}x; "
          f"N* of base+grid equal to ours {sum(row[10] == row[2].n_star for row in rows)}/{len(rows)}")
    print(f"    cross, default against base: min {ratios.min():.1f}x, median {np.median(ratios):.0f}x "
          f"(on the {len(mid)} with 1 < N* <= 1e9: min {ratios[mid].min():.1f}x; where N* = 1 the grid is 97 simulations against 1)")
    print(f"    |N*_c / reference - 1| (reference: rtol 1e-12): grid median {np.median(e_o):.1e}, max {e_o.max():.1e}; "
          f"ladder median {np.median(e_l):.1e}, max {e_l.max():.1e}; baseline median {np.median(e_b):.1e}, max {e_b.max():.1e}")
    print(f"    integer N* equal: ours and baseline {same_base}/{len(rows)}, ours and reference {same_ref}/{len(rows)}, "
          f"ladder and grid {same_lad}/{len(rows)}, ours and the previous numpy engine {same_old}/{len(rows)} "
          f"(N*_c within 1e-7 relative: {within}/{len(rows)}; that engine took {old_t:.2f} s for the whole set, batched)")

    priors = [float(p) for p in np.logspace(-1, -8, n_priors)]
    cfgs = [HomogeneousConfig(p0=p) for p in priors]
    ours_t, res = _best(lambda: critical_diversity(cfgs), repeats)
    lad_t, lres = _best(lambda: critical_diversity(cfgs, scan=Ladder()), repeats)
    t0 = time.perf_counter()
    base = [baseline_critical(cf) for cf in cfgs]
    base_t = time.perf_counter() - t0
    agree = sum(r.n_star == b[0] == q.n_star for r, q, b in zip(res, lres, base))
    print(f"    batch of {n_priors} priors 1e-1..1e-8 (canonical configuration), against base run per prior ({base_t:.2f} s): "
          f"default {ours_t * 1e3:.1f} ms, {base_t / ours_t:.0f}x; ladder {lad_t * 1e3:.1f} ms, {base_t / lad_t:.0f}x "
          f"(N* agree {agree}/{n_priors})")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--systems", type=int, default=10_000)
    ap.add_argument("--baseline-count", type=int, default=300)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--critical-set", type=int, default=48, help="configurations in benchmark [3]")
    ap.add_argument("--priors", type=int, default=15, help="priors in the batch of benchmark [3]")
    ap.add_argument("--only", choices=["critical"], help="run benchmark [3] alone")
    args = ap.parse_args(argv)
    rtol, atol = 1e-8, 1e-10
    print(f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}, numpy {np.__version__}")
    if args.only == "critical":
        bench_critical(args.critical_set, args.repeats, args.priors)
        return

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
    bench_critical(args.critical_set, args.repeats, args.priors)


if __name__ == "__main__":
    main()
