"""The sweep store: a manifest and one atomic JSON record per finished task (resumable).

Store (``--out DIR``): ``DIR/manifest.json`` holds the sweep parameters; ``DIR/records/`` one
JSON record per finished task, written atomically (temporary ``.part`` file, fsync,
``os.replace``) by the parent process as results arrive; ``DIR/summary.json`` the aggregate,
written as soon as the last task is in (before any figure). A record is read back only if it
parses, has the current format, names its own task and carries the manifest's hash; leftover
``.part`` files are ignored and removed. A second run with the same parameters reuses every
valid record (resume after SIGKILL or Ctrl-C); a run with different parameters is refused.

The manifest is :meth:`~workbench.rs._sweep.spec.SweepSpec.to_json`: the solver and kernel
objects are stored by their ``describe()`` records (``{"solver": "dormand-prince", "rtol": ...}``,
``{"kernel": "dense"}``), the same records that stores written when the spec took
``integrator=``/``kernel=`` strings hold, so those stores resume unchanged.
"""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path

from workbench._errors import OutputNotWritable, WorkbenchError
from workbench._io import atomic_write_json, check_writable, to_jsonable
from workbench.rs._sweep.spec import STORE_FORMAT, SweepSpec, SweepTask

class SweepStore:
    """One atomic JSON record per finished task under ``directory`` plus a manifest."""

    def __init__(self, directory):
        # Checked here, before any work; nothing is created until open().
        self.directory = check_writable(directory, name="--out", directory=True, create=True)
        self.records = self.directory / "records"
        for sub in (self.records, self.directory / "manifest.json", self.directory / "summary.json"):
            if sub.exists() and sub.is_dir() != (sub == self.records):
                raise OutputNotWritable(f"--out {self.directory}: {sub} is in the way (not a sweep store); use another --out")

    def check(self, spec: SweepSpec) -> bool:
        """Check, writing nothing, that the store is new or was made with ``spec``; True if it exists."""
        manifest = to_jsonable(spec.to_json())
        self._hash = spec.fingerprint()
        path = self.directory / "manifest.json"
        if not path.exists():
            return False
        try:
            old = json.loads(path.read_text())
        except (OSError, ValueError, RecursionError):
            raise WorkbenchError(f"{path} is not a readable sweep manifest; use another --out") from None
        if not isinstance(old, dict):
            raise WorkbenchError(f"{path} is not a sweep manifest; use another --out")
        if old != manifest:
            diff = sorted(k for k in set(old) | set(manifest) if old.get(k) != manifest.get(k))
            raise WorkbenchError(f"--out {self.directory} holds a sweep made with different parameters "
                                 f"(differs in: {', '.join(diff)}); use another --out or the same parameters")
        return True

    def open(self, spec: SweepSpec) -> None:
        """Create the store, or check that it was made with the same parameters."""
        if not self.check(spec):
            self.directory.mkdir(parents=True, exist_ok=True)
            atomic_write_json(self.directory / "manifest.json", to_jsonable(spec.to_json()))
        self.records.mkdir(parents=True, exist_ok=True)
        for stale in self.records.glob(".*.part"):  # left by a killed writer; never read
            with contextlib.suppress(OSError):
                stale.unlink()

    def _path(self, task: SweepTask) -> Path:
        safe = re.sub(r"[^A-Za-z0-9_.=+-]", "_", task.key)
        return self.records / f"{safe}.json"

    def load(self, task: SweepTask) -> dict | None:
        """The valid record of ``task`` or None (missing, unreadable or not this sweep's)."""
        path = self._path(task)
        try:
            rec = json.loads(path.read_text())
        except (OSError, ValueError, RecursionError):
            return None
        ok = (isinstance(rec, dict) and rec.get("format") == STORE_FORMAT and rec.get("key") == task.key
              and rec.get("spec_hash") == self._hash and isinstance(rec.get("result"), dict)
              and "n_star" in rec["result"])
        return rec if ok else None

    def save(self, task: SweepTask, record: dict) -> Path:
        return atomic_write_json(self._path(task), record)

    def save_summary(self, summary: dict) -> Path:
        """Write ``summary.json`` (atomically) into the store."""
        return atomic_write_json(self.directory / "summary.json", summary)
