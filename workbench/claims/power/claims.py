"""Claims PS1-PS15 of seed 001 (Turner, "A scaling law for instrumental convergence"; spec
``power_seeking.md`` §3), with their checks and the power-seeking figures of the report.

Statuses are earned (see ``workbench.claims._registry``):

* exact orbit votes over stated families of reward vectors are ``verified`` (method ``exact``);
  when a family provably covers *every* reward vector of an MDP (all order types, for MDPs whose
  options are single terminal states) the summary says so, but the status stays ``verified``;
* Monte Carlo POWER comparisons are ``verified`` (method ``numeric``) with their 95% intervals;
* the two conjectures of the seed (the strict version and the fractional law, RDSP Conj D.13)
  are registered with ``expected_to_hold=False`` and come back ``open`` (no counterexample in N
  cases of the stated families) or ``refuted`` (with the counterexample);
* the discounted / Blackwell shortfall below the average-reward bound is a documented *limit* of
  the theorem (spec §4), registered as a claim that the shortfall exists.

Every check writes its figures through ``context.figure_path`` (nothing when there is no output
directory). The plotting functions are public so that ``examples/ps_*.py`` can call them.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from pathlib import Path

import numpy as np

from workbench.claims._registry import CheckContext, Evidence, Status, claim
from workbench._errors import EnumerationTooLarge, WorkbenchError
from workbench.power._orbits.copies import copies_at, find_copies
from workbench.power._visits.criteria import Average, Blackwell, Discounted
from workbench.power._orbits.domains import featurized_orbit_vote, state_action_mdp
from workbench.power._mdp.generators import random_deterministic, star, terminal_choice
from workbench.power._mdp.mdp import MDP
from workbench.power._mdp.shipped import shipped_mdp, shipped_mdp_names
from workbench.power._plotting.figures import (
    plot_counterexample,
    plot_fractional_family,
    plot_involutions,
    plot_orbit_bars,
    plot_power_vs_gamma,
    plot_weak_fraction_vs_gamma,
)
from workbench.power._orbits.votes import Exact, orbit_vote
from workbench.power._orbits.power import power
from workbench.power._orbits.rules import AntiOpt, BestOfK, Boltzmann, FracOptimal, Satisfice, UniformQuantiliser
from workbench.power._visits.visits import options

SEED = "seed 001 (Turner, 'A scaling law for instrumental convergence')"
CODE = "workbench/claims/power/claims.py"
AVERAGE = "average reward (RSDs; transient reward ignored; ties count as weakly optimal for both sets)"
COUNTED = "distinct orbit elements (|S|!/prod m_k!), exact integer counts"


# --- helpers ---------------------------------------------------------------------------------

def _fs(x) -> str:
    x = Fraction(x)
    return f"{x.numerator}/{x.denominator}" if x.denominator != 1 else str(x.numerator)


def _rs(r) -> list:
    return [_fs(x) for x in r]


def vote_json(v, reward=None) -> dict:
    out = {"a_strict": v.a_strict, "b_strict": v.b_strict, "tie": v.tie, "orbit_size": v.orbit_size,
           "weak_fraction_b": _fs(v.weak_fraction_b) if v.method == "exact" else float(v.weak_fraction_b),
           "method": v.method, "criterion": v.criterion}
    if v.rule != "optimal":
        out["rule"] = v.rule
    if reward is not None:
        out["reward"] = _rs(reward)
    return out


def multisets(n: int, values) -> list[list]:
    """Every multiset of ``n`` values drawn from ``values`` (sorted lists).

    When every option is a single terminal state, the orbit vote depends only on the order type
    of the reward vector, and the multisets of ``n`` values from ``range(n)`` realise every order
    type of ``R^n``: such a family covers every reward function.
    """
    return [list(c) for c in itertools.combinations_with_replacement(list(values), n)]


def generic_rewards(n: int, rng) -> list[Fraction]:
    """``n`` distinct rationals with random 9-digit numerators: ties between distinct option
    values then have probability zero for the small MDPs used here (a stand-in for "almost all")."""
    while True:
        r = [Fraction(int(x), 10**9) for x in rng.integers(1, 10**9, size=n)]
        if len(set(r)) == n:
            return r


def votes_over(mdp, state, a, b, rewards, criterion=None, *, limit=300_000, **kwargs):
    """Exact votes for each reward; rewards whose enumeration exceeds ``limit`` are skipped
    (and counted)."""
    out, skipped = [], 0
    for r in rewards:
        try:
            out.append((r, orbit_vote(mdp, state, a, b, r, criterion, method=Exact(limit=limit), **kwargs)))
        except EnumerationTooLarge as exc:
            if exc.parameter != "limit":  # only orbits over the exact-count limit are skipped
                raise
            skipped += 1
    return out, skipped


def _worst(votes):
    return min(votes, key=lambda rv: rv[1].weak_fraction_b)


def _cert_json(cert) -> dict:
    return {"n": cert.n, "bound": _fs(cert.bound), "disjoint": cert.disjoint, "orthogonal": cert.orthogonal,
            "level": cert.level, "search": cert.search,
            "involutions": [phi.named(cert.names) for phi in cert.involutions]}


# --- PS1-PS3: the bound examples -------------------------------------------------------------

def _bound_example(context, mdp, state, a, b, rewards, n_expected, bound, fig_prefix, label, extra_rows=(), limit=300_000):
    cert = copies_at(mdp, state, a, b)
    votes, skipped = votes_over(mdp, state, a, b, rewards, limit=limit)
    votes = votes + list(extra_rows)
    worst_r, worst = _worst(votes)
    meets = all(v.meets(cert.n) for _, v in votes)
    above = all(v.weak_fraction_b >= bound for _, v in votes)
    ok = cert.n >= n_expected and meets and above and skipped == 0
    rows = [{"label": f"worst orbit {_rs(worst_r)[:8]}{'...' if len(worst_r) > 8 else ''}", "vote": worst, "bound": cert.bound}]
    for r, v in list(extra_rows)[:3]:
        rows.append({"label": f"{label} {_rs(r)[:6]}...", "vote": v, "bound": cert.bound})
    figs = context.figure(f"{fig_prefix}_involutions.png", lambda p: plot_involutions(mdp, state, a, b, p, cert=cert))
    figs += context.figure(f"{fig_prefix}_orbit_bars.png",
                    lambda p: plot_orbit_bars(rows, p, title=f"{mdp.name}: A = {a} vs B = {b} ({AVERAGE[:14]})"))
    details = {"criterion": AVERAGE, "counted_over": COUNTED, "state": state, "A": list(a), "B": list(b),
               "copies": _cert_json(cert), "claimed_bound": _fs(bound), "orbits_checked": len(votes),
               "orbits_skipped_over_limit": skipped, "enumeration_limit": limit,
               "all_meet_n_most": meets, "all_weak_fractions_at_least_bound": above,
               "min_weak_fraction_b": _fs(worst.weak_fraction_b), "worst_orbit": vote_json(worst, worst_r),
               "tolerance": "none (exact rational arithmetic, exact integer counts)"}
    return ok, cert, votes, worst_r, worst, details, figs


@claim("PS1", source=f"{SEED}, 'Why this is true' (candy / Wait!); RDSP Thm D.11 (n = 2)",
       statement="In the candy / Wait! MDP, under average-reward optimality with ties weakly optimal, at least 2/3 of "
                 "every orbit of reward functions weakly prefers Wait! to candy at the start.",
       code=f"{CODE}::check_ps1")
def check_ps1(context: CheckContext) -> Evidence:
    m = shipped_mdp("wait")
    rewards = multisets(5, range(5))
    distinct = orbit_vote(m, "start", ["candy"], ["wait"], [1, 2, 3, 4, 5])
    tied = orbit_vote(m, "start", ["candy"], ["wait"], [0, 0, 1, 1, 0])
    ok, cert, votes, wr, worst, details, figs = _bound_example(
        context, m, "start", ["candy"], ["wait"], rewards, 2, Fraction(2, 3), "ps1_wait", "orbit",
        extra_rows=[([1, 2, 3, 4, 5], distinct), ([0, 0, 1, 1, 0], tied)])
    n_worst = sum(v.weak_fraction_b == worst.weak_fraction_b for _, v in votes)
    ok = ok and (distinct.a_strict, distinct.b_strict, distinct.tie) == (40, 80, 0)
    details.update({"family": "all 126 multisets of 5 values from {0,...,4} (every order type of a reward vector in R^5)",
                    "covers_every_reward_vector": True,
                    "why_complete": "every option is a terminal 1-cycle, so each value is one coordinate of r and the vote "
                                    "depends only on the order type of r; these multisets realise every order type",
                    "distinct_rewards_1_to_5": vote_json(distinct), "tied_example": vote_json(tied),
                    "orbits_attaining_the_minimum": n_worst})
    return Evidence(
        Status.VERIFIED if ok else Status.FAILED,
        f"Certified n = {cert.n} copies ((candy chocolate), (candy hug)). Over all {len(votes) - 2} order types of reward "
        f"vectors (which covers every reward function here) every orbit has #Wait strict >= 2 x #candy strict; the minimum weak "
        f"fraction is {_fs(worst.weak_fraction_b)} (attained by {n_worst} order types, e.g. {_rs(wr)}); distinct rewards give "
        f"80/40/0 of 120 = 2/3 exactly; the tied orbit (0,0,1,1,0) gives {_fs(tied.weak_fraction_b)}.",
        "exact", details, figs)


@claim("PS2", source=f"{SEED}, 'Basically, when you could apply the previous results multiple times'; RDSP Thm D.11 (n = 3)",
       statement="A set of options (a vertex, a linked pair, a triangle) embedded 3 times: at least 3/4 of every orbit weakly "
                 "prefers the action leading to the 3 copies (average reward).",
       code=f"{CODE}::check_ps2")
def check_ps2(context: CheckContext) -> Evidence:
    m = shipped_mdp("three_copies")
    tails = [list(t) for j in range(1, 4) for t in itertools.combinations_with_replacement([-1, 1, 2, 3], j)]
    rewards = [[0] * (m.n_states - len(t)) + t for t in tails]
    ok, cert, votes, wr, worst, details, figs = _bound_example(
        context, m, "start", ["a"], ["b"], rewards, 3, Fraction(3, 4), "ps2_three_copies", "orbit")
    one = next(v for r, v in votes if r.count(0) == m.n_states - 1 and r[-1] == 1)
    details.update({"family": f"{len(rewards)} multisets: 27 states, all-zero except 1 to 3 entries from {{-1, 1, 2, 3}} "
                              "(cycle averages make actual values matter, so this family does NOT cover every reward vector)",
                    "covers_every_reward_vector": False, "single_one_orbit": vote_json(one)})
    return Evidence(
        Status.VERIFIED if ok else Status.FAILED,
        f"Certified n = {cert.n} disjoint, orthogonal copies ({cert.search}). In all {len(votes)} orbits checked "
        f"#b strict >= 3 x #a strict; minimum weak fraction {_fs(worst.weak_fraction_b)} >= 3/4 (reward {_rs(wr)[-3:]} on "
        f"zeros). A single 1 among 27 states: a/b/tie = {one.a_strict}/{one.b_strict}/{one.tie} of 27.",
        "exact", details, figs)


def _figure1_generic(context):
    def compute():
        m = shipped_mdp("opttsp_figure1")
        r = generic_rewards(m.n_states, np.random.default_rng(2021))
        return r, orbit_vote(m, "start", ["shutdown"], ["left", "right"], r)

    return context.cached("ps:figure1_generic", compute)


@claim("PS3", source="OPTTSP (Turner et al. 2021) Figure 1 and Thm 6.13; spec §3",
       statement="In the OPTTSP Figure-1 MDP (as reconstructed in mdps/opttsp_figure1.toml) at least 3/4 of every orbit "
                 "weakly prefers avoiding shutdown at the start (average reward).",
       code=f"{CODE}::check_ps3")
def check_ps3(context: CheckContext) -> Evidence:
    m = shipped_mdp("opttsp_figure1")
    rewards = multisets(m.n_states, range(3))
    gr, gv = _figure1_generic(context)
    ok, cert, votes, wr, worst, details, figs = _bound_example(
        context, m, "start", ["shutdown"], ["left", "right"], rewards, 3, Fraction(3, 4), "ps3_figure1", "generic",
        extra_rows=[(gr, gv)], limit=100_000)
    ok = ok and all(v.weak_fraction_b >= cert.bound for _, v in votes)
    details.update({"family": f"all {len(rewards)} multisets of 11 values from {{0, 1, 2}} plus one generic reward "
                              "(11 distinct random rationals, seed 2021; 6,652,800 arrangements enumerated)",
                    "generic_reward": _rs(gr), "generic_orbit": vote_json(gv),
                    "note": "the figure was lost from the seed; the layout is a reconstruction (see the file's description)"})
    return Evidence(
        Status.VERIFIED if ok else Status.FAILED,
        f"Certified n = {cert.n} disjoint copies of {{shutdown}} (shutdown <-> l1, l2, r1, r2, r3), so the theorem gives "
        f"{_fs(cert.bound)} >= 3/4. Over {len(votes)} orbits the minimum weak fraction is {_fs(worst.weak_fraction_b)}; the "
        f"generic orbit (11! elements) gives {gv.b_strict}/{gv.a_strict}/{gv.tie} = {_fs(gv.weak_fraction_b)}.",
        "exact", details, figs)


# --- PS4-PS5: 51 versus 2, the m-vs-n terminal family ----------------------------------------

def terminal_fail_probability(multiset, n: int, m: int, irrelevant: int = 3) -> Fraction:
    """Exact probability, over a uniformly random arrangement of ``multiset`` on the states of
    ``terminal_choice(n, m)`` (``irrelevant`` transient states, ``m`` dying and ``n`` living
    terminals), that *no* living terminal holds the largest value among the terminals — i.e. that
    dying is strictly better under average reward. Independent of the orbit engine.

    For each value ``v``: all ``G`` larger values sit on transient states, the ``c`` copies of ``v``
    sit on the remaining transient or dying states with at least one on a dying state.
    """
    N = n + m + irrelevant
    if len(multiset) != N:
        raise WorkbenchError(f"need {N} values")
    vals = sorted(set(multiset), reverse=True)
    total, greater = Fraction(0), 0
    for v in vals:
        c = multiset.count(v)
        G = greater
        if G <= irrelevant:
            p_top = Fraction(math.comb(irrelevant, G), math.comb(N, G))
            left = irrelevant - G
            good = math.comb(left + m, c) - math.comb(left, c)
            total += p_top * Fraction(good, math.comb(N - G, c))
        greater += c
    return total


def _fractional_proof_sketch() -> str:
    return ("Terminal family (n living, m dying terminals, any number of transient states). Under average reward a "
            "set's value is the largest reward on its terminals. In a uniformly random element of the orbit, condition on "
            "the multiset of values the n+m terminals receive and on K, the number of terminals holding the largest of "
            "them; by exchangeability the K top terminals are a uniformly random K-subset of the n+m terminals. Dying is "
            "strictly better iff all K lie among the m dying terminals: probability C(m,K)/C(n+m,K) = prod_{i<K} "
            "(m-i)/(n+m-i) <= m/(n+m), with equality iff K = 1 (or m = n+m). Averaging over K, the weak fraction for "
            "living is at least n/(n+m), with equality iff the top terminal value is a.s. unique (e.g. distinct rewards). "
            "Hence the fractional law holds for this family for every reward function, and n/(n+m) is attained.")


@claim("PS4", source=f"{SEED}, 'Conjecture' (51 vs 2); RDSP Thm D.11 and Conj D.13",
       statement="Dying gives 2 terminal choices and living 51: the proven law gives 25/26 (25 certified disjoint copies); the "
                 "fractional conjecture predicts 51/53, and it holds for this MDP under average reward, with 51/53 attained.",
       code=f"{CODE}::check_ps4")
def check_ps4(context: CheckContext) -> Evidence:
    m = shipped_mdp("live51_die2")
    cert = context.cached("ps:live51_copies", lambda: copies_at(m, "start", ["die"], ["live"]))
    distinct = orbit_vote(m, "start", ["die"], ["live"], list(range(56)))
    rng = np.random.default_rng(51)
    fam = []
    for top in range(1, 7):  # multiplicity of the largest value, then a random lower part
        k = int(rng.integers(1, 6))
        cuts = sorted(rng.choice(np.arange(1, 56 - top), size=k - 1, replace=False).tolist()) if k > 1 else []
        parts = np.diff([0] + cuts + [56 - top]).tolist()
        fam.append(sorted([v for v, c in enumerate(parts) for _ in range(c)] + [k] * top))
    fam += [[0] * 54 + [1, 1], [0] * 53 + [1, 1, 1], [i % 7 for i in range(56)], [0] * 55 + [1], [3] * 56]
    rows, agree, worst = [], True, None
    for r in fam:
        v = orbit_vote(m, "start", ["die"], ["live"], r)
        fail = terminal_fail_probability(r, 51, 2)
        same = Fraction(v.a_strict, v.orbit_size) == fail
        agree &= same
        rows.append({"reward_multiset": {str(x): r.count(x) for x in sorted(set(r))}, **vote_json(v),
                     "independent_formula_a_strict_fraction": _fs(fail), "agrees": same})
        if worst is None or v.weak_fraction_b < worst.weak_fraction_b:
            worst = v
    # the proof's bound at each K: C(2,K)/C(53,K) <= 2/53
    per_k = {K: _fs(Fraction(math.comb(2, K), math.comb(53, K))) for K in range(1, 4)}
    ok = (cert.n == 25 and distinct.weak_fraction_b == Fraction(51, 53) and agree
          and all(Fraction(row["weak_fraction_b"]) >= Fraction(51, 53) for row in rows))
    bw = orbit_vote(m, "start", ["die"], ["live"], [0] * 54 + [1, 1], Blackwell())
    figs = context.figure("ps4_live51_die2_bars.png", lambda p: plot_orbit_bars(
        [{"label": "distinct rewards 0..55", "vote": distinct, "bound": cert.bound, "conjecture": Fraction(51, 53)},
         {"label": "two 1s on zeros", "vote": orbit_vote(m, "start", ["die"], ["live"], [0] * 54 + [1, 1]),
          "bound": cert.bound, "conjecture": Fraction(51, 53)},
         {"label": "two 1s, Blackwell", "vote": bw, "bound": cert.bound, "conjecture": Fraction(51, 53)}],
        p, title="live51_die2: proven 25/26 (dashed) vs fractional 51/53 (dotted)", xmin=0.9))
    return Evidence(
        Status.VERIFIED if ok else Status.FAILED,
        f"Certified n = {cert.n} disjoint copies of {{d0, d1}} in the 51 living terminals => proven bound 25/26 = 0.9615. Exact "
        f"counts (engine's closed-form block reduction) over the 56! = {float(math.factorial(56)):.4g} orbit of distinct rewards: "
        f"die strict {distinct.a_strict:.4g}, live strict {distinct.b_strict:.4g}, ties 0, weak fraction exactly 51/53 = 0.9623, "
        f"so the fractional conjecture holds and is tight here. {len(fam)} tied reward multisets agree with an independent "
        f"hypergeometric formula; the proof (details) shows >= 51/53 for every reward function.",
        "exact",
        {"criterion": AVERAGE, "counted_over": COUNTED, "copies": _cert_json(cert), "proven_bound": "25/26",
         "conjectured_bound": "51/53", "distinct_rewards": {**vote_json(distinct), "a_strict": str(distinct.a_strict),
                                                             "b_strict": str(distinct.b_strict), "orbit_size": str(distinct.orbit_size)},
         "reduction": distinct.reduction, "tied_family": rows, "min_weak_fraction_in_family": _fs(worst.weak_fraction_b),
         "proof_sketch": _fractional_proof_sketch(), "per_K_failure_probability": per_k,
         "blackwell_note": {"reward": "two 1s, rest 0", **vote_json(bw),
                            "comment": "Blackwell breaks terminal ties by the hubs' transient rewards; still >= 51/53 on this orbit"},
         "tolerance": "none (exact)"},
        figs)


@claim("PS5", source=f"{SEED}, 'Conjecture'; RDSP Conj D.13 restricted to terminal options (proof sketch in details)",
       statement="For m dying vs n >= m living terminal choices, every orbit weakly prefers living with fraction at least "
                 "n/(n+m) (average reward), and distinct rewards attain n/(n+m) exactly; the copies theorem only gives "
                 "floor(n/m)/(floor(n/m)+1).",
       code=f"{CODE}::check_ps5")
def check_ps5(context: CheckContext) -> Evidence:
    table, all_ok, exhaustive_cases, formula_checks = [], True, 0, 0
    rng = np.random.default_rng(5)
    for n in range(1, 11):
        for mm in range(1, min(n, 4) + 1):
            mdp = terminal_choice(n, mm)
            N = mdp.n_states
            cert = copies_at(mdp, "start", ["die"], ["live"])
            dv = orbit_vote(mdp, "start", ["die"], ["live"], list(range(N)))
            if N <= 9:  # every order type of R^N when N <= 6
                fam = multisets(N, range(N)) if N <= 6 else [sorted(rng.integers(0, N, size=N).tolist()) for _ in range(40)]
                complete = N <= 6
            else:
                fam = [sorted(rng.integers(0, 4, size=N).tolist()) for _ in range(25)]
                complete = False
            worst = dv.weak_fraction_b
            for r in fam:
                v = orbit_vote(mdp, "start", ["die"], ["live"], r)
                formula_checks += 1
                if Fraction(v.a_strict, v.orbit_size) != terminal_fail_probability(r, n, mm):
                    all_ok = False
                worst = min(worst, v.weak_fraction_b)
            exhaustive_cases += len(fam) if complete else 0
            floor_n = n // mm
            row = {"n": n, "m": mm, "states": N, "certified_copies": cert.n, "copies_search": cert.search,
                   "proven_bound": _fs(Fraction(cert.n, cert.n + 1)), "conjectured": _fs(Fraction(n, n + mm)),
                   "distinct_rewards_weak_fraction": _fs(dv.weak_fraction_b),
                   "worst_weak_fraction": _fs(worst), "orbits_checked": len(fam) + 1,
                   "family": "all order types" if complete else ("40 random multisets of values 0..N-1" if N <= 9 else
                                                                 "25 random multisets of values 0..3")}
            all_ok &= (dv.weak_fraction_b == Fraction(n, n + mm) and worst == Fraction(n, n + mm)
                       and cert.n == floor_n and Fraction(cert.n, cert.n + 1) <= Fraction(n, n + mm))
            table.append(row)
    figs = context.figure("ps5_fractional_family.png", lambda p: plot_fractional_family(table, p))
    gap = max(table, key=lambda r: Fraction(r["conjectured"]) - Fraction(r["proven_bound"]))
    return Evidence(
        Status.VERIFIED if all_ok else Status.FAILED,
        f"For all {len(table)} pairs 1 <= m <= min(n, 4), n <= 10: distinct rewards give exactly n/(n+m) and the worst orbit "
        f"found equals n/(n+m); {formula_checks} exact votes agree with the independent hypergeometric formula; all order "
        f"types were exhausted for n+m+3 <= 6 ({exhaustive_cases} orbits). The engine certifies floor(n/m) copies; the "
        f"largest gain of the fractional law is at n={gap['n']}, m={gap['m']}: {gap['conjectured']} vs {gap['proven_bound']}. "
        f"Proof sketch for every reward: see details.",
        "exact",
        {"criterion": AVERAGE, "counted_over": COUNTED, "table": table, "proof_sketch": _fractional_proof_sketch(),
         "status_note": "verified, not proved: the proof sketch is a human argument; the computation checks it exactly on the "
                        "stated cases (exhaustively over order types where marked)",
         "tolerance": "none (exact)"},
        figs)


# --- PS6: the scaling law on every shipped MDP and on random MDPs ----------------------------

_SKIP = {("gridworld", "r1c0"), ("gridworld", "r0c1")}  # copy search takes ~15-20 s each (VF2 over 56 lassos)


@claim("PS6", source=f"{SEED}, 'Scaling law for instrumental convergence'; OPTTSP Thm 6.13; RDSP Thm D.11",
       statement="Whenever B contains n certified copies of ND(A), every orbit has #(B strictly better) >= n #(A strictly "
                 "better), hence a weak fraction >= n/(n+1) (average reward with RSD copies; discounted and Blackwell with "
                 "visit-distribution copies).",
       code=f"{CODE}::check_ps6")
def check_ps6(context: CheckContext) -> Evidence:
    cases, violations, per_file, skipped_total = 0, [], {}, 0
    small_values = [[0, 1], [0, 1, 2], [0, 0, 1, 2]]
    for name in shipped_mdp_names():
        mdp = shipped_mdp(name)
        s = mdp.start or mdp.states[0]
        acts = mdp.actions(s)
        entry = []
        for a in acts:
            b = [x for x in acts if x != a]
            if not b or (name, a) in _SKIP:
                continue
            cert = context.cached("ps:live51_copies", lambda: copies_at(mdp, s, [a], b)) if (name, a) == ("live51_die2", "die") \
                else copies_at(mdp, s, [a], b)
            if cert.n == 0:
                entry.append({"A": [a], "n": 0})
                continue
            N = mdp.n_states
            rewards = [sorted(vals + [vals[0]] * (N - len(vals))) for vals in small_values] + [sorted(range(N))[:N]]
            votes, skipped = votes_over(mdp, s, [a], b, rewards, limit=100_000)
            skipped_total += skipped
            for r, v in votes:
                cases += 1
                if not v.meets(cert.n):
                    violations.append({"mdp": f"{name}.toml", "A": [a], "n": cert.n, **vote_json(v, r)})
            entry.append({"A": [a], "n": cert.n, "orthogonal": cert.orthogonal, "orbits": len(votes), "skipped": skipped,
                          "min_weak_fraction_b": _fs(min(v.weak_fraction_b for _, v in votes)) if votes else None})
        per_file[f"{name}.toml"] = entry
    # random deterministic MDPs, three criteria
    rng = np.random.default_rng(6)
    random_cases, random_mdps = 0, 0
    crits = [Average(), Blackwell(), Discounted(Fraction(1, 2))]
    for seed in range(120):
        mdp = random_deterministic(6 + seed % 2, seed=seed, max_out=3, p_self=0.6)
        acts = mdp.actions("s0")
        if len(acts) < 2:
            continue
        crit = crits[seed % 3]
        cert = copies_at(mdp, "s0", [acts[0]], list(acts[1:]), crit)
        if cert.n == 0:
            continue
        random_mdps += 1
        for _ in range(2):
            r = rng.integers(0, 4, size=mdp.n_states).tolist()
            v = orbit_vote(mdp, "s0", [acts[0]], list(acts[1:]), r, crit)
            random_cases += 1
            if not v.meets(cert.n):
                violations.append({"mdp": f"random_deterministic({mdp.n_states}, seed={seed})", "criterion": crit.describe(),
                                   "n": cert.n, **vote_json(v, r)})
    ok = not violations
    return Evidence(
        Status.VERIFIED if ok else Status.FAILED,
        f"Shipped MDPs: {cases} exact orbits over every (start, single action vs the rest) pair with certified copies; random "
        f"MDPs: {random_cases} orbits on {random_mdps} random 6-7 state MDPs with certified copies (average / Blackwell / "
        f"discounted 1/2 in turn). Violations of #B strict >= n #A strict: {len(violations)}.",
        "exact",
        {"criterion": "average (RSD copies) on shipped MDPs; average, Blackwell, discounted(1/2) (visit-distribution copies) on random ones",
         "counted_over": COUNTED, "shipped": per_file, "skipped_pairs": [list(p) for p in sorted(_SKIP)],
         "skipped_reason": "copy search on gridworld moves takes 15-20 s each; the stay action is checked",
         "orbits_skipped_over_limit": skipped_total,
         "random_family": "random_deterministic(6 or 7, seed 0..119, max_out=3, p_self=0.6), A = first action at s0, B = the rest; "
                          "2 reward vectors per MDP with iid values in {0,1,2,3} (numpy seed 6)",
         "violations": violations[:10], "tolerance": "none (exact)"})


# --- PS7: decision rules ---------------------------------------------------------------------

@claim("PS7", source="RDSP Prop A.11 / Thm A.13; spec §3",
       statement="The same >=^n_most relation holds for IsOptimal, FracOptimal, AntiOpt, Boltzmann(T), best-of-k, "
                 "Satisfice(t) and the uniform quantiliser when the involutions fix the full option set C.",
       code=f"{CODE}::check_ps7")
def check_ps7(context: CheckContext) -> Evidence:
    rules = [FracOptimal(), AntiOpt(), Boltzmann(0.1), Boltzmann(1.0), Boltzmann(10.0), BestOfK(2), BestOfK(5),
             Satisfice(1.5), UniformQuantiliser(0.5), UniformQuantiliser(1 / 3)]
    out, ok, cases = {}, True, 0
    for name, a, b, fam in [("wait", ["candy"], ["wait"], multisets(5, range(4))),
                            ("opttsp_figure1", ["shutdown"], ["left", "right"],
                             [[0] * 8 + [1, 2, 3], [0] * 9 + [1, 1], [0] * 6 + [1, 1, 2, 2, 3], [0] * 7 + [1, 2, 2, 3]])]:
        m = shipped_mdp(name)
        cert = copies_at(m, "start", a, b)
        C = frozenset(f.rsd() for f in options(m, "start", a + b))
        fixes_C = all(phi.apply_set(C) == C for phi in cert.involutions)
        res = {"copies": cert.n, "involutions_fix_C": fixes_C, "rules": {}}
        for rule in rules:
            votes, skipped = votes_over(m, "start", a, b, fam, rule=rule, limit=200_000)
            bad = [(r, v) for r, v in votes if not v.meets(cert.n)]
            cases += len(votes)
            wr, wv = _worst(votes)
            res["rules"][repr(rule)] = {"orbits": len(votes), "skipped": skipped, "violations": len(bad),
                                        "min_weak_fraction_b": _fs(wv.weak_fraction_b), "worst": vote_json(wv, wr)}
            ok &= not bad and fixes_C
        out[name] = res
    return Evidence(
        Status.VERIFIED if ok else Status.FAILED,
        f"{len(rules)} decision rules x (wait: {len(multisets(5, range(4)))} reward multisets; figure-1: 4): {cases} exact orbit "
        f"votes, all with #B favoured >= n #A favoured (n = 2 and 5; the certified involutions fix C). Minimum weak fractions: "
        + ", ".join(f"{k}: {v['min_weak_fraction_b']}" for k, v in out["wait"]["rules"].items()) + " (wait). The quantiliser splits ties at its quantile boundary equally (an earlier version broke "
        "them by option order and then failed the relation on 55 of 56 multisets).",
        "exact",
        {"criterion": "average reward; a rule compares P(A|C) with P(B|C) per orbit element",
         "tolerance": "rule probabilities are floating point, compared with absolute tolerance 1e-12 (engine _rules._TOL)",
         "counted_over": COUNTED, "results": out})


# --- PS8: criteria ---------------------------------------------------------------------------

@claim("PS8", source="spec §4 (pitfalls); OPTTSP §6 (average vs discounted); RDSP Thm D.11 hypotheses",
       statement="Documented limit of the theorem: under discounted or Blackwell optimality the weak fraction can fall below "
                 "the average-reward bound n/(n+1), and at small gamma an orbit can favour the set with fewer options.",
       code=f"{CODE}::check_ps8")
def check_ps8(context: CheckContext) -> Evidence:
    w = shipped_mdp("wait")
    tied = [0, 0, 1, 1, 0]
    avg_t = orbit_vote(w, "start", ["candy"], ["wait"], tied, Average())
    bw_t = orbit_vote(w, "start", ["candy"], ["wait"], tied, Blackwell())
    gammas = [Fraction(k, 20) for k in range(0, 20)] + [Fraction(99, 100)]
    distinct = [1, 2, 3, 4, 5]
    disc = [orbit_vote(w, "start", ["candy"], ["wait"], distinct, Discounted(g)) for g in gammas]
    below = [(g, v) for g, v in zip(gammas, disc) if v.weak_fraction_b < Fraction(2, 3)]
    m = MDP.from_successors({"s": ["a", "b1", "b2"], "a": ["x", "y", "z"], "b1": ["b1"], "b2": ["b2"],
                             "x": ["x"], "y": ["y"], "z": ["z"]}, name="three_vs_two")
    r7 = list(range(7))
    avg7 = orbit_vote(m, "s", ["a"], ["b1", "b2"], r7, Average())
    small7 = orbit_vote(m, "s", ["a"], ["b1", "b2"], r7, Discounted(Fraction(1, 10)))
    vd_copies = copies_at(w, "start", ["candy"], ["wait"], Blackwell())
    ok = (bw_t.weak_fraction_b < Fraction(2, 3) <= avg_t.weak_fraction_b and below
          and small7.b_strict > small7.a_strict and avg7.weak_fraction_a == Fraction(3, 5))
    figs = context.figure("ps8_criteria_bars.png", lambda p: plot_orbit_bars(
        [{"label": "tied (0,0,1,1,0): average", "vote": avg_t, "bound": Fraction(2, 3)},
         {"label": "tied (0,0,1,1,0): Blackwell", "vote": bw_t, "bound": Fraction(2, 3)},
         {"label": "1..5: discounted 1/2", "vote": disc[10], "bound": Fraction(2, 3)},
         {"label": "1..5: discounted 1/10", "vote": disc[2], "bound": Fraction(2, 3)},
         {"label": "1..5: discounted 99/100", "vote": disc[-1], "bound": Fraction(2, 3)}],
        p, title="wait: the same orbits under three criteria (bound 2/3 is for average reward)"))
    figs += context.figure("ps8_weak_fraction_vs_gamma.png", lambda p: plot_weak_fraction_vs_gamma(
        w, "start", ["candy"], ["wait"], distinct, p, gammas=gammas, bound=Fraction(2, 3),
        title="wait, reward (1,2,3,4,5): weak fraction for Wait! vs gamma"))
    return Evidence(
        Status.VERIFIED if ok else Status.FAILED,
        f"Wait, tied reward (0,0,1,1,0): average {_fs(avg_t.weak_fraction_b)} >= 2/3 but Blackwell {_fs(bw_t.weak_fraction_b)} "
        f"< 2/3 (the transient reward on 'wait' breaks the tie). Distinct rewards 1..5: discounted weak fraction < 2/3 for "
        f"{len(below)} of {len(gammas)} gammas (e.g. gamma=1/2: {_fs(disc[10].weak_fraction_b)}). Three-vs-two terminals: "
        f"average prefers the 3 options ({_fs(avg7.weak_fraction_a)}) but at gamma=1/10 the 2-option set wins "
        f"{small7.b_strict} vs {small7.a_strict}. The theorem is not refuted: its hypotheses are average reward with RSD copies; "
        f"at the visit-distribution level the engine certifies {vd_copies.n} copies here.",
        "exact",
        {"criteria_compared": ["average", "Blackwell (Laurent coefficients at gamma -> 1)", "discounted(gamma), exact rational gamma"],
         "counted_over": COUNTED, "tied_average": vote_json(avg_t, tied), "tied_blackwell": vote_json(bw_t, tied),
         "gamma_sweep_distinct_1_to_5": {_fs(g): vote_json(v) for g, v in zip(gammas, disc)},
         "gammas_below_bound": [_fs(g) for g, _ in below],
         "three_vs_two": {"average": vote_json(avg7, r7), "discounted_1_10": vote_json(small7, r7)},
         "visit_distribution_copies_wait": vd_copies.n,
         "framing": "limit of the theorem (its hypotheses require the average-reward criterion), not a refutation",
         "tolerance": "none (exact)"},
        figs)


# --- PS9 (strict) and PS14 (fractional, beyond terminals): conjectures, via the lab ----------

def _short_families(res) -> str:
    """Family names without their long descriptions, keeping the 'partial' marker of a cut family."""
    return "; ".join(f.split(" (")[0] + (" [partial: case cap]" if "partial" in f else "") for f in res.families)


def _lab_run(context, name, **kwargs):
    """A lab search bounded only by counts and seeded, so the evidence is the same on every run."""
    from workbench.power._lab.conjectures import run_search

    return context.cached(f"ps:lab:{name}", lambda: run_search(name, **kwargs))


def _lab_terms(res) -> str:
    """The seed, caps and counts that produced a lab result, for the evidence text."""
    return f"lab run: {res.settings_text()}; {res.stop_text()}"


@claim("PS9", source=f"{SEED}, 'Conjecture which I think I see how to prove'", expected_to_hold=False,
       statement="Strict version: for almost all reward functions (generic rewards, no ties), B is strictly better for at "
                 "least n/(n+1) of the orbit whenever B contains n certified copies of ND(A) (average reward).",
       code=f"{CODE}::check_ps9 and workbench/power/_lab/conjectures.py (strict, strict-disjoint)")
def check_ps9(context: CheckContext) -> Evidence:
    res = _lab_run(context, "strict", max_states=4, seed=9, max_cases=2_000, hypothesis_examples=40)
    dis = _lab_run(context, "strict-disjoint", max_states=4, seed=9, max_cases=800, random_pairs=4_000,
                   hypothesis_examples=0, order=("structured", "exhaustive", "random"))
    details = {"criterion": AVERAGE, "conjecture": res.statement, "lab_strict": res.to_json(),
               "restricted_conjecture": dis.statement, "lab_strict_disjoint": dis.to_json(),
               "what_was_tested": "generic rewards = distinct random rationals (9-digit numerators); exact orbit votes",
               "argument_for_the_restricted_version": (
                   "If no RSD is reachable through both A and B, then for a reward drawn from any distribution with a density "
                   "no orbit element makes two distinct RSD vectors tie (each tie is a hyperplane), so a.s. the strict and "
                   "weak fractions coincide and RDSP Thm D.11 gives the strict bound. A shared RSD ties on a set of positive "
                   "measure, which is how the literal statement fails.")}
    if res.counterexample is not None:
        cx = res.counterexample
        figs = context.figure("ps9_strict_counterexample.png", lambda q: plot_counterexample(
            cx, q, title="strict law: A and B share RSDs, so ties have positive measure"))
        return Evidence(
            Status.REFUTED,
            f"Literal reading refuted: {cx['summary']} (reproduce: {cx['command']}; {_lab_terms(res)}); A and B share "
            f"RSDs, so ties have positive measure. Restricted to option sets with no shared RSD: no counterexample in "
            f"{dis.cases_checked} cases ({_short_families(dis)}; {_lab_terms(dis)}), and a short argument (details) derives "
            f"it from Thm D.11.",
            "search", details, figs)
    return Evidence(
        Status.OPEN,
        f"No counterexample in {res.cases_checked} cases of families {'; '.join(res.families)} ({_lab_terms(res)}); "
        f"restricted version: {dis.cases_checked} cases ({_lab_terms(dis)}).",
        "search", details)


# --- PS10: invariances -----------------------------------------------------------------------

def substitute_terminals(mdp: MDP, terminals, gadget: dict, *, name=None) -> MDP:
    """Replace each terminal ``x`` in ``terminals`` by a copy of ``gadget`` (``{local: [local
    successors]}``, entered at its first state): ``x`` moves to the gadget's entry successors.
    The seed's "replace each circled subset by the same new set"."""
    succ = {}
    for s in mdp.states:
        if s in terminals:
            continue
        succ[s] = [next(iter(d)) for d in mdp.transitions[s].values()]
    entry = next(iter(gadget))
    for x in terminals:
        succ[x] = [f"{x}_{t}" for t in gadget[entry]]
        for loc, nxt in gadget.items():
            if loc != entry:
                succ[f"{x}_{loc}"] = [f"{x}_{t}" if t != entry else x for t in nxt]
    return MDP.from_successors(succ, name=name or f"{mdp.name}_substituted", start=mdp.start,
                               description=f"{mdp.name} with {sorted(terminals)} replaced by a gadget")


@claim("PS10", source=f"{SEED}, 'Invariances'",
       statement="1 option vs n and 2 vs 2n give the same bound n/(n+1) (and the same worst orbit); replacing each circled "
                 "subset by the same new set keeps the law.",
       code=f"{CODE}::check_ps10")
def check_ps10(context: CheckContext) -> Evidence:
    rows, ok = [], True
    for n in (2, 3):
        m1, m2 = terminal_choice(n, 1), terminal_choice(2 * n, 2)
        c1 = copies_at(m1, "start", ["die"], ["live"])
        c2 = copies_at(m2, "start", ["die"], ["live"])
        fam1 = multisets(m1.n_states, range(m1.n_states)) if m1.n_states <= 7 else None
        w1 = min(orbit_vote(m1, "start", ["die"], ["live"], r).weak_fraction_b for r in fam1)
        rng = np.random.default_rng(n)
        fam2 = [sorted(rng.integers(0, 5, size=m2.n_states).tolist()) for _ in range(40)] + [list(range(m2.n_states))]
        w2 = min(orbit_vote(m2, "start", ["die"], ["live"], r).weak_fraction_b for r in fam2)
        d1 = orbit_vote(m1, "start", ["die"], ["live"], list(range(m1.n_states))).weak_fraction_b
        d2 = orbit_vote(m2, "start", ["die"], ["live"], list(range(m2.n_states))).weak_fraction_b
        same = c1.n == c2.n == n and d1 == d2 == w1 == w2 == Fraction(n, n + 1)
        ok &= same
        rows.append({"n": n, "copies_1_vs_n": c1.n, "copies_2_vs_2n": c2.n, "distinct_1_vs_n": _fs(d1), "distinct_2_vs_2n": _fs(d2),
                     "worst_1_vs_n_all_order_types": _fs(w1), "worst_2_vs_2n_over_41_orbits": _fs(w2), "equal": same})
    # substitution: every terminal of the wait MDP replaced by (vertex + 2-cycle)
    w = shipped_mdp("wait")
    gadget = {"in": ["v", "p"], "v": ["v"], "p": ["q"], "q": ["p"]}
    ws = substitute_terminals(w, ["candy", "chocolate", "hug"], gadget, name="wait_substituted")
    cs = copies_at(ws, "start", ["candy"], ["wait"])
    N = ws.n_states
    tails = [list(t) for j in range(1, 4) for t in itertools.combinations_with_replacement([1, 2, 3], j)]
    fam = [[0] * (N - len(t)) + t for t in tails] + [[0] * (N - 4) + [1, 1, 2, 2]]
    votes, skipped = votes_over(ws, "start", ["candy"], ["wait"], fam, limit=200_000)
    sub_ok = cs.n == 2 and all(v.meets(2) for _, v in votes) and not skipped
    ok &= sub_ok
    wr, wv = _worst(votes)
    figs = context.figure("ps10_substituted_involutions.png",
                   lambda p: plot_involutions(ws, "start", ["candy"], ["wait"], p, cert=cs,
                                              title="wait with every terminal replaced by (vertex + 2-cycle): still 2 copies"))
    return Evidence(
        Status.VERIFIED if ok else Status.FAILED,
        f"1 vs n and 2 vs 2n (n = 2, 3): both certify n copies and both have worst orbit and distinct-reward fraction exactly "
        f"n/(n+1) ({', '.join(r['distinct_1_vs_n'] for r in rows)}). Replacing candy, chocolate and hug by the same "
        f"vertex+2-cycle gadget ({N} states): still {cs.n} certified copies, {len(votes)} orbits all meet >=^2_most, minimum "
        f"weak fraction {_fs(wv.weak_fraction_b)} >= 2/3.",
        "exact",
        {"criterion": AVERAGE, "counted_over": COUNTED, "one_vs_n_table": rows,
         "substitution": {"gadget": gadget, "copies": _cert_json(cs), "orbits": len(votes), "skipped": skipped,
                          "worst": vote_json(wv, wr)},
         "tolerance": "none (exact)"},
        figs)


# --- PS11, PS12: caveats ---------------------------------------------------------------------

@claim("PS11", source=f"{SEED}, caveats ('state-action versus state-based reward functions')",
       statement="With state-action rewards the orbit acts on (state, action) pairs, so the counts change; converting to "
                 "the pair MDP and certifying copies there restores a bound.",
       code=f"{CODE}::check_ps11")
def check_ps11(context: CheckContext) -> Evidence:
    from workbench.power._orbits.domains import state_action_orbit_vote

    m = MDP.from_successors({"s": ["x", "y"], "x": ["x"], "y": ["y", "z"], "z": ["y"]}, name="stay_or_cycle",
                            description="A = terminal x; B = y, which can stay or run the 2-cycle y <-> z", start="s")
    sb = orbit_vote(m, "s", ["x"], ["y"], [0, 1, 2, 3])
    cs = copies_at(m, "s", ["x"], ["y"])
    m2 = state_action_mdp(m)
    sa = state_action_orbit_vote(m, "s", ["x"], ["y"], list(range(m2.n_states)))
    # copies in the pair MDP: RSDs from s|x against RSDs from s|y
    A2 = [f.rsd() for f in options(m2, "s|x", m2.actions("s|x"))]
    B2 = [f.rsd() for f in options(m2, "s|y", m2.actions("s|y"))]
    c2 = find_copies(A2, B2, m2.states)
    rng = np.random.default_rng(11)
    fam = [rng.integers(0, 4, size=m2.n_states).tolist() for _ in range(30)]
    sa_votes = [state_action_orbit_vote(m, "s", ["x"], ["y"], r) for r in fam]
    sa_ok = all(v.b_strict >= c2.n * v.a_strict for v in sa_votes)
    w = shipped_mdp("wait")
    w_sb = orbit_vote(w, "start", ["candy"], ["wait"], [1, 2, 3, 4, 5])
    w_sa = state_action_orbit_vote(w, "start", ["candy"], ["wait"], [1, 2, 3, 4, 5, 6, 7])
    changed = (sb.orbit_size, sb.weak_fraction_b) != (sa.orbit_size, sa.weak_fraction_b)
    ok = changed and sa_ok and c2.n >= 1 and sb.meets(cs.n)
    return Evidence(
        Status.VERIFIED if ok else Status.FAILED,
        f"Worked example (s -> x terminal, or y which can stay or cycle y<->z): state rewards 0..3 give orbit {sb.orbit_size}, "
        f"B weak fraction {_fs(sb.weak_fraction_b)}; state-action rewards 0..{m2.n_states - 1} on the {m2.n_states} pairs give "
        f"orbit {sa.orbit_size}, weak fraction {_fs(sa.weak_fraction_b)}. In the pair MDP the engine certifies {c2.n} copy "
        f"and all {len(fam)} sampled state-action orbits meet >=^{c2.n}_most. Wait: {_fs(w_sb.weak_fraction_b)} of "
        f"{w_sb.orbit_size} (states) vs {_fs(w_sa.weak_fraction_b)} of {w_sa.orbit_size} (pairs).",
        "exact",
        {"criterion": AVERAGE, "tolerance": "none (exact)", "counted_over": COUNTED,
         "mdp": m.to_json(), "state_domain": vote_json(sb, [0, 1, 2, 3]), "state_copies": _cert_json(cs),
         "pair_states": list(m2.states), "pair_domain": {**vote_json(sa), "domain": sa.domain},
         "pair_copies": _cert_json(c2), "pair_family": "30 reward vectors with iid values in {0..3} on the 6 pairs (seed 11)",
         "wait_states": vote_json(w_sb), "wait_pairs": {**vote_json(w_sa), "domain": w_sa.domain}})


@claim("PS12", source=f"{SEED}, caveats ('featurized reward functions')",
       statement="Featurized rewards can break the orbit argument: the permutations that make power-seeking optimal need not "
                 "respect the features, and the feature-weight orbit can fall below n/(n+1).",
       code=f"{CODE}::check_ps12")
def check_ps12(context: CheckContext) -> Evidence:
    w = shipped_mdp("wait")
    feats = {"start": [0, 0], "wait": [0, 0], "candy": [1, 0], "chocolate": [0, 1], "hug": [0, 1]}
    v = featurized_orbit_vote(w, "start", ["candy"], ["wait"], feats, [5, 1])
    feats3 = {"start": [0, 0, 0], "wait": [0, 0, 0], "candy": [1, 0, 0], "chocolate": [0, 1, 0], "hug": [0, 0, 1]}
    v3 = featurized_orbit_vote(w, "start", ["candy"], ["wait"], feats3, [5, 1, 2])
    ok = v.weak_fraction_b < Fraction(2, 3) and v3.weak_fraction_b >= Fraction(2, 3)
    return Evidence(
        Status.VERIFIED if ok else Status.FAILED,
        f"Wait with features (candy -> f0, chocolate and hug -> f1), weights (5, 1): the weight orbit has {v.orbit_size} "
        f"elements split {v.a_strict}:{v.b_strict}, weak fraction {_fs(v.weak_fraction_b)} < 2/3. With one feature per "
        f"terminal (a permutation-respecting featurization) the law is back: {_fs(v3.weak_fraction_b)}.",
        "exact",
        {"criterion": AVERAGE, "tolerance": "none (exact)", "counted_over": "distinct permutations of the feature weights",
         "family": "two worked examples (the orbit acts on feature weights, not on states)",
         "domain": v.domain, "shared_feature": vote_json(v, [5, 1]),
         "one_feature_per_terminal": vote_json(v3, [5, 1, 2]), "features": feats, "features_identity": feats3})


# --- PS13: POWER -----------------------------------------------------------------------------

@claim("PS13", source="OPTTSP Prop 6.6 and §5; spec §3 (k/(k+1) example)",
       statement="States with more options have more POWER: in the figure-1 MDP POWER(right) >= POWER(left) >= "
                 "POWER(shutdown) for every gamma (left's options have a copy inside right's), and k terminal 1-cycles give "
                 "POWER = k/(k+1) exactly.",
       code=f"{CODE}::check_ps13")
def check_ps13(context: CheckContext) -> Evidence:
    m = shipped_mdp("opttsp_figure1")
    gammas = [Fraction(k, 10) for k in range(11)]
    samples = 20_000
    cp = copies_at(m, "start", ["left"], ["right"])
    data = {}

    def compute(path=None):
        if path is not None:
            return plot_power_vs_gamma(m, ["shutdown", "left", "right", "start"], path, gammas=gammas, samples=samples)
        return {s: [power(m, s, g, samples=samples) for g in gammas] for s in ["shutdown", "left", "right", "start"]}

    holder = {}
    figs = context.figure("ps13_power_vs_gamma.png", lambda p: holder.setdefault("d", compute(p)))
    data = holder.get("d") or compute()
    rows, ok = [], True
    for i, g in enumerate(gammas):
        sh, le, ri = data["shutdown"][i], data["left"][i], data["right"][i]
        ri_lo = ri.power if ri.ci is None else ri.ci[0]
        good = sh.exact == Fraction(1, 2) and le.exact == Fraction(2, 3) and ri_lo > float(le.exact)
        ok &= good
        rows.append({"gamma": _fs(g), "shutdown": _fs(sh.exact), "left": _fs(le.exact),
                     "right": ri.power if ri.exact is None else _fs(ri.exact),
                     "right_ci95": list(ri.ci) if ri.ci else None, "ordered": good})
    stars = {(k, g): power(star(k), "s", g).exact for k in (1, 2, 5) for g in (Fraction(0), Fraction(1, 2), Fraction(1))}
    ok &= all(v == Fraction(k, k + 1) for (k, _), v in stars.items())
    return Evidence(
        Status.VERIFIED if ok else Status.FAILED,
        f"Figure-1 MDP, iid uniform [0,1] rewards, 11 gammas in [0, 1]: POWER(shutdown) = 1/2 and POWER(left) = 2/3 exactly; "
        f"POWER(right) (Monte Carlo, {samples} samples, 95% CI) has its lower CI above 2/3 at every gamma (from "
        f"{float(Fraction(rows[0]['right'])) if isinstance(rows[0]['right'], str) else rows[0]['right']:.4f} at gamma=0 to "
        f"{float(Fraction(rows[-1]['right'])) if isinstance(rows[-1]['right'], str) else rows[-1]['right']:.4f} at gamma=1). {cp.n} certified copy of left's options in "
        f"right's. star(k): POWER = k/(k+1) exactly for k = 1, 2, 5 at gamma 0, 1/2, 1.",
        "numeric",
        {"distribution": "iid uniform [0, 1]", "samples_per_point": samples, "seed": 0, "confidence": "95% normal CI",
         "gamma_limits": "gamma = 0 and 1 are continuous limits (next-state reward, best average reward), not literal evaluations",
         "table": rows, "left_in_right_copies": _cert_json(cp), "star_exact": {f"k={k}": "k/(k+1)" for k in (1, 2, 5)}},
        figs)


def _fractional_general_sketch() -> str:
    return ("Disjoint things (any shape). Let ND(A) be partitioned into m blocks and B contain n blocks, all m + n "
            "pairwise support-disjoint and each the image of X under an involution psi_i (restricted to supp X it is a "
            "bijection onto the block's support carrying X's options onto the block's). For a permutation pi of the m + n "
            "blocks, the state permutation g_pi mapping supp(block i) to supp(block pi(i)) by psi_pi(i) o psi_i^-1 (and "
            "fixing every other state) is a bijection of every orbit, and it permutes the blocks' best values. So the "
            "vector of block values is exchangeable over the orbit; A's value is the best A-block value (ND(A) is covered) "
            "and B's value is at least its best B-block value. By the terminal argument (PS5) the best block lies in B for "
            "at least n/(n+m) of the orbit. Hence the disjoint version holds; overlapping things break exchangeability "
            "(see PS16).")


@claim("PS14", source=f"{SEED}, 'Conjecture' (fractional scaling law); RDSP Conj D.13; spec §3", expected_to_hold=False,
       statement="Fractional law beyond terminal states: if A's non-dominated options are covered by m support-disjoint "
                 "involution-copies of a set X and B contains n >= m further support-disjoint copies of X, every orbit weakly "
                 "prefers B with fraction >= n/(n+m) (average reward); tested on cycles of different lengths and overlaps.",
       code=f"{CODE}::check_ps14 and workbench/power/_lab/conjectures.py (fractional)")
def check_ps14(context: CheckContext) -> Evidence:
    res = _lab_run(context, "fractional", max_states=2, seed=14, max_cases=1_000, hypothesis_examples=0,
                   order=("structured", "exhaustive"))
    details = {"criterion": AVERAGE, "conjecture": res.statement, "lab": res.to_json(),
               "proof_sketch_disjoint_case": _fractional_general_sketch(),
               "cases_with_m_at_least_2": sum(v for k, v in res.kinds.items() if not k.startswith("m=1,"))}
    if res.counterexample is not None:
        cx = res.counterexample
        return Evidence(Status.REFUTED,
                        f"Counterexample after {res.cases_checked} cases: {cx['summary']} (reproduce: {cx['command']}; "
                        f"{_lab_terms(res)}).",
                        "search", details)
    return Evidence(
        Status.OPEN,
        f"No counterexample in {res.cases_checked} exact orbits (hypotheses met; {details['cases_with_m_at_least_2']} "
        f"option-set pairs with m >= 2) of families: {_short_families(res)} ({_lab_terms(res)}). A proof sketch for "
        f"support-disjoint things is in the details (not machine-checked, hence open); with overlapping things the law "
        f"fails (PS16).",
        "search", details)


@claim("PS15", source="spec §4 (pitfalls) applied to RDSP Conj D.13", expected_to_hold=True,
       statement="Documented limit: the fractional law, like the proven law, is an average-reward statement; under discounted "
                 "optimality its conclusion fails already on 3-state MDPs (transient rewards decide at small gamma).",
       code=f"{CODE}::check_ps15 and workbench/power/_lab/conjectures.py::fractional-discounted")
def check_ps15(context: CheckContext) -> Evidence:
    res = _lab_run(context, "fractional-discounted", max_states=3, seed=15, max_cases=2_000, hypothesis_examples=0,
                   order=("exhaustive", "structured"))
    details = {"conjecture": res.statement, "lab": res.to_json()}
    if res.counterexample is None:
        return Evidence(Status.FAILED, f"No discounted shortfall found in {res.cases_checked} cases ({_lab_terms(res)}).",
                        "search", details)
    cx = res.counterexample
    return Evidence(
        Status.VERIFIED,
        f"The lab finds a minimal discounted shortfall after {res.cases_checked} cases: {cx['summary']} (reproduce: "
        f"{cx['command']}; {_lab_terms(res)}). A limit of the statement's criterion, not a refutation of the "
        f"average-reward conjecture.",
        "search", details)


@claim("PS16", source=f"{SEED}, 'Conjecture'; RDSP Conj D.13 with overlapping 'things'", expected_to_hold=False,
       statement="Fractional law when the things may overlap: if ND(A) is covered by m involution-copies of X and B contains "
                 "n >= m copies of X in the sense of spec §2 (copies may share states), every orbit weakly prefers B with "
                 "fraction >= n/(n+m).",
       code=f"{CODE}::check_ps16 and workbench/power/_lab/conjectures.py (fractional-overlap)")
def check_ps16(context: CheckContext) -> Evidence:
    res = _lab_run(context, "fractional-overlap", max_states=3, seed=16, max_cases=1_000, hypothesis_examples=0,
                   order=("structured", "exhaustive"))
    details = {"criterion": AVERAGE, "conjecture": res.statement, "lab": res.to_json()}
    if res.counterexample is None:
        return Evidence(Status.OPEN, f"No counterexample in {res.cases_checked} cases of families {'; '.join(res.families)} "
                        f"({_lab_terms(res)}).", "search", details)
    cx = res.counterexample
    figs = ()
    path = context.figure_path("ps16_overlap_counterexample.png")
    if path is not None:
        from workbench.power._mdp.mdp import loads_mdp

        m = loads_mdp(cx["mdp"])
        v = orbit_vote(m, cx["state"], cx["a"], cx["b"], [Fraction(x) for x in cx["reward"]])
        proven = copies_at(m, cx["state"], cx["a"], cx["b"]).bound
        plot_orbit_bars([{"label": "counterexample orbit", "vote": v, "bound": proven,
                          "conjecture": Fraction(cx["bound"])}], path,
                        title="fractional law with overlapping things: the orbit falls below n/(n+m) (dotted)")
        figs = ("figures/ps16_overlap_counterexample.png",)
        figs += context.figure("ps16_counterexample_mdp.png", lambda q: plot_counterexample(
            cx, q, title="fractional law with overlapping things: the certified copies of X (dashed) overlap"))
    return Evidence(
        Status.REFUTED,
        f"Refuted after {res.cases_checked} cases: {cx['summary']}. The B copies of X all share one state with A, which "
        f"satisfies spec §2's copy conditions but not disjointness (compare PS14). Reproduce: {cx['command']} "
        f"({_lab_terms(res)}).",
        "search", {**details, "counterexample_toml": cx["mdp"]}, figs)
