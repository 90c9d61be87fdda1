"""Unwritable output paths: every command that writes a file or a folder refuses them up front.

Each case must give exit code 2 and one line on stderr, print nothing on stdout, and create
no file or directory (the check runs before any computation, and a command creates only its
own output folder, never the parent of a ``--plot FILE``). The fixed table covers every
command with an output and every kind of unwritable path (below a regular file, a directory
where a file is expected, a file where a folder is expected, read-only ``/proc``, a missing
parent). A seeded generator adds variations (depth, names, suffixes): a few in the default
suite, more under ``-m slow``.
"""

import random
from pathlib import Path

import pytest

from workbench.cli._main import main

ROOT = Path(__file__).resolve().parents[2]
MDP = str(ROOT / "mdps" / "wait.toml")

# Each command with an output flag, as argv with "{}" where the path goes; all quick when they run.
FILE_COMMANDS = {
    "rs simulate --plot": ["rs", "simulate", "--n", "1", "--plot", "{}"],
    "rs scaling --plot": ["rs", "scaling", "--p0", "0.1,0.05,0.02", "--n-max", "1000", "--plot", "{}"],
    "mdp show --plot": ["mdp", "show", MDP, "--plot", "{}"],
    "rs sweep --plot": ["rs", "sweep", "--geometries", "gaussian4d", "--p0", "0.1", "--seeds", "1", "--n-max", "16",
                        "--no-reference", "--out", "store", "--plot", "{}"],
}
DIR_COMMANDS = {
    "verify --out": ["verify", "--only", "PS12", "--out", "{}"],
    "conjecture --out": ["conjecture", "strict", "--max-cases", "5", "--hypothesis-examples", "0", "--out", "{}"],
    "rs sweep --out": ["rs", "sweep", "--geometries", "gaussian4d", "--p0", "0.1", "--seeds", "1", "--n-max", "16",
                       "--no-reference", "--out", "{}"],
}

# Kinds of unwritable path, relative to a scratch folder holding a regular file `afile` and a
# directory `plots.png` (a directory whose name passes any suffix check).
FILE_PATHS = {
    "below a file": "afile/x.png",
    "a directory": "plots.png",
    "read-only /proc": "/proc/workbench-x.png",
    "missing parent": "nodir/x.png",
}
DIR_PATHS = {
    "below a file": "afile/out",
    "a regular file": "afile",
    "inside read-only /proc": "/proc/workbench-out",
    "read-only /proc itself": "/proc",
}

def _cases():
    for cmd in FILE_COMMANDS:
        for kind in FILE_PATHS:
            yield cmd, kind
    for cmd in DIR_COMMANDS:
        for kind in DIR_PATHS:
            yield cmd, kind


CASES = [pytest.param(cmd, kind, id=f"{cmd} :: {kind}")
         for cmd, kind in _cases()]


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    (tmp_path / "afile").write_text("a regular file\n")
    (tmp_path / "plots.png").mkdir()
    monkeypatch.chdir(tmp_path)  # relative paths (and the sweep's store) land here
    return tmp_path


def _tree(root: Path) -> dict:
    return {str(p.relative_to(root)): p.read_bytes() if p.is_file() else None for p in sorted(root.rglob("*"))}


def _check_refused(capsys, scratch, argv_template, path):
    before = _tree(scratch)
    argv = [path if a == "{}" else a for a in argv_template]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2, (argv, code, err[-500:])
    assert out == "" and err.startswith("workbench: error: ") and err.count("\n") == 1, err
    assert _tree(scratch) == before, "a file or folder was created or changed"
    if path.startswith("/proc/"):
        assert not Path(path).exists()


@pytest.mark.parametrize("cmd, kind", CASES)
def test_unwritable_output_is_refused_up_front(capsys, scratch, cmd, kind):
    template = FILE_COMMANDS.get(cmd) or DIR_COMMANDS[cmd]
    path = FILE_PATHS[kind] if cmd in FILE_COMMANDS else DIR_PATHS[kind]
    _check_refused(capsys, scratch, template, path)


def _random_case(rng: random.Random):
    """A random command and a random unwritable path for it (deeper, odd names, absolute or relative)."""
    name = "".join(rng.choice("abcxyz_-. é") for _ in range(rng.randint(1, 8))).strip() or "n"
    depth = rng.randint(1, 3)
    below = "/".join(f"{name}{i}" for i in range(depth))
    if rng.random() < 0.5:
        cmd = rng.choice(sorted(FILE_COMMANDS))
        suffix = rng.choice([".png", ".pdf", ".svg"])
        kind = rng.choice(["below a file", "a directory", "read-only /proc", "missing parent"])
        path = {"below a file": f"afile/{below}{suffix}", "a directory": "plots.png",
                "read-only /proc": f"/proc/{name}{suffix}", "missing parent": f"nodir/{below}{suffix}"}[kind]
    else:
        cmd = rng.choice(sorted(DIR_COMMANDS))
        kind = rng.choice(["below a file", "a regular file", "inside read-only /proc"])
        path = {"below a file": f"afile/{below}", "a regular file": "afile",
                "inside read-only /proc": f"/proc/{below}"}[kind]
    if rng.random() < 0.3 and not path.startswith("/"):
        path = "./" + path
    return cmd, kind, path


def _random_params(n, seed):
    rng = random.Random(seed)
    out = []
    for i in range(n):
        cmd, kind, path = _random_case(rng)
        out.append(pytest.param(cmd, path, id=f"{i}: {cmd} {path}"))
    return out


@pytest.mark.parametrize("cmd, path", _random_params(6, seed=9))
def test_random_unwritable_output_is_refused(capsys, scratch, cmd, path):
    _check_refused(capsys, scratch, FILE_COMMANDS.get(cmd) or DIR_COMMANDS[cmd], path)


@pytest.mark.slow
@pytest.mark.parametrize("cmd, path", _random_params(60, seed=2024))
def test_random_unwritable_output_is_refused_deep(capsys, scratch, cmd, path):
    _check_refused(capsys, scratch, FILE_COMMANDS.get(cmd) or DIR_COMMANDS[cmd], path)
