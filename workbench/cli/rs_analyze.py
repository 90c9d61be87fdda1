"""``workbench rs analyze``: print the symbolic analysis of one variant (RS6, RS8)."""

from __future__ import annotations

from fractions import Fraction

from workbench._errors import WorkbenchError
from workbench.cli.rs import MAX_KAPPA, NUMBERS_HELP, parse_cost, parse_kappa

#: Largest numerator or denominator of kappa and cost as the exact analysis reads them (the
#: shortest decimal of the float: 1/7 is 14285714285714285/10**17). Larger ones, such as
#: 1e-300, make sympy's polynomial factorisation run for minutes.
MAX_EXACT = 10**20


def _exact(value: float, text: str, name: str) -> float:
    exact = Fraction(str(value))
    if max(abs(exact.numerator), exact.denominator) > MAX_EXACT:
        digits = len(str(max(abs(exact.numerator), exact.denominator)))
        raise WorkbenchError(f"{name}: the exact analysis reads {text} as a fraction of {digits} digits, too large "
                             "(numerator and denominator at most 10^20); give a simpler number, e.g. 0 or 1e-6")
    return value


def run_analyze(args) -> int:
    """Run the analysis for ``args.variant``, ``args.kappa``, ``args.cost`` and print it.

    Prints text (default), LaTeX (``--latex``) or JSON (``--json``). Returns 0.

    Examples
    --------
    >>> import argparse
    >>> ns = argparse.Namespace(variant="gradient", kappa="0", cost="0", latex=False, json=False)
    >>> run_analyze(ns)  # doctest: +ELLIPSIS
    Reduced dynamics, variant gradient ...
    0
    """
    from workbench.cli._main import print_json
    from workbench.rs._analysis.analyze import analyze

    kappa = _exact(parse_kappa(args.kappa), args.kappa, "--kappa")
    cost = _exact(parse_cost(args.cost), args.cost, "--cost")
    if args.latex and args.json:
        raise WorkbenchError("choose one of --latex and --json")
    result = analyze(args.variant, kappa=kappa, cost=cost)
    if args.json:
        print_json(result.to_json())
    elif args.latex:
        print(result.render_latex())
    else:
        print(result.render_text())
    return 0


def add_analyze_command(rs_subparsers) -> None:
    """Add ``analyze`` to the ``workbench rs`` subparsers."""
    p = rs_subparsers.add_parser(
        "analyze",
        help="equilibria and stability, the late-time drift rule and the small-prior scaling (symbolic)",
        description=("Derive, from the model's own sympy expression, every equilibrium set of the reduced "
                     "dynamics with its stability, the late-time drift rule of p, and the small-prior "
                     "scaling exponent and prefactor of N* (claims RS6, RS8)."),
        epilog=NUMBERS_HELP,
    )
    p.add_argument("--variant", default="gradient", choices=["gradient", "replicator"])
    p.add_argument("--kappa", default="0", help=f"footnote-4 coupling, 0 <= kappa <= {MAX_KAPPA:g} (default 0)")
    p.add_argument("--cost", default="0", help="cost of the reward-seeking branch, in [0, 1) (default 0)")
    p.add_argument("--latex", action="store_true", help="print LaTeX")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run_analyze)
