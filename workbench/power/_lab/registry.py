"""The conjecture type of the lab, its registry, and the bounds every search shares.

A :class:`Conjecture` is a predicate over (MDP, state, option sets A and B, reward, criterion),
split in two (``hypotheses`` and ``holds``; see :mod:`workbench.power._lab.conjectures`).
:func:`register_conjecture` adds one; :func:`get_conjecture` and :func:`conjecture_names` load
the shipped conjectures and :data:`PLUGIN_MODULES` first.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from workbench._errors import WorkbenchError
from workbench.power._orbits.methods import Exact
from workbench.power._visits.criteria import Average

__all__ = ["Conjecture", "RewardFamily", "register_conjecture", "get_conjecture", "conjecture_names", "PLUGIN_MODULES",
           "DEFAULT_MAX_CASES", "DEFAULT_RANDOM_PAIRS", "DEFAULT_SHRINK_STEPS", "VOTE_METHOD"]

PLUGIN_MODULES: tuple = ()  # extra modules that register conjectures when imported
_VOTE_LIMIT = 200_000       # largest exact enumeration per case; bigger orbits are skipped (and counted)
#: How the lab counts each orbit vote: exactly, up to ``_VOTE_LIMIT`` arrangements (bigger orbits are skipped).
VOTE_METHOD = Exact(limit=_VOTE_LIMIT)
DEFAULT_MAX_CASES = 5_000   # checked orbits over all phases
DEFAULT_RANDOM_PAIRS = 4_000
DEFAULT_SHRINK_STEPS = 2_000  # candidate evaluations while shrinking a counterexample


class RewardFamily(str, enum.Enum):
    """Which rewards a search tries per option-set pair (JSON and ``Conjecture.rewards``: the value)."""

    #: every reward multiset of k values from range(k), so every order type (ties included)
    ORDER_TYPES = "order-types"
    #: distinct random rationals (no ties), for statements about almost every reward
    GENERIC = "generic"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Conjecture:
    """A conjecture the lab can search (see :mod:`workbench.power._lab.conjectures`).

    ``rewards`` is a :class:`RewardFamily` (or its value, ``"order-types"`` / ``"generic"``).

    Examples
    --------
    >>> c = Conjecture(name="demo", statement="B always weakly wins", source="a doctest",
    ...                hypotheses=lambda mdp, s, a, b, crit: {"bound": 1}, holds=lambda v, h: v.weak_fraction_b >= 1,
    ...                rewards="generic")
    >>> c.rewards
    <RewardFamily.GENERIC: 'generic'>
    """

    name: str
    statement: str
    source: str
    hypotheses: Callable
    holds: Callable
    criteria: tuple = (Average(),)
    rewards: RewardFamily = RewardFamily.ORDER_TYPES
    structured: Callable | None = None  # rng -> iterator of (family, mdp, state, a, b, rewards)
    structured_families: tuple = ()

    def __post_init__(self):
        try:
            object.__setattr__(self, "rewards", RewardFamily(self.rewards))
        except ValueError:
            raise WorkbenchError(f"conjecture {self.name!r}: rewards must be one of "
                                 f"{', '.join(repr(r.value) for r in RewardFamily)}, got {self.rewards!r}") from None

_REGISTRY: dict[str, Conjecture] = {}


def register_conjecture(c: Conjecture) -> Conjecture:
    if not c.name or c.name in _REGISTRY and _REGISTRY[c.name] is not c:
        raise WorkbenchError(f"conjecture {c.name!r} is registered twice or has no name")
    _REGISTRY[c.name] = c
    return c


def _load_plugins():
    from importlib import import_module

    import_module("workbench.power._lab.conjectures")  # the shipped conjectures
    for mod in PLUGIN_MODULES:
        import_module(mod)


def conjecture_names() -> list[str]:
    _load_plugins()
    return sorted(_REGISTRY)


def get_conjecture(name: str) -> Conjecture:
    _load_plugins()
    if name not in _REGISTRY:
        raise WorkbenchError(f"unknown conjecture {name!r} (known: {', '.join(sorted(_REGISTRY))})")
    return _REGISTRY[name]
