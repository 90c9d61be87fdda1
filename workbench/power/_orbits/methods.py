"""How an orbit vote is counted: :class:`Exact` enumeration or uniform :class:`Sampled` estimates.

The method is an object passed as ``method=`` to :func:`~workbench.power.orbit_vote` and
:func:`~workbench.power.orbit_vote_sets`; the vote never switches from one to the other on its
own. :class:`Exact` counts by branch and bound without visiting every orbit element; a vote
over an orbit with more arrangements (on the relevant states) than ``limit`` raises
:class:`~workbench.EnumerationTooLarge` (``parameter == "limit"``): the caller then raises the
limit or asks for :class:`Sampled` explicitly. The result's ``method`` field
(:class:`VoteMethod`) records which one counted it.

Examples
--------
>>> Exact()
Exact(limit=20000000)
>>> Sampled(samples=10_000, seed=1)
Sampled(samples=10000, seed=1)
>>> Exact(limit=0)
Traceback (most recent call last):
    ...
workbench._errors.InvalidInput: Exact: limit must be a whole number of at least 1, got 0
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np

from workbench._errors import InvalidInput

__all__ = ["Exact", "Sampled", "VoteMethod", "DEFAULT_LIMIT", "MAX_SAMPLES"]

#: Default largest orbit (arrangements of values on the relevant states) counted by :class:`Exact`.
DEFAULT_LIMIT = 20_000_000
#: Most uniform samples of an orbit (the ``max_samples`` of ``orbit_vote_sets``).
MAX_SAMPLES = 10_000_000


class VoteMethod(str, enum.Enum):
    """How the counts of an :class:`~workbench.power.OrbitVote` were obtained (JSON: the value)."""

    EXACT = "exact"
    SAMPLED = "sampled"

    def __str__(self) -> str:
        return self.value


def _whole(value, *, owner: str, name: str, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise InvalidInput(f"{owner}: {name} must be a whole number of at least {minimum}, got {value!r}")


@dataclass(frozen=True)
class Exact:
    """Count every distinct orbit element exactly (big integers).

    Closed forms are used where they apply; otherwise a value-order branch and bound counts the
    distinct arrangements of values on the relevant states, visiting only the partial
    arrangements that do not yet decide the vote. ``limit`` bounds the orbit, not the visits: a
    vote whose orbit has more than ``limit`` arrangements on the relevant states raises
    :class:`~workbench.EnumerationTooLarge` with ``parameter == "limit"`` before any work (so
    whether a vote is counted never depends on how fast the search happens to decide it); it
    never samples. The search then holds at most ``limit`` nodes at each depth (each extends
    to a distinct arrangement), so its work is at most (distinct values) x ``limit`` node
    evaluations, and usually far less.

    Parameters
    ----------
    limit : int
        Largest number of arrangements on the relevant states counted exactly (default
        :data:`DEFAULT_LIMIT`).
    """

    limit: int = DEFAULT_LIMIT

    def __post_init__(self):
        _whole(self.limit, owner="Exact", name="limit", minimum=1)

    @property
    def kind(self) -> VoteMethod:
        return VoteMethod.EXACT


@dataclass(frozen=True)
class Sampled:
    """Estimate the vote from ``samples`` uniform draws of the orbit (``numpy`` generator ``seed``).

    The counts are over the draws and the result carries a Wilson 95% interval for the weak
    fraction of A. Orbits on which every option agrees (no relevant state) give ``samples``
    ties without drawing: that is what every draw would give.

    Parameters
    ----------
    samples : int
        Uniform draws from the orbit (at least 1; at most ``max_samples`` of the vote).
    seed : int
        Seed of ``numpy.random.default_rng`` (at least 0).
    """

    samples: int
    seed: int = 0

    def __post_init__(self):
        _whole(self.samples, owner="Sampled", name="samples", minimum=1)
        _whole(self.seed, owner="Sampled", name="seed", minimum=0)

    @property
    def kind(self) -> VoteMethod:
        return VoteMethod.SAMPLED
