"""The folders show the architecture: the science never imports the applications built on it,
and nothing outside the package reaches into a private module."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "workbench"
SCIENCE = ("workbench.rs", "workbench.power")
APPLICATIONS = ("workbench.claims", "workbench.cli")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Absolute names of every module ``path`` imports (relative imports resolved)."""
    tree = ast.parse(path.read_text())
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            found.add(stem)
            found.update(f"{stem}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "import_module":
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    return found


SCIENCE_FILES = sorted(p for pkg in SCIENCE for p in (ROOT / pkg.replace(".", "/")).rglob("*.py"))


@pytest.mark.parametrize("path", SCIENCE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_science_never_imports_the_applications(path):
    bad = sorted(m for m in _imports(path) if m.startswith(APPLICATIONS))
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}: the science must not depend on claims/ or cli/"


OUTSIDE = sorted(p for d in ("examples", "proofs", "benchmarks") for p in (ROOT / d).rglob("*.py"))
PRIVATE = re.compile(r"\bworkbench(\.\w+)*\._\w+")


@pytest.mark.parametrize("path", OUTSIDE, ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_outside_the_package_imports_a_private_module(path):
    bad = sorted(m for m in _imports(path) if PRIVATE.search(m))
    assert not bad, f"{path.relative_to(ROOT)} imports private modules {bad}; use the public namespaces"


def test_readme_and_docs_code_use_public_names_only():
    texts = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    for path in texts:
        for block in re.findall(r"```python\n(.*?)```", path.read_text(), flags=re.S):
            assert not PRIVATE.search(block), f"{path.relative_to(ROOT)} shows a private import: {PRIVATE.search(block).group(0)}"


def test_notebooks_use_public_names_only():
    import json

    for path in sorted((ROOT / "examples").rglob("*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        for cell in cells:
            source = "".join(cell["source"])
            if cell["cell_type"] == "code":
                assert not PRIVATE.search(source), f"{path.relative_to(ROOT)} uses a private module: {PRIVATE.search(source).group(0)}"


def test_readme_is_a_landing_page():
    size = len((ROOT / "README.md").read_bytes())
    assert size <= 15_000, f"README.md is {size} bytes; keep it a landing page of at most 15 KB and move reference material to docs/"


def test_library_code_never_chooses_a_matplotlib_backend():
    for path in PACKAGE.rglob("*.py"):
        if path.is_relative_to(PACKAGE / "cli") or path.is_relative_to(PACKAGE / "claims"):
            continue  # the applications pick Agg themselves
        assert "matplotlib.use(" not in path.read_text(), f"{path.relative_to(ROOT)} calls matplotlib.use"


@pytest.mark.parametrize("name", ["workbench", "workbench.rs", "workbench.power", "workbench.claims"])
def test_public_names_exist(name):
    module = importlib.import_module(name)
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ names missing attributes: {missing}"
    assert len(set(module.__all__)) == len(module.__all__)
