"""``workbench conjecture NAME``: run the conjecture lab (``workbench.power._lab.conjectures``).

    workbench conjecture fractional|strict|NAME [--max-states K] [--max-cases N] [--seed S] [--json]
                         [--hypothesis-examples N] [--phases P,...] [--out DIR]
    workbench conjecture census ... | check FILE ... | frontier ...   (``workbench.cli.conjecture_census``)

The search is bounded by counts, never by the clock: the same arguments give the same result
(apart from the reported seconds) on any machine.

JSON: ``{"conjecture", "statement", "cases_checked", "families", "counterexample": null | {"mdp":
"<TOML text>", "reward": [...], "vote": {...}, "command": ...}, ...}``. With ``--out DIR`` the
result is written atomically to ``DIR/conjecture_<name>.json`` and a counterexample also to
``DIR/counterexample_<name>.toml`` (reproduce it with the ``command`` it records).
"""

from __future__ import annotations

from workbench._errors import WorkbenchError
from workbench._numbers import parse_int

__all__ = ["add_commands", "run_conjecture"]


def run_conjecture(args) -> int:
    from workbench.cli._main import print_json
    from workbench._io import atomic_write_json, atomic_write_text, check_writable
    from workbench.power._lab.conjectures import PHASES, get_conjecture, run_search

    conj = get_conjecture(args.name)
    k = parse_int(args.max_states, name="--max-states", minimum=1)
    if k > 8:
        raise WorkbenchError(f"--max-states must be at most 8, got {k}")
    seed = parse_int(args.seed, name="--seed", minimum=0)
    examples = parse_int(args.hypothesis_examples, name="--hypothesis-examples", minimum=0)
    max_cases = parse_int(args.max_cases, name="--max-cases", minimum=1)
    order = tuple(x.strip() for x in args.phases.split(",")) if args.phases else PHASES
    bad = [p for p in order if p not in PHASES]
    if bad or not order:
        raise WorkbenchError(f"--phases: unknown phase {bad[0] if bad else '(empty)'!r} (phases: {', '.join(PHASES)})")
    out = check_writable(args.out, name="--out", directory=True, create=True) if args.out is not None else None
    res = run_search(conj.name, max_states=k, seed=seed, max_cases=max_cases, hypothesis_examples=examples, order=order)
    data = res.to_json()
    written = []
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        if res.counterexample is not None:
            toml_path = out / f"counterexample_{conj.name}.toml"
            atomic_write_text(toml_path, res.counterexample["mdp"])
            data["counterexample"]["file"] = str(toml_path)
            data["counterexample"]["command"] = res.counterexample["command"].replace("counterexample.toml", str(toml_path))
            written.append(toml_path)
        written.append(atomic_write_json(out / f"conjecture_{conj.name}.json", data))
    if args.json:
        print_json(data)
        return 0
    print(f"conjecture {conj.name} ({conj.source})")
    print(f"  statement: {conj.statement}")
    print(f"  settings: {res.settings_text()}")
    print(f"  cases checked (exact orbit votes with the hypotheses met): {res.cases_checked}"
          f"{f' (stopped by the case cap {max_cases}: the last family is partial)' if res.cap_reached else ''}")
    print(f"  option-set pairs examined: {res.cases_examined}, of which without the hypotheses: {res.vacuous}; "
          f"orbits above the enumeration limit (skipped): {res.skipped_over_limit}")
    print("  families:")
    for f in res.families:
        print(f"    - {f}")
    for fam, c in res.per_family.items():
        print(f"      {fam}: {c['cases_checked']} checked, {c['vacuous']} vacuous")
    for key, val in res.phases.items():
        print(f"  {key}: {', '.join(val) if isinstance(val, list) else val}")
    if res.shrink is not None:
        print(f"  shrinking: {res.shrink['steps']} of at most {res.shrink['max_steps']} candidate steps, "
              f"{'a local minimum' if res.shrink['complete'] else 'stopped by the step cap'}")
    if res.counterexample is None:
        print(f"  result: no counterexample in {res.cases_checked} cases of the families above (a search is not a proof)")
    else:
        cx = data["counterexample"]
        print(f"  result: COUNTEREXAMPLE: {cx['summary']}")
        print(f"  reproduce: {cx['command']}")
        if out is None:
            print("  MDP file (save as counterexample.toml):")
            for line in cx["mdp"].splitlines():
                print(f"    {line}")
    for p in written:
        print(f"  wrote {p}")
    print(f"  ({res.seconds:.1f} s)")
    return 0


def add_commands(subparsers) -> None:
    from workbench.power._lab.conjectures import DEFAULT_MAX_CASES, conjecture_names

    names = ", ".join(conjecture_names())
    p = subparsers.add_parser("conjecture", help="hunt for counterexamples to an orbit-vote conjecture (the conjecture lab)",
                              description=f"Search small deterministic MDPs for a counterexample. Conjectures: {names}. "
                                          "Also: `workbench conjecture census --help` (every small MDP, every law) "
                                          "and `workbench conjecture check --help` (your own conjecture file).")
    p.add_argument("name", metavar="NAME", help=f"conjecture to test: {names}")
    p.add_argument("--max-states", default="4", metavar="K", help="exhaust 1..min(K,3) states, sample up to K (default 4, max 8)")
    p.add_argument("--max-cases", default=str(DEFAULT_MAX_CASES), metavar="N",
                   help=f"stop after N checked orbits over all phases (default {DEFAULT_MAX_CASES})")
    p.add_argument("--seed", default="0", metavar="S", help="seeds every random choice (default 0)")
    p.add_argument("--hypothesis-examples", default="200", metavar="N", help="examples for the hypothesis phase (0: skip)")
    p.add_argument("--phases", default=None, help="comma-separated phases in order: exhaustive,structured,random,hypothesis")
    p.add_argument("--out", metavar="DIR", help="write conjecture_<NAME>.json (and counterexample_<NAME>.toml) atomically")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_conjecture)
    from workbench.cli.conjecture_census import add_subcommands

    add_subcommands(p)  # `workbench conjecture census ...` and `workbench conjecture check FILE ...`
