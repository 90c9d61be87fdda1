"""Strategies for reward vectors: generic rationals, ties, order types, state-action rewards."""

from __future__ import annotations

import itertools
from fractions import Fraction

from hypothesis import strategies as st

from workbench._errors import WorkbenchError

__all__ = ["rational_rewards", "tied_rewards", "order_types", "all_order_types", "state_action_rewards"]


def _length(name, length, low=0):
    if int(length) != length or length < low:
        raise WorkbenchError(f"{name}: length must be an integer >= {low}, got {length!r}")


def rational_rewards(length: int, *, min_value=0, max_value=1, max_denominator: int = 6, distinct: bool = False):
    """Reward vectors of exact rationals (``Fraction``) in ``[min_value, max_value]``.

    ``distinct=True`` gives generic vectors (no two values equal: one orbit of ``length!``
    elements). Shrinks towards small values with small denominators.

    Examples
    --------
    >>> from workbench.testing import minimal
    >>> minimal(rational_rewards(3, distinct=True))
    [Fraction(0, 1), Fraction(1, 1), Fraction(1, 2)]
    """
    _length("rational_rewards", length)
    if Fraction(max_value) < Fraction(min_value):
        raise WorkbenchError(f"rational_rewards: max_value {max_value} is below min_value {min_value}")
    values = st.fractions(Fraction(min_value), Fraction(max_value), max_denominator=max_denominator)
    return st.lists(values, min_size=length, max_size=length, unique=distinct)


@st.composite
def tied_rewards(draw, length: int, *, max_value: int = 3):
    """Integer reward vectors in ``0..max_value`` with at least one tie (two equal values).

    Shrinks towards the all-zero vector.

    Examples
    --------
    >>> from workbench.testing import minimal
    >>> minimal(tied_rewards(4), lambda r: len(set(r)) == 3)
    [0, 1, 2, 0]
    """
    _length("tied_rewards", length, 2)
    base = draw(st.lists(st.integers(0, max_value), min_size=length - 1, max_size=length - 1))
    copied = draw(st.integers(0, length - 2))
    at = draw(st.integers(0, length - 1).map(lambda i: length - 1 - i))  # shrinks to the end
    return base[:at] + [base[copied]] + base[at:]


@st.composite
def order_types(draw, length: int):
    """Every order type (weak order) of ``length`` states, as dense ranks ``0..k-1``.

    Two reward vectors with the same order type give the same optimal policies under every
    criterion that only compares values; each order type is one vector here. Shrinks towards
    the all-tied vector ``[0, ..., 0]``. See :func:`all_order_types` for all of them.

    Examples
    --------
    >>> from workbench.testing import minimal
    >>> minimal(order_types(3), lambda r: len(set(r)) == 3)
    [0, 1, 2]
    """
    _length("order_types", length)
    raw = draw(st.lists(st.integers(0, max(0, length - 1)), min_size=length, max_size=length))
    rank = {v: i for i, v in enumerate(sorted(set(raw)))}
    return [rank[v] for v in raw]


def all_order_types(length: int) -> list:
    """Every order type of ``length`` states, as dense-rank vectors (the ordered Bell numbers:
    1, 1, 3, 13, 75, 541, ... of them), for exhaustive checks beside the strategies.

    Examples
    --------
    >>> all_order_types(2)
    [[0, 0], [0, 1], [1, 0]]
    >>> [len(all_order_types(n)) for n in range(6)]
    [1, 1, 3, 13, 75, 541]
    """
    _length("all_order_types", length)
    out = []
    for r in itertools.product(range(length), repeat=length):
        if set(r) == set(range(max(r, default=-1) + 1)):
            out.append(list(r))
    return out


@st.composite
def state_action_rewards(draw, mdp, values=None):
    """Rewards on the (state, action) pairs of a deterministic MDP, in the order of
    :func:`workbench.power.state_action_mdp` ``(mdp).states`` (for orbit votes whose orbit acts on
    the pairs). ``values`` defaults to integers ``0..3``.

    Examples
    --------
    >>> from workbench.testing import minimal
    >>> from workbench.power import star
    >>> minimal(state_action_rewards(star(2)))
    [0, 0, 0, 0]
    """
    from workbench.power import state_action_mdp

    n = state_action_mdp(mdp).n_states
    return draw(st.lists(st.integers(0, 3) if values is None else values, min_size=n, max_size=n))
