"""MDP objects, TOML files, generators: every malformed file exits 2 with one line."""

from fractions import Fraction
from pathlib import Path

import pytest

from workbench.cli._main import main
from workbench._errors import WorkbenchError
from workbench.power import chain, dumps_mdp, gridworld, load_mdp, loads_mdp, random_deterministic, star

ROOT = Path(__file__).resolve().parents[2]
MDPS = sorted((ROOT / "mdps").glob("*.toml"))

BAD = {
    "not_toml": "name = \"x\"\n[states\ns = [\"s\"]\n",
    "unknown_successor": "[states]\ns = [\"t\"]\n",
    "negative_probability": "[states.s]\ngo = { s = 1.5, t = -0.5 }\n[states.t]\nstay = { t = 1 }\n",
    "sum_not_one": "[states.s]\ngo = { s = 0.3, t = 0.3 }\n[states.t]\nstay = { t = 1 }\n",
    "sum_not_one_thirds": "[states.s]\ngo = { s = 0.3333333333, t = \"2/3\" }\n[states.t]\nstay = { t = 1 }\n",
    "no_action": "[states]\ns = []\n",
    "no_action_table": "[states]\nt = [\"t\"]\n[states.s]\n",
    "duplicate_state": "[states]\ns = [\"s\"]\ns = [\"s\"]\n",
    "duplicate_successor": "[states]\ns = [\"s\", \"s\"]\n",
    "no_states": "name = \"x\"\n",
    "bad_probability_type": "[states.s]\ngo = { s = true }\n",
}


def test_every_shipped_mdp_loads_and_has_a_description():
    assert len(MDPS) >= 6
    for path in MDPS:
        m = load_mdp(path)
        assert m.description, path
        assert m.start in m.states


@pytest.mark.parametrize("case", sorted(BAD))
def test_malformed_file_raises_one_line(tmp_path, case, capsys):
    f = tmp_path / f"{case}.toml"
    f.write_text(BAD[case])
    with pytest.raises(WorkbenchError) as exc:
        load_mdp(f)
    assert str(f) in str(exc.value) and "\n" not in str(exc.value)
    code = main(["mdp", "show", str(f)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("workbench: error:") and "Traceback" not in err


def test_error_names_the_state(tmp_path):
    f = tmp_path / "m.toml"
    f.write_text(BAD["unknown_successor"])
    with pytest.raises(WorkbenchError, match=r"state 's'.*unknown successor 't'"):
        load_mdp(f)


def test_missing_file_and_binary_file(tmp_path, capsys):
    assert main(["mdp", "show", str(tmp_path / "nope.toml")]) == 2
    f = tmp_path / "bin.toml"
    f.write_bytes(b"\xff\xfe\x00")
    assert main(["orbit", str(f), "--a", "x", "--b", "y", "--reward", "1"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_probabilities_are_exact_fractions():
    m = loads_mdp("[states.s]\ngo = { s = 0.1, t = 0.9 }\n[states.t]\nstay = { t = 1 }\n")
    assert m.transitions["s"]["go"] == {"s": Fraction(1, 10), "t": Fraction(9, 10)}
    assert not m.is_deterministic


def test_mdp_is_frozen_and_backed_by_networkx():
    m = star(3)
    with pytest.raises(Exception):
        m.name = "x"
    assert set(m.graph.successors("s")) == {"x0", "x1", "x2"}
    assert m.graph["s"]["x0"]["actions"] == {"x0": 1}


def test_roundtrip_dumps_loads():
    for m in [star(4), gridworld(3, 2, deleted=[(0, 1)]), random_deterministic(6, seed=3), load_mdp(ROOT / "mdps/stochastic.toml")]:
        m2 = loads_mdp(dumps_mdp(m))
        assert m2.states == m.states
        assert {s: dict(map(lambda kv: (kv[0], dict(kv[1])), a.items())) for s, a in m2.transitions.items()} == \
               {s: dict(map(lambda kv: (kv[0], dict(kv[1])), a.items())) for s, a in m.transitions.items()}


def test_mdps_pickle_for_worker_processes():
    import pickle

    for m in [*(load_mdp(p) for p in MDPS), gridworld(3, 2)]:
        m2 = pickle.loads(pickle.dumps(m))
        assert (m2.states, m2.name, m2.start, m2.source) == (m.states, m.name, m.start, m.source)
        assert m2.transitions == m.transitions


def test_generators():
    g = gridworld(3, 3, deleted=[(1, 1)], self_loops=False)
    assert g.n_states == 8 and "r1c1" not in g.states
    assert set(g.successors("r0c1")) == {"r0c0", "r0c2"}
    assert gridworld(2, 2).successors("r0c0")[0] == "r0c0"  # self-loop first
    assert chain(4).successors("s3") == ("s3",)
    assert chain(4, loop_end=False).successors("s3") == ("s0",)
    r = random_deterministic(10, seed=1)
    assert r.n_states == 10 and r.is_deterministic


def test_draw(tmp_path):
    from workbench._io import save_figure
    from workbench.power import Involution, draw_mdp

    m = load_mdp(ROOT / "mdps/wait.toml")
    ax = draw_mdp(m, option_sets={"A": ["candy"], "B": ["chocolate", "hug"]}, involutions=[Involution(((2, 3),))])
    out = save_figure(ax.figure, tmp_path / "w.png")
    assert out.stat().st_size > 1000
