"""The reward-free MDP ``<S, A, T>`` of spec §1, and its TOML file format (spec §5)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType

import networkx as nx

from .._errors import WorkbenchError
from .._numbers import parse_fraction

__all__ = ["MDP", "load_mdp", "loads_mdp", "dumps_mdp"]


def _freeze(transitions):
    return MappingProxyType(
        {
            s: MappingProxyType({a: MappingProxyType(dict(dist)) for a, dist in acts.items()})
            for s, acts in transitions.items()
        }
    )


@dataclass(frozen=True)
class MDP:
    """A finite MDP without reward: states, actions and transition probabilities.

    ``transitions[s][a]`` maps successor states to exact probabilities (``Fraction``).
    A *deterministic* MDP (spec §1) is a directed graph with one action per out-edge, the
    action named after its successor; a state whose only edge is its self-edge is terminal.
    The state order is the order of ``states``; reward vectors follow it.

    Parameters
    ----------
    states : tuple of str
        State names, in order.
    transitions : mapping
        ``{state: {action: {successor: probability}}}``; every state needs an action and every
        distribution must be non-negative and sum to exactly 1.
    name, description : str
    start : str, optional
        The default state for queries.
    source : str
        Where the MDP came from (used in error messages).

    Examples
    --------
    >>> m = MDP.from_successors({"s": ["a", "b"], "a": ["a"], "b": ["b"]})
    >>> m.is_deterministic, m.successors("s")
    (True, ('a', 'b'))
    """

    states: tuple
    transitions: Mapping
    name: str = "mdp"
    description: str = ""
    start: str | None = None
    source: str = "<memory>"
    graph: nx.DiGraph = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        where = self.source
        states = tuple(self.states)
        if not states:
            raise WorkbenchError(f"{where}: the MDP has no states")
        seen = set()
        for s in states:
            if not isinstance(s, str) or not s:
                raise WorkbenchError(f"{where}: state {s!r}: state names must be non-empty strings")
            if s in seen:
                raise WorkbenchError(f"{where}: state {s!r}: duplicate state name")
            seen.add(s)
        extra = set(self.transitions) - seen
        if extra:
            s = sorted(extra)[0]
            raise WorkbenchError(f"{where}: state {s!r}: has transitions but is not a state")
        clean = {}
        for s in states:
            acts = self.transitions.get(s)
            if not acts:
                raise WorkbenchError(f"{where}: state {s!r}: has no action (give at least one successor)")
            clean[s] = {}
            for a, dist in acts.items():
                if not isinstance(a, str) or not a:
                    raise WorkbenchError(f"{where}: state {s!r}: action names must be non-empty strings")
                if not dist:
                    raise WorkbenchError(f"{where}: state {s!r}: action {a!r} has no successor")
                probs, total = {}, Fraction(0)
                for t, p in dist.items():
                    if t not in seen:
                        raise WorkbenchError(f"{where}: state {s!r}: action {a!r} leads to unknown successor {t!r}")
                    try:
                        p = Fraction(p) if not isinstance(p, float) else Fraction(str(p))
                    except (TypeError, ValueError):
                        raise WorkbenchError(f"{where}: state {s!r}: action {a!r}: probability {p!r} is not a number")
                    if p < 0:
                        raise WorkbenchError(f"{where}: state {s!r}: action {a!r}: negative probability {p} for {t!r}")
                    total += p
                    if p > 0:
                        probs[t] = p
                if total != 1:
                    raise WorkbenchError(
                        f"{where}: state {s!r}: action {a!r}: probabilities sum to {total} (={float(total):.6g}), not 1"
                    )
                clean[s][a] = probs
        if self.start is not None and self.start not in seen:
            raise WorkbenchError(f"{where}: start state {self.start!r} is not a state")
        g = nx.DiGraph(name=self.name)
        g.add_nodes_from(states)
        for s, acts in clean.items():
            for a, dist in acts.items():
                for t, p in dist.items():
                    if g.has_edge(s, t):
                        g[s][t]["actions"][a] = p
                    else:
                        g.add_edge(s, t, actions={a: p})
        object.__setattr__(self, "states", states)
        object.__setattr__(self, "transitions", _freeze(clean))
        object.__setattr__(self, "graph", nx.freeze(g))
        object.__setattr__(self, "_index", {s: i for i, s in enumerate(states)})
        object.__setattr__(self, "_cache", {})

    # construction -------------------------------------------------------------------------
    @classmethod
    def from_successors(cls, successors: Mapping, **kwargs) -> "MDP":
        """Build a deterministic MDP from ``{state: [successor, ...]}`` (one action each)."""
        where = kwargs.get("source", "<memory>")
        states = list(successors)
        trans = {}
        for s, succ in successors.items():
            if isinstance(succ, str):
                succ = [succ]
            succ = list(succ)
            if len(set(succ)) != len(succ):
                dup = next(t for t in succ if succ.count(t) > 1)
                raise WorkbenchError(f"{where}: state {s!r}: duplicate successor {dup!r}")
            trans[s] = {t: {t: Fraction(1)} for t in succ}
        return cls(states=tuple(states), transitions=trans, **kwargs)

    # queries ------------------------------------------------------------------------------
    @property
    def n_states(self) -> int:
        return len(self.states)

    @property
    def is_deterministic(self) -> bool:
        return all(len(dist) == 1 for acts in self.transitions.values() for dist in acts.values())

    def index(self, state: str) -> int:
        try:
            return self._index[state]
        except KeyError:
            raise WorkbenchError(f"{self.source}: unknown state {state!r} (states: {', '.join(self.states[:12])}{'...' if len(self.states) > 12 else ''})") from None

    def actions(self, state: str) -> tuple:
        self.index(state)
        return tuple(self.transitions[state])

    def successors(self, state: str) -> tuple:
        self.index(state)
        out = []
        for dist in self.transitions[state].values():
            for t in dist:
                if t not in out:
                    out.append(t)
        return tuple(out)

    def reachable(self, state: str) -> tuple:
        """States reachable from ``state`` (including it), in state order."""
        self.index(state)
        reach = nx.descendants(self.graph, state) | {state}
        return tuple(s for s in self.states if s in reach)

    def check_actions(self, state: str, actions) -> tuple:
        """Validate action names at ``state``; returns them as a tuple."""
        acts = self.actions(state)
        out = []
        for a in actions:
            if a not in acts:
                raise WorkbenchError(f"{self.source}: state {state!r} has no action {a!r} (actions: {', '.join(acts)})")
            out.append(a)
        if not out:
            raise WorkbenchError(f"{self.source}: state {state!r}: empty action set")
        return tuple(out)

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "description": self.description,
            "start": self.start,
            "deterministic": self.is_deterministic,
            "states": list(self.states),
            "transitions": {
                s: {a: {t: p for t, p in d.items()} for a, d in acts.items()} for s, acts in self.transitions.items()
            },
        }


def _probability(value, where, state, action, succ) -> Fraction:
    if isinstance(value, bool):
        raise WorkbenchError(f"{where}: state {state!r}: action {action!r}: probability of {succ!r} is not a number")
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    if isinstance(value, str):
        return parse_fraction(value, name=f"{where}: state {state!r}: action {action!r}: probability of {succ!r}")
    raise WorkbenchError(f"{where}: state {state!r}: action {action!r}: probability of {succ!r} is not a number")


def loads_mdp(text: str, source: str = "<string>") -> MDP:
    """Parse the TOML format of spec §5 (floats are read exactly: ``0.1`` is 1/10).

    Examples
    --------
    >>> m = loads_mdp('name = "w"\\n[states]\\ns = ["t"]\\nt = ["t"]\\n')
    >>> m.states
    ('s', 't')
    """
    try:
        data = tomllib.loads(text, parse_float=Fraction)
    except tomllib.TOMLDecodeError as exc:
        raise WorkbenchError(f"{source}: not valid TOML: {exc}") from None
    states = data.get("states")
    if not isinstance(states, dict) or not states:
        raise WorkbenchError(f"{source}: needs a non-empty [states] table")
    trans = {}
    for s, spec in states.items():
        if isinstance(spec, str):
            spec = [spec]
        if isinstance(spec, list):
            if not all(isinstance(t, str) for t in spec):
                raise WorkbenchError(f"{source}: state {s!r}: successor list must contain state names")
            if len(set(spec)) != len(spec):
                dup = next(t for t in spec if spec.count(t) > 1)
                raise WorkbenchError(f"{source}: state {s!r}: duplicate successor {dup!r}")
            trans[s] = {t: {t: Fraction(1)} for t in spec}
        elif isinstance(spec, dict):
            acts = {}
            for a, dist in spec.items():
                if isinstance(dist, str):
                    dist = {dist: 1}
                if not isinstance(dist, dict):
                    raise WorkbenchError(f"{source}: state {s!r}: action {a!r} must be a table of successor probabilities")
                acts[a] = {t: _probability(p, source, s, a, t) for t, p in dist.items()}
            trans[s] = acts
        else:
            raise WorkbenchError(f"{source}: state {s!r}: expected a successor list or a table of actions")
    for key in ("name", "description", "start"):
        if key in data and not isinstance(data[key], str):
            raise WorkbenchError(f"{source}: {key!r} must be a string")
    return MDP(
        states=tuple(states),
        transitions=trans,
        name=data.get("name", Path(source).stem),
        description=data.get("description", ""),
        start=data.get("start"),
        source=source,
    )


def load_mdp(path) -> MDP:
    """Load an MDP file (spec §5); every malformed file raises one-line WorkbenchError."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise WorkbenchError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise WorkbenchError(f"{path}: not valid TOML: not UTF-8 text") from None
    return loads_mdp(text, source=str(path))


def dumps_mdp(mdp: MDP) -> str:
    """Serialise to the TOML format of spec §5 (round-trips through :func:`loads_mdp`)."""
    import json

    q = json.dumps
    lines = [f"name = {q(mdp.name)}", f"description = {q(mdp.description)}"]
    if mdp.start is not None:
        lines.append(f"start = {q(mdp.start)}")
    simple = all(len(d) == 1 and next(iter(d)) == a for acts in mdp.transitions.values() for a, d in acts.items())
    if simple:
        lines += ["", "[states]"]
        for s in mdp.states:
            lines.append(f"{q(s)} = [{', '.join(q(a) for a in mdp.transitions[s])}]")
    else:
        for s in mdp.states:
            lines += ["", f"[states.{q(s)}]"]
            for a, d in mdp.transitions[s].items():
                probs = ", ".join(f'{q(t)} = "{p.numerator}/{p.denominator}"' for t, p in d.items())
                lines.append(f"{q(a)} = {{ {probs} }}")
    return "\n".join(lines) + "\n"
