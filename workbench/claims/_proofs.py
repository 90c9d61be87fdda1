"""Run the symbolic derivations (one per analytic claim) for the claims registry.

The derivations live in the package (``workbench.rs._analysis.derivations``); ``proofs/NAME.py``
is the same derivation as a script a reader can rerun. Each prints its checks and exits
non-zero if one fails; the registry runs them in a fresh interpreter.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from workbench._errors import DataNotFound
from workbench.rs._analysis.checks import derivation_module, derivation_names


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
    return derivation_names()


def run_proof(name: str, timeout: float = 600.0) -> ProofRun:
    """Run derivation ``name`` (``proofs/<name>.py``) in a fresh interpreter; never raises for a failing proof.

    It runs the installed package's module, so it works outside a checkout too.
    """
    path = Path("proofs") / f"{name}.py"
    try:
        module = derivation_module(name)
    except DataNotFound as exc:
        return ProofRun(name, path, False, False, None, str(exc), 0.0)
    start = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-m", module], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return ProofRun(name, path, True, False, None, f"timed out after {timeout} s", time.perf_counter() - start)
    out = proc.stdout + (("\n[stderr]\n" + proc.stderr) if proc.stderr.strip() else "")
    return ProofRun(name, path, True, proc.returncode == 0, proc.returncode, out, time.perf_counter() - start)
