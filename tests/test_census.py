"""The census of small rooted deterministic MDPs and `workbench conjecture check FILE`."""

from __future__ import annotations

import itertools
import json
import math
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
from workbench.power._census.enumeration import is_rooted, labelled_rooted_count

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


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_orbit_stabiliser_against_labelled_count(n):
    """Sum of (n-1)!/|Aut| over the classes is the recursion's count of labelled rooted graphs,
    which also equals a brute-force count with `is_rooted`."""
    classes = list(rooted_mdp_classes(n))
    assert sum(math.factorial(n - 1) // len(c.automorphisms) for c in classes) == labelled_rooted_count(n)
    assert sum(1 for m in itertools.product(range(1, 2**n), repeat=n) if is_rooted(m)) == labelled_rooted_count(n)


@pytest.mark.slow
def test_five_state_classes():
    """918,000 classes on 5 states (about 20 s), checked by the orbit-stabiliser identity."""
    classes = list(rooted_mdp_classes(5))
    assert len(classes) == 918000
    assert sum(24 // len(c.automorphisms) for c in classes) == labelled_rooted_count(5) == 21594786
    assert all(a <= b for a, b in zip((c.masks for c in classes), (c.masks for c in classes[1:])))


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
    # the default criteria: average, Blackwell and discounted 1/2 (exact rational)
    assert len(res.rows) == 412 * 6 * 3 and res.votes == 5255
    for crit in ("blackwell", "discounted:1/2"):
        assert s["n/(n+1)"][crit] == {"holds": 42, "counterexample": 0, "hypothesis not met": 370}
        assert s["most"][crit]["counterexample"] == 0
    assert s["fractional"]["blackwell"] == {"holds": 98, "counterexample": 11, "hypothesis not met": 303}
    assert s["fractional"]["discounted:1/2"] == {"holds": 82, "counterexample": 27, "hypothesis not met": 303}
    # the strict law fails only where A and B reach a shared RSD (excluded by strict-disjoint)
    bad = [r for r in res.counterexamples("strict") if r["criterion"] == "average"]
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
    assert data["classes"] == {"1": 1, "2": 6} and len(data["rows"]) == 36 * 3
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
@pytest.mark.census  # about 20 minutes in one process: `make test-census`, outside `make test-slow`
def test_census_four_states():
    """The 4-state census under the three criteria, and its vote rate against a plain permutation loop.

    The counts and the rates are the ones in docs/conjecture-lab.md (rates vary with the machine).
    """
    import time

    res = run_census(4)
    assert res.classes["4"] == 5856
    for law in ("n/(n+1)", "most", "strict-disjoint", "fractional", "fractional-overlap"):
        assert res.summary[law]["average"]["counterexample"] == 0
    for crit in ("blackwell", "discounted:1/2"):
        assert res.summary["n/(n+1)"][crit]["counterexample"] == 0
    # rate: the engine's exact orbit votes against brute_force_vote (itertools.permutations), same votes
    classes = list(rooted_mdp_classes(4))[::150]
    cases = []
    for cls in classes:
        m = cls.mdp()
        acts = m.actions("s0")
        if len(acts) >= 2:
            for r in ([0, 1, 2, 3], [0, 0, 1, 2], [Fraction(1, 3), Fraction(7, 5), Fraction(2, 9), Fraction(5, 4)]):
                for crit in (Average(), Blackwell(), Discounted(Fraction(1, 2))):
                    cases.append((m, [acts[0]], list(acts[1:]), r, crit))
    t0 = time.perf_counter()
    engine = [orbit_vote(m, "s0", a, b, r, c) for m, a, b, r, c in cases]
    t1 = time.perf_counter()
    brute = [brute_force_vote(m, "s0", a, b, r, c) for m, a, b, r, c in cases]
    t2 = time.perf_counter()
    assert brute == [(v.a_strict, v.b_strict, v.tie, v.orbit_size) for v in engine]
    print(f"census 4 states: {res.votes} votes in {res.seconds:.0f} s ({res.votes / res.seconds:.0f} votes/s overall); "
          f"sample of {len(cases)} votes: engine {len(cases) / (t1 - t0):.0f}/s, permutations loop {len(cases) / (t2 - t1):.0f}/s")


# --- the frontier of the fractional law ---------------------------------------------------------


def test_frontier_two_states_all_criteria():
    from workbench.power._census.frontier import CONDITIONS, run_frontier

    res = run_frontier(2, structured=False)
    assert [c["criterion"] for c in res.rows[:4]] == ["average", "blackwell", "discounted:1/2", "discounted:9/10"]
    by_key = {(tuple(r[c] for c in CONDITIONS), r["criterion"]): r for r in res.rows}
    full = (True,) * 7
    assert by_key[full, "average"]["theorem"] == "PS14" and by_key[full, "average"]["status"] == "holds"
    for r in res.rows:
        if r["theorem"]:  # the theorems (PS14, PS16a) hold wherever their conditions do
            assert r["status"] == "holds" and r["criterion"] == "average"
        if r["disjoint"] and r["equal_shapes"]:  # disjoint things of one shape can always be swapped
            assert r["swaps_a"] and r["swaps_b"] and r["swaps_cross"]
        if r["status"] == "counterexample":
            cx = r["counterexample"]
            assert cx["brute_force_agrees"] and Fraction(cx["weak_fraction_b"]) < Fraction(cx["bound"])
    # options of different shapes: a self-loop against a 2-cycle and a loop, the smallest failure
    bad = by_key[(True, False, False, True, False, False, False), "average"]["counterexample"]
    assert bad["n_states"] == 2 and bad["weak_fraction_b"] == "1/2" and bad["bound"] == "2/3"


def test_frontier_counting_options_alone_fails_on_the_hub():
    """Spec §3: three 2-cycles through one hub against one 2-cycle, 3667/5040 < 3/4 (average, reward 0..8)."""
    from workbench.power._census.frontier import _best, _case_structure, hub_gadget

    m = hub_gadget(3)
    v = orbit_vote(m, "s0", ["die"], ["live"], list(range(9)))
    assert v.weak_fraction_b == Fraction(3667, 5040) < Fraction(3, 4)
    keys, _ = _case_structure(m, ["die"], ["live"])
    # three equal-shaped B-things, swappable among themselves, but no certified copies, no cross swaps
    key = (True, True, False, True, True, False, False)
    assert _best(keys[key]) == (Fraction(3, 4), (1, 3))
    assert not any(k[2] and k[1] and _best(slot)[0] > Fraction(1, 2) for k, slot in keys.items())


def test_frontier_cli(tmp_path, capsys):
    assert main(["conjecture", "frontier", "--max-states", "2", "--no-gadgets", "--criteria", "average", "--json",
                 "--out", str(tmp_path / "new")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["conditions"][:2] == ["cover", "equal_shapes"] and data["cases"] == 6
    assert (tmp_path / "new" / "frontier.csv").read_text().startswith("cover,equal_shapes,b_copies,")
    assert main(["conjecture", "frontier", "--max-states", "5"]) == 2
    assert "at most 4" in capsys.readouterr().err


@pytest.mark.slow
def test_frontier_three_states():
    """The table in docs/conjecture-lab.md (k = 3, four criteria, hub gadgets)."""
    from workbench.power._census.frontier import run_frontier

    res = run_frontier(3)
    assert all(r["status"] == "holds" for r in res.rows if r["theorem"])
    assert any(r["theorem"] == "PS16a" for r in res.rows)
    assert all(r["counterexample"]["brute_force_agrees"] for r in res.rows if r["counterexample"])
