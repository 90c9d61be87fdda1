import numpy as np
import pytest

from workbench import WorkbenchError
from workbench.rs import DormandPrince, HomogeneousConfig, Horizon, alpha_eff, full_system, reduced_system, simulate


def test_alpha_eff_known_answers():
    assert alpha_eff(1.0, 0.1, 11) == pytest.approx(2.0)
    assert alpha_eff(2.0, 0.0, 1000) == pytest.approx(2.0)
    assert alpha_eff(0.5, 1.0, 8) == pytest.approx(4.0)
    np.testing.assert_allclose(HomogeneousConfig(c=(0.1, 0.2, 0.0), n=6).alpha_eff(), [1.5, 2.0, 1.0])


@pytest.mark.parametrize("n,dense", [(2, False), (7, False), (50, False), (50, True)])
def test_full_system_equals_reduced(n, dense):
    cfg = HomogeneousConfig(p0=0.05, x0=0.5, y0=-1.0, alpha=(1.0, 2.0, 0.5), c=(0.3, 0.2, 0.1), n=float(n))
    times = np.concatenate([[0.0], np.logspace(-2, 3, 20)])
    solver = DormandPrince(rtol=1e-10, atol=1e-12)
    r = simulate(reduced_system(cfg), solver=solver, criterion=Horizon(), t_max=times[-1], record_times=times).recorded[0]
    f = simulate(full_system(cfg, dense=dense), solver=solver, criterion=Horizon(), t_max=times[-1], record_times=times).recorded[0]
    assert f.shape == (times.size, 3, n)
    np.testing.assert_allclose(f, np.broadcast_to(r, f.shape), atol=1e-9, rtol=0)


@pytest.mark.parametrize("kwargs", [dict(p0=0), dict(p0=1), dict(alpha=(1, -1, 1)), dict(alpha=(1, 1)), dict(c=(0.1, 1.2, 0)),
                                    dict(n=0), dict(kappa=-1), dict(x0=float("nan"))])
def test_config_validation(kwargs):
    with pytest.raises(WorkbenchError):
        HomogeneousConfig(**kwargs)


def test_full_system_needs_integer_n():
    with pytest.raises(WorkbenchError):
        full_system(HomogeneousConfig(n=2.5))
