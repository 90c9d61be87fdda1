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

import contextlib
import enum
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
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


class StepKind(str, enum.Enum):
    """How a step of the evidence was settled, strongest first."""

    SYMBOLIC = "symbolic"      #: a symbolic identity checked by sympy, for general parameters
    EXACT = "exact"            #: an exact computation (integers, fractions)
    EXHAUSTIVE = "exhaustive"  #: exact, over every member of a stated finite family
    NUMERIC = "numeric"        #: floating point, with a tolerance or a confidence interval
    FORMAL = "formal"          #: a formal or asymptotic argument, or a hand proof the code does not check
    SAMPLED = "sampled"        #: a search or sample that found no counterexample

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value


_CRASHED: Any = object()  # the steps of Evidence.crashed

#: The kinds a ``proved`` claim may rest on (with complete coverage).
PROOF_KINDS = frozenset({StepKind.SYMBOLIC, StepKind.EXACT, StepKind.EXHAUSTIVE})


@dataclass(frozen=True)
class Step:
    """One step of a claim's evidence: what was checked, how, over which cases, and whether it passed.

    Parameters
    ----------
    description : str
        What the step establishes.
    kind : StepKind
        How: symbolic identity, exact computation, exhaustive over a finite family, numeric,
        formal argument, or a sampled search.
    coverage : str
        The cases it covers, in words ("every N >= 1, c >= 0", "34 pairs n <= 10").
    passed : bool or None
        The check's verdict on this step; ``None`` when the step has not been carried out.
    complete : bool
        True when the step covers every case of the claim's statement.
    counterexample : bool
        True when the step exhibits a counterexample to the statement (``passed`` then says
        that the counterexample was confirmed); only symbolic, exact or exhaustive steps can.
    corroborating : bool
        True for a cross-check the conclusion does not rest on (it must still pass).

    Examples
    --------
    >>> Step("d/dN alpha_eff = alpha c", "symbolic", "every N, alpha > 0, c >= 0", True, complete=True)
    Step(symbolic, complete, passed: d/dN alpha_eff = alpha c)
    """

    description: str
    kind: StepKind
    coverage: str
    passed: bool | None
    complete: bool = False
    counterexample: bool = False
    corroborating: bool = False

    def __post_init__(self):
        try:
            object.__setattr__(self, "kind", StepKind(self.kind))
        except ValueError:
            raise WorkbenchError(f"step kind {self.kind!r} is not one of {', '.join(k.value for k in StepKind)}") from None
        if self.passed is not None:
            object.__setattr__(self, "passed", bool(self.passed))
        if not self.description or not self.coverage:
            raise WorkbenchError("a step needs a description and a coverage (the cases it covers)")
        if self.counterexample and self.kind not in PROOF_KINDS:
            raise WorkbenchError(f"a counterexample must be symbolic, exact or exhaustive, not {self.kind.value} "
                                 "(a numeric violation is evidence, not a counterexample)")
        if self.complete and self.kind in (StepKind.SAMPLED,):
            raise WorkbenchError("a sampled step cannot cover every case (complete=True); use exhaustive for a full family")

    def __repr__(self) -> str:
        verdict = {True: "passed", False: "FAILED", None: "not run"}[self.passed]
        flags = [f for f, on in (("complete", self.complete), ("counterexample", self.counterexample),
                                 ("corroborating", self.corroborating)) if on]
        return f"Step({', '.join([self.kind.value, *flags])}, {verdict}: {self.description})"

    def to_json(self) -> dict[str, Any]:
        return {"description": self.description, "kind": self.kind.value, "coverage": self.coverage,
                "passed": self.passed, "complete": self.complete, "counterexample": self.counterexample,
                "corroborating": self.corroborating}


def status_from_steps(steps: Iterable[Step]) -> Status:
    """The status the steps earn: the one rule of the ladder.

    In order:

    1. a step that did not pass gives ``failed``;
    2. a confirmed counterexample gives ``refuted``;
    3. among the steps the conclusion rests on (not ``corroborating``): one not carried out
       gives ``open``;
    4. every one symbolic, exact or exhaustive *and* covering every case of the statement gives
       ``proved``;
    5. every one a sampled search gives ``open``;
    6. anything else (a numeric step, a formal argument, or exact steps on some cases only)
       gives ``verified``.

    Examples
    --------
    >>> proof = Step("identity", "symbolic", "every N", True, complete=True)
    >>> status_from_steps([proof]).value
    'proved'
    >>> status_from_steps([proof, Step("limit", "formal", "P -> infinity", True)]).value
    'verified'
    >>> status_from_steps([Step("search", "sampled", "725 orbits", True)]).value
    'open'
    """
    steps = tuple(steps)
    if not steps:
        raise WorkbenchError("evidence needs at least one Step (what was checked, how, over which cases)")
    if any(s.passed is False for s in steps):
        return Status.FAILED
    if any(s.counterexample for s in steps):
        return Status.REFUTED
    main = [s for s in steps if not s.corroborating]
    if not main:
        raise WorkbenchError("every step is corroborating: mark the steps the conclusion rests on corroborating=False")
    if any(s.passed is None for s in main):
        return Status.OPEN
    if all(s.kind in PROOF_KINDS and s.complete for s in main):
        return Status.PROVED
    if all(s.kind is StepKind.SAMPLED for s in main):
        return Status.OPEN
    return Status.VERIFIED


def method_of(steps: Iterable[Step]) -> str:
    """The kinds of the steps the conclusion rests on, strongest first ("symbolic+numeric")."""
    kinds = {s.kind for s in steps if not s.corroborating}
    return "+".join(k.value for k in StepKind if k in kinds) or "none"


def coverage_of(steps: Iterable[Step]) -> str:
    """One line: each step the conclusion rests on, its kind and its coverage."""
    return "; ".join(f"{s.kind.value}: {s.coverage}" + (" (all cases)" if s.complete else "")
                     for s in steps if not s.corroborating)


@dataclass(frozen=True)
class Evidence:
    """What a check found, as steps; the status follows from the steps (:func:`status_from_steps`).

    Parameters
    ----------
    summary : str
        One or two sentences a reader can check against ``details``.
    steps : tuple of Step
        What was checked, how (:class:`StepKind`), over which cases, and whether it passed.
        The check decides each step's pass or fail; the status is derived, never set.
    details : dict
        JSON-serialisable numbers: criterion, tolerance, sample size, confidence intervals.
    figures : tuple of str
        File names (relative to the report directory) of figures the check wrote.

    Attributes
    ----------
    status : Status
        ``status_from_steps(steps)`` (``error`` only for :meth:`crashed`).
    method : str
        The kinds of the steps the conclusion rests on (:func:`method_of`).
    """

    summary: str
    steps: tuple[Step, ...]
    details: dict[str, Any] = field(default_factory=dict)
    figures: tuple[str, ...] = ()
    status: Status = field(init=False)
    method: str = field(init=False)

    def __post_init__(self):
        crashed = self.steps is _CRASHED
        steps = () if crashed else (self.steps,) if isinstance(self.steps, Step) else tuple(self.steps)
        if not all(isinstance(s, Step) for s in steps):
            raise WorkbenchError("Evidence steps must be Step objects")
        object.__setattr__(self, "steps", steps)
        object.__setattr__(self, "figures", tuple(self.figures))
        object.__setattr__(self, "status", Status.ERROR if crashed else status_from_steps(steps))
        object.__setattr__(self, "method", method_of(steps) if steps else "none")
        bad = [f for f in self.figures if not (f.startswith("figures/") and "/" not in f[len("figures/"):])]
        if bad:
            raise WorkbenchError(f"evidence figures must be 'figures/<name>' (use CheckContext.figure), got {bad}")

    @classmethod
    def crashed(cls, summary: str, details: dict[str, Any] | None = None) -> "Evidence":
        """Evidence of a check that raised: status ``error``, no steps."""
        return cls(summary, _CRASHED, details or {})

    @property
    def coverage(self) -> str:
        """Each step the conclusion rests on with its kind and coverage (:func:`coverage_of`)."""
        return coverage_of(self.steps)


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
    cost : float or None
        A static hint of the check's running time (roughly seconds on an idle 2-core machine).
        A parallel ``workbench verify`` starts the costliest claims first; the hint never
        changes evidence. ``None``: the built-in table's value, else 1.
    """

    id: str
    source: str
    statement: str
    check: Callable[["CheckContext"], Evidence]
    code: str
    expected_to_hold: bool = True
    cost: float | None = None

    def __post_init__(self):
        if not self.id or not self.statement:
            raise WorkbenchError("a claim needs an id and a statement")
        if self.cost is not None and not (isinstance(self.cost, (int, float)) and self.cost >= 0):
            raise WorkbenchError(f"claim {self.id}: cost must be a number >= 0 (about seconds), got {self.cost!r}")

    @property
    def cost_hint(self) -> float:
        """``cost``, else the built-in claim's entry in the table of hints, else 1."""
        return float(self.cost) if self.cost is not None else _COST_HINTS.get(self.id, 1.0)


@dataclass
class CheckContext:
    """What checks share: where figures go and a cache for expensive shared results.

    ``shared_dir``, when set, is a directory through which :meth:`cached` shares results
    between processes (a parallel ``workbench verify``): the first process to need a key
    computes it under a file lock, the others wait for it and read it, so nothing runs twice.
    """

    out_dir: Path | None = None
    cache: dict[str, Any] = field(default_factory=dict)
    shared_dir: Path | None = None

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
        """``compute()`` once per run for ``key`` (once across processes with ``shared_dir``)."""
        if key not in self.cache:
            self.cache[key] = compute() if self.shared_dir is None else _shared_compute(Path(self.shared_dir), key, compute)
        return self.cache[key]


def _shared_compute(directory: Path, key: str, compute: Callable[[], Any]) -> Any:
    """The value of ``key`` stored in ``directory``, computed and stored under a lock if absent.

    A value that cannot be pickled is not stored: each process then computes its own.
    """
    import fcntl
    import hashlib
    import pickle

    stem = directory / hashlib.sha256(key.encode()).hexdigest()[:32]
    with open(stem.with_suffix(".lock"), "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if this process dies
        stored = stem.with_suffix(".pickle")
        if stored.exists():
            return pickle.loads(stored.read_bytes())
        value = compute()
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - not shareable: the other processes compute it themselves
            return value
        partial = stem.with_suffix(".partial")
        partial.write_bytes(data)
        partial.replace(stored)
        return value


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
                "coverage": ev.coverage,
                "steps": [st.to_json() for st in ev.steps],
                "details": ev.details,
                "figures": list(ev.figures),
                "code": self.claim.code,
            },
            "seconds": round(self.seconds, 3),
        }


_REGISTRY: dict[str, Claim] = {}
_COLLECTING: list[dict[str, Claim]] = []  # while a claims file runs: where its claims go instead


def register(claim: Claim) -> Claim:
    """Add ``claim`` to the registry (ids must be unique).

    While :func:`load_claims_file` runs a user's file, its claims go to that file's collection
    instead, so a user's file never stays registered in the process.
    """
    if claim.id in _REGISTRY and _REGISTRY[claim.id] is not claim:
        raise WorkbenchError(f"claim id {claim.id!r} is registered twice"
                             + ("; a built-in or plugin claim has it, choose another id" if _COLLECTING else ""))
    target = _COLLECTING[-1] if _COLLECTING else _REGISTRY
    if claim.id in target and target[claim.id] is not claim:
        raise WorkbenchError(f"claim id {claim.id!r} is registered twice")
    target[claim.id] = claim
    return claim


def claim(id: str, *, source: str, statement: str, code: str, expected_to_hold: bool = True,
          cost: float | None = None):
    """Decorator form of :func:`register` for a check function (the parameters are :class:`Claim`'s)."""

    def wrap(check):
        register(Claim(id=id, source=source, statement=statement, check=check, code=code,
                       expected_to_hold=expected_to_hold, cost=cost))
        return check

    return wrap


#: Entry-point group of installed claim plugins: each entry names a module whose import
#: registers claims with :func:`claim` (``[project.entry-points."workbench.claims"]``).
PLUGIN_GROUP = "workbench.claims"


def all_claims() -> list[Claim]:
    """Every registered claim, loading the built-in modules and the installed plugins that register them."""
    from importlib import import_module

    for module in _CLAIM_MODULES:
        try:
            import_module(module)
        except ModuleNotFoundError as exc:  # a subsystem not built yet
            if exc.name != module:
                raise
    _load_plugins()
    return sorted(_REGISTRY.values(), key=_claim_sort_key)


def _load_plugins() -> None:
    """Import every module of the :data:`PLUGIN_GROUP` entry points (their claims register as they load)."""
    from importlib.metadata import entry_points

    for ep in entry_points(group=PLUGIN_GROUP):
        where = f"claims plugin {ep.name!r} ({PLUGIN_GROUP} entry point {ep.value!r})"
        try:
            ep.load()
        except WorkbenchError as exc:
            raise WorkbenchError(f"{where}: {exc}") from None
        except Exception as exc:  # noqa: BLE001 - third-party code failing is one line, whatever it raised
            raise WorkbenchError(f"{where} failed to load: {type(exc).__name__}: {exc}") from None


@contextlib.contextmanager
def _collecting() -> Iterator[dict[str, Claim]]:
    found: dict[str, Claim] = {}
    _COLLECTING.append(found)
    try:
        yield found
    finally:
        _COLLECTING.pop()


def load_claims_file(path: str | Path) -> list[Claim]:
    """The claims a user's Python file registers with :func:`claim`, without registering them.

    The file runs as a fresh module each time; its claims are returned (sorted by id) and do
    not stay in the registry, so a later :func:`all_claims` in the same process does not see
    them. An id that a built-in or plugin claim already has is an error, so load those first
    (:func:`all_claims`).

    Raises
    ------
    WorkbenchError
        One line naming the file: it is missing, does not parse, raises while it runs,
        registers no claim, or registers an id twice or one a registered claim has.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> source = "\\n".join([
    ...     "from workbench.claims import Evidence, Step, StepKind, claim",
    ...     "@claim('MY1', source='a note', statement='1 + 1 = 2', code='my_claims.py')",
    ...     "def check(context):",
    ...     "    step = Step('integer sum', StepKind.EXACT, 'one sum', 1 + 1 == 2, complete=True)",
    ...     "    return Evidence('1 + 1 = 2', [step])"])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp, "my_claims.py")
    ...     _ = path.write_text(source)
    ...     [c.id for c in load_claims_file(path)]
    ['MY1']
    >>> "MY1" in {c.id for c in all_claims()}
    False
    """
    import importlib.util
    import sys
    import uuid

    path = Path(path)
    where = f"--claims {path}"
    if not path.is_file():
        raise WorkbenchError(f"{where}: {'not a regular file' if path.exists() else 'no such file'}; "
                             "give a Python file that registers claims with @claim")
    try:
        code = compile(path.read_bytes(), str(path), "exec")
    except SyntaxError as exc:
        raise WorkbenchError(f"{where}: syntax error at line {exc.lineno}: {exc.msg}") from None
    except (OSError, ValueError) as exc:
        raise WorkbenchError(f"{where}: cannot be read as Python source ({exc})") from None
    name = f"_workbench_user_claims_{uuid.uuid4().hex}"  # fresh each time: no stale module is reused
    module = importlib.util.module_from_spec(importlib.util.spec_from_file_location(name, path))
    sys.modules[name] = module  # dataclasses and pickle look the module up while it runs
    try:
        with _collecting() as found:
            exec(code, module.__dict__)
    except KeyboardInterrupt:
        raise
    except WorkbenchError as exc:
        raise WorkbenchError(f"{where}: {exc}") from None
    except BaseException as exc:  # noqa: BLE001 - a user's file that fails is one line, whatever it raised
        line = _last_line_in(exc, str(path))
        raise WorkbenchError(f"{where}: running it raised {type(exc).__name__}"
                             f"{f' at line {line}' if line else ''}: {exc}") from None
    finally:
        sys.modules.pop(name, None)
    if not found:
        raise WorkbenchError(f"{where} registers no claims; decorate a check with @claim(...) from workbench.claims")
    return sorted(found.values(), key=_claim_sort_key)


def _last_line_in(exc: BaseException, filename: str) -> int | None:
    """The last line of ``filename`` in the traceback of ``exc`` (None if it is not there)."""
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == filename:
            line = lineno
    return line


def load_claims_files(paths: Iterable[str | Path]) -> list[Claim]:
    """The claims of several files (:func:`load_claims_file`), sorted by id; an id in two files is an error."""
    claims: dict[str, tuple[Claim, Path]] = {}
    for path in paths:
        for c in load_claims_file(path):
            if c.id in claims:
                raise WorkbenchError(f"--claims {path}: claim id {c.id!r} is also registered by {claims[c.id][1]}; "
                                     "choose another id")
            claims[c.id] = (c, Path(path))
    return sorted((c for c, _ in claims.values()), key=_claim_sort_key)


_CLAIM_MODULES = ("workbench.claims.rs.homogeneous", "workbench.claims.rs.analysis", "workbench.claims.rs.seed_checks",
                  "workbench.claims.power.theorems", "workbench.claims.power.fractional", "workbench.claims.power.rules", "workbench.claims.power.caveats",
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
        evidence = Evidence.crashed(f"the check raised {type(exc).__name__}: {exc}",
                                    {"traceback": traceback.format_exc(limit=6)})
    return ClaimResult(claim, evidence, time.perf_counter() - start)


def run_claims(claims: Iterable[Claim], context: CheckContext, progress: Callable[[ClaimResult], None] | None = None,
               jobs: int = 1) -> list[ClaimResult]:
    """Run ``claims``; the results come back in the order given.

    Parameters
    ----------
    claims : iterable of Claim
    context : CheckContext
        Where figures and certificates go, and the cache the checks share.
    progress : callable, optional
        Called with each result as it finishes (in finishing order).
    jobs : int
        Worker processes. ``1`` runs the checks one after another in this process. More runs
        them side by side in forked processes, costliest first (:attr:`Claim.cost_hint`), with
        :meth:`CheckContext.cached` shared through a lock-protected directory, so a result
        several checks need (a proof subprocess, say) is computed once. The evidence is the
        serial run's; only the timings differ. Where processes cannot fork, the run is serial.
    """
    claims = list(claims)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise WorkbenchError(f"jobs must be a positive integer, got {jobs!r}")
    if jobs > 1 and len(claims) > 1:
        from workbench.claims._parallel import can_fork, run_parallel

        if can_fork():
            return run_parallel(claims, context, progress, min(jobs, len(claims)))
    results = []
    for c in claims:
        r = run_claim(c, context)
        results.append(r)
        if progress is not None:
            progress(r)
    return results


#: Static running-time hints of the built-in claims: about the CPU seconds of the claim's own work on an
#: idle machine, the proofs it cites excluded (a parallel run starts those as tasks of their own, with
#: ``workbench.claims._proofs.PROOF_COST_HINTS``); a parallel run starts the costliest first. RS7's
#: sweep runs in two processes and RS7a continues from it, so together they are the longest chain
#: and start first. The hints never change evidence.
_COST_HINTS: dict[str, float] = {
    "PS2": 2, "PS4": 2, "PS5": 3, "PS6": 2, "PS9": 5, "PS14": 6, "PS15": 1, "PS16": 2, "RS1": 1, "RS2": 1, "RS3": 2,
    "RS4": 1, "RS5": 2, "RS5a": 1, "RS6": 2, "RS6a": 5, "RS6b": 1, "RS7": 25, "RS7a": 14, "RS8": 2, "RS8a": 2,
    "RS8b": 1, "RS9": 1, "RS10": 3, "RS11": 1, "RS12": 1, "RS13": 1, "RS14": 2,
}
