import json

import pytest

from workbench._cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("argv", [
    ["rs", "simulate", "--p0", "0"],
    ["rs", "simulate", "--p0", "abc"],
    ["rs", "simulate", "--p0", "1"],
    ["rs", "simulate", "--alpha", "1,-1,1"],
    ["rs", "simulate", "--alpha", "1,1"],
    ["rs", "simulate", "--c", "0.1,1.5,0"],
    ["rs", "simulate", "--c", "-0.1,0,0"],
    ["rs", "simulate", "--n", "0"],
    ["rs", "simulate", "--kappa", "-1"],
    ["rs", "simulate", "--eps", "0"],
    ["rs", "simulate", "--variant", "bogus"],
    ["rs", "simulate", "--reward", "__import__('os').system('echo hacked')"],
    ["rs", "simulate", "--n", "2.5", "--full"],
    ["rs", "critical", "--p0", "1/0"],
    ["rs", "scaling", "--p0", "0.1,0.01"],
    ["rs", "scaling", "--p0", "0.1,,0.01"],
    ["rs", "simulate", "--criterion", "nonsense"],
    ["nonexistent-command"],
    ["verify", "--only", "RS999"],
])
def test_bad_input_is_one_line_and_exit_2(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert err.startswith("workbench: error: ") and err.count("\n") == 1 and "Traceback" not in err
    assert "hacked" not in out


def test_simulate_json_contract(capsys, tmp_path):
    plot = tmp_path / "traj.png"
    code, out, _ = run(capsys, "rs", "simulate", "--p0", "1/2", "--plot", str(plot), "--json")
    data = json.loads(out)
    assert code == 0 and data["outcome"] == "reward-seeking" and data["reason"] == "saturated"
    assert isinstance(data["p_final"], float) and isinstance(data["t_sat"], float)
    assert plot.stat().st_size > 1000


def test_simulate_full_equals_reduced(capsys):
    _, a, _ = run(capsys, "rs", "simulate", "--n", "20", "--json")
    _, b, _ = run(capsys, "rs", "simulate", "--n", "20", "--full", "--json")
    a, b = json.loads(a), json.loads(b)
    assert a["outcome"] == b["outcome"] and a["p_final"] == pytest.approx(b["p_final"], rel=1e-7)


def test_undecided_is_reported(capsys):
    code, out, _ = run(capsys, "rs", "simulate", "--t-max", "3", "--json")
    data = json.loads(out)
    assert code == 0 and data["outcome"] == "undecided" and data["t_sat"] is None


def test_critical_json_contract(capsys):
    code, out, _ = run(capsys, "rs", "critical", "--p0", "0.1", "--json")
    data = json.loads(out)
    assert code == 0 and data["p0"] == 0.1 and data["n_star"] == 10
    assert 9 < data["n_star_continuous"] <= 10 and data["monotone"] is True


def test_scaling_json_contract(capsys, tmp_path):
    plot = tmp_path / "s.png"
    code, out, _ = run(capsys, "rs", "scaling", "--p0", "1e-1,1e-2,1e-3", "--plot", str(plot), "--json")
    data = json.loads(out)
    assert code == 0 and len(data["points"]) == 3
    assert set(data["points"][0]) >= {"p0", "n_star", "n_star_continuous"}
    assert data["slope_ci"][0] <= data["slope"] <= data["slope_ci"][1]
    assert plot.exists()


def test_text_output(capsys):
    code, out, _ = run(capsys, "rs", "critical", "--p0", "1/10")
    assert code == 0 and "N* = 10" in out
