"""Drawing an MDP with matplotlib: option sets and certified involutions in colour."""

from __future__ import annotations

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402

__all__ = ["draw_mdp"]

_SET_COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:purple")
_SHARED_COLOURS = ("mediumpurple", "goldenrod", "teal")
_INV_COLOURS = ("tab:red", "tab:brown", "tab:pink", "tab:olive", "tab:cyan", "tab:gray")


def draw_mdp(mdp, *, option_sets=None, involutions=(), title=None, ax=None):
    """Draw ``mdp`` as a graph (spring layout), the start state outlined in black.

    Parameters
    ----------
    mdp : MDP
    option_sets : dict, optional
        ``{label: iterable of states}``, each set filled with its own colour; states in several
        sets get a shared colour, labelled "A and B (shared)".
    involutions : sequence of Involution
        Each drawn as dashed arcs between the swapped states, one colour per involution.
    title : str, optional
        Default: the MDP's name and description.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default a new square figure sized by the number of states.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (save ``ax.figure`` to write a file).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from workbench.power import draw_mdp, star
    >>> ax = draw_mdp(star(3), option_sets={"A": ["x0"], "B": ["x1", "x2"]})
    >>> ax.get_title()
    'star3: star with 3 terminal leaves'
    >>> plt.close(ax.figure)

    References
    ----------
    Spec ``power_seeking.md`` §2 (options, copies and involutions).
    """
    g = nx.DiGraph(mdp.graph)
    if ax is None:
        ax = plt.subplots(figsize=(max(5, min(14, 0.35 * mdp.n_states + 4)),) * 2)[1]
    # spring layout from a seeded random start: symmetric copies must not land on each other
    pos = nx.spring_layout(g.to_undirected(), seed=1, k=2.0 / max(1.0, mdp.n_states ** 0.5), iterations=300)
    colours = ["lightgray"] * mdp.n_states
    handles = []
    # a state in several sets gets a colour of its own, so the legend shows only colours drawn
    labels = list(option_sets or {})
    member = {}
    for label, states in (option_sets or {}).items():
        for s in states:
            member.setdefault(mdp.index(s), []).append(label)
    combos = sorted({tuple(v) for v in member.values()}, key=lambda c: (len(c), [labels.index(x) for x in c]))
    for k, combo in enumerate(combos):
        if len(combo) == 1:
            c = _SET_COLOURS[labels.index(combo[0]) % len(_SET_COLOURS)]
        else:
            c = _SHARED_COLOURS[sum(len(x) > 1 for x in combos[:k]) % len(_SHARED_COLOURS)]
        for i, v in member.items():
            if tuple(v) == combo:
                colours[i] = c
        text = str(combo[0]) if len(combo) == 1 else " and ".join(str(x) for x in combo) + " (shared)"
        handles.append(plt.Line2D([], [], marker="o", linestyle="", color=c, label=text))
    start = mdp.start
    nx.draw_networkx_nodes(g, pos, nodelist=list(mdp.states), node_color=colours, ax=ax,
                           edgecolors=["black" if s == start else "none" for s in mdp.states], node_size=420)
    nx.draw_networkx_labels(g, pos, font_size=7, ax=ax)
    loops = [(u, v) for u, v in g.edges if u == v]
    nx.draw_networkx_edges(g, pos, edgelist=[e for e in g.edges if e[0] != e[1]], ax=ax, arrows=True,
                           arrowsize=10, node_size=420)
    if loops:
        nx.draw_networkx_edges(g, pos, edgelist=loops, ax=ax, arrows=True, node_size=420)
    if not mdp.is_deterministic:
        labels = {(u, v): ",".join(f"{a}:{p}" for a, p in d["actions"].items()) for u, v, d in g.edges(data=True) if u != v}
        nx.draw_networkx_edge_labels(g, pos, edge_labels=labels, font_size=6, ax=ax)
    for k, phi in enumerate(involutions):
        c = _INV_COLOURS[k % len(_INV_COLOURS)]
        for x, y in phi.pairs:
            a, b = pos[mdp.states[x]], pos[mdp.states[y]]
            ax.annotate("", xy=b, xytext=a, arrowprops=dict(arrowstyle="<->", color=c, linestyle="--",
                                                            connectionstyle="arc3,rad=0.3", lw=1.4))
        handles.append(plt.Line2D([], [], color=c, linestyle="--", label=f"phi_{k + 1}"))
    if handles:
        ax.legend(handles=handles, loc="best", fontsize=7)
    ax.set_title(title or f"{mdp.name}: {mdp.description}"[:90], fontsize=9)
    ax.set_axis_off()
    return ax
