"""The heterogeneous small-prior mean-field limit (claim RS7a): predictor, collapse measure, proof, figure."""

import math

import pytest

from workbench.rs._hetero.mean_field import collapse_measure, mean_field_lambda_star, two_cluster_environments
from workbench.rs._hetero.model import HeteroConfig


def test_two_cluster_mean_field_matches_exact_homogeneous_reduction():
    # two identical clusters reduce to the homogeneous system with alpha_eff = alpha N (1 + c) / 2,
    # so lambda* = p0 * 2 (1 + (N*_hom - 1) c_h) / (1 + c) with N*_hom the homogeneous critical diversity
    from workbench.rs._homogeneous.config import HomogeneousConfig
    from workbench.rs._homogeneous.critical import critical_diversity
    from workbench.rs import LogGrid

    cfg = HeteroConfig(length_scales=(1.0, 1.0, 0.05))
    p0, c_h, c = 1e-3, 0.2, 0.5
    hom = critical_diversity(HomogeneousConfig(p0=p0, c=(c_h, c_h, 0.0)), n_max=1e7, scan=LogGrid(36))[0]
    envs = two_cluster_environments(cfg, 4, math.sqrt(-2.0 * math.log(c)), p0)
    got = mean_field_lambda_star(envs, cfg, p0=p0, rel_tol=1e-3).lambda_star
    exact = p0 * 2.0 * (1.0 + (hom.n_star_continuous - 1.0) * c_h) / (1.0 + c)
    assert got == pytest.approx(exact, rel=2e-3)


def test_two_cluster_environments_refuses_odd_nodes():
    from workbench._errors import WorkbenchError

    with pytest.raises(WorkbenchError, match="even number"):
        two_cluster_environments(HeteroConfig(), 3, 1.0, 1e-3)


def test_collapse_measure_on_synthetic_rows():
    flat = [{"geometry": "g", "p0": p, "n_star": round(0.5 / p)} for p in (1e-2, 1e-3)]
    fixed = [{"geometry": "h", "p0": p, "n_star": 40} for p in (1e-2, 1e-3)]
    censored = [{"geometry": "h", "p0": 1e-4, "n_star": None}]
    m = collapse_measure(flat + fixed + censored)
    assert m["per_geometry"]["g"]["collapse"] == pytest.approx(1.0)
    assert m["per_geometry"]["h"]["collapse"] == pytest.approx(0.0)
    assert m["per_geometry"]["h"]["prior_range_decades"] == pytest.approx(1.0)
    assert m["worst"] == pytest.approx(0.0)


def test_collapse_measure_needs_two_priors():
    assert collapse_measure([{"geometry": "g", "p0": 0.1, "n_star": 10}]) == {"per_geometry": {}, "worst": None}


def test_hetero_mean_field_derivation_passes():
    from workbench.rs import run_derivation

    assert run_derivation("hetero_mean_field") == 0


def test_plot_collapse_draws_on_given_ax():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from workbench.rs._plotting.collapse import plot_collapse

    fig, ax = plt.subplots()
    rows = [{"geometry": "g", "p0": p, "n_star": n} for p, n in ((1e-2, 30), (1e-3, 290), (1e-3, None))]
    out = plot_collapse(rows, {"g": 0.3}, ax=ax)
    assert out is ax
    assert len(ax.lines) == 2  # the medians and the prediction line
    assert ax.get_yscale() == "log"
    plt.close(fig)


def test_perron_bracket_same_points_orders_mean_row_sum_perron_and_max_row_sum():
    # RS7a: on the same points, mean row sum (1 + (N-1) cbar)/N <= Perron eigenvalue of C/N <= max row sum
    import numpy as np

    from workbench.claims.rs.analysis import perron_bracket
    from workbench.rs._hetero.kernels import gaussian_kernel_dense

    rng = np.random.default_rng(0)
    for dim in (1, 4, 100):
        q = perron_bracket(gaussian_kernel_dense(rng.normal(size=(60, dim)) * (0.3 if dim == 100 else 1.0), 1.0))
        assert q["ordered"] and q["mean_row_sum"] == pytest.approx((1 + 59 * q["cbar_offdiagonal"]) / 60, rel=1e-12)
    const = perron_bracket(np.full((5, 5), 0.25) + 0.75 * np.eye(5))  # constant off-diagonal: all three coincide
    assert const["perron"] == pytest.approx(const["mean_row_sum"], abs=1e-14) == pytest.approx(0.4, abs=1e-14)
