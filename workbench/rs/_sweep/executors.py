"""Executors of a sweep's tasks: serial, local processes, Dask (strategy objects), and BLAS pinning.

* :class:`SerialExecutor` (default), :class:`ProcessExecutor` (``concurrent.futures``, local
  processes, BLAS pinned to one thread per worker), :class:`DaskExecutor` (Dask distributed:
  a ``LocalCluster`` or an existing scheduler at ``tcp://HOST:PORT``).

A task is a pure function of its parameters, so the results do not depend on the executor.

Examples
--------
>>> list(SerialExecutor().map(abs, [-1, 2]))
[(-1, 1), (2, 2)]
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import re
import socket
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from workbench._errors import WorkbenchError

def _set_blas_threads(n: int) -> bool:
    """Set the thread count of numpy's OpenBLAS (via ctypes); False when not found."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return False
    for lib in sorted(set(re.findall(r"(/\S*openblas\S*\.so\S*)", maps))):
        try:
            handle = ctypes.CDLL(lib)
        except OSError:
            continue
        for name in ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads64_", "openblas_set_num_threads"):
            fn = getattr(handle, name, None)
            if fn is not None:
                fn.argtypes = [ctypes.c_int]
                fn(int(n))
                return True
    return False


def _exit_with_parent(parent_pid: int, interval: float = 0.5) -> None:
    """Daemon thread: end this worker when its parent is gone (e.g. the sweep was SIGKILLed),
    instead of leaving an orphan that finishes a task nobody will record."""
    import threading

    def watch():
        while True:
            time.sleep(interval)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _worker_init(parent_pid: int | None = None) -> None:
    """Worker processes run one task each at a time: one BLAS thread avoids oversubscription
    (matrix-vector products give identical results whatever the thread count). With
    ``parent_pid`` the worker also exits when that parent dies."""
    _set_blas_threads(1)
    if parent_pid is not None:
        _exit_with_parent(parent_pid)


# Worker -> asyncio.Event set while no heartbeat of that worker is in flight (see _track_heartbeats).
_HEARTBEAT_IDLE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


async def _track_heartbeats(dask_worker) -> None:
    """Run on each worker of our own LocalCluster at start: wrap its periodic heartbeat so that
    :func:`_stop_heartbeats` can wait for the one in flight.

    Why: ``Worker.close`` stops the heartbeat timer but then closes its connection pool without
    awaiting a heartbeat already sent; that heartbeat's reply is cut off and distributed logs
    "Failed to communicate with scheduler during heartbeat" with a ``CommClosedError``
    traceback, on a successful run (dask/distributed#8382, #7891, #7105; more likely the
    longer a heartbeat takes, i.e. on a loaded machine). Closing the client before the cluster
    does not help: the race is between a worker and its own close.
    """
    pc = getattr(dask_worker, "periodic_callbacks", {}).get("heartbeat")
    if pc is None or dask_worker in _HEARTBEAT_IDLE:
        return
    beat, idle = pc.callback, asyncio.Event()
    idle.set()

    async def tracked():
        idle.clear()
        try:
            await beat()
        finally:
            idle.set()

    pc.callback = tracked
    _HEARTBEAT_IDLE[dask_worker] = idle


async def _stop_heartbeats(dask_worker, timeout: float = 10.0) -> None:
    """Run on each worker before closing our LocalCluster: no new heartbeat, and the one in
    flight (if any) answered, so ``Worker.close`` has no heartbeat to cut off. The scheduler
    only misses heartbeats after ``distributed.scheduler.worker-ttl`` (minutes); we close at once."""
    pc = getattr(dask_worker, "periodic_callbacks", {}).get("heartbeat")
    if pc is None:
        return
    pc.stop()
    idle = _HEARTBEAT_IDLE.get(dask_worker)
    if idle is not None:
        with contextlib.suppress(TimeoutError, asyncio.TimeoutError):
            await asyncio.wait_for(idle.wait(), timeout)


class Executor:
    """Strategy: run ``fn`` on every item, yielding ``(item, result)`` as each finishes."""

    name = "?"

    def map(self, fn: Callable, items: list) -> Iterator[tuple]:  # pragma: no cover - interface
        raise NotImplementedError

    @contextlib.contextmanager
    def session(self):
        """Start (or connect to) the workers and yield a ``map`` that uses them.

        Failing to start raises here, before the caller writes anything.
        """
        yield self.map

    def describe(self) -> dict:
        return {"executor": self.name}


class SerialExecutor(Executor):
    """In this process, one task after another (the default)."""

    name = "serial"

    def map(self, fn, items):
        for item in items:
            yield item, fn(item)


@dataclass(frozen=True)
class ProcessExecutor(Executor):
    """``concurrent.futures.ProcessPoolExecutor`` with ``workers`` local processes."""

    workers: int = 2
    name = "processes"

    def __post_init__(self):
        if int(self.workers) != self.workers or self.workers < 1:
            raise WorkbenchError(f"--workers must be a positive integer, got {self.workers}")

    def map(self, fn, items):
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=self.workers, initializer=_worker_init, initargs=(os.getpid(),)) as pool:
            futures = {pool.submit(fn, item): item for item in items}
            try:
                for fut in as_completed(futures):
                    yield futures[fut], fut.result()
            except BaseException:
                for f in futures:
                    f.cancel()
                raise

    def describe(self):
        return {"executor": self.name, "workers": self.workers}


@dataclass(frozen=True)
class DaskExecutor(Executor):
    """Dask distributed: ``address=None`` starts a ``LocalCluster`` (``workers`` single-threaded
    workers, no dashboard), ``tcp://HOST:PORT`` joins an existing scheduler.

    Our own cluster shuts down quietly: its workers' heartbeats are drained before the client
    and then the cluster close (see :func:`_track_heartbeats`); a joined cluster is left running."""

    address: str | None = None
    workers: int = 2
    processes: bool = True
    timeout: float = 10.0
    name = "dask"

    def __post_init__(self):
        if self.address is not None and not re.match(r"^(tcp|tls|inproc|ucx)://\S+$", self.address):
            raise WorkbenchError(f"--scheduler must be 'local' or an address like tcp://HOST:PORT, got {self.address!r}")
        if int(self.workers) != self.workers or self.workers < 1:
            raise WorkbenchError(f"--workers must be a positive integer, got {self.workers}")

    @contextlib.contextmanager
    def _client(self):
        from distributed import Client, LocalCluster

        if self.address is None:
            # tcp also for in-process workers: Dask's default there (inproc://) refuses a host.
            # No dashboard; its health server on a free port, not 8787: no "Port 8787 is already
            # in use" warning when another Dask (or a second run) is up.
            cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=self.processes,
                                   dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                                   host="127.0.0.1", protocol="tcp://")
            client = Client(cluster)
            try:
                if self.processes:
                    client.run(_worker_init)
                client.run(_track_heartbeats)
                yield client
            finally:
                # Quiet shutdown: workers' heartbeats drained, then client, then cluster.
                with contextlib.suppress(Exception):
                    client.run(_stop_heartbeats, on_error="ignore")
                client.close()
                cluster.close()
        else:
            self._probe()
            try:
                client = Client(self.address, timeout=f"{self.timeout}s")
            except (OSError, TimeoutError) as exc:
                raise WorkbenchError(f"cannot reach the Dask scheduler at {self.address}: {exc}") from None
            try:
                yield client
            finally:
                client.close()

    def _probe(self) -> None:
        """A plain TCP connect first: nothing listening fails at once, not after Dask's retries."""
        from urllib.parse import urlsplit

        if not self.address.startswith("tcp://"):
            return
        try:
            parts = urlsplit(self.address)
            host, port = parts.hostname, parts.port
        except ValueError:
            raise WorkbenchError(f"--scheduler {self.address!r} is not an address like tcp://HOST:PORT") from None
        if not host or port is None:
            return
        try:
            socket.create_connection((host, port), timeout=self.timeout).close()
        except OSError as exc:
            raise WorkbenchError(f"cannot reach the Dask scheduler at {self.address}: {exc.strerror or exc}") from None

    @contextlib.contextmanager
    def session(self):
        with self._client() as client:
            yield lambda fn, items: self._map(client, fn, items)

    def map(self, fn, items):
        with self.session() as run:
            yield from run(fn, items)

    def _map(self, client, fn, items):
        from distributed import as_completed

        futures = [client.submit(fn, item, pure=False, key=f"rs-sweep-{i}-{os.getpid()}-{time.time_ns()}")
                   for i, item in enumerate(items)]
        where = {f.key: item for f, item in zip(futures, items)}
        try:
            for fut in as_completed(futures):
                yield where[fut.key], fut.result()
        finally:
            client.cancel(futures)

    def describe(self):
        return {"executor": self.name, "scheduler": self.address or "local", "workers": self.workers}


def executor_from_options(scheduler: str | None, workers: int | None) -> Executor:
    """No scheduler: serial (``workers`` None) or local processes; ``local`` or ``tcp://...``: Dask."""
    if scheduler is None:
        return SerialExecutor() if workers is None else ProcessExecutor(workers)
    if scheduler == "local":
        return DaskExecutor(None, workers or 2)
    if workers is not None:
        raise WorkbenchError("--workers does not apply when joining an existing cluster (--scheduler tcp://...); its workers are fixed")
    return DaskExecutor(scheduler)
