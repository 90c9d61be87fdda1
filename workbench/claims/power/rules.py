"""Claim PS7 of seed 001: the n-copies relation for decision rules other than optimality (RDSP
Prop A.11 / Thm A.13): FracOptimal, AntiOpt, Boltzmann, best-of-k, Satisfice and the uniform
quantiliser, by exact orbit votes."""

from __future__ import annotations

from workbench.claims._registry import CheckContext, Evidence, Step, StepKind, claim
from workbench.claims.power._shared import COUNTED, _fs, vote_json, multisets, votes_over, _worst
from workbench.power._orbits.copies import copies_at
from workbench.power._mdp.shipped import shipped_mdp
from workbench.power._orbits.rules import AntiOpt, BestOfK, Boltzmann, FracOptimal, Satisfice, UniformQuantiliser
from workbench.power._visits.visits import options

CODE = "workbench/claims/power/rules.py"

#: How a rule's votes are decided (``DecisionRule.arithmetic``): the vote's method and its longer text.
_ARITHMETIC = {
    "fractions": ("exact (rational arithmetic)",
                  "exact: floating point where |P(A|C) - P(B|C)| >= 1e-9, otherwise rational arithmetic (fractions)"),
    "mpmath": ("high precision (mpmath)",
               "decided at high precision: floating point where |P(A|C) - P(B|C)| >= 1e-9; otherwise ties exactly by "
               "Lindemann-Weierstrass and signs by mpmath at increasing precision"),
}


# --- PS7: decision rules ---------------------------------------------------------------------

@claim("PS7", source="RDSP Prop A.11 / Thm A.13; spec §3",
       statement="The same >=^n_most relation holds for IsOptimal, FracOptimal, AntiOpt, Boltzmann(T), best-of-k, "
                 "Satisfice(t) and the uniform quantiliser when the involutions fix the full option set C.",
       code=f"{CODE}::check_ps7")
def check_ps7(context: CheckContext) -> Evidence:
    rules = [FracOptimal(), AntiOpt(), Boltzmann(0.1), Boltzmann(1.0), Boltzmann(10.0), BestOfK(2), BestOfK(5),
             Satisfice(1.5), UniformQuantiliser(0.5), UniformQuantiliser(1 / 3)]
    out, fixes_all, cases = {}, True, 0
    # per arithmetic (rule.arithmetic): orbits and whether all met the relation
    by_arith = {"fractions": [0, True], "mpmath": [0, True]}
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
            worst = vote_json(wv, wr)
            worst["method"] = _ARITHMETIC[rule.arithmetic][0]
            res["rules"][repr(rule)] = {"orbits": len(votes), "skipped": skipped, "violations": len(bad),
                                        "min_weak_fraction_b": _fs(wv.weak_fraction_b), "worst": worst,
                                        "arithmetic": _ARITHMETIC[rule.arithmetic][1]}
            by_arith[rule.arithmetic][0] += len(votes)
            by_arith[rule.arithmetic][1] &= not bad
        fixes_all &= fixes_C
        out[name] = res
    exact_rules = [repr(r) for r in rules if r.arithmetic == "fractions"]
    mp_rules = [repr(r) for r in rules if r.arithmetic == "mpmath"]
    steps = (
        Step("the certified involutions fix C", StepKind.EXACT, "wait and figure-1 MDPs", fixes_all),
        Step("#B favoured >= n #A favoured on every orbit checked, each sign of P(A|C) - P(B|C) decided exactly "
             "(floating point only where the difference is at least 1e-9, otherwise rational arithmetic)", StepKind.EXACT,
             f"{len(exact_rules)} rules ({', '.join(exact_rules)}): {by_arith['fractions'][0]} orbits",
             by_arith["fractions"][1] and fixes_all),
        Step("the same for Boltzmann: ties decided exactly (Lindemann-Weierstrass), signs decided at high precision "
             "(mpmath at increasing precision, floating point where the difference is at least 1e-9)", StepKind.NUMERIC,
             f"{len(mp_rules)} rules ({', '.join(mp_rules)}): {by_arith['mpmath'][0]} orbits",
             by_arith["mpmath"][1] and fixes_all),
    )
    return Evidence(
        f"{len(rules)} decision rules x (wait: {len(multisets(5, range(4)))} reward multisets; figure-1: 4): {cases} exact orbit "
        f"votes, all with #B favoured >= n #A favoured (n = 2 and 5; the certified involutions fix C). Minimum weak fractions: "
        + ", ".join(f"{k}: {v['min_weak_fraction_b']}" for k, v in out["wait"]["rules"].items()) + " (wait). The quantiliser splits ties at its quantile boundary equally (an earlier version broke "
        "them by option order and then failed the relation on 55 of 56 multisets).",
        steps,
        {"criterion": "average reward; a rule compares P(A|C) with P(B|C) per orbit element",
         "tolerance": "none: C is the set of options; P(A|C) - P(B|C) is decided in floating point where it is at least "
                      "1e-9 and exactly otherwise (rational arithmetic; Boltzmann: ties by Lindemann-Weierstrass, signs "
                      "by mpmath at increasing precision)",
         "counted_over": COUNTED, "results": out})
