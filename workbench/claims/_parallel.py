"""Run claims side by side in forked worker processes (``workbench verify --jobs N``).

The workers are forked after the claims are loaded, so they inherit every check (a user's
claims file and a test's stand-in registry included) and nothing has to be pickled but the
index of the claim to run and its evidence. Each worker keeps one :class:`CheckContext` for
all the claims it runs; ``cached`` results are shared between the workers through a
lock-protected directory, so a result several claims need is computed once. The proofs the
claims cite (:data:`~workbench.claims._proofs.PROOFS_CITED`) are tasks of their own, so a
proof's subprocess runs beside the claims instead of inside the first claim that needs it.
Tasks start costliest first (the static :attr:`Claim.cost_hint` and
:data:`~workbench.claims._proofs.PROOF_COST_HINTS`), which keeps the longest one from
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

from workbench.claims._registry import _CLAIM_MODULES, CheckContext, Claim, ClaimResult, Evidence, run_claim

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


def _prefetch(name: str) -> None:
    """Run proof ``name`` in a worker into the shared cache (the claims citing it read it there)."""
    from workbench.claims._proofs import cached_proof

    _Worker.busy = True
    try:
        cached_proof(_Worker.context, name)
    except KeyboardInterrupt:
        pass  # the parent is stopping the run
    except Exception:  # noqa: BLE001 - a claim citing the proof runs it again and reports what went wrong
        pass
    finally:
        _Worker.busy = False


def start_order(claims: list[Claim]) -> list[int]:
    """The indices of ``claims``, costliest first; equal hints keep the given order."""
    return sorted(range(len(claims)), key=lambda i: -claims[i].cost_hint)


def tasks(claims: list[Claim]) -> list[tuple[str, int | str]]:
    """What the workers run, costliest first: ``("claim", index)`` and ``("proof", name)``.

    A proof is a task when a built-in claim that cites it is among ``claims``; equal hints keep
    the given order, claims before proofs.
    """
    from workbench.claims._proofs import PROOF_COST_HINTS, PROOFS_CITED

    proofs = list(dict.fromkeys(name for c in claims if getattr(c.check, "__module__", None) in _CLAIM_MODULES
                                for name in PROOFS_CITED.get(c.id, ())))
    items = [(-c.cost_hint, 0, k, ("claim", k)) for k, c in enumerate(claims)]
    items += [(-PROOF_COST_HINTS.get(name, 1.0), 1, k, ("proof", name)) for k, name in enumerate(proofs)]
    return [task for *_, task in sorted(items)]


def run_parallel(claims: list[Claim], context: CheckContext, progress: Callable[[ClaimResult], None] | None,
                 jobs: int) -> list[ClaimResult]:
    """:func:`run_claims` with ``jobs`` forked workers (see there)."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    order = tasks(claims)
    results: list[ClaimResult | None] = [None] * len(claims)
    with tempfile.TemporaryDirectory(prefix="workbench-shared-") as shared:
        _Worker.claims = claims
        _Worker.context = CheckContext(out_dir=context.out_dir, cache=dict(context.cache), shared_dir=Path(shared))
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_init_worker)
        try:
            futures = [pool.submit(_run_one, what) if kind == "claim" else pool.submit(_prefetch, what)
                       for kind, what in order]
            for future in as_completed(futures):
                done = future.result()
                if done is None:  # a proof, now in the shared cache
                    continue
                index, evidence, seconds = done
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
