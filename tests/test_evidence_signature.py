"""Every claim module builds its Evidence with the current signature, checked statically.

Why a static check: a merge once shipped claims that called the old ``Evidence(status, summary,
method, details)``. Those calls bind to the new ``Evidence(summary, steps, details, figures)``
without a TypeError (four positional arguments fit), and fail only when the claim runs, which the
default suite did not do for them: running every claim takes minutes (the full ladder test in
``tests/test_status_ladder.py`` is marked slow). Parsing the claim modules takes milliseconds and
catches that whole class of mistake without running any science:

- each ``Evidence(...)`` call binds to the current signature (``inspect.signature(...).bind``:
  no unknown keyword, not too many arguments, ``steps`` present);
- nothing is passed where ``summary`` or ``steps`` go that cannot be what they need: a status
  (``Status.X``, the old first argument), a literal string, dict or number in the ``steps`` slot
  (the old ``method`` was the string ``"numeric"``), or a dict as the summary;
- a ``steps`` given by name is bound in the same function (or is a parameter), and every
  ``status=`` / ``method=`` keyword is refused (both are derived from the steps, never set).

A check that ran each claim with stubbed science would also catch it, but would need a stub per
engine function the claims call; the static rule needs none and covers claims added later.
"""

import ast
import inspect
from pathlib import Path

import pytest

from workbench.claims import Evidence

CLAIMS = Path(__file__).resolve().parents[1] / "workbench" / "claims"
MODULES = sorted(p for p in CLAIMS.rglob("*.py") if p.name != "_registry.py")
SIGNATURE = inspect.signature(Evidence)


def _mentions_status(node) -> bool:
    return any(isinstance(n, ast.Name) and n.id == "Status" for n in ast.walk(node))


def _bound_names(func) -> set:
    """Names assigned (or taken as parameters) in a function, nested blocks included."""
    names = {a.arg for a in ast.walk(func.args) if isinstance(a, ast.arg)} if func is not None else set()
    for n in ast.walk(func) if func is not None else ():
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            names.add(n.id)
    return names


def _evidence_calls(tree):
    """(call, enclosing function) for each ``Evidence(...)`` call."""
    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Evidence":
            up = parents.get(node)
            while up is not None and not isinstance(up, (ast.FunctionDef, ast.AsyncFunctionDef)):
                up = parents.get(up)
            yield node, up


def _problems(call, func) -> list[str]:
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return ["uses *args or **kwargs (cannot be checked statically; pass the arguments by name)"]
    out = [f"keyword {k.arg}= is derived from the steps, never passed" for k in call.keywords if k.arg in ("status", "method")]
    try:
        bound = SIGNATURE.bind(*call.args, **{k.arg: k.value for k in call.keywords})
    except TypeError as exc:
        return out + [f"does not bind to Evidence{SIGNATURE}: {exc}"]
    args = bound.arguments
    summary, steps = args.get("summary"), args.get("steps")
    if summary is not None and (_mentions_status(summary) or isinstance(summary, ast.Dict)):
        out.append("the summary slot holds a status or a dict (the old Evidence(status, summary, ...) order?)")
    if steps is not None:
        if _mentions_status(steps):
            out.append("the steps slot mentions Status (statuses are derived from the steps)")
        if isinstance(steps, (ast.Constant, ast.Dict, ast.JoinedStr)):
            out.append(f"the steps slot holds a literal {type(steps).__name__} (the old method string?), not Steps")
        if isinstance(steps, ast.Name) and steps.id not in _bound_names(func):
            out.append(f"steps {steps.id!r} is not bound in the enclosing function")
    return out


def test_the_claim_modules_are_found():
    assert len(MODULES) >= 10
    calls = [c for p in MODULES for c, _ in _evidence_calls(ast.parse(p.read_text()))]
    assert len(calls) >= 40


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(CLAIMS)))
def test_every_evidence_call_uses_the_current_signature(path):
    tree = ast.parse(path.read_text())
    bad = [f"line {call.lineno}: {msg}" for call, func in _evidence_calls(tree) for msg in _problems(call, func)]
    assert not bad, f"{path.name}: " + "; ".join(bad)


@pytest.mark.parametrize("source", [
    "def f():\n    return Evidence(Status.VERIFIED if ok else Status.FAILED, summary, 'numeric', {})",
    "def f():\n    return Evidence(summary, 'numeric', {})",
    "def f():\n    return Evidence(summary, steps, {}, (), status=Status.PROVED)",
    "def f():\n    return Evidence(summary, undefined_steps, {})",
    "def f():\n    return Evidence(summary)",
])
def test_the_check_catches_old_signatures(source):
    (call, func), = _evidence_calls(ast.parse(source))
    assert _problems(call, func)
