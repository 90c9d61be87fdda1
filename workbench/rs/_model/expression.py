"""The sigmoid as a sympy function, and a safe parser for user-supplied expressions.

User text is never given to ``sympify`` or ``eval`` (both execute code). It is parsed with
:mod:`ast` and only a whitelist of node types is turned into sympy objects.
"""

from __future__ import annotations

import ast
import math
from fractions import Fraction

import numpy as np
import sympy as sp

from workbench._errors import InvalidExpression, WorkbenchError


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
#: Most syntax nodes of one expression (numbers, names, operators, calls).
_MAX_NODES = 500
#: Largest |constant| written in an expression; a non-zero constant must be at least the smallest
#: normal double, so that every constant is a float as well.
_MAX_CONSTANT = 10**6
_MIN_CONSTANT = 2.2250738585072014e-308
#: Largest |exponent| of any power, written or formed while parsing ((p**8)**8 is p**64).
_MAX_EXPONENT = 64
#: Most decimal digits of the numerator or denominator of an exact number formed while parsing
#: (2**64 has 20 digits; (2**64)**64 has 1233 and is refused before it is computed).
_MAX_DIGITS = 400


def _digits(value: int) -> int:
    # bit_length bounds the digit count without converting a large integer to text
    return int(abs(value).bit_length() * 0.30103) + 1


def _rational_digits(number) -> int:
    number = sp.Rational(number)
    return max(_digits(int(number.p)), _digits(int(number.q)))


def _shown(segment: str) -> str:
    return repr(segment if len(segment) <= 60 else segment[:57] + "...")


def _check_size(expr, what: str, segment: str):
    """Refuse exact numbers with too many digits, powers with too large exponents, and
    undefined values (``1/0``-like ``zoo``, ``nan``) anywhere in ``expr`` (``segment`` of the text)."""
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise InvalidExpression(f"{what}: {_shown(segment)} is undefined (a division by zero or a log of 0)")
    for number in expr.atoms(sp.Rational):
        if _rational_digits(number) > _MAX_DIGITS:
            raise InvalidExpression(f"{what}: {_shown(segment)} forms a number of more than {_MAX_DIGITS} digits")
    for power in expr.atoms(sp.Pow):
        e = power.exp
        if e.is_Number and abs(e) > _MAX_EXPONENT:
            raise InvalidExpression(f"{what}: {_shown(segment)} forms a power with exponent {e}; "
                                    f"exponents may have size at most {_MAX_EXPONENT}")
    return expr


def _constant(node, text: str, what: str) -> sp.Rational:
    from workbench._numbers import parse_fraction

    literal = ast.get_source_segment(text, node) or repr(node.value)
    try:
        value = parse_fraction(literal, name=what)
    except WorkbenchError:
        # Python spellings the number parser does not read (1_000, 0x10): use the value itself.
        if isinstance(node.value, float) and not math.isfinite(node.value):
            raise InvalidExpression(f"{what}: constant {literal} is not a finite number") from None
        value = Fraction(repr(node.value)) if isinstance(node.value, float) else None
        if value is None:
            if node.value.bit_length() > 64:
                raise InvalidExpression(f"{what}: constant {literal[:30]} exceeds {_MAX_CONSTANT}") from None
            value = Fraction(node.value)
    if abs(value) > _MAX_CONSTANT:
        raise InvalidExpression(f"{what}: constant {literal[:30]} exceeds {_MAX_CONSTANT}")
    if value != 0 and abs(value) < _MIN_CONSTANT:
        raise InvalidExpression(f"{what}: constant {literal[:30]} is too small for a floating-point number")
    return sp.Rational(value.numerator, value.denominator)


def parse_expression(text: str, symbols: dict[str, sp.Expr], *, what: str = "expression") -> sp.Expr:
    """Parse arithmetic ``text`` into a sympy expression without executing it.

    Allowed: numbers (decimals are read exactly, ``0.1`` is 1/10), the names in ``symbols``,
    ``+ - * / **``, parentheses and the functions ``sigmoid``, ``exp``, ``log``, ``sqrt``.
    Anything else (attributes, subscripts, keywords, strings, lambdas, other names) is
    rejected with an :class:`InvalidExpression` naming the offending part.

    Sizes are bounded while parsing, so that no input makes sympy work for long: the text
    (2000 characters), its nodes (500) and nesting (60); constants (|c| <= 10**6); exponents
    (numbers of size <= 64, also for powers formed by nesting, ``(p**8)**16`` is refused) and
    the digits of exact numbers formed on the way (``(2**64)**64`` is refused unevaluated).

    Examples
    --------
    >>> import sympy as sp
    >>> p, a, b = sp.symbols("p a b")
    >>> parse_expression("p*a + (1-p)*b", {"p": p, "a": a, "b": b})
    a*p + b*(1 - p)
    """
    if not isinstance(text, str) or not text.strip():
        raise InvalidExpression(f"{what}: empty expression")
    if len(text) > _MAX_LENGTH:
        raise InvalidExpression(f"{what}: longer than {_MAX_LENGTH} characters")
    text = text.strip()
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
        reason = getattr(exc, "msg", None) or "cannot be read"
        raise InvalidExpression(f"{what}: {text[:60]!r} is not a valid arithmetic expression ({reason})") from None
    n_nodes = sum(1 for _ in ast.walk(tree))
    if n_nodes > _MAX_NODES:
        raise InvalidExpression(f"{what}: too large ({n_nodes} syntax nodes, at most {_MAX_NODES})")

    allowed = ", ".join(sorted(symbols)) + "; functions " + ", ".join(sorted(_FUNCTIONS))

    def build(node, depth):
        if depth > _MAX_DEPTH:
            raise InvalidExpression(f"{what}: nested too deeply (at most {_MAX_DEPTH} levels)")
        if isinstance(node, ast.Expression):
            return build(node.body, depth + 1)
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return _constant(node, text, what)
        if isinstance(node, ast.Name):
            if node.id not in symbols:
                raise InvalidExpression(f"{what}: unknown name {node.id!r} (allowed: {allowed})")
            return symbols[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
            operand = build(node.operand, depth + 1)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)):
            left = build(node.left, depth + 1)
            right = build(node.right, depth + 1)
            segment = ast.get_source_segment(text, node) or ""
            if isinstance(node.op, ast.Add):
                return _check_size(left + right, what, segment)
            if isinstance(node.op, ast.Sub):
                return _check_size(left - right, what, segment)
            if isinstance(node.op, ast.Mult):
                return _check_size(left * right, what, segment)
            if isinstance(node.op, ast.Div):
                if right == 0:
                    raise InvalidExpression(f"{what}: {_shown(segment)} divides by zero")
                return _check_size(left / right, what, segment)
            if not (right.is_Rational and abs(right) <= _MAX_EXPONENT and right.q <= _MAX_EXPONENT):
                raise InvalidExpression(f"{what}: in {_shown(segment)} the exponent is not a number of size at most "
                                        f"{_MAX_EXPONENT} (with a denominator at most {_MAX_EXPONENT})")
            if left.is_Number:
                if left == 0 and right < 0:
                    raise InvalidExpression(f"{what}: {_shown(segment)} divides by zero")
                # the size of the exact result, estimated before sympy computes it
                if left.is_Rational and _rational_digits(left) * abs(right) > _MAX_DIGITS:
                    raise InvalidExpression(f"{what}: {_shown(segment)} forms a number of more than {_MAX_DIGITS} digits")
            # exponents of nested powers multiply: check before sympy merges them
            if left.is_Pow and left.exp.is_Number and abs(left.exp * right) > _MAX_EXPONENT:
                raise InvalidExpression(f"{what}: {_shown(segment)} forms a power with exponent {left.exp * right}; "
                                        f"exponents may have size at most {_MAX_EXPONENT}")
            return _check_size(left**right, what, segment)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS:
            if node.keywords or len(node.args) != 1:
                raise InvalidExpression(f"{what}: {node.func.id}() takes exactly one argument")
            segment = ast.get_source_segment(text, node) or ""
            return _check_size(_FUNCTIONS[node.func.id](build(node.args[0], depth + 1)), what, segment)
        snippet = ast.get_source_segment(text, node) or type(node).__name__
        raise InvalidExpression(f"{what}: {snippet[:60]!r} is not allowed (allowed: numbers, + - * / **, {allowed})")

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


def _float_big_integers(expr):
    # numpy cannot take Python integers beyond int64 (log(2**64) would raise TypeError)
    big = {n: sp.Float(n) for n in expr.atoms(sp.Integer) if abs(n) >= 2**53}
    return expr.xreplace(big) if big else expr


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
        rewritten = [_sigmoid_pairs(_float_big_integers(sp.sympify(e))) for e in exprs]
    else:
        rewritten = _sigmoid_pairs(_float_big_integers(sp.sympify(exprs)))
    return sp.lambdify(args, rewritten, modules=[_NUMERIC, "numpy"], cse=True)
