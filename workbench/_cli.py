"""The ``workbench`` command line.

Each subsystem adds its commands through an ``add_commands(subparsers)`` function; a command
sets ``func(args) -> int``. Bad input raises :class:`WorkbenchError`, which is printed as one
line and gives exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from importlib import import_module

from ._errors import WorkbenchError

# Modules that contribute commands, in the order they appear in --help.
_COMMAND_MODULES = ("workbench.rs._cli", "workbench.power._cli", "workbench.power._conjecture_cli", "workbench._verify")


class ArgumentParser(argparse.ArgumentParser):
    """An argparse parser whose usage errors are one line and exit code 2."""

    def error(self, message):  # noqa: D401 - argparse API
        raise WorkbenchError(f"{self.prog}: {message} (see --help)")


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="workbench",
        description="Symbolic-plus-numeric workbench for the physics of RL and power-seeking.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in _COMMAND_MODULES:
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return int(args.func(args) or 0)
    except WorkbenchError as exc:
        print(f"workbench: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        # Only a command that kept something says so, in the interrupt's message.
        print(f"workbench: interrupted{'; ' + str(exc) if str(exc) else ''}", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `workbench ... | head`
        return 0


def print_json(value) -> None:
    from ._io import dumps_json

    print(dumps_json(value))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
