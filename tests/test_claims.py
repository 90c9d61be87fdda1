import json
from pathlib import Path

import pytest

from workbench.claims import CheckContext, Claim, Evidence, Status, Step, all_claims
from workbench.claims._registry import _REGISTRY, run_claim
import workbench.claims._parallel as parallel_module
import workbench.cli.verify as verify_module
from workbench.cli._main import main


def test_registry_has_the_reward_seeking_claims():
    ids = {c.id for c in all_claims()}
    assert {"RS1", "RS2", "RS3", "RS4", "RS5", "RS6", "RS7", "RS8", "RS9"} <= ids
    for c in all_claims():
        assert c.source and c.statement and c.code


def test_crash_becomes_error_status():
    def boom(ctx):
        raise RuntimeError("kaput")

    r = run_claim(Claim("X1", "test", "a claim", boom, "here"), CheckContext())
    assert r.evidence.status is Status.ERROR and "kaput" in r.evidence.summary and r.is_problem


_NUMERIC = Step("a numeric check", "numeric", "one case", True)


def test_evidence_validates_steps():
    with pytest.raises(ValueError):
        Step("x", "vibes", "all", True)
    with pytest.raises(ValueError):
        Evidence("x", ())
    with pytest.raises(ValueError):  # a numeric violation is not a counterexample
        Step("x", "numeric", "one case", True, counterexample=True)


def test_verify_writes_report_and_exit_codes(tmp_path, capsys, monkeypatch):
    code = main(["verify", "--out", str(tmp_path), "--only", "RS4,RS5", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {c["id"]: c["status"] for c in data["claims"]} == {"RS4": "proved", "RS5": "verified"}
    assert (tmp_path / "report.md").read_text().count("## RS") == 2
    assert json.loads((tmp_path / "report.json").read_text())["claims"][0]["id"] == "RS4"
    assert not (tmp_path / ".staging").exists()
    page = (tmp_path / "index.html").read_text()
    assert "RS4" in page and "http" not in page.split("<body>")[1]  # standalone: no network references

    failing = Claim("ZZ1", "test", "should hold", lambda ctx: Evidence("did not hold", (Step("x", "numeric", "one case", False),)), "test")
    monkeypatch.setitem(_REGISTRY, "ZZ1", failing)
    assert main(["verify", "--out", str(tmp_path), "--only", "ZZ1"]) == 1
    capsys.readouterr()


def test_verify_rejects_file_as_out(tmp_path, capsys):
    f = tmp_path / "file"
    f.write_text("x")
    assert main(["verify", "--out", str(f)]) == 2


def test_symbolic_checks_exit_nonzero_on_failure(capsys):
    from workbench.rs import SymbolicChecks

    check = SymbolicChecks()
    assert check("true", True) and not check("false", 0 == 1)
    with pytest.raises(SystemExit) as exc:
        check.finish()
    assert exc.value.code == 1 and "FAILED" in capsys.readouterr().out


def test_evidence_rejects_figure_names_outside_the_report():
    with pytest.raises(ValueError):
        Evidence("x", (_NUMERIC,), figures=("plot.png",))
    assert Evidence("x", (_NUMERIC,), figures=("figures/plot.png",)).figures == ("figures/plot.png",)


# ----------------------------------------------------------------- verify: --only, merging, interrupts


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _tiny_axes(name):
    """A small figure titled ``name`` (what a plot function returns: its Axes)."""
    import matplotlib.pyplot as plt

    ax = plt.subplots(figsize=(1, 1))[1]
    ax.set_title(name)
    return ax


def _figure_claim(cid, names, calls=None):
    """A fast claim that writes one tiny figure per call, named ``names[call]``."""
    calls = calls if calls is not None else []

    def check(ctx):
        name = names[min(len(calls), len(names) - 1)]
        calls.append(name)
        figs = ctx.figure(name, lambda: _tiny_axes(name))
        return Evidence(f"{cid} ok ({name})", (_NUMERIC,), {"call": len(calls)}, figures=figs)

    return Claim(cid, "test", f"claim {cid}", check, "tests")


@pytest.fixture
def fake_registry(monkeypatch):
    """Two quick claims stand in for the registry, so a 'full' run takes milliseconds.

    Their checks count their calls in this process, so these runs are serial (``--jobs 1`` is
    the default here); the parallel runs have their own tests.
    """
    claims = [_figure_claim("F1", ["f1_old.png", "f1_new.png"]), _figure_claim("F2", ["f2.png"])]
    monkeypatch.setattr(verify_module, "all_claims", lambda: list(claims))
    monkeypatch.setattr(parallel_module, "default_jobs", lambda: 1)
    return claims


def _snapshot(root: Path) -> dict:
    return {p.relative_to(root): (p.read_bytes() if p.is_file() else None) for p in sorted(root.rglob("*"))}


@pytest.mark.parametrize("only", ["", ",", " , ", "F1,", ",F1", "F1,,F2"])
def test_verify_only_empty_ids_are_errors(tmp_path, capsys, fake_registry, only):
    out = tmp_path / "rep"
    code, stdout, err = _run(capsys, "verify", "--out", str(out), "--only", only)
    assert code == 2 and stdout == "" and err.startswith("workbench: error: --only") and err.count("\n") == 1
    assert not out.exists()


def test_verify_only_merges_into_a_full_report(tmp_path, capsys, fake_registry):
    out = tmp_path / "rep"
    assert _run(capsys, "verify", "--out", str(out))[0] == 0
    first = json.loads((out / "report.json").read_text())
    assert first["meta"]["complete"] and not first["meta"]["merged"] and first["meta"]["format"] == "workbench.verify/2"
    assert sorted(p.name for p in (out / "figures").iterdir()) == ["f1_old.png", "f2.png"]
    f2_entry = first["claims"][1]

    code, stdout, _ = _run(capsys, "verify", "--out", str(out), "--only", "F1")
    assert code == 0 and "merged: re-ran 1 claim(s); 1 kept" in stdout
    data = json.loads((out / "report.json").read_text())
    meta = data["meta"]
    assert [c["id"] for c in data["claims"]] == ["F1", "F2"]  # nothing dropped, registry order
    assert meta["merged"] and meta["complete"] and meta["claims_run"] == ["F1"] and meta["missing"] == []
    assert [r["claims"] for r in meta["runs"]] == [["F2"], ["F1"]]
    assert meta["runs"][1]["command"] == f"workbench verify --out {out} --only F1"
    assert data["claims"][1] == f2_entry  # the kept claim is byte-for-byte the earlier entry, with its run
    assert data["claims"][0]["run"]["command"].endswith("--only F1") and data["claims"][0]["run"]["versions"]["workbench"]
    # The re-run claim's stale figure is gone; the other claim's figure stays.
    assert sorted(p.name for p in (out / "figures").iterdir()) == ["f1_new.png", "f2.png"]
    md = (out / "report.md").read_text()
    assert "**Merged report.**" in md and "which re-ran F1" in md and "Partial report" not in md
    assert "| 1 |" in md and "| 2 |" in md and md.count("**Run:**") == 2
    page = (out / "index.html").read_text()
    assert page.count("data:image/png;base64,") == 2 and "missing figure" not in page and "Merged report" in page
    assert not (out / ".staging").exists()

    # A later full run is one run again and drops nothing it should keep.
    assert _run(capsys, "verify", "--out", str(out))[0] == 0
    meta = json.loads((out / "report.json").read_text())["meta"]
    assert not meta["merged"] and len(meta["runs"]) == 1
    assert "Merged report" not in (out / "report.md").read_text()


def test_verify_only_without_a_report_writes_a_partial_report(tmp_path, capsys, fake_registry):
    out = tmp_path / "a" / "b"  # the tool's own folder: created with its parents
    code, stdout, _ = _run(capsys, "verify", "--out", str(out), "--only", "F2", "--json")
    data = json.loads(stdout)
    assert code == 0 and [c["id"] for c in data["claims"]] == ["F2"]
    assert not data["meta"]["complete"] and data["meta"]["missing"] == ["F1"] and not data["meta"]["merged"]
    md = (out / "report.md").read_text()
    assert "**Partial report:** it holds 1 of the 2 registered claims; never run here: F1" in md
    assert "Partial report" in (out / "index.html").read_text()
    # Running the missing claim completes it.
    assert _run(capsys, "verify", "--out", str(out), "--only", "F1")[0] == 0
    meta = json.loads((out / "report.json").read_text())["meta"]
    assert meta["complete"] and meta["merged"] and "Partial report" not in (out / "report.md").read_text()


def test_verify_merges_into_a_report_of_the_previous_format(tmp_path, capsys, fake_registry):
    out = tmp_path / "rep"
    out.mkdir()
    old_meta = {"generated": "2020-01-01T00:00:00+00:00", "command": "workbench verify", "versions": {"workbench": "0.0.9"}}
    entry = {"id": "F2", "source": "s", "statement": "t", "status": "open", "seconds": 1.0,
             "evidence": {"summary": "old", "method": "none", "details": {}, "figures": [], "code": "c"}}
    (out / "report.json").write_text(json.dumps({"claims": [entry], "meta": old_meta}))
    assert _run(capsys, "verify", "--out", str(out), "--only", "F1")[0] == 0
    data = json.loads((out / "report.json").read_text())
    assert data["claims"][1]["run"] == old_meta and data["meta"]["runs"][0]["versions"] == {"workbench": "0.0.9"}
    assert "workbench 0.0.9" in (out / "report.md").read_text()


@pytest.mark.parametrize("content", [
    "{not json",
    json.dumps({"claims": "x", "meta": {}}),
    json.dumps([1, 2]),
    # A figure name outside figures/ is refused (merging deletes stale figures by name).
    json.dumps({"claims": [{"id": "F1", "source": "s", "statement": "t", "status": "open", "seconds": 0,
                            "run": {"generated": "g", "command": "c", "versions": {}},
                            "evidence": {"summary": "", "method": "none", "details": {}, "code": "c",
                                         "figures": ["figures/../../victim"]}}], "meta": {}}),
])
def test_verify_only_refuses_an_unreadable_report(tmp_path, capsys, fake_registry, content):
    out = tmp_path / "rep"
    out.mkdir()
    (out / "report.json").write_text(content)
    (tmp_path / "victim").write_text("keep me")
    before = _snapshot(tmp_path)
    code, stdout, err = _run(capsys, "verify", "--out", str(out), "--only", "F1")
    assert code == 2 and stdout == "" and "report.json is not a workbench report" in err and err.count("\n") == 1
    assert _snapshot(tmp_path) == before


def test_verify_only_refuses_a_report_without_its_json(tmp_path, capsys, fake_registry):
    out = tmp_path / "rep"
    out.mkdir()
    (out / "report.md").write_text("# a hand-kept report")
    code, _, err = _run(capsys, "verify", "--out", str(out), "--only", "F1")
    assert code == 2 and "no report.json" in err and err.count("\n") == 1
    assert sorted(p.name for p in out.iterdir()) == ["report.md"]


@pytest.mark.parametrize("blocker", ["figures", ".staging", "report.json", "report.md", "index.html"])
def test_verify_out_with_something_in_the_way(tmp_path, capsys, fake_registry, blocker):
    out = tmp_path / "rep"
    out.mkdir()
    if blocker in ("figures", ".staging"):
        (out / blocker).write_text("a file")
    else:
        (out / blocker).mkdir()
    before = _snapshot(tmp_path)
    code, stdout, err = _run(capsys, "verify", "--out", str(out))
    assert code == 2 and stdout == "" and err.startswith("workbench: error: --out") and err.count("\n") == 1
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize("where", ["fresh", "existing"])
def test_verify_interrupt_writes_nothing(tmp_path, capsys, fake_registry, monkeypatch, where):
    def interrupt(ctx):
        raise KeyboardInterrupt

    # F1 finishes (and writes a staged figure) before F9 is interrupted.
    fake_registry.append(Claim("F9", "test", "interrupted", interrupt, "tests"))
    out = tmp_path / "rep" / "sub"
    if where == "existing":
        assert _run(capsys, "verify", "--out", str(out), "--only", "F2")[0] == 0
    before = _snapshot(tmp_path)
    code, stdout, err = _run(capsys, "verify", "--out", str(out), "--only", "F1,F9")
    assert code == 130 and "Traceback" not in err
    last = err.strip().splitlines()[-1]
    if where == "existing":
        assert last == f"workbench: interrupted; nothing was written; the report in {out} is unchanged"
    else:
        assert last == "workbench: interrupted; nothing was written"
    assert _snapshot(tmp_path) == before  # no .staging, no new folders, previous report byte-identical


def test_verify_failure_while_rendering_keeps_the_previous_report(tmp_path, capsys, fake_registry, monkeypatch):
    out = tmp_path / "rep"
    assert _run(capsys, "verify", "--out", str(out))[0] == 0
    before = _snapshot(tmp_path)

    def broken(*a, **k):
        raise RuntimeError("renderer broke")

    monkeypatch.setattr(verify_module, "render_html", broken)
    from workbench.cli._main import build_parser

    with pytest.raises(RuntimeError, match="renderer broke"):
        verify_module.run_verify(build_parser().parse_args(["verify", "--out", str(out), "--only", "F1"]))
    assert _snapshot(tmp_path) == before


def test_verify_claim_that_raises_or_exits_is_an_error_entry(tmp_path, capsys, fake_registry):
    def boom(ctx):
        raise RuntimeError("kaput")

    def exits(ctx):
        raise SystemExit(3)

    fake_registry += [Claim("F7", "test", "raises", boom, "tests"), Claim("F8", "test", "exits", exits, "tests")]
    out = tmp_path / "rep"
    code, _, err = _run(capsys, "verify", "--out", str(out))
    data = json.loads((out / "report.json").read_text())
    assert code == 1 and "problems (failed or error): F7, F8" in err
    assert {c["id"]: c["status"] for c in data["claims"]} == {"F1": "verified", "F2": "verified", "F7": "error", "F8": "error"}
    assert not (out / ".staging").exists()


def test_plain_interrupt_says_only_interrupted(tmp_path, capsys, monkeypatch):
    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr(verify_module, "all_claims", interrupted)
    code, _, err = _run(capsys, "verify", "--out", str(tmp_path / "r"))
    assert code == 130 and err == "workbench: interrupted\n"
