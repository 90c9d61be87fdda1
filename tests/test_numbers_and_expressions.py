from fractions import Fraction

import pytest
import sympy as sp

from workbench import WorkbenchError
from workbench._numbers import parse_fraction, parse_int, parse_number, parse_number_list
from workbench.rs import RewardModel, parse_expression, sigmoid


@pytest.mark.parametrize("text,value", [("1/3", Fraction(1, 3)), ("0.1", Fraction(1, 10)), ("1e-3", Fraction(1, 1000)),
                                        ("-2.5/5", Fraction(-1, 2)), (" 7 ", Fraction(7))])
def test_parse_fraction_exact(text, value):
    assert parse_fraction(text) == value


@pytest.mark.parametrize("text", ["abc", "1/0", "", "1,2", "nan", "inf", "__import__('os')", "2**3"])
def test_parse_number_rejects(text):
    with pytest.raises(WorkbenchError):
        parse_number(text)


def test_number_list_length_and_int():
    assert parse_number_list("1,1/2,1e-1", length=3) == [1.0, 0.5, 0.1]
    with pytest.raises(WorkbenchError, match="expected 3"):
        parse_number_list("1,2", length=3)
    assert parse_int("1e3") == 1000
    with pytest.raises(WorkbenchError):
        parse_int("1.5")


def test_sigmoid_derivative_and_value():
    u = sp.Symbol("u")
    assert sp.diff(sigmoid(u), u) == sigmoid(u) * sigmoid(-u)
    assert sigmoid(0) == sp.Rational(1, 2)
    assert sp.simplify(sigmoid(u).rewrite(sp.exp) - 1 / (1 + sp.exp(-u))) == 0


@pytest.mark.parametrize("text", ["__import__('os').system('true')", "p.__class__", "lambda: 1", "p if a else b",
                                  "[p]", "open('x')", "p**10**10", "unknown + 1", "exp(p, a)", "'s'"])
def test_safe_parser_rejects_code(text):
    p, a, b = sp.symbols("p a b")
    with pytest.raises(WorkbenchError):
        parse_expression(text, {"p": p, "a": a, "b": b})


def test_custom_reward_equals_standard():
    custom = RewardModel.from_text("p*(a - cost) + (1-p)*b")
    standard = RewardModel.standard()
    diff = (custom.expression - standard.expression).subs(sigmoid(-sp.Symbol("z", real=True)), 1 - sigmoid(sp.Symbol("z", real=True)))
    assert sp.simplify(diff) == 0


def test_reward_rejects_unknown_symbols():
    with pytest.raises(WorkbenchError):
        RewardModel(sp.Symbol("q") * sigmoid(sp.Symbol("z", real=True)))
