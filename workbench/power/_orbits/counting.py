"""Exact counting of the distinct arrangements of reward values on the relevant states."""

from __future__ import annotations

import math

import numpy as np

from workbench._errors import ResourceTooLarge

__all__ = ["MAX_COUNT_WORK"]

#: Most steps of the exact count of arrangements (about relevant states x multiplicity per value).
MAX_COUNT_WORK = 20_000_000


def _count_arrangements(counts: tuple, k: int) -> int:
    """Distinct ordered arrangements of ``k`` items drawn from a multiset with ``counts``.

    ``a[i]`` counts the sequences of length ``i`` over the types so far; a type with
    multiplicity ``m`` adds ``j <= m`` copies in ``C(i + j, j)`` positions (exact integers).
    """
    work = sum((k + 1) * (min(m, k) + 1) for m in counts)
    if work > MAX_COUNT_WORK:
        raise ResourceTooLarge(
            f"counting the arrangements of values on {k:,} relevant states would take about {work:,} steps, "
            f"more than {MAX_COUNT_WORK:,} (MAX_COUNT_WORK); use fewer distinct reward values or a smaller MDP")
    poly = [1]
    for m in counts:
        new = [0] * min(len(poly) + m, k + 1)
        for i, c in enumerate(poly):
            if c:
                for j in range(0, min(m, k - i) + 1):
                    new[i + j] += c * math.comb(i + j, j)
        poly = new
    return poly[k] if k < len(poly) else 0


def _count_text(n: int) -> str:
    """``n`` with thousands separators, or ``about 10^k`` when it is too long to print."""
    if n.bit_length() <= 200:
        return f"{n:,}"
    return f"about 10^{round((n.bit_length() - 1) * math.log10(2))}"


def _completions(rem: tuple) -> int:
    out = math.factorial(sum(rem))
    for m in rem:
        out //= math.factorial(m)
    return out


def _arrangement_chunks(counts: np.ndarray, k: int, max_rows: int, prefix=()):
    """Yield ``(rows, rem)``: all distinct arrangements of ``k`` slots (value-type indices)
    with the remaining counts, in chunks of at most about ``max_rows`` rows."""
    total = _count_arrangements(tuple(int(c) for c in counts), k)
    if total <= max_rows or k == 0:
        dtype = np.int16
        rows = np.zeros((1, 0), dtype=dtype)
        rem = counts[None, :].astype(np.int32)
        for _ in range(k):
            new_rows, new_rem = [], []
            for t in range(len(counts)):
                mask = rem[:, t] > 0
                if not mask.any():
                    continue
                r = rows[mask]
                rr = rem[mask].copy()
                rr[:, t] -= 1
                new_rows.append(np.concatenate([r, np.full((len(r), 1), t, dtype=dtype)], axis=1))
                new_rem.append(rr)
            rows = np.concatenate(new_rows)
            rem = np.concatenate(new_rem)
        if prefix:
            rows = np.concatenate([np.tile(np.array(prefix, dtype=dtype), (len(rows), 1)), rows], axis=1)
        yield rows, rem
        return
    for t in range(len(counts)):
        if counts[t] > 0:
            c = counts.copy()
            c[t] -= 1
            yield from _arrangement_chunks(c, k - 1, max_rows, prefix + (t,))
