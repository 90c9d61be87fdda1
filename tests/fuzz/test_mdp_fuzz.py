"""Fuzz: adversarial MDP files through ``mdp show``, ``orbit``, ``power`` and ``copies``.

Every command ends with exit code 0 or 2, and a 2 comes with exactly one line on stderr and no
traceback. The default suite runs a few seeded cases in-process; the slow suite runs a few
hundred in subprocesses, each with a time cap (a hang fails the case, it never decides a count).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli._main import main

sys.path.insert(0, str(Path(__file__).resolve().parent))  # --import-mode=importlib adds no test folders
from mdp_cases import command_lines, mdp_cases, write_case  # noqa: E402

SMALL_SEED, SMALL_COUNT = 9, 30
LARGE_SEED, LARGE_COUNT = 2024, 300
TIME_CAP = 60  # seconds per command in a subprocess (generous: the machine may be busy)


def check(code, err, argv):
    assert code in (0, 2), (argv, code, err)
    assert "Traceback" not in err, (argv, err)
    if code == 2:
        assert err.count("\n") == 1 and err.startswith("workbench: error:"), (argv, err)


# small, fast cases only: the large files are for the subprocess run below
_SMALL = [c for c in mdp_cases(SMALL_SEED, 4 * SMALL_COUNT)
          if len(c[1]) < 20_000 and not any(w in c[0] for w in ("chain", "cycle", "ladder", "complete", "policies", "many_actions"))]


@pytest.mark.parametrize("case", _SMALL[:SMALL_COUNT], ids=lambda c: c[0])
def test_small_fuzz_in_process(case, tmp_path, capsys):
    name, text = case
    path = write_case(tmp_path / "case.toml", text)
    for argv in command_lines(path, text):
        code = main(argv)
        check(code, capsys.readouterr().err, argv)


def test_cases_are_deterministic():
    assert mdp_cases(5, 20) == mdp_cases(5, 20)
    assert len({name for name, _ in mdp_cases(5, 200)}) == 200


@pytest.mark.slow
def test_large_fuzz_in_subprocesses(tmp_path):
    failures = []
    for name, text in mdp_cases(LARGE_SEED, LARGE_COUNT):
        path = write_case(tmp_path / f"{name[:80].replace('/', '_')}.toml", text)
        for argv in command_lines(path, text):
            try:
                r = subprocess.run([sys.executable, "-m", "workbench", *argv], capture_output=True, text=True,
                                   timeout=TIME_CAP)
            except subprocess.TimeoutExpired:
                failures.append((name, argv[0], "no answer within the time cap"))
                continue
            try:
                check(r.returncode, r.stderr, argv)
            except AssertionError:
                failures.append((name, argv[0], r.returncode, r.stderr[-300:]))
        path.unlink()
    assert not failures, failures[:10]
