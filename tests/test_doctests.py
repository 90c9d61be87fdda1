"""The runnable examples in the docstrings of the core and reward-seeking modules."""

import doctest
import importlib

import pytest

MODULES = [
    "workbench._numbers", "workbench._proofs", "workbench.rs._expression", "workbench.rs._model",
    "workbench.rs._homogeneous", "workbench.rs._simulate", "workbench.rs._critical", "workbench.rs._asymptotic",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
