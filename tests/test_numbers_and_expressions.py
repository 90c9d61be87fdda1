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


# --- issue 9: expressions are bounded while parsing and checked on the cube -----------------------

from workbench._errors import InvalidExpression  # noqa: E402


@pytest.mark.parametrize("text,message", [
    ("((((((2**64)**64)**64)**64)**64)**64)", "more than 400 digits"),
    ("(2**60*p)**64", "more than 400 digits"),
    ("p**1e400", "exceeds"),
    ("p*1e999999999", "not a finite number"),
    ("1e-400*p", "too small"),
    ("(p**8)**16", "exponent 128"),
    ("((p+a+b)**64)**64", "exponent 4096"),
    ("p**10**10", "exponent"),
    ("p/(a-a)", "divides by zero"),
    ("log(0)*p", "undefined"),
    ("+".join(["p*a"] * 300), "syntax nodes"),
    ("sigmoid(" * 70 + "p" + ")" * 70, "nested too deeply"),
])
def test_expression_sizes_are_bounded_while_parsing(text, message):
    with pytest.raises(InvalidExpression, match=message):
        RewardModel.from_text(text)


@pytest.mark.parametrize("text,where", [
    ("exp(1000*p)", "not a finite real number at p="),
    ("sqrt(-1)*p", "not a finite real number at p=1"),
    ("log(p-1)", "not a finite real number at p="),
    ("1/p", "outside [-1, 1] at p=0"),
    ("2*p*a + (1-p)*b", "outside [-1, 1] at p=1, a=1"),
    ("p*a + (1-p)*b - 2", "outside [-1, 1]"),
    ("x", "outside [-1, 1]"),
])
def test_reward_must_be_a_real_number_on_the_cube(text, where):
    with pytest.raises(InvalidExpression, match=r"J is .*" + where.replace("[", r"\[").replace("]", r"\]")) as exc:
        RewardModel.from_text(text, what="--reward")
    assert str(exc.value).startswith("--reward: ") and "\n" not in str(exc.value)


@pytest.mark.parametrize("text", ["p*a + (1-p)*b", "p*(a - 1/10) + (1-p)*b", "p**(1/3)*a + (1-p**(1/3))*b**2",
                                  "log(2**64)*p/100 + (1-p)*b", "-p*b + b + p*a", "p*(a - cost) + (1-p)*b"])
def test_valid_rewards_pass_the_cube_check(text):
    RewardModel.from_text(text)


def test_cost_in_a_custom_reward_is_checked_with_its_value():
    from workbench.rs import HomogeneousConfig

    model = RewardModel.from_text("p*(a - cost) + (1-p)*b")
    HomogeneousConfig(model=model, cost=0.5)
    with pytest.raises(WorkbenchError, match=r"cost must lie in \[0, 1\)"):
        HomogeneousConfig(model=model, cost=1.5)
    with pytest.raises(InvalidExpression, match="outside"):
        HomogeneousConfig(model=RewardModel.from_text("p*a + (1-p)*b + cost"), cost=0.5)


def test_replicator_expansion_is_bounded():
    from workbench.rs._model.reward_model import GradientFlow, ReplicatorFlow, compile_model, expanded_terms_bound

    model = RewardModel.from_text("(p+a+b)**64/3**64")
    assert expanded_terms_bound(GradientFlow().local_rates(model)[2]) > 1000
    with pytest.raises(InvalidExpression, match="too large for the replicator variant"):
        compile_model(model, ReplicatorFlow())
    compile_model(model, GradientFlow())  # no expansion: fine
