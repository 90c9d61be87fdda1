"""Strategies for symmetries of a state set: permutations and involutions."""

from __future__ import annotations

from hypothesis import strategies as st

from workbench._errors import WorkbenchError
from workbench.power import Involution

__all__ = ["permutations", "involutions"]


def permutations(n: int):
    """Permutations of ``range(n)`` as tuples (``perm[i]`` is the image of ``i``).

    Shrinks towards the identity.

    Examples
    --------
    >>> from workbench.testing import minimal
    >>> minimal(permutations(4), lambda p: p[0] != 0)
    (1, 0, 2, 3)
    """
    if int(n) != n or n < 0:
        raise WorkbenchError(f"permutations: n must be an integer >= 0, got {n!r}")
    return st.permutations(range(n)).map(tuple)


@st.composite
def involutions(draw, n: int, *, min_pairs: int = 1, max_pairs: int | None = None):
    """Involutions of ``range(n)``: products of disjoint transpositions (:class:`~workbench.power.Involution`).

    ``min_pairs=1`` excludes the identity. Shrinks towards the single swap ``(0 1)``.

    Examples
    --------
    >>> from workbench.testing import minimal
    >>> minimal(involutions(4))
    Involution(pairs=((0, 1),))
    >>> minimal(involutions(4), lambda phi: len(phi.pairs) == 2)
    Involution(pairs=((0, 1), (2, 3)))
    """
    top = n // 2 if max_pairs is None else max_pairs
    if not 0 <= min_pairs <= top <= n // 2:
        raise WorkbenchError(f"involutions: need 0 <= min_pairs <= max_pairs <= n // 2 = {n // 2}, "
                             f"got min_pairs {min_pairs}, max_pairs {max_pairs}")
    k = draw(st.integers(min_pairs, top))
    pool, moved = list(range(n)), []
    for _ in range(2 * k):  # one point at a time from those still free: shrinks to 0, 1, 2, ...
        moved.append(pool.pop(draw(st.integers(0, len(pool) - 1))))
    return Involution(tuple((moved[2 * i], moved[2 * i + 1]) for i in range(k)))
