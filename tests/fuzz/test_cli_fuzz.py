"""Bad ``workbench rs`` command lines: exit code 0 or 2, and for 2 exactly one line, never a
traceback (and, in the slow run, never a hang: each case runs in a subprocess under a time cap).

The cases come from the seeded generator in ``cli_cases.py``; a value that happens to be valid
runs a cheap base command to its end (exit 0). Both runs work in a scratch directory, so a
``--plot`` that happens to be writable lands there.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli._main import main

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_cases import cli_cases  # noqa: E402

FAST_SEED, FAST_COUNT = 20260409, 40
SLOW_SEED, SLOW_COUNT = 9, 300
# Per-case cap of the slow run: a hang detector, far above what any case needs (a few seconds).
CASE_TIMEOUT = 120


def _argv(case, tmp_path):
    return [a.replace("{out}", str(tmp_path / "store")) for a in case]


def _check(code, out, err, argv):
    assert code in (0, 2), (argv, code, err[-2000:])
    assert "Traceback" not in err, (argv, err[-2000:])
    if code == 2:
        assert err.startswith("workbench: error: ") and err.count("\n") == 1, (argv, err[-2000:])
    assert "hacked" not in out


@pytest.mark.parametrize("i,case", list(enumerate(cli_cases(FAST_SEED, FAST_COUNT))),
                         ids=lambda v: " ".join(v)[:80] if isinstance(v, list) else str(v))
def test_bad_command_line_in_process(i, case, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    argv = _argv(case, tmp_path)
    code = main(argv)
    out, err = capsys.readouterr()
    _check(code, out, err, argv)


@pytest.mark.slow
@pytest.mark.parametrize("i,case", list(enumerate(cli_cases(SLOW_SEED, SLOW_COUNT))),
                         ids=lambda v: " ".join(v)[:80] if isinstance(v, list) else str(v))
def test_bad_command_line_in_subprocess(i, case, tmp_path):
    argv = _argv(case, tmp_path)
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.run([sys.executable, "-m", "workbench", *argv], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=CASE_TIMEOUT)
    _check(proc.returncode, proc.stdout, proc.stderr, argv)
