"""Start-up stays light: heavy libraries load where they are used, not on the way to a command.

Each check runs in a fresh interpreter (``sys.modules`` of the test session already holds
everything) and lists the heavy modules that were imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Libraries that cost 0.1-1 s each to import and that neither the parser nor the small power
#: commands need.
HEAVY = ("sympy", "scipy.optimize", "scipy.stats", "scipy.integrate", "networkx", "matplotlib", "dask", "hypothesis", "numba")


def _imported_after(code: str) -> list[str]:
    """The HEAVY modules (and their sub-modules) in ``sys.modules`` after running ``code``."""
    script = textwrap.dedent(code) + textwrap.dedent(f"""
        import json, sys
        heavy = {HEAVY!r}
        print(json.dumps(sorted(m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in heavy))))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.splitlines()[-1])


def _roots(modules: list[str]) -> list[str]:
    return sorted({h for m in modules for h in HEAVY if m == h or m.startswith(h + ".")})


def test_the_parser_builds_without_heavy_imports():
    loaded = _imported_after("""
        import workbench
        import workbench.cli._main
        workbench.cli._main.build_parser()
    """)
    assert not loaded, (f"building the CLI parser imported {_roots(loaded)}; import them inside the command "
                        "functions that use them")


def test_the_public_namespaces_load_names_on_first_use():
    loaded = _imported_after("""
        import workbench.rs, workbench.power, workbench.claims
        assert "workbench.rs._analysis.analyze" not in sys.modules
        assert "workbench.power._orbits.copies" not in sys.modules
    """.replace("assert", "import sys; assert", 1))
    assert not loaded, f"importing workbench.rs / workbench.power imported {_roots(loaded)}"


# The orbit, power and copies commands on the shipped small MDPs need numpy (and networkx for
# the copies search) only: MDPs, exact visit distributions, criteria, votes, rules and POWER.
PATHS = {
    "orbit vote": ("""
        from workbench.power import Average, Discounted, Exact, orbit_vote, shipped_mdp
        m = shipped_mdp("wait")
        orbit_vote(m, "start", ["candy"], ["wait"], [0, 0, 3, 2, 1], criterion=Average(), method=Exact())
        orbit_vote(m, "start", ["candy"], ["wait"], [0, 0, 3, 2, 1], criterion=Discounted(0.9))
    """, ()),
    "power": ("""
        from workbench.power import power, shipped_mdp
        power(shipped_mdp("wait"), "start", 0.9)
    """, ()),
    "copies": ("""
        from workbench.power import copies_at, shipped_mdp
        copies_at(shipped_mdp("wait"), "start", ["candy"], ["wait"])
    """, ("networkx",)),
    "orbit command": ("""
        import contextlib, io
        from workbench.cli._main import main
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["orbit", "mdps/wait.toml", "--a", "candy", "--b", "wait", "--reward", "0,0,3,2,1"]) == 0
            assert main(["power", "mdps/wait.toml", "--gamma", "1"]) == 0
    """, ()),
}


@pytest.mark.parametrize("name", PATHS)
def test_small_power_commands_import_only_what_they_use(name):
    code, allowed = PATHS[name]
    extra = [r for r in _roots(_imported_after(code)) if r not in allowed]
    assert not extra, f"the {name} path imported {extra}"


def _shipped_commands():
    """``orbit``, ``power`` and ``copies`` on every shipped MDP, with the arguments of
    ``benchmarks/bench_startup.py``: the start state, its first two actions, the reward
    ``0, 1, ..., n - 1`` (``i % 2`` above 12 states, where the exact vote is refused as too
    large and the sampled estimate is asked for instead)."""
    from workbench.power import load_mdp

    out = {}
    for path in sorted((ROOT / "mdps").glob("*.toml")):
        mdp = load_mdp(path)
        state = mdp.start
        a, b = list(mdp.transitions[state])[:2]
        small = mdp.n_states <= 12
        reward = ",".join(str(i if small else i % 2) for i in range(mdp.n_states))
        where = [str(path.relative_to(ROOT)), "--state", state]
        out[f"orbit {path.name}"] = ["orbit", *where, "--a", a, "--b", b, "--reward", reward,
                                     *([] if small else ["--samples", "2000", "--seed", "0"])]
        out[f"power {path.name}"] = ["power", *where, "--gamma", "1"]
        out[f"copies {path.name}"] = ["copies", *where, "--a", a, "--b", b]
    return out


SHIPPED = _shipped_commands()
#: What a command may load: networkx for the copies search. (numba, for the compiled orbit search,
#: is not needed by any of these: the vectorised search decides them within its first budget.)
ALLOWED = {"copies": ("networkx",), "orbit": (), "power": ()}


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_mdp_command_imports_only_what_it_uses(name):
    args = SHIPPED[name]
    extra = [r for r in _roots(_imported_after(f"""
        import contextlib, io
        from workbench.cli._main import main
        with contextlib.redirect_stdout(io.StringIO()):
            assert main({args!r}) == 0
    """)) if r not in ALLOWED[args[0]]]
    assert not extra, f"`workbench {' '.join(args)}` imported {extra}"


@pytest.mark.parametrize("package", ["workbench.rs", "workbench.power"])
def test_lazy_names_match_the_static_imports(package):
    """The ``_EXPORTS`` map that loads names at run time says what the ``TYPE_CHECKING`` imports
    (read by type checkers and the API docs) say, and covers ``__all__``."""
    import ast
    import importlib

    path = ROOT / package.replace(".", "/") / "__init__.py"
    tree = ast.parse(path.read_text())
    [block] = [n for n in tree.body if isinstance(n, ast.If) and getattr(n.test, "id", "") == "TYPE_CHECKING"]
    static = {a.asname or a.name: n.module for n in block.body if isinstance(n, ast.ImportFrom) for a in n.names}
    module = importlib.import_module(package)
    assert static == module._EXPORTS
    defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")}
    assert set(module.__all__) == set(module._EXPORTS) | set(module._FIGURES) | defined
    assert set(module.__all__) <= set(dir(module))
