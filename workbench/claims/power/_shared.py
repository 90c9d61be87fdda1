"""Shared helpers of the power-seeking claims (seed 001): the criterion and counting texts of the
evidence, reward families, exact votes over a family, and the JSON forms of votes and certificates."""

from __future__ import annotations

import itertools
from fractions import Fraction

from workbench._errors import EnumerationTooLarge
from workbench.power._orbits.votes import Exact, orbit_vote

SEED = "seed 001 (Turner, 'A scaling law for instrumental convergence')"
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


# --- certificates (re-checked by workbench.certificates.check) --------------------------------

def _cycle(mdp, v) -> list:
    return [mdp.states[i] for i, x in enumerate(v) if x]


def non_domination_json(mdp, state, a) -> dict | None:
    """The RSD options of ``a`` with a witness each (re-checked by the certificate checker):
    ``options`` (cycle states; the RSD is uniform on them), ``vertices`` (option index and a
    reward, by state, absent states 0, making it the strict unique best average) and ``dominated``
    (option index and exact convex weights over the other options, summing to it). None for a
    stochastic MDP (whose RSDs are not uniform on a cycle)."""
    from workbench.power._visits.visits import options
    from workbench.power._visits.witnesses import non_domination_witnesses

    if not mdp.is_deterministic:
        return None
    rsd = list(dict.fromkeys(f.rsd() for f in options(mdp, state, a)))
    w = non_domination_witnesses(rsd)
    return {"level": "rsd", "options": [_cycle(mdp, v) for v in rsd],
            "vertices": [{"option": x.index, "reward": {mdp.states[k]: _fs(c) for k, c in enumerate(x.reward) if c}}
                         for x in w.vertices],
            "dominated": [{"option": x.index, "weights": {str(j): _fs(c) for j, c in x.weights}} for x in w.dominated],
            "undecided": list(w.undecided)}


def _copied_options(mdp, state, a) -> list | None:
    """The RSD options of ``a`` that ``copies_at`` copies (the non-dominated ones), as lists of
    cycle states; None for a stochastic MDP (whose RSDs are not uniform on a cycle)."""
    from workbench.power._visits.visits import non_dominated, options

    if not mdp.is_deterministic:
        return None
    rsd = list(dict.fromkeys(f.rsd() for f in options(mdp, state, a)))
    return [_cycle(mdp, rsd[k]) for k in non_dominated(rsd)]


def copies_certificate(mdp, state, a, b, cert) -> dict:
    """A copies certificate: the MDP, the option sets, the certified involutions and the
    non-domination witnesses of A's options (which options are copied and why the rest may be
    left out)."""
    from workbench.power._mdp.mdp import dumps_mdp

    return {"kind": "copies", "level": "rsd" if cert.level == "rsd" else cert.level, "mdp": dumps_mdp(mdp),
            "state": state, "a": list(a), "b": list(b), "a_options": _copied_options(mdp, state, a),
            "non_domination": non_domination_json(mdp, state, a) if cert.level == "rsd" else None,
            "n": cert.n, "involutions": [phi.named(cert.names) for phi in cert.involutions]}


def write_copies_certificate(context, name, mdp, state, a, b, cert) -> tuple:
    if cert.n == 0:
        return ()
    return context.certificate(name, copies_certificate(mdp, state, a, b, cert))


def write_counterexample_certificate(context, name, cx, *, fraction: str) -> tuple:
    """A lab counterexample (its MDP, reward and exact vote) with the copies behind its hypotheses."""
    from workbench.power._mdp.mdp import loads_mdp
    from workbench.power._orbits.copies import copies_at

    data = {"kind": "counterexample", "mdp": cx["mdp"], "state": cx["state"], "a": list(cx["a"]), "b": list(cx["b"]),
            "reward": [str(x) for x in cx["reward"]], "criterion": cx["criterion"], "vote": dict(cx["vote"]),
            "bound": str(cx["bound"]), "fraction": fraction}
    if "average" in cx["criterion"]:
        m = loads_mdp(cx["mdp"])
        cert = copies_at(m, cx["state"], cx["a"], cx["b"])
        if cert.n:
            data["copies"] = {k: v for k, v in copies_certificate(m, cx["state"], cx["a"], cx["b"], cert).items()
                              if k in ("level", "a_options", "non_domination", "n", "involutions")}
    return context.certificate(name, data)
