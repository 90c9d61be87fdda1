"""Safe parsing of numbers given as text: decimals, exponents and fractions such as ``1/3``."""

from __future__ import annotations

import math
import re
from fractions import Fraction

from ._errors import WorkbenchError

_NUMBER = re.compile(
    r"""^\s*(?P<num>[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)
        (\s*/\s*(?P<den>[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?))?\s*$""",
    re.VERBOSE,
)


def parse_fraction(text: str, *, name: str = "value") -> Fraction:
    """Parse ``text`` exactly as a rational number.

    Accepts integers, decimals (``0.1`` is exactly 1/10), exponents (``1e-3``) and
    fractions of two such numbers (``1/3``, ``2.5/7``). Never evaluates code.

    Examples
    --------
    >>> parse_fraction("1/3")
    Fraction(1, 3)
    >>> parse_fraction("1e-3")
    Fraction(1, 1000)
    """
    if isinstance(text, (int, Fraction)):
        return Fraction(text)
    m = _NUMBER.match(str(text))
    if not m:
        raise WorkbenchError(f"{name}: {text!r} is not a number (use e.g. 0.5, 1e-3 or 1/3)")
    num = Fraction(m.group("num"))
    den = m.group("den")
    if den is None:
        return num
    d = Fraction(den)
    if d == 0:
        raise WorkbenchError(f"{name}: {text!r} divides by zero")
    return num / d


def parse_number(text: str, *, name: str = "value") -> float:
    """Parse ``text`` as a finite float (see :func:`parse_fraction` for the syntax)."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text)
    else:
        value = float(parse_fraction(text, name=name))
    if not math.isfinite(value):
        raise WorkbenchError(f"{name}: {text!r} is not a finite number")
    return value


def parse_number_list(text: str, *, name: str = "value", length: int | None = None) -> list[float]:
    """Parse a comma-separated list of numbers, optionally of an exact ``length``."""
    parts = [p for p in str(text).split(",")]
    if any(not p.strip() for p in parts):
        raise WorkbenchError(f"{name}: {text!r} has an empty entry; give comma-separated numbers")
    values = [parse_number(p, name=name) for p in parts]
    if length is not None and len(values) != length:
        raise WorkbenchError(f"{name}: expected {length} comma-separated numbers, got {len(values)} in {text!r}")
    return values


def parse_int(text: str, *, name: str = "value", minimum: int | None = None) -> int:
    """Parse an integer (``1e3`` is accepted when it is a whole number)."""
    value = parse_fraction(text, name=name)
    if value.denominator != 1:
        raise WorkbenchError(f"{name}: {text!r} is not a whole number")
    value = int(value)
    if minimum is not None and value < minimum:
        raise WorkbenchError(f"{name}: must be at least {minimum}, got {value}")
    return value
