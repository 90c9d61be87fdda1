"""Run the symbolic derivations in ``proofs/`` (one script per analytic claim).

Each script prints its derivation and exits non-zero if a symbolic check fails. The claims
registry runs them in a subprocess so that a proof is exactly what a reader can rerun with
``python proofs/NAME.py``.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

PROOFS_DIR = Path(__file__).resolve().parent.parent / "proofs"


@dataclass(frozen=True)
class ProofRun:
    name: str
    path: Path
    available: bool
    passed: bool
    returncode: int | None
    output: str
    seconds: float

    def to_json(self) -> dict:
        return {
            "proof": f"proofs/{self.name}.py",
            "available": self.available,
            "passed": self.passed,
            "returncode": self.returncode,
            "seconds": round(self.seconds, 2),
            "output_tail": self.output[-1500:],
        }


def proof_names() -> list[str]:
    return sorted(p.stem for p in PROOFS_DIR.glob("*.py") if not p.name.startswith("_"))


def run_proof(name: str, timeout: float = 600.0) -> ProofRun:
    """Run ``proofs/<name>.py`` with this interpreter; never raises for a failing proof."""
    path = PROOFS_DIR / f"{name}.py"
    if not path.exists():
        return ProofRun(name, path, False, False, None, "script not found", 0.0)
    start = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return ProofRun(name, path, True, False, None, f"timed out after {timeout} s", time.perf_counter() - start)
    out = proc.stdout + (("\n[stderr]\n" + proc.stderr) if proc.stderr.strip() else "")
    return ProofRun(name, path, True, proc.returncode == 0, proc.returncode, out, time.perf_counter() - start)


class SymbolicChecks:
    """The checks of one ``proofs/`` script: prints each, and ``finish()`` exits 1 if any failed.

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
