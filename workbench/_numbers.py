"""Safe parsing of numbers given as text: decimals, exponents and fractions such as ``1/3``.

Every number a user types goes through :func:`parse_fraction`, which bounds the text's
length and the decimal exponent *before* any exact arithmetic, so ``1e999999999`` is refused
at once instead of building ``10**999999999``. :func:`parse_number` adds the conversion to a
finite float. Range checks (positive, in ``(0, 1)``, at most ...) are keyword arguments, and
every message names the quantity (``name``) so that the command line can say which flag.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

from workbench._errors import WorkbenchError

#: Longest accepted number text (characters).
MAX_NUMBER_TEXT = 100
#: Largest accepted |decimal exponent| of a number, counting its digits (1e400 and 1e-400 pass).
MAX_DECIMAL_EXPONENT = 1000

_PART = r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"
_NUMBER = re.compile(rf"^\s*(?P<num>{_PART})(\s*/\s*(?P<den>{_PART}))?\s*$")
_DECIMAL = re.compile(r"^[+-]?(?P<int>\d*)(\.(?P<frac>\d*))?([eE](?P<exp>[+-]?\d+))?$")


def _bounded_fraction(text: str, *, name: str, original: str) -> Fraction:
    m = _DECIMAL.match(text)
    assert m is not None  # _NUMBER matched already
    int_digits = len(m.group("int").lstrip("0"))
    exp_text = m.group("exp") or "0"
    if len(exp_text.lstrip("+-").lstrip("0")) > 6:
        raise WorkbenchError(f"{name}: {original!r} has an exponent beyond ±{MAX_DECIMAL_EXPONENT}")
    exponent = int(exp_text)
    if abs(exponent) + int_digits > MAX_DECIMAL_EXPONENT:
        raise WorkbenchError(f"{name}: {original!r} has an exponent beyond ±{MAX_DECIMAL_EXPONENT}")
    return Fraction(text)


def parse_fraction(text, *, name: str = "value") -> Fraction:
    """Parse ``text`` exactly as a rational number.

    Accepts integers, decimals (``0.1`` is exactly 1/10), exponents (``1e-3``) and
    fractions of two such numbers (``1/3``, ``2.5/7``). Never evaluates code. The text may
    have at most :data:`MAX_NUMBER_TEXT` characters and exponents up to
    :data:`MAX_DECIMAL_EXPONENT` in size, so that parsing is always fast.

    Examples
    --------
    >>> parse_fraction("1/3")
    Fraction(1, 3)
    >>> parse_fraction("1e-3")
    Fraction(1, 1000)
    """
    if isinstance(text, bool):
        raise WorkbenchError(f"{name}: {text!r} is not a number")
    if isinstance(text, (int, Fraction)):
        return Fraction(text)
    if isinstance(text, float):
        if not math.isfinite(text):
            raise WorkbenchError(f"{name}: {text!r} is not a finite number")
        return Fraction(text)
    text = str(text)
    if len(text) > MAX_NUMBER_TEXT:
        raise WorkbenchError(f"{name}: a number of {len(text)} characters is too long (at most {MAX_NUMBER_TEXT})")
    m = _NUMBER.match(text)
    if not m:
        shown = repr(text) if text.strip() else "an empty value"
        raise WorkbenchError(f"{name}: {shown} is not a number (use e.g. 0.5, 1e-3 or 1/3)")
    num = _bounded_fraction(m.group("num"), name=name, original=text)
    den = m.group("den")
    if den is None:
        return num
    d = _bounded_fraction(den, name=name, original=text)
    if d == 0:
        raise WorkbenchError(f"{name}: {text!r} divides by zero")
    return num / d


def _check_range(value, text, *, name, minimum=None, maximum=None, positive=False, open_unit=False):
    if positive and not value > 0:
        raise WorkbenchError(f"{name} must be positive, got {text}")
    if open_unit and not 0 < value < 1:
        raise WorkbenchError(f"{name} must lie strictly between 0 and 1, got {text}")
    if minimum is not None and value < minimum:
        raise WorkbenchError(f"{name} must be at least {minimum:g}, got {text}")
    if maximum is not None and value > maximum:
        raise WorkbenchError(f"{name} must be at most {maximum:g}, got {text}")


def parse_number(text, *, name: str = "value", minimum: float | None = None, maximum: float | None = None,
                 positive: bool = False, open_unit: bool = False) -> float:
    """Parse ``text`` as a finite float (see :func:`parse_fraction` for the syntax).

    ``minimum``/``maximum`` (inclusive), ``positive`` and ``open_unit`` (strictly inside
    ``(0, 1)``) check the range; the message names ``name``. A value that is non-zero but
    underflows to 0.0 as a float is refused rather than silently turned into 0.
    """
    frac = parse_fraction(text, name=name)
    try:
        value = float(frac)
    except OverflowError:
        raise WorkbenchError(f"{name}: {text!r} is too large for a floating-point number") from None
    if not math.isfinite(value):
        raise WorkbenchError(f"{name}: {text!r} is not a finite number")
    if value == 0.0 and frac != 0:
        raise WorkbenchError(f"{name}: {text!r} is too small for a floating-point number (it rounds to 0)")
    _check_range(value, text, name=name, minimum=minimum, maximum=maximum, positive=positive, open_unit=open_unit)
    return value


def parse_number_list(text, *, name: str = "value", length: int | None = None, max_length: int = 10_000,
                      **checks) -> list[float]:
    """Parse a comma-separated list of numbers, optionally of an exact ``length``.

    ``checks`` (``minimum``, ``maximum``, ``positive``, ``open_unit``) apply to each entry.
    """
    text = str(text)
    if len(text) > max_length * (MAX_NUMBER_TEXT + 1):
        raise WorkbenchError(f"{name}: the list is too long (at most {max_length} numbers)")
    parts = text.split(",")
    if any(not p.strip() for p in parts):
        raise WorkbenchError(f"{name}: {text!r} has an empty entry; give comma-separated numbers")
    if len(parts) > max_length:
        raise WorkbenchError(f"{name}: {len(parts)} numbers given, at most {max_length}")
    values = [parse_number(p, name=name, **checks) for p in parts]
    if length is not None and len(values) != length:
        raise WorkbenchError(f"{name}: expected {length} comma-separated numbers, got {len(values)} in {text!r}")
    return values


def parse_int(text, *, name: str = "value", minimum: int | None = None, maximum: int | None = None) -> int:
    """Parse an integer (``1e3`` is accepted when it is a whole number).

    ``minimum`` and ``maximum`` are inclusive bounds; the message names ``name``.
    """
    value = parse_fraction(text, name=name)
    if value.denominator != 1:
        raise WorkbenchError(f"{name}: {text!r} is not a whole number")
    value = int(value)
    if minimum is not None and value < minimum:
        raise WorkbenchError(f"{name} must be at least {minimum}, got {text}")
    if maximum is not None and value > maximum:
        raise WorkbenchError(f"{name} must be at most {maximum:,}, got {text}")
    return value


def format_fraction(value: Fraction, *, decimal: bool = False) -> str:
    """``n/d`` (or ``n`` when whole); with ``decimal=True`` add ``(= 0.xxxxx)``.

    >>> format_fraction(Fraction(51, 53), decimal=True)
    '51/53 (= 0.962264)'
    """
    value = Fraction(value)
    text = str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    if decimal and value.denominator != 1:
        text += f" (= {float(value):.6g})"
    return text
