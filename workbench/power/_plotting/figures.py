"""Power-seeking figures: MDP drawings with certified involutions, orbit-vote bars, POWER and
weak fractions against gamma, the m-vs-n family (the figures of claims PS1-PS16)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from workbench._numbers import format_fraction as _fs
from workbench.power._orbits.copies import copies_at
from workbench.power._orbits.power import power
from workbench.power._orbits.votes import orbit_vote
from workbench.power._visits.criteria import Average, Blackwell, Discounted
from workbench.power._visits.visits import options


def _rs(r) -> list:
    return [_fs(x) for x in r]


def _plt():
    import matplotlib.pyplot as plt

    return plt


def plot_involutions(mdp, state, a, b, path, *, cert=None, title=None):
    """Draw ``mdp`` with the option sets of ``a`` / ``b`` filled and the certified involutions
    (copies of ND(A) in B, average reward) as coloured dashed arcs."""
    from workbench._io import save_figure
    from workbench.power._plotting.draw import draw_mdp

    cert = cert if cert is not None else copies_at(mdp, state, a, b)
    visits = options(mdp, state, list(a) + list(b))
    supp = lambda acts: sorted({x for f in visits if f.first_actions & set(acts) for x in f.support()} - {state})  # noqa: E731
    sets = {f"A = {','.join(a)}": supp(a), f"B = {','.join(b)}": [s for s in supp(b) if s not in supp(a)]}
    title = title or f"{mdp.name}: {cert.n} certified copies of ND(A) in B => bound {_fs(cert.bound)}"
    fig = draw_mdp(mdp, option_sets=sets, involutions=list(cert.involutions), title=title)
    return save_figure(fig, path)


def plot_counterexample(cx: dict, path, *, title=None):
    """Draw a conjecture-lab counterexample (``counterexample_record``) with its option sets and the
    involutions its hypotheses used (``copies_of_X_in_B`` or ``involutions``)."""
    from workbench._io import save_figure
    from workbench.power._orbits.copies import Involution
    from workbench.power._plotting.draw import draw_mdp
    from workbench.power._mdp.mdp import loads_mdp

    m = loads_mdp(cx["mdp"])
    hyp = cx.get("hypotheses", {})
    named = hyp.get("copies_of_X_in_B") or hyp.get("involutions") or []
    invs = [Involution(tuple((m.index(x), m.index(y)) for x, y in pairs)) for pairs in named if pairs]
    visits = options(m, cx["state"], cx["a"] + cx["b"])
    supp = lambda acts: sorted({x for f in visits if f.first_actions & set(acts) for x in f.support()} - {cx["state"]})  # noqa: E731
    fig = draw_mdp(m, option_sets={f"A = {','.join(cx['a'])}": supp(cx["a"]), f"B = {','.join(cx['b'])}": supp(cx["b"])},
                   involutions=invs, title=title or f"counterexample: {cx['summary'][:80]}")
    return save_figure(fig, path)


def plot_orbit_bars(rows, path, *, title="orbit votes against the bound", xmin: float = 0.0):
    """Stacked bars per orbit: fraction where B is strictly better / tie / A strictly better,
    with the proven bound (dashed) and an optional conjectured bound (dotted) per row.

    ``rows``: dicts with ``label``, ``vote`` (an OrbitVote), ``bound`` and optionally ``conjecture``.
    """
    from workbench._io import save_figure

    plt = _plt()
    fig, ax = plt.subplots(figsize=(8.5, 0.55 * len(rows) + 1.6))
    for i, row in enumerate(rows):
        v = row["vote"]
        tot = v.total
        b, t, a = v.b_strict / tot, v.tie / tot, v.a_strict / tot
        ax.barh(i, b, color="tab:green", label="B strictly better" if i == 0 else None)
        ax.barh(i, t, left=b, color="lightgray", label="tie (weakly B)" if i == 0 else None)
        ax.barh(i, a, left=b + t, color="tab:red", label="A strictly better" if i == 0 else None)
        ax.plot([float(row["bound"])] * 2, [i - 0.42, i + 0.42], "k--", lw=1.6,
                label="proven bound n/(n+1)" if i == 0 else None)
        if row.get("conjecture") is not None:
            ax.plot([float(row["conjecture"])] * 2, [i - 0.42, i + 0.42], color="tab:purple", ls=":", lw=2,
                    label="conjectured bound" if i == 0 else None)
        ax.text(1.01, i, f"weak B = {_fs(v.weak_fraction_b)}" if v.method == "exact" else f"weak B ~ {v.weak_fraction_b:.3f}",
                va="center", fontsize=7)
    ax.set_yticks(range(len(rows)), [r["label"] for r in rows], fontsize=7)
    ax.set_xlim(xmin, 1)
    ax.invert_yaxis()
    ax.set_xlabel("fraction of the orbit (distinct orbit elements, exact counts)"
                  + (f"; axis starts at {xmin:g}" if xmin else ""))
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7, loc="lower left", bbox_to_anchor=(0, 1.06), ncol=3, frameon=False)
    return save_figure(fig, path)


def plot_power_vs_gamma(mdp, states, path, *, gammas=None, samples=20_000, seed=0, title=None):
    """POWER(s, γ) on [0, 1] for several states (iid uniform [0, 1] rewards): exact where the
    engine has a closed form, otherwise Monte Carlo with 95% error bars (common random numbers
    across γ via a fixed seed)."""
    from workbench._io import save_figure

    plt = _plt()
    gammas = gammas if gammas is not None else [Fraction(k, 10) for k in range(11)]
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    data = {}
    for s in states:
        ests = [power(mdp, s, g, samples=samples, seed=seed) for g in gammas]
        y = np.array([e.power for e in ests])
        err = np.array([0.0 if e.ci is None else (e.ci[1] - e.ci[0]) / 2 for e in ests])
        xs = [float(g) for g in gammas]
        ax.errorbar(xs, y, yerr=err, marker="o", ms=3, capsize=2, label=s)
        data[s] = ests
    ax.set_xlabel("gamma (0 and 1 are the continuous limits, not literal evaluations)")
    ax.set_ylabel("POWER(s, gamma), iid uniform [0, 1] rewards")
    ax.set_title(title or f"{mdp.name}: POWER against gamma ({samples} samples per point where not exact)", fontsize=9)
    ax.legend(fontsize=8)
    save_figure(fig, path)
    return data


def plot_weak_fraction_vs_gamma(mdp, state, a, b, reward, path, *, gammas, bound, title=None):
    """Weak fraction of B on one orbit under discounted(γ) for a γ grid, with the average-reward
    and Blackwell values and the average-reward bound."""
    from workbench._io import save_figure

    plt = _plt()
    disc = [orbit_vote(mdp, state, a, b, reward, Discounted(g)) for g in gammas]
    avg = orbit_vote(mdp, state, a, b, reward, Average())
    bw = orbit_vote(mdp, state, a, b, reward, Blackwell())
    fig, ax = plt.subplots(figsize=(6.5, 4.0))
    ax.plot([float(g) for g in gammas], [float(v.weak_fraction_b) for v in disc], "o-", ms=3, label="discounted(gamma)")
    ax.axhline(float(avg.weak_fraction_b), color="tab:green", label=f"average: {_fs(avg.weak_fraction_b)}")
    ax.axhline(float(bw.weak_fraction_b), color="tab:orange", ls="-.", label=f"Blackwell: {_fs(bw.weak_fraction_b)}")
    ax.axhline(float(bound), color="k", ls="--", label=f"average-reward bound {_fs(bound)}")
    ax.set_xlabel("gamma")
    ax.set_ylabel("weak fraction of the orbit preferring B")
    ax.set_title(title or f"{mdp.name}: reward {_rs(reward)}", fontsize=9)
    ax.legend(fontsize=7)
    save_figure(fig, path)
    return disc, avg, bw


def plot_fractional_family(table, path):
    """For the m-vs-n terminal family: exact worst-case weak fraction (= n/(n+m)) against the
    proven copies bound floor(n/m)/(floor(n/m)+1)."""
    from workbench._io import save_figure

    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    for m in sorted({row["m"] for row in table}):
        rows = [r for r in table if r["m"] == m]
        ns = [r["n"] for r in rows]
        ax.plot(ns, [float(Fraction(r["worst_weak_fraction"])) for r in rows], "o-", ms=4, label=f"m={m}: exact worst orbit")
        ax.plot(ns, [float(Fraction(r["proven_bound"])) for r in rows], "x--", ms=4, label=f"m={m}: proven copies bound")
    ax.set_xlabel("n (living terminal choices)")
    ax.set_ylabel("weak fraction preferring to live")
    ax.set_title("m dying vs n living terminals: exact worst case n/(n+m) vs floor(n/m)/(floor(n/m)+1)", fontsize=9)
    ax.legend(fontsize=6, ncol=2)
    return save_figure(fig, path)


