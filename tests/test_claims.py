import json

import pytest

from workbench import CheckContext, Claim, Evidence, Status, all_claims
from workbench._claims import _REGISTRY, run_claim
from workbench._cli import main


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


def test_evidence_validates_method():
    with pytest.raises(ValueError):
        Evidence(Status.VERIFIED, "x", "vibes")


def test_verify_writes_report_and_exit_codes(tmp_path, capsys, monkeypatch):
    code = main(["verify", "--out", str(tmp_path), "--only", "RS4,RS7a", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {c["id"]: c["status"] for c in data["claims"]} == {"RS4": "proved", "RS7a": "open"}
    assert (tmp_path / "report.md").read_text().count("## RS") == 2
    assert json.loads((tmp_path / "report.json").read_text())["claims"][0]["id"] == "RS4"
    assert not (tmp_path / ".staging").exists()
    page = (tmp_path / "index.html").read_text()
    assert "RS4" in page and "http" not in page.split("<body>")[1]  # standalone: no network references

    failing = Claim("ZZ1", "test", "should hold", lambda ctx: Evidence(Status.FAILED, "did not hold", "numeric"), "test")
    monkeypatch.setitem(_REGISTRY, "ZZ1", failing)
    assert main(["verify", "--out", str(tmp_path), "--only", "ZZ1"]) == 1
    capsys.readouterr()


def test_verify_rejects_file_as_out(tmp_path, capsys):
    f = tmp_path / "file"
    f.write_text("x")
    assert main(["verify", "--out", str(f)]) == 2


def test_symbolic_checks_exit_nonzero_on_failure(capsys):
    from workbench._proofs import SymbolicChecks

    check = SymbolicChecks()
    assert check("true", True) and not check("false", 0 == 1)
    with pytest.raises(SystemExit) as exc:
        check.finish()
    assert exc.value.code == 1 and "FAILED" in capsys.readouterr().out


def test_evidence_rejects_figure_names_outside_the_report():
    with pytest.raises(ValueError):
        Evidence(Status.VERIFIED, "x", "numeric", figures=("plot.png",))
    assert Evidence(Status.VERIFIED, "x", "numeric", figures=("figures/plot.png",)).figures == ("figures/plot.png",)
