"""Every example script runs at a tiny size and writes its figure (pysindy style)."""

import importlib.util
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.py"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_runs_tiny(path, tmp_path):
    spec = importlib.util.spec_from_file_location(f"example_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.main(["--tiny", "--out", str(tmp_path)])
    assert written and all(Path(p).exists() and Path(p).stat().st_size > 1000 for p in written)
