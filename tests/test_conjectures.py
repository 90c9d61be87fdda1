"""The conjecture lab: CLI contract, counterexamples that `workbench orbit` reproduces, shrinking,
honest reporting, extensibility, and bad input (exit 2, one line)."""

import json
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.cli._main import main
from workbench.power import loads_mdp, orbit_vote
from workbench.power._lab.conjectures import (
    GADGETS,
    Conjecture,
    conjecture_names,
    fractional_hypotheses,
    gadget_mdp,
    register_conjecture,
    run_search,
)
from workbench.power._lab.registry import _REGISTRY


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_registry_lists_the_seed_conjectures():
    assert {"fractional", "strict", "fractional-overlap", "fractional-discounted", "strict-disjoint", "scaling"} <= set(
        conjecture_names())


def test_cli_json_contract_and_reproducible_counterexample(capsys, tmp_path):
    code, out, err = run(capsys, "conjecture", "strict", "--max-states", "3", "--max-cases", "2000", "--seed", "1",
                         "--out", str(tmp_path), "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["conjecture"] == "strict" and isinstance(d["cases_checked"], int) and d["cases_checked"] > 0
    assert isinstance(d["families"], list) and d["families"]
    cx = d["counterexample"]
    assert set(cx) >= {"mdp", "reward", "vote", "command"}
    # the TOML text loads, and `workbench orbit` on the written file reproduces the vote
    m = loads_mdp(cx["mdp"])
    assert m.n_states <= 3
    toml = tmp_path / "counterexample_strict.toml"
    assert toml.read_text() == cx["mdp"]
    assert json.loads((tmp_path / "conjecture_strict.json").read_text())["cases_checked"] == d["cases_checked"]
    code, out, err = run(capsys, "orbit", str(toml), "--state", cx["state"], "--a", ",".join(cx["a"]),
                         "--b", ",".join(cx["b"]), "--reward", ",".join(cx["reward"]), "--json")
    assert code == 0, err
    v = json.loads(out)
    for k in ("a_strict", "b_strict", "tie", "orbit_size"):
        assert v[k] == cx["vote"][k]
    assert Fraction(cx["vote"]["strict_fraction_b"]) < Fraction(cx["bound"])
    assert not list(tmp_path.glob(".*.part"))


def test_cli_text_output_no_counterexample(capsys):
    code, out, err = run(capsys, "conjecture", "scaling", "--max-states", "2", "--max-cases", "5000",
                         "--hypothesis-examples", "0")
    assert code == 0, err
    assert "no counterexample in" in out and "families:" in out
    assert "seed 0, K = 2" in out and "case cap 5000" in out


def test_fractional_small_search_is_honest():
    res = run_search("fractional", max_states=2, seed=0, hypothesis_examples=0, max_cases=300,
                     order=("exhaustive", "structured"))
    d = res.to_json()
    assert d["counterexample"] is None
    assert d["cases_checked"] == 300 and d["cap_reached"]  # the cap stopped it, and it says so
    assert "partial" in d["families"][-1] and "stopped by the case cap after 300 orbits" in d["stopped"]
    assert "seed 0, K = 2, phases exhaustive+structured, case cap 300" in d["settings"]
    assert sum(f["cases_checked"] for f in d["per_family"].values()) == d["cases_checked"]


def test_a_search_that_ends_below_the_cap_says_so():
    res = run_search("fractional", max_states=2, seed=0, hypothesis_examples=0, max_cases=10_000, order=("exhaustive",))
    d = res.to_json()
    assert not d["cap_reached"] and d["cases_checked"] < 10_000
    assert d["stopped"] == f"every family ran to its end ({d['cases_checked']} orbits)"
    assert not any("partial" in f for f in d["families"])


def _evidence(res) -> str:
    d = res.to_json()
    del d["seconds"]  # the only timing field
    return json.dumps(d, sort_keys=True, default=str)


@pytest.mark.parametrize("kwargs", [
    # every phase, the case cap cutting the last one
    dict(name="scaling", max_states=4, seed=5, max_cases=120, random_pairs=15, hypothesis_examples=15,
         order=("random", "hypothesis", "exhaustive")),
    # a counterexample, shrunk
    dict(name="fractional-overlap", max_states=2, seed=16, hypothesis_examples=0, order=("structured",)),
], ids=["all-phases", "counterexample"])
def test_the_same_search_twice_gives_identical_evidence(kwargs):
    kwargs = dict(kwargs)
    name = kwargs.pop("name")
    first, second = run_search(name, **kwargs), run_search(name, **kwargs)
    assert _evidence(first) == _evidence(second)
    assert first.cases_checked > 0


def test_shrinking_is_capped_by_steps_not_time():
    from workbench.power._lab.conjectures import get_conjecture, is_counterexample, shrink

    res = run_search("fractional-overlap", max_states=2, seed=16, hypothesis_examples=0, order=("structured",),
                     shrink_steps=5)
    assert res.shrink == {"steps": 5, "max_steps": 5, "complete": False}
    assert "shrunk in 5 steps (stopped by the step cap)" in res.stop_text()
    cx = res.counterexample
    m = loads_mdp(cx["mdp"])
    v = orbit_vote(m, cx["state"], cx["a"], cx["b"], [Fraction(x) for x in cx["reward"]])
    assert v.weak_fraction_b < Fraction(cx["bound"])  # a partly shrunk counterexample is still one
    conj = get_conjecture("fractional-overlap")
    case = (m, cx["state"], tuple(cx["a"]), tuple(cx["b"]), tuple(Fraction(x) for x in cx["reward"]), conj.criteria[0])
    assert is_counterexample(conj, *case)
    stats = {}
    assert shrink(conj, case, max_steps=0, stats=stats) is not None and stats["steps"] == 0


def test_overlapping_things_refute_the_weak_formalisation():
    res = run_search("fractional-overlap", max_states=2, seed=16, hypothesis_examples=0, order=("structured",))
    cx = res.counterexample
    assert cx is not None
    m = loads_mdp(cx["mdp"])
    v = orbit_vote(m, cx["state"], cx["a"], cx["b"], [Fraction(x) for x in cx["reward"]])
    assert v.weak_fraction_b < Fraction(cx["bound"])


def test_fractional_hypotheses_on_gadgets():
    h = fractional_hypotheses(gadget_mdp("vertex", 2, 5), "start", ["A"], ["B"])
    assert (h["m"], h["n"], h["bound"]) == (2, 5, Fraction(5, 7))
    h = fractional_hypotheses(gadget_mdp("vertex+2-cycle", 1, 3), "start", ["A"], ["B"])
    assert (h["m"], h["n"]) == (1, 3)


@settings(max_examples=15)
@given(gadget=st.sampled_from(sorted(GADGETS)), mn=st.sampled_from([(1, 2), (2, 2), (2, 3)]), data=st.data())
def test_property_fractional_law_on_disjoint_gadget_copies(gadget, mn, data):
    """Support-disjoint copies: the fractional law (proof sketch in PS14) holds on every orbit drawn."""
    m_, n_ = mn
    mdp = gadget_mdp(gadget, m_, n_)
    if mdp.n_states > 16:
        return
    h = fractional_hypotheses(mdp, "start", ["A"], ["B"])
    assert h is not None and h["bound"] >= Fraction(n_, n_ + m_)
    k = data.draw(st.integers(1, 3))
    tail = data.draw(st.lists(st.integers(1, 4), min_size=k, max_size=k))
    r = [0] * (mdp.n_states - k) + tail
    v = orbit_vote(mdp, "start", ["A"], ["B"], r)
    assert v.weak_fraction_b >= h["bound"]


def test_adding_a_conjecture_and_shrinking_to_a_minimal_counterexample():
    name = "test-too-strong"
    if name not in _REGISTRY:
        register_conjecture(Conjecture(
            name=name, source="test", statement="B is weakly preferred by 3/4 of every orbit whenever B has 2+ actions",
            hypotheses=lambda mdp, s, a, b, c: {"bound": Fraction(3, 4)} if len(b) >= 2 else None,
            holds=lambda vote, h: vote.weak_fraction_b >= h["bound"]))
    res = run_search(name, max_states=4, seed=0, hypothesis_examples=0, order=("random",))
    cx = res.counterexample
    assert cx is not None
    m = loads_mdp(cx["mdp"])
    assert m.n_states <= 4 and len(cx["b"]) >= 2
    # minimal under the greedy shrinker: the rewards were lowered as far as they go
    assert min(Fraction(x) for x in cx["reward"]) == 0


@pytest.mark.parametrize("argv", [
    ["conjecture", "nope"],
    ["conjecture", "strict", "--max-cases", "0"],
    ["conjecture", "strict", "--max-cases", "abc"],
    ["conjecture", "strict", "--max-cases", "1e999999999"],
    ["conjecture", "strict", "--budget", "30"],  # removed: searches are bounded by counts, not by the clock
    ["conjecture", "strict", "--max-states", "0"],
    ["conjecture", "strict", "--max-states", "9"],
    ["conjecture", "strict", "--seed", "-3"],
    ["conjecture", "strict", "--phases", "exhaustive,bogus"],
    ["conjecture"],
])
def test_bad_input_exits_2_with_one_line(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("workbench: error:") and "Traceback" not in err


def test_out_is_a_file(capsys, tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    code, _, err = run(capsys, "conjecture", "strict", "--out", str(f), "--max-cases", "1")
    assert code == 2 and "not a directory" in err


@pytest.mark.slow
def test_deep_fractional_search_finds_nothing():
    """Told to check 5000 orbits (every phase, 5-state random MDPs), it checks exactly 5000."""
    res = run_search("fractional", max_states=5, seed=3, hypothesis_examples=300, max_cases=5_000)
    assert res.counterexample is None and res.cases_checked == 5_000 and res.cap_reached
