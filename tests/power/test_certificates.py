"""The independent certificate checker: it passes on a real report, fails on a tampered
certificate, and imports nothing but the standard library and fractions."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.certificates import check
from workbench.cli._main import main

ROOT = Path(__file__).resolve().parents[2]
CHECKER = ROOT / "workbench/certificates/check.py"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    assert main(["verify", "--only", "PS1,PS2,PS9", "--out", str(out)]) == 0
    return out


def test_checker_imports_only_the_standard_library():
    allowed = {"__future__", "itertools", "json", "sys", "tomllib", "collections", "fractions", "pathlib", "math"}
    tree = ast.parse(CHECKER.read_text())
    names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert names <= allowed, names - allowed


def test_checker_passes_on_a_real_report(report):
    files = sorted(p.name for p in (report / "certificates").glob("*.json"))
    assert {"ps1_wait_copies.json", "ps2_three_copies_copies.json", "ps9_shared_terminal.json",
            "ps9_strict_counterexample.json"} <= set(files)
    summary = check.check_report(report)
    assert summary["failed"] == 0 and summary["passed"] == len(files)
    meta = json.loads((report / "report.json").read_text())["meta"]
    assert meta["certificates"]["passed"] == len(files) and meta["certificates"]["failed"] == 0
    assert "**Certificates:** the independent checker" in (report / "report.md").read_text()
    run = subprocess.run([sys.executable, "-m", "workbench.certificates.check", str(report)], capture_output=True, text=True)
    assert run.returncode == 0 and f"{len(files)} certificates: {len(files)} passed, 0 failed" in run.stdout
    hand = summary["results"]["ps9_shared_terminal.json"]["messages"]
    assert any("240/240/240 of 720" in m and "1/3 < 1/2" in m for m in hand)


def _tampered(report, tmp_path, name, edit):
    folder = tmp_path / "tampered"
    (folder / "certificates").mkdir(parents=True)
    cert = json.loads((report / "certificates" / name).read_text())
    edit(cert)
    (folder / "certificates" / name).write_text(json.dumps(cert))
    return folder


def test_checker_fails_on_a_tampered_involution(report, tmp_path):
    def edit(cert):  # phi_2 of three_copies: map the vertex onto the wrong copy's pair state
        cert["involutions"][1][0] = ["v", "p1_1"]

    folder = _tampered(report, tmp_path, "ps2_three_copies_copies.json", edit)
    assert check.check_report(folder)["failed"] == 1
    assert subprocess.run([sys.executable, "-m", "workbench.certificates.check", str(folder)],
                          capture_output=True, text=True).returncode == 1


def test_checker_fails_on_a_degenerate_or_miscounted_certificate(report, tmp_path):
    def degenerate(cert):  # the swap of B's two terminals fixes A = {candy}: degenerate (and not into B)
        cert["involutions"] = [[["chocolate", "hug"]]]

    folder = _tampered(report, tmp_path, "ps1_wait_copies.json", degenerate)
    r = check.check_report(folder)["results"]["ps1_wait_copies.json"]
    assert r["status"] == "failed" and any("degenerate" in m for m in r["messages"])

    def vote(cert):
        cert["vote"]["b_strict"] += 1

    folder = _tampered(report, tmp_path / "v", "ps9_shared_terminal.json", vote)
    assert check.check_report(folder)["failed"] == 1


def test_unsupported_certificates_are_unchecked_not_passed():
    cert = {"kind": "counterexample", "mdp": '[states]\ns = ["s"]\n', "state": "s", "a": ["s"], "b": ["s"],
            "reward": ["0"], "criterion": "discounted, gamma = 1/2", "vote": {}, "bound": "1/2"}
    assert check.check_certificate(cert)["status"] == "unchecked"


# --- non-domination witnesses ------------------------------------------------------------------

def _nd_certificate():
    """A standalone non-domination certificate: from ``a`` the RSDs are {x}, {y} and the 2-cycle
    {x, y}, whose RSD (1/2, 1/2) is dominated by the two terminals."""
    from workbench.claims.power._shared import non_domination_json
    from workbench.power._mdp.mdp import MDP, dumps_mdp

    m = MDP.from_successors({"s": ["a", "b"], "a": ["x", "y"], "b": ["z"], "x": ["x", "y"], "y": ["y", "x"], "z": ["z"]},
                            name="nd_example", start="s")
    return {"kind": "non_domination", "mdp": dumps_mdp(m), "state": "s", "a": ["a"], **non_domination_json(m, "s", ["a"])}


def test_non_domination_witnesses_are_exact():
    from fractions import Fraction

    from workbench.power._visits.witnesses import non_domination_witnesses

    vecs = [(1, 0, 0), (0, 1, 0), (0, 0, 1), (Fraction(1, 3), Fraction(1, 3), Fraction(1, 3)), (Fraction(1, 2), Fraction(1, 2), 0)]
    w = non_domination_witnesses(vecs)
    assert w.non_dominated == [0, 1, 2] and not w.undecided
    for v in w.vertices:
        top = sum(a * b for a, b in zip(v.reward, vecs[v.index]))
        assert all(sum(a * b for a, b in zip(v.reward, g)) < top for j, g in enumerate(vecs) if j != v.index)
    for d in w.dominated:
        assert all(j != d.index and x >= 0 for j, x in d.weights) and sum(x for _, x in d.weights) == 1
        assert tuple(sum(x * vecs[j][c] for j, x in d.weights) for c in range(3)) == tuple(map(Fraction, vecs[d.index]))
    with pytest.raises(ValueError, match="distinct"):
        non_domination_witnesses([(1, 0), (1, 0)])


def test_checker_passes_and_fails_on_non_domination_witnesses():
    cert = _nd_certificate()
    assert [v["option"] for v in cert["vertices"]] == [0, 1] and cert["dominated"] == [{"option": 2, "weights": {"0": "1/2", "1": "1/2"}}]
    good = check.check_certificate(cert)
    assert good["status"] == "passed", good
    assert "2 of the 3 RSD options" in good["messages"][0]

    bad = json.loads(json.dumps(cert))  # one reward entry: {x} is then no longer the strict unique maximum
    bad["vertices"][0]["reward"] = {"y": "1"}
    r = check.check_certificate(bad)
    assert r["status"] == "failed" and any("strict unique maximum" in m for m in r["messages"])

    bad = json.loads(json.dumps(cert))  # one weight: not convex and not the option
    bad["dominated"][0]["weights"]["0"] = "1/3"
    r = check.check_certificate(bad)
    assert r["status"] == "failed" and any("convex" in m for m in r["messages"])

    bad = json.loads(json.dumps(cert))  # the dominated option claimed as a vertex with some reward
    bad["dominated"] = []
    bad["vertices"].append({"option": 2, "reward": {"x": "1", "y": "1"}})
    assert check.check_certificate(bad)["status"] == "failed"

    bad = json.loads(json.dumps(cert))  # an option left out of the list
    bad["options"] = bad["options"][:2]
    bad["dominated"] = []
    assert check.check_certificate(bad)["status"] == "failed"


def test_copies_certificates_carry_checked_non_domination(report, tmp_path):
    cert = json.loads((report / "certificates" / "ps2_three_copies_copies.json").read_text())
    assert cert["non_domination"]["options"] == cert["a_options"] and not cert["non_domination"]["dominated"]
    msgs = check.check_report(report)["results"]["ps2_three_copies_copies.json"]["messages"]
    assert any("non-domination: 3 of the 3 RSD options" in m for m in msgs)
    assert not any("not re-checked" in m for m in msgs)

    def edit(cert):  # one witness entry: the vertex's reward now favours another option
        cert["non_domination"]["vertices"][0]["reward"] = {"p1": "1"}

    folder = _tampered(report, tmp_path, "ps2_three_copies_copies.json", edit)
    r = check.check_report(folder)["results"]["ps2_three_copies_copies.json"]
    assert r["status"] == "failed" and any("non-domination" in m for m in r["messages"])
