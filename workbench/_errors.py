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
