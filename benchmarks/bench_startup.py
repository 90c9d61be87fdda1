"""Start-up benchmark: what a theorist waits for before the first number appears.

Each command runs end to end in a fresh interpreter (a subprocess, as typed in a shell). The
commands are run round-robin, ``--repeat`` times each, so that a change of load on a shared
machine hits every command alike; the table shows the median wall time and the median CPU time
(user + system of the child) of each.

1. ``workbench --help`` against ``python -c "import numpy"`` in the same run (target: within 3x;
   ``python -c pass`` is shown for scale);
2. ``orbit``, ``power`` and ``copies`` on every shipped MDP (``mdps/*.toml``, see
   :func:`mdp_commands`; target: each under 0.6 s end to end on an idle machine).

Run: ``.venv/bin/python benchmarks/bench_startup.py`` (``--repeat N``, default 7).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKBENCH = [sys.executable, "-m", "workbench"]


def mdp_commands() -> dict[str, list[str]]:
    """``orbit``, ``power`` and ``copies`` on every shipped MDP (``mdps/*.toml``): at the start
    state, comparing its first two actions; the orbit's reward gives every state its own value
    (0, 1, ..., n - 1). Where that exact vote is refused as too large (``three_copies.toml``:
    24! arrangements), :func:`measure` times the sampled estimate the refusal suggests."""
    from workbench.power import load_mdp

    out = {}
    for path in sorted((ROOT / "mdps").glob("*.toml")):
        mdp = load_mdp(path)
        state = mdp.start
        a, b = list(mdp.transitions[state])[:2]
        reward = ",".join(str(i) for i in range(mdp.n_states))
        where = ["--state", state]
        out[f"workbench orbit {path.name}"] = [*WORKBENCH, "orbit", str(path), *where, "--a", a, "--b", b, "--reward", reward]
        out[f"workbench power {path.name}"] = [*WORKBENCH, "power", str(path), *where, "--gamma", "1"]
        out[f"workbench copies {path.name}"] = [*WORKBENCH, "copies", str(path), *where, "--a", a, "--b", b]
    return out


COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    'python -c "import numpy"': [sys.executable, "-c", "import numpy"],
    "workbench --help": [*WORKBENCH, "--help"],
    **mdp_commands(),
}
BUDGET = 0.6  # seconds, orbit / power / copies end to end
RATIO = 3.0  # workbench --help against python -c "import numpy"


SAMPLED = ["--samples", "20000", "--seed", "0"]


def run_once(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system of the child) of one run of ``argv``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(repeat: int) -> dict[str, tuple[float, float]]:
    for name, argv in COMMANDS.items():  # warm the file cache and the bytecode once
        if subprocess.run(argv, capture_output=True, text=True, cwd=ROOT).returncode == 2 and "orbit" in name:
            argv += SAMPLED  # an exact vote refused as too large: the sampled estimate instead
            print(f"{name}: exact vote refused as too large; timing `{' '.join(SAMPLED)}` instead")
        run_once(argv)
    samples = {name: [] for name in COMMANDS}
    for _ in range(repeat):
        for name, argv in COMMANDS.items():
            samples[name].append(run_once(argv))
    return {name: (statistics.median(w for w, _ in s), statistics.median(c for _, c in s)) for name, s in samples.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7, help="runs of each command (default 7)")
    args = ap.parse_args(argv)
    import numpy

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {load:.2f}; python {platform.python_version()}, "
          f"numpy {numpy.__version__}; median of {args.repeat} runs each")
    res = measure(args.repeat)
    numpy_wall, numpy_cpu = res['python -c "import numpy"']
    print(f"| command | wall s | cpu s | wall / import numpy |")
    print(f"|---|---|---|---|")
    for name, (wall, cpu) in res.items():
        print(f"| `{name}` | {wall:.3f} | {cpu:.3f} | {wall / numpy_wall:.2f} |")
    help_wall, help_cpu = res["workbench --help"]
    ratio_wall, ratio_cpu = help_wall / numpy_wall, help_cpu / numpy_cpu
    ok = ratio_wall <= RATIO
    print(f"workbench --help / import numpy: {ratio_wall:.2f}x wall, {ratio_cpu:.2f}x cpu "
          f"(target <= {RATIO:g}x): {'met' if ok else 'MISSED'}")
    slowest = max(wall for name, (wall, _) in res.items() if name.split()[1:2] in (["orbit"], ["power"], ["copies"]))
    print(f"slowest of orbit/power/copies: {slowest:.3f} s wall (target < {BUDGET:g} s on an idle machine): "
          f"{'met' if slowest < BUDGET else 'MISSED' + (' (machine loaded)' if load > 1 else '')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
