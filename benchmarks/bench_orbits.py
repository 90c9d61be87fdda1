"""Orbit votes: the exact branch-and-bound count against two peers, all ratios in one run.

Peers, on the same option vectors:

* *loop*: a plain ``itertools.permutations`` loop, float dot products per permutation;
* *vectorised*: every permutation as one numpy array, one float matrix product per chunk
  (the fair peer: what a careful numpy user would write; floats, so not exact).

Cases:

(a) the 10! case: ``gridworld(5, 2)``, r0c0, A = r0c1 vs B = r1c0, average reward, values 0..9;
(b) the 3x3 gridworld ``mdps/gridworld.toml``, r0c0, A = r0c1 vs B = r1c0, discounted 9/10,
    values 1..9 (every state relevant, no closed form);
(c) a random 10-state deterministic MDP (seed 3), discounted 1/2, 10 distinct values (no
    reduction applies: every state relevant, no closed form).

"engine" is ``orbit_vote`` end to end (visit distributions, exact set-up and count, on a fresh
MDP); "count" is ``orbit_vote_sets`` on the precomputed option vectors (the counting alone); both
the median of 3 runs, after the compiled search was loaded. The peers are timed once, on the
precomputed float vectors (their set-up is not counted).

The compiled search (numba) costs extra on its first call in a process: importing numba and
loading the compiled code from numba's cache, or compiling it when the cache is cold. Both are
reported first: the warm-cache load in this process, and a cold compile in a subprocess with an
empty ``NUMBA_CACHE_DIR``.

Run: ``.venv/bin/python benchmarks/bench_orbits.py`` (``--skip-loop`` times the loop on 20,000
permutations and scales it).
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import itertools  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from fractions import Fraction  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from workbench.power import (  # noqa: E402
    MDP,
    Average,
    Discounted,
    gridworld,
    load_mdp,
    options,
    orbit_vote,
    orbit_vote_sets,
    random_deterministic,
)

ROOT = Path(__file__).resolve().parents[1]


def loop_peer(WA, WB, reward, cap=None):
    out = [0, 0, 0]
    for i, p in enumerate(itertools.permutations(reward)):
        if cap is not None and i == cap:
            break
        r = np.array(p, dtype=float)
        va, vb = (WA @ r).max(), (WB @ r).max()
        out[0 if va > vb + 1e-9 else 1 if vb > va + 1e-9 else 2] += 1
    return tuple(out)


def vectorised_peer(WA, WB, reward, chunk=200_000):
    out = np.zeros(3, dtype=np.int64)
    r = np.array(reward, dtype=float)
    it = itertools.permutations(range(len(reward)))
    while True:
        block = np.array(list(itertools.islice(it, chunk)), dtype=np.intp)
        if not len(block):
            break
        R = r[block]
        d = (R @ WA.T).max(axis=1) - (R @ WB.T).max(axis=1)
        out += [(d > 1e-9).sum(), (d < -1e-9).sum(), (abs(d) <= 1e-9).sum()]
    return tuple(int(x) for x in out)


def timed(fn, *args, **kwargs):
    t = time.perf_counter()
    res = fn(*args, **kwargs)
    return res, time.perf_counter() - t


def median_of_3(fn, *args):
    runs = [timed(fn, *args) for _ in range(3)]
    return runs[0][0], statistics.median(t for _, t in runs)


def warm_up():
    """Seconds to import numba and for the first int64 and float64 votes of the compiled search
    (loading the compiled code from numba's cache, or compiling it): two votes on 9! = 362,880
    arrangements (above the 200,000 from which the compiled search may run) between 4 and 4
    random options, which the vectorised search's first few milliseconds do not decide, the
    second with weights past 2**62."""
    rng = np.random.default_rng(0)
    a, b = ([tuple(int(x) for x in rng.integers(0, 100, 9)) for _ in range(4)] for _ in range(2))
    t0 = time.perf_counter()
    import numba  # noqa: F401

    t1 = time.perf_counter()
    orbit_vote_sets([[v] for v in a], [[v] for v in b], list(range(9)))
    t2 = time.perf_counter()
    orbit_vote_sets([[tuple(x * 2**70 for x in v)] for v in a], [[tuple(x * 2**70 for x in v)] for v in b], list(range(9)))
    return t1 - t0, t2 - t1, time.perf_counter() - t2


def compile_costs():
    """:func:`warm_up` in this process (numba's cache as found) and in a subprocess with an
    empty cache (a cold compile)."""
    warm = warm_up()
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        out = subprocess.run([sys.executable, __file__, "--warm-up-only"], capture_output=True, text=True, env=env,
                             check=True)
    return warm, [float(x) for x in out.stdout.split()]


def case(name, mdp, state, a, b, reward, criterion, skip_loop):
    fresh = lambda: MDP(mdp.states, mdp.transitions, mdp.name, mdp.description, mdp.start, mdp.source)  # noqa: E731
    vote, t_engine = median_of_3(lambda: orbit_vote(fresh(), state, a, b, reward, criterion))
    A, B = options(mdp, state, a), options(mdp, state, b)
    lv = criterion.levels(list(A) + list(B))
    optsA = [[lv[l][i] for l in range(len(lv))] for i in range(len(A))]
    optsB = [[lv[l][len(A) + i] for l in range(len(lv))] for i in range(len(B))]
    counted, t_count = median_of_3(orbit_vote_sets, optsA, optsB, reward)
    WA = np.array([[float(c) for c in v] for v in lv[0][: len(A)]])
    WB = np.array([[float(c) for c in v] for v in lv[0][len(A):]])
    vec, t_vec = timed(vectorised_peer, WA, WB, reward)
    if skip_loop:
        cap = 20_000
        _, t_part = timed(loop_peer, WA, WB, reward, cap)
        t_loop, loop = t_part * vote.orbit_size / cap, None
    else:
        loop, t_loop = timed(loop_peer, WA, WB, reward)
    exact = (vote.a_strict, vote.b_strict, vote.tie)
    agree = exact == (counted.a_strict, counted.b_strict, counted.tie) == vec and loop in (None, exact)
    print(f"  {name}: {len(A)} + {len(B)} options, orbit {vote.orbit_size:,}; {vote.reduction}")
    print(f"    engine end to end {t_engine:.3f} s, count alone {t_count:.4f} s;  vectorised peer {t_vec:.3f} s;  "
          f"itertools loop {t_loop:.2f} s{' (scaled from 20,000)' if skip_loop else ''}")
    print(f"    ratios: loop/engine {t_loop / t_engine:,.0f}x, loop/count {t_loop / t_count:,.0f}x, "
          f"vectorised/engine {t_vec / t_engine:,.1f}x, vectorised/count {t_vec / t_count:,.1f}x;  counts agree: {agree} {exact}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-loop", action="store_true", help="time the loop on 20,000 permutations and scale")
    ap.add_argument("--warm-up-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.warm_up_only:
        print(*(f"{t:.3f}" for t in warm_up()))
        return
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}, "
          f"BLAS threads {os.environ.get('OPENBLAS_NUM_THREADS')}")
    warm, cold = compile_costs()  # first: the in-process import of numba is part of it
    import numba
    print(f"compiled search (numba {numba.__version__}), first call in a process: import {warm[0]:.3f} s, "
          f"first int64 + float64 calls (numba's cache as found) {warm[1]:.3f} + {warm[2]:.3f} s;  with a cold cache (subprocess): "
          f"import {cold[0]:.3f} s, compile {cold[1]:.3f} + {cold[2]:.3f} s.  Not in the times below (steady state).")
    case("(a) gridworld(5, 2), average", gridworld(5, 2), "r0c0", ["r0c1"], ["r1c0"], list(range(10)), Average(),
         args.skip_loop)
    case("(b) 3x3 gridworld, discounted 9/10", load_mdp(ROOT / "mdps/gridworld.toml"), "r0c0", ["r0c1"], ["r1c0"],
         list(range(1, 10)), Discounted(Fraction(9, 10)), args.skip_loop)
    m = random_deterministic(10, seed=3, max_out=3)
    acts = m.actions("s0")
    case("(c) random 10-state MDP (seed 3), discounted 1/2", m, "s0", [acts[0]], list(acts[1:]), list(range(10)),
         Discounted(Fraction(1, 2)), args.skip_loop)


if __name__ == "__main__":
    main()
