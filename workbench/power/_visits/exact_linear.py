"""Exact linear algebra without sympy or scipy: a polynomial linear solve and a hull test.

Both serve :mod:`workbench.power._visits.visits` on the start-up path of the small power
commands, where importing sympy (about 0.3 s) or ``scipy.optimize`` (about 0.4 s) would cost
more than the work itself.

* :func:`solve_polynomial_system` solves ``M x = b`` for a square matrix over ``Z[γ]``
  (integer-coefficient polynomials) by fraction-free Gaussian elimination (Bareiss), so that
  every division is exact in ``Z[γ]`` and no rational function is ever reduced on the way.
* :func:`in_convex_hull` decides ``v ∈ conv(X)`` exactly in rationals by phase 1 of the simplex
  method with Bland's rule.

Integer polynomials are lists of ints in increasing degree, ``[]`` being zero.
"""

from __future__ import annotations

import math
from fractions import Fraction

__all__ = ["solve_polynomial_system", "in_convex_hull", "convex_weights"]


def _mul(p, q):
    if not p or not q:
        return []
    out = [0] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        if a:
            for j, b in enumerate(q):
                out[i + j] += a * b
    return out


def _sub(p, q):
    n = max(len(p), len(q))
    out = [(p[i] if i < len(p) else 0) - (q[i] if i < len(q) else 0) for i in range(n)]
    while out and not out[-1]:
        out.pop()
    return out


def _exquo(p, q):
    """``p / q`` in ``Z[γ]``; raises ArithmeticError unless ``q`` divides ``p`` there."""
    if q == [1]:
        return list(p)
    r = list(p)
    while r and not r[-1]:
        r.pop()
    if not r:
        return []
    dq, lead = len(q) - 1, q[-1]
    out = [0] * (len(r) - dq) if len(r) > dq else []
    for k in range(len(r) - 1, dq - 1, -1):
        c, rem = divmod(r[k], lead)
        if rem:
            raise ArithmeticError("inexact polynomial division")
        if c:
            out[k - dq] = c
            for j, b in enumerate(q):
                r[k - dq + j] -= c * b
    if any(r[:dq]):
        raise ArithmeticError("inexact polynomial division")
    while out and not out[-1]:
        out.pop()
    return out


def solve_polynomial_system(M, b):
    """Solve ``M x = b`` over ``Q(γ)`` for a square ``M`` with entries in ``Z[γ]``.

    Fraction-free Gaussian elimination (Bareiss 1968): after step ``k`` every entry below the
    pivots is a ``(k+1) x (k+1)`` minor of ``[M | b]``, obtained as
    ``a_ij <- (a_kk a_ij - a_ik a_kj) / a_{k-1,k-1}`` with an exact division in ``Z[γ]``
    (Sylvester's identity). The last pivot is ``d = det M`` (no rows are swapped); back
    substitution then gives ``y = d x`` (cofactors, polynomials again) by exact divisions
    ``y_i = (d b'_i - sum_{j>i} u_ij y_j) / u_ii``. No pivoting is done: every leading
    principal minor must be non-zero, which holds for ``I - γ P`` (it is 1 at ``γ = 0``).

    Parameters
    ----------
    M : list of list of list of int
        The matrix, ``M[i][j]`` an integer polynomial (coefficients in increasing degree).
    b : list of list of int
        The right-hand side.

    Returns
    -------
    y : list of list of int
        ``d x`` (one integer polynomial per unknown).
    d : list of int
        The common denominator ``det M``.

    Examples
    --------
    ``(1 - γ) x = 1`` and ``x_2 = γ x_1``:

    >>> solve_polynomial_system([[[1, -1], []], [[0, -1], [1]]], [[1], []])
    ([[1], [0, 1]], [1, -1])

    References
    ----------
    E. H. Bareiss, "Sylvester's identity and multistep integer-preserving Gaussian
    elimination", Mathematics of Computation 22 (1968) 565-578.
    """
    m = len(M)
    a = [list(map(list, row)) + [list(bi)] for row, bi in zip(M, b)]
    prev = [1]
    for k in range(m):
        piv, rowk = a[k][k], a[k]
        if not piv:
            raise ArithmeticError("zero leading principal minor; this solver does not pivot")
        for i in range(k + 1, m):
            row = a[i]
            aik = row[k]
            for j in range(k + 1, m + 1):
                if aik and rowk[j]:
                    v = _sub(_mul(piv, row[j]), _mul(aik, rowk[j]))
                elif row[j]:
                    v = _mul(piv, row[j])
                else:
                    continue
                row[j] = _exquo(v, prev)
            row[k] = []
        prev = piv
    d = a[m - 1][m - 1]
    y = [[] for _ in range(m)]
    for i in range(m - 1, -1, -1):
        acc = _mul(d, a[i][m])
        for j in range(i + 1, m):
            if a[i][j] and y[j]:
                acc = _sub(acc, _mul(a[i][j], y[j]))
        y[i] = _exquo(acc, a[i][i])
    return y, d


def in_convex_hull(points, v) -> bool:
    return convex_weights(points, v) is not None


def convex_weights(points, v):
    """Weights ``λ`` (Fractions) with ``v = sum_j λ_j x_j`` as a convex combination of ``points``,
    or None if ``v`` is not in their convex hull; decided exactly. :func:`in_convex_hull` says
    only whether the weights exist.

    Feasibility of ``λ >= 0, sum_j λ_j = 1, sum_j λ_j x_j = v`` by phase 1 of the simplex
    method: one artificial variable per equation (rows scaled to integers and negated so that
    the right-hand side is non-negative), minimise their sum, feasible iff the minimum is 0.
    Bland's rule (the entering variable is the lowest-index one with a negative reduced cost,
    the leaving one the lowest-index basic variable among the ratio-test ties) cannot cycle, so
    the method stops after finitely many pivots. Pivots are exact in integers (Edmonds' integer-preserving
    pivoting: the tableau is kept as integers over one common denominator, the previous pivot,
    which divides every update exactly). An artificial variable that leaves the basis is
    dropped (fixing it at 0 keeps every feasible point of the original system).

    Parameters
    ----------
    points : sequence of sequences of Fraction
        The vectors ``x_j`` (all of ``v``'s length).
    v : sequence of Fraction

    Examples
    --------
    >>> F = Fraction
    >>> convex_weights([(0, 0), (2, 0), (0, 2)], (F(1, 2), F(1, 2)))
    [Fraction(1, 2), Fraction(1, 4), Fraction(1, 4)]
    >>> in_convex_hull([(0, 0), (2, 0), (0, 2)], (F(1, 2), F(1, 2)))
    True
    >>> in_convex_hull([(0, 0), (2, 0), (0, 2)], (F(3, 2), F(3, 2)))
    False

    References
    ----------
    R. G. Bland, "New finite pivoting rules for the simplex method", Mathematics of Operations
    Research 2 (1977) 103-107. J. Edmonds, "Systems of distinct representatives and linear
    algebra", J. Res. Nat. Bur. Standards 71B (1967) 241-245. V. Chvátal, *Linear Programming*
    (Freeman, 1983), ch. 3 (the two-phase method) and ch. 8.
    """
    n = len(points)
    if n == 0:
        return None
    rows = []
    for c in range(len(v)):
        row = [Fraction(p[c]) for p in points] + [Fraction(v[c])]
        scale = math.lcm(*(x.denominator for x in row))
        row = [int(x * scale) for x in row]
        rows.append([-x for x in row] if row[-1] < 0 else row)
    rows.append([1] * (n + 1))
    m = len(rows)
    basis = [n + i for i in range(m)]  # artificial i has index n + i, above every λ_j
    # integer pivoting: the tableau is rows / den, every entry an integer (a minor of the
    # original system), so each update divides exactly by the previous pivot
    den = 1
    cost = [-sum(r[j] for r in rows) for j in range(n + 1)]  # reduced costs, then -(sum of artificials)
    while cost[n]:
        enter = next((j for j in range(n) if cost[j] < 0), None)
        if enter is None:
            return None  # optimal with a positive sum of artificials: infeasible
        leave = None
        for i, r in enumerate(rows):
            a = r[enter]
            if a > 0:
                if leave is None:
                    leave = i
                else:
                    lhs, rhs = r[n] * rows[leave][enter], rows[leave][n] * a  # compare r[n]/a with the best ratio
                    if lhs < rhs or (lhs == rhs and basis[i] < basis[leave]):
                        leave = i
        # a negative reduced cost means some row has a positive entry there: leave is set
        prow = rows[leave]
        p = prow[enter]
        for k, r in enumerate(rows):
            if k != leave:
                f = r[enter]
                if f:
                    rows[k] = [(p * x - f * y) // den for x, y in zip(r, prow)]
                elif p != den:
                    rows[k] = [p * x // den for x in r]
        f = cost[enter]
        cost = [(p * x - f * y) // den for x, y in zip(cost, prow)]
        den = p
        basis[leave] = enter
    lam = [Fraction(0)] * n
    for i, j in enumerate(basis):
        if j < n:
            lam[j] = Fraction(rows[i][n], den)
    return lam
