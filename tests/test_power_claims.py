"""Power-seeking claims (PS1...) and property tests of the engine behind them.

Property tests use hypothesis with the profile of ``tests/conftest.py`` (modest by default;
``HYPOTHESIS_PROFILE=deep pytest tests/test_power_claims.py`` runs them harder). The full
claim run is ``@pytest.mark.slow``.
"""

import itertools
import json
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.claims._registry import CheckContext, all_claims, run_claim
from workbench.cli._main import main
from workbench.power import (
    ExactVisits,
    MDP,
    Average,
    Blackwell,
    Discounted,
    copies_at,
    options,
    orbit_size,
    orbit_vote,
    power,
    power_vectors,
    random_deterministic,
    shipped_mdp,
    terminal_choice,
)
from workbench.power._orbits.rules import UniformQuantiliser
from workbench.testing import choices, deterministic_mdps, permutations
from workbench.claims.power._shared import generic_rewards, multisets
from workbench.claims.power.fractional import terminal_fail_probability
from workbench.claims.power.theorems import substitute_terminals

PS_IDS = [f"PS{i}" for i in range(1, 17)]


def _claim(cid):
    return next(c for c in all_claims() if c.id == cid)


def _triple(v):
    return (v.a_strict, v.b_strict, v.tie)


# --- the registry ------------------------------------------------------------------------------

def test_every_ps_claim_is_registered_with_source_and_code():
    ids = {c.id for c in all_claims()}
    assert set(PS_IDS) <= ids
    for cid in PS_IDS:
        c = _claim(cid)
        assert c.source and c.statement and c.code.startswith("workbench/claims/power/")
    conjectures = {c.id for c in all_claims() if c.id.startswith("PS") and not c.expected_to_hold}
    assert conjectures == {"PS9", "PS14", "PS16"}


@pytest.mark.parametrize("cid,status", [("PS1", "verified"), ("PS8", "proved"), ("PS11", "verified"),
                                        ("PS12", "proved"), ("PS15", "proved")])
def test_quick_claims_earn_their_status(cid, status, tmp_path):
    r = run_claim(_claim(cid), CheckContext(out_dir=tmp_path))
    assert r.evidence.status.value == status, r.evidence.summary
    json.dumps(r.to_json(), default=str)  # details are serialisable
    for fig in r.evidence.figures:
        assert (tmp_path / fig).stat().st_size > 1000


def test_ps1_numbers():
    r = run_claim(_claim("PS1"), CheckContext())
    d = r.evidence.details
    assert d["min_weak_fraction_b"] == "2/3" and d["orbits_checked"] == 128
    assert d["distinct_rewards_1_to_5"]["b_strict"] == 80 and d["copies"]["n"] == 2


@pytest.mark.slow
def test_all_ps_claims_via_verify(tmp_path, capsys):
    """Every PS claim earns its status, and a second run gives the same evidence (timings aside)."""
    runs = []
    for out in (tmp_path / "a", tmp_path / "b"):
        code = main(["verify", "--out", str(out), "--only", ",".join(PS_IDS), "--json"])
        assert code == 0
        runs.append(json.loads(capsys.readouterr().out))
    data = runs[0]
    status = {c["id"]: c["status"] for c in data["claims"]}
    # which of proved / verified a claim earns is the status ladder's business (test_status_ladder.py)
    assert status["PS9"] == "refuted" and status["PS16"] == "refuted"
    assert all(status[c] in ("proved", "verified") for c in PS_IDS if c not in ("PS9", "PS16"))
    page = (tmp_path / "a" / "index.html").read_text()
    assert page.count("data:image/png;base64,") >= 12
    assert _without_timings(runs[0]["claims"]) == _without_timings(runs[1]["claims"])
    details = {c["id"]: c["evidence"]["details"] for c in data["claims"]}
    # the counts are the caps the claims set, whatever the machine load
    assert details["PS9"]["lab_strict_disjoint"]["cases_checked"] == 800
    ps14 = details["PS14"]["lab"]
    assert not ps14["cap_reached"] and any(f.startswith("all deterministic MDPs on 2 states") for f in ps14["families"])


def _without_timings(x):
    """Evidence without what legitimately differs between runs: timings and each entry's run
    metadata (when and with which command it was generated)."""
    if isinstance(x, dict):
        return {k: _without_timings(v) for k, v in x.items() if k not in ("seconds", "run")}
    if isinstance(x, (list, tuple)):
        return [_without_timings(v) for v in x]
    return x


def test_lab_claim_evidence_is_reproducible():
    """PS15's evidence comes from a lab search bounded by counts: two runs agree exactly (timings aside)."""
    runs = [json.dumps(_without_timings(run_claim(_claim("PS15"), CheckContext()).to_json()), default=str, sort_keys=True)
            for _ in range(2)]
    assert runs[0] == runs[1]
    assert "seed 15" in runs[0] and "case cap 2000" in runs[0] and "after 880 orbits" in runs[0]


# --- property tests ------------------------------------------------------------------------------

@given(choice=choices(deterministic_mdps(min_states=4, max_states=7, min_root_actions=2)), data=st.data())
def test_property_certified_copies_imply_the_bound(choice, data):
    m, a, b, n = choice.mdp, list(choice.a), list(choice.b), choice.mdp.n_states
    crit = data.draw(st.sampled_from([Average(), Blackwell(), Discounted(Fraction(1, 3))]))
    cert = copies_at(m, "s0", a, b, crit)
    r = data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    v = orbit_vote(m, "s0", a, b, r, crit)
    assert v.total == v.orbit_size == orbit_size(r)
    assert v.b_strict >= cert.n * v.a_strict
    assert v.weak_fraction_b >= Fraction(cert.n, cert.n + 1)


def _relabel(m, perm):
    name = {s: f"q{perm[i]}" for i, s in enumerate(m.states)}
    order = sorted(m.states, key=lambda s: perm[m.index(s)])
    succ = {name[s]: [name[next(iter(d))] for d in m.transitions[s].values()] for s in order}
    return MDP.from_successors(succ), name


@given(m=deterministic_mdps(min_states=6, max_states=6, min_root_actions=2), data=st.data())
def test_property_orbit_votes_invariant_under_relabelling(m, data):
    acts = m.actions("s0")
    r = data.draw(st.lists(st.integers(0, 3), min_size=6, max_size=6))
    perm = data.draw(permutations(6))
    crit = data.draw(st.sampled_from([Average(), Blackwell(), Discounted(Fraction(1, 2))]))
    v = orbit_vote(m, "s0", [acts[0]], list(acts[1:]), r, crit)
    m2, name = _relabel(m, perm)
    r2 = [None] * 6
    for i, s in enumerate(m.states):
        r2[m2.index(name[s])] = r[i]
    v2 = orbit_vote(m2, name["s0"], [name[acts[0]]], [name[x] for x in acts[1:]], r2, crit)
    assert _triple(v) == _triple(v2)
    # and under permuting the reward within its orbit (same orbit, same counts)
    r3 = list(data.draw(st.permutations(r)))
    assert _triple(orbit_vote(m, "s0", [acts[0]], list(acts[1:]), r3, crit)) == _triple(v)


@given(seed=st.integers(0, 5_000), extra=st.tuples(st.integers(0, 5), st.integers(0, 5)),
       gamma=st.sampled_from([Fraction(0), Fraction(1, 3), Fraction(9, 10), Fraction(1)]))
def test_property_adding_options_never_lowers_power(seed, extra, gamma):
    """Sure inequalities only (no confidence interval is asserted, so no draw can fail by chance):
    sample by sample the bigger MDP's best option is at least the old one's, and so are the
    exact values and the common-random-number estimates."""
    m = random_deterministic(6, seed=seed, max_out=2, p_self=0.5)
    u, t = f"s{extra[0]}", f"s{extra[1]}"
    succ = {s: [next(iter(d)) for d in m.transitions[s].values()] for s in m.states}
    if t in succ[u]:
        return
    succ[u].append(t)
    bigger = MDP.from_successors(succ, start="s0")
    R = np.random.default_rng(seed).uniform(size=(200, 6))
    best = [(R @ np.array(power_vectors(x, "s0", gamma, prune=False), dtype=float).T).max(axis=1) for x in (m, bigger)]
    assert np.all(best[1] >= best[0] - 1e-12)
    old = power(m, "s0", gamma, ExactVisits(samples=3_000, seed=7))
    new = power(bigger, "s0", gamma, ExactVisits(samples=3_000, seed=7))
    if old.exact is not None and new.exact is not None:
        assert new.exact >= old.exact
    elif old.exact is None and new.exact is None:  # the same samples: the inequality holds sample by sample
        assert new.power >= old.power - 1e-12


@settings(max_examples=25)
@given(choice=choices(deterministic_mdps(min_states=5, max_states=5, min_root_actions=2)), data=st.data())
def test_property_exact_votes_agree_with_brute_force(choice, data):
    """The engine's orbit votes (reduced orbits) vs a brute force over every permutation of the
    reward, with exact rational values (a float comparison cannot separate every near-tie)."""
    m, a, b = choice.mdp, list(choice.a), list(choice.b)
    r = data.draw(st.lists(st.integers(0, 4), min_size=5, max_size=5))
    g = data.draw(st.sampled_from([None, Fraction(1, 2), Fraction(9, 10)]))
    crit = Average() if g is None else Discounted(g)
    v = orbit_vote(m, "s0", a, b, r, crit)
    A = [crit.levels([f])[0][0] for f in options(m, "s0", a)]
    B = [crit.levels([f])[0][0] for f in options(m, "s0", b)]
    counts = [0, 0, 0]
    for p in set(itertools.permutations(r)):
        va = max(sum(w * x for w, x in zip(f, p)) for f in A)
        vb = max(sum(w * x for w, x in zip(f, p)) for f in B)
        counts[0 if va > vb else 1 if vb > va else 2] += 1
    assert tuple(counts) == _triple(v)


@settings(max_examples=20)
@given(seed=st.integers(0, 5_000), gamma=st.sampled_from([Fraction(1, 3), Fraction(3, 4)]))
def test_property_visit_distributions_exact_vs_linear_solve(seed, gamma):
    """Exact lasso visit distributions vs the numeric (I - gamma T_pi)^-1 row of the same policy."""
    m = random_deterministic(5, seed=seed, max_out=2)
    idx = {s: i for i, s in enumerate(m.states)}
    for f in options(m, "s0", m.actions("s0"))[:6]:
        # recover the policy from the label "s0 -> x -> (c1 c2)" and solve numerically
        path = f.label.replace("(", " ").replace(")", " ").replace("->", " ").split()
        nxt = {path[i]: path[i + 1] for i in range(len(path) - 1)}
        cyc = f.label[f.label.index("(") + 1:f.label.index(")")].split()
        nxt[cyc[-1]] = cyc[0]
        T = np.zeros((5, 5))
        for s in m.states:
            t = nxt.get(s, next(iter(m.transitions[s][m.actions(s)[0]])))
            T[idx[s], idx[t]] = 1
        row = np.linalg.solve(np.eye(5) - float(gamma) * T.T, np.eye(5)[idx["s0"]])
        assert np.allclose(row, [float(x) for x in f.at(gamma)], atol=1e-12)


@settings(max_examples=30)
@given(n=st.integers(1, 7), m=st.integers(1, 4), data=st.data())
def test_property_terminal_formula_matches_engine_and_fractional_law(n, m, data):
    if m > n:
        n, m = m, n
    N = n + m + 3
    r = data.draw(st.lists(st.integers(0, 3), min_size=N, max_size=N))
    v = orbit_vote(terminal_choice(n, m), "start", ["die"], ["live"], r)
    assert Fraction(v.a_strict, v.orbit_size) == terminal_fail_probability(r, n, m)
    assert v.weak_fraction_b >= Fraction(n, n + m)


@settings(max_examples=20)
@given(data=st.data())
def test_property_quantiliser_is_permutation_equivariant(data):
    k = data.draw(st.integers(2, 6))
    vals = data.draw(st.lists(st.integers(0, 2), min_size=k, max_size=k))
    q = data.draw(st.sampled_from([0.2, 1 / 3, 0.5, 1.0]))
    perm = data.draw(st.permutations(range(k)))
    rule = UniformQuantiliser(q)
    P = rule.probabilities(np.array([vals], dtype=float))[0]
    P2 = rule.probabilities(np.array([[vals[i] for i in perm]], dtype=float))[0]
    assert np.allclose(P2, P[list(perm)]) and math.isclose(P.sum(), 1.0)


# --- worked examples ---------------------------------------------------------------------------

def test_wait_family_covers_every_order_type():
    fam = multisets(5, range(5))
    assert len(fam) == math.comb(9, 5) == 126
    # every weak order of 5 numbers appears: ranks of a random real vector land in the family
    rng = np.random.default_rng(0)
    for _ in range(20):
        x = rng.integers(0, 3, size=5)
        ranks = sorted(int(np.searchsorted(np.unique(x), v)) for v in x)
        assert ranks in fam


def test_substitution_keeps_two_copies():
    w = shipped_mdp("wait")
    ws = substitute_terminals(w, ["candy", "chocolate", "hug"], {"in": ["v"], "v": ["v"]})
    assert copies_at(ws, "start", ["candy"], ["wait"]).n == 2


def test_generic_rewards_are_distinct():
    r = generic_rewards(9, np.random.default_rng(3))
    assert len(set(r)) == 9
