"""The sigmoid as a sympy function, and a safe parser for user-supplied expressions.

User text is never given to ``sympify`` or ``eval`` (both execute code). It is parsed with
:mod:`ast` and only a whitelist of node types is turned into sympy objects.
"""

from __future__ import annotations

import ast
from fractions import Fraction

import numpy as np
import sympy as sp

from .._errors import WorkbenchError


class sigmoid(sp.Function):
    r"""The logistic function :math:`\sigma(u) = 1 / (1 + e^{-u})`.

    Its derivative is written :math:`\sigma(u)\,\sigma(-u)` rather than
    :math:`\sigma(u)(1-\sigma(u))`: numerically ``expit(-u)`` keeps full relative precision
    where ``1 - expit(u)`` rounds to zero.

    Examples
    --------
    >>> import sympy as sp
    >>> u = sp.Symbol("u")
    >>> sp.diff(sigmoid(u), u)
    sigmoid(-u)*sigmoid(u)
    """

    @classmethod
    def eval(cls, arg):
        if arg.is_zero:
            return sp.Rational(1, 2)
        return None

    def fdiff(self, argindex=1):
        u = self.args[0]
        return sigmoid(u) * sigmoid(-u)

    def _eval_rewrite_as_exp(self, arg, **kwargs):
        return 1 / (1 + sp.exp(-arg))

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        return True if self.args[0].is_real else None


def lambdify_modules():
    """Modules for :func:`sympy.lambdify`: ``sigmoid`` becomes ``scipy.special.expit``."""
    from scipy.special import expit

    return [{"sigmoid": expit}, "numpy"]


_FUNCTIONS = {"sigmoid": sigmoid, "exp": sp.exp, "log": sp.log, "sqrt": sp.sqrt}
_MAX_LENGTH = 2000
_MAX_DEPTH = 60
_MAX_CONSTANT = 10**6
_MAX_EXPONENT = 64


def parse_expression(text: str, symbols: dict[str, sp.Expr], *, what: str = "expression") -> sp.Expr:
    """Parse arithmetic ``text`` into a sympy expression without executing it.

    Allowed: numbers (decimals are read exactly, ``0.1`` is 1/10), the names in ``symbols``,
    ``+ - * / **``, parentheses and the functions ``sigmoid``, ``exp``, ``log``, ``sqrt``.
    Anything else (attributes, subscripts, keywords, strings, lambdas, other names) is
    rejected with a :class:`WorkbenchError` naming the offending part.

    Examples
    --------
    >>> import sympy as sp
    >>> p, a, b = sp.symbols("p a b")
    >>> parse_expression("p*a + (1-p)*b", {"p": p, "a": a, "b": b})
    a*p + b*(1 - p)
    """
    if not isinstance(text, str) or not text.strip():
        raise WorkbenchError(f"{what}: empty")
    if len(text) > _MAX_LENGTH:
        raise WorkbenchError(f"{what}: longer than {_MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise WorkbenchError(f"{what}: {text!r} is not a valid arithmetic expression ({exc.msg})") from None

    allowed = ", ".join(sorted(symbols)) + "; functions " + ", ".join(sorted(_FUNCTIONS))

    def build(node, depth):
        if depth > _MAX_DEPTH:
            raise WorkbenchError(f"{what}: nested too deeply")
        if isinstance(node, ast.Expression):
            return build(node.body, depth + 1)
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            value = Fraction(str(node.value)) if isinstance(node.value, float) else Fraction(node.value)
            if abs(value) > _MAX_CONSTANT:
                raise WorkbenchError(f"{what}: constant {node.value} exceeds {_MAX_CONSTANT}")
            return sp.Rational(value.numerator, value.denominator)
        if isinstance(node, ast.Name):
            if node.id not in symbols:
                raise WorkbenchError(f"{what}: unknown name {node.id!r} (allowed: {allowed})")
            return symbols[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
            operand = build(node.operand, depth + 1)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)):
            left = build(node.left, depth + 1)
            right = build(node.right, depth + 1)
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            if isinstance(node.op, ast.Mult):
                return left * right
            if isinstance(node.op, ast.Div):
                if right == 0:
                    raise WorkbenchError(f"{what}: division by zero")
                return left / right
            if not (right.is_Number and abs(right) <= _MAX_EXPONENT):
                raise WorkbenchError(f"{what}: exponents must be numbers of size at most {_MAX_EXPONENT}")
            return left**right
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS:
            if node.keywords or len(node.args) != 1:
                raise WorkbenchError(f"{what}: {node.func.id}() takes exactly one argument")
            return _FUNCTIONS[node.func.id](build(node.args[0], depth + 1))
        snippet = ast.get_source_segment(text.strip(), node) or type(node).__name__
        raise WorkbenchError(f"{what}: {snippet!r} is not allowed (allowed: numbers, + - * / **, {allowed})")

    return build(tree, 0)


class _expneg(sp.Function):
    """``exp(-u)`` for the numeric code; ``u`` is clipped to [-709, 745] so it never overflows."""


class _recip1p(sp.Function):
    """``1 / (1 + E)``: with ``E = exp(-u)`` this is ``sigmoid(u)``."""


class _frac1p(sp.Function):
    """``E / (1 + E)``: with ``E = exp(-u)`` this is ``sigmoid(-u)``."""


def _sigmoid_pairs(expr):
    def rewrite(arg):
        if arg.could_extract_minus_sign():
            return _frac1p(_expneg(-arg))
        return _recip1p(_expneg(arg))

    return expr.replace(sigmoid, rewrite)


_NUMERIC = {
    "_expneg": lambda u: np.exp(-np.clip(u, -709.0, 745.0)),
    "_recip1p": lambda e: 1.0 / (1.0 + e),
    "_frac1p": lambda e: e / (1.0 + e),
}


def lambdify_numeric(args, exprs):
    """Vectorized numpy code for sympy ``exprs`` containing :class:`sigmoid`.

    ``sigmoid(u)`` and ``sigmoid(-u)`` are computed from one shared ``E = exp(-u)``
    (``1/(1+E)`` and ``E/(1+E)``) through common-subexpression elimination: one exponential per
    distinct argument, full relative precision in both tails, and no overflow or 0/0 at any
    finite logit (beyond |u| = 709 values below 1e-307 are rounded up to that size).

    Examples
    --------
    >>> import sympy as sp
    >>> u = sp.Symbol("u")
    >>> f = lambdify_numeric([u], sigmoid(u) * sigmoid(-u))
    >>> float(f(0.0))
    0.25
    """
    if isinstance(exprs, (list, tuple)):
        rewritten = [_sigmoid_pairs(sp.sympify(e)) for e in exprs]
    else:
        rewritten = _sigmoid_pairs(sp.sympify(exprs))
    return sp.lambdify(args, rewritten, modules=[_NUMERIC, "numpy"], cse=True)
