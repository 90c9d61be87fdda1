r"""The small-prior mean-field limit of the heterogeneous model, evaluated on sampled points (claim RS7a).

Derivation (:mod:`workbench.rs._analysis.derivations.hetero_mean_field`). Write the transfer sums
with kernels normalised by N, :math:`\sum_j C^k_{ij} r_j = N\,\langle C^k_{i\cdot} r\rangle` with
:math:`\langle f \rangle = \frac1N\sum_j f_j` (row sums :math:`\frac1N\sum_j C^k_{ij}` converge to the
geometry's mean coupling function), and put :math:`P_i = N p_i`. As :math:`p \to 0` at fixed
:math:`P` the model's own field tends to

.. math::
    \dot P_i = \alpha^z_i P_i \,\langle C^z_{i\cdot} P (a - b)\rangle, \quad
    \dot a_i = \alpha^x_i a_i(1-a_i)\,\langle C^x_{i\cdot} P a(1-a)\rangle, \quad
    \dot b_i = \alpha^y_i\, b_i(1-b_i)\,\bigl[b_i(1-b_i) + E_i\bigr],

with :math:`|E_i| \le (N-1)\,\bar c^y_i / 4` (:math:`\bar c^y_i` the mean off-diagonal local-skill
coupling of row ``i``). When :math:`N \bar c^y \ll 1` the local skill learns alone, and the
system contains N and :math:`p_0` only through :math:`P_i(0) = N p_0 e^{\sigma_z \zeta_i}(1 + O(p_0))`,
i.e. through :math:`\lambda = N p_0`. So :math:`N^* = \lambda^*/p_0` (slope -1) in every
geometry; the geometry (its empirical measure) sets :math:`\lambda^*`. The self-transfer
:math:`C_{ii} = 1` is a relative correction :math:`O(1/(N\bar c^z))`.

:func:`mean_field_lambda_star` evaluates :math:`\lambda^*` numerically on ``M`` sampled
environments: each stands for ``N/M`` environments (transfers :math:`(N/M)\,C^z`,
:math:`(N/M)\,C^x`, none for the local skill), integrated with the model's own vector field and
saturation criterion at a small prior, by bisection on :math:`\ln\lambda`.

Examples
--------
>>> from workbench.rs._hetero.geometry import geometry_by_name
>>> from workbench.rs._hetero.model import HeteroConfig
>>> pred = predict_lambda_star(HeteroConfig(), geometry_by_name("gaussian4d"), seed=0, nodes=32)
>>> 0.1 < pred.lambda_star < 10
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from workbench._errors import WorkbenchError
from workbench.rs._hetero.geometry import Geometry
from workbench.rs._hetero.kernels import DenseTransfer, gaussian_kernel_dense
from workbench.rs._hetero.model import Environments, EnvironmentSequence, HeteroConfig, default_solver
from workbench.rs._model.system import RewardSeekingSystem
from workbench.rs._model.transfer import NoTransfer
from workbench.rs._simulate.simulate import REWARD_SEEKING, simulate

#: The prior at which the limit is evaluated by default: P = N p stays finite until p ~ 1, where the
#: finite system cuts the blow-up off (the cut-off moves lambda* like 1/ln N, see RS10/RS6a).
DEFAULT_PRIOR = 1e-3


@dataclass(frozen=True)
class MeanFieldPrediction:
    """:math:`\\lambda^*` of the mean-field limit on ``nodes`` sampled environments.

    Attributes
    ----------
    lambda_star : float or None
        Critical :math:`\\lambda = N p_0` (geometric midpoint of the final bracket); None when no
        :math:`\\lambda` up to ``lambda_max`` is reward-seeking.
    bracket : (float, float) or None
        Local at the lower end, reward-seeking at the upper.
    """

    lambda_star: float | None
    bracket: tuple[float, float] | None
    nodes: int
    p0: float
    evaluations: int

    def to_json(self) -> dict:
        return {"lambda_star": self.lambda_star, "bracket": list(self.bracket) if self.bracket else None,
                "nodes": self.nodes, "p0": self.p0, "evaluations": self.evaluations}


def _outcome(envs: Environments, config: HeteroConfig, kz: np.ndarray, kx: np.ndarray | None, lam: float, p0: float) -> bool:
    m = envs.n
    weight = (lam / p0) / m
    tz = DenseTransfer(weight * kz)
    tx = tz if kx is None else DenseTransfer(weight * kx)
    system = RewardSeekingSystem(initial=envs.initial[None], alpha=envs.alpha[None], transfer=(tz, tx, NoTransfer()),
                                 kappa=config.kappa, cost=config.cost, model=config.model, flow=config.flow)
    res = simulate(system, solver=default_solver(), criterion=config.criterion(), t_max=config.t_max)
    return res.summary(0)["outcome"] == REWARD_SEEKING


def mean_field_lambda_star(envs: Environments, config: HeteroConfig, *, p0: float = DEFAULT_PRIOR,
                           rel_tol: float = 0.01, lambda_min: float = 1e-3, lambda_max: float = 1e3) -> MeanFieldPrediction:
    r""":math:`\lambda^*` of the mean-field limit whose empirical measure is ``envs`` (module docstring).

    ``envs`` must have been drawn at the prior ``p0`` (its initial ``z`` logits); the local skill
    learns alone (the limit :math:`N\bar c^y \to 0`). Bisection on :math:`\ln\lambda` until the
    bracket's ratio is below ``1 + rel_tol``.
    """
    if not (0.0 < p0 < 1.0):
        raise WorkbenchError(f"p0 must lie strictly between 0 and 1, got {p0}")
    if not (rel_tol > 0):
        raise WorkbenchError(f"rel_tol must be positive, got {rel_tol}")
    lz, lx, _ = config.length_scales
    kz = gaussian_kernel_dense(envs.points, lz)
    kx = None if lx == lz else gaussian_kernel_dense(envs.points, lx)
    count = 0

    def wins(lam):
        nonlocal count
        count += 1
        return _outcome(envs, config, kz, kx, lam, p0)

    lo, hi = lambda_min, None
    lam = lambda_min
    if wins(lam):
        return MeanFieldPrediction(None, None, envs.n, p0, count)
    while lam < lambda_max:
        lam = min(lam * 4.0, lambda_max)
        if wins(lam):
            hi = lam
            break
        lo = lam
    if hi is None:
        return MeanFieldPrediction(None, None, envs.n, p0, count)
    while hi / lo > 1 + rel_tol:
        mid = math.sqrt(lo * hi)
        if wins(mid):
            hi = mid
        else:
            lo = mid
    return MeanFieldPrediction(math.sqrt(lo * hi), (lo, hi), envs.n, p0, count)


def predict_lambda_star(config: HeteroConfig, geometry: Geometry, seed: int, *, nodes: int = 256,
                        p0: float = DEFAULT_PRIOR, rel_tol: float = 0.01) -> MeanFieldPrediction:
    r"""Predicted :math:`\lambda^* = \lim N^* p_0` for ``(geometry, seed)``: the mean-field limit on the
    seed's first ``nodes`` environments (the same points, learnabilities and initial logits the
    measured :math:`N^*` uses)."""
    if isinstance(nodes, bool) or int(nodes) != nodes or nodes < 1:
        raise WorkbenchError(f"nodes must be an integer >= 1, got {nodes!r}")
    envs = EnvironmentSequence(geometry, config, seed).take(int(nodes), p0)
    return mean_field_lambda_star(envs, config, p0=p0, rel_tol=rel_tol)


def two_cluster_environments(config: HeteroConfig, nodes: int, separation: float, p0: float) -> Environments:
    r"""``nodes`` identical environments (no noise, learnabilities ``alpha_median``) in two equal clusters
    at distance ``separation`` on a line: the between-cluster coupling is
    :math:`c = e^{-\text{separation}^2/(2 l_z^2)}`, within a cluster 1. The symmetric state is invariant,
    and the mean-field limit is the homogeneous reduced system with :math:`\alpha^k_{\rm eff} = \alpha^k N (1 + c)/2`
    (an exactly solvable check of :func:`mean_field_lambda_star`)."""
    if int(nodes) != nodes or nodes < 2 or nodes % 2:
        raise WorkbenchError(f"two clusters need an even number of nodes >= 2, got {nodes!r}")
    n = int(nodes)
    points = np.where(np.arange(n) % 2 == 0, 0.0, float(separation))[:, None]
    alpha = np.repeat(np.array(config.alpha_median, dtype=float)[:, None], n, axis=1)
    z0 = math.log(p0) - math.log1p(-p0)
    initial = np.repeat(np.array([z0, config.x0, config.y0])[:, None], n, axis=1)
    return Environments(points, alpha, initial)


def collapse_measure(rows) -> dict:
    r"""How well :math:`N^* p_0` collapses: per geometry, the spread (in decades) over priors of the
    seed median of :math:`\log_{10}(N^* p_0)`, against the range of :math:`\log_{10} p_0`.

    ``rows``: dicts with ``geometry``, ``p0`` and ``n_star`` (None = censored; skipped).
    ``collapse = 1 - spread / range``: 1 when :math:`N^* p_0` does not depend on :math:`p_0`
    (slope -1), 0 when :math:`N^*` does not depend on it.

    >>> collapse_measure([{"geometry": "g", "p0": 0.1, "n_star": 10}, {"geometry": "g", "p0": 0.01, "n_star": 100}])["worst"]
    1.0
    """
    out = {}
    for g in dict.fromkeys(r["geometry"] for r in rows):
        by_p = {}
        for r in rows:
            if r["geometry"] == g and r["n_star"] is not None:
                by_p.setdefault(r["p0"], []).append(math.log10(r["n_star"] * r["p0"]))
        if len(by_p) < 2:
            continue
        med = {p: float(np.median(v)) for p, v in by_p.items()}
        span = math.log10(max(med) / min(med))
        spread = max(med.values()) - min(med.values())
        out[g] = {"median_log10_lambda": {repr(p): v for p, v in sorted(med.items())}, "spread_decades": spread,
                  "prior_range_decades": span, "collapse": 1.0 - spread / span}
    return {"per_geometry": out, "worst": min((v["collapse"] for v in out.values()), default=None)}
