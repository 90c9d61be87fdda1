"""Heterogeneous coupling (spec §6, RS7): geometries, calibration, kernels, oracle, integrators, N*."""

import math

import numpy as np
import pytest

from workbench._errors import WorkbenchError
from workbench.rs import HomogeneousConfig, reduced_system, simulate
from workbench.rs._hetero.geometry import (
    Geometry, calibrate, geometry_by_name, mean_offdiagonal_coupling, register_geometry, squared_distances,
)
from workbench.rs._hetero.model import (
    BLOCK, EnvironmentSequence, Environments, HeteroConfig, critical_diversity_hetero, default_solver,
    hetero_system, log_grid, simulate_hetero,
)
from workbench.rs._hetero.kernels import Dense32, Dense64, SparseCutoff, backend_by_name, gaussian_kernel_dense
from workbench.rs._simulate.simulate import REWARD_SEEKING, Saturation
from workbench.rs._simulate.solvers import DormandPrince, Euler

GEOMETRIES = ("gaussian4d", "longtail4d", "gaussian100d")


# ----------------------------------------------------------------- geometry and calibration

@pytest.mark.parametrize("name", GEOMETRIES)
def test_calibration_hits_target_and_is_deterministic(name):
    g = geometry_by_name(name)
    cal = calibrate(g)
    assert cal.achieved == pytest.approx(0.1, abs=1e-12)
    assert cal.scale > 0 and cal.n_ref == 100
    # Recompute independently from the same fixed-seed points.
    rng = np.random.default_rng(np.random.SeedSequence(cal.seed, spawn_key=(7,)))
    d2 = squared_distances(g.raw_points(rng, 100))
    assert mean_offdiagonal_coupling(d2, cal.scale) == pytest.approx(0.1, abs=1e-12)
    assert mean_offdiagonal_coupling(d2, 1.01 * cal.scale) < 0.1 < mean_offdiagonal_coupling(d2, 0.99 * cal.scale)
    assert calibrate(g, target=0.2).scale < cal.scale  # larger coupling needs closer points


def test_calibration_rejects_bad_input():
    g = geometry_by_name("gaussian4d")
    for kw in ({"target": 0.0}, {"target": 1.0}, {"n_ref": 1}, {"length_scale": -1.0}):
        with pytest.raises(WorkbenchError):
            calibrate(g, **kw)
    with pytest.raises(WorkbenchError, match="unknown geometry"):
        geometry_by_name("torus7d")


def uniform_cube(rng, n, dim):
    return rng.uniform(-1.0, 1.0, size=(n, dim))


def test_adding_a_geometry():
    g = register_geometry(Geometry("testcube3d", 3, uniform_cube, "U[-1,1]^3"), replace=True)
    cal = calibrate(g)
    assert cal.achieved == pytest.approx(0.1, abs=1e-12)
    run = simulate_hetero(HeteroConfig(), g, 12, 0.3, 0)
    assert run.geometry == "testcube3d" and run.calibrated_scale == cal.scale
    with pytest.raises(WorkbenchError):
        Geometry("bad name", 3, uniform_cube)
    with pytest.raises(WorkbenchError):
        Geometry("zero", 0, uniform_cube)


# ----------------------------------------------------------------- nesting

def test_environment_sequence_is_nested_and_seeded():
    cfg = HeteroConfig()
    g = geometry_by_name("longtail4d")
    big = EnvironmentSequence(g, cfg, seed=5).take(BLOCK + 37, p0=0.1)
    small = EnvironmentSequence(g, cfg, seed=5).take(20, p0=0.1)  # fresh sequence, fewer blocks drawn
    assert np.array_equal(small.points, big.points[:20])
    assert np.array_equal(small.alpha, big.alpha[:, :20]) and np.array_equal(small.initial, big.initial[:, :20])
    other_prior = EnvironmentSequence(g, cfg, seed=5).take(20, p0=0.01)
    assert np.array_equal(other_prior.points, small.points) and np.array_equal(other_prior.initial[1:], small.initial[1:])
    assert np.allclose(small.initial[0] - other_prior.initial[0], math.log(0.1 / 0.9) - math.log(0.01 / 0.99))
    assert not np.array_equal(EnvironmentSequence(g, cfg, seed=6).take(20, 0.1).points, small.points)


def test_sample_statistics_match_spec():
    cfg = HeteroConfig()
    e = EnvironmentSequence(geometry_by_name("gaussian4d"), cfg, seed=0).take(4000, p0=0.2)
    assert np.log(e.alpha).mean(axis=1) == pytest.approx([0, 0, 0], abs=0.05)
    assert np.log(e.alpha).std(axis=1) == pytest.approx([0.5] * 3, abs=0.03)
    assert e.initial.mean(axis=1) == pytest.approx([math.log(0.25), 0.0, -2.0], abs=0.05)
    assert e.initial.std(axis=1) == pytest.approx([0.5] * 3, abs=0.03)


# ----------------------------------------------------------------- kernels

def test_kernel_backends_agree_and_report():
    pts = EnvironmentSequence(geometry_by_name("gaussian4d"), HeteroConfig(), 1).take(400, 0.1).points
    ls = (1.0, 1.0, 0.25)
    d64, d32, sp = Dense64().build(pts, ls), Dense32().build(pts, ls), SparseCutoff(cutoff=1e-6).build(pts, ls)
    assert d64.transfers[0] is d64.transfers[1]  # l_z = l_x: built once, shared
    r = np.random.default_rng(0).uniform(-0.25, 0.25, (1, 400))
    for k in range(3):
        ref = d64.transfers[k].apply(r)
        assert np.allclose(d32.transfers[k].apply(r), ref, rtol=0, atol=1e-6 * np.abs(ref).max() + 1e-7)
        C = gaussian_kernel_dense(pts, ls[k])
        assert np.allclose(C, C.T) and np.all(np.diag(C) == 1.0)
    y_info = [m for m in sp.report["matrices"] if m["length_scale"] == 0.25][0]
    assert y_info["storage"] == "csr" and y_info["density"] < 0.25 and y_info["truncation_error_exact"]
    # The reported truncation error is the exact inf-norm of the dropped part.
    C_y = gaussian_kernel_dense(pts, 0.25)
    dropped = np.abs(C_y - sp.transfers[2].matrix.toarray()).sum(axis=1).max()
    assert dropped == pytest.approx(y_info["truncation_error"], rel=1e-9, abs=1e-15)
    assert np.abs(sp.transfers[2].apply(r) - d64.transfers[2].apply(r)).max() <= y_info["truncation_error"] * np.abs(r).max() + 1e-15
    assert sp.report["bytes_per_evaluation"] < d64.report["bytes_per_evaluation"]
    assert d32.report["bytes_per_evaluation"] * 2 == d64.report["bytes_per_evaluation"]


def test_packed_symmetric_tiles_match_the_full_matrix():
    """Packed storage (upper tiles only) gives the full product to rounding, in half the bytes."""
    pts = EnvironmentSequence(geometry_by_name("gaussian4d"), HeteroConfig(), 2).take(203, 0.1).points
    ls = (1.0, 1.0, 0.25)
    full, packed = Dense64().build(pts, ls), Dense64(packed_from=0, block=32).build(pts, ls)
    r = np.random.default_rng(1).uniform(-0.25, 0.25, (3, 203))  # several rows share one pass
    for k in range(3):
        ref = r @ gaussian_kernel_dense(pts, ls[k])
        assert np.allclose(packed.transfers[k].apply(r), ref, rtol=1e-13, atol=1e-13)
        assert np.allclose(full.transfers[k].apply(r), ref, rtol=1e-13, atol=1e-13)
    sizes = [32] * 6 + [11]  # 203 = 6 x 32 + 11
    upper = sum(a * b for i, a in enumerate(sizes) for b in sizes[i:])
    assert packed.report["bytes_per_evaluation"] == 2 * upper * 8  # two distinct matrices
    assert upper < 0.6 * 203 * 203
    assert packed.report["matrices"][0]["storage"].startswith("packed")
    # memory at N = 10^4: the packed estimate is about half the full one
    assert Dense64().memory_estimate(10_000, ls) < 0.55 * Dense64(packed_from=10**9).memory_estimate(10_000, ls)
    with pytest.raises(WorkbenchError, match="blas_threads"):
        Dense64(blas_threads=0)


def test_shared_matrix_is_applied_in_one_pass():
    """l_z = l_x share one matrix: the vector field applies it once to both variables' rates,
    and the result equals applying it to each separately; bytes per evaluation count it once."""
    envs = EnvironmentSequence(geometry_by_name("gaussian4d"), HeteroConfig(), 0).take(120, 0.05)
    system, kernels = hetero_system(envs, HeteroConfig(), Dense64())
    field = system.vector_field()
    calls = []
    shared = kernels.transfers[0]
    original = shared.apply
    shared.apply = lambda rates: calls.append(rates.shape) or original(rates)
    try:
        out = field(system.initial)
    finally:
        del shared.apply
    assert calls == [(2, 120)]
    rates = field.compiled.rates(*(system.initial[:, k] for k in range(3)), field.kappa, field.cost)
    for k in range(3):
        assert np.allclose(out[:, k], field.alpha[:, k] * kernels.transfers[k].apply(rates[k]), rtol=1e-14, atol=1e-300)
    assert kernels.bytes_per_evaluation == 2 * 120 * 120 * 8  # two distinct matrices, each streamed once


def test_kernel_backend_errors():
    with pytest.raises(WorkbenchError):
        backend_by_name("cuda")
    with pytest.raises(WorkbenchError, match="only to --kernel sparse"):
        backend_by_name("dense", cutoff=1e-3)
    with pytest.raises(WorkbenchError):
        SparseCutoff(cutoff=2.0)
    with pytest.raises(WorkbenchError):
        Dense64().build(np.zeros((3, 2)), (1.0, 0.0, 1.0))
    with pytest.raises(WorkbenchError, match="float32"):
        simulate_hetero(HeteroConfig(), geometry_by_name("gaussian4d"), 5, 0.1, 0, backend=Dense32(),
                        solver=DormandPrince(rtol=1e-8))


# ----------------------------------------------------------------- oracle

@pytest.mark.parametrize("backend, rel", [(Dense64(), 1e-9), (SparseCutoff(), 1e-9), (Dense32(), 1e-3)])
def test_constant_kernel_reproduces_homogeneous_reduced_system(backend, rel):
    """Oracle: the N points a*e_i of a regular simplex are pairwise equidistant (|u_i-u_j|^2 = 2a^2),
    so the Gaussian kernel is exactly constant off the diagonal, c_k = exp(-a^2/l_k^2). With identical
    learnabilities and initial logits the heterogeneous pipeline must reproduce the reduced system of
    spec §5 with alpha_eff = alpha (1 + (N-1) c_k): to 1e-9 in float64; float32 (rounding ~1e-7 per
    product, integrated at its rtol floor 1e-5) to 1e-3 relative in T_sat, which is sensitive because
    mean J approaches 1 - eps slowly."""
    n, p0 = 60, 0.05
    cfg = HeteroConfig()
    a = math.sqrt(math.log(10.0))  # c_z = c_x = 0.1 at l = 1; c_y = 0.1**16 at l_y = 0.25
    c = tuple(math.exp(-a * a / l**2) for l in cfg.length_scales)
    z0 = math.log(p0 / (1 - p0))
    envs = Environments(points=a * np.eye(n), alpha=np.ones((3, n)), initial=np.tile([[z0], [0.0], [-2.0]], (1, n)))
    system, kernels = hetero_system(envs, cfg, backend)
    solver = DormandPrince(rtol=1e-8 if backend.dtype == np.float64 else 1e-5, atol=1e-10 if backend.dtype == np.float64 else 1e-9)
    full = simulate(system, solver=solver, criterion=Saturation())
    red = simulate(reduced_system(HomogeneousConfig(p0=p0, c=c, n=n)), solver=solver, criterion=Saturation())
    assert full.outcome[0] == red.outcome[0] == REWARD_SEEKING
    assert full.mean_p[0] == pytest.approx(red.mean_p[0], rel=rel)
    assert full.t_sat[0] == pytest.approx(red.t_sat[0], rel=rel)
    assert np.ptp(full.state[0], axis=1).max() < 1e-9 if backend.dtype == np.float64 else True  # stays symmetric
    assert kernels.report["max_truncation_error"] <= (n - 1) * 0.1**16 * 1.0001


# ----------------------------------------------------------------- integrators

@pytest.mark.parametrize("geometry, n, p0, order_check", [("gaussian4d", 40, 0.1, True), ("longtail4d", 30, 0.01, False)])
def test_euler_and_adaptive_agree(geometry, n, p0, order_check):
    """Euler (dt = 0.05, the seed's fixed-step method) and Dormand–Prince (rtol 1e-6) agree on the
    outcome, on mean p(T_sat) within 1e-3 and on T_sat within 1e-3 relative; Euler's error is
    first order (halving dt halves it, within 20%)."""
    g, cfg = geometry_by_name(geometry), HeteroConfig()
    ref = simulate_hetero(cfg, g, n, p0, 0, solver=DormandPrince(rtol=1e-10, atol=1e-12))
    adaptive = simulate_hetero(cfg, g, n, p0, 0, solver=default_solver(None, "adaptive"))
    e2 = simulate_hetero(cfg, g, n, p0, 0, solver=Euler(0.05))
    e1 = simulate_hetero(cfg, g, n, p0, 0, solver=Euler(0.1)) if order_check else e2
    for run in (adaptive, e1, e2):
        assert run.outcome == ref.outcome and run.reason == "saturated"
    assert abs(e2.mean_p - adaptive.mean_p) < 1e-3 and abs(e2.t_sat / adaptive.t_sat - 1) < 1e-3
    assert abs(adaptive.mean_p - ref.mean_p) < 1e-6
    if order_check:
        err1, err2 = abs(e1.mean_p - ref.mean_p), abs(e2.mean_p - ref.mean_p)
        assert err2 == pytest.approx(err1 / 2, rel=0.2)
    assert e2.euler_stability < 1.0


# ----------------------------------------------------------------- N*

def test_log_grid():
    assert log_grid(10) == [1, 2, 4, 8, 10]
    assert log_grid(8) == [1, 2, 4, 8]
    assert log_grid(100, 3.0) == [1, 3, 9, 27, 81, 100]
    with pytest.raises(WorkbenchError):
        log_grid(0)


def test_critical_diversity_bracket_is_consistent():
    cfg, g = HeteroConfig(), geometry_by_name("gaussian4d")
    r = critical_diversity_hetero(cfg, g, 0.1, seed=2, n_max=256, rel_tol=0.0)
    lo, hi = r.bracket
    assert hi == r.n_star and hi - lo == 1  # rel_tol 0: integer resolution
    assert simulate_hetero(cfg, g, hi, 0.1, 2).outcome == REWARD_SEEKING
    assert simulate_hetero(cfg, g, lo, 0.1, 2).outcome != REWARD_SEEKING
    grid = [e for e in r.evaluations if e["phase"] == "grid"]
    assert [e["n"] for e in grid] == log_grid(256)[: len(grid)]
    again = critical_diversity_hetero(cfg, g, 0.1, seed=2, n_max=256, rel_tol=0.0)
    assert again.to_json() == r.to_json()  # deterministic
    censored = critical_diversity_hetero(cfg, g, 0.01, seed=2, n_max=8)
    assert censored.n_star is None and censored.bracket is None and censored.to_json()["censored"]
    with pytest.raises(WorkbenchError):
        critical_diversity_hetero(cfg, g, 1.5, seed=2, n_max=8)
    with pytest.raises(WorkbenchError):
        simulate_hetero(cfg, g, 0, 0.1, 0)
    with pytest.raises(WorkbenchError):
        simulate_hetero(cfg, g, 5, 0.1, -1)


def test_hetero_config_validation():
    for kw in ({"length_scales": (1, 1, 0)}, {"target_coupling": 1.0}, {"alpha_sigma": -1}, {"eps": 0},
               {"init_sd": (1, 1)}, {"t_max": float("inf")}, {"kappa": -0.5}, {"n_ref": 1}):
        with pytest.raises(WorkbenchError):
            HeteroConfig(**kw)
