"""Bad MDP files and flags (issue 9): one line and exit code 2, never a traceback or a hang.

Each case is small and fast; the limits are lowered through library parameters where a case
would otherwise need a large file.
"""

import json
import os
from fractions import Fraction
from pathlib import Path

import pytest

from workbench.cli._main import main
from workbench._errors import EnumerationTooLarge, InvalidMDP, ResourceTooLarge, WorkbenchError
from workbench.power import (
    Blackwell,
    MDP,
    Exact,
    chain,
    dumps_mdp,
    gridworld,
    load_mdp,
    loads_mdp,
    non_dominated,
    orbit_vote,
    random_deterministic,
    star,
    visit_distributions,
)
import workbench.power._visits.visits as _visits
from workbench.power._orbits.rules import BestOfK, rule_from_spec

ROOT = Path(__file__).resolve().parents[2]
WAIT = str(ROOT / "mdps/wait.toml")
GRID = str(ROOT / "mdps/gridworld.toml")


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def one_line_error(capsys, *argv) -> str:
    code, _, err = run(capsys, *argv)
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("workbench: error:") and "Traceback" not in err, err
    return err


def stochastic(value: str) -> str:
    return f'[states.s]\ngo = {{ s = {value}, t = 0.5 }}\n[states.t]\nstay = {{ t = 1 }}\n'


def chain_text(n: int) -> str:
    return 'start = "s0"\n[states]\n' + "".join(f's{i} = ["s{i + 1}"]\n' for i in range(n - 1)) + f's{n - 1} = ["s{n - 1}"]\n'


def complete_text(n: int) -> str:
    names = ", ".join(f'"a{j}"' for j in range(n))
    return 'start = "a0"\n[states]\n' + "".join(f"a{i} = [{names}]\n" for i in range(n))


# --- numbers in files --------------------------------------------------------------------

@pytest.mark.parametrize("value, words", [
    ("nan", "nan"), ("-nan", "nan"), ("inf", "inf"), ("-inf", "inf"), ("+inf", "inf"),
    ("1e400", "above 1"), ("-1e400", "negative"), ("1e999999999", "exponent"), ('"1e999999999"', "exponent"),
    ("1" * 2000, "digits"), ("1" * 5000, "digits"), ('"1/0"', "divides by zero"), ("true", "not a number"),
    ("[0.5]", "not a number"), ("1979-05-27", "not a number"), ("1.5", "above 1"),
])
def test_bad_numbers_are_refused_by_name(tmp_path, capsys, value, words):
    f = tmp_path / "m.toml"
    f.write_text(stochastic(value))
    with pytest.raises(WorkbenchError) as exc:
        load_mdp(f)
    msg = str(exc.value)
    assert words in msg and "\n" not in msg and len(msg) < 300
    if "digits" not in words or len(value) < 4300:  # TOML refuses more than 4,300 digits before any state
        assert str(f) in msg and "state 's'" in msg
    one_line_error(capsys, "mdp", "show", f)


def test_toml_number_syntax_is_read_exactly():
    m = loads_mdp(stochastic("0.5") .replace("s = 0.5", "s = 5_0.0e-2"))
    assert m.transitions["s"]["go"] == {"s": Fraction(1, 2), "t": Fraction(1, 2)}


def test_sum_message_never_overflows():
    text = '[states.s]\ngo = { s = "1e-999", t = "2e-999" }\n[states.t]\nstay = { t = 1 }\n'
    with pytest.raises(InvalidMDP, match="sum to about 3e-999, not 1"):
        loads_mdp(text)
    text = '[states.s]\ngo = { s = "1e-300", t = "2e-300" }\n[states.t]\nstay = { t = 1 }\n'
    with pytest.raises(InvalidMDP, match="sum to about 3e-300, not 1"):
        loads_mdp(text)


def test_in_memory_mdp_bounds_text_and_floats():
    for p in ["1e999999999", float("nan"), float("inf"), 10**1500]:
        with pytest.raises(InvalidMDP):
            MDP(states=("s",), transitions={"s": {"go": {"s": p}}})
    assert MDP(states=("s",), transitions={"s": {"go": {"s": 1.0}}}).n_states == 1


# --- structure, sizes, bytes ------------------------------------------------------------

@pytest.mark.parametrize("text, words", [
    ("x = " + "[" * 5000 + "]" * 5000 + '\n[states]\ns = ["s"]\n', "nested"),
    ('[states]\ns = ' + "[" * 40 + '"s"' + "]" * 40 + "\n", "nested"),
    ("x = " + "{ a = " * 3000 + "1" + " }" * 3000 + '\n[states]\ns = ["s"]\n', "nested"),
    ('[states]\ns = ["s"]\n[extra]\ny = 1\n', "unknown key 'extra'"),
    ('start = 5\n[states]\ns = ["s"]\n', "'start' must be a string"),
    ("[[states]]\ns = [\"s\"]\n", "non-empty [states]"),
    ("", "non-empty [states]"),
])
def test_malformed_structure(tmp_path, capsys, text, words):
    f = tmp_path / "m.toml"
    f.write_text(text)
    with pytest.raises(WorkbenchError, match=words.replace("[", r"\[")):
        load_mdp(f)
    one_line_error(capsys, "mdp", "show", f)


def test_brackets_in_strings_and_comments_do_not_count_as_nesting():
    text = '# ' + "[" * 100 + '\nname = "' + "{" * 100 + '"\ndescription = """\n' + "[" * 100 + '\n"""\n[states]\ns = ["s"]\n'
    assert loads_mdp(text).states == ("s",)


def test_byte_state_and_action_caps(tmp_path, capsys):
    f = tmp_path / "big.toml"
    f.write_text(chain_text(40))
    with pytest.raises(ResourceTooLarge, match="more than the 100 an MDP"):
        load_mdp(f, max_bytes=100)
    with pytest.raises(ResourceTooLarge, match="40 states, more than the 10"):
        load_mdp(f, max_states=10)
    with pytest.raises(ResourceTooLarge, match="40 actions, more than the 39"):
        load_mdp(f, max_actions=39)
    big = tmp_path / "huge.toml"
    big.write_bytes(b"#" * (3 * 1024 * 1024))
    assert "bytes" in one_line_error(capsys, "mdp", "show", big)
    assert "directory" in one_line_error(capsys, "mdp", "show", tmp_path).lower()
    if os.path.exists("/dev/zero"):
        assert "bytes" in one_line_error(capsys, "mdp", "show", "/dev/zero")


# --- long chains and large enumerations --------------------------------------------------

def _recursive_lassos(mdp, state):
    """The search as it was (recursive), as a reference for the order of the iterative one."""
    succ = {s: list(dict.fromkeys(t for d in mdp.transitions[s].values() for t in d)) for s in mdp.states}
    out, path, onpath = [], [state], {state: 0}

    def dfs(u):
        for v in succ[u]:
            if v in onpath:
                out.append((tuple(path[:onpath[v]]), tuple(path[onpath[v]:])))
            else:
                onpath[v] = len(path)
                path.append(v)
                dfs(v)
                path.pop()
                del onpath[v]

    dfs(state)
    return out


@pytest.mark.parametrize("mdp", [gridworld(3, 3), random_deterministic(9, seed=4, max_out=3), star(4)])
def test_iterative_lasso_search_keeps_the_recursive_order(mdp):
    state = mdp.states[0]
    expected = _recursive_lassos(mdp, state)
    got = visit_distributions(mdp, state)
    idx = {s: i for i, s in enumerate(mdp.states)}
    assert [f.key for f in got] == [
        _visits.VisitDistribution.lasso(mdp.states, [idx[x] for x in p], [idx[x] for x in c]).key for p, c in expected]


def test_long_chain_is_fine_everywhere(tmp_path, capsys):
    f = tmp_path / "chain990.toml"
    f.write_text(chain_text(990))
    m = load_mdp(f)
    (v,) = visit_distributions(m, "s0")
    assert v.rsd()[-1] == 1 and v.at(Fraction(1, 2))[1] == Fraction(1, 2)
    reward = ",".join(str(i % 5) for i in range(990))
    code, out, err = run(capsys, "mdp", "show", f, "--json")
    assert code == 0 and json.loads(out)["visit_distributions"] == 1, err
    code, out, err = run(capsys, "orbit", f, "--a", "s1", "--b", "s1", "--reward", reward, "--json")
    assert code == 0 and json.loads(out)["tie"] == json.loads(out)["orbit_size"], err
    code, out, err = run(capsys, "power", f, "--gamma", "1/2", "--json")
    assert code == 0 and json.loads(out)["exact"] == "1/2", err
    code, out, err = run(capsys, "copies", f, "--a", "s1", "--b", "s1", "--json")
    assert code == 0, err
    # Blackwell needs Laurent expansions of degree 990: refused by a documented bound, at once
    assert "Blackwell" in one_line_error(capsys, "orbit", f, "--a", "s1", "--b", "s1", "--reward", reward,
                                         "--criterion", "blackwell")
    with pytest.raises(ResourceTooLarge, match="MAX_BLACKWELL_WORK"):
        Blackwell().levels([v])


def test_too_long_lassos_are_refused_before_building(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(_visits, "MAX_VISIT_TERMS", 10_000)
    with pytest.raises(ResourceTooLarge, match="polynomial coefficients"):
        visit_distributions(chain(200), "s0")
    assert len(visit_distributions(chain(100), "s0")) == 1


def test_complete_digraph_is_refused_at_once(tmp_path, capsys):
    f = tmp_path / "k12.toml"
    f.write_text(complete_text(12))
    with pytest.raises(EnumerationTooLarge) as exc:
        visit_distributions(load_mdp(f), "a0")
    e = exc.value
    assert (e.limit, e.parameter) == (_visits.MAX_VISITS, "max_visits") and e.estimate > e.limit
    assert "more than 20,000 lassos" in str(e) and "`max_visits`" in str(e)
    for argv in (["mdp", "show", f], ["power", f, "--gamma", "1/2", "--method", "exact"], ["copies", f, "--a", "a1", "--b", "a2"],
                 ["orbit", f, "--a", "a1", "--b", "a2", "--reward", ",".join("0" * 11 + "1")]):
        err = one_line_error(capsys, *argv)
        assert "raise --max-visits" in err and "20,000" in err
        assert ("--method sampled" in err) == (argv[0] == "power")  # the method that enumerates nothing
    # POWER's default method sees the enumeration is too large before starting it, and samples instead
    code, out, _ = run(capsys, "power", f, "--gamma", "1/2", "--samples", "1000", "--json")
    assert code == 0 and '"BatchedValueIteration"' in out


def test_max_visits_is_a_parameter_and_a_flag(capsys):
    g = gridworld(3, 3)
    with pytest.raises(EnumerationTooLarge) as exc:
        visit_distributions(g, "r0c0", max_visits=100)
    assert exc.value.limit == 100
    assert len(visit_distributions(g, "r0c0", max_visits=211)) == 211
    with pytest.raises(EnumerationTooLarge, match="211 visit distributions"):  # cached, lower limit
        visit_distributions(g, "r0c0", max_visits=100)
    assert "--max-visits" in one_line_error(capsys, "mdp", "show", GRID, "--max-visits", "100")
    code, out, err = run(capsys, "mdp", "show", GRID, "--max-visits", "211", "--json")
    assert code == 0 and json.loads(out)["visit_distributions"] == 211
    for bad in ["0", "1e99", "", "x"]:
        assert "--max-visits" in one_line_error(capsys, "mdp", "show", GRID, "--max-visits", bad)


def test_stochastic_policies_are_counted_first(tmp_path):
    lines = ['start = "s0"'] + [f"[states.s{i}]\ngo = {{ s{i + 1} = 0.5, s{i} = 0.5 }}\njump = {{ s{i + 1} = 1 }}"
                                for i in range(19)] + ["[states.s19]\nstay = { s19 = 1 }"]
    m = loads_mdp("\n".join(lines) + "\n")
    with pytest.raises(EnumerationTooLarge) as exc:
        visit_distributions(m, "s0")
    assert exc.value.estimate == 2**19 and "524,288 policies" in str(exc.value)
    long = 'start = "s0"\n' + "".join(f"[states.s{i}]\ngo = {{ s{i + 1} = 0.5, s{i} = 0.5 }}\n" for i in range(59))
    with pytest.raises(ResourceTooLarge, match="MAX_STOCHASTIC_WORK"):
        visit_distributions(loads_mdp(long + "[states.s59]\nstay = { s59 = 1 }\n"), "s0")


def test_stochastic_solver_is_exact():
    m = load_mdp(ROOT / "mdps/stochastic.toml")
    rsds = {f.label: f.rsd() for f in visit_distributions(m, "s0")}
    i = {s: k for k, s in enumerate(m.states)}
    # explore, then z (2/3 stay, 1/3 back to s0) and back: the dead end absorbs 3/5, z 2/5
    r = rsds["s0:explore, hub:z, dead:stay, z:stay"]
    assert (r[i["dead"]], r[i["z"]]) == (Fraction(3, 5), Fraction(2, 5))


def test_non_dominated_is_bounded():
    vecs = [tuple(Fraction(int(j == k or j == (k + 1) % 5), 2) for j in range(5)) for k in range(5)]
    with pytest.raises(EnumerationTooLarge) as exc:
        non_dominated(vecs, max_vectors=4)
    assert exc.value.parameter == "max_vectors" and exc.value.estimate == 5
    assert len(non_dominated(vecs, max_vectors=5)) == 5


def test_orbit_limit_names_the_flag(capsys):
    with pytest.raises(EnumerationTooLarge) as exc:
        orbit_vote(gridworld(3, 3), "r0c0", ["r0c1"], ["r1c0"], list(range(9)), method=Exact(limit=10))
    assert exc.value.parameter == "limit" and "`limit`" in str(exc.value)
    err = one_line_error(capsys, "orbit", GRID, "--a", "r0c1", "--b", "r1c0", "--reward", "1,2,3,4,5,6,7,8,9", "--limit", "10")
    assert "raise --limit or give --samples K" in err


def _loads_long(text):
    import sys

    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        return json.loads(text)
    finally:
        sys.set_int_max_str_digits(old)


def test_counts_beyond_4300_digits_print(capsys):
    import math

    from workbench.cli.power import _long_ints, _print_orbit
    from workbench.power import OrbitVote
    from workbench.cli._main import print_json

    size = math.factorial(2001)
    vote = OrbitVote(size // 3, size - size // 3, 0, size, "average")
    with _long_ints():
        print_json(vote.to_json())
        _print_orbit(star(2), "s", ["x0"], ["x1"], vote, 0)
    out = capsys.readouterr().out
    assert _loads_long(out[: out.index("}\n") + 2])["orbit_size"] == size and "orbit size: " in out


@pytest.mark.slow
def test_huge_orbit_sizes_print(tmp_path, capsys):
    f = tmp_path / "star.toml"
    f.write_text(dumps_mdp(star(2000)))  # 2001 states: 2001! has 5,700 digits
    reward = ",".join(str(i) for i in range(2001))
    code, out, err = run(capsys, "orbit", f, "--a", "x0", "--b", "x1,x2", "--reward", reward, "--json")
    assert code == 0, err
    assert _loads_long(out)["orbit_size"].bit_length() > 14_300  # more than 4,300 digits
    code, out, err = run(capsys, "orbit", f, "--a", "x0", "--b", "x1,x2", "--reward", reward)
    assert code == 0 and "orbit size" in out, err


# --- flags --------------------------------------------------------------------------------

@pytest.mark.parametrize("argv, words", [
    (["orbit", WAIT, "--a", "candy", "--b", "wait", "--reward", "1,2,3,4,5", "--rule", "bestof:1e9"], "bestof k"),
    (["orbit", WAIT, "--a", "candy", "--b", "wait", "--reward", "1,2,3,4,5", "--rule", "boltzmann:1e400"], "too large"),
    (["orbit", WAIT, "--a", "candy", "--b", "wait", "--reward", "1,2,3,4,5", "--rule", "boltzmann:-1"], "positive"),
    (["orbit", WAIT, "--a", "candy", "--b", "wait", "--reward", "1,2,3,4,5", "--samples", "1e12"], "--samples"),
    (["orbit", WAIT, "--a", "candy", "--b", "wait", "--reward", "1,2,3,4,5", "--limit", "1e12"], "--limit"),
    (["power", WAIT, "--gamma", "1/2", "--samples", "1e12"], "--samples"),
    (["power", WAIT, "--gamma", "1e999999999"], "--gamma"),
    (["copies", WAIT, "--a", "candy", "--b", "wait", "--gamma", "1/2"], "--gamma only applies"),
    (["copies", WAIT, "--a", "candy", "--b", "wait", "--criterion", "discounted"], "needs --gamma"),
    (["orbit", WAIT, "--state", "", "--a", "candy", "--b", "wait", "--reward", "1,2,3,4,5"], "--state"),
    (["power", WAIT, "--state", "", "--gamma", "1"], "--state"),
    (["mdp", "show", WAIT, "--state", ""], "--state"),
    (["mdp", "show", WAIT, "--state", "mars"], "--state"),
    (["orbit", WAIT, "--a", "candy", "--b", "wait", "--reward", ""], "--reward"),
    (["orbit", WAIT, "--a", "candy", "--b", "wait", "--reward", "mars=1"], "--reward"),
    (["orbit", WAIT, "--a", "", "--b", "wait", "--reward", "1,2,3,4,5"], "--a"),
    (["copies", WAIT, "--a", "candy", "--b", ""], "--b"),
    (["copies", WAIT, "--a", "candy", "--b", "mars"], "--b"),
    (["mdp", "show", WAIT, "--a", "", "--b", "wait", "--plot", "x.png"], "--a"),
    (["mdp", "show", WAIT, "--a", "candy", "--b", "wait"], "--plot"),
    (["mdp", "show", WAIT, "--a", "candy"], "--a and --b"),
    (["mdp", "show", WAIT, "--plot", ""], "--plot"),
    (["mdp", "show", WAIT, "--max-vectors", "0"], "--max-vectors"),
])
def test_bad_flags(capsys, argv, words):
    assert words in one_line_error(capsys, *argv)


def test_plot_path_is_checked_before_any_work(tmp_path, capsys):
    k12 = tmp_path / "k12.toml"
    k12.write_text(complete_text(12))  # would be refused for its size, but the path comes first
    err = one_line_error(capsys, "mdp", "show", k12, "--plot", tmp_path / "no" / "such" / "x.png")
    assert "--plot" in err and "does not exist" in err and not (tmp_path / "no").exists()
    assert "'txt'" in one_line_error(capsys, "mdp", "show", k12, "--plot", tmp_path / "x.txt")
    assert "directory" in one_line_error(capsys, "mdp", "show", k12, "--plot", tmp_path)
    assert not list(tmp_path.glob("*.png")) and not list(tmp_path.glob("*.txt"))


def test_large_bestof_stays_finite():
    import numpy as np

    V = np.array([[0.0, 1.0, 1.0, 2.0]])
    for k in (2, 5000, 1_000_000):
        P = BestOfK(k).probabilities(V)
        assert np.isfinite(P).all() and abs(P.sum() - 1) < 1e-9
    assert BestOfK(2).probabilities(V).tolist() == [[1 / 16, 1 / 4, 1 / 4, 7 / 16]]
    with pytest.raises(WorkbenchError):
        rule_from_spec("bestof:1000001")


def test_exact_big_integer_work_is_bounded(capsys, monkeypatch):
    import workbench.power._orbits.comparisons as _orbits

    opttsp = str(ROOT / "mdps/opttsp_figure1.toml")
    huge = "1e999,1e998,-1e999,1/3e-999,5,6,7,8,9,10,11"
    for extra in (["--criterion", "blackwell"], ["--rule", "fracoptimal"]):
        err = one_line_error(capsys, "orbit", opttsp, "--a", "left", "--b", "right", "--reward", huge, *extra)
        assert "MAX_EXACT_WORK" in err or "at most 1e150" in err
    assert "1e150" in one_line_error(capsys, "orbit", WAIT, "--a", "candy", "--b", "wait", "--reward", "1e999,0,0,0,1",
                                     "--rule", "bestof:3")
    # the single-level path decides in floating point first and counts its exact work as it goes
    monkeypatch.setattr(_orbits, "MAX_EXACT_WORK", 10_000)
    assert "MAX_EXACT_WORK" in one_line_error(capsys, "orbit", opttsp, "--a", "left", "--b", "right", "--reward", huge)


def test_copy_search_is_bounded_on_symmetric_options():
    from workbench.power import find_copies

    # one option spread evenly over 400 states: VF2 has 400! matches of it with itself
    v = tuple([Fraction(1, 400)] * 400 + [0])
    c = find_copies([v], [v], max_steps=10**8)
    assert c.n == 0 and "stopped at its work bound" in c.search
    w = find_copies([(1, 0, 0)], [(0, 1, 0), (0, 0, 1)], max_steps=10**8)
    assert w.n == 2 and "stopped" not in w.search
