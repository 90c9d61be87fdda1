"""Exact polynomials and rational functions of γ with :class:`~fractions.Fraction` coefficients.

A polynomial is a tuple of coefficients in increasing degree. These helpers are the exact
arithmetic under visit distributions (spec §1): evaluation at a rational γ, the Laurent
expansion at γ → 1 (in ``x = 1 - γ``) used by the Blackwell criterion and by the γ → 1 limit
of POWER, and cancellation of the ``(1 - γ)`` and ``γ`` factors.
"""

from __future__ import annotations

from fractions import Fraction
from math import comb

Poly = tuple  # tuple[Fraction, ...]

ZERO = Fraction(0)


def strip(p) -> Poly:
    """Drop trailing zero coefficients (the zero polynomial is ``()``)."""
    p = list(p)
    while p and p[-1] == 0:
        p.pop()
    return tuple(Fraction(c) for c in p)


def add(p: Poly, q: Poly) -> Poly:
    n = max(len(p), len(q))
    return strip((p[i] if i < len(p) else ZERO) + (q[i] if i < len(q) else ZERO) for i in range(n))


def sub(p: Poly, q: Poly) -> Poly:
    return add(p, scale(q, -1))


def scale(p: Poly, c) -> Poly:
    return strip(c * a for a in p)


def mul(p: Poly, q: Poly) -> Poly:
    if not p or not q:
        return ()
    out = [ZERO] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        if a:
            for j, b in enumerate(q):
                out[i + j] += a * b
    return strip(out)


def monomial(k: int, c=1) -> Poly:
    return strip([ZERO] * k + [Fraction(c)])


def evaluate(p: Poly, x) -> Fraction:
    """Horner evaluation, exact for a rational ``x``."""
    acc = ZERO if isinstance(x, Fraction) else 0.0
    for c in reversed(p):
        acc = acc * x + c
    return acc


def evaluate_float(p: Poly, x: float) -> float:
    acc = 0.0
    for c in reversed(p):
        acc = acc * x + float(c)
    return acc


def reflect(p: Poly) -> Poly:
    """Return ``q`` with ``q(x) = p(1 - x)``."""
    out = [ZERO] * len(p)
    for k, c in enumerate(p):
        if c:
            for j in range(k + 1):
                out[j] += c * comb(k, j) * (-1) ** j
    return strip(out)


def order(p: Poly) -> int:
    """Index of the lowest non-zero coefficient (``len(p)`` for the zero polynomial)."""
    for i, c in enumerate(p):
        if c:
            return i
    return len(p)


def divide_by_x(p: Poly, times: int = 1) -> Poly:
    """Exact division by ``x**times``; the low coefficients must vanish."""
    if any(p[:times]):
        raise ArithmeticError("polynomial is not divisible by x**times")
    return strip(p[times:])


def divide_by_one_minus_x(p: Poly) -> Poly:
    """Exact division by ``(1 - x)`` (requires ``p(1) == 0``)."""
    if evaluate(p, Fraction(1)) != 0:
        raise ArithmeticError("polynomial does not vanish at 1")
    # p = (1 - x) q  <=>  q_k = sum_{i<=k} p_i
    q, acc = [], ZERO
    for c in p[:-1]:
        acc += c
        q.append(acc)
    return strip(q)


def series_divide(num: Poly, den: Poly, terms: int) -> list[Fraction]:
    """First ``terms`` coefficients of the power series ``num / den`` (``den[0] != 0``)."""
    d0 = den[0]
    out: list[Fraction] = []
    for k in range(terms):
        acc = num[k] if k < len(num) else ZERO
        for i in range(1, min(k, len(den) - 1) + 1):
            acc -= den[i] * out[k - i]
        out.append(acc / d0)
    return out


def laurent_at_one(num: Poly, den: Poly, terms: int, start: int = -1) -> list[Fraction]:
    """Coefficients ``c_start, ..., c_{start+terms-1}`` of ``num(γ)/den(γ)`` in ``x = 1 - γ``.

    ``num / den = sum_k c_k x^k`` near ``x = 0+`` (that is γ → 1-). Raises ArithmeticError
    if the expansion has a non-zero coefficient below ``start`` (a pole that is too strong).
    """
    n, d = reflect(num), reflect(den)
    m = order(d)
    d = divide_by_x(d, m)
    kmax = start + terms - 1 + m
    b = series_divide(n, d, max(kmax + 1, 0))  # b[k] multiplies x^(k - m)
    if any(b[: max(0, start + m)]):
        raise ArithmeticError(f"pole of order > {-start} at gamma = 1")
    return [b[j + m] if j + m >= 0 else ZERO for j in range(start, start + terms)]


def divide(p: Poly, q: Poly) -> tuple[Poly, Poly]:
    """Quotient and remainder of ``p`` by a non-zero ``q`` (long division over Q).

    >>> divide((-1, 0, 1), (-1, 1))  # γ² - 1 = (γ - 1)(γ + 1)
    ((Fraction(1, 1), Fraction(1, 1)), ())
    """
    p, q = strip(p), strip(q)
    if not q:
        raise ZeroDivisionError("polynomial division by zero")
    r, dq, lead = list(p), len(q) - 1, q[-1]
    out = [ZERO] * max(len(p) - dq, 0)
    for k in range(len(p) - 1, dq - 1, -1):
        c = r[k] / lead
        if c:
            out[k - dq] = c
            for j, b in enumerate(q):
                r[k - dq + j] -= c * b
    return strip(out), strip(r[:dq])


def monic(p: Poly) -> Poly:
    return scale(p, 1 / p[-1]) if p else ()


def gcd(p: Poly, q: Poly) -> Poly:
    """Monic greatest common divisor over Q (Euclid's algorithm; ``gcd(0, 0) = 0``).

    >>> gcd((-2, 0, 2), (2, -2))  # 2(γ² - 1) and 2(1 - γ)
    (Fraction(-1, 1), Fraction(1, 1))
    """
    p, q = monic(p), monic(q)
    while q:
        p, q = q, monic(divide(p, q)[1])
    return p


def poly_from_sympy(expr, symbol) -> Poly:
    import sympy

    poly = sympy.Poly(expr, symbol)
    coeffs = poly.all_coeffs()[::-1]
    return strip(Fraction(int(sympy.numer(c)), int(sympy.denom(c))) for c in coeffs)
