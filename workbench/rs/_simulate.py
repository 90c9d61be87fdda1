"""Batched simulation to the outcome of training (spec §3).

:func:`simulate` is the one entry point: it takes a :class:`RewardSeekingSystem` (a batch),
a solver strategy and a criterion strategy. Every system has its own time, step size and
stopping event; finished systems are dropped from the working arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._errors import WorkbenchError
from ._solvers import DormandPrince, Solver, hermite
from ._system import RewardSeekingSystem

REWARD_SEEKING = "reward-seeking"
LOCAL = "local"
UNDECIDED = "undecided"


class Criterion:
    """How a run ends and how its outcome is read."""

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
    return np.where(mean_p > threshold, REWARD_SEEKING, LOCAL).astype(object)


@dataclass(frozen=True)
class Saturation(Criterion):
    """Spec §3: stop when the mean expected reward first reaches ``1 - eps`` (time ``T_sat``);
    reward-seeking dominates when the mean of ``p_i(T_sat)`` exceeds ``threshold``.
    A run that does not saturate before the time cap is ``undecided``.
    """

    eps: float = 1e-3
    threshold: float = 0.5

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
        ``saturated``, ``time cap``, ``step limit``, ``horizon`` or ``non-finite``.
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


def _locate_crossing(g, g0, g1, iterations: int = 40, tol: float = 1e-10, ftol: float = 1e-15):
    """Upward zero of ``g(theta)`` on [0, 1] per system, ``g(0) = g0 < 0 <= g1 = g(1)``, to ``tol`` in theta
    (a fraction of the step) or ``ftol`` in ``g``.

    Illinois (modified regula falsi): superlinear, and the returned point always satisfies
    ``g >= 0`` so the located state is saturated.
    """
    lo, hi = np.zeros(g0.size), np.ones(g0.size)
    f_lo, f_hi = g0.astype(float).copy(), g1.astype(float).copy()
    side = np.zeros(g0.size, dtype=np.int8)
    for _ in range(iterations):
        open_ = (hi - lo > tol) & (f_hi > ftol)
        if not open_.any():
            break
        denom = f_hi - f_lo
        mid = np.where(denom > 0, hi - f_hi * (hi - lo) / np.where(denom > 0, denom, 1.0), 0.5 * (lo + hi))
        mid = np.clip(mid, lo + 0.0 * (hi - lo), hi)
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


def simulate(
    system: RewardSeekingSystem,
    *,
    solver: Solver | None = None,
    criterion: Criterion | None = None,
    t_max: float = 1e7,
    record_times=None,
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
    field0 = system.vector_field()
    y0 = system.initial.copy()

    rec_t = None if record_times is None else np.asarray(record_times, dtype=float)
    if rec_t is not None:
        if rec_t.ndim != 1 or np.any(np.diff(rec_t) <= 0) or np.any(rec_t < 0) or np.any(rec_t > t_max):
            raise WorkbenchError("record_times must be increasing and within [0, t_max]")
        recorded = np.full((B, rec_t.size) + y0.shape[1:], np.nan)
        at0 = rec_t == 0
        recorded[:, at0] = y0[:, None]
        rec_ptr = np.full(B, int(at0.sum()))
    else:
        recorded = None

    out_outcome = np.full(B, UNDECIDED, dtype=object)
    out_reason = np.full(B, "", dtype=object)
    out_t = np.zeros(B)
    out_state = y0.copy()
    out_steps = np.zeros(B, dtype=np.int64)

    # Systems already past the event at t = 0 stop at once.
    idx = np.arange(B)
    field = field0
    y = y0
    s0 = criterion.event_value(field, y)
    if s0 is not None:
        done = s0 >= 0
        if done.any():
            out_outcome[done] = criterion.classify(field.restrict(done), y[done])
            out_reason[done] = "saturated"
            keep = ~done
            idx, y, field = idx[keep], y[keep], field.restrict(keep)

    t = np.zeros(idx.size)
    f = field(y)
    h = solver.initial_step(field, y, f, np.full(idx.size, t_max))
    steps = np.zeros(idx.size, dtype=np.int64)
    ev = criterion.event_value(field, y)

    def next_stop(t, ptr):
        stop = np.full(t.shape, t_max)
        if rec_t is not None:
            has = ptr < rec_t.size
            stop[has] = rec_t[ptr[has]]
        return stop

    while idx.size:
        ptr = rec_ptr[idx] if rec_t is not None else None
        stop = next_stop(t, ptr)
        clipped = t + h >= stop
        h_try = np.where(clipped, stop - t, h)
        y_new, f_new, err = solver.attempt(field, y, f, h_try)
        finite = np.all(np.isfinite(y_new.reshape(idx.size, -1)), axis=1)
        accepted = (err <= 1.0) & finite if solver.adaptive else finite
        h_next = solver.next_step(h_try, np.where(finite, err, np.inf), accepted)
        if solver.adaptive:
            h_next = np.where(clipped & accepted, np.maximum(h_next, h), h_next)
        t_new = np.where(clipped, stop, t + h_try)

        finished = np.zeros(idx.size, dtype=bool)
        finish_t = t_new.copy()
        finish_y = y_new.copy()
        finish_outcome = np.full(idx.size, UNDECIDED, dtype=object)
        finish_reason = np.full(idx.size, "", dtype=object)

        # Event: an accepted step across the zero of the event function.
        if ev is not None:
            ev_new = np.where(accepted, criterion.event_value(field, y_new), -np.inf)
            cross = accepted & (ev_new >= 0)
            if cross.any():
                c = np.flatnonzero(cross)
                sub = field.restrict(c)
                theta = _locate_crossing(lambda th: criterion.event_value(sub, hermite(y[c], f[c], y_new[c], f_new[c], h_try[c], th)),
                                         ev[c], ev_new[c])
                hi = theta
                y_ev = hermite(y[c], f[c], y_new[c], f_new[c], h_try[c], hi)
                finish_y[c] = y_ev
                finish_t[c] = t[c] + hi * h_try[c]
                finish_outcome[c] = criterion.classify(sub, y_ev)
                finish_reason[c] = "saturated"
                finished |= cross
            ev = np.where(accepted, ev_new, ev)

        # Recording (only on accepted steps that landed on a record time and did not stop first).
        if rec_t is not None:
            landed = accepted & clipped & (ptr < rec_t.size) & ~finished
            if landed.any():
                li = np.flatnonzero(landed)
                recorded[idx[li], ptr[li]] = y_new[li]
                rec_ptr[idx[li]] += 1

        steps += accepted
        capped = accepted & ~finished & (t_new >= t_max)
        if capped.any():
            c = np.flatnonzero(capped)
            oc, reason = criterion.at_time_cap(field.restrict(c), y_new[c])
            finish_outcome[c] = oc
            finish_reason[c] = reason
            finished |= capped
        over = ~finished & (steps >= solver.max_steps)
        finish_reason[over] = "step limit"
        if solver.adaptive:  # a non-finite trial is rejected; it ends only if h underflows
            bad = ~finished & ~accepted & (h_next < 1e-14 * np.maximum(1.0, t))
        else:
            bad = ~finished & ~finite
        finish_reason[bad] = np.where(finite[bad], "step size underflow", "non-finite")
        finished |= over | bad
        finish_t = np.where(accepted, finish_t, t)
        keep_old = ~accepted & finished
        finish_y[keep_old] = y[keep_old]

        if finished.any():
            fi = np.flatnonzero(finished)
            gi = idx[fi]
            out_outcome[gi] = finish_outcome[fi]
            out_reason[gi] = finish_reason[fi]
            out_t[gi] = finish_t[fi]
            out_state[gi] = finish_y[fi]
            out_steps[gi] = steps[fi]

        t = np.where(accepted, t_new, t)
        y = np.where(accepted[:, None, None], y_new, y)
        f = np.where(accepted[:, None, None], f_new, f)
        h = h_next
        if finished.any():
            keep = ~finished
            idx, t, y, f, h, steps = idx[keep], t[keep], y[keep], f[keep], h[keep], steps[keep]
            ev = ev[keep] if ev is not None else None
            field = field.restrict(keep)

    p = field0.propensity(out_state)
    thr = getattr(criterion, "threshold", 0.5)
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
