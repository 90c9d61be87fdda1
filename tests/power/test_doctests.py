"""The numpydoc examples of workbench.power run and give the printed results."""

import doctest
import importlib

import pytest

MODULES = ["_rational", "_mdp", "_visits", "_criteria", "_orbits", "_copies", "_power", "_rules", "_domains",
           "_generators", "_draw", "__init__"]


@pytest.mark.parametrize("name", MODULES)
def test_examples(name):
    mod = importlib.import_module(f"workbench.power.{name}" if name != "__init__" else "workbench.power")
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert res.failed == 0
