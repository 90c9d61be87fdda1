"""Benchmarks for the power-seeking engine; every ratio is measured in this run.

1. Orbit vote: ``workbench.power.orbit_vote`` against a straightforward loop over
   ``itertools.permutations`` on 9-state MDPs (both count the same orbit; the loop uses
   float dot products per permutation, the engine exact integers).
   (a) the 3x3 gridworld ``mdps/gridworld.toml`` under discounted γ = 9/10 (every state is
       relevant, no reduction applies: pure vectorised enumeration of 9! arrangements);
   (b) a 9-state MDP with 2 vs 4 terminal options under average reward (the exchangeable-block
       closed form applies).
2. POWER: one batched matrix product against the stacked non-dominated visit distributions,
   against value iteration per reward sample (POWERplay's method), on the same reward samples
   of the same MDP at γ = 0.9, so the Monte Carlo error is identical; value iteration runs to
   a sup-norm tolerance of 1e-10 and the two estimates are compared.

Run: ``.venv/bin/python benchmarks/bench_power.py`` (add ``--quick`` for fewer samples).
"""

from __future__ import annotations

import os

# one BLAS thread for both sides: stable timings on a shared machine (set before numpy loads)
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import itertools  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
from fractions import Fraction  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from workbench.power import (  # noqa: E402
    MDP,
    Average,
    Discounted,
    load_mdp,
    options,
    orbit_vote,
    power_by_value_iteration,
    power_vectors,
)

ROOT = Path(__file__).resolve().parents[1]


def naive_orbit_vote(mdp, state, a, b, reward, criterion):
    """The straightforward method: every permutation, float dot products, count outcomes."""
    A, B = options(mdp, state, a), options(mdp, state, b)
    lv = criterion.levels(list(A) + list(B))[0]
    WA = np.array([[float(c) for c in v] for v in lv[: len(A)]])
    WB = np.array([[float(c) for c in v] for v in lv[len(A):]])
    out = [0, 0, 0]
    for p in itertools.permutations(reward):
        r = np.array(p, dtype=float)
        va, vb = (WA @ r).max(), (WB @ r).max()
        out[0 if va > vb + 1e-9 else 1 if vb > va + 1e-9 else 2] += 1
    return tuple(out)


def timed(fn, *args, **kwargs):
    t = time.perf_counter()
    res = fn(*args, **kwargs)
    return res, time.perf_counter() - t


def bench_orbit(name, mdp, state, a, b, reward, criterion):
    # fresh MDP objects so that cached visit distributions do not favour either side
    fresh = lambda: MDP(mdp.states, mdp.transitions, mdp.name, mdp.description, mdp.start, mdp.source)  # noqa: E731
    vote, t_fast = timed(orbit_vote, fresh(), state, a, b, reward, criterion)
    naive, t_naive = timed(naive_orbit_vote, fresh(), state, a, b, reward, criterion)
    agree = (vote.a_strict, vote.b_strict, vote.tie) == naive
    print(f"  {name}: orbit size {vote.orbit_size} ({vote.reduction})")
    print(f"    engine {t_fast:.4f} s   itertools loop {t_naive:.3f} s   ratio {t_naive / t_fast:,.0f}x   "
          f"counts agree: {agree} {naive}")
    return t_naive / t_fast


def bench_power(samples: int):
    g = load_mdp(ROOT / "mdps/gridworld.toml")
    gamma = 0.9
    rng = np.random.default_rng(0)
    R = rng.uniform(size=(samples, g.n_states))
    t = time.perf_counter()
    G = np.array([[float(c) for c in v] for v in power_vectors(g, "r1c1", Fraction(9, 10), prune=False)])
    t_setup = time.perf_counter() - t
    reps = []
    for _ in range(21):  # a sub-millisecond operation: median of 21 repeats
        t = time.perf_counter()
        mm = (R @ G.T).max(axis=1)
        reps.append(time.perf_counter() - t)
    t_mm = float(np.median(reps))
    vi, t_vi = timed(power_by_value_iteration, g, "r1c1", gamma, R)
    print(f"  3x3 gridworld, state r1c1, gamma 0.9, {samples} iid uniform reward samples (seed 0), {len(G)} options after the exact dominance filter")
    print(f"    POWER estimate: matmul {mm.mean():.6f} +- {1.96 * mm.std(ddof=1) / np.sqrt(samples):.6f} (95%),"
          f" value iteration {vi.mean():.6f}; max per-sample |difference| {np.abs(mm - vi).max():.2e}")
    print(f"    matmul {t_mm * 1e3:.3f} ms (median of 21; + {t_setup:.3f} s exact setup: lassos, integrands)   value iteration {t_vi:.2f} s")
    print(f"    ratio {t_vi / t_mm:,.0f}x (product only), {t_vi / (t_mm + t_setup):,.1f}x (including setup)")
    return t_vi / t_mm, t_vi / (t_mm + t_setup)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer POWER samples")
    args = ap.parse_args()
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}, "
          f"BLAS threads {os.environ.get('OPENBLAS_NUM_THREADS')}")
    print("1. orbit vote vs itertools.permutations (9-state MDPs, 9 distinct reward values)")
    grid = load_mdp(ROOT / "mdps/gridworld.toml")
    bench_orbit("(a) 3x3 gridworld, r0c0: A = r0c1 vs B = r1c0, discounted 9/10", grid, "r0c0", ["r0c1"], ["r1c0"],
                list(range(1, 10)), Discounted(Fraction(9, 10)))
    nine = MDP.from_successors({"s": ["a", "b"], "a": ["x1", "x2"], "b": ["y1", "y2", "y3", "y4"],
                                "x1": ["x1"], "x2": ["x2"], "y1": ["y1"], "y2": ["y2"], "y3": ["y3"], "y4": ["y4"]})
    bench_orbit("(b) 2 vs 4 terminals, s: A = a vs B = b, average", nine, "s", ["a"], ["b"], list(range(1, 10)), Average())
    print("2. POWER: batched matmul vs value iteration per reward sample")
    bench_power(500 if args.quick else 2000)


if __name__ == "__main__":
    main()
