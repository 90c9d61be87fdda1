"""The frontier's fast exact votes, its criterion-level conditions and the hub variants (tiny cases)."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from workbench.cli._main import main
from workbench.power._census.brute import brute_force_vote
from workbench.power._census.census import generic_rewards, order_type_rewards, root_splits
from workbench.power._census.enumeration import rooted_mdp_classes
from workbench.power._census.fastvote import split_votes
from workbench.power._census.frontier import (CONDITIONS, _best, _case_structure, hub_variants, run_frontier,
                                              run_hub_family, thing_conditions)
from workbench.power._lab.registry import VOTE_METHOD
from workbench.power._mdp.mdp import MDP
from workbench.power._orbits.votes import orbit_vote
from workbench.power._visits.criteria import Average, Blackwell, Discounted

CRITERIA = (Average(), Blackwell(), Discounted(Fraction(1, 2)), Discounted(Fraction(9, 10)))


@pytest.mark.parametrize("k", [2, 3])
def test_split_votes_equal_the_orbit_engine(k):
    """Every split of every class on k states, every order type and 2 generic rewards, four criteria."""
    rewards = order_type_rewards(k) + generic_rewards(k, 2, 0)
    classes = list(rooted_mdp_classes(k))
    for cls in classes if k == 2 else classes[::7]:
        mdp = cls.mdp()
        for a, b in root_splits(cls):
            for crit in CRITERIA:
                fast = split_votes(mdp, "s0", list(a), list(b), rewards, crit)
                slow = [orbit_vote(mdp, "s0", list(a), list(b), r, crit, method=VOTE_METHOD) for r in rewards]
                assert fast == [(v.a_strict, v.b_strict, v.tie, v.orbit_size) for v in slow], (cls.id, a, b, crit)


def test_split_votes_blackwell_needs_the_later_laurent_terms():
    # s0 -> s0 (loop) against s0 -> s1 -> s2 (loop): equal gain and bias differ only through the path
    m = MDP.from_successors({"s0": ["s0", "s1"], "s1": ["s2"], "s2": ["s2"]})
    r = [0, 1, 0]
    assert split_votes(m, "s0", ["s0"], ["s1"], [r], Blackwell()) == [
        brute_force_vote(m, "s0", ["s0"], ["s1"], r, Blackwell())]


def test_mask_conditions_match_the_set_api():
    m = MDP.from_successors({"s0": ["s1", "s2", "s3"], "s1": ["s1"], "s2": ["s2"], "s3": ["s3"]})
    keys, pool = _case_structure(m, ["s1"], ["s2", "s3"])
    full = (True,) * 7
    assert _best(keys[full]) == (Fraction(2, 3), (1, 2))
    a, b = keys[full][(1, 2)]
    bits = lambda mask: frozenset(i for i in range(8) if mask >> i & 1)  # noqa: E731
    got = thing_conditions(pool, [bits(t) for t in a], [bits(t) for t in b], bits(a[0]))
    assert tuple(got.values()) == full and list(got) == list(CONDITIONS)


def test_criterion_level_separates_transient_paths():
    """RSD-level PS14 conditions hold for a loop against a path into a loop; their visit
    distributions are not permutation images (the discounted/Blackwell counterexample of the table)."""
    m = MDP.from_successors({"s0": ["s0", "s1"], "s1": ["s2"], "s2": ["s2"]})
    rsd, _ = _case_structure(m, ["s0"], ["s1"])
    assert (True,) * 7 in rsd
    for crit in (Blackwell(), Discounted(Fraction(1, 2))):
        keys, _ = _case_structure(m, ["s0"], ["s1"], level="criterion", criterion=crit)
        assert all(not k[1] and not k[5] for k in keys)  # neither equal shapes nor a cross swap


def test_frontier_criterion_level_theorem_rows_hold():
    res = run_frontier(2, structured=False, level="criterion")
    assert res.level == "criterion" and "criterion's level" in res.coverage()
    rows = [r for r in res.rows if r["theorem"]]
    assert rows and all(r["status"] == "holds" for r in rows)
    assert {r["theorem"] for r in rows if r["criterion"] != "average"} <= {"PS14v", "PS16av"}
    with pytest.raises(Exception, match="level must be one of"):
        run_frontier(2, level="visits")


def test_frontier_by_mn_and_option_cap():
    res = run_frontier(3, criteria=(Average(),), structured=False, max_options=2)
    full = run_frontier(3, criteria=(Average(),), structured=False)
    assert res.skipped > full.skipped and res.skipped == sum(res.skipped_by_states.values())
    for r in full.rows:
        assert sum(v["cases"] for v in r["by_mn"].values()) >= r["cases"]
        if r["status"] == "counterexample":  # the row's counterexample is one of its (m, n) cells'
            cx = r["counterexample"]
            assert r["by_mn"][f"{cx['m']}:{cx['n']}"]["counterexample"] is not None


def test_hub_variants_smallest_counting_counterexample():
    """Counting options (cover, equal shapes, swaps on A and B; no copies, cross swaps or disjointness)
    with m = 1, n = 2 fails on the 4-state star and on a 5-state hub variant (s0 <-> d1 against
    s0 -> h, h <-> x1, h <-> x2); with n = 3 on the 5-state star."""
    sizes = sorted(m.n_states for _, m, _, _ in hub_variants(5))
    assert sizes[0] == 4 and sizes[-1] == 5
    res = run_hub_family(5)
    row = next(r for r in res.rows if tuple(r[c] for c in CONDITIONS) == (True, True, False, True, True, False, False))
    for mn, states, weak in (("1:2", 4, Fraction(1, 2)), ("1:3", 5, Fraction(3, 5))):
        cx = row["by_mn"][mn]["counterexample"]
        assert cx["n_states"] == states and Fraction(cx["weak_fraction_b"]) == weak < Fraction(cx["bound"])
        assert cx["brute_force_agrees"]
    hubs = run_hub_family(5)
    hubs_only = [v for v in hub_variants(5) if v[0].startswith("hub")]
    m = next(v for v in hubs_only if v[0].startswith("hub variant k=2 c=2 cd=2 pd=-1 pl=0"))[1]
    assert brute_force_vote(m, "s0", ["d1"], ["h"], [0, 0, 0, 0, 1]) == (2, 3, 0, 5)  # 3/5 < 2/3
    assert hubs.cases >= len(hubs_only)


def test_frontier_cli_level_and_cap(capsys):
    assert main(["conjecture", "frontier", "--max-states", "2", "--no-gadgets", "--level", "criterion",
                 "--max-options", "3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["level"] == "criterion" and data["max_options"] == 3
    assert main(["conjecture", "frontier", "--max-options", "9"]) == 2
    assert "at most 6" in capsys.readouterr().err


def test_equal_shape_cells_agree_with_the_frontier_and_cover_capped_splits():
    from workbench.power._census.frontier import equal_shape_cells

    cells = equal_shape_cells(3)
    res = run_frontier(3, criteria=(Average(),), structured=False)
    by_key = {tuple(r[c] for c in CONDITIONS): r for r in res.rows}
    checked = 0
    for (key, crit, n), cell in cells.items():
        if not (key[0] and key[1]):
            continue  # cover and equal shapes are what this search is for
        row = by_key.get(key)
        sub = row and row["by_mn"].get(f"1:{n}")
        if sub is None:
            continue
        checked += 1
        assert cell["cases"] >= sub["cases"]  # no option cap here
        if sub["counterexample"] is not None:
            assert cell["counterexample"]["n_states"] == sub["counterexample"]["n_states"]
        if cell["counterexample"] is not None:
            assert cell["counterexample"]["brute_force_agrees"]
    assert checked >= 5
