"""The census of small rooted deterministic MDPs and `workbench conjecture check FILE`."""

from __future__ import annotations

import itertools
import json
from fractions import Fraction

import networkx as nx
import pytest

from workbench.cli._main import main
from workbench.power import (
    Average,
    Blackwell,
    Discounted,
    brute_force_vote,
    burnside_class_count,
    canonical_form,
    check_conjecture,
    class_count,
    load_conjecture_file,
    loads_mdp,
    orbit_vote,
    rooted_mdp_classes,
    run_census,
)
from workbench._errors import WorkbenchError
from workbench.power._census.enumeration import is_rooted

COUNTS = {1: 1, 2: 6, 3: 112, 4: 5856}


@pytest.mark.parametrize("n", [1, 2, 3])
def test_class_counts_against_networkx(n):
    """A second canonicalisation: group the labelled rooted graphs with networkx's isomorphism test."""
    reps = []
    for masks in itertools.product(range(1, 2**n), repeat=n):
        if not is_rooted(masks):
            continue
        g = nx.DiGraph()
        g.add_nodes_from((i, {"root": i == 0}) for i in range(n))
        g.add_edges_from((i, j) for i in range(n) for j in range(n) if masks[i] >> j & 1)
        if not any(nx.is_isomorphic(g, h, node_match=lambda x, y: x["root"] == y["root"]) for h in reps):
            reps.append(g)
    assert len(reps) == class_count(n) == COUNTS[n]


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_class_counts_against_burnside(n):
    assert burnside_class_count(n) == class_count(n) == COUNTS[n]


def test_canonical_forms_are_invariant_and_distinct():
    classes = list(rooted_mdp_classes(3))
    assert len({c.masks for c in classes}) == len(classes)
    for c in classes:
        for p in itertools.permutations(range(1, 3)):
            perm = (0,) + p
            relabelled = [0] * 3
            for i, m in enumerate(c.masks):
                relabelled[perm[i]] = sum(1 << perm[j] for j in range(3) if m >> j & 1)
            assert canonical_form(relabelled) == c.masks


@pytest.mark.parametrize("crit", [Average(), Blackwell(), Discounted(Fraction(1, 2))], ids=str)
def test_brute_force_agrees_with_the_orbit_engine(crit):
    rewards = [[0, 1, 2], [0, 0, 1], [1, 1, 1], [Fraction(1, 3), Fraction(7, 5), Fraction(2, 9)]]
    for cls in rooted_mdp_classes(3):
        m = cls.mdp()
        acts = m.actions("s0")
        if len(acts) < 2:
            continue
        a, b = [acts[0]], list(acts[1:])
        for r in rewards:
            v = orbit_vote(m, "s0", a, b, r, crit)
            assert brute_force_vote(m, "s0", a, b, r, crit) == (v.a_strict, v.b_strict, v.tie, v.orbit_size)


def test_census_to_three_states():
    res = run_census(3)
    assert res.classes == {"1": 1, "2": 6, "3": 112}
    assert res.splits == 412
    s = res.summary
    for law in ("n/(n+1)", "most", "strict-disjoint", "fractional", "fractional-overlap"):
        assert s[law]["average"]["counterexample"] == 0, law
        assert s[law]["average"]["holds"] > 0, law
    assert s["n/(n+1)"]["average"] == {"holds": 140, "counterexample": 0, "hypothesis not met": 272}
    # the strict law fails only where A and B reach a shared RSD (excluded by strict-disjoint)
    bad = res.counterexamples("strict")
    assert bad and all("shared RSD" in r["hypotheses"] for r in bad)
    for r in bad[:3]:  # each recorded counterexample is re-checked by the brute force
        from workbench.power import MDP

        succ = dict(part.split("->") for part in r["mdp"].split("; "))
        m = MDP.from_successors({k: v.split(",") for k, v in succ.items()})
        reward = [Fraction(x) for x in r["counterexample_reward"].split()]
        a_s, b_s, tie, size = brute_force_vote(m, "s0", r["a"].split(","), r["b"].split(","), reward)
        assert Fraction(b_s, size) < Fraction(r["bound"])


def test_census_resumes_and_writes_tables(tmp_path):
    first = run_census(2, out=tmp_path)
    again = run_census(2, out=tmp_path)
    assert first.resumed == 0 and again.resumed == 7
    assert again.rows == first.rows
    data = json.loads((tmp_path / "census.json").read_text())
    assert data["classes"] == {"1": 1, "2": 6} and len(data["rows"]) == 36
    assert (tmp_path / "census.csv").read_text().startswith("class,n_states,mdp,a,b,")
    with pytest.raises(WorkbenchError, match="other settings"):
        run_census(2, out=tmp_path, generic=1)


def test_census_cli_json(capsys):
    assert main(["conjecture", "census", "--max-states", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["classes"] == {"1": 1, "2": 6}
    assert main(["conjecture", "census", "--max-states", "9"]) == 2
    assert "at most 5" in capsys.readouterr().err


def test_lab_command_still_routes():
    assert main(["conjecture", "scaling", "--max-states", "2", "--hypothesis-examples", "0", "--json"]) == 0


PLANTED = '''
from fractions import Fraction

def holds(case):
    # false: more first actions is not enough for half of the orbit
    return len(case.b) <= len(case.a) or case.vote.weak_fraction_b >= Fraction(1, 2)
'''

TRUE = '''
def holds(case):
    v = case.vote
    return v.a_strict + v.b_strict + v.tie == v.orbit_size
'''


def test_planted_false_conjecture_is_found_shrunk_and_rechecked(tmp_path, capsys):
    f = tmp_path / "planted.py"
    f.write_text(PLANTED)
    assert main(["conjecture", "check", str(f), "--max-states", "3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    cx = data["counterexample"]
    assert cx is not None and cx["shrink"]["complete"]
    m = loads_mdp(cx["toml"])
    assert m.n_states == 3  # minimal: nothing on 2 states fails
    assert tuple(cx["brute_force_vote"]) == brute_force_vote(m, cx["state"], cx["a"], cx["b"], [Fraction(x) for x in cx["reward"]])
    assert cx["command"].startswith("workbench orbit counterexample.toml --state s0")
    # the reported command reproduces the vote
    (tmp_path / "counterexample.toml").write_text(cx["toml"])
    argv = cx["command"].split()[1:]
    argv[1] = str(tmp_path / "counterexample.toml")
    assert main(argv + ["--json"]) == 0
    vote = json.loads(capsys.readouterr().out)
    assert json.dumps(vote).count(str(cx["vote"]["orbit_size"])) >= 1


def test_true_conjecture_reports_exact_coverage(tmp_path, capsys):
    f = tmp_path / "true.py"
    f.write_text(TRUE)
    assert main(["conjecture", "check", str(f), "--max-states", "2", "--max-cases", "300"]) == 0
    out = capsys.readouterr().out
    assert "result: no counterexample in every rooted deterministic MDP with 1..2 states" in out
    assert "then " in out and "random cases" in out
    res = check_conjecture(load_conjecture_file(f), max_states=2, max_cases=300)
    assert res.exhaustive_complete and res.cases_checked == 300 and res.counterexample is None


@pytest.mark.parametrize("text, message", [("def holds(case):\n  return (\n", "failed to import (line"),
                                           ("x = 1\n", "defines no `holds"),
                                           ("holds = 3\n", "is not a function"),
                                           ("raise RuntimeError('boom')\n", "RuntimeError: boom")])
def test_bad_conjecture_files_are_one_line_exit_2(tmp_path, capsys, text, message):
    f = tmp_path / "bad.py"
    f.write_text(text)
    assert main(["conjecture", "check", str(f)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert main(["conjecture", "check", str(tmp_path / "missing.py")]) == 2


@pytest.mark.slow
def test_census_four_states():
    res = run_census(4)
    assert res.classes["4"] == 5856
    for law in ("n/(n+1)", "most", "strict-disjoint", "fractional"):
        assert res.summary[law]["average"]["counterexample"] == 0
