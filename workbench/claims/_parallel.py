"""Run claims side by side in forked worker processes (``workbench verify --jobs N``).

The workers are forked after the claims are loaded, so they inherit every check (a user's
claims file and a test's stand-in registry included) and nothing has to be pickled but the
index of the claim to run and its evidence. Each worker keeps one :class:`CheckContext` for
all the claims it runs; ``cached`` results are shared between the workers through a
lock-protected directory, so a result several claims need is computed once. Claims start
costliest first (their static :attr:`Claim.cost_hint`), which keeps the longest one from
starting last; the results are returned in the order given, so nothing downstream can
tell a parallel run from a serial one except the timings.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import tempfile
from collections.abc import Callable
from pathlib import Path

from workbench.claims._registry import CheckContext, Claim, ClaimResult, Evidence, run_claim

#: The upper limit of the default number of workers (memory: each holds the science's imports).
MAX_DEFAULT_JOBS = 8


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def default_jobs() -> int:
    """The CPUs this process may use, at most :data:`MAX_DEFAULT_JOBS`."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_DEFAULT_JOBS))


class _Worker:
    """What a forked worker inherits: the claims and its context (set before the fork)."""

    claims: list[Claim] = []
    context: CheckContext | None = None
    busy = False


def _on_interrupt(signum, frame):
    # Ctrl-C reaches the whole process group: the parent cleans up; a worker stops quietly.
    if _Worker.busy:
        raise KeyboardInterrupt
    os._exit(130)


def _init_worker() -> None:
    signal.signal(signal.SIGINT, _on_interrupt)


def _run_one(index: int) -> tuple[int, Evidence | None, float]:
    """Run claim ``index`` in a worker: its evidence (None if interrupted) and its seconds."""
    _Worker.busy = True
    try:
        result = run_claim(_Worker.claims[index], _Worker.context)
    except KeyboardInterrupt:
        return index, None, 0.0
    finally:
        _Worker.busy = False
    evidence = result.evidence
    try:
        pickle.dumps(evidence)
    except Exception as exc:  # noqa: BLE001 - reported like any check that went wrong
        evidence = Evidence.crashed(f"the evidence could not be sent back from the worker process "
                                    f"({type(exc).__name__}: {exc}); its details must be plain data")
    return index, evidence, result.seconds


def start_order(claims: list[Claim]) -> list[int]:
    """The indices of ``claims``, costliest first; equal hints keep the given order."""
    return sorted(range(len(claims)), key=lambda i: -claims[i].cost_hint)


def run_parallel(claims: list[Claim], context: CheckContext, progress: Callable[[ClaimResult], None] | None,
                 jobs: int) -> list[ClaimResult]:
    """:func:`run_claims` with ``jobs`` forked workers (see there)."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    order = start_order(claims)
    results: list[ClaimResult | None] = [None] * len(claims)
    with tempfile.TemporaryDirectory(prefix="workbench-shared-") as shared:
        _Worker.claims = claims
        _Worker.context = CheckContext(out_dir=context.out_dir, cache=dict(context.cache), shared_dir=Path(shared))
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_init_worker)
        try:
            futures = [pool.submit(_run_one, i) for i in order]
            for future in as_completed(futures):
                index, evidence, seconds = future.result()
                if evidence is None:  # a check was interrupted in its worker
                    raise KeyboardInterrupt
                results[index] = ClaimResult(claims[index], evidence, seconds)
                if progress is not None:
                    progress(results[index])
        except BaseException:
            _stop(pool)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            _Worker.claims, _Worker.context = [], None
    return results


def _stop(pool) -> None:
    """Stop every worker now (their partial output is staged, and the caller discards it)."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
    if terminate is not None:
        terminate()
        return
    for process in list(getattr(pool, "_processes", {}).values()):
        if process.is_alive():
            process.terminate()
