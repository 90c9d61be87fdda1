"""The command line: JSON shapes, exit code 2 with one line on bad input, atomic plot output."""

import json
from pathlib import Path

import pytest

from workbench.cli._main import main

ROOT = Path(__file__).resolve().parents[2]
WAIT = str(ROOT / "mdps/wait.toml")


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_orbit_json(capsys):
    code, out, err = run(capsys, "orbit", WAIT, "--state", "start", "--a", "candy", "--b", "wait",
                         "--reward", "0,0,3,2,1", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert (d["a_strict"], d["b_strict"], d["tie"], d["orbit_size"]) == (20, 40, 0, 60)
    assert d["weak_fraction_a"] == "1/3" and d["method"] == "exact" and d["ci"] is None
    assert d["criterion"].startswith("average")


def test_orbit_name_value_pairs_and_fractions(capsys):
    code, out, _ = run(capsys, "orbit", WAIT, "--a", "candy", "--b", "wait", "--json",
                       "--reward", "hug=1/3,start=0,wait=0,candy=1/3,chocolate=2/3")
    d = json.loads(out)
    assert code == 0 and d["orbit_size"] == 30 and d["b_strict"] >= 2 * d["a_strict"]


def test_orbit_criteria_compare_on_same_orbit(capsys):
    res = {}
    for crit in ["average", "blackwell"]:
        code, out, _ = run(capsys, "orbit", WAIT, "--a", "candy", "--b", "wait", "--reward", "0,0,1,1,0",
                           "--criterion", crit, "--json")
        res[crit] = json.loads(out)["weak_fraction_a"]
    assert res == {"average": "1/2", "blackwell": "2/5"}
    code, out, _ = run(capsys, "orbit", WAIT, "--a", "candy", "--b", "wait", "--reward", "1,2,3,4,5",
                       "--criterion", "discounted", "--gamma", "1/2", "--json")
    assert json.loads(out)["criterion"] == "discounted, gamma = 1/2"


def test_orbit_sampled(capsys):
    grid = str(ROOT / "mdps/gridworld.toml")
    code, out, err = run(capsys, "orbit", grid, "--a", "r0c1", "--b", "r1c0", "--reward", "1,2,3,4,5,6,7,8,9",
                         "--limit", "10")
    assert code == 2 and "limit" in err and err.count("\n") == 1
    code, out, err = run(capsys, "orbit", grid, "--a", "r0c1", "--b", "r1c0", "--reward", "1,2,3,4,5,6,7,8,9",
                         "--limit", "10", "--samples", "5000", "--json")
    d = json.loads(out)
    assert code == 0 and d["method"] == "sampled" and len(d["ci"]) == 2 and isinstance(d["weak_fraction_a"], float)


def test_orbit_rules(capsys):
    for rule in ["fracoptimal", "antiopt", "boltzmann:1/2", "bestof:2", "satisfice:2"]:
        code, out, err = run(capsys, "orbit", WAIT, "--a", "candy", "--b", "wait", "--reward", "1,2,3,4,5",
                             "--rule", rule, "--json")
        assert code == 0, (rule, err)
        assert json.loads(out)["rule"] == rule.split(":")[0]


def test_power_json(capsys):
    code, out, _ = run(capsys, "power", WAIT, "--state", "start", "--gamma", "1", "--json")
    d = json.loads(out)
    assert d["exact"] == "3/4" and d["power"] == 0.75 and d["ci"] is None
    code, out, _ = run(capsys, "power", WAIT, "--gamma", "0.9", "--samples", "20000", "--seed", "2", "--json")
    d = json.loads(out)
    assert d["exact"] is None and d["ci"][0] <= d["power"] <= d["ci"][1]


def test_power_methods_agree_on_the_same_samples(capsys):
    out = {}
    for method in ("exact", "sampled", "auto"):
        code, text, _ = run(capsys, "power", WAIT, "--gamma", "1/2", "--samples", "5000", "--method", method, "--json")
        out[method] = json.loads(text)
    assert out["exact"]["method"] == out["auto"]["method"] == "ExactVisits"
    assert out["sampled"]["method"] == "BatchedValueIteration" and out["auto"]["how"].startswith("auto: exact")
    assert abs(out["exact"]["power"] - out["sampled"]["power"]) < 1e-7


def test_copies_json(capsys):
    code, out, _ = run(capsys, "copies", WAIT, "--state", "start", "--a", "candy", "--b", "wait", "--json")
    d = json.loads(out)
    assert d["n"] == 2 and d["disjoint"] is True
    assert d["involutions"] == [[["candy", "chocolate"]], [["candy", "hug"]]]


def test_mdp_show_and_plot(capsys, tmp_path):
    png = tmp_path / "wait.png"
    code, out, _ = run(capsys, "mdp", "show", WAIT, "--plot", str(png), "--a", "candy", "--b", "wait", "--json")
    d = json.loads(out)
    assert code == 0 and d["visit_distributions"] == 3 and png.stat().st_size > 1000
    assert not list(tmp_path.glob("*.part"))
    code, out, _ = run(capsys, "mdp", "show", str(ROOT / "mdps/stochastic.toml"))
    assert code == 0 and "stochastic" in out


@pytest.mark.parametrize("argv", [
    ["orbit", WAIT, "--a", "candy", "--b", "wait", "--reward", "1,2,3"],
    ["orbit", WAIT, "--a", "candy", "--b", "wait", "--reward", "1,2,3,4,x"],
    ["orbit", WAIT, "--a", "candy", "--b", "nowhere", "--reward", "1,2,3,4,5"],
    ["orbit", WAIT, "--state", "mars", "--a", "candy", "--b", "wait", "--reward", "1,2,3,4,5"],
    ["orbit", WAIT, "--a", "candy", "--b", "wait", "--reward", "candy=1,hug=2"],
    ["orbit", WAIT, "--a", "candy", "--b", "wait", "--reward", "1,2,3,4,5", "--criterion", "discounted"],
    ["orbit", WAIT, "--a", "candy", "--b", "wait", "--reward", "1,2,3,4,5", "--criterion", "discounted", "--gamma", "1"],
    ["orbit", WAIT, "--a", "candy", "--b", "wait", "--reward", "1,2,3,4,5", "--rule", "boltzmann"],
    ["orbit", WAIT, "--a", "candy", "--b", "wait", "--reward", "1,2,3,4,5", "--rule", "bestof:0"],
    ["power", WAIT, "--gamma", "1.5"],
    ["power", WAIT, "--gamma", "-1/2"],
    ["power", WAIT, "--gamma", "abc"],
    ["power", WAIT, "--gamma", "1", "--method", "sampled"],
    ["power", WAIT, "--gamma", "1/2", "--method", "sampled", "--tol", "0"],
    ["power", WAIT, "--gamma", "1/2", "--method", "guess"],
    ["power", WAIT, "--gamma", "1/2", "--method", "exact", "--max-visits", "1"],
    ["copies", WAIT, "--a", "", "--b", "wait"],
    ["orbit", WAIT, "--a", "candy", "--b", "wait", "--reward", "1,2,3,4,5", "--limit", "1", "--criterion", "blackwell"],
])
def test_bad_input_exits_2_with_one_line(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("workbench: error:") and "Traceback" not in err


def test_failed_plot_leaves_no_file(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[states]\ns = [\"t\"]\n")
    png = tmp_path / "out.png"
    code, _, _ = run(capsys, "mdp", "show", str(bad), "--plot", str(png))
    assert code == 2 and not png.exists()
