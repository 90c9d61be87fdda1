import json

import pytest

from workbench.cli._main import main


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


def test_critical_scan_options(capsys):
    # --no-monotonicity-check: the ladder, one simulation at N* = 1, monotone null; --grid-points K
    code, out, _ = run(capsys, "rs", "critical", "--p0", "0.3", "--no-monotonicity-check", "--json")
    data = json.loads(out)
    assert code == 0 and data["n_star"] == 1 and data["monotone"] is None and data["scan"] == "Ladder(ratio=10.0)"
    code, out, _ = run(capsys, "rs", "critical", "--p0", "0.1", "--grid-points", "33")
    assert code == 0 and "monotone in N on a 33-point log grid up to 1e+09: True" in out
    code, out, _ = run(capsys, "rs", "critical", "--p0", "0.1", "--no-monotonicity-check")
    assert code == 0 and "N* = 10" in out and "monotonicity in N not checked" in out
    for bad, message in ((["--grid-points", "2"], "--grid-points must be at least 3"),
                         (["--grid-points", "1e999"], "--grid-points"),
                         (["--grid-points", "5", "--no-monotonicity-check"], "exclude each other")):
        code, _, err = run(capsys, "rs", "critical", "--p0", "0.1", *bad)
        assert code == 2 and message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


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


# --- issue 9: every flag refused by name and range, before any work ----------------------------

@pytest.mark.parametrize("argv,names", [
    (["rs", "simulate", "--p0", "0"], "--p0 must lie strictly between 0 and 1"),
    (["rs", "simulate", "--p0", "1e999"], "--p0"),
    (["rs", "simulate", "--p0", "1e-999999999"], "--p0"),
    (["rs", "simulate", "--n", "1e999"], "--n"),
    (["rs", "simulate", "--n", "1e300"], "--n must be at most"),
    (["rs", "simulate", "--alpha", "1e999,1,1"], "--alpha"),
    (["rs", "simulate", "--alpha", "1e300,1,1"], "--alpha must be at most"),
    (["rs", "simulate", "--alpha", "0,1,1"], "--alpha must be at least"),
    (["rs", "simulate", "--c", "0.1,2,0"], "--c must be at most 1"),
    (["rs", "simulate", "--x0", "1e300"], "--x0"),
    (["rs", "simulate", "--cost", "1e300"], "--cost must be below 1"),
    (["rs", "simulate", "--cost", "1"], "--cost must be below 1"),
    (["rs", "simulate", "--cost=-0.1"], "--cost must be >= 0"),
    (["rs", "simulate", "--kappa", "1e300"], "--kappa must be at most"),
    (["rs", "simulate", "--eps", "1e-300"], "--eps must be at least"),
    (["rs", "simulate", "--threshold", "1"], "--threshold"),
    (["rs", "simulate", "--t-max", "1e300"], "--t-max must be at most"),
    (["rs", "simulate", "--t-max", "0"], "--t-max must be positive"),
    (["rs", "simulate", "--rtol", "1e-300"], "--rtol must be at least"),
    (["rs", "critical", "--n-max", "1e999"], "--n-max"),
    (["rs", "critical", "--n-max", "1"], "--n-max must be greater than 1"),
    (["rs", "scaling", "--p0", "0.1,0.1,0.1"], "--p0: the priors must be distinct"),
    (["rs", "scaling", "--p0", ",".join(["0.1"] * 200)], "--p0"),
    (["rs", "analyze", "--kappa", "1e300"], "--kappa must be at most"),
    (["rs", "analyze", "--cost", "2"], "--cost must be below 1"),
    (["rs", "analyze", "--kappa", "1e-320"], "--kappa: the exact analysis reads 1e-320 as a fraction of 321 digits"),
    (["rs", "analyze", "--cost", "1e-300"], "as a fraction of 301 digits"),
    (["rs", "hetero", "--geometry", "gaussian4d", "--n", "8", "--n-ref", "1e9"], "--n-ref"),
    (["rs", "hetero", "--geometry", "gaussian4d", "--n", "8", "--dt", "1e-300", "--integrator", "euler"], "--dt"),
    (["rs", "hetero", "--geometry", "gaussian4d", "--n", "8", "--cost", "-1"], "--cost"),
    (["rs", "sweep", "--out", "store", "--growth", "1.000001"], "--growth must be at least"),
    (["rs", "sweep", "--out", "store", "--bootstrap", "1e12"], "--bootstrap"),
    (["rs", "simulate", "--reward", ""], "--reward: empty"),
    (["rs", "simulate", "--reward="], "--reward: empty"),
    (["rs", "hetero", "--geometry", "gaussian4d", "--n", "8", "--reward", ""], "--reward: empty"),
    (["rs", "simulate", "--p0", ""], "--p0: an empty value"),
])
def test_each_flag_is_refused_by_name(capsys, tmp_path, monkeypatch, argv, names):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err.count("\n") == 1 and err.startswith("workbench: error: ")
    assert names in err, err
    assert not (tmp_path / "store").exists()


@pytest.mark.parametrize("argv,hint", [
    (["rs", "simulate", "--full", "--n", "1e9"], "drop --full"),
    (["rs", "hetero", "--geometry", "gaussian4d", "--n", "30000"], "give a smaller --n or try --kernel sparse"),
    (["rs", "hetero", "--geometry", "gaussian4d", "--n", "8", "--n-ref", "20000"], "give a smaller --n-ref"),
    (["rs", "sweep", "--out", "store", "--n-max", "1e6"], "give a smaller --n-max"),
])
def test_memory_is_estimated_before_allocating(capsys, tmp_path, monkeypatch, argv, hint):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 2 and err.count("\n") == 1 and "of memory, over the limit of 4 GiB" in err and hint in err
    assert not (tmp_path / "store").exists()


def test_plot_path_is_checked_before_computing(capsys, tmp_path, monkeypatch):
    import workbench.rs._simulate.simulate as simulate_module  # the command imports simulate when it runs

    def no_work(*a, **k):
        raise AssertionError("computed before checking --plot")

    monkeypatch.setattr(simulate_module, "simulate", no_work)
    for plot, message in ((tmp_path / "out.txt", "cannot write a figure as .txt"),
                          (tmp_path / "new" / "x.png", "does not exist"), (tmp_path, "is a directory")):
        code, _, err = run(capsys, "rs", "simulate", "--plot", str(plot))
        assert code == 2 and message in err and err.count("\n") == 1
    assert not (tmp_path / "new").exists() and not (tmp_path / "out.txt").exists()


def test_sweep_plot_is_checked_before_the_sweep(capsys, tmp_path, monkeypatch):
    import workbench.rs._sweep.sweep as sweep

    def no_work(*a, **k):
        raise AssertionError("swept before checking --plot")

    monkeypatch.setattr(sweep, "run_sweep", no_work)
    (tmp_path / "ro").mkdir()
    (tmp_path / "ro" / "x.png").mkdir()  # a directory where the figure should go
    code, _, err = run(capsys, "rs", "sweep", "--out", str(tmp_path / "store"), "--plot", str(tmp_path / "ro" / "x.png"))
    assert code == 2 and "--plot" in err and err.count("\n") == 1
    assert not (tmp_path / "store").exists()


def test_one_prefix_version_and_help(capsys):
    code, _, err = run(capsys, "rs", "simulate", "--variant", "bogus")
    assert code == 2 and err.startswith("workbench: error: argument --variant") and err.count("error:") == 1
    assert "workbench rs simulate --help" in err and not err.startswith("workbench: error: workbench")
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("workbench ") and out.strip().split()[1][0].isdigit()
    code, out, _ = run(capsys, "rs", "simulate", "--help")
    assert code == 0 and "--x0=-1" in " ".join(out.split())


@pytest.mark.parametrize("argv", [
    ["rs", "simulate", "--x0", "-1e-3", "--json"],
    ["rs", "simulate", "--y0", "-1/2", "--json"],
    ["rs", "simulate", "--y0=-3", "--json"],
    ["rs", "simulate", "--reward", "-p*b+b+p*a", "--json"],
])
def test_negative_values_follow_their_flag(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert json.loads(out)["outcome"] in ("local", "reward-seeking")


def test_analyze_reads_fractions_like_every_command(capsys, monkeypatch):
    import workbench.rs._analysis.analyze as analysis

    seen = {}

    class Stub:
        def to_json(self):
            return seen

    def stub(variant, *, kappa, cost):  # the analysis itself is tested in test_analysis.py
        seen.update(variant=variant, kappa=kappa, cost=cost)
        return Stub()

    monkeypatch.setattr(analysis, "analyze", stub)
    code, out, err = run(capsys, "rs", "analyze", "--kappa", "1/2", "--cost", "1/4", "--json")
    assert code == 0, err
    assert json.loads(out) == {"variant": "gradient", "kappa": 0.5, "cost": 0.25}


def test_full_system_bound_is_documented_and_enforced(capsys):
    from workbench.rs._model.system import DEFAULT_MEMORY_LIMIT, state_bytes

    n_limit = DEFAULT_MEMORY_LIMIT / state_bytes(1, 1)
    code, out, _ = run(capsys, "rs", "simulate", "--help")
    assert code == 0 and f"{n_limit:.3g}" in " ".join(out.split())
    code, _, err = run(capsys, "rs", "simulate", "--full", "--n", f"{1.01 * n_limit:.0f}")
    assert code == 2 and err.count("\n") == 1 and "4.04 GiB of memory, over the limit of 4 GiB" in err


def test_each_command_is_built_from_its_own_module():
    # build_parser(argv) imports only the module that _COMMAND_MODULE names for argv's command:
    # the map must list every command, with the module that registers it.
    import argparse
    from importlib import import_module

    from workbench.cli import _main

    registered = {}
    for name in _main._COMMAND_MODULES:
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        import_module(name).add_commands(sub)
        registered.update(dict.fromkeys(sub.choices, name))
    assert registered == _main._COMMAND_MODULE
    full = _main.build_parser()
    [action] = [a for a in full._actions if isinstance(a, argparse._SubParsersAction)]
    assert list(action.choices) == list(registered)
    for command, module in registered.items():
        [action] = [a for a in _main.build_parser([command])._actions if isinstance(a, argparse._SubParsersAction)]
        assert set(action.choices) == {c for c, m in registered.items() if m == module}
    # a top-level --help before the command lists every command
    [action] = [a for a in _main.build_parser(["-h", "orbit"])._actions if isinstance(a, argparse._SubParsersAction)]
    assert list(action.choices) == list(registered)
