"""The ``workbench`` command line: an application on top of :mod:`workbench.rs`,
:mod:`workbench.power` and :mod:`workbench.claims`. Each command module registers its
sub-commands; numbers are parsed by ``argparse`` ``type=`` callables, and library errors are
printed as one line with exit code 2."""

from workbench.cli._main import main

__all__ = ["main"]
