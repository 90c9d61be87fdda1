r"""How often some N reaches reward-seeking, over a stated distribution of configurations (claim RS12).

The seed: "In most cases we expect that even if we initially don't converge to
reward-seeking, there is some sufficiently large N such that we hit the reward-seeking
quadrant." Whether "most" holds depends on the distribution, so the distribution is an
object (:class:`ConfigurationDistribution`) and the answer a fraction with a Wilson
interval (:func:`reachable_fraction`).

"Some N" is decided without a search in N. With :math:`c_y > 0` every
:math:`\alpha^k_{\rm eff}/N \to c_k\alpha^k`, so rescaling time by N, the
:math:`N\to\infty` outcome is that of the N = 1 system with learnabilities
:math:`c_k\alpha^k` (RS6c); given monotonicity in N (RS5) some N reaches reward-seeking iff
that limit does. With :math:`c_y = 0` the limit has a frozen local skill and is not an
N = 1 system; the outcome at the cap ``n_cap`` is used instead (a lower bound on the fraction).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from workbench._errors import WorkbenchError
from workbench.rs._homogeneous.config import HomogeneousConfig, reduced_system
from workbench.rs._simulate.simulate import REWARD_SEEKING, UNDECIDED, simulate


def wilson_interval(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    r"""Wilson score interval for a binomial proportion ``k / n`` (95% by default).

    .. math:: \frac{\hat p + z^2/2n \pm z\sqrt{\hat p(1-\hat p)/n + z^2/4n^2}}{1 + z^2/n}

    Examples
    --------
    >>> [round(v, 4) for v in wilson_interval(196, 200)]
    [0.9497, 0.9922]

    References
    ----------
    E. B. Wilson, "Probable inference, the law of succession, and statistical inference",
    JASA 22 (1927) 209-212.
    """
    if n <= 0 or not (0 <= k <= n):
        raise WorkbenchError(f"need 0 <= k <= n and n > 0, got k={k}, n={n}")
    ph = k / n
    den = 1 + z * z / n
    mid = (ph + z * z / (2 * n)) / den
    half = z * math.sqrt(ph * (1 - ph) / n + z * z / (4 * n * n)) / den
    return max(0.0, mid - half), min(1.0, mid + half)


@dataclass(frozen=True)
class ConfigurationDistribution:
    r"""A distribution of homogeneous configurations with reward-seeking skill transferring well.

    Parameters
    ----------
    local_transfer : {"zero", "uniform"}
        :math:`c_y = 0` (local skills do not transfer), or :math:`c_y \sim U(0, c_z)`.
    c_z_range : (float, float)
        :math:`c_z \sim U(\cdot)`; then :math:`c_x \sim U(c_z, 1)` (the seed's "skill
        transfer" case, :math:`c_x \ge c_z`).
    log10_p0_range : (float, float)
        :math:`\log_{10} p_0 \sim U(\cdot)`.
    gap_range, y0_range : (float, float)
        Skill gap :math:`x_0 - y_0 \sim U(\cdot)` and :math:`y_0 \sim U(\cdot)`.
    log10_alpha_range : (float, float)
        Each :math:`\log_{10}\alpha^k \sim U(\cdot)` independently.
    """

    local_transfer: str = "zero"
    c_z_range: tuple = (0.01, 0.5)
    log10_p0_range: tuple = (-3.0, -0.5)
    gap_range: tuple = (-2.0, 3.0)
    y0_range: tuple = (-3.0, 0.0)
    log10_alpha_range: tuple = (-1.0, 1.0)

    def __post_init__(self):
        if self.local_transfer not in ("zero", "uniform"):
            raise WorkbenchError(f"local_transfer must be 'zero' or 'uniform', got {self.local_transfer!r}")
        if not (0 < self.c_z_range[0] <= self.c_z_range[1] <= 1):
            raise WorkbenchError(f"c_z_range must lie in (0, 1], got {self.c_z_range}")

    def sample(self, size: int, seed: int) -> list[HomogeneousConfig]:
        """``size`` configurations drawn with ``numpy.random.default_rng(seed)``."""
        rng = np.random.default_rng(seed)
        out = []
        for _ in range(size):
            cz = rng.uniform(*self.c_z_range)
            cx = rng.uniform(cz, 1.0)
            cy = 0.0 if self.local_transfer == "zero" else rng.uniform(0.0, cz)
            gap, y0 = rng.uniform(*self.gap_range), rng.uniform(*self.y0_range)
            p0 = 10 ** rng.uniform(*self.log10_p0_range)
            alpha = tuple(float(v) for v in 10 ** rng.uniform(*self.log10_alpha_range, 3))
            out.append(HomogeneousConfig(p0=float(p0), x0=float(y0 + gap), y0=float(y0), alpha=alpha, c=(cz, cx, cy)))
        return out

    def to_json(self) -> dict:
        return {"local_transfer": self.local_transfer, "c_z": ["uniform", *self.c_z_range], "c_x": "uniform(c_z, 1)",
                "c_y": 0.0 if self.local_transfer == "zero" else "uniform(0, c_z)",
                "log10_p0": ["uniform", *self.log10_p0_range], "gap": ["uniform", *self.gap_range],
                "y0": ["uniform", *self.y0_range], "log10_alpha_k": ["uniform iid", *self.log10_alpha_range]}


@dataclass(frozen=True)
class Reachability:
    """Result of :func:`reachable_fraction` (counts, the fraction and its 95% Wilson interval)."""

    distribution: ConfigurationDistribution
    size: int
    seed: int
    n_cap: float
    reward_seeking_at_1: int
    reachable: int
    reachable_from_local: int
    initially_local: int
    undecided: int
    cross_check_agree: int | None
    method: str

    @property
    def fraction(self) -> float:
        return self.reachable / self.size

    @property
    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.reachable, self.size)

    @property
    def fraction_from_local(self) -> float:
        return self.reachable_from_local / self.initially_local if self.initially_local else float("nan")

    @property
    def interval_from_local(self) -> tuple[float, float]:
        return wilson_interval(self.reachable_from_local, self.initially_local)

    def to_json(self) -> dict:
        return {"distribution": self.distribution.to_json(), "size": self.size, "seed": self.seed, "n_cap": self.n_cap,
                "method": self.method, "reward_seeking_at_N_1": self.reward_seeking_at_1, "reachable": self.reachable,
                "fraction": self.fraction, "wilson_95": list(self.interval), "initially_local": self.initially_local,
                "reachable_from_local": self.reachable_from_local, "fraction_from_local": self.fraction_from_local,
                "wilson_95_from_local": list(self.interval_from_local), "undecided": self.undecided,
                "cross_check_agree_at_n_cap": self.cross_check_agree}


def reachable_fraction(distribution: ConfigurationDistribution, size: int = 200, seed: int = 20261205, *,
                       n_cap: float = 1e12) -> Reachability:
    r"""Fraction of configurations for which some N reaches reward-seeking (saturation criterion).

    Examples
    --------
    >>> r = reachable_fraction(ConfigurationDistribution("uniform"), size=20, seed=1)
    >>> r.size, 0 <= r.fraction <= 1
    (20, True)

    References
    ----------
    Seed 000, "Homogenous Coupling", the paragraph "Skill transfer".
    """
    cfgs = distribution.sample(size, seed)
    at1 = simulate(reduced_system(cfgs)).outcome == REWARD_SEEKING
    at_cap = simulate(reduced_system(cfgs, n=np.full(size, float(n_cap))), t_max=1e12).outcome
    if distribution.local_transfer == "uniform":
        lim = [cf.with_(alpha=tuple(a * c for a, c in zip(cf.alpha, cf.c)), c=(0.0, 0.0, 0.0)) for cf in cfgs]
        out = simulate(reduced_system(lim), t_max=1e12).outcome
        agree = int(((out == REWARD_SEEKING) == (at_cap == REWARD_SEEKING)).sum())
        method = "N -> infinity limit (N = 1 system with learnabilities c_k alpha_k); cross-checked at n_cap"
    else:
        out, agree = at_cap, None
        method = "outcome at N = n_cap (a lower bound: c_y = 0 has no N = 1 limit system)"
    reach = out == REWARD_SEEKING
    reach = reach | at1
    local1 = ~at1
    return Reachability(distribution, size, seed, float(n_cap), int(at1.sum()), int(reach.sum()),
                        int((reach & local1).sum()), int(local1.sum()), int((out == UNDECIDED).sum()), agree, method)
