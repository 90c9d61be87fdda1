r"""Heterogeneous environments (spec ``reward_seeking.md`` §6, claim RS7): sample, build, simulate, find N*.

Model (spec §6). Environment ``i`` of a geometry (:mod:`workbench.rs._hetero.geometry`) has a point
:math:`u_i = s\,\xi_i` (``s`` the calibrated scale), learnabilities
:math:`\alpha^k_i = m_k \exp(\sigma_\alpha \eta^k_i)` (``LogNormal(log m_k, sigma_alpha^2)``,
default ``m_k = 1``, :math:`\sigma_\alpha = 0.5`) and initial logits

.. math:: z_i(0) = \operatorname{logit}(p_0) + \sigma_z \zeta^z_i,\quad
          x_i(0) = x_0 + \sigma_x \zeta^x_i,\quad y_i(0) = y_0 + \sigma_y \zeta^y_i

with standard normal :math:`\eta, \zeta` (defaults ``x0 = 0``, ``y0 = -2``, all ``sigma = 0.5``).
The dynamics are those of spec §2 with :math:`C^k_{ij} = \exp(-|u_i-u_j|^2/(2 l_k^2))`.

Nesting (spec §6). For one seed the environments form one fixed sequence, drawn in blocks of
:data:`BLOCK` environments: the points of block ``b`` from
``SeedSequence(seed, spawn_key=(1, crc32(geometry name), b))``, the six standard normals per
environment (three for the learnabilities, three for the initial logits) from
``SeedSequence(seed, spawn_key=(2, b))``. The system of size N uses the first N. Growing N only adds environments, so ``N*`` of a seed is
well defined. The noises :math:`\eta, \zeta` do not depend on the geometry or the prior
(common random numbers): for one seed, the priors differ only by the shift of ``z(0)``.

Outcome (spec §3): the saturation criterion on the mean over environments; reported with
``T_sat``, the mean ``p(T_sat)`` and the fraction of environments with ``p_i > threshold``.

Examples
--------
>>> from workbench.rs._hetero.geometry import geometry_by_name
>>> run = simulate_hetero(HeteroConfig(), geometry_by_name("gaussian4d"), n=20, p0=0.3, seed=0)
>>> run.outcome in ("reward-seeking", "local", "undecided")
True
"""

from __future__ import annotations

import math
import time
import zlib
from dataclasses import dataclass, field, replace

import numpy as np

from workbench._errors import WorkbenchError
from workbench.rs._hetero.geometry import CALIBRATION_SEED, Calibration, Geometry, calibrate
from workbench.rs._hetero.kernels import FLOAT32_RTOL_FLOOR, BuiltKernels, Dense64, KernelBackend
from workbench.rs._model.reward_model import Flow, GradientFlow, RewardModel
from workbench.rs._simulate.simulate import REWARD_SEEKING, UNDECIDED, Saturation, simulate
from workbench.rs._simulate.solvers import DormandPrince, Euler, Solver
from workbench.rs._model.system import RewardSeekingSystem, check_memory, state_bytes

#: Environments per block of the nested random sequence (changing it changes every sample).
BLOCK = 256
_POINTS_TAG, _NOISE_TAG = 1, 2

#: Default kernel length scales ``(l_z, l_x, l_y)``. ``l_y = 0.05`` (the spec says 0.25) reproduces the
#: seed's figure: see :class:`HeteroConfig`.
DEFAULT_LENGTH_SCALES = (1.0, 1.0, 0.05)
#: The spec's length scales (``l_y = 0.25``), kept as the named variant :meth:`HeteroConfig.spec_local_skill`:
#: both 4d geometries are censored at ``p0 = 1e-3`` (no N* up to 8192), the cutoff law of RS6c/RS7b.
SPEC_LENGTH_SCALES = (1.0, 1.0, 0.25)


@dataclass(frozen=True)
class HeteroConfig:
    r"""Parameters of the heterogeneous model (spec §6); the defaults are the spec's except ``l_y``.

    Parameters
    ----------
    length_scales : (l_z, l_x, l_y)
        Kernel length scales in units of the calibrated geometry. Default :data:`DEFAULT_LENGTH_SCALES`
        ``= (1, 1, 0.05)``: local skills transfer much less than reasoning. The spec's ``l_y = 0.25``
        is the named variant :meth:`spec_local_skill`. Why 0.05 and not 0.25: by the cutoff law
        (RS10), a homogeneous model with couplings :math:`c_y > 0` has no N* below
        :math:`p_{0,c} \approx K c_y / c_z` (:math:`K = 0.1808`), and the mean-field limit of RS7a
        applies that law with the geometry's mean couplings :math:`\bar c_z, \bar c_y`. At the
        spec calibration (mean :math:`C^z` 0.1), ``l_y = 0.25`` gives :math:`\bar c_y \approx 9\cdot
        10^{-4}` (gaussian4d) and :math:`1.0\cdot 10^{-3}` (longtail4d), so :math:`p_{0,c} = 1.5\cdot
        10^{-3}` and :math:`1.8\cdot 10^{-3}`. Both 4d geometries are then censored at the seed's
        smallest prior :math:`10^{-3}` (no N* up to 8192), unlike the seed's figure, which shows
        three near-straight lines. With ``l_y = 0.05``, :math:`\bar c_y \approx 1.3\cdot 10^{-6}`,
        :math:`p_{0,c} \approx 2.2\cdot 10^{-6}` and :math:`N\bar c_y \le 0.011` up to
        :math:`N = 8192`. Every geometry then has an N* at every prior from 0.1 to
        :math:`10^{-3}`, with slopes near -1 (claims RS7, RS7a, RS7b; docs/heterogeneous.md).
    target_coupling : float
        Calibration target: mean off-diagonal coupling at ``n_ref`` with length 1 (default 0.1).
    n_ref, calibration_seed : int
        Calibration reference size (100) and its fixed seed.
    alpha_median : (m_z, m_x, m_y)
        Medians of the log-normal learnabilities (default 1, 1, 1).
    alpha_sigma : float
        Log-standard deviation of the learnabilities (default 0.5).
    x0, y0 : float
        Means of the initial skill logits (default 0 and -2).
    init_sd : (sigma_z, sigma_x, sigma_y)
        Standard deviations of the initial logits (default 0.5 each).
    kappa, cost, flow, model
        As in :class:`~workbench.rs._homogeneous.config.HomogeneousConfig`.
    eps, threshold : float
        Saturation criterion (spec §3).
    t_max : float
        Time cap; a run not saturated by then is ``undecided``.
    """

    length_scales: tuple[float, float, float] = DEFAULT_LENGTH_SCALES
    target_coupling: float = 0.1
    n_ref: int = 100
    calibration_seed: int = CALIBRATION_SEED
    alpha_median: tuple[float, float, float] = (1.0, 1.0, 1.0)
    alpha_sigma: float = 0.5
    x0: float = 0.0
    y0: float = -2.0
    init_sd: tuple[float, float, float] = (0.5, 0.5, 0.5)
    kappa: float = 0.0
    cost: float = 0.0
    flow: Flow = field(default_factory=GradientFlow)
    model: RewardModel = field(default_factory=RewardModel.standard)
    eps: float = 1e-3
    threshold: float = 0.5
    t_max: float = 1e6

    def __post_init__(self):
        for name in ("length_scales", "alpha_median", "init_sd"):
            v = getattr(self, name)
            try:
                v = tuple(float(a) for a in v)
            except (TypeError, ValueError):
                raise WorkbenchError(f"{name} must be three numbers, got {v!r}") from None
            if len(v) != 3 or not all(math.isfinite(a) for a in v):
                raise WorkbenchError(f"{name} must be three finite numbers, got {v!r}")
            object.__setattr__(self, name, v)
        if any(l <= 0 for l in self.length_scales):
            raise WorkbenchError(f"length scales must be positive, got {self.length_scales}")
        if any(m <= 0 for m in self.alpha_median):
            raise WorkbenchError(f"learnability medians must be positive, got {self.alpha_median}")
        if any(s < 0 for s in self.init_sd) or not (self.alpha_sigma >= 0) or not math.isfinite(self.alpha_sigma):
            raise WorkbenchError("standard deviations (alpha_sigma, init_sd) must be >= 0 and finite")
        if not (0.0 < self.target_coupling < 1.0):
            raise WorkbenchError(f"target coupling must lie in (0, 1), got {self.target_coupling}")
        if int(self.n_ref) != self.n_ref or self.n_ref < 2:
            raise WorkbenchError(f"n_ref must be an integer >= 2, got {self.n_ref}")
        if not math.isfinite(self.x0) or not math.isfinite(self.y0):
            raise WorkbenchError("x0 and y0 must be finite")
        if not (self.kappa >= 0) or not math.isfinite(self.kappa):
            raise WorkbenchError(f"kappa must be >= 0 and finite, got {self.kappa}")
        if not (0.0 <= self.cost < 1.0):
            raise WorkbenchError(f"cost must lie in [0, 1), got {self.cost}: a negative cost pays more than the "
                                 "largest reward 1, and with cost >= 1 the reward-seeking branch earns nothing")
        if not (self.t_max > 0) or not math.isfinite(self.t_max):
            raise WorkbenchError(f"t_max must be positive and finite, got {self.t_max}")
        Saturation(self.eps, self.threshold)  # validates eps and threshold
        self.model.check_on_cube(self.kappa, self.cost)

    @classmethod
    def spec_local_skill(cls, **changes) -> "HeteroConfig":
        """The spec's local-skill length scale ``l_y = 0.25`` (:data:`SPEC_LENGTH_SCALES`), with ``changes``.

        This variant shows the censored regime of claim RS7b. The cutoff law puts the 4d
        geometries' critical prior at 1.5e-3 (gaussian4d) and 1.8e-3 (longtail4d), so they have
        no N* at ``p0 = 1e-3``. The CLI spelling is ``--length-scales spec``.

        >>> HeteroConfig.spec_local_skill().length_scales
        (1.0, 1.0, 0.25)
        """
        return cls(**{"length_scales": SPEC_LENGTH_SCALES, **changes})

    def criterion(self) -> Saturation:
        return Saturation(eps=self.eps, threshold=self.threshold)

    def check_calibration_memory(self, geometry: Geometry, memory_limit: float | None = None) -> None:
        """Raise :class:`~workbench._errors.ResourceTooLarge` if calibrating on ``n_ref`` points
        would allocate more than ``memory_limit`` bytes (default 4 GiB)."""
        n = int(self.n_ref)
        # the calibration holds a few n_ref x n_ref arrays (distances, mask, couplings)
        check_memory(5 * 8.0 * n * n + 8.0 * n * geometry.dim,
                     f"calibrating {geometry.name} on n_ref = {n:,} points", memory_limit)

    def calibration(self, geometry: Geometry, *, memory_limit: float | None = None) -> Calibration:
        self.check_calibration_memory(geometry, memory_limit)
        return calibrate(geometry, target=self.target_coupling, n_ref=int(self.n_ref), seed=self.calibration_seed)

    def with_(self, **changes) -> "HeteroConfig":
        return replace(self, **changes)

    def to_json(self) -> dict:
        return {"length_scales": list(self.length_scales), "target_coupling": self.target_coupling,
                "n_ref": int(self.n_ref), "calibration_seed": int(self.calibration_seed),
                "alpha_median": list(self.alpha_median), "alpha_sigma": self.alpha_sigma,
                "x0": self.x0, "y0": self.y0, "init_sd": list(self.init_sd), "kappa": self.kappa, "cost": self.cost,
                "variant": self.flow.name, "model": self.model.name, "reward": str(self.model.expression),
                "eps": self.eps, "threshold": self.threshold, "t_max": self.t_max}


@dataclass(frozen=True, eq=False)
class Environments:
    """N environments: scaled points ``(N, d)``, learnabilities ``(3, N)``, initial logits ``(3, N)``."""

    points: np.ndarray
    alpha: np.ndarray
    initial: np.ndarray

    def __post_init__(self):
        n = self.points.shape[0]
        if self.alpha.shape != (3, n) or self.initial.shape != (3, n):
            raise WorkbenchError(f"environments: alpha {self.alpha.shape} and initial {self.initial.shape} must be (3, {n})")

    @property
    def n(self) -> int:
        return int(self.points.shape[0])


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or int(seed) != seed or seed < 0:
        raise WorkbenchError(f"seed must be a non-negative integer, got {seed!r}")
    return int(seed)


def _check_p0(p0) -> float:
    p0 = float(p0)
    if not (0.0 < p0 < 1.0):
        raise WorkbenchError(f"p0 must lie strictly between 0 and 1, got {p0}")
    return p0


class EnvironmentSequence:
    """The fixed random sequence of environments of one (geometry, seed) (spec §6, nesting).

    ``take(n)`` returns the first ``n`` environments for a prior ``p0``; blocks are drawn
    lazily and kept, so a search over N draws each environment once.

    Examples
    --------
    >>> from workbench.rs._hetero.geometry import geometry_by_name
    >>> seq = EnvironmentSequence(geometry_by_name("gaussian4d"), HeteroConfig(), seed=3)
    >>> a, b = seq.take(10, p0=0.1), seq.take(300, p0=0.1)
    >>> bool(np.array_equal(a.points, b.points[:10]) and np.array_equal(a.initial, b.initial[:, :10]))
    True
    """

    def __init__(self, geometry: Geometry, config: HeteroConfig, seed: int, *, memory_limit: float | None = None):
        self.geometry = geometry
        self.config = config
        self.seed = _check_seed(seed)
        self.calibration = config.calibration(geometry, memory_limit=memory_limit)
        self._geo_key = zlib.crc32(geometry.name.encode())
        self._raw: list[np.ndarray] = []
        self._noise: list[np.ndarray] = []

    def _extend(self, n_blocks: int) -> None:
        while len(self._raw) < n_blocks:
            b = len(self._raw)
            rng_pts = np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(_POINTS_TAG, self._geo_key, b)))
            rng_noise = np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(_NOISE_TAG, b)))
            self._raw.append(self.geometry.raw_points(rng_pts, BLOCK))
            self._noise.append(rng_noise.standard_normal((6, BLOCK)))

    def take(self, n: int, p0: float) -> Environments:
        if isinstance(n, bool) or int(n) != n or n < 1:
            raise WorkbenchError(f"the number of environments n must be an integer >= 1, got {n!r}")
        n, p0 = int(n), _check_p0(p0)
        self._extend(-(-n // BLOCK))
        raw = np.concatenate(self._raw)[:n] if len(self._raw) > 1 else self._raw[0][:n]
        noise = np.concatenate(self._noise, axis=1)[:, :n] if len(self._noise) > 1 else self._noise[0][:, :n]
        cfg = self.config
        alpha = np.array(cfg.alpha_median)[:, None] * np.exp(cfg.alpha_sigma * noise[:3])
        means = np.array([math.log(p0) - math.log1p(-p0), cfg.x0, cfg.y0])[:, None]
        initial = means + np.array(cfg.init_sd)[:, None] * noise[3:]
        return Environments(self.calibration.scale * raw, alpha, initial)


def hetero_memory_estimate(n: int, geometry: Geometry, config: HeteroConfig, backend: KernelBackend | None = None) -> float:
    """Bytes that simulating ``n`` environments of ``geometry`` allocates: the environment
    sequence (points and noises, drawn in blocks), the kernels and the integration."""
    backend = backend or Dense64()
    n_drawn = -(-int(n) // BLOCK) * BLOCK
    environments = 2 * 8.0 * n_drawn * (geometry.dim + 6)  # the blocks and their concatenation
    return environments + backend.memory_estimate(int(n), config.length_scales) + state_bytes(1, int(n))


def check_hetero_memory(n: int, geometry: Geometry, config: HeteroConfig, backend: KernelBackend | None = None,
                        memory_limit: float | None = None) -> None:
    """Raise :class:`~workbench._errors.ResourceTooLarge` if ``n`` environments need too much memory."""
    backend = backend or Dense64()
    check_memory(hetero_memory_estimate(n, geometry, config, backend),
                 f"simulating N = {int(n):,} environments of {geometry.name} with the {backend.name} kernel", memory_limit)


def hetero_system(envs: Environments, config: HeteroConfig, backend: KernelBackend | None = None, *,
                  memory_limit: float | None = None) -> tuple[RewardSeekingSystem, BuiltKernels]:
    """The :class:`RewardSeekingSystem` (batch of one) of ``envs`` with kernels from ``backend``."""
    backend = backend or Dense64()
    kernels = backend.build(envs.points, config.length_scales, memory_limit=memory_limit)
    system = RewardSeekingSystem(
        initial=envs.initial[None], alpha=envs.alpha[None], transfer=kernels.transfers,
        kappa=config.kappa, cost=config.cost, model=config.model, flow=config.flow,
    )
    return system, kernels


def default_solver(backend: KernelBackend | None = None, integrator: str = "adaptive", *, dt: float | None = None,
                   rtol: float | None = None) -> Solver:
    """The integrator strategy: ``adaptive`` (Dormand–Prince, rtol 1e-6, or 1e-5 with float32
    kernels; atol 1e-9) or ``euler`` (fixed step ``dt``, default 0.01, the seed's integrator)."""
    f32 = backend is not None and backend.dtype == np.float32
    if integrator == "adaptive":
        if dt is not None:
            raise WorkbenchError("--dt applies to the euler integrator, not adaptive (contradictory options)")
        rtol = (FLOAT32_RTOL_FLOOR if f32 else 1e-6) if rtol is None else float(rtol)
        return DormandPrince(rtol=rtol, atol=1e-9)
    if integrator == "euler":
        if rtol is not None:
            raise WorkbenchError("--rtol applies to the adaptive integrator, not euler (contradictory options)")
        return Euler(dt=0.01 if dt is None else float(dt))
    raise WorkbenchError(f"unknown integrator {integrator!r}; choose euler or adaptive")


def check_solver_backend(solver: Solver, backend: KernelBackend) -> None:
    """Refuse an adaptive ``rtol`` below the float32 rounding of a float32 kernel back-end."""
    if isinstance(solver, DormandPrince) and backend.dtype == np.float32 and solver.rtol < FLOAT32_RTOL_FLOOR:
        raise WorkbenchError(f"rtol {solver.rtol:g} is below the float32 rounding of --kernel dense32; "
                             f"use rtol >= {FLOAT32_RTOL_FLOOR:g} or a float64 kernel")


@dataclass(frozen=True)
class HeteroRun:
    """Outcome of one heterogeneous system (``to_json`` is the ``rs hetero`` contract)."""

    geometry: str
    n: int
    p0: float
    seed: int
    outcome: str
    reason: str
    mean_p: float
    t_sat: float | None
    t_end: float
    fraction_reward_seeking: float
    mean_reward: float
    steps: int
    calibrated_scale: float
    kernel: dict
    solver: dict
    euler_stability: float | None
    seconds: float

    def to_json(self) -> dict:
        return {
            "outcome": self.outcome, "mean_p": self.mean_p, "t_sat": self.t_sat,
            "fraction_reward_seeking": self.fraction_reward_seeking, "reason": self.reason, "t_end": self.t_end,
            "mean_reward": self.mean_reward, "steps": self.steps, "geometry": self.geometry, "n": self.n,
            "p0": self.p0, "seed": self.seed, "calibrated_scale": self.calibrated_scale, "kernel": self.kernel,
            "solver": self.solver, "euler_stability_number": self.euler_stability, "seconds": self.seconds,
        }


def _stability_number(system, kernels, dt) -> float:
    """``dt * max_i alpha_i sum_j C_ij / 4``: Euler's step against the fastest linear rate
    (each local rate has Lipschitz constant <= 1/4 in its own logit); keep it below ~2."""
    worst = 0.0
    for k, t in enumerate(kernels.transfers):
        rowsum = t.apply(np.ones((1, t.n_envs)))[0]
        worst = max(worst, float(np.max(system.alpha[0, k] * rowsum)))
    return dt * worst / 4.0


def simulate_hetero(config: HeteroConfig, geometry: Geometry, n: int, p0: float, seed: int, *,
                    solver: Solver | None = None, backend: KernelBackend | None = None,
                    sequence: EnvironmentSequence | None = None, memory_limit: float | None = None) -> HeteroRun:
    """Simulate the first ``n`` environments of ``(geometry, seed)`` at prior ``p0`` to saturation.

    Parameters
    ----------
    config : HeteroConfig
    geometry : Geometry
    n, p0, seed
        Size, prior in (0, 1), and seed of the environment sequence.
    solver : Solver, default :func:`default_solver` (adaptive)
    backend : KernelBackend, default :class:`~workbench.rs._hetero.kernels.Dense64`
    sequence : EnvironmentSequence, optional
        Reuse an already drawn sequence (must match geometry, config and seed).
    memory_limit : float, optional
        Bytes the run may allocate (default 4 GiB); a larger run raises
        :class:`~workbench._errors.ResourceTooLarge` before drawing or building anything.
    """
    t0 = time.perf_counter()
    backend = backend or Dense64()
    solver = solver or default_solver(backend)
    check_solver_backend(solver, backend)
    p0 = _check_p0(p0)
    if isinstance(n, bool) or int(n) != n or n < 1:
        raise WorkbenchError(f"the number of environments n must be an integer >= 1, got {n!r}")
    check_hetero_memory(n, geometry, config, backend, memory_limit)
    if sequence is None:
        sequence = EnvironmentSequence(geometry, config, seed, memory_limit=memory_limit)
    elif sequence.geometry != geometry or sequence.config != config or sequence.seed != seed:
        raise WorkbenchError("the environment sequence does not match the geometry, config and seed")
    envs = sequence.take(n, p0)
    with backend.blas_limit():
        system, kernels = hetero_system(envs, config, backend, memory_limit=memory_limit)
        stab = _stability_number(system, kernels, solver.dt) if isinstance(solver, Euler) else None
        res = simulate(system, solver=solver, criterion=config.criterion(), t_max=config.t_max)
    s = res.summary(0)
    return HeteroRun(
        geometry=geometry.name, n=int(n), p0=p0, seed=int(seed), outcome=s["outcome"], reason=s["reason"],
        mean_p=s["p_final"], t_sat=s["t_sat"], t_end=s["t_end"], fraction_reward_seeking=s["fraction_reward_seeking"],
        mean_reward=s["mean_reward_final"], steps=s["steps"], calibrated_scale=sequence.calibration.scale,
        kernel={**backend.describe(), **kernels.report}, solver=solver.describe(), euler_stability=stab,
        seconds=time.perf_counter() - t0,
    )


def log_grid(n_max: int, growth: float = 2.0) -> list[int]:
    """Integers ``round(growth^k)`` from 1 up to ``n_max`` (included), without repeats."""
    if isinstance(n_max, bool) or int(n_max) != n_max or n_max < 1:
        raise WorkbenchError(f"n_max must be an integer >= 1, got {n_max!r}")
    if not (growth > 1.0) or not math.isfinite(growth):
        raise WorkbenchError(f"grid growth factor must be > 1, got {growth}")
    grid, k, log_g = [], 0, math.log(growth)
    while True:
        v = int(round(growth**k))
        if v >= n_max:
            break
        if not grid or v > grid[-1]:
            grid.append(v)
        # skip the exponents that round to v again (a growth close to 1 has millions of them);
        # one step short of the computed jump, so that rounding of the logarithm never skips a value
        k = max(k + 1, math.ceil(math.log(v + 0.5) / log_g) - 1)
    return grid + [int(n_max)]


@dataclass(frozen=True)
class HeteroCritical:
    """``N*`` of one (geometry, prior, seed) (spec §6 diversity sweep).

    Attributes
    ----------
    n_star : int or None
        Smallest size found reward-seeking, with ``bracket[0]`` local (None: censored, no
        reward-seeking size up to ``n_max``).
    bracket : (int, int) or None
        Final ``(lo, hi)``: ``lo`` local or undecided, ``hi = n_star`` reward-seeking; ``hi - lo == 1``
        or ``hi / lo <= 1 + rel_tol``.
    evaluations : list of dict
        Every simulated size in order: ``n``, ``outcome``, ``mean_p``, ``t_sat``, ``fraction``, ``phase``.
    """

    geometry: str
    p0: float
    seed: int
    n_star: int | None
    bracket: tuple[int, int] | None
    n_max: int
    evaluations: list
    undecided: int
    calibrated_scale: float

    def to_json(self) -> dict:
        return {"geometry": self.geometry, "p0": self.p0, "seed": self.seed, "n_star": self.n_star,
                "bracket": list(self.bracket) if self.bracket else None, "censored": self.n_star is None,
                "n_max": self.n_max, "undecided": self.undecided,
                "calibrated_scale": self.calibrated_scale, "evaluations": self.evaluations}


def critical_diversity_hetero(config: HeteroConfig, geometry: Geometry, p0: float, seed: int, *, n_max: int,
                              growth: float = 2.0, rel_tol: float = 0.02, solver: Solver | None = None,
                              backend: KernelBackend | None = None, memory_limit: float | None = None) -> HeteroCritical:
    r"""``N*`` of one seed: bracket on a log grid, then bisect on :math:`\log N` (spec §6).

    1. Sizes ``1, growth, growth^2, ..., n_max`` (rounded, see :func:`log_grid`) are simulated
       in increasing order until the first reward-seeking outcome (larger sizes are not run).
    2. Between the last local size ``lo`` and the first reward-seeking size ``hi`` the midpoint
       ``round(sqrt(lo * hi))`` is simulated and replaces one end, until ``hi - lo == 1`` or
       ``hi / lo <= 1 + rel_tol``. ``N* = hi``.

    An undecided size (time cap) counts as not reward-seeking and is counted in ``undecided``.
    The outcome of a nested sequence need not be monotone in N; bisection returns one switch
    inside the bracket, and the grid records are kept so that a reader can see the rest.
    The memory of a run at ``n_max`` is checked first (``memory_limit``, bytes, default 4 GiB).

    Examples
    --------
    >>> from workbench.rs._hetero.geometry import geometry_by_name
    >>> r = critical_diversity_hetero(HeteroConfig(), geometry_by_name("gaussian4d"), 0.2, 0, n_max=64)
    >>> r.n_star is None or r.bracket[1] == r.n_star
    True
    """
    backend = backend or Dense64()
    solver = solver or default_solver(backend)
    check_solver_backend(solver, backend)
    p0 = _check_p0(p0)
    if not (rel_tol >= 0) or not math.isfinite(rel_tol):
        raise WorkbenchError(f"rel_tol must be >= 0, got {rel_tol}")
    grid = log_grid(n_max, growth)
    check_hetero_memory(n_max, geometry, config, backend, memory_limit)
    seq = EnvironmentSequence(geometry, config, seed, memory_limit=memory_limit)
    evaluations = []

    def run(n, phase):
        r = simulate_hetero(config, geometry, n, p0, seed, solver=solver, backend=backend, sequence=seq,
                            memory_limit=memory_limit)
        evaluations.append({"n": n, "phase": phase, "outcome": r.outcome, "mean_p": r.mean_p, "t_sat": r.t_sat,
                            "fraction_reward_seeking": r.fraction_reward_seeking, "reason": r.reason,
                            "steps": r.steps, "truncation_error": r.kernel.get("max_truncation_error", 0.0)})
        return r.outcome == REWARD_SEEKING

    lo = hi = None
    for n in grid:
        if run(n, "grid"):
            hi = n
            break
        lo = n
    if hi is not None and lo is not None:
        while hi - lo > 1 and hi / lo > 1 + rel_tol:
            mid = int(round(math.sqrt(lo * hi)))
            mid = min(max(mid, lo + 1), hi - 1)
            if run(mid, "bisect"):
                hi = mid
            else:
                lo = mid
    return HeteroCritical(
        geometry=geometry.name, p0=p0, seed=int(seed), n_star=hi, bracket=(lo, hi) if (hi is not None and lo is not None) else None,
        n_max=int(n_max), evaluations=evaluations, undecided=sum(e["outcome"] == UNDECIDED for e in evaluations),
        calibrated_scale=seq.calibration.scale,
    )
