"""Running the symbolic derivations: :class:`SymbolicChecks` and :func:`run_derivation`."""

from __future__ import annotations

import importlib
import pkgutil
import sys

from workbench._errors import DataNotFound

_PACKAGE = "workbench.rs._analysis.derivations"


class SymbolicChecks:
    """The checks of one derivation: prints each, and ``finish()`` exits 1 if any failed.

    Examples
    --------
    >>> check = SymbolicChecks()
    >>> check("1 + 1 == 2", 1 + 1 == 2)
      [ok] 1 + 1 == 2
    True
    """

    def __init__(self):
        self.failures: list[str] = []

    def __call__(self, name: str, ok) -> bool:
        ok = bool(ok)
        print(f"  [{'ok' if ok else 'FAILED'}] {name}")
        if not ok:
            self.failures.append(name)
        return ok

    def finish(self):
        print("\nRESULT:", "all checks passed" if not self.failures else f"{len(self.failures)} check(s) FAILED: {self.failures}")
        sys.exit(1 if self.failures else 0)


def derivation_names() -> list[str]:
    """The names of the shipped derivations (``proofs/<name>.py`` runs each).

    >>> "homogeneous_reduction" in derivation_names()
    True
    """
    package = importlib.import_module(_PACKAGE)
    return sorted(m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_"))


def derivation_module(name: str) -> str:
    """The module that holds derivation ``name`` (run it with ``python -m MODULE``)."""
    if name not in derivation_names():
        raise DataNotFound(f"no derivation named {name!r}; known: {', '.join(derivation_names())}")
    return f"{_PACKAGE}.{name}"


def run_derivation(name: str) -> int:
    """Run one derivation in this process: print its checks; return 0 if every check passed."""
    module = importlib.import_module(derivation_module(name))
    try:
        module.main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0
