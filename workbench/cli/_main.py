"""The ``workbench`` command line.

Each subsystem adds its commands through an ``add_commands(subparsers)`` function; a command
sets ``func(args) -> int``. Bad input raises :class:`WorkbenchError`, which is printed as one
line and gives exit code 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib import import_module

from workbench._errors import WorkbenchError

# Modules that contribute commands, in the order they appear in --help.
_COMMAND_MODULES = ("workbench.cli.rs", "workbench.cli.power", "workbench.cli.conjecture", "workbench.cli.verify")
# The module that registers each top-level command: a command's parser is built from its own
# module alone (the conjecture lab's registry, the claims' registry, ... load only for their
# commands); --help and an unknown command build them all. tests/test_cli.py checks the map.
_COMMAND_MODULE = {
    "rs": "workbench.cli.rs",
    "mdp": "workbench.cli.power", "orbit": "workbench.cli.power", "power": "workbench.cli.power",
    "copies": "workbench.cli.power",
    "conjecture": "workbench.cli.conjecture",
    "verify": "workbench.cli.verify",
}

_EPILOG = ("Numbers may be written 0.5, 1e-3 or 1/3. Negative values can follow their flag directly "
           "(--x0 -1, --x0 -1e-3) or be attached with '=' (--x0=-1).")


class ArgumentParser(argparse.ArgumentParser):
    """An argparse parser whose usage errors are one line and exit code 2.

    A value that starts with a single ``-`` and is not an option of this parser (``-1e-3``,
    ``-1,2``, ``-1/2``, ``-p+1``) is read as a value, not as an unknown option: argparse alone
    accepts only plain negative numbers such as ``-1`` or ``-0.5``.
    """

    def error(self, message):  # noqa: D401 - argparse API
        # One prefix ("workbench: error:", added by main); the subcommand is named in the hint.
        raise WorkbenchError(f"{message} (see {self.prog} --help)")

    def _parse_optional(self, arg_string):
        if (len(arg_string) > 1 and arg_string[0] == "-" and arg_string[1] != "-"
                and arg_string not in self._option_string_actions
                and arg_string[:2] not in self._option_string_actions
                and arg_string.split("=", 1)[0] not in self._option_string_actions):
            return None
        return super()._parse_optional(arg_string)


def _version() -> str:
    from workbench import __version__

    return f"workbench {__version__}"


def build_parser(argv: list[str] | None = None) -> ArgumentParser:
    """The command-line parser; given ``argv``, only the module of its command is imported."""
    parser = ArgumentParser(
        prog="workbench",
        description="Symbolic-plus-numeric workbench for the physics of RL and power-seeking.",
        epilog=_EPILOG,
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    # The top level takes no option with a value, so the first word that is not an option is the
    # command; a top-level --help before it lists every command.
    words = list(argv) if argv is not None else ["--help"]
    i = next((j for j, a in enumerate(words) if not a.startswith("-")), len(words))
    command = words[i] if i < len(words) and not {"-h", "--help"} & set(words[:i]) else None
    modules = (_COMMAND_MODULE[command],) if command in _COMMAND_MODULE else _COMMAND_MODULES
    for name in modules:
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    # An application picks its matplotlib backend; the library never does.
    os.environ.setdefault("MPLBACKEND", "Agg")
    parser = build_parser(sys.argv[1:] if argv is None else list(argv))
    try:
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help and --version
            return exc.code if isinstance(exc.code, int) else 0
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
    from workbench._io import dumps_json

    print(dumps_json(value))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
