r"""Critical diversity :math:`N^*(p_0)` and the scaling law (spec §5, claim RS6).

:math:`N^*` is the smallest number of environments at which reward-seeking dominates under the
criterion. In the reduced system N is a real number, so there is also a continuous root
:math:`N^*_c` where the outcome switches. Monotonicity in N is checked on a grid, not assumed
(:class:`~workbench.rs.LogGrid`, the default), unless a :class:`~workbench.rs.Ladder` scan is asked for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from workbench._errors import WorkbenchError
from workbench.rs._homogeneous.config import HomogeneousConfig, reduced_system
from workbench.rs._homogeneous.scan import Ladder, LogGrid, Scan
from workbench.rs._simulate.simulate import LOCAL, REWARD_SEEKING, UNDECIDED, Criterion, Saturation, simulate
from workbench.rs._simulate.solvers import DormandPrince, Solver


@dataclass(frozen=True)
class CriticalDiversity:
    """Result of :func:`critical_diversity` for one prior.

    Attributes
    ----------
    n_star : int or None
        Smallest integer N with a reward-seeking outcome (None: none up to ``n_max``).
    n_star_continuous : float or None
        Root of the outcome switch in real N, the geometric midpoint of ``bracket``.
    bracket : (float, float) or None
        ``lo < N*_c <= hi`` with ``lo`` local and ``hi`` reward-seeking.
    monotone : bool or None
        True if the outcome switched exactly once (local to reward-seeking) on the scan's grid;
        None if the scan does not check (:class:`~workbench.rs.Ladder`).
    switches : list of float
        Grid points where the outcome changed (empty when not checked).
    scan : Scan
        How N was scanned for the first switch.
    undecided : int
        Points (of the scan and the refinement) that did not saturate before the time cap.
    """

    config: HomogeneousConfig
    n_star: int | None
    n_star_continuous: float | None
    bracket: tuple[float, float] | None
    monotone: bool | None
    switches: list
    scan: Scan
    n_max: float
    undecided: int
    integer_check: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "p0": self.config.p0,
            "n_star": self.n_star,
            "n_star_continuous": self.n_star_continuous,
            "bracket": list(self.bracket) if self.bracket else None,
            "monotone": self.monotone,
            "switches": self.switches,
            "scan": repr(self.scan),
            "grid_size": self.scan.size if isinstance(self.scan, LogGrid) else None,
            "n_max": self.n_max,
            "undecided_grid_points": self.undecided,
            "integer_check": self.integer_check,
            "config": self.config.to_json(),
        }

    def __repr__(self) -> str:
        """``N*``, ``N*_c`` with the relative width of its bracket, and whether the switch was monotone.

        Examples
        --------
        >>> from workbench.rs import HomogeneousConfig
        >>> critical_diversity([HomogeneousConfig(p0=0.1)])
        [CriticalDiversity(p0=0.1, N*=10, N*_c=9.32281 (bracket +-...), monotone)]
        """
        if self.n_star_continuous is None:
            where = f"no switch up to n_max={self.n_max:g}"
        else:
            width = self.bracket[1] / self.bracket[0] - 1
            where = f"N*_c={self.n_star_continuous:.6g} (bracket +-{width / 2:.1e} relative)"
        if self.monotone is None:
            flags = [f"monotonicity not checked ({self.scan!r})"]
        else:
            flags = ["monotone" if self.monotone else f"not monotone, switches at {self.switches}"]
        if self.undecided:
            flags.append(f"{self.undecided} undecided")
        return f"CriticalDiversity(p0={self.config.p0:g}, N*={self.n_star}, {where}, {', '.join(flags)})"


def _outcomes(configs, ns, solver, criterion, t_max):
    res = simulate(reduced_system(configs, n=ns), solver=solver, criterion=criterion, t_max=t_max)
    return res.outcome


def critical_diversity(
    configs,
    *,
    n_max: float = 1e9,
    scan: Scan = LogGrid(97),
    rel_tol: float = 1e-7,
    solver: Solver | None = None,
    criterion: Criterion | None = None,
    t_max: float = 1e7,
) -> list[CriticalDiversity]:
    """Critical diversity of each configuration (spec §5, claim RS6).

    Steps:

    1. the outcome at the ``scan``'s values of N in ``[1, n_max]``: by default
       (:class:`LogGrid`) on a log grid of 97 points, which is also the monotonicity check
       (exactly one local-to-reward-seeking switch); with :class:`Ladder` on the rungs
       ``1, 10, 100, ...`` up to the first reward-seeking one, unchecked (``monotone=None``);
    2. the first switch refined on ``log N`` until the bracket's relative width is below
       ``rel_tol``;
    3. bisection on integers inside that bracket until the upper end ``N*`` and ``N* - 1`` are
       adjacent (exact for any N that a float holds exactly, i.e. up to 2**53; none needed
       while the bracket holds at most one integer, i.e. below about ``1 / rel_tol``);
    4. the integer ``N*`` checked by simulating ``N*`` and ``N* - 1``.

    Two engines run these steps. With the default strategies (:class:`DormandPrince` and
    :class:`Saturation`, not subclasses) each configuration is searched on its own with the
    model compiled by numba (:mod:`workbench.rs._simulate.compiled`: the same integrator and
    event location as :func:`simulate`, in scalars), and step 2 is a safeguarded Illinois
    iteration on the continuous margin :math:`p(T_{\rm sat}; N) - \text{threshold}`, whose sign
    is the outcome. Any other solver or criterion runs on the batched numpy engine, all
    configurations together, with a 16-point section search on the outcome in step 2. Both
    give the same integer ``N*`` (``tests/test_critical.py`` compares them on random
    configurations); their brackets differ but each straddles the switch, and ``undecided``
    counts the points each search evaluated.

    Parameters
    ----------
    configs : HomogeneousConfig or sequence of them (one model and flow)
    n_max : float
        Cap on N; a configuration still local there has ``n_star = None``.
    scan : Scan
        :class:`LogGrid` (default ``LogGrid(97)``: checks monotonicity) or :class:`Ladder`
        (``Ladder(10)``: one simulation when ``N* = 1``, no check).

    Examples
    --------
    >>> from workbench.rs import HomogeneousConfig, Ladder
    >>> [r] = critical_diversity(HomogeneousConfig(p0=0.1))
    >>> r.n_star, r.monotone
    (10, True)
    >>> [q] = critical_diversity(HomogeneousConfig(p0=0.1), scan=Ladder())
    >>> q.n_star, q.monotone
    (10, None)
    """
    single = isinstance(configs, HomogeneousConfig)
    configs = [configs] if single else list(configs)
    if not (n_max > 1) or not math.isfinite(n_max):
        raise WorkbenchError(f"n_max must be a finite number > 1, got {n_max}")
    if not isinstance(scan, Scan):
        raise WorkbenchError(f"scan must be a Scan such as LogGrid(97) or Ladder(10), got {scan!r}")
    solver = solver or DormandPrince()
    criterion = criterion or Saturation()
    if any(cf.flow != configs[0].flow or cf.model != configs[0].model for cf in configs):
        raise WorkbenchError("a batch must share one model and one flow")
    kernel = _compiled_kernel(configs[0], solver, criterion) if configs else None
    if kernel is not None:
        from numba.core.errors import NumbaError

        try:
            return [_critical_compiled(kernel, cf, scan, n_max, rel_tol, solver, criterion, t_max) for cf in configs]
        except NumbaError:  # a model numba cannot type (first call compiles): the numpy engine runs it
            pass
    return _critical_batched(configs, scan, n_max, rel_tol, solver, criterion, t_max)


def _first_switch(scan, pts, rs, und):
    """Step 1's reading of a scan, from the outcomes at its first ``len(rs)`` points: the first
    bracket ``(lo, hi)`` (None if reward-seeking at N = 1 or nowhere), monotone (None when the
    scan does not check), the switches and the undecided count."""
    n_und = int(und.sum())
    if scan.checks_monotonicity:
        flips = [float(pts[i + 1]) for i in range(rs.size - 1) if rs[i] != rs[i + 1]]
        monotone = bool((not und.any()) and (rs == np.maximum.accumulate(rs)).all())
    else:
        flips, monotone = [], None
    i = int(np.argmax(rs)) if rs.any() else -1
    bracket = (float(pts[i - 1]), float(pts[i])) if i > 0 else None
    return bracket, monotone, flips, n_und


def _critical_batched(configs, scan, n_max, rel_tol, solver, criterion, t_max) -> list[CriticalDiversity]:
    """Steps 1-4 of :func:`critical_diversity`, each batched over every configuration (numpy);
    step 2 is a 16-point section search on ``log N``. Works with any solver and criterion."""
    K = len(configs)
    pts = scan.points(n_max)

    # 1. The scan, all configurations in one batch; a scan that does not check goes point by
    #    point over the configurations not yet reward-seeking.
    if scan.checks_monotonicity:
        out = _outcomes([cf for cf in configs for _ in pts], np.tile(pts, K), solver, criterion, t_max).reshape(K, pts.size)
        seen = [out[k] for k in range(K)]
    else:
        seen = [np.empty(0, dtype=object) for _ in range(K)]
        active = list(range(K))
        for n in pts:
            if not active:
                break
            o = _outcomes([configs[k] for k in active], np.full(len(active), n), solver, criterion, t_max)
            for k, outcome in zip(active, o):
                seen[k] = np.append(seen[k], outcome)
            active = [k for k, outcome in zip(active, o) if outcome != REWARD_SEEKING]
    starts_rs = [bool(seen[k].size and seen[k][0] == REWARD_SEEKING) for k in range(K)]
    brackets: list[list[float] | None] = []
    meta = []
    for k in range(K):
        bracket, monotone, flips, n_und = _first_switch(scan, pts, seen[k] == REWARD_SEEKING, seen[k] == UNDECIDED)
        meta.append((monotone, flips, n_und))
        brackets.append(list(bracket) if bracket else None)

    # 2. Section search on log N, batched over configurations with a bracket.
    active = [k for k in range(K) if brackets[k] is not None]
    m = 16
    while active:
        active = [k for k in active if brackets[k][1] / brackets[k][0] - 1 > rel_tol]
        if not active:
            break
        pts = np.array([np.exp(np.linspace(np.log(brackets[k][0]), np.log(brackets[k][1]), m + 2)[1:-1]) for k in active])
        o = _outcomes([configs[k] for k in active for _ in range(m)], pts.ravel(), solver, criterion, t_max).reshape(len(active), m)
        for row, k in enumerate(active):
            is_rs = o[row] == REWARD_SEEKING
            lo, hi = brackets[k]
            if (o[row] == UNDECIDED).any():
                meta[k] = (_unsure(meta[k][0]), meta[k][1], meta[k][2] + int((o[row] == UNDECIDED).sum()))
            if is_rs.any():
                j = int(np.argmax(is_rs))
                hi = float(pts[row, j])
                lo = float(pts[row, j - 1]) if j > 0 else lo
            else:
                lo = float(pts[row, -1])
            brackets[k] = [lo, hi]

    # 3. Integer bisection: the section search stops at a relative width, which is wider than 1
    #    once N* passes 1 / rel_tol. Bisect on integers, L local and H reward-seeking, until
    #    H - L = 1 (no simulation when the bracket already holds at most one integer).
    ints = {k: [max(1, math.ceil(brackets[k][0]) - 1), max(1, math.ceil(brackets[k][1]))] for k in range(K) if brackets[k] is not None}
    while True:
        ks = [k for k in ints if ints[k][1] - ints[k][0] > 1]
        if not ks:
            break
        mids = [(ints[k][0] + ints[k][1]) // 2 for k in ks]
        o = _outcomes([configs[k] for k in ks], np.array(mids, dtype=float), solver, criterion, t_max)
        for k, mid, outcome in zip(ks, mids, o):
            if outcome == UNDECIDED:
                meta[k] = (_unsure(meta[k][0]), meta[k][1], meta[k][2] + 1)
            ints[k][1 if outcome == REWARD_SEEKING else 0] = mid
            # every simulated point also narrows the continuous bracket
            if outcome == REWARD_SEEKING and mid < brackets[k][1]:
                brackets[k][1] = float(mid)
            elif outcome != REWARD_SEEKING and mid > brackets[k][0]:
                brackets[k][0] = float(mid)

    # 4. Integer N*: the upper end must be reward-seeking and the one below it local.
    cand = {k: ints[k][1] for k in ints}
    checks = {}
    if cand:
        ks = list(cand)
        ns = np.array([[cand[k], max(1, cand[k] - 1)] for k in ks], dtype=float)
        o = _outcomes([configs[k] for k in ks for _ in range(2)], ns.ravel(), solver, criterion, t_max).reshape(len(ks), 2)
        for row, k in enumerate(ks):
            ok = o[row, 0] == REWARD_SEEKING and (cand[k] == 1 or o[row, 1] != REWARD_SEEKING)
            checks[k] = {"n": cand[k], "outcome_at_n": str(o[row, 0]), "outcome_at_n_minus_1": str(o[row, 1]) if cand[k] > 1 else None, "consistent": bool(ok)}

    results = []
    for k, cf in enumerate(configs):
        monotone, flips, n_und = meta[k]
        if starts_rs[k]:
            n_star, n_c, br = 1, 1.0, None
        elif brackets[k] is None:
            n_star, n_c, br = None, None, None
        else:
            lo, hi = brackets[k]
            n_c = math.sqrt(lo * hi)
            n_star = cand[k] if checks[k]["consistent"] else None
            br = (lo, hi)
        results.append(CriticalDiversity(cf, n_star, n_c, br, monotone, flips, scan, n_max, n_und, checks.get(k, {})))
    return results


def _compiled_kernel(config, solver, criterion):
    """The numba kernel of the config's model and flow, or None where the batched numpy path must
    be used: other solver or criterion strategies (subclasses included), or numba unavailable."""
    if type(solver) is not DormandPrince or type(criterion) is not Saturation:
        return None
    try:
        from workbench.rs._simulate.compiled import compiled_kernel

        return compiled_kernel(config.model, config.flow)
    except ImportError:
        return None


_CODES = (REWARD_SEEKING, LOCAL, UNDECIDED)  # the kernel's outcome codes 0, 1, 2


def _unsure(monotone):
    """An undecided point during refinement: a checked switch can no longer be called monotone."""
    return None if monotone is None else False


def _critical_compiled(kernel, cf, scan, n_max, rel_tol, solver, criterion, t_max) -> CriticalDiversity:
    """Steps 1-4 of :func:`critical_diversity` for one configuration with the compiled kernel.

    Step 2 is a safeguarded Illinois iteration on the continuous margin
    ``m(N) = p(T_sat; N) - threshold`` (its sign is the outcome) in ``log N``, to a relative
    bracket width of ``rel_tol / 10``: each new point is kept at least ``rel_tol / 20`` inside
    the bracket, so once the estimate is good the next point lands on the root's far side and
    closes the bracket; a bisection step is taken whenever three steps have not halved the
    bracket, or a point is undecided. Steps 3 and 4 are those of the numpy engine.
    """
    alpha, c = np.array(cf.alpha), np.array(cf.c)
    z0, thr = cf.z0, criterion.threshold

    def run(ns):
        ns = np.ascontiguousarray(ns, dtype=float)
        codes, t_end, p_end, steps = np.empty(ns.size, np.int64), np.empty(ns.size), np.empty(ns.size), np.empty(ns.size, np.int64)
        kernel.run_many(ns, z0, cf.x0, cf.y0, alpha, c, cf.kappa, cf.cost, criterion.eps, thr, t_max,
                        solver.rtol, solver.atol, solver.max_steps, codes, t_end, p_end, steps)
        return codes, p_end - thr

    # 1. The scan: every point at once, or point by point up to the first reward-seeking one.
    pts = scan.points(n_max)
    if scan.checks_monotonicity:
        codes, margin = run(pts)
    else:
        codes, margin = np.empty(0, np.int64), np.empty(0)
        for n in pts:
            code, g = run([n])
            codes, margin = np.append(codes, code), np.append(margin, g)
            if code[0] == 0:
                break
    bracket, monotone, flips, n_und = _first_switch(scan, pts, codes == 0, codes == 2)
    if codes[0] == 0:
        return CriticalDiversity(cf, 1, 1.0, None, monotone, flips, scan, n_max, n_und, {})
    if bracket is None:
        return CriticalDiversity(cf, None, None, None, monotone, flips, scan, n_max, n_und, {})
    i = int(np.argmax(codes == 0))
    lo, hi = bracket
    g_lo, g_hi = float(margin[i - 1]), float(margin[i])

    # 2. Illinois on the margin in log N, until hi / lo - 1 <= rel_tol / 10: a step or two more
    #    than rel_tol needs, so that N*_c is as accurate as the numpy engine's 17-fold section steps.
    inset = 0.05 * math.log1p(rel_tol)
    side, since_halved, width_then = 0, 0, math.log(hi / lo)
    while hi / lo - 1 > 0.1 * rel_tol:
        u_lo, u_hi = math.log(lo), math.log(hi)
        if since_halved >= 3 or not (g_hi > 0 >= g_lo):
            u = 0.5 * (u_lo + u_hi)
        else:
            u = u_hi - g_hi * (u_hi - u_lo) / (g_hi - g_lo)
            u = min(max(u, u_lo + inset), u_hi - inset)
        n = math.exp(u)
        if not lo < n < hi:  # rounding at the last digits: the geometric midpoint
            n = math.sqrt(lo * hi)
            if not lo < n < hi:
                break
        [code], [g] = run([n])
        if code == 2:
            monotone, n_und, g = _unsure(monotone), n_und + 1, math.nan
        if code == 0:
            hi, g_hi = n, g
            if side == 1:
                g_lo *= 0.5
            side = 1
        else:
            lo, g_lo = n, g
            if side == -1:
                g_hi *= 0.5
            side = -1
        width = math.log(hi / lo)
        if width <= 0.5 * width_then:
            since_halved, width_then = 0, width
        else:
            since_halved += 1
            if since_halved > 3:  # the bisection step was taken
                since_halved, width_then = 0, width

    # 3. Integer bisection, L local and H reward-seeking, until H - L = 1.
    int_lo, int_hi = max(1, math.ceil(lo) - 1), max(1, math.ceil(hi))
    while int_hi - int_lo > 1:
        mid = (int_lo + int_hi) // 2
        [code], _ = run([float(mid)])
        if code == 2:
            monotone, n_und = _unsure(monotone), n_und + 1
        if code == 0:
            int_hi = mid
            hi = min(hi, float(mid))
        else:
            int_lo = mid
            lo = max(lo, float(mid))

    # 4. The integer N*: reward-seeking at N*, and local at N* - 1.
    cand = int_hi
    codes, _ = run([float(cand), float(max(1, cand - 1))])
    ok = codes[0] == 0 and (cand == 1 or codes[1] != 0)
    check = {"n": cand, "outcome_at_n": str(_CODES[codes[0]]), "outcome_at_n_minus_1": str(_CODES[codes[1]]) if cand > 1 else None,
             "consistent": bool(ok)}
    return CriticalDiversity(cf, cand if ok else None, math.sqrt(lo * hi), (lo, hi), monotone, flips, scan, n_max, n_und, check)


@dataclass(frozen=True)
class ScalingFit:
    r"""Least-squares fit of :math:`\log_{10} N^*_c = \text{intercept} + \text{slope}\,\log_{10} p_0`.

    ``slope_ci`` is the 95% t-interval of ordinary least squares with ``n - 2`` degrees of
    freedom. The data are deterministic, so the interval measures departure from a straight
    line (lack of fit), not sampling noise. ``curvature`` and ``curvature_ci`` are the
    quadratic coefficient of a degree-2 fit in the same variables.
    """

    log10_p0: np.ndarray
    log10_n_star: np.ndarray
    slope: float
    intercept: float
    slope_ci: tuple[float, float]
    r_squared: float
    max_abs_residual: float
    curvature: float | None
    curvature_ci: tuple[float, float] | None

    def to_json(self) -> dict:
        return {
            "slope": self.slope,
            "slope_ci": list(self.slope_ci),
            "intercept": self.intercept,
            "r_squared": self.r_squared,
            "max_abs_residual_log10": self.max_abs_residual,
            "curvature": self.curvature,
            "curvature_ci": list(self.curvature_ci) if self.curvature_ci else None,
            "points_used": int(self.log10_p0.size),
            "ci_level": 0.95,
        }

    def __repr__(self) -> str:
        """The fitted law ``N*_c ~ 10^intercept * p0^slope`` with the slope's interval and R^2.

        Examples
        --------
        >>> fit_scaling([1e-1, 1e-2, 1e-3], [18.0, 180.0, 1800.0])
        ScalingFit(N*_c ~ 1.8 * p0^-1.0000, slope 95% CI [-1.0000, -1.0000], R^2 = 1.00000, 3 priors)
        """
        return (f"ScalingFit(N*_c ~ {10 ** self.intercept:.4g} * p0^{self.slope:.4f}, slope 95% CI "
                f"[{self.slope_ci[0]:.4f}, {self.slope_ci[1]:.4f}], R^2 = {self.r_squared:.5f}, {self.log10_p0.size} priors)")


def fit_scaling(p0, n_star_continuous, level: float = 0.95) -> ScalingFit:
    """Fit ``log10 N*_c`` against ``log10 p0``; needs at least three points with a finite ``N*_c``."""
    p0 = np.asarray(p0, dtype=float)
    n = np.asarray([np.nan if v is None else v for v in n_star_continuous], dtype=float)
    ok = np.isfinite(n) & (n > 1)
    if ok.sum() < 3:
        raise WorkbenchError(f"the scaling fit needs at least 3 priors with a finite N* > 1, got {int(ok.sum())}")
    from scipy import stats  # here, not at import: scipy.stats alone takes longer to load than `rs critical` runs

    xs, ys = np.log10(p0[ok]), np.log10(n[ok])
    lr = stats.linregress(xs, ys)
    dof = xs.size - 2
    tq = stats.t.ppf(0.5 + level / 2, dof) if dof > 0 else math.inf
    resid = ys - (lr.intercept + lr.slope * xs)
    # The slope's standard error from the residuals themselves: linregress derives it from
    # 1 - r**2, which cancels catastrophically for a near-exact power law (error ~1e-8).
    sxx = float(np.sum((xs - xs.mean()) ** 2))
    slope_se = math.sqrt(float(np.sum(resid**2)) / dof / sxx) if dof > 0 else math.inf
    curv, curv_ci = None, None
    if xs.size >= 4:
        X = np.vander(xs, 3)
        coef, res, *_ = np.linalg.lstsq(X, ys, rcond=None)
        dof2 = xs.size - 3
        sigma2 = float(np.sum((ys - X @ coef) ** 2) / dof2)
        cov = sigma2 * np.linalg.inv(X.T @ X)
        se = math.sqrt(cov[0, 0])
        t2 = stats.t.ppf(0.5 + level / 2, dof2)
        curv, curv_ci = float(coef[0]), (float(coef[0] - t2 * se), float(coef[0] + t2 * se))
    return ScalingFit(
        xs, ys, float(lr.slope), float(lr.intercept),
        (float(lr.slope - tq * slope_se), float(lr.slope + tq * slope_se)),
        float(lr.rvalue**2), float(np.max(np.abs(resid))), curv, curv_ci,
    )
