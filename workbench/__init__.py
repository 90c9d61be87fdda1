"""workbench: a symbolic-plus-numeric theory workbench for the physics of RL and power-seeking.

The science is a library; the claims report and the command line are applications built on it.

Subpackages
-----------
``workbench.rs``
    The reward-seeking model (spec ``reward_seeking.md``, seed 000): the symbolic expected
    reward, the flows derived from it, batched simulation, critical diversity N* and the
    scaling law, the symbolic analysis, heterogeneous coupling and sweeps, figures.
``workbench.power``
    The power-seeking engine (spec ``power_seeking.md``, seed 001): MDPs (and the shipped ones
    by name), visit distributions, orbit votes, certified copies, POWER, decision rules, the
    conjecture lab, figures.
``workbench.claims``
    The claims registry (RS1..., PS1...), evidence and statuses, and the report that
    ``workbench verify`` writes.
``workbench.cli``
    The ``workbench`` command line.

This top-level module stays light: it exports the error types and the number parsers only.
"""

from workbench._errors import (
    DataNotFound,
    EnumerationTooLarge,
    InvalidExpression,
    InvalidInput,
    InvalidMDP,
    OutputNotWritable,
    ResourceTooLarge,
    WorkbenchError,
)
from workbench._numbers import format_fraction, parse_fraction, parse_int, parse_number, parse_number_list

__all__ = [
    "DataNotFound", "EnumerationTooLarge", "InvalidExpression", "InvalidInput", "InvalidMDP", "OutputNotWritable",
    "ResourceTooLarge", "WorkbenchError",
    "format_fraction", "parse_fraction", "parse_int", "parse_number", "parse_number_list",
]
__version__ = "0.1.0"
