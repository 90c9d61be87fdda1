"""The reward-free MDP ``<S, A, T>`` of spec §1, and its TOML file format (spec §5)."""

from __future__ import annotations

import math
import os
import re
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from workbench._errors import InvalidMDP, ResourceTooLarge, WorkbenchError
from workbench._numbers import MAX_DECIMAL_EXPONENT, parse_fraction

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["MDP", "load_mdp", "loads_mdp", "dumps_mdp", "MAX_FILE_BYTES", "MAX_STATES", "MAX_ACTIONS"]

#: Largest MDP file read (bytes); a longer file (or device) is refused before parsing.
MAX_FILE_BYTES = 2 * 1024 * 1024
#: Most states an MDP file may declare.
MAX_STATES = 10_000
#: Most actions, summed over the states, an MDP file may declare.
MAX_ACTIONS = 100_000
#: Deepest nesting of arrays and tables accepted in a file (the TOML parser is recursive).
MAX_NESTING = 32
_TOP_KEYS = ("name", "description", "start", "states")


def _short(x) -> str:
    """A probability or sum for a message: exact when short, else an approximation.

    Never converts a huge integer to text (Python refuses more than 4,300 digits) and never
    lets a float overflow escape.
    """
    x = Fraction(x)
    if x.numerator.bit_length() <= 64 and x.denominator.bit_length() <= 64:
        return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    try:
        value = float(x)
    except OverflowError:
        value = math.inf
    if value == 0 or math.isinf(value):  # beyond floats: scale by a power of ten first
        e = round((abs(x.numerator).bit_length() - x.denominator.bit_length()) * math.log10(2))
        mantissa = float(x / Fraction(10) ** e)
        shift = math.floor(math.log10(abs(mantissa)))
        return f"about {mantissa / 10**shift:.6g}e{e + shift:+d}"
    return f"about {value:.6g}"


def _to_fraction(p, name: str) -> Fraction:
    """A probability given to :class:`MDP` in memory (int, Fraction, float or text), bounded."""
    if isinstance(p, bool):
        raise InvalidMDP(f"{name}: {p!r} is not a number")
    if isinstance(p, float):
        if not math.isfinite(p):
            raise InvalidMDP(f"{name}: {p!r} is not a finite number")
        p = repr(p)  # 0.1 means 1/10, as in files
    if isinstance(p, int) and abs(p) >= _HUGE:
        raise InvalidMDP(f"{name}: an integer of more than {MAX_DECIMAL_EXPONENT} digits")
    if isinstance(p, (int, Fraction, str)):
        try:
            return parse_fraction(p, name=name)
        except WorkbenchError as exc:
            raise InvalidMDP(str(exc)) from None
    raise InvalidMDP(f"{name}: {type(p).__name__} {str(p)[:40]!r} is not a number")


_HUGE = 10**MAX_DECIMAL_EXPONENT


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
                    p = _to_fraction(p, f"{where}: state {s!r}: action {a!r}: probability of {t!r}")
                    if p < 0:
                        raise InvalidMDP(f"{where}: state {s!r}: action {a!r}: negative probability {_short(p)} for {t!r}")
                    if p > 1:
                        raise InvalidMDP(f"{where}: state {s!r}: action {a!r}: probability {_short(p)} for {t!r} is above 1")
                    total += p
                    if p > 0:
                        probs[t] = p
                if total != 1:
                    shown = _short(total)
                    if not shown.startswith("about"):
                        shown += f" (= {float(total):.6g})"
                    raise InvalidMDP(f"{where}: state {s!r}: action {a!r}: probabilities sum to {shown}, not 1")
                clean[s][a] = probs
        if self.start is not None and self.start not in seen:
            raise WorkbenchError(f"{where}: start state {self.start!r} is not a state")
        object.__setattr__(self, "states", states)
        object.__setattr__(self, "transitions", _freeze(clean))
        object.__setattr__(self, "_index", {s: i for i, s in enumerate(states)})
        object.__setattr__(self, "_cache", {})

    # construction -------------------------------------------------------------------------
    def __reduce__(self):
        # the frozen mapping proxies cannot be pickled: rebuild from plain dicts (worker processes)
        plain = {s: {a: dict(d) for a, d in acts.items()} for s, acts in self.transitions.items()}
        return (MDP, (self.states, plain, self.name, self.description, self.start, self.source))

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
    def graph(self) -> nx.DiGraph:
        """The frozen networkx ``DiGraph`` of the MDP: an edge ``s -> t`` per successor, its
        ``actions`` attribute ``{action: probability}`` (built on first use)."""
        g = self._cache.get("graph")
        if g is None:
            import networkx as nx

            g = nx.DiGraph(name=self.name)
            g.add_nodes_from(self.states)
            for s, acts in self.transitions.items():
                for a, dist in acts.items():
                    for t, p in dist.items():
                        if g.has_edge(s, t):
                            g[s][t]["actions"][a] = p
                        else:
                            g.add_edge(s, t, actions={a: p})
            g = self._cache["graph"] = nx.freeze(g)
        return g

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
        reach, todo = {state}, [state]
        while todo:
            for dist in self.transitions[todo.pop()].values():
                for t in dist:
                    if t not in reach:
                        reach.add(t)
                        todo.append(t)
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


class _TomlFloat(str):
    """The text of a TOML float, kept as text so that it is parsed with bounds (and a name) later:
    ``Fraction("1e999999999")`` would build ``10**999999999``."""


def _probability(value, where, state, action, succ) -> Fraction:
    name = f"{where}: state {state!r}: action {action!r}: probability of {succ!r}"
    if isinstance(value, _TomlFloat):
        text = value.replace("_", "")  # TOML allows 1_000.5
        bare = text.lstrip("+-")
        if bare == "nan":
            raise InvalidMDP(f"{name} is nan (not a number); give a probability between 0 and 1")
        if bare == "inf":
            raise InvalidMDP(f"{name} is {text} (infinite); give a probability between 0 and 1")
        value = text
    elif isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidMDP(f"{name}: {_describe(value)} is not a number")
    return _to_fraction(value, name)


def _describe(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (list, dict)):
        return "an array" if isinstance(value, list) else "a table"
    return f"{type(value).__name__} {str(value)[:40]!r}"


_SPECIAL = re.compile(r"[\[\]{}\"'#]")
# where each kind of string (or comment) ends; a backslash escape is skipped in basic strings
_STRING_END = {'"': re.compile(r'\\.|"|\n'), "'": re.compile(r"'|\n"),
               '"""': re.compile(r'\\.|"""', re.S), "'''": re.compile(r"'''"), "#": re.compile(r"\n")}


def _check_nesting(text: str, source: str, limit: int = MAX_NESTING) -> None:
    """Refuse arrays/tables nested deeper than ``limit`` before the (recursive) TOML parser sees
    them. Brackets inside strings and comments do not count."""
    depth, i = 0, 0
    while (m := _SPECIAL.search(text, i)) is not None:
        c, i = m.group(), m.end()
        if c in "[{":
            depth += 1
            if depth > limit:
                raise InvalidMDP(f"{source}: arrays or tables nested more than {limit} deep")
            continue
        if c in "]}":
            depth = max(0, depth - 1)
            continue
        if c != "#" and text.startswith(c * 2, i):  # a multi-line string
            c, i = c * 3, i + 2
        end = _STRING_END[c]
        while (e := end.search(text, i)) is not None and e.group().startswith("\\"):
            i = e.end()
        if e is None:
            return
        i = e.end()


def loads_mdp(text: str, source: str = "<string>", *, max_states: int = MAX_STATES, max_actions: int = MAX_ACTIONS) -> MDP:
    """Parse the TOML format of spec §5 (floats are read exactly: ``0.1`` is 1/10).

    Every number is parsed with bounded size (see ``workbench._numbers.parse_fraction``); NaN,
    infinities and probabilities outside [0, 1] are refused naming the file, state, action and
    successor. At most ``max_states`` states and ``max_actions`` actions (in total) are accepted,
    and arrays or tables nested at most :data:`MAX_NESTING` deep. Keys other than ``name``,
    ``description``, ``start`` and ``states`` are refused (a typo would otherwise be ignored).

    Examples
    --------
    >>> m = loads_mdp('name = "w"\\n[states]\\ns = ["t"]\\nt = ["t"]\\n')
    >>> m.states
    ('s', 't')
    """
    _check_nesting(text, source)
    try:
        data = tomllib.loads(text, parse_float=_TomlFloat)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidMDP(f"{source}: not valid TOML: {exc}") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        what = "an integer with too many digits" if "digits" in str(exc) else "a value the TOML parser rejects"
        raise InvalidMDP(f"{source}: not valid TOML: {what}") from None
    except RecursionError:  # defence in depth: _check_nesting should have refused it
        raise InvalidMDP(f"{source}: arrays or tables nested too deep") from None
    unknown = [k for k in data if k not in _TOP_KEYS]
    if unknown:
        raise InvalidMDP(f"{source}: unknown key {unknown[0]!r} (an MDP file has {', '.join(_TOP_KEYS)})")
    states = data.get("states")
    if not isinstance(states, dict) or not states:
        raise InvalidMDP(f"{source}: needs a non-empty [states] table")
    if len(states) > max_states:
        raise ResourceTooLarge(f"{source}: {len(states):,} states, more than the {max_states:,} an MDP file may have")
    n_actions = sum(len(v) if isinstance(v, (list, dict)) else 1 for v in states.values())
    if n_actions > max_actions:
        raise ResourceTooLarge(f"{source}: {n_actions:,} actions, more than the {max_actions:,} an MDP file may have")
    trans = {}
    for s, spec in states.items():
        if isinstance(spec, str):
            spec = [spec]
        if isinstance(spec, list):
            if not all(isinstance(t, str) for t in spec):
                bad = next(t for t in spec if not isinstance(t, str))
                raise InvalidMDP(f"{source}: state {s!r}: successor list must contain state names, not {_describe(bad)}")
            if len(set(spec)) != len(spec):
                seen = set()
                dup = next(t for t in spec if t in seen or seen.add(t))
                raise InvalidMDP(f"{source}: state {s!r}: duplicate successor {dup!r}")
            trans[s] = {t: {t: Fraction(1)} for t in spec}
        elif isinstance(spec, dict):
            acts = {}
            for a, dist in spec.items():
                if isinstance(dist, str):
                    dist = {dist: 1}
                if not isinstance(dist, dict):
                    raise InvalidMDP(f"{source}: state {s!r}: action {a!r} must be a table of successor probabilities, not {_describe(dist)}")
                acts[a] = {t: _probability(p, source, s, a, t) for t, p in dist.items()}
            trans[s] = acts
        else:
            raise InvalidMDP(f"{source}: state {s!r}: expected a successor list or a table of actions, not {_describe(spec)}")
    for key in ("name", "description", "start"):
        if key in data and not isinstance(data[key], str):
            raise InvalidMDP(f"{source}: {key!r} must be a string, not {_describe(data[key])}")
    return MDP(
        states=tuple(states),
        transitions=trans,
        name=data.get("name", Path(source).stem),
        description=data.get("description", ""),
        start=data.get("start"),
        source=source,
    )


def _read_capped(path: Path, max_bytes: int) -> bytes:
    """At most ``max_bytes`` of ``path``; a larger file, or a device that keeps giving bytes
    (``/dev/zero``), is refused after reading ``max_bytes + 1`` bytes at most."""
    try:
        with open(path, "rb") as fh:
            info = os.fstat(fh.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise InvalidMDP(f"{path}: is a directory, not an MDP file")
            if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
                raise ResourceTooLarge(f"{path}: {info.st_size:,} bytes, more than the {max_bytes:,} an MDP file may have")
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InvalidMDP(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise ResourceTooLarge(f"{path}: more than the {max_bytes:,} bytes an MDP file may have")
    return raw


def load_mdp(path, *, max_bytes: int = MAX_FILE_BYTES, max_states: int = MAX_STATES, max_actions: int = MAX_ACTIONS) -> MDP:
    """Load an MDP file (spec §5); every malformed file raises one-line WorkbenchError.

    Files over ``max_bytes`` bytes (default :data:`MAX_FILE_BYTES`) are refused before parsing;
    see :func:`loads_mdp` for ``max_states`` and ``max_actions``.
    """
    path = Path(path)
    raw = _read_capped(path, max_bytes)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidMDP(f"{path}: not valid TOML: not UTF-8 text") from None
    return loads_mdp(text, source=str(path), max_states=max_states, max_actions=max_actions)


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
