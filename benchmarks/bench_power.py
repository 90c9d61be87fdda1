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
   a sup-norm tolerance of 1e-10 and the two estimates are compared. This peer is a straw man
   (one Python loop per sample); section 3 has the fair one.
3. POWER against the fair peer: ``power(..., Auto())`` and ``power(..., BatchedValueIteration())``
   against an independent value iteration written here (:func:`peer_value_iteration`: POWERplay's
   per-sample method with the sup-norm stopping rule, vectorised over blocks of reward samples
   with numpy) on gridworlds from 3x3 to 6x6 and random MDPs up to 30 states, at γ = 0.9. All
   three draw the same reward samples (same seed), so their 95% CI half-widths agree, and each
   per-sample value is within ``tol`` of the exact integrand: equal accuracy. Each side is timed
   on a fresh MDP (no cached visit distributions), the three interleaved with the order rotated
   per repeat, best of ``--repeats``; the load average is printed before and after.

   Then the steps per sample of each stopping rule on the gridworlds (sup-norm, span, policy iteration).

Run: ``.venv/bin/python benchmarks/bench_power.py`` (add ``--quick`` for fewer samples, ``--only-fair`` for
section 3, ``--only-orbits`` for section 1, ``--repeats N`` for the timings per side in section 3).
"""

from __future__ import annotations

import os

# one BLAS thread for both sides: stable timings on a shared machine (set before numpy loads)
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import itertools  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
from fractions import Fraction  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from workbench import EnumerationTooLarge, ResourceTooLarge  # noqa: E402
from workbench.power import (  # noqa: E402
    MDP,
    Average,
    Discounted,
    load_mdp,
    options,
    orbit_vote,
    Auto,
    BatchedValueIteration,
    ExactVisits,
    gridworld,
    power,
    power_by_value_iteration,
    power_vectors,
    random_deterministic,
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


def random_stochastic(n: int, seed: int) -> MDP:
    """``n`` states, two actions each; an action moves to one of two random states with
    probability 1/2 each."""
    rng = np.random.default_rng(seed)
    states = [f"s{i}" for i in range(n)]
    trans = {}
    for s in states:
        acts = {}
        for a in ("a", "b"):
            x, y = (states[int(i)] for i in rng.choice(n, size=2, replace=False))
            acts[a] = {x: Fraction(1, 2), y: Fraction(1, 2)}
        trans[s] = acts
    return MDP(states, trans, name=f"stochastic{n}_{seed}", start="s0")


def fair_set():
    """(label, MDP, state): gridworlds 3x3 to 6x6 (a central cell) and random MDPs to 30 states."""
    out = []
    for w, h in [(3, 3), (4, 3), (4, 4), (5, 4), (5, 5), (6, 6)]:
        out.append((f"gridworld {w}x{h}", gridworld(w, h), f"r{h // 2}c{w // 2}"))
    for n, k, seed in [(10, 3, 0), (20, 3, 1), (30, 3, 1), (30, 3, 2), (30, 4, 0), (30, 5, 0)]:
        out.append((f"random {n}, out-degree <= {k}, seed {seed}", random_deterministic(n, seed=seed, max_out=k), "s0"))
    for n, seed in [(6, 0), (12, 0)]:
        out.append((f"random stochastic {n}, seed {seed}", random_stochastic(n, seed), "s0"))
    return out


def peer_value_iteration(mdp, state, gamma: float, samples: int, seed: int, tol: float, block: int = 4096):
    """The fair peer, independent of the workbench's kernels: value iteration as POWERplay runs it
    per reward sample, ``V <- r + γ max_a T_a V`` from ``V = r`` until ``||V_k - V_{k-1}||_∞ < tol``
    (then every ``(1-γ)/γ (V(s) - r(s))`` is within ``tol`` of its integrand), vectorised over
    blocks of reward samples: a gather on the successor index array per action for deterministic
    MDPs, a dense ``T_a @ V`` per action for stochastic ones. Draws the same rewards as
    ``power(..., seed=seed)`` (iid uniform [0, 1]); returns the per-sample integrands."""
    n = mdp.n_states
    idx = {x: i for i, x in enumerate(mdp.states)}
    acts = [list(mdp.transitions[x].values()) for x in mdp.states]
    k = max(len(a) for a in acts)
    if mdp.is_deterministic:  # succ[j, i]: successor of state i under its j-th action (the last one repeated)
        succ = np.array([[idx[next(iter(a[min(j, len(a) - 1)]))] for a in acts] for j in range(k)])
        moves = [lambda V, out, row=row: np.take(V, row, axis=0, out=out) for row in succ]  # a row gather per action
    else:
        T = np.zeros((k, n, n))
        for i, a in enumerate(acts):
            for j in range(k):
                for x, p in a[min(j, len(a) - 1)].items():
                    T[j, i, idx[x]] = float(p)
        moves = [lambda V, out, Tj=Tj: np.matmul(Tj, V, out=out) for Tj in T]
    s = idx[state]
    R = np.random.default_rng(seed).uniform(0.0, 1.0, size=(samples, n))
    out = np.empty(samples)
    for lo in range(0, samples, block):
        r = np.ascontiguousarray(R[lo:lo + block].T)
        # preallocated buffers, updated in place: twice as fast as fresh arrays per step here
        V, W, Q, D = r.copy(), np.empty_like(r), np.empty_like(r), np.empty_like(r)
        while True:
            moves[0](V, W)
            for move in moves[1:]:
                np.maximum(W, move(V, Q), out=W)
            W *= gamma
            W += r
            np.subtract(W, V, out=D)
            done = np.abs(D, out=D).max() < tol
            V, W = W, V
            if done:
                break
        out[lo:lo + block] = (1 - gamma) / gamma * (V[s] - r[s])
    return out


def bench_fair(samples: int, repeats: int, gamma=Fraction(9, 10), tol: float = 1e-8):
    fresh = lambda m: MDP(m.states, m.transitions, m.name, m.description, m.start, m.source)  # noqa: E731
    load0 = os.getloadavg()
    print(f"  gamma {gamma}, {samples} iid uniform reward samples (seed 0) per estimate, tol {tol:g}; best of {repeats}, "
          f"the three sides interleaved (order rotated per repeat); load {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}")
    print("  Auto = power(..., Auto()); ours = power(..., BatchedValueIteration()); peer = independent numpy value "
          "iteration (sup-norm rule). Half-widths: 95% CI, Auto / ours / peer. |diff|: largest difference of the three "
          "estimates from ExactVisits' on the same samples (from each other where ExactVisits is refused); "
          "bound: the per-sample error bound of each (0 = exact integrands)")
    print("| MDP | states | Auto ran | Auto s | ours s | peer s | peer / Auto | peer / ours | ExactVisits s (once) "
          "| 95% half-widths | abs. diff | bound |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    ratios, ours_ratios = [], []
    gf = float(gamma)
    half_peer = lambda x: 1.959963984540054 * x.std(ddof=1) / np.sqrt(len(x))  # noqa: E731
    for label, m, state in fair_set():
        times = {0: [], 1: [], 2: []}
        for i in range(repeats):
            for side in [(i + j) % 3 for j in range(3)]:  # rotate which side goes first
                if side == 0:
                    a, t = timed(power, fresh(m), state, gamma, Auto(samples=samples, seed=0, tol=tol))
                elif side == 1:
                    v, t = timed(power, fresh(m), state, gamma, BatchedValueIteration(samples=samples, seed=0, tol=tol))
                else:
                    p, t = timed(peer_value_iteration, m, state, gf, samples, 0, tol)
                times[side].append(t)
        try:  # the other choice, once: was Auto's choice the faster one?
            e, t_exact = timed(power, fresh(m), state, gamma, ExactVisits(samples=samples, seed=0))
            exact_time = f"{t_exact:.3f}"
        except (EnumerationTooLarge, ResourceTooLarge) as exc:
            e = None
            exact_time = "refused: " + ("over max_visits" if isinstance(exc, EnumerationTooLarge) else "over a work bound")
        ran = type(a.method).__name__
        if a.n_options is not None:
            ran += f" ({a.n_options} options)" if a.exact is None else " (closed form)"
        estimates = [a.power, v.power, float(p.mean())]
        if e is not None:
            diff = max(abs(x - e.power) for x in estimates)
        else:
            diff = max(abs(x - y) for x in estimates for y in estimates)
        bound = "0 / " if isinstance(a.method, ExactVisits) else f"{tol:g} / "
        t_a, t_v, t_p = (min(times[k]) for k in range(3))
        ratios.append(t_p / t_a)
        ours_ratios.append(t_p / t_v)
        print(f"| {label} | {m.n_states} | {ran} | {t_a:.3f} | {t_v:.3f} | {t_p:.3f} | {t_p / t_a:.2f} | {t_p / t_v:.2f} | "
              f"{exact_time} | {a.error - (0 if isinstance(a.method, ExactVisits) else tol):.2e} / {v.error - tol:.2e} / "
              f"{half_peer(p):.2e} | {diff:.1e} | {bound}{tol:g} / {tol:g} |")
    summary = lambda r: f"min {min(r):.2f}, median {float(np.median(r)):.2f}, max {max(r):.2f}"  # noqa: E731
    load1 = os.getloadavg()
    print(f"  peer / Auto: {summary(ratios)}   peer / ours: {summary(ours_ratios)}   (target: peer / Auto >= 1 on every MDP); "
          f"load at the end {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f}")
    return ratios


def iteration_counts(samples: int, gamma=Fraction(9, 10), tol: float = 1e-8):
    """Iterations per sample to each stopping rule, on the same value-iteration iterates (this
    file's, independent of the workbench): the sup-norm rule ``||Δ||_∞ < tol`` and the span rule
    ``(max Δ - min Δ)/2 <= tol`` per sample (Δ = V_k - V_{k-1}); the peer stops a block at the
    most sup-norm iterations of its samples. Then the most policy-improvement steps of
    ``BatchedValueIteration`` (its ``how``)."""
    gf = float(gamma)
    print(f"  iterations per sample to tol {tol:g} at gamma {gamma}, {samples} reward samples (seed 0): mean / most")
    print("| MDP | sup-norm rule | span rule (MacQueen) | BatchedValueIteration: policy-improvement steps, most |")
    print("|---|---|---|---|")
    for label, m, state in fair_set():
        if not label.startswith("gridworld"):
            continue
        idx = {x: i for i, x in enumerate(m.states)}
        acts = [list(m.transitions[x].values()) for x in m.states]
        k = max(len(a) for a in acts)
        succ = np.array([[idx[next(iter(a[min(j, len(a) - 1)]))] for a in acts] for j in range(k)])
        r = np.random.default_rng(0).uniform(0.0, 1.0, size=(samples, m.n_states)).T.copy()
        sup, span = np.zeros(samples, dtype=int), np.zeros(samples, dtype=int)
        V, it = r, 0
        while not (sup.all() and span.all()):
            W = r + gf * V[succ].max(axis=0)
            it += 1
            D = W - V
            sup[(sup == 0) & (np.abs(D).max(axis=0) < tol)] = it
            span[(span == 0) & ((D.max(axis=0) - D.min(axis=0)) / 2 <= tol)] = it
            V = W
        how = power(m, state, gamma, BatchedValueIteration(samples=samples, seed=0, tol=tol)).how
        steps = re.search(r"at most (\d+) improvement steps", how)
        print(f"| {label} | {sup.mean():.1f} / {sup.max()} | {span.mean():.1f} / {span.max()} | "
              f"{steps.group(1) if steps else how} |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer POWER samples")
    ap.add_argument("--only-fair", action="store_true", help="run section 3 only")
    ap.add_argument("--only-orbits", action="store_true", help="run section 1 only")
    ap.add_argument("--repeats", type=int, default=5, help="timings per side in section 3 (best is kept)")
    args = ap.parse_args()
    if args.repeats < 1:
        ap.error(f"--repeats must be at least 1, got {args.repeats}")
    if args.only_fair:
        print("3. POWER: Auto and BatchedValueIteration vs an independent batched value iteration (the fair peer), equal accuracy")
        bench_fair(5_000 if args.quick else 20_000, args.repeats)
        iteration_counts(5_000 if args.quick else 20_000)
        return
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}, "
          f"BLAS threads {os.environ.get('OPENBLAS_NUM_THREADS')}")
    print("1. orbit vote vs itertools.permutations (9-state MDPs, 9 distinct reward values)")
    from bench_orbits import warm_up  # the compiled search's one-off cost, kept out of the ratios

    t_import, t_int, t_float = warm_up()
    print(f"  compiled search loaded first (import numba {t_import:.3f} s, kernels from numba's cache "
          f"{t_int:.3f} + {t_float:.3f} s; see bench_orbits.py for a cold compile)")
    grid = load_mdp(ROOT / "mdps/gridworld.toml")
    bench_orbit("(a) 3x3 gridworld, r0c0: A = r0c1 vs B = r1c0, discounted 9/10", grid, "r0c0", ["r0c1"], ["r1c0"],
                list(range(1, 10)), Discounted(Fraction(9, 10)))
    nine = MDP.from_successors({"s": ["a", "b"], "a": ["x1", "x2"], "b": ["y1", "y2", "y3", "y4"],
                                "x1": ["x1"], "x2": ["x2"], "y1": ["y1"], "y2": ["y2"], "y3": ["y3"], "y4": ["y4"]})
    bench_orbit("(b) 2 vs 4 terminals, s: A = a vs B = b, average", nine, "s", ["a"], ["b"], list(range(1, 10)), Average())
    if args.only_orbits:
        return
    print("2. POWER: batched matmul vs value iteration per reward sample")
    bench_power(500 if args.quick else 2000)
    print("3. POWER: Auto and BatchedValueIteration vs an independent batched value iteration (the fair peer), equal accuracy")
    bench_fair(5_000 if args.quick else 20_000, args.repeats)
    iteration_counts(5_000 if args.quick else 20_000)


if __name__ == "__main__":
    main()
