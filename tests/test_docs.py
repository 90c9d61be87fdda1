"""The documentation builds, and what it shows is real.

- ``mkdocs build --strict`` succeeds, so a broken link or an unresolved docstring reference fails
  the suite (skipped, with the reason, only when the ``docs`` extra is not installed).
- Every example in ``docs/*.md`` and ``README.md`` runs. The convention (also in
  ``docs/architecture.md``, "How the documentation is tested"):

  * a ```` ```console ```` block holds commands, one per line starting with ``$ ``, each followed by
    the output it shows; the command runs with ``bash`` in a scratch directory (with ``mdps``,
    ``proofs`` and ``benchmarks`` linked from the checkout) and must exit 0; every non-blank shown
    line must occur in the real output (stdout and stderr as one stream), in order; ``...`` inside a shown line
    stands for any text (timings, long lines cut short);
  * a ```` ```python ```` block runs as a script in such a directory and must exit 0;
  * ``<!-- docs-test: slow -->`` on the line before a block runs it only under ``-m slow``;
    ``<!-- docs-test: skip REASON -->`` never runs it.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
BLOCK = re.compile(r"(?:^<!--\s*docs-test:\s*(?P<marker>[^>]*?)\s*-->\n)?^```(?P<lang>console|python)\n(?P<body>.*?)^```",
                   re.M | re.S)
LINKED = ("mdps", "proofs", "benchmarks", "examples")


@dataclass(frozen=True)
class Example:
    page: str
    line: int
    lang: str
    source: str          # the command (console) or the script (python)
    shown: tuple[str, ...]
    marker: str

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"


def _examples() -> list[Example]:
    found = []
    for path in PAGES:
        text = path.read_text()
        page = str(path.relative_to(ROOT))
        for m in BLOCK.finditer(text):
            marker = (m.group("marker") or "").strip()
            start = text.count("\n", 0, m.start("body")) + 1
            if m.group("lang") == "python":
                found.append(Example(page, start, "python", m.group("body"), (), marker))
                continue
            command, shown, line = None, [], start
            for offset, row in enumerate(m.group("body").split("\n")):
                if row.startswith("$ "):
                    if command is not None:
                        found.append(Example(page, line, "console", command, tuple(shown), marker))
                    command, shown, line = row[2:], [], start + offset
                elif command is not None and row.strip():
                    shown.append(row)
            if command is not None:
                found.append(Example(page, line, "console", command, tuple(shown), marker))
    return found


EXAMPLES = _examples()


def _params():
    for ex in EXAMPLES:
        marks = []
        if ex.marker.startswith("skip"):
            marks.append(pytest.mark.skip(reason=f"marked in the docs: {ex.marker}"))
        elif ex.marker == "slow":
            marks.append(pytest.mark.slow)
        elif ex.marker:
            raise ValueError(f"{ex.id}: unknown docs-test marker {ex.marker!r} (use 'slow' or 'skip REASON')")
        yield pytest.param(ex, id=ex.id, marks=marks)


def _line_pattern(shown: str) -> re.Pattern:
    """``...`` matches any text, including the blanks around it (so it fits columns of any width)."""
    parts = shown.rstrip().split("...")
    parts = [p.lstrip() if i else p for i, p in enumerate(parts)]
    parts = [p.rstrip() if i < len(parts) - 1 else p for i, p in enumerate(parts)]
    return re.compile(".*".join(re.escape(p) for p in parts))


def _appear_in_order(shown: tuple[str, ...], output: str) -> str | None:
    """None if every shown line matches an output line, in order; else the first line that does not."""
    lines = [row.rstrip() for row in output.split("\n")]
    i = 0
    for want in shown:
        pattern = _line_pattern(want)
        while i < len(lines) and not pattern.fullmatch(lines[i]):
            i += 1
        if i == len(lines):
            return want
        i += 1
    return None


def _run(example: Example, cwd: Path) -> subprocess.CompletedProcess:
    """Run one example in the scratch directory ``cwd``; stdout and stderr as one stream."""
    for name in LINKED:
        (cwd / name).symlink_to(ROOT / name)
    env = dict(os.environ, MPLBACKEND="Agg", PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("PYTHONPATH", None)
    if example.lang == "python":
        (cwd / "example.py").write_text(example.source)
        argv = [sys.executable, "example.py"]
    else:
        argv = ["bash", "-c", example.source]
    return subprocess.run(argv, cwd=cwd, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=1800)


@pytest.fixture(scope="module")
def runs(request, tmp_path_factory):
    """Start every selected example at once, on as many worker threads as there are cores.

    The examples are independent subprocesses (each in its own scratch directory), most of whose
    time is interpreter start-up and imports, so running them side by side keeps this file fast.
    An example that occurs twice (the same command on two pages) runs once.
    """
    selected = [item.callspec.params["example"] for item in request.session.items
                if item.originalname == "test_docs_example_runs" and item.get_closest_marker("skip") is None]
    pool = ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1))
    futures: dict[tuple[str, str], Future] = {}
    for ex in selected:
        key = (ex.lang, ex.source)
        if key not in futures:
            futures[key] = pool.submit(_run, ex, tmp_path_factory.mktemp("docs-example"))
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)


def test_examples_are_found():
    pages = {ex.page for ex in EXAMPLES}
    assert "README.md" in pages and "docs/power-seeking.md" in pages, sorted(pages)


@pytest.mark.parametrize("example", list(_params()))
def test_docs_example_runs(example: Example, runs):
    proc = runs[(example.lang, example.source)].result()
    output = proc.stdout
    assert proc.returncode == 0, f"{example.id}: `{example.source[:200]}` exited {proc.returncode}:\n{output[-3000:]}"
    missing = _appear_in_order(example.shown, output)
    assert missing is None, (f"{example.id}: `{example.source}` did not print (in order) the shown line\n  {missing}\n"
                             f"real output:\n{output[-6000:]}")


def test_mkdocs_build_strict(tmp_path):
    if importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("mkdocstrings") is None:
        pytest.skip("mkdocs and mkdocstrings are not installed: pip install -e '.[docs]' (make test installs them)")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}"
    assert (tmp_path / "site" / "api" / "rs" / "index.html").exists()


def test_docs_examples_mark_is_documented():
    text = (ROOT / "docs" / "architecture.md").read_text()
    assert "docs-test: slow" in text and "docs-test: skip" in text
