"""Error types that carry the message telling the user what to change."""

from __future__ import annotations


class WorkbenchError(ValueError):
    """Bad input: a malformed file, an impossible parameter, an enumeration too large.

    The message is one line that names the problem and, where possible, what to change.
    The command line prints it and exits with code 2.
    """

    exit_code = 2

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()))


class InvalidInput(WorkbenchError):
    """A value, flag or parameter outside what the workbench accepts (name, value, the range)."""


class InvalidMDP(WorkbenchError):
    """An MDP file or object that is malformed (the message names the file, state and key)."""


class InvalidExpression(WorkbenchError):
    """A user-supplied expression that is not allowed, too large, or not a valid J on the cube."""


class EnumerationTooLarge(WorkbenchError):
    """An enumeration (visit distributions, policies, orbit elements, samples) over its limit.

    ``estimate`` is how many items the operation would visit (a lower bound when the count
    itself was cut off), ``limit`` the limit in force, and ``parameter`` the library
    parameter that raises it; the command line maps the parameter to its flag.
    """

    def __init__(self, message: str, *, estimate=None, limit=None, parameter: str | None = None):
        super().__init__(message)
        self.estimate, self.limit, self.parameter = estimate, limit, parameter


class ResourceTooLarge(WorkbenchError):
    """A computation that would need more memory than allowed (the message says how much)."""


class OutputNotWritable(WorkbenchError):
    """An output path that cannot be written (checked before any work starts)."""


class DataNotFound(WorkbenchError):
    """Shipped data (an MDP by name, a proof script) that cannot be found."""
