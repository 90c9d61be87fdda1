"""The claims registry: each claim of the seeds (RS1..., PS1...) with its check and its evidence.

A claim is a statement with a source (the seed section or theorem), a check that returns
:class:`Evidence`, and a :class:`Status` earned by that evidence. ``workbench verify`` runs
every registered claim and writes the report. Register your own with :func:`claim`::

    from workbench.claims import Evidence, Step, StepKind, claim

    @claim("MY1", source="my note, Lemma 2", statement="...", code="my_claims.py::check_my1")
    def check_my1(context):
        ok = ...  # the check decides pass or fail; the status follows from the steps
        return Evidence("what was checked, on which cases",
                        [Step("what this step establishes", StepKind.EXACT, "the cases it covers", ok)])
"""

from workbench.claims._registry import (
    PLUGIN_GROUP,
    PROOF_KINDS,
    Step,
    StepKind,
    status_from_steps,
    CheckContext,
    Claim,
    ClaimResult,
    Evidence,
    Status,
    all_claims,
    claim,
    load_claims_file,
    load_claims_files,
    register,
    run_claim,
    run_claims,
)

__all__ = ["PLUGIN_GROUP", "PROOF_KINDS", "CheckContext", "Claim", "ClaimResult", "Evidence", "Status", "Step", "StepKind",
           "all_claims", "claim", "load_claims_file", "load_claims_files", "register", "run_claim", "run_claims",
           "status_from_steps"]
