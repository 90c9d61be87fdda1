"""POWER and optimality probability (OPTTSP §5 and §6; spec §1).

``POWER_D(s, γ) = (1-γ)/γ · E_{r~D}[ max_{f in F(s)} (f(γ) - e_s)^T r ]`` for γ in (0, 1),
extended continuously to [0, 1]. The integrand vector ``g_f(γ) = (1-γ)(f(γ) - e_s)/γ`` is kept
as an exact rational function with the removable singularities at γ = 0 and γ = 1 cancelled,
so ``g_f(0)`` is the next-state distribution and ``g_f(1)`` the RSD (the limits of spec §1);
``(1-γ)/γ`` is never evaluated at 0 or 1.

Monte Carlo: one matrix product ``R @ G^T`` of a batch of reward samples against the stacked
non-dominated ``g_f``, then a row maximum. Exact closed form where it applies: iid uniform
rewards on ``[a, b]`` and non-dominated ``g_f`` that are ``k`` distinct unit vectors (e.g. ``k``
terminal 1-cycles): ``a + (b - a)·k/(k+1)`` (expected maximum of k uniforms).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from workbench._errors import EnumerationTooLarge, ResourceTooLarge, WorkbenchError
from workbench._numbers import format_fraction, parse_fraction

__all__ = [
    "IIDUniform",
    "IIDDistribution",
    "PerStateDistribution",
    "PowerEstimate",
    "power",
    "power_vectors",
    "optimality_probability",
    "power_by_value_iteration",
    "power_of_actions",
]

_Z95 = 1.959963984540054
#: Most Monte Carlo samples of POWER (``max_samples``).
MAX_SAMPLES = 10_000_000
#: Most Monte Carlo work: samples x states x (1 + options).
MAX_SAMPLE_WORK = 5 * 10**9


@dataclass(frozen=True)
class IIDUniform:
    """Rewards iid uniform on ``[low, high]`` (default [0, 1]), the default of the papers."""

    low: Fraction = Fraction(0)
    high: Fraction = Fraction(1)

    def __post_init__(self):
        object.__setattr__(self, "low", Fraction(self.low))
        object.__setattr__(self, "high", Fraction(self.high))
        if not self.low < self.high:
            raise WorkbenchError("IIDUniform: need low < high")

    def sample(self, rng, k: int, n: int) -> np.ndarray:
        return rng.uniform(float(self.low), float(self.high), size=(k, n))

    def describe(self):
        return f"iid uniform [{self.low}, {self.high}]"


@dataclass(frozen=True)
class IIDDistribution:
    """Rewards iid from a frozen scipy.stats distribution (should be bounded, spec §1)."""

    dist: object

    def sample(self, rng, k: int, n: int) -> np.ndarray:
        return np.asarray(self.dist.rvs(size=(k, n), random_state=rng), dtype=float)

    def describe(self):
        return f"iid {self.dist.dist.name}{self.dist.args}"


@dataclass(frozen=True)
class PerStateDistribution:
    """A default distribution with per-state overrides ``{state index: distribution}``."""

    default: object
    overrides: dict = field(default_factory=dict)

    def sample(self, rng, k: int, n: int) -> np.ndarray:
        out = self.default.sample(rng, k, n)
        for i, d in self.overrides.items():
            out[:, i] = d.sample(rng, k, 1)[:, 0]
        return out

    def describe(self):
        return f"{self.default.describe()} with overrides on states {sorted(self.overrides)}"


@dataclass(frozen=True)
class PowerEstimate:
    """POWER(s, γ): ``power`` (float), ``exact`` (Fraction or None), a 95% ``ci`` when sampled.

    Examples
    --------
    >>> from workbench.power import star
    >>> power(star(3), "s", 1)
    PowerEstimate(POWER = 3/4 (= 0.75) at gamma 1, exact; 3 options; iid uniform [0, 1])

    References
    ----------
    Turner et al. 2021 (OPTTSP), Definition of POWER (§5); spec §1.
    """

    power: float
    exact: Fraction | None
    ci: tuple | None
    gamma: Fraction
    samples: int | None
    method: str
    n_options: int
    distribution: str

    def __repr__(self) -> str:
        if self.exact is not None:
            value = format_fraction(self.exact, decimal=True)
        else:
            value = f"{self.power:.6g}" + (f", 95% CI [{self.ci[0]:.6g}, {self.ci[1]:.6g}]" if self.ci else "")
        how = "exact" if self.exact is not None else f"{self.samples} samples"
        return (f"PowerEstimate(POWER = {value} at gamma {format_fraction(self.gamma)}, {how}; {self.n_options} options; "
                f"{self.distribution})")

    def _repr_html_(self) -> str:
        from workbench.power._orbits.result import _html_table

        rows = [("POWER", format_fraction(self.exact, decimal=True) if self.exact is not None else f"{self.power:.6g}")]
        if self.ci:
            rows.append(("95% CI", f"[{self.ci[0]:.6g}, {self.ci[1]:.6g}]"))
        rows += [("gamma", format_fraction(self.gamma)), ("samples", self.samples), ("method", self.method),
                 ("options", self.n_options), ("reward distribution", self.distribution)]
        return _html_table("POWER", rows)

    def to_json(self):
        return {"power": self.power, "exact": self.exact, "ci": list(self.ci) if self.ci else None,
                "gamma": self.gamma, "samples": self.samples, "method": self.method,
                "options": self.n_options, "distribution": self.distribution}


def _gamma(gamma) -> Fraction:
    g = gamma if isinstance(gamma, Fraction) else parse_fraction(str(gamma), name="gamma")
    if not 0 <= g <= 1:
        raise WorkbenchError(f"gamma must be in [0, 1], got {g}")
    return g


def _integrand(f, s: int, g: Fraction) -> tuple:
    if g == 1:
        return f.rsd()
    if g == 0:
        return f.power_vector(s, g)
    v = f.at(g)
    k = (1 - g) / g
    return tuple(k * (x - 1) if i == s else k * x for i, x in enumerate(v))


def power_vectors(mdp, state, gamma, *, prune: bool = True, max_visits: int | None = None) -> list[tuple]:
    """The distinct integrand vectors ``g_f(γ)`` (exact), γ in [0, 1].

    Each ``g_f(γ)`` is a probability vector, so a vector supported on states whose unit vectors
    are all present is dominated (exact filter, always applied). With ``prune`` the remaining
    vectors are reduced to ``ND`` by linear programming (see ``non_dominated``).
    """
    from workbench.power._visits.visits import MAX_VISITS, _drop_simplex_interior, non_dominated, visit_distributions

    g = _gamma(gamma)
    s = mdp.index(state)
    visits = visit_distributions(mdp, state, max_visits=MAX_VISITS if max_visits is None else max_visits)
    vecs = list(dict.fromkeys(_integrand(f, s, g) for f in visits))
    if prune:
        return [vecs[i] for i in non_dominated(vecs)]
    return _drop_simplex_interior(vecs, list(range(len(vecs))))[0]


def _exact_power(G, dist) -> Fraction | None:
    if not isinstance(dist, IIDUniform):
        return None
    a, b = dist.low, dist.high
    if len(G) == 1:
        return sum(G[0], Fraction(0)) * (a + b) / 2
    units = all(sum(1 for c in v if c != 0) == 1 and sum(v) == 1 for v in G)
    if units and len({v.index(1) for v in G}) == len(G):
        k = len(G)
        return a + (b - a) * Fraction(k, k + 1)
    return None


def power(mdp, state, gamma, *, distribution=None, samples: int = 100_000, seed: int = 0,
          batch: int = 200_000, max_visits: int | None = None, max_samples: int = MAX_SAMPLES) -> PowerEstimate:
    """POWER of ``state`` at discount ``gamma`` in [0, 1].

    Exact where a closed form applies, else ``samples`` Monte Carlo draws (at most
    ``max_samples``); ``max_visits`` bounds the visit distributions enumerated.

    Examples
    --------
    Three terminal 1-cycles under iid uniform rewards: ``3/4`` for every γ.

    >>> from workbench.power import star
    >>> power(star(3), "s", 1).exact
    Fraction(3, 4)
    """
    dist = distribution or IIDUniform()
    g = _gamma(gamma)
    # the exact filter suffices: if a non-unit vector survives it, ND(G) is not all unit vectors
    G = power_vectors(mdp, state, g, prune=False, max_visits=max_visits)
    exact = _exact_power(G, dist)
    if exact is not None:
        return PowerEstimate(float(exact), exact, None, g, None, "exact", len(G), dist.describe())
    if samples < 2:
        raise WorkbenchError("power: `samples` must be at least 2")
    if samples > max_samples:
        raise EnumerationTooLarge(f"{samples:,} Monte Carlo samples, above the limit {max_samples:,}; raise `max_samples`",
                                  estimate=samples, limit=max_samples, parameter="max_samples")
    work = samples * mdp.n_states * (1 + len(G))
    if work > MAX_SAMPLE_WORK:
        raise ResourceTooLarge(
            f"{samples:,} samples over {mdp.n_states} states and {len(G)} options need about {work:,} operations, "
            f"more than {MAX_SAMPLE_WORK:,} (MAX_SAMPLE_WORK); use fewer samples")
    batch = max(1, min(batch, 2 * 10**7 // mdp.n_states))  # a batch holds batch x states floats
    rng = np.random.default_rng(seed)
    Gm = np.array([[float(c) for c in v] for v in G])
    total = total2 = 0.0
    done = 0
    while done < samples:
        k = min(batch, samples - done)
        R = dist.sample(rng, k, mdp.n_states)
        best = (R @ Gm.T).max(axis=1)
        total += best.sum()
        total2 += (best * best).sum()
        done += k
    mean = total / samples
    var = max(0.0, (total2 - samples * mean * mean) / (samples - 1))
    half = _Z95 * math.sqrt(var / samples)
    return PowerEstimate(mean, None, (mean - half, mean + half), g, samples,
                         "monte carlo (one batched matmul per chunk against the stacked options)", len(G), dist.describe())


def optimality_probability(mdp, state, actions, criterion=None, *, distribution=None, samples: int = 100_000,
                           seed: int = 0) -> tuple[float, tuple]:
    """Probability (Monte Carlo, Wilson 95% CI) that some optimal policy at ``state`` takes an
    action in ``actions`` (OPTTSP §6), under ``criterion`` (Average or Discounted)."""
    from workbench.power._visits.criteria import Average
    from workbench.power._orbits.votes import wilson_interval
    from workbench.power._visits.visits import options, visit_distributions

    criterion = criterion or Average()
    if criterion.name == "blackwell":
        raise WorkbenchError("optimality_probability: use average or discounted (Blackwell ties have probability 0 under continuous D)")
    dist = distribution or IIDUniform()
    allv = visit_distributions(mdp, state)
    sub = set(options(mdp, state, actions))
    if not 1 <= samples <= MAX_SAMPLES:
        raise EnumerationTooLarge(f"optimality_probability: `samples` must be from 1 to {MAX_SAMPLES:,}, got {samples:,}",
                                  estimate=samples, limit=MAX_SAMPLES, parameter="samples")
    if samples * mdp.n_states * (1 + len(allv)) > MAX_SAMPLE_WORK or samples * mdp.n_states > 5 * 10**7:
        raise ResourceTooLarge(f"optimality_probability: {samples:,} samples over {mdp.n_states} states and {len(allv)} "
                               f"options are more than {MAX_SAMPLE_WORK:,} operations (MAX_SAMPLE_WORK); use fewer samples")
    lv = criterion.levels(list(allv))[0]
    W = np.array([[float(c) for c in v] for v in lv])
    in_set = np.array([f in sub for f in allv])
    rng = np.random.default_rng(seed)
    R = dist.sample(rng, samples, mdp.n_states)
    V = R @ W.T
    best = V.max(axis=1)
    hit = (V[:, in_set].max(axis=1) >= best - 1e-12 * np.maximum(1, np.abs(best)))
    k = int(hit.sum())
    return k / samples, wilson_interval(k, samples)


def power_by_value_iteration(mdp, state, gamma: float, rewards: np.ndarray, *, tol: float = 1e-10) -> np.ndarray:
    """Reference method (as in POWERplay): value iteration separately for every reward sample.

    ``V <- r + γ max_a T_a V`` with dense numpy transition tensors, iterated until the sup-norm
    change is below ``tol``; returns the per-sample ``(1-γ)/γ (V*(s) - r(s))``. 0 < γ < 1.
    """
    n = mdp.n_states
    idx = {s: i for i, s in enumerate(mdp.states)}
    kmax = max(len(mdp.transitions[s]) for s in mdp.states)
    T = np.zeros((kmax, n, n))
    valid = np.zeros((kmax, n), dtype=bool)
    for s in mdp.states:
        for k, dist in enumerate(mdp.transitions[s].values()):
            valid[k, idx[s]] = True
            for t, p in dist.items():
                T[k, idx[s], idx[t]] = float(p)
    s0 = idx[state]
    out = np.empty(len(rewards))
    for j, r in enumerate(np.asarray(rewards, dtype=float)):
        V = r.copy()
        while True:
            Q = np.where(valid, T @ V, -np.inf)
            newV = r + gamma * Q.max(axis=0)
            done = np.max(np.abs(newV - V)) < tol
            V = newV
            if done:
                break
        out[j] = (1 - gamma) / gamma * (V[s0] - r[s0])
    return out


def power_of_actions(mdp, state, gamma, **kwargs) -> dict:
    """POWER-seeking comparison of the actions at ``state`` (OPTTSP §6): for each action ``a``,
    ``E_{s' ~ T(state, a)} POWER(s', γ)``. Exact (a Fraction) when every successor's POWER has
    a closed form, else a float with the successors' 95% half-widths added.

    Examples
    --------
    >>> from workbench.power import MDP
    >>> m = MDP.from_successors({"start": ["candy", "wait"], "wait": ["chocolate", "hug"],
    ...     "candy": ["candy"], "chocolate": ["chocolate"], "hug": ["hug"]})
    >>> power_of_actions(m, "start", 1)
    {'candy': (Fraction(1, 2), 0.0), 'wait': (Fraction(2, 3), 0.0)}
    """
    out = {}
    cache = {}
    for a, dist in mdp.transitions[state].items():
        exact, value, half = Fraction(0), 0.0, 0.0
        for t, p in dist.items():
            if t not in cache:
                cache[t] = power(mdp, t, gamma, **kwargs)
            est = cache[t]
            value += float(p) * est.power
            if est.exact is None:
                exact = None
                half += float(p) * (est.ci[1] - est.ci[0]) / 2
            elif exact is not None:
                exact += p * est.exact
        out[a] = (exact, 0.0) if exact is not None else (value, half)
    return out
