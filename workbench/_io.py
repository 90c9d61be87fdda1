"""Atomic output: a file is either complete or absent, never half-written."""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _replace_atomically(path: Path, write) -> Path:
    path = Path(path)  # the parent must exist: callers create only their own output folders
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and an atomic rename."""
    return _replace_atomically(path, lambda fh: fh.write(data))


def atomic_write_text(path: Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def to_jsonable(value: Any) -> Any:
    """Convert numpy scalars/arrays, fractions and non-finite floats to JSON values.

    NaN and infinities become ``None`` so that the output is strict JSON.
    """
    import numpy as np
    from fractions import Fraction

    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return to_jsonable(value.tolist())
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value.numerator)
    if hasattr(value, "to_json"):
        return to_jsonable(value.to_json())
    return value


def dumps_json(value: Any) -> str:
    return json.dumps(to_jsonable(value), indent=2, allow_nan=False)


def atomic_write_json(path: Path, value: Any) -> Path:
    return atomic_write_text(path, dumps_json(value) + "\n")


def save_figure(fig, path: Path, *, dpi: int = 110) -> Path:
    """Save a matplotlib figure atomically (format from the suffix) and close it."""
    import matplotlib.pyplot as plt

    path = Path(path)
    fmt = path.suffix.lstrip(".") or "png"
    try:
        return _replace_atomically(path, lambda fh: fig.savefig(fh, format=fmt, dpi=dpi, bbox_inches="tight"))
    finally:
        plt.close(fig)


def check_writable(path, *, name: str = "output", directory: bool = False, create: bool = False) -> Path:
    """Check, before any work, that ``path`` can be written; return it as a :class:`Path`.

    A file path (``directory=False``) must not be a directory, and its parent must be an
    existing, writable directory. A directory path (``directory=True``) must be a writable
    directory, or, with ``create=True`` (the tool's own output folder), have an existing,
    writable ancestor; nothing is created here. Raises :class:`OutputNotWritable` naming ``name``.
    """
    from workbench._errors import OutputNotWritable

    path = Path(path)
    if str(path) == "":
        raise OutputNotWritable(f"{name}: the path is empty")
    if directory:
        if path.exists():
            if not path.is_dir():
                raise OutputNotWritable(f"{name}: {path} exists and is not a directory")
            if not _can_create_in(path):
                raise OutputNotWritable(f"{name}: the directory {path} is not writable")
            return path
        if not create:
            raise OutputNotWritable(f"{name}: the directory {path} does not exist")
        ancestor = path.parent
        while not ancestor.exists() and ancestor != ancestor.parent:
            ancestor = ancestor.parent
        if not ancestor.is_dir():
            raise OutputNotWritable(f"{name}: cannot create {path}: {ancestor} is not a directory")
        if not _can_create_in(ancestor):
            raise OutputNotWritable(f"{name}: cannot create {path}: {ancestor} is not writable")
        return path
    if path.is_dir():
        raise OutputNotWritable(f"{name}: {path} is a directory; give a file name")
    parent = path.parent
    if not parent.exists():
        raise OutputNotWritable(f"{name}: the directory {parent} does not exist (create it first)")
    if not parent.is_dir():
        raise OutputNotWritable(f"{name}: {parent} is not a directory")
    if (path.exists() and not os.access(path, os.W_OK)) or not _can_create_in(parent):
        raise OutputNotWritable(f"{name}: {path} is not writable")
    return path


def _can_create_in(directory: Path) -> bool:
    # os.access is not enough (root ignores mode bits, but not read-only mounts): try it.
    try:
        with tempfile.TemporaryFile(dir=directory):
            return True
    except OSError:
        return False
