"""Certified copies: known n, certification failures, the >=^n_most check."""

from fractions import Fraction
from pathlib import Path

import pytest

from workbench._errors import WorkbenchError
from workbench.power import (
    Blackwell,
    Involution,
    certify_copies,
    check_most,
    copies_at,
    find_copies,
    load_mdp,
)

ROOT = Path(__file__).resolve().parents[2]


def test_candy_two_copies():
    c = copies_at(load_mdp(ROOT / "mdps/wait.toml"), "start", ["candy"], ["wait"])
    assert c.n == 2 and c.disjoint and c.bound == Fraction(2, 3)
    assert [phi.named(c.names) for phi in c.involutions] == [[["candy", "chocolate"]], [["candy", "hug"]]]


def test_three_copies():
    c = copies_at(load_mdp(ROOT / "mdps/three_copies.toml"), "start", ["a"], ["b"])
    assert c.n == 3 and c.disjoint and c.orthogonal
    assert all(len(phi.pairs) == 6 for phi in c.involutions)


def test_live_die_25_disjoint_copies():
    c = copies_at(load_mdp(ROOT / "mdps/live51_die2.toml"), "start", ["die"], ["live"])
    assert c.n == 25 and c.disjoint and c.bound == Fraction(25, 26)


def test_blackwell_copies_need_visit_distribution_symmetry():
    # at the visit-distribution level the hub states differ, so the copies interfere
    c = copies_at(load_mdp(ROOT / "mdps/wait.toml"), "start", ["candy"], ["wait"], Blackwell())
    assert c.n < 2 and c.level == "visit distribution"


def test_certification_rejects_bad_witnesses():
    A = [(1, 0, 0)]
    B = [(0, 1, 0), (0, 0, 1)]
    certify_copies(A, B, [Involution(((0, 1),)), Involution(((0, 2),))])
    with pytest.raises(WorkbenchError, match="not inside B"):
        certify_copies(A, B, [Involution(((1, 2),))])
    # two copies that move each other: phi_1 = (0 1)(2 3), B_2 = {e_2} is moved by phi_1
    A = [(1, 0, 0, 0)]
    B = [(0, 1, 0, 0), (0, 0, 1, 0)]
    with pytest.raises(WorkbenchError, match="moves another copy"):
        certify_copies(A, B, [Involution(((0, 1), (2, 3))), Involution(((0, 2),))])


def test_involution_validation():
    with pytest.raises(ValueError):
        Involution(((0, 1), (1, 2)))


def test_find_copies_of_pairs_in_a_bigger_set():
    A = [(1, 0, 0, 0, 0, 0), (0, 1, 0, 0, 0, 0)]
    B = [tuple(1 if j == i else 0 for j in range(6)) for i in range(2, 6)]
    c = find_copies(A, B)
    assert c.n == 2 and c.disjoint


def test_check_most_reports_worst_orbit():
    m = load_mdp(ROOT / "mdps/wait.toml")
    res = check_most(m, "start", ["candy"], ["wait"], [[0, 0, 1, 1, 0], [1, 2, 3, 4, 5]], 2)
    assert res.holds
    assert res.worst_vote.weak_fraction_b == Fraction(2, 3)
    res = check_most(m, "start", ["candy"], ["wait"], [[0, 0, 1, 1, 0], [1, 2, 3, 4, 5]], 2, Blackwell())
    assert not res.holds and res.worst_reward == (0, 0, 1, 1, 0)


def test_visit_distribution_copies_bound_discounted_and_blackwell_votes():
    """Copies certified at the visit-distribution level bound orbit votes under that criterion."""
    import random

    from workbench.power import Discounted, orbit_vote, random_deterministic

    found = 0
    for seed in range(400):
        rnd = random.Random(seed)
        m = random_deterministic(6, seed=seed, max_out=3, p_self=0.7)
        acts = m.actions("s0")
        if len(acts) < 2:
            continue
        crit = rnd.choice([Blackwell(), Discounted(Fraction(rnd.randint(1, 9), 10))])
        c = copies_at(m, "s0", [acts[0]], list(acts[1:]), crit)
        if not c.n:
            continue
        found += 1
        for _ in range(3):
            r = [rnd.choice([0, 1, 2, 3]) for _ in range(6)]
            v = orbit_vote(m, "s0", [acts[0]], list(acts[1:]), r, crit)
            assert v.b_strict >= c.n * v.a_strict
        if found >= 6:
            break
    assert found >= 6


def test_identity_is_not_reported_as_a_copy():
    """A shared option makes phi = id satisfy phi.A ⊆ B; the spec calls that degenerate (§2)."""
    from workbench.power import MDP, copies_at

    m = MDP.from_successors({"s0": ["s1", "s2"], "s1": ["s1"], "s2": ["s1"]})
    cert = copies_at(m, "s0", ["s1"], ["s2"])
    assert cert.n == 0 and cert.involutions == ()


DEGENERATE_TOML = """
name = "degenerate"
description = "A and B lead to the same two terminals: (x y) maps A onto itself"
start = "s"

[states]
s = ["a", "b"]
a = ["x", "y"]
b = ["x", "y"]
x = ["x"]
y = ["y"]
"""


def test_involution_fixing_a_is_not_a_copy(tmp_path, capsys):
    """phi = (x y) satisfies phi.A ⊆ B but phi.A = A: as degenerate as the identity (spec §2)."""
    from workbench.cli._main import main

    path = tmp_path / "degenerate.toml"
    path.write_text(DEGENERATE_TOML)
    cert = copies_at(load_mdp(path), "s", ["a"], ["b"])
    assert cert.n == 0 and cert.involutions == ()
    assert "1 degenerate involution with phi.A = A rejected" in cert.search
    assert main(["copies", str(path), "--a", "a", "--b", "b"]) == 0
    out = capsys.readouterr().out
    assert "certified n = 0" in out and "phi_1" not in out
    e_x, e_y = (0, 0, 0, 1, 0), (0, 0, 0, 0, 1)
    with pytest.raises(WorkbenchError, match="degenerate"):
        certify_copies([e_x, e_y], [e_x, e_y], [Involution(((3, 4),))])


def test_copies_output_does_not_depend_on_hash_seed():
    """The search keeps the canonical involution per image, so string hashing cannot change it."""
    import os
    import subprocess
    import sys

    outs = set()
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outs.add(subprocess.run([sys.executable, "-m", "workbench", "copies", str(ROOT / "mdps/three_copies.toml"),
                                 "--state", "start", "--a", "a", "--b", "b"], env=env, capture_output=True, text=True,
                                check=True).stdout)
    assert len(outs) == 1
    assert "phi_3 = (v v_3) (p1 p1_3) (p2 p2_3) (t1 t1_3) (t2 t2_3) (t3 t3_3)" in outs.pop()
