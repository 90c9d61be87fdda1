"""Run the symbolic derivations (one per analytic claim) for the claims registry.

The derivations live in the package (``workbench.rs._analysis.derivations``); ``proofs/NAME.py``
is the same derivation as a script a reader can rerun. Each prints its checks and exits
non-zero if one fails; the registry runs them in a fresh interpreter, once per verify run
(:func:`cached_proof`). A parallel verify starts the proofs its claims cite as tasks of their
own (:data:`PROOFS_CITED`), so a proof runs beside the claims rather than inside the first
claim that cites it.
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


def run_proof(name: str, timeout: float | None = None) -> ProofRun:
    """Run derivation ``name`` (``proofs/<name>.py``) in a fresh interpreter; never raises for a failing proof.

    It runs the installed package's module, so it works outside a checkout too. ``timeout``
    (seconds, default none) is for tests only: a verdict must not depend on the machine's load.
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


#: The proofs each built-in claim cites (its check calls :func:`cached_proof` with these names).
#: A parallel ``workbench verify`` starts them as tasks of their own, next to the claims.
PROOFS_CITED: dict[str, tuple[str, ...]] = {
    "RS3": ("homogeneous_reduction",), "RS4": ("monotonicity_direction",), "RS5": ("monotonicity_direction",),
    "RS5a": ("monotonicity_direction", "late_time_drift"), "RS6a": ("small_prior_scaling",),
    "RS6b": ("small_prior_scaling",), "RS7a": ("hetero_mean_field",), "RS8": ("equilibria_stability", "late_time_drift"),
    "RS8a": ("late_time_drift",),
}

#: Running-time hints of the proofs (CPU seconds of the subprocess, imports included, rounded), like ``Claim.cost``.
PROOF_COST_HINTS: dict[str, float] = {
    "equilibria_stability": 5, "hetero_mean_field": 1, "homogeneous_reduction": 1.5, "late_time_drift": 5,
    "monotonicity_direction": 1.5, "small_prior_scaling": 3,
}


def proof_key(name: str) -> str:
    """The :meth:`CheckContext.cached` key of proof ``name``'s run."""
    return f"proof:{name}"


def cached_proof(context, name: str) -> ProofRun:
    """Run ``proofs/<name>.py`` once per verify run (several claims cite the same proof)."""
    return context.cached(proof_key(name), lambda: run_proof(name))
