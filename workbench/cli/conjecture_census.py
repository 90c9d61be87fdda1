"""``workbench conjecture census`` and ``workbench conjecture check FILE``.

    workbench conjecture census --max-states K [--out DIR] [--criteria C,...] [--generic G] [--seed S]
                                [--overlap] [--workers N] [--scheduler local|tcp://HOST:PORT] [--json]
    workbench conjecture check FILE [--max-states K] [--max-cases N] [--seed S] [--criteria C,...] [--json]
    workbench conjecture frontier [--max-states K] [--criteria C,...] [--generic G] [--seed S] [--no-gadgets]
                                  [--level rsd|criterion] [--max-options N] [--out DIR] [--json]

census JSON: ``{"classes": {"1": int, ...}, "splits", "row_count", "votes", "coverage", "summary":
{law: {criterion: {status: count}}}, ...}``; with ``--out DIR`` the rows go to ``DIR/census.csv``
and ``DIR/census.json`` and finished classes to ``DIR/census_progress.jsonl`` (a re-run with the
same settings skips them).

frontier JSON: ``{"conditions": [...], "criteria", "coverage", "cases", "rows": [{condition: bool, ...,
"criterion", "theorem", "status", "cases", "largest_bound", "states", "counterexample": null | {...},
"by_mn": {"m:n": {"cases", "counterexample"}}}], "level", "max_options", "skipped_cases", ...}``;
``--out DIR`` writes ``frontier.csv``, ``frontier.json`` and ``frontier.txt``.

check JSON: ``{"cases_checked": int, "coverage": str, "counterexample": null | {"toml": str,
"command": str, ...}}``. A file that fails to import or defines no ``holds`` is one line, exit 2.
"""

from __future__ import annotations

import shlex
import sys

from workbench._errors import WorkbenchError
from workbench._numbers import parse_int

__all__ = ["add_subcommands", "SUBCOMMANDS"]

SUBCOMMANDS = ("census", "check", "frontier")


def _criteria(text: str):
    from workbench.power._visits.criteria import criterion_from_name

    out = []
    for item in (x.strip() for x in text.split(",")):
        name, _, gamma = item.partition(":")
        if name not in ("average", "blackwell", "discounted"):
            raise WorkbenchError(f"--criteria: unknown criterion {item!r} (average, blackwell, discounted:GAMMA)")
        out.append(criterion_from_name(name, gamma or None))
    return tuple(out)


def _progress(label):
    if not sys.stderr.isatty():
        return None

    def show(done, total, *rest):
        extra = f" ({rest[0]} states)" if rest else ""
        print(f"\r{label}{extra}: {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)
    return show


def run_census_command(args) -> int:
    from workbench._io import check_writable
    from workbench.cli._main import print_json
    from workbench.power._census.census import run_census
    from workbench.power._census.enumeration import MAX_CENSUS_STATES

    k = parse_int(args.max_states, name="--max-states", minimum=1)
    if k > MAX_CENSUS_STATES:
        raise WorkbenchError(f"--max-states must be at most {MAX_CENSUS_STATES}, got {k}")
    generic = parse_int(args.generic, name="--generic", minimum=0)
    seed = parse_int(args.seed, name="--seed", minimum=0)
    workers = parse_int(args.workers, name="--workers", minimum=1) if args.workers is not None else None
    criteria = _criteria(args.criteria)
    out = check_writable(args.out, name="--out", directory=True, create=True) if args.out is not None else None
    executor = None
    if workers is not None or args.scheduler is not None:
        from workbench.rs._sweep.executors import executor_from_options

        executor = executor_from_options(args.scheduler, workers)
    res = run_census(k, criteria=criteria, generic=generic, seed=seed, overlap=args.overlap, out=out,
                     executor=executor, progress=None if args.json else _progress("census"))
    if args.json:
        print_json(res.to_json(rows=False))
        return 0
    print(f"census of rooted deterministic MDPs, 1..{k} states")
    print(f"  classes (up to isomorphism): {', '.join(f'{n} states: {c}' for n, c in res.classes.items())}")
    print(f"  coverage: {res.coverage()}")
    print(f"  splits: {res.splits}, rows: {len(res.rows)}, exact orbit votes: {res.votes}"
          + (f", classes read back from an earlier run: {res.resumed}" if res.resumed else ""))
    print(f"  {'law':<20} {'criterion':<16} {'holds':>7} {'counterexample':>15} {'hypothesis not met':>19}")
    for law, per in res.summary.items():
        for crit, c in per.items():
            print(f"  {law:<20} {crit:<16} {c['holds']:>7} {c['counterexample']:>15} {c['hypothesis not met']:>19}")
    for law in dict.fromkeys(r["law"] for r in res.counterexamples()):
        r = res.counterexamples(law)[0]
        print(f"  first counterexample to {law} ({r['criterion']}): class {r['class']} [{r['mdp']}], A = {r['a']}, "
              f"B = {r['b']}, reward {r['counterexample_reward']}: {r['counterexample_vote']} (bound {r['bound']})")
    if out is not None:
        for name in ("census.csv", "census.json", "census_summary.json", "census_progress.jsonl"):
            print(f"  wrote {out / name}")
    print(f"  ({res.seconds:.1f} s)")
    return 0


def run_check_command(args) -> int:
    from workbench.cli._main import print_json
    from workbench.power._census.check import check_conjecture, load_conjecture_file
    from workbench.power._census.enumeration import MAX_CENSUS_STATES

    k = parse_int(args.max_states, name="--max-states", minimum=1)
    if k > MAX_CENSUS_STATES:
        raise WorkbenchError(f"--max-states must be at most {MAX_CENSUS_STATES}, got {k}")
    max_cases = parse_int(args.max_cases, name="--max-cases", minimum=1)
    seed = parse_int(args.seed, name="--seed", minimum=0)
    criteria = _criteria(args.criteria)
    holds = load_conjecture_file(args.file)
    command = (f"workbench conjecture check {shlex.quote(args.file)} --max-states {k} --max-cases {max_cases} "
               f"--seed {seed}" + (f" --criteria {args.criteria}" if args.criteria != "average" else ""))
    res = check_conjecture(holds, max_states=k, max_cases=max_cases, seed=seed, criteria=criteria, command=command,
                           progress=None if args.json else _progress("cases"))
    if args.json:
        print_json(res.to_json())
        return 0
    print(f"conjecture {args.file}")
    print(f"  cases checked: {res.cases_checked}")
    if res.counterexample is None:
        print(f"  result: no counterexample in {res.coverage()}")
        return 0
    cx = res.counterexample
    print(f"  result: COUNTEREXAMPLE ({cx['found_in']}; shrunk in {cx['shrink']['steps']} steps"
          f"{', a local minimum' if cx['shrink']['complete'] else ', stopped by the step cap'}; re-checked by brute force "
          f"over every permutation with exact fractions)")
    print(f"  {cx['summary']}")
    print(f"  reproduce the vote: {cx['command']}")
    print(f"  reproduce the search: {cx['search_command']}")
    print("  MDP file (save as counterexample.toml):")
    for line in cx["toml"].splitlines():
        print(f"    {line}")
    return 0


def run_frontier_command(args) -> int:
    from workbench._io import atomic_write_json, atomic_write_text, check_writable
    from workbench.cli._main import print_json
    from workbench.power._census.frontier import run_frontier

    k = parse_int(args.max_states, name="--max-states", minimum=1)
    if k > 4:
        raise WorkbenchError(f"--max-states must be at most 4 for the frontier, got {k}")
    generic = parse_int(args.generic, name="--generic", minimum=0)
    seed = parse_int(args.seed, name="--seed", minimum=0)
    max_options = parse_int(args.max_options, name="--max-options", minimum=1)
    if max_options > 6:
        raise WorkbenchError(f"--max-options must be at most 6 (the decompositions grow like Bell numbers squared), "
                             f"got {max_options}")
    criteria = _criteria(args.criteria)
    out = check_writable(args.out, name="--out", directory=True, create=True) if args.out is not None else None
    res = run_frontier(k, criteria=criteria, generic=generic, seed=seed, structured=not args.no_gadgets,
                       level=args.level, max_options=max_options)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        atomic_write_text(out / "frontier.csv", res.csv_text())
        atomic_write_json(out / "frontier.json", res.to_json())
        atomic_write_text(out / "frontier.txt", res.table() + "\n\n" + res.mn_table() + "\n")
    if args.json:
        print_json(res.to_json())
        return 0
    bad = sum(r["status"] == "counterexample" for r in res.rows)
    print(f"frontier of the fractional law n/(n+m), 1..{k} states")
    print(f"  coverage: {res.coverage()}")
    print(f"  cases (split x criterion): {res.cases}, skipped (more than {res.max_options} vectors on a side): "
          f"{res.skipped}, exact orbit votes: {res.votes}, over the exact limit: {res.over_limit}")
    print(f"  combinations met: {len(res.rows)}, of which with a counterexample: {bad} (+ condition holds, . it does not; "
          f"counterexamples re-checked by brute force)")
    for line in res.table().splitlines():
        print(f"  {line}")
    if out is not None:
        for name in ("frontier.csv", "frontier.json", "frontier.txt"):
            print(f"  wrote {out / name}")
    return 0


def add_subcommands(conjecture_parser) -> None:
    """Give the ``conjecture NAME`` parser the ``census`` and ``check`` sub-commands.

    ``workbench conjecture fractional`` keeps working: only the words ``census`` and ``check``
    are routed to their own parsers.
    """
    from workbench.cli._main import ArgumentParser
    from workbench.power._census.check import DEFAULT_CHECK_CASES

    prog = conjecture_parser.prog
    census = ArgumentParser(prog=f"{prog} census", description=(
        "Enumerate every rooted deterministic MDP with 1..K states up to isomorphism, split the root's actions into "
        "option sets A, B in every way, and record for each scaling law whether it holds on exact reward families, "
        "has a counterexample, or does not apply."))
    census.add_argument("--max-states", required=True, metavar="K", help="largest MDP size (1..5; 4 takes minutes)")
    census.add_argument("--out", metavar="DIR", help="write census.csv, census.json, census_summary.json; resumable")
    census.add_argument("--criteria", default="average,blackwell,discounted:1/2", metavar="C,...",
                        help="average, blackwell, discounted:GAMMA (comma-separated; default average,blackwell,"
                             "discounted:1/2)")
    census.add_argument("--generic", default="3", metavar="G", help="generic rational reward vectors per class (default 3)")
    census.add_argument("--seed", default="0", metavar="S", help="seed of the generic rewards (default 0)")
    census.add_argument("--overlap", action="store_true", help="also split the root's actions into overlapping pairs")
    census.add_argument("--workers", default=None, metavar="N", help="local worker processes (default: this process)")
    census.add_argument("--scheduler", default=None, metavar="local|tcp://HOST:PORT",
                        help="run the classes on Dask: a local cluster or an existing scheduler")
    census.add_argument("--json", action="store_true")
    census.set_defaults(func=run_census_command)

    check = ArgumentParser(prog=f"{prog} check", description=(
        "Check your own conjecture: FILE defines holds(case) -> bool (case.mdp, .state, .a, .b, .reward, .criterion, "
        ".vote with .a_strict, .b_strict, .tie, .orbit_size). Runs the census family up to K states, then random "
        "MDPs, up to N cases; a counterexample is shrunk, re-checked by brute force and printed as TOML."))
    check.add_argument("file", metavar="FILE", help="a Python file defining holds(case)")
    check.add_argument("--max-states", default="3", metavar="K", help="census family on 1..K states (default 3)")
    check.add_argument("--max-cases", default=str(DEFAULT_CHECK_CASES), metavar="N",
                       help=f"cases in all (default {DEFAULT_CHECK_CASES})")
    check.add_argument("--seed", default="0", metavar="S", help="seeds the generic rewards and random MDPs (default 0)")
    check.add_argument("--criteria", default="average", metavar="C,...",
                       help="average, blackwell, discounted:GAMMA (comma-separated; default average)")
    check.add_argument("--json", action="store_true")
    check.set_defaults(func=run_check_command)

    frontier = ArgumentParser(prog=f"{prog} frontier", description=(
        "Map which structural conditions the fractional law n/(n+m) needs: for every split of every rooted "
        "deterministic MDP up to K states (and the hub gadgets), every way of choosing m A-things and n B-things, "
        "record the conditions (cover, equal shapes, certified B copies, swaps on A / on B / across, disjoint "
        "supports) and, per combination and criterion, whether the law held or the first counterexample."))
    frontier.add_argument("--max-states", default="3", metavar="K", help="census family on 1..K states (1..4; default 3)")
    frontier.add_argument("--criteria", default="average,blackwell,discounted:1/2,discounted:9/10", metavar="C,...",
                          help="average, blackwell, discounted:GAMMA (default average,blackwell,discounted:1/2,"
                               "discounted:9/10)")
    frontier.add_argument("--generic", default="2", metavar="G", help="generic rational reward vectors per case (default 2)")
    frontier.add_argument("--seed", default="0", metavar="S", help="seed of the generic rewards (default 0)")
    frontier.add_argument("--no-gadgets", action="store_true", help="leave out the hub gadgets (8 and 9 states)")
    frontier.add_argument("--level", default="rsd", choices=("rsd", "criterion"),
                          help="decide the conditions on RSDs (default) or on what each criterion acts on (RSDs for "
                               "average, f(gamma) for discounted, the visit distribution functions for Blackwell)")
    frontier.add_argument("--max-options", default="5", metavar="N",
                          help="skip (and count) splits with more than N vectors on a side (default 5)")
    frontier.add_argument("--out", metavar="DIR", help="write frontier.csv, frontier.json, frontier.txt")
    frontier.add_argument("--json", action="store_true")
    frontier.set_defaults(func=run_frontier_command)

    routes = {"census": census, "check": check, "frontier": frontier}
    base = type(conjecture_parser)

    class _Routed(base):
        def parse_known_args(self, args=None, namespace=None):
            args = list(sys.argv[1:] if args is None else args)
            if args and args[0] in routes:
                return routes[args[0]].parse_known_args(args[1:], namespace)
            return super().parse_known_args(args, namespace)

    conjecture_parser.__class__ = _Routed
