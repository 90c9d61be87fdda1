"""The claims registry: every claim of both seeds, each with a check that returns evidence.

A claim has an id (``RS1`` ... for the reward-seeking seed, ``PS...`` for the power-seeking
seed), the source it comes from, a statement, and a check. The check returns an
:class:`Evidence` whose status says how far computation settled the claim:

``proved``
    a symbolic derivation ran and every symbolic check in it passed;
``verified``
    checked exactly or numerically on stated cases, with the criterion, tolerance and
    sample size in the evidence (this is *not* a proof);
``refuted``
    a counterexample was found (for a conjecture or a claim expected to be false);
``open``
    computation cannot settle it; the evidence says what was tried;
``failed``
    the check ran and the claim, expected to hold, did not hold;
``error``
    the check itself crashed (the message is in the evidence).
"""

from __future__ import annotations

import enum
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench._errors import WorkbenchError


class Status(str, enum.Enum):
    PROVED = "proved"
    VERIFIED = "verified"
    REFUTED = "refuted"
    OPEN = "open"
    FAILED = "failed"
    ERROR = "error"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value


@dataclass(frozen=True)
class Evidence:
    """What a check found.

    Parameters
    ----------
    status : Status
    summary : str
        One or two sentences a reader can check against ``details``.
    method : str
        ``symbolic``, ``exact``, ``numeric`` or ``search``.
    details : dict
        JSON-serialisable numbers: criterion, tolerance, sample size, confidence intervals.
    figures : tuple of str
        File names (relative to the report directory) of figures the check wrote.
    """

    status: Status
    summary: str
    method: str
    details: dict[str, Any] = field(default_factory=dict)
    figures: tuple[str, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "status", Status(self.status))
        if self.method not in {"symbolic", "exact", "numeric", "search", "none"}:
            raise WorkbenchError(f"evidence method {self.method!r} is not one of symbolic, exact, numeric, search")
        bad = [f for f in self.figures if not (f.startswith("figures/") and "/" not in f[len("figures/"):])]
        if bad:
            raise WorkbenchError(f"evidence figures must be 'figures/<name>' (use CheckContext.figure), got {bad}")


@dataclass(frozen=True)
class Claim:
    """A claim of a seed with the check that settles it.

    Parameters
    ----------
    id : str
        ``RS1`` ... (spec ``reward_seeking.md`` §7) or a new id for results beyond the seed.
    source : str
        Seed file and section, e.g. ``seed 000, "Single-Environment"``.
    statement : str
    check : callable
        ``check(context) -> Evidence``.
    code : str
        Where the check lives (module or ``proofs/`` script), for the report's links.
    expected_to_hold : bool
        ``False`` for conjectures and for statements that should be refuted; a negative
        result then gives ``refuted`` or ``open`` rather than ``failed``.
    """

    id: str
    source: str
    statement: str
    check: Callable[["CheckContext"], Evidence]
    code: str
    expected_to_hold: bool = True

    def __post_init__(self):
        if not self.id or not self.statement:
            raise WorkbenchError("a claim needs an id and a statement")


@dataclass
class CheckContext:
    """What checks share: where figures go and a cache for expensive shared results."""

    out_dir: Path | None = None
    cache: dict[str, Any] = field(default_factory=dict)

    def figure_path(self, name: str) -> Path | None:
        """Where :meth:`figure` writes ``name`` (None when there is no output directory)."""
        if self.out_dir is None:
            return None
        return Path(self.out_dir) / "figures" / name

    def figure(self, name: str, draw: Callable[[], Any]) -> tuple[str, ...]:
        """Draw and save the figure ``name`` when there is an output directory.

        Parameters
        ----------
        name : str
            File name under ``figures/``; its suffix picks the format.
        draw : callable
            ``draw()`` draws on a new figure and returns its Axes, an array of Axes or the
            Figure (every ``plot_*`` function of the science does, with ``ax=None``). It is
            called only when there is an output directory, so a check pays for no drawing
            without one.

        Returns
        -------
        tuple of str
            ``("figures/<name>",)``, or ``()`` without an output directory: what
            ``Evidence.figures`` takes.

        Examples
        --------
        >>> import tempfile
        >>> import matplotlib.pyplot as plt
        >>> CheckContext().figure("x.png", lambda: plt.subplots()[1])
        ()
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     CheckContext(tmp).figure("x.png", lambda: plt.subplots()[1])
        ('figures/x.png',)
        """
        path = self.figure_path(name)
        if path is None:
            return ()
        import matplotlib.pyplot as plt

        from workbench._axes import figure_of
        from workbench._io import save_figure

        path.parent.mkdir(parents=True, exist_ok=True)
        before = set(plt.get_fignums())
        try:
            fig = figure_of(draw())
        except BaseException:  # close what the failed drawing opened, then report it
            for number in set(plt.get_fignums()) - before:
                plt.close(number)
            raise
        save_figure(fig, path)  # atomic; closes the figure
        return (f"figures/{name}",)

    def certificate(self, name: str, data: dict) -> tuple[str, ...]:
        """Write the certificate ``data`` as ``certificates/<name>.json`` when there is an output
        directory (the independent checker :mod:`workbench.certificates.check` re-verifies it).

        Returns ``("certificates/<name>.json",)``, or ``()`` without an output directory.

        Examples
        --------
        >>> CheckContext().certificate("PS0_example", {"kind": "copies"})
        ()
        """
        if self.out_dir is None:
            return ()
        from workbench._io import atomic_write_json

        path = Path(self.out_dir) / "certificates" / f"{name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_json(path, data)
        return (f"certificates/{name}.json",)

    def cached(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]


@dataclass(frozen=True)
class ClaimResult:
    claim: Claim
    evidence: Evidence
    seconds: float

    @property
    def is_problem(self) -> bool:
        """True if this result should make ``workbench verify`` exit non-zero."""
        return self.evidence.status in (Status.ERROR, Status.FAILED)

    def to_json(self) -> dict[str, Any]:
        ev = self.evidence
        return {
            "id": self.claim.id,
            "source": self.claim.source,
            "statement": self.claim.statement,
            "status": ev.status.value,
            "evidence": {
                "summary": ev.summary,
                "method": ev.method,
                "details": ev.details,
                "figures": list(ev.figures),
                "code": self.claim.code,
            },
            "seconds": round(self.seconds, 3),
        }


_REGISTRY: dict[str, Claim] = {}


def register(claim: Claim) -> Claim:
    """Add ``claim`` to the registry (ids must be unique)."""
    if claim.id in _REGISTRY and _REGISTRY[claim.id] is not claim:
        raise WorkbenchError(f"claim id {claim.id!r} is registered twice")
    _REGISTRY[claim.id] = claim
    return claim


def claim(id: str, *, source: str, statement: str, code: str, expected_to_hold: bool = True):
    """Decorator form of :func:`register` for a check function."""

    def wrap(check):
        register(Claim(id=id, source=source, statement=statement, check=check, code=code,
                       expected_to_hold=expected_to_hold))
        return check

    return wrap


def all_claims() -> list[Claim]:
    """Every registered claim, loading the modules that register them."""
    from importlib import import_module

    for module in _CLAIM_MODULES:
        try:
            import_module(module)
        except ModuleNotFoundError as exc:  # a subsystem not built yet
            if exc.name != module:
                raise
    return sorted(_REGISTRY.values(), key=_claim_sort_key)


_CLAIM_MODULES = ("workbench.claims.rs.homogeneous", "workbench.claims.rs.analysis", "workbench.claims.power.theorems",
                  "workbench.claims.power.fractional", "workbench.claims.power.rules", "workbench.claims.power.caveats",
                  "workbench.claims.power.conjectures")


def claim_id_sort_key(claim_id: str):
    """Sort ids by prefix, then number, then suffix: RS2 < RS2a < RS10."""
    import re

    m = re.match(r"([A-Za-z]+)(\d*)(.*)", claim_id)
    prefix, num, rest = m.groups() if m else (claim_id, "", "")
    return (prefix, int(num) if num else 0, rest)


def _claim_sort_key(c: Claim):
    return claim_id_sort_key(c.id)


def run_claim(claim: Claim, context: CheckContext) -> ClaimResult:
    """Run one check, turning a crash into an ``error`` result with its message."""
    start = time.perf_counter()
    try:
        evidence = claim.check(context)
        if not isinstance(evidence, Evidence):
            raise TypeError(f"check of {claim.id} returned {type(evidence).__name__}, not Evidence")
    except KeyboardInterrupt:
        raise
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - reported as status error (a check must not end the run)
        evidence = Evidence(
            Status.ERROR,
            f"the check raised {type(exc).__name__}: {exc}",
            "none",
            {"traceback": traceback.format_exc(limit=6)},
        )
    return ClaimResult(claim, evidence, time.perf_counter() - start)


def run_claims(claims: Iterable[Claim], context: CheckContext, progress: Callable[[ClaimResult], None] | None = None) -> list[ClaimResult]:
    results = []
    for c in claims:
        r = run_claim(c, context)
        results.append(r)
        if progress is not None:
            progress(r)
    return results
