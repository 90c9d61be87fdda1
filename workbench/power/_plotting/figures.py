"""Power-seeking figures: MDP drawings with certified involutions, orbit-vote bars, POWER and
weak fractions against gamma, the m-vs-n family (the figures of claims PS1-PS16).

Every ``plot_*`` function draws on the matplotlib Axes given as ``ax`` (or on a new figure's
Axes when ``ax`` is None) and returns that Axes; nothing is saved here. To write a file, save
``ax.figure`` (``ax.figure.savefig("x.png")``); the command line and ``workbench verify`` do
this with an atomic write.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from workbench._axes import axes_or_new
from workbench._numbers import format_fraction as _fs
from workbench.power._orbits.copies import copies_at
from workbench.power._orbits.power import power
from workbench.power._orbits.power_methods import Auto
from workbench.power._orbits.votes import orbit_vote
from workbench.power._visits.criteria import Average, Blackwell, Discounted
from workbench.power._visits.visits import options


def _rs(r) -> list:
    return [_fs(x) for x in r]


def plot_involutions(mdp, state, a, b, *, cert=None, title=None, ax=None):
    r"""Draw ``mdp`` with the option sets of A and B filled and the certified involutions as arcs.

    The states reachable through the actions ``a`` (set A) and, in another colour, those reachable
    only through ``b`` (set B) are filled; each involution :math:`\phi_i` of the certificate (a
    copy :math:`\phi_i(\mathrm{ND}(A)) \subseteq B`, average reward) is drawn as dashed
    double arrows between the states it swaps. The title gives the number of copies n and the
    bound :math:`n/(n+1)` on the weak fraction of every orbit that prefers B.

    Parameters
    ----------
    mdp : MDP
    state : str
        The state where A and B are compared.
    a, b : list of str
        Actions at ``state`` that make up A and B.
    cert : CopiesCertificate, optional
        Default ``copies_at(mdp, state, a, b)``.
    title : str, optional
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default a new square figure sized by the number of states.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from workbench.power import plot_involutions, shipped_mdp
    >>> ax = plot_involutions(shipped_mdp("wait"), "start", ["candy"], ["wait"])
    >>> ax.get_title()
    'wait: 2 certified copies of ND(A) in B => bound 2/3'
    >>> plt.close(ax.figure)

    References
    ----------
    OPTTSP (Turner et al. 2021) Thm 6.13; RDSP (Turner & Tadepalli 2022) Thm D.11; seed 001,
    "Why this is true" (claims PS1-PS3, PS10).
    """
    from workbench.power._plotting.draw import draw_mdp

    cert = cert if cert is not None else copies_at(mdp, state, a, b)
    visits = options(mdp, state, list(a) + list(b))
    supp = lambda acts: sorted({x for f in visits if f.first_actions & set(acts) for x in f.support()} - {state})  # noqa: E731
    sets = {f"A = {','.join(a)}": supp(a), f"B = {','.join(b)}": [s for s in supp(b) if s not in supp(a)]}
    title = title or f"{mdp.name}: {cert.n} certified copies of ND(A) in B => bound {_fs(cert.bound)}"
    return draw_mdp(mdp, option_sets=sets, involutions=list(cert.involutions), title=title, ax=ax)


def plot_counterexample(cx: dict, *, title=None, ax=None):
    """Draw a conjecture-lab counterexample with its option sets and the involutions it used.

    Parameters
    ----------
    cx : dict
        A counterexample record of the conjecture lab (``SearchResult.counterexample``): the MDP
        as TOML, the state, the actions of A and B, and the hypotheses, whose
        ``copies_of_X_in_B`` or ``involutions`` (pairs of state names) are drawn as dashed arcs.
    title : str, optional
        Default: ``"counterexample: "`` and the start of the record's summary.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default a new square figure sized by the number of states.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from workbench.power import plot_counterexample, run_search
    >>> res = run_search("fractional-overlap", max_states=3, seed=16, max_cases=200, hypothesis_examples=0,
    ...                  order=("structured", "exhaustive"))
    >>> ax = plot_counterexample(res.counterexample)
    >>> ax.get_title()[:15]
    'counterexample:'
    >>> plt.close(ax.figure)

    References
    ----------
    Seed 001, "Conjecture" and "Conjecture which I think I see how to prove" (claims PS9, PS16);
    RDSP Conj D.13.
    """
    from workbench.power._orbits.copies import Involution
    from workbench.power._plotting.draw import draw_mdp
    from workbench.power._mdp.mdp import loads_mdp

    m = loads_mdp(cx["mdp"])
    hyp = cx.get("hypotheses", {})
    named = hyp.get("copies_of_X_in_B") or hyp.get("involutions") or []
    invs = [Involution(tuple((m.index(x), m.index(y)) for x, y in pairs)) for pairs in named if pairs]
    visits = options(m, cx["state"], cx["a"] + cx["b"])
    supp = lambda acts: sorted({x for f in visits if f.first_actions & set(acts) for x in f.support()} - {cx["state"]})  # noqa: E731
    return draw_mdp(m, option_sets={f"A = {','.join(cx['a'])}": supp(cx["a"]), f"B = {','.join(cx['b'])}": supp(cx["b"])},
                    involutions=invs, title=title or f"counterexample: {cx['summary'][:80]}", ax=ax)


def plot_orbit_bars(rows, *, title="orbit votes against the bound", xmin: float = 0.0, ax=None):
    r"""Draw one stacked bar per orbit: the fractions where B is strictly better, tie, A strictly better.

    Each bar splits the orbit of a reward function (distinct permuted reward vectors, exact
    counts) into B strictly better (green), tie (grey: weakly optimal for both) and A strictly
    better (red), so the weak fraction of B is green + grey (written at the right). A dashed mark
    gives the proven bound :math:`n/(n+1)` of the row and a dotted one an optional conjectured
    bound such as :math:`n/(n+m)`.

    Parameters
    ----------
    rows : list of dict
        ``{"label": str, "vote": OrbitVote, "bound": number, "conjecture": number (optional)}``,
        drawn top to bottom.
    title : str
    xmin : float
        Left end of the fraction axis (say 0.9 to separate bounds close to 1).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default a new figure 8.5 inches wide, 0.55 inch per row.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from workbench.power import copies_at, orbit_vote, plot_orbit_bars, shipped_mdp
    >>> m = shipped_mdp("wait")
    >>> v = orbit_vote(m, "start", ["candy"], ["wait"], [1, 2, 3, 4, 5])
    >>> ax = plot_orbit_bars([{"label": "distinct", "vote": v, "bound": copies_at(m, "start", ["candy"], ["wait"]).bound}])
    >>> [t.get_text() for t in ax.texts]
    ['weak B = 2/3']
    >>> plt.close(ax.figure)

    References
    ----------
    RDSP (Turner & Tadepalli 2022) Thm D.11 (the bound) and Conj D.13 (the fractional
    conjecture); seed 001, "Scaling law for instrumental convergence" (claims PS1-PS4, PS8, PS16).
    """
    ax = axes_or_new(ax, (8.5, 0.55 * len(rows) + 1.6))
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
    return ax


def plot_power_vs_gamma(mdp, states, *, gammas=None, samples=20_000, seed=0, estimates=None, title=None, ax=None):
    r"""Draw POWER(s, γ) against γ on [0, 1] for several states (iid uniform [0, 1] rewards).

    :math:`\mathrm{POWER}_D(s, \gamma) = \frac{1-\gamma}{\gamma}\,
    \mathbb{E}_{r \sim D}\big[\max_{f \in F(s)} (f(\gamma) - e_s)^\top r\big]` is exact where the engine has a closed form
    (k terminal 1-cycles give :math:`k/(k+1)`), otherwise Monte Carlo with 95% error bars
    (common random numbers across γ through the fixed ``seed``); γ = 0 and 1 are the
    continuous limits.

    Parameters
    ----------
    mdp : MDP
    states : list of str
        One curve per state.
    gammas : list of Fraction, optional
        Default 0, 1/10, ..., 1.
    samples, seed : int
        Monte Carlo draws per point and their seed (passed to :func:`power`).
    estimates : dict, optional
        ``{state: [PowerEstimate per gamma]}`` already computed with
        ``power(mdp, state, g, Auto(samples=samples, seed=seed))``; drawn instead of recomputing.
    title : str, optional
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default a new 6.5 x 4.2 inch figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from workbench.power import plot_power_vs_gamma, star
    >>> ax = plot_power_vs_gamma(star(3), ["s"], gammas=[0, 1])
    >>> ax.lines[0].get_ydata().tolist()
    [0.75, 0.75]
    >>> plt.close(ax.figure)

    References
    ----------
    OPTTSP (Turner et al. 2021) §5 (POWER) and Prop 6.6 (claim PS13); spec ``power_seeking.md`` §1.
    """
    gammas = gammas if gammas is not None else [Fraction(k, 10) for k in range(11)]
    ax = axes_or_new(ax, (6.5, 4.2))
    for s in states:
        ests = estimates[s] if estimates is not None else [power(mdp, s, g, Auto(samples=samples, seed=seed)) for g in gammas]
        y = np.array([e.power for e in ests])
        err = np.array([0.0 if e.ci is None else (e.ci[1] - e.ci[0]) / 2 for e in ests])
        xs = [float(g) for g in gammas]
        ax.errorbar(xs, y, yerr=err, marker="o", ms=3, capsize=2, label=s)
    ax.set_xlabel("gamma (0 and 1 are the continuous limits, not literal evaluations)")
    ax.set_ylabel("POWER(s, gamma), iid uniform [0, 1] rewards")
    ax.set_title(title or f"{mdp.name}: POWER against gamma ({samples} samples per point where not exact)", fontsize=9)
    ax.legend(fontsize=8)
    return ax


def plot_weak_fraction_vs_gamma(mdp, state, a, b, reward, *, gammas, bound, title=None, ax=None):
    """Draw the weak fraction of B on one orbit under discounted(γ) against γ, with the
    average-reward and Blackwell values and the average-reward bound as horizontal lines.

    The n/(n+1) law is an average-reward statement: under discounting the weak fraction can dip
    below the bound.

    Parameters
    ----------
    mdp : MDP
    state : str
    a, b : list of str
        Actions at ``state`` that make up A and B.
    reward : list of numbers
        The reward vector whose orbit is counted (one value per state).
    gammas : list of Fraction
        Discount factors in [0, 1).
    bound : number
        The average-reward bound to draw (dashed).
    title : str, optional
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default a new 6.5 x 4 inch figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from fractions import Fraction
    >>> from workbench.power import plot_weak_fraction_vs_gamma, shipped_mdp
    >>> ax = plot_weak_fraction_vs_gamma(shipped_mdp("wait"), "start", ["candy"], ["wait"], [1, 2, 3, 4, 5],
    ...                                  gammas=[Fraction(1, 2), Fraction(9, 10)], bound=Fraction(2, 3))
    >>> [t.get_text() for t in ax.get_legend().get_texts()][1:]
    ['average: 2/3', 'Blackwell: 2/3', 'average-reward bound 2/3']
    >>> plt.close(ax.figure)

    References
    ----------
    Spec ``power_seeking.md`` §4 (pitfalls); OPTTSP (Turner et al. 2021) §6 (claim PS8).
    """
    disc = [orbit_vote(mdp, state, a, b, reward, Discounted(g)) for g in gammas]
    avg = orbit_vote(mdp, state, a, b, reward, Average())
    bw = orbit_vote(mdp, state, a, b, reward, Blackwell())
    ax = axes_or_new(ax, (6.5, 4.0))
    ax.plot([float(g) for g in gammas], [float(v.weak_fraction_b) for v in disc], "o-", ms=3, label="discounted(gamma)")
    ax.axhline(float(avg.weak_fraction_b), color="tab:green", label=f"average: {_fs(avg.weak_fraction_b)}")
    ax.axhline(float(bw.weak_fraction_b), color="tab:orange", ls="-.", label=f"Blackwell: {_fs(bw.weak_fraction_b)}")
    ax.axhline(float(bound), color="k", ls="--", label=f"average-reward bound {_fs(bound)}")
    ax.set_xlabel("gamma")
    ax.set_ylabel("weak fraction of the orbit preferring B")
    ax.set_title(title or f"{mdp.name}: reward {_rs(reward)}", fontsize=9)
    ax.legend(fontsize=7)
    return ax


def plot_fractional_family(table, *, ax=None):
    r"""Draw, for the m-vs-n terminal family, the exact worst weak fraction against the proven bound.

    In ``terminal_choice(n, m)`` (m dying, n living terminal choices) the worst orbit's weak
    fraction for living is :math:`n/(n+m)` (the fractional conjecture, tight here), while the
    copies theorem certifies only :math:`\lfloor n/m \rfloor` copies, hence the bound
    :math:`\lfloor n/m \rfloor / (\lfloor n/m \rfloor + 1)`. One pair of curves per m.

    Parameters
    ----------
    table : list of dict
        Rows with ``n``, ``m``, ``worst_weak_fraction`` and ``proven_bound`` (fractions as
        strings such as ``"2/3"``), as in the details of claim PS5.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default a new 6.5 x 4.2 inch figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from workbench.power import plot_fractional_family
    >>> table = [{"n": n, "m": 2, "worst_weak_fraction": f"{n}/{n + 2}", "proven_bound": f"{n // 2}/{n // 2 + 1}"}
    ...          for n in (2, 3, 4)]
    >>> ax = plot_fractional_family(table)
    >>> len(ax.lines)
    2
    >>> plt.close(ax.figure)

    References
    ----------
    RDSP (Turner & Tadepalli 2022) Thm D.11 and Conj D.13; seed 001, "Conjecture" (claim PS5).
    """
    ax = axes_or_new(ax, (6.5, 4.2))
    for m in sorted({row["m"] for row in table}):
        rows = [r for r in table if r["m"] == m]
        ns = [r["n"] for r in rows]
        ax.plot(ns, [float(Fraction(r["worst_weak_fraction"])) for r in rows], "o-", ms=4, label=f"m={m}: exact worst orbit")
        ax.plot(ns, [float(Fraction(r["proven_bound"])) for r in rows], "x--", ms=4, label=f"m={m}: proven copies bound")
    ax.set_xlabel("n (living terminal choices)")
    ax.set_ylabel("weak fraction preferring to live")
    ax.set_title("m dying vs n living terminals: exact worst case n/(n+m) vs floor(n/m)/(floor(n/m)+1)", fontsize=9)
    ax.legend(fontsize=6, ncol=2)
    return ax


