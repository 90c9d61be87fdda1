"""Batched simulation to the outcome of training (spec §3).

:func:`simulate` is the one entry point: it takes a :class:`RewardSeekingSystem` (a batch),
a solver strategy and a criterion strategy. Every system has its own time, step size and
stopping event; finished systems are dropped from the working arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from workbench._errors import WorkbenchError
from workbench.rs._simulate.solvers import DormandPrince, Solver, hermite
from workbench.rs._model.system import RewardSeekingSystem, check_memory, state_bytes

class Outcome(StrEnum):
    """The outcome of a run (spec §3); a ``str`` whose value is what the JSON and the text show.

    Examples
    --------
    >>> Outcome.REWARD_SEEKING == "reward-seeking", f"{Outcome.LOCAL}"
    (True, 'local')
    """

    REWARD_SEEKING = "reward-seeking"
    LOCAL = "local"
    UNDECIDED = "undecided"


REWARD_SEEKING, LOCAL, UNDECIDED = Outcome.REWARD_SEEKING, Outcome.LOCAL, Outcome.UNDECIDED


def outcome_where(condition, if_true: Outcome, if_false: Outcome) -> np.ndarray:
    """``np.where`` for outcomes: an object array of :class:`Outcome` members (not numpy strings)."""
    condition = np.asarray(condition, dtype=bool)
    out = np.full(condition.shape, if_false, dtype=object)
    out[condition] = if_true
    return out


class Criterion:
    """How a run ends and how its outcome is read.

    ``event_reason`` is the ``reason`` reported for a system stopped by the event;
    ``threshold`` is the propensity above which an environment counts as reward-seeking in
    :attr:`SimulationResult.fraction_reward_seeking`.
    """

    event_reason = "event"
    threshold: float = 0.5

    def event_value(self, field, y):
        """Continuous function whose upward zero crossing stops a system (None: no event)."""
        return None

    def classify(self, field, y) -> np.ndarray:
        raise NotImplementedError

    def at_time_cap(self, field, y) -> tuple[np.ndarray, str]:
        raise NotImplementedError

    def describe(self) -> dict:
        return {"criterion": type(self).__name__}


def _threshold_outcome(mean_p: np.ndarray, threshold: float) -> np.ndarray:
    return outcome_where(mean_p > threshold, REWARD_SEEKING, LOCAL)


@dataclass(frozen=True)
class Saturation(Criterion):
    """Spec §3: stop when the mean expected reward first reaches ``1 - eps`` (time ``T_sat``);
    reward-seeking dominates when the mean of ``p_i(T_sat)`` exceeds ``threshold``.
    A run that does not saturate before the time cap is ``undecided``.
    """

    eps: float = 1e-3
    threshold: float = 0.5
    event_reason = "saturated"

    def __post_init__(self):
        if not (0 < self.eps < 1):
            raise WorkbenchError(f"eps must lie in (0, 1), got {self.eps}")
        if not (0 < self.threshold < 1):
            raise WorkbenchError(f"threshold must lie in (0, 1), got {self.threshold}")

    def event_value(self, field, y):
        return field.mean_reward(y) - (1.0 - self.eps)

    def classify(self, field, y):
        return _threshold_outcome(field.propensity(y).mean(axis=-1), self.threshold)

    def at_time_cap(self, field, y):
        return np.full(y.shape[0], UNDECIDED, dtype=object), "time cap"

    def describe(self):
        return {"criterion": "saturation", "eps": self.eps, "threshold": self.threshold}


@dataclass(frozen=True)
class Horizon(Criterion):
    """Integrate to the time cap and read the outcome there (mean ``p > threshold``)."""

    threshold: float = 0.5

    def classify(self, field, y):
        return _threshold_outcome(field.propensity(y).mean(axis=-1), self.threshold)

    def at_time_cap(self, field, y):
        return self.classify(field, y), "horizon"

    def describe(self):
        return {"criterion": "horizon", "threshold": self.threshold}


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """Outcome of every system of a batch.

    Attributes
    ----------
    outcome : array of str, shape (B,)
        ``reward-seeking``, ``local`` or ``undecided``.
    reason : array of str, shape (B,)
        ``saturated`` (or the criterion's ``event_reason``), ``time cap``, ``step limit``,
        ``horizon``, ``step size underflow`` or ``non-finite``.
    t_end : array, shape (B,)
        ``T_sat`` for saturated runs, else the time reached.
    t_sat : array, shape (B,)
        ``T_sat`` or NaN.
    state : array, shape (B, 3, N)
        Logits at ``t_end``.
    mean_p, mean_reward : array, shape (B,)
        Means over environments of ``p`` and ``J`` at ``t_end``.
    fraction_reward_seeking : array, shape (B,)
        Fraction of environments with ``p_i > threshold`` at ``t_end``.
    steps : array of int, shape (B,)
        Accepted steps.
    record_times, recorded : optional
        The requested times and the logits there, shape (B, T, 3, N) (NaN after a stop).
    """

    outcome: np.ndarray
    reason: np.ndarray
    t_end: np.ndarray
    state: np.ndarray
    mean_p: np.ndarray
    mean_reward: np.ndarray
    fraction_reward_seeking: np.ndarray
    steps: np.ndarray
    criterion: dict
    solver: dict
    record_times: np.ndarray | None = None
    recorded: np.ndarray | None = None

    @property
    def t_sat(self) -> np.ndarray:
        return np.where(self.reason == "saturated", self.t_end, np.nan)

    def __len__(self) -> int:
        return len(self.outcome)

    def __repr__(self) -> str:
        """One line per system (the first five of a batch), e.g. for a notebook.

        Examples
        --------
        >>> from workbench.rs import HomogeneousConfig, reduced_system, simulate
        >>> simulate(reduced_system(HomogeneousConfig(p0=0.01, n=200)))
        SimulationResult(1 system:
          [0] reward-seeking (saturated) at t = 112.685: mean p 0.99784, mean reward 0.999, fraction of environments reward-seeking 1)
        """
        lines = []
        for i in range(min(len(self), 5)):
            lines.append(f"  [{i}] {self.outcome[i]} ({self.reason[i]}) at t = {self.t_end[i]:.6g}: mean p {self.mean_p[i]:.5g}, "
                         f"mean reward {self.mean_reward[i]:.5g}, "
                         f"fraction of environments reward-seeking {self.fraction_reward_seeking[i]:.4g}")
        if len(self) > 5:
            lines.append(f"  ... {len(self) - 5} more")
        plural = "system" if len(self) == 1 else "systems"
        return f"SimulationResult({len(self)} {plural}:\n" + "\n".join(lines) + ")"

    def summary(self, i: int = 0) -> dict:
        """JSON-ready record of system ``i`` (the ``rs simulate`` contract)."""
        sat = self.reason[i] == "saturated"
        return {
            "outcome": str(self.outcome[i]),
            "p_final": float(self.mean_p[i]),
            "t_sat": float(self.t_end[i]) if sat else None,
            "reason": str(self.reason[i]),
            "t_end": float(self.t_end[i]),
            "mean_reward_final": float(self.mean_reward[i]),
            "fraction_reward_seeking": float(self.fraction_reward_seeking[i]),
            "logits_final": {k: self.state[i, j].tolist() for j, k in enumerate("zxy")},
            "steps": int(self.steps[i]),
            **self.criterion,
            **self.solver,
        }


def _illinois(g, lo, hi, f_lo, f_hi, active, *, iterations: int, tol: float, ftol: float):
    """Upward zeros of ``g`` on the brackets ``[lo, hi]`` (``f_lo < 0 <= f_hi``), per system.

    Illinois (modified regula falsi): superlinear, and the returned ``hi`` always satisfies
    ``g(hi) >= 0``. Systems outside ``active`` keep their bracket; the others stop at ``tol``
    in the argument or ``ftol`` in ``g``.
    """
    side = np.zeros(lo.size, dtype=np.int8)
    for _ in range(iterations):
        open_ = active & (hi - lo > tol) & (f_hi > ftol)
        if not open_.any():
            break
        denom = f_hi - f_lo
        mid = np.where(denom > 0, hi - f_hi * (hi - lo) / np.where(denom > 0, denom, 1.0), 0.5 * (lo + hi))
        mid = np.clip(mid, lo, hi)
        f_mid = g(mid)
        up = (f_mid >= 0) & open_
        down = ~up & open_
        hi, f_hi = np.where(up, mid, hi), np.where(up, f_mid, f_hi)
        lo, f_lo = np.where(down, mid, lo), np.where(down, f_mid, f_lo)
        # Illinois step: halve the stale end's value when the same end moves twice.
        f_lo = np.where(up & (side == 1), 0.5 * f_lo, f_lo)
        f_hi = np.where(down & (side == -1), 0.5 * f_hi, f_hi)
        side = np.where(up, 1, np.where(down, -1, side)).astype(np.int8)
    return hi


def _locate_crossing(g, g0, g1, iterations: int = 40, tol: float = 1e-10, ftol: float = 1e-15):
    """Upward zero of ``g(theta)`` on [0, 1] per system, ``g(0) = g0 < 0 <= g1 = g(1)``, to ``tol`` in theta
    (a fraction of the step) or ``ftol`` in ``g``; the located state is saturated (``g >= 0``).
    """
    lo, hi = np.zeros(g0.size), np.ones(g0.size)
    return _illinois(g, lo, hi, g0.astype(float).copy(), g1.astype(float).copy(), np.ones(g0.size, dtype=bool),
                     iterations=iterations, tol=tol, ftol=ftol)


def _refine_crossing(criterion, solver, field, ya, fa, h, theta, y_theta, g0, iterations: int = 30):
    """Move the event from the interpolant onto the integrator's own trajectory.

    The cubic interpolant is good to O(h^4) on a step while the step itself is fifth order, so
    on long steps it limits T_sat. Here ``g(theta)`` is the event value after one solver step
    of length ``theta * h`` from the step's start; its root is bracketed and found by the
    Illinois rule (:func:`_illinois`) to ``theta`` within 1e-13, i.e. T_sat to near
    machine precision relative to the step. The returned point has ``g >= 0`` (saturated).
    """

    def g(th):
        return criterion.event_value(field, solver.attempt(field, ya, fa, th * h)[0])

    # bracket: shrink or grow theta around the interpolant's root until the sign changes
    g_t = g(theta)
    lo, hi = np.zeros(theta.size), np.ones(theta.size)
    f_lo, f_hi = g0.astype(float).copy(), g(hi)
    ok = np.isfinite(g_t) & np.isfinite(f_hi) & (f_hi >= 0)
    lo, f_lo = np.where(ok & (g_t < 0), theta, lo), np.where(ok & (g_t < 0), g_t, f_lo)
    hi, f_hi = np.where(ok & (g_t >= 0), theta, hi), np.where(ok & (g_t >= 0), g_t, f_hi)
    hi = _illinois(g, lo, hi, f_lo, f_hi, ok, iterations=iterations, tol=1e-13, ftol=0.0)
    y_new = solver.attempt(field, ya, fa, hi * h)[0]
    keep = ok.reshape((-1,) + (1,) * (y_theta.ndim - 1))
    return np.where(ok, hi, theta), np.where(keep, y_new, y_theta)


def _trial_arithmetic():
    # A trial step may overflow (a huge learnability, a too long step): it is then rejected or
    # ends the run as "non-finite", so the floating-point warnings are expected, not errors.
    return np.errstate(over="ignore", invalid="ignore", divide="ignore")


def simulate(
    system: RewardSeekingSystem,
    *,
    solver: Solver | None = None,
    criterion: Criterion | None = None,
    t_max: float = 1e7,
    record_times=None,
    memory_limit: float | None = None,
) -> SimulationResult:
    """Integrate every system of ``system`` until its criterion stops it or ``t_max``.

    Parameters
    ----------
    system : RewardSeekingSystem
    solver : Solver, default DormandPrince()
    criterion : Criterion, default Saturation()
    t_max : float
        Time cap; a saturation run still running then is ``undecided``.
    record_times : array-like, optional
        Increasing times at which to store the logits (steps land on them exactly).
    memory_limit : float, optional
        Bytes the integration may allocate (default
        :data:`~workbench.rs._model.system.DEFAULT_MEMORY_LIMIT`); a larger system raises
        :class:`~workbench._errors.ResourceTooLarge` before any work.

    Examples
    --------
    >>> from workbench.rs import homogeneous_system, simulate
    >>> r = simulate(homogeneous_system(p0=0.5, x0=0.0, y0=-2.0))
    >>> str(r.outcome[0])
    'reward-seeking'
    """
    solver = solver or DormandPrince()
    criterion = criterion or Saturation()
    if not (t_max > 0) or not np.isfinite(t_max):
        raise WorkbenchError(f"t_max must be positive and finite, got {t_max}")
    B = system.n_batch
    n_rec = 0 if record_times is None else int(np.size(record_times))
    check_memory(state_bytes(B, system.n_envs) + 8.0 * B * n_rec * 3 * system.n_envs,
                 f"integrating {B} system(s) of {system.n_envs} environments", memory_limit)
    field0 = system.vector_field()
    y0 = system.initial.copy()

    rec_t = None if record_times is None else np.asarray(record_times, dtype=float)
    recorded = None
    rec_ptr = np.zeros(B, dtype=np.int64)
    if rec_t is not None:
        if rec_t.ndim != 1 or np.any(np.diff(rec_t) <= 0) or np.any(rec_t < 0) or np.any(rec_t > t_max):
            raise WorkbenchError("record_times must be increasing and within [0, t_max]")
        recorded = np.full((B, rec_t.size) + y0.shape[1:], np.nan)
        at0 = rec_t == 0
        recorded[:, at0] = y0[:, None]
        rec_ptr[:] = int(at0.sum())

    out_outcome = np.full(B, UNDECIDED, dtype=object)
    out_reason = np.full(B, "", dtype=object)
    out_t = np.zeros(B)
    out_state = y0.copy()
    out_steps = np.zeros(B, dtype=np.int64)

    def finish(local, gidx, t_fin, y_fin, outcome, reason, n_steps):
        out_outcome[gidx[local]] = outcome
        out_reason[gidx[local]] = reason
        out_t[gidx[local]] = t_fin
        out_state[gidx[local]] = y_fin
        out_steps[gidx[local]] = n_steps

    idx = np.arange(B)
    field, y = field0, y0
    ev = criterion.event_value(field, y)
    if ev is not None and (ev >= 0).any():  # already past the event at t = 0
        done = np.flatnonzero(ev >= 0)
        finish(done, idx, 0.0, y[done], criterion.classify(field.restrict(done), y[done]), criterion.event_reason, 0)
        keep = ev < 0
        idx, y, ev, field = idx[keep], y[keep], ev[keep], field.restrict(keep)

    t = np.zeros(idx.size)
    f = field(y)
    with _trial_arithmetic():
        h = solver.initial_step(field, y, f, np.full(idx.size, t_max)) if idx.size else np.zeros(0)
    steps = np.zeros(idx.size, dtype=np.int64)
    crossings = []  # steps across the event, located together after the loop

    while idx.size:
        stop = np.full(idx.size, t_max)
        if rec_t is not None:
            ptr = rec_ptr[idx]
            pending = ptr < rec_t.size
            stop[pending] = rec_t[ptr[pending]]
        clipped = t + h >= stop
        h_try = np.where(clipped, stop - t, h)
        with _trial_arithmetic():
            y_new, f_new, err = solver.attempt(field, y, f, h_try)
        finite = np.all(np.isfinite(y_new.reshape(idx.size, -1)), axis=1)
        accepted = finite & (err <= 1.0) if solver.adaptive else finite
        h_next = solver.next_step(h_try, np.where(finite, err, np.inf), accepted)
        if solver.adaptive:  # a step shortened to land on a stop must not shrink the next one
            h_next = np.where(clipped & accepted, np.maximum(h_next, h), h_next)
        t_new = np.where(clipped, stop, t + h_try)
        steps += accepted
        finished = np.zeros(idx.size, dtype=bool)

        if ev is not None:
            with _trial_arithmetic():
                ev_new = criterion.event_value(field, y_new)
            cross = accepted & (ev_new >= 0)
            if cross.any():
                c = np.flatnonzero(cross)
                crossings.append((idx[c], y[c], f[c], y_new[c], f_new[c], h_try[c], t[c], ev[c], ev_new[c], steps[c]))
                finished |= cross
            ev = np.where(accepted, ev_new, ev)

        if rec_t is not None:
            landed = accepted & clipped & pending & ~finished
            if landed.any():
                li = np.flatnonzero(landed)
                recorded[idx[li], ptr[li]] = y_new[li]
                rec_ptr[idx[li]] += 1

        capped = accepted & ~finished & (t_new >= t_max)
        if capped.any():
            c = np.flatnonzero(capped)
            outcome, reason = criterion.at_time_cap(field.restrict(c), y_new[c])
            finish(c, idx, t_max, y_new[c], outcome, reason, steps[c])
            finished |= capped
        over = ~finished & (steps >= solver.max_steps)
        if solver.adaptive:  # a non-finite trial is rejected; it ends only if h underflows
            # NaN-safe: a NaN step size (overflowing field) must end the run, not loop forever.
            bad = ~finished & ~accepted & ~(h_next >= 1e-14 * np.maximum(1.0, t))
        else:
            bad = ~finished & ~finite
        ended = over | bad
        if ended.any():
            c = np.flatnonzero(ended)
            reason = np.where(over[c], "step limit", np.where(finite[c], "step size underflow", "non-finite")).astype(object)
            took = accepted[c]
            finish(c, idx, np.where(took, t_new[c], t[c]), np.where(took[:, None, None], y_new[c], y[c]), UNDECIDED, reason, steps[c])
        finished |= over | bad

        t = np.where(accepted, t_new, t)
        y = np.where(accepted[:, None, None], y_new, y)
        f = np.where(accepted[:, None, None], f_new, f)
        h = h_next
        if finished.any():
            keep = ~finished
            idx, t, y, f, h, steps, field = idx[keep], t[keep], y[keep], f[keep], h[keep], steps[keep], field.restrict(keep)
            ev = ev[keep] if ev is not None else None

    if crossings:
        gidx, ya, fa, yb, fb, hs, ts, ea, eb, ns = (np.concatenate(parts) for parts in zip(*crossings))
        sub = field0.restrict(gidx)
        theta = _locate_crossing(lambda th: criterion.event_value(sub, hermite(ya, fa, yb, fb, hs, th)), ea, eb)
        y_ev = hermite(ya, fa, yb, fb, hs, theta)
        if solver.adaptive:
            with _trial_arithmetic():
                theta, y_ev = _refine_crossing(criterion, solver, sub, ya, fa, hs, theta, y_ev, ea)
        finish(np.arange(gidx.size), gidx, ts + theta * hs, y_ev, criterion.classify(sub, y_ev), criterion.event_reason, ns)

    p = field0.propensity(out_state)
    thr = criterion.threshold
    return SimulationResult(
        outcome=out_outcome,
        reason=out_reason,
        t_end=out_t,
        state=out_state,
        mean_p=p.mean(axis=-1),
        mean_reward=field0.mean_reward(out_state),
        fraction_reward_seeking=(p > thr).mean(axis=-1),
        steps=out_steps,
        criterion=criterion.describe(),
        solver=solver.describe(),
        record_times=rec_t,
        recorded=recorded,
    )
