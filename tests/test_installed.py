"""A non-editable install, run outside the checkout, gives the checkout's verdicts (issue 10).

The package is installed with ``pip install --no-deps --target DIR .`` (a real wheel build,
so only what the wheel ships is there: the shipped MDPs and the derivations must be package
data or package code) and run from a scratch directory with ``PYTHONPATH=DIR``, which puts the
installed copy ahead of the editable one. The statuses of every claim must equal those of the
checkout's run.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _verify(tmp: Path, env: dict, cwd: Path) -> dict[str, str]:
    out = subprocess.run([sys.executable, "-m", "workbench", "verify", "--json", "--out", str(tmp)],
                         cwd=cwd, env=env, capture_output=True, text=True, timeout=1800)
    assert out.returncode in (0, 1), out.stderr[-2000:]
    return {c["id"]: c["status"] for c in json.loads(out.stdout)["claims"]}


@pytest.mark.slow
def test_installed_package_gives_the_checkouts_verdicts(tmp_path):
    target = tmp_path / "site"
    build = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                            str(target), str(ROOT)], capture_output=True, text=True, timeout=900)
    if build.returncode != 0:
        pytest.skip(f"could not build the wheel here: {build.stderr.strip().splitlines()[-1:]}")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "MPLBACKEND": "Agg"}
    where = subprocess.run([sys.executable, "-c", "import workbench; print(workbench.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(target), where.stdout

    installed = _verify(tmp_path / "report-installed", env, elsewhere)
    checkout = _verify(tmp_path / "report-checkout", {**os.environ, "MPLBACKEND": "Agg"}, ROOT)
    assert installed == checkout
    assert "error" not in installed.values()
