"""The smallest example of a strategy, reproducibly (for docs, bug reports and shrinking tests)."""

from __future__ import annotations

from hypothesis import find, settings

__all__ = ["minimal"]


def minimal(strategy, condition=None, *, max_examples: int = 2_000):
    """The simplest value of ``strategy`` satisfying ``condition`` (default: any value).

    :func:`hypothesis.find` with a fixed random seed and no example database, so that the
    answer does not depend on earlier runs or on the directory it runs in (``find`` alone reuses
    examples saved in ``.hypothesis/``). Raises ``hypothesis.errors.NoSuchExample`` when no draw
    satisfies ``condition``.

    Examples
    --------
    >>> from hypothesis import strategies as st
    >>> minimal(st.lists(st.integers(0, 9)), lambda xs: sum(xs) > 10)
    [2, 9]
    """
    cond = (lambda _: True) if condition is None else condition
    return find(strategy, cond, settings=settings(database=None, derandomize=True, max_examples=max_examples))
