"""Deterministic MDP generators: stars, chains, gridworlds, random graphs."""

from __future__ import annotations

import numpy as np

from workbench._errors import WorkbenchError
from workbench.power._mdp.mdp import MDP

__all__ = ["star", "chain", "gridworld", "random_deterministic", "terminal_choice"]


def star(k: int, *, center: str = "s", leaf: str = "x") -> MDP:
    """A centre state with ``k`` terminal leaves (``k`` 1-cycles).

    Under iid uniform rewards ``POWER(s, γ) = k/(k+1)`` for every γ (expected max of k
    uniforms; OPTTSP, spec §3).

    Examples
    --------
    >>> star(3).successors("s")
    ('x0', 'x1', 'x2')
    """
    if k < 1:
        raise WorkbenchError("star: k must be at least 1")
    succ = {center: [f"{leaf}{i}" for i in range(k)]}
    succ.update({f"{leaf}{i}": [f"{leaf}{i}"] for i in range(k)})
    return MDP.from_successors(succ, name=f"star{k}", description=f"star with {k} terminal leaves", start=center)


def chain(n: int, *, loop_end: bool = True) -> MDP:
    """``s0 -> s1 -> ... -> s{n-1}``, the last state terminal (or looping back to s0)."""
    if n < 1:
        raise WorkbenchError("chain: n must be at least 1")
    succ = {f"s{i}": [f"s{i + 1}"] for i in range(n - 1)}
    succ[f"s{n - 1}"] = [f"s{n - 1}"] if loop_end else ["s0"]
    return MDP.from_successors(succ, name=f"chain{n}", description=f"chain of {n} states", start="s0")


def gridworld(width: int, height: int, *, deleted=(), self_loops: bool = True) -> MDP:
    """A ``width × height`` grid with moves to the 4 neighbours; cells named ``r{row}c{col}``.

    ``deleted`` lists ``(row, col)`` cells removed from the grid; ``self_loops`` adds a stay
    action everywhere (a cell left with no move always gets one). Start: the first cell.
    """
    deleted = {tuple(c) for c in deleted}
    cells = [(r, c) for r in range(height) for c in range(width) if (r, c) not in deleted]
    if not cells:
        raise WorkbenchError("gridworld: every cell is deleted")
    name = lambda rc: f"r{rc[0]}c{rc[1]}"  # noqa: E731
    succ = {}
    for r, c in cells:
        out = [name((r, c))] if self_loops else []
        for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1)):
            nb = (r + dr, c + dc)
            if nb in cells:
                out.append(name(nb))
        succ[name((r, c))] = out or [name((r, c))]
    return MDP.from_successors(succ, name=f"grid{width}x{height}", description=f"{width}x{height} gridworld, deleted {sorted(deleted)}", start=name(cells[0]))


def random_deterministic(n: int, *, seed: int = 0, max_out: int = 3, p_self: float = 0.3) -> MDP:
    """A random deterministic MDP on ``n`` states (each with 1..max_out successors)."""
    rng = np.random.default_rng(seed)
    succ = {}
    for i in range(n):
        k = int(rng.integers(1, max_out + 1))
        targets = set()
        if rng.random() < p_self:
            targets.add(i)
        while len(targets) < k:
            targets.add(int(rng.integers(0, n)))
        succ[f"s{i}"] = [f"s{j}" for j in sorted(targets)]
    return MDP.from_successors(succ, name=f"random{n}_{seed}", description=f"random deterministic MDP (seed {seed})", start="s0")


def terminal_choice(live: int, die: int) -> MDP:
    """``start -> live_hub -> {l0..}`` (``live`` terminals) or ``start -> die_hub -> {d0..}``."""
    succ = {"start": ["live", "die"], "live": [f"l{i}" for i in range(live)], "die": [f"d{i}" for i in range(die)]}
    succ.update({f"l{i}": [f"l{i}"] for i in range(live)})
    succ.update({f"d{i}": [f"d{i}"] for i in range(die)})
    return MDP.from_successors(succ, name=f"live{live}_die{die}", description=f"{live} living vs {die} dying terminals", start="start")
