"""``workbench verify --claims FILE`` and claim plugins: a user's claims run beside the built-in ones.

A claims file registers claims with the package's own decorator; they join that run's table and
report and never stay registered in the process. A file that cannot be used is one line and
exit code 2, with nothing written.
"""

import json
import sys
import textwrap
from pathlib import Path

import pytest

import workbench.claims._registry as registry
from workbench.claims import all_claims, load_claims_file
from workbench.cli._main import main

ROOT = Path(__file__).resolve().parent.parent

GOOD = '''
from fractions import Fraction
from workbench.claims import CheckContext, Evidence, Step, StepKind, claim

@claim("USR1", source="a note", statement="1/2 + 1/3 = 5/6", code="usr.py::one")
def one(context: CheckContext) -> Evidence:
    ok = Fraction(1, 2) + Fraction(1, 3) == Fraction(5, 6)
    return Evidence("exact sum", [Step("the sum", StepKind.EXACT, "one sum", ok, complete=True)], {"sum": "5/6"})

@claim("USR2", source="a note", statement="draws a figure", code="usr.py::two", cost=3)
def two(context):
    import matplotlib.pyplot as plt
    figs = context.figure("usr2.png", lambda: plt.subplots(figsize=(1, 1))[1])
    return Evidence("a figure", [Step("drawn", StepKind.NUMERIC, "one figure", True)], figures=figs)
'''


def _write(tmp_path, text, name="usr.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_claims_file_runs_in_the_table_and_report(tmp_path, capsys, jobs):
    path, out = _write(tmp_path, GOOD), tmp_path / "rep"
    code, stdout, err = _run(capsys, "verify", "--out", out, "--claims", path, "--only", "USR1,USR2", "--jobs", jobs)
    assert code == 0, err
    assert "USR1  proved" in stdout and "USR2  verified" in stdout
    data = json.loads((out / "report.json").read_text())
    assert [e["id"] for e in data["claims"]] == ["USR1", "USR2"]
    assert data["claims"][1]["evidence"]["figures"] == ["figures/usr2.png"] and (out / "figures" / "usr2.png").is_file()
    assert data["meta"]["registered"] == len(all_claims()) + 2  # beside every built-in claim
    assert f"--claims {path}" in data["meta"]["command"]
    assert "## USR1" in (out / "report.md").read_text() and "USR2" in (out / "index.html").read_text()
    assert not (out / ".staging").exists()


def test_a_claims_file_does_not_stay_registered(tmp_path):
    path = _write(tmp_path, GOOD)
    first = load_claims_file(path)
    again = load_claims_file(path)  # a fresh module each time, no 'registered twice'
    assert [c.id for c in first] == [c.id for c in again] == ["USR1", "USR2"] and first[0] is not again[0]
    assert not {"USR1", "USR2"} & {c.id for c in all_claims()}
    assert not {"USR1", "USR2"} & set(registry._REGISTRY) and not registry._COLLECTING
    assert first[1].cost_hint == 3 and first[0].cost_hint == 1


def test_several_files(tmp_path, capsys):
    a = _write(tmp_path, GOOD)
    b = _write(tmp_path, GOOD.replace("USR1", "USR3").replace("USR2", "USR4"), "other.py")
    code, stdout, _ = _run(capsys, "verify", "--out", tmp_path / "rep", "--claims", a, "--claims", b, "--only", "USR1,USR3",
                           "--json")
    assert code == 0 and [e["id"] for e in json.loads(stdout)["claims"]] == ["USR1", "USR3"]


BAD = {
    "missing": (None, "no such file"),
    "syntax": ("def f(:\n", "syntax error at line 1"),
    "import": ("import no_such_module_for_workbench_tests\n", "running it raised ModuleNotFoundError at line 1"),
    "raises": ("x = 1\nraise RuntimeError('my bug')\n", "running it raised RuntimeError at line 2: my bug"),
    "exits": ("import sys\nsys.exit(3)\n", "running it raised SystemExit at line 2"),
    "empty": ("x = 1\n", "registers no claims"),
    "twice": (GOOD + '@claim("USR1", source="s", statement="t", code="c")\ndef again(context):\n    pass\n',
              "'USR1' is registered twice"),
    "builtin": (GOOD.replace("USR1", "RS1"), "'RS1' is registered twice; a built-in or plugin claim has it"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_claims_file_is_one_line_and_exit_2(tmp_path, capsys, case):
    text, message = BAD[case]
    path = tmp_path / "usr.py" if text is None else _write(tmp_path, text)
    out = tmp_path / "rep"
    code, stdout, err = _run(capsys, "verify", "--out", out, "--claims", path)
    assert code == 2 and stdout == "" and err.count("\n") == 1, err
    assert err.startswith(f"workbench: error: --claims {path}") and message in err, err
    assert not out.exists()  # nothing written
    assert not {"USR1", "USR2"} & set(registry._REGISTRY) and not registry._COLLECTING


def test_the_same_id_in_two_files_is_an_error(tmp_path, capsys):
    a, b = _write(tmp_path, GOOD), _write(tmp_path, GOOD, "copy.py")
    code, _, err = _run(capsys, "verify", "--out", tmp_path / "rep", "--claims", a, "--claims", b)
    assert code == 2 and err.count("\n") == 1 and f"claim id 'USR1' is also registered by {a}" in err


@pytest.mark.parametrize("jobs", ["0", "-1", "two", "1.5"])
def test_bad_jobs(tmp_path, capsys, jobs):
    code, _, err = _run(capsys, "verify", "--out", tmp_path / "rep", "--jobs", jobs)
    assert code == 2 and err.startswith("workbench: error: --jobs must be a positive integer") and err.count("\n") == 1
    assert not (tmp_path / "rep").exists()


# ----------------------------------------------------------------- installed plugins (entry points)


@pytest.fixture
def plugin(tmp_path, monkeypatch):
    """An installed distribution with a ``workbench.claims`` entry point, on sys.path for this test only."""
    site = tmp_path / "site"
    (site / "wb_test_plugin-0.1.dist-info").mkdir(parents=True)
    (site / "wb_test_plugin-0.1.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: wb-test-plugin\nVersion: 0.1\n")
    (site / "wb_test_plugin-0.1.dist-info" / "entry_points.txt").write_text("[workbench.claims]\nmine = wb_test_plugin_claims\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))  # the plugin's claims leave with the test
    yield site / "wb_test_plugin_claims.py"
    sys.modules.pop("wb_test_plugin_claims", None)


def test_an_installed_plugin_is_loaded(plugin, tmp_path, capsys):
    plugin.write_text(GOOD.replace("USR", "PLG"))
    assert {"PLG1", "PLG2"} <= {c.id for c in all_claims()}
    code, stdout, _ = _run(capsys, "verify", "--out", tmp_path / "rep", "--only", "PLG1", "--json")
    assert code == 0 and json.loads(stdout)["claims"][0]["status"] == "proved"


def test_a_broken_plugin_is_one_line(plugin, tmp_path, capsys):
    plugin.write_text("raise ImportError('needs a library that is not installed')\n")
    code, stdout, err = _run(capsys, "verify", "--out", tmp_path / "rep")
    assert code == 2 and stdout == "" and err.count("\n") == 1
    assert "claims plugin 'mine' (workbench.claims entry point 'wb_test_plugin_claims') failed to load: ImportError" in err


def test_the_docs_show_the_example_file():
    """docs/claims.md shows examples/claims/my_claims.py as it is (its console example runs the file)."""
    source = (ROOT / "examples" / "claims" / "my_claims.py").read_text()
    assert source.strip() in (ROOT / "docs" / "claims.md").read_text()


# ----------------------------------------------------------------- parallel runs (--jobs)

SHARED = '''
from pathlib import Path
from workbench.claims import Evidence, Step, StepKind, claim

LOG = Path(__file__).with_name("computed.log")


def expensive():
    with LOG.open("a") as f:  # counts the computations across processes
        f.write("computed\\n")
    return {"value": 42}


def make(i):
    def check(context):
        import matplotlib.pyplot as plt

        value = context.cached("expensive", expensive)["value"]
        figs = context.figure(f"sh{i}.png", lambda: plt.subplots(figsize=(1, 1))[1])
        certs = context.certificate(f"SH{i}", {"kind": "test", "i": i})
        step = Step("shared value", StepKind.EXACT, "one value", value == 42, complete=True)
        return Evidence(f"claim {i} read {value}", [step], {"i": i, "certificates": list(certs)}, figures=figs)
    return check


for i in range(5):
    claim(f"SH{i}", source="test", statement=f"shared {i}", code="shared.py", cost=i % 3)(make(i))
'''


def _strip(result):
    entry = result.to_json()
    entry.pop("seconds")
    return entry


def test_parallel_results_equal_serial_and_shared_results_are_computed_once(tmp_path):
    from workbench.claims import CheckContext, run_claims

    runs = {}
    for jobs in (1, 3):
        where = tmp_path / f"jobs{jobs}"
        where.mkdir()
        claims = load_claims_file(_write(where, SHARED, "shared.py"))
        seen = []
        results = run_claims(claims, CheckContext(out_dir=where / "out"), seen.append, jobs=jobs)
        assert [r.claim.id for r in results] == [f"SH{i}" for i in range(5)]  # the order given, not finishing order
        assert sorted(r.claim.id for r in seen) == [f"SH{i}" for i in range(5)]  # progress for each, as they finish
        assert (where / "computed.log").read_text() == "computed\n"  # once, also across worker processes
        runs[jobs] = ([_strip(r) for r in results], sorted(p.relative_to(where / "out").as_posix()
                                                            for p in (where / "out").rglob("*") if p.is_file()))
    assert runs[1] == runs[3]
    assert "figures/sh4.png" in runs[3][1] and "certificates/SH4.json" in runs[3][1]


def test_costliest_claims_start_first(tmp_path):
    from workbench.claims._parallel import start_order

    claims = load_claims_file(_write(tmp_path, SHARED, "shared.py"))  # costs 0, 1, 2, 0, 1
    assert start_order(claims) == [2, 1, 4, 0, 3]
    builtin = {c.id: c for c in all_claims()}
    assert builtin["RS7"].cost_hint > builtin["RS6a"].cost_hint > builtin["PS12"].cost_hint == 1


def test_cited_proofs_are_tasks_of_their_own(tmp_path):
    """A parallel verify runs each proof the chosen built-in claims cite as a task, costliest first."""
    import inspect
    import re

    from workbench.claims._parallel import tasks
    from workbench.claims._proofs import PROOF_COST_HINTS, PROOFS_CITED, proof_names

    builtin = {c.id: c for c in all_claims()}
    for cid, c in builtin.items():  # the table is what the checks cite
        cited = set(re.findall(r'_proof\(context, "(\w+)"\)', inspect.getsource(c.check)))
        assert cited == set(PROOFS_CITED.get(cid, ())), cid
    assert set(PROOF_COST_HINTS) == set(proof_names())
    order = tasks([builtin["RS1"], builtin["RS8"], builtin["RS8a"]])
    assert sorted(order, key=str) == sorted([("claim", 0), ("claim", 1), ("claim", 2), ("proof", "equilibria_stability"),
                                             ("proof", "late_time_drift")], key=str)  # late_time_drift once
    assert order.index(("proof", "equilibria_stability")) < order.index(("proof", "late_time_drift"))
    assert tasks([builtin["RS1"], builtin["PS1"]]) == [("claim", 0), ("claim", 1)] or \
        tasks([builtin["RS1"], builtin["PS1"]]) == [("claim", 1), ("claim", 0)]
    user = load_claims_file(_write(tmp_path, SHARED, "shared.py"))
    assert all(kind == "claim" for kind, _ in tasks(user))


def test_parallel_interrupt_and_errors(tmp_path, capsys, monkeypatch):
    """A check interrupted in a worker stops the run and nothing is written; a crash is an error entry."""
    import workbench.cli.verify as verify_module
    from workbench.claims import Claim, Evidence, Step

    def figure(ctx):
        import matplotlib.pyplot as plt

        figs = ctx.figure("p1.png", lambda: plt.subplots(figsize=(1, 1))[1])
        return Evidence("ok", [Step("x", "numeric", "one case", True)], figures=figs)

    def boom(ctx):
        raise RuntimeError("kaput")

    def interrupt(ctx):
        raise KeyboardInterrupt

    claims = [Claim("P1", "t", "figure", figure, "t"), Claim("P2", "t", "raises", boom, "t")]
    monkeypatch.setattr(verify_module, "all_claims", lambda: list(claims))
    out = tmp_path / "rep" / "sub"
    code, _, err = _run(capsys, "verify", "--out", out, "--jobs", "2")
    data = json.loads((out / "report.json").read_text())
    assert code == 1 and {e["id"]: e["status"] for e in data["claims"]} == {"P1": "verified", "P2": "error"}
    assert "kaput" in data["claims"][1]["evidence"]["summary"] and (out / "figures" / "p1.png").is_file()

    claims.append(Claim("P9", "t", "interrupted", interrupt, "t", cost=5))
    before = {p: p.read_bytes() if p.is_file() else None for p in sorted(tmp_path.rglob("*"))}
    code, _, err = _run(capsys, "verify", "--out", out, "--jobs", "3")
    assert code == 130 and "Traceback" not in err
    assert err.strip().splitlines()[-1] == f"workbench: interrupted; nothing was written; the report in {out} is unchanged"
    assert {p: p.read_bytes() if p.is_file() else None for p in sorted(tmp_path.rglob("*"))} == before
