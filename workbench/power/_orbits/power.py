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
from workbench.power._orbits.power_methods import Auto, BatchedValueIteration, ExactVisits

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
#: Products (sample, option) computed per block before taking row maxima (16 MB of floats).
_PRODUCT_BLOCK = 1 << 21
#: Most value-iteration work: samples x states x action slots x iterations (x states if stochastic).
MAX_ITERATION_WORK = 2 * 10**10


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

    ``method`` is the method that ran (:class:`ExactVisits` or :class:`BatchedValueIteration`,
    also when :class:`Auto` chose it), ``how`` one line on what it did (and why, under
    ``Auto``), ``error`` a bound on ``|power - POWER|`` at 95% confidence: 0 for a closed form,
    the CI half-width for sampled estimates, plus ``tol`` for value iteration (its bias).

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
    method: object
    n_options: int | None
    distribution: str
    how: str = ""
    error: float = 0.0

    def __repr__(self) -> str:
        if self.exact is not None:
            value = format_fraction(self.exact, decimal=True)
        else:
            value = f"{self.power:.6g}" + (f", 95% CI [{self.ci[0]:.6g}, {self.ci[1]:.6g}]" if self.ci else "")
        how = "exact" if self.exact is not None else f"{self.samples} samples"
        options = f"{self.n_options} options" if self.n_options is not None else "value iteration"
        return f"PowerEstimate(POWER = {value} at gamma {format_fraction(self.gamma)}, {how}; {options}; {self.distribution})"

    def _repr_html_(self) -> str:
        from workbench.power._orbits.result import _html_table

        rows = [("POWER", format_fraction(self.exact, decimal=True) if self.exact is not None else f"{self.power:.6g}")]
        if self.ci:
            rows.append(("95% CI", f"[{self.ci[0]:.6g}, {self.ci[1]:.6g}]"))
        rows += [("error (95%)", f"{self.error:.3g}"), ("gamma", format_fraction(self.gamma)), ("samples", self.samples),
                 ("method", repr(self.method)), ("how", self.how), ("options", self.n_options),
                 ("reward distribution", self.distribution)]
        return _html_table("POWER", rows)

    def to_json(self):
        return {"power": self.power, "exact": self.exact, "ci": list(self.ci) if self.ci else None,
                "error": self.error, "gamma": self.gamma, "samples": self.samples,
                "method": type(self.method).__name__, "how": self.how,
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


def _lasso_integrands(mdp, s: int, g: Fraction, max_visits: int) -> list[tuple]:
    """The distinct ``g_f(γ)`` of a deterministic MDP, 0 < γ < 1, straight from the lassos (exact).

    A lasso with prefix ``x_0..x_{k-1}`` and cycle ``c_0..c_{L-1}`` has
    ``f(γ) = sum_t γ^t e_{x_t} + γ^k / (1 - γ^L) sum_j γ^j e_{c_j}``; the same vectors, in the
    same order, as :func:`power_vectors` with ``prune=False``, without building the rational
    functions of γ.
    """
    from workbench.power._visits.visits import _too_many, _walk_lassos

    states = mdp.states
    n = len(states)
    idx = {x: i for i, x in enumerate(states)}
    succ = {x: tuple(dict.fromkeys(t for d in mdp.transitions[x].values() for t in d)) for x in states}
    count = [0]

    def tally(path, j):
        count[0] += 1
        if count[0] > max_visits:
            raise _too_many("lassos (visit distributions)", count[0], max_visits, states[s], mdp, "max_visits")

    _walk_lassos(succ, states[s], tally)  # bound the work before building anything
    # every coordinate of every lasso's g_f is one of these values; each distinct value gets a
    # small integer id, so that vectors are compared and hashed as tuples of ints (exactly)
    k = (1 - g) / g
    pw = [Fraction(1)]
    for _ in range(n):
        pw.append(pw[-1] * g)
    ids: dict = {Fraction(0): 0}
    value_id = lambda x: ids.setdefault(x, len(ids))  # noqa: E731
    prefix = [value_id(k * p) for p in pw]  # x_t, 1 <= t < j: k γ^t
    cycles = {}  # (j, L) -> ids of k γ^(j+i) / (1 - γ^L), i < L; at the start state minus k when j = 0

    def cycle(j, L):
        c = cycles.get((j, L))
        if c is None:
            scale = k / (1 - pw[L])
            c = cycles[(j, L)] = [value_id(scale * pw[j + i] - (k if j == 0 and i == 0 else 0)) for i in range(L)]
        return c

    found = {}

    def build(path, j):
        v = [0] * n
        for t in range(1, j):
            v[idx[path[t]]] = prefix[t]
        for i, c in enumerate(cycle(j, len(path) - j)):
            v[idx[path[j + i]]] = c
        found.setdefault(tuple(v), None)

    _walk_lassos(succ, states[s], build)
    values = [None] * len(ids)
    for x, i in ids.items():
        values[i] = x
    # the exact simplex-interior filter (every g_f is non-negative and sums to 1): a vector whose
    # support is covered by unit vectors present is their convex combination, hence dominated
    units = {next(i for i, x in enumerate(v) if x) for v in found if sum(1 for x in v if x) == 1}
    return [tuple(values[x] for x in v) for v in found
            if sum(1 for x in v if x) == 1 or not all(i in units for i, x in enumerate(v) if x)]


def _exact_vectors(mdp, s: int, g: Fraction, max_visits: int) -> list[tuple]:
    if g == 0:  # g_f(0) is the next-state distribution of f's first action
        rows = [tuple(d.get(t, Fraction(0)) for t in mdp.states) for d in mdp.transitions[mdp.states[s]].values()]
        vecs = list(dict.fromkeys(rows))
        from workbench.power._visits.visits import _drop_simplex_interior

        return _drop_simplex_interior(vecs, list(range(len(vecs))))[0]
    if mdp.is_deterministic and g < 1:
        return _lasso_integrands(mdp, s, g, max_visits)
    return power_vectors(mdp, mdp.states[s], g, prune=False, max_visits=max_visits)


def _draws(dist, rng, samples: int, n: int, batch: int):
    """Reward samples in batches of ``batch`` rows: the same draws for every method and seed."""
    done = 0
    while done < samples:
        k = min(batch, samples - done)
        yield dist.sample(rng, k, n)
        done += k


def _summary(total: float, total2: float, samples: int) -> tuple:
    mean = total / samples
    var = max(0.0, (total2 - samples * mean * mean) / (samples - 1))
    half = _Z95 * math.sqrt(var / samples)
    return float(mean), half


def _check_samples(samples: int, max_samples: int) -> None:
    if samples > max_samples:
        raise EnumerationTooLarge(f"{samples:,} Monte Carlo samples, above the limit {max_samples:,}; raise `max_samples`",
                                  estimate=samples, limit=max_samples, parameter="max_samples")


def _run_exact(mdp, s, g, method, dist, max_visits, max_samples, batch, how):
    try:
        G = _exact_vectors(mdp, s, g, max_visits)
    except (EnumerationTooLarge, ResourceTooLarge) as exc:
        if g == 1:
            raise
        # name the method that needs no enumeration
        message = str(exc).replace(" (or ask about a smaller MDP or state)", "").replace(": ask about a smaller MDP or state", "")
        message += "; or use `BatchedValueIteration`, which enumerates nothing"
        if isinstance(exc, EnumerationTooLarge):
            raise EnumerationTooLarge(message, estimate=exc.estimate, limit=exc.limit, parameter=exc.parameter) from None
        raise ResourceTooLarge(message) from None
    exact = _exact_power(G, dist)
    opts = f"{len(G)} options after the exact dominance filter"
    if exact is not None:
        return PowerEstimate(float(exact), exact, None, g, None, method, len(G), dist.describe(),
                             how + f"exact visit distributions, closed form ({opts})", 0.0)
    samples = method.samples
    _check_samples(samples, max_samples)
    work = samples * mdp.n_states * (1 + len(G))
    if work > MAX_SAMPLE_WORK:
        raise ResourceTooLarge(
            f"{samples:,} samples over {mdp.n_states} states and {len(G)} options need about {work:,} operations, "
            f"more than {MAX_SAMPLE_WORK:,} (MAX_SAMPLE_WORK); use fewer samples or `BatchedValueIteration`")
    rng = np.random.default_rng(method.seed)
    Gm = np.array([[float(c) for c in v] for v in G])
    total = total2 = 0.0
    GmT = np.ascontiguousarray(Gm.T)
    rows = max(1024, _PRODUCT_BLOCK // len(G))  # blocks of products of a few MB, not one huge array
    for R in _draws(dist, rng, samples, mdp.n_states, batch):
        best = np.empty(len(R))
        for lo in range(0, len(R), rows):
            np.max(R[lo:lo + rows] @ GmT, axis=1, out=best[lo:lo + rows])
        total += best.sum()
        total2 += (best * best).sum()
    mean, half = _summary(total, total2, samples)
    return PowerEstimate(mean, None, (mean - half, mean + half), g, samples, method, len(G), dist.describe(),
                         how + f"exact visit distributions, {samples} reward samples against the {opts} "
                               f"(one matrix product per batch)", half)


def _reward_scale(dist) -> float:
    if isinstance(dist, IIDUniform):
        return float(max(abs(dist.low), abs(dist.high)))
    return 1.0


def _run_value_iteration(mdp, s, g, method, dist, max_samples, batch, how, kernel=None):
    from workbench.power._orbits.value_iteration import ValueIterationKernel, iterations_needed

    if g == 1:
        raise WorkbenchError("BatchedValueIteration needs gamma < 1 (POWER at gamma = 1 is the average-reward limit); "
                             "use `ExactVisits`")
    if float(g) == 1.0:
        raise WorkbenchError(f"BatchedValueIteration: gamma = {g} rounds to 1.0 in double precision, where value "
                             "iteration does not converge; use `ExactVisits`")
    samples = method.samples
    _check_samples(samples, max_samples)
    kernel = kernel or ValueIterationKernel(mdp)
    gf = float(g)
    iterations = iterations_needed(gf, method.tol, _reward_scale(dist))
    per = mdp.n_states * kernel.slots * (1 if kernel.deterministic else mdp.n_states)
    work = samples * per * iterations
    if work > MAX_ITERATION_WORK:
        raise ResourceTooLarge(
            f"value iteration over {samples:,} samples needs about {iterations:,} iterations over {mdp.n_states} states "
            f"and {kernel.slots} actions ({work:,} operations), more than {MAX_ITERATION_WORK:,} (MAX_ITERATION_WORK); "
            f"use fewer samples, a larger tol, or `ExactVisits`")
    compiled = kernel.runs_compiled(samples, iterations)  # decided once, for every batch alike
    rng = np.random.default_rng(method.seed)
    total = total2 = 0.0
    most = 0
    for R in _draws(dist, rng, samples, mdp.n_states, batch):
        best, used, _ = kernel.integrands(R, s, gf, method.tol, compiled=compiled)
        most = max(most, used)
        total += best.sum()
        total2 += (best * best).sum()
    mean, half = _summary(total, total2, samples)
    if g == 0:
        what = f"value iteration batched over {samples} reward samples (the gamma -> 0 limit, one step"
    elif not compiled:
        what = f"value iteration batched over {samples} reward samples (at most {most} iterations"
    else:
        what = f"policy iteration per reward sample, compiled, {samples} samples (at most {most} improvement steps"
    stop = "" if g == 0 else ", stopped by the MacQueen bounds"
    return PowerEstimate(mean, None, (mean - half, mean + half), g, samples, method, None, dist.describe(),
                         how + f"{what}{stop}; each sample within "
                               f"{method.tol:g})", half + method.tol)


def _choose(mdp, s: int, g: Fraction, auto, dist, max_visits: int):
    """The method :class:`Auto` runs, the value-iteration kernel if built, and why: costs estimated
    before any enumeration."""
    from workbench.power._orbits import power_methods as pm
    from workbench.power._orbits.value_iteration import ValueIterationKernel, iterations_needed, rounding_floor

    if g == 1:
        return auto.exact(), None, "auto: exact (value iteration needs gamma < 1); "
    if g == 0:
        return auto.exact(), None, "auto: exact (at gamma = 0 the integrands are the next-state distributions); "
    if float(g) == 1.0:
        return auto.exact(), None, "auto: exact (gamma rounds to 1.0 in double precision: no value iteration); "
    if auto.tol <= rounding_floor(mdp.n_states, float(g), _reward_scale(dist)):
        return auto.exact(), None, "auto: exact (tol is below value iteration's rounding floor); "
    n = mdp.n_states
    kernel = ValueIterationKernel(mdp)
    iterations = iterations_needed(float(g), auto.tol, _reward_scale(dist))
    vi = pm.value_iteration_cost(kernel, auto.samples, iterations)
    state = mdp.states[s]
    if mdp.is_deterministic:
        from workbench.power._visits.visits import _walk_lassos

        cap = min(pm.lassos_affordable(n, auto.samples, vi), max_visits)
        succ = {x: tuple(dict.fromkeys(t for d in mdp.transitions[x].values() for t in d)) for x in mdp.states}
        count = [0]

        class _Enough(Exception):
            pass

        def tally(path, j):
            count[0] += 1
            if count[0] > cap:
                raise _Enough

        try:
            _walk_lassos(succ, state, tally)
        except _Enough:
            return auto.sampled(), kernel, f"auto: value iteration (more than {cap:,} lassos from {state!r}); "
        ratio = vi / max(pm.exact_cost(n, count[0], auto.samples), 1e-12)
        return auto.exact(), None, f"auto: exact ({count[0]:,} lassos; value iteration estimated {ratio:.3g}x costlier); "
    reach = mdp.reachable(state)
    policies = 1
    for x in reach:
        policies *= len(mdp.transitions[x])
        if policies > max_visits:
            return auto.sampled(), kernel, f"auto: value iteration (more than {max_visits:,} policies from {state!r}); "
    from workbench.power._visits.visits import MAX_STOCHASTIC_WORK

    units = policies * (len(reach) ** 3 + 10)
    exact = pm.stochastic_exact_cost(units, policies, auto.samples, n)
    if units <= MAX_STOCHASTIC_WORK and exact <= vi:
        return auto.exact(), None, f"auto: exact ({policies:,} policies; value iteration estimated {vi / exact:.3g}x costlier); "
    return auto.sampled(), kernel, f"auto: value iteration ({policies:,} policies over {len(reach)} states estimated costlier); "


def power(mdp, state, gamma, method=None, *, distribution=None, max_visits: int | None = None,
          max_samples: int = MAX_SAMPLES, batch: int = 200_000) -> PowerEstimate:
    """POWER of ``state`` at discount ``gamma`` in [0, 1].

    ``POWER_D(s, γ) = (1-γ)/γ · E_{r~D}[ max_{f in F(s)} (f(γ) - e_s)^T r ]``, continuous at
    γ = 0 and 1 (spec §1).

    Parameters
    ----------
    mdp : MDP
    state : str
    gamma : Fraction, int or str
        Discount in [0, 1] (exact).
    method : ExactVisits, BatchedValueIteration or Auto, optional
        How to compute it (default ``Auto()``: the cheaper of the two, estimated before any
        enumeration). The result's ``method`` says which ran, ``error`` bounds the error.
    distribution : optional
        Reward distribution (default iid uniform on [0, 1]).
    max_visits : int, optional
        Most lassos or policies :class:`ExactVisits` enumerates (checked before building any).
    max_samples : int
        Most reward samples.

    Examples
    --------
    Three terminal 1-cycles under iid uniform rewards: ``3/4`` for every γ.

    >>> from workbench.power import star
    >>> power(star(3), "s", 1).exact
    Fraction(3, 4)
    >>> est = power(star(3), "s", Fraction(1, 2), BatchedValueIteration(samples=20_000, seed=1))
    >>> est.ci[0] < 0.75 < est.ci[1], type(est.method).__name__
    (True, 'BatchedValueIteration')

    References
    ----------
    Turner et al. 2021 (OPTTSP) §5; Harris 2022 (POWERplay) for value iteration per reward sample.
    """
    from workbench.power._visits.visits import MAX_VISITS

    method = Auto() if method is None else method
    if not isinstance(method, (Auto, ExactVisits, BatchedValueIteration)):
        raise WorkbenchError(f"power: method must be ExactVisits(...), BatchedValueIteration(...) or Auto(...), "
                             f"got {method!r}")
    dist = distribution or IIDUniform()
    g = _gamma(gamma)
    s = mdp.index(state)
    max_visits = MAX_VISITS if max_visits is None else max_visits
    batch = max(1, min(batch, 2 * 10**7 // mdp.n_states))  # a batch holds batch x states floats
    how, kernel = "", None
    if isinstance(method, Auto):
        method, kernel, how = _choose(mdp, s, g, method, dist, max_visits)
    if isinstance(method, ExactVisits):
        return _run_exact(mdp, s, g, method, dist, max_visits, max_samples, batch, how)
    return _run_value_iteration(mdp, s, g, method, dist, max_samples, batch, how, kernel)


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


def power_of_actions(mdp, state, gamma, method=None, **kwargs) -> dict:
    """POWER-seeking comparison of the actions at ``state`` (OPTTSP §6): for each action ``a``,
    ``E_{s' ~ T(state, a)} POWER(s', γ)``. Exact (a Fraction) when every successor's POWER has
    a closed form, else a float with the successors' errors (``PowerEstimate.error``) added.
    ``method`` and the keywords go to :func:`power`.

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
                cache[t] = power(mdp, t, gamma, method, **kwargs)
            est = cache[t]
            value += float(p) * est.power
            if est.exact is None:
                exact = None
                half += float(p) * est.error
            elif exact is not None:
                exact += p * est.exact
        out[a] = (exact, 0.0) if exact is not None else (value, half)
    return out
