"""``workbench conjecture NAME``: run the conjecture lab (``workbench.power._conjectures``).

    workbench conjecture fractional|strict|NAME [--max-states K] [--budget SECONDS] [--seed S]
                         [--out DIR] [--json]

JSON: ``{"conjecture", "statement", "cases_checked", "families", "counterexample": null | {"mdp":
"<TOML text>", "reward": [...], "vote": {...}, "command": ...}, ...}``. With ``--out DIR`` the
result is written atomically to ``DIR/conjecture_<name>.json`` and a counterexample also to
``DIR/counterexample_<name>.toml`` (reproduce it with the ``command`` it records).
"""

from __future__ import annotations

from pathlib import Path

from .._errors import WorkbenchError
from .._numbers import parse_fraction, parse_int

__all__ = ["add_commands", "run_conjecture"]


def run_conjecture(args) -> int:
    from .._cli import print_json
    from .._io import atomic_write_json, atomic_write_text
    from ._conjectures import PHASES, get_conjecture, run_search

    conj = get_conjecture(args.name)
    k = parse_int(args.max_states, name="--max-states", minimum=1)
    if k > 8:
        raise WorkbenchError(f"--max-states must be at most 8, got {k}")
    budget = parse_fraction(args.budget, name="--budget")
    if not budget > 0:
        raise WorkbenchError(f"--budget must be positive, got {args.budget}")
    seed = parse_int(args.seed, name="--seed", minimum=0)
    examples = parse_int(args.hypothesis_examples, name="--hypothesis-examples", minimum=0)
    max_cases = parse_int(args.max_cases, name="--max-cases", minimum=1) if args.max_cases is not None else None
    order = tuple(x.strip() for x in args.phases.split(",")) if args.phases else PHASES
    bad = [p for p in order if p not in PHASES]
    if bad or not order:
        raise WorkbenchError(f"--phases: unknown phase {bad[0] if bad else '(empty)'!r} (phases: {', '.join(PHASES)})")
    out = Path(args.out) if args.out else None
    if out is not None and out.exists() and not out.is_dir():
        raise WorkbenchError(f"--out {out}: exists and is not a directory")
    res = run_search(conj.name, max_states=k, budget=float(budget), seed=seed, max_cases=max_cases,
                     hypothesis_examples=examples, order=order)
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
    print(f"  searched for {res.seconds:.1f} s (budget {budget} s{', exhausted' if res.budget_exhausted else ''}), seed {seed}, "
          f"max states {k}")
    print(f"  cases checked (exact orbit votes with the hypotheses met): {res.cases_checked}")
    print(f"  option-set pairs examined: {res.cases_examined}, of which without the hypotheses: {res.vacuous}; "
          f"orbits above the enumeration limit (skipped): {res.skipped_over_limit}")
    print("  families:")
    for f in res.families:
        print(f"    - {f}")
    for fam, c in res.per_family.items():
        print(f"      {fam}: {c['cases_checked']} checked, {c['vacuous']} vacuous")
    for key, val in res.phases.items():
        print(f"  {key}: {', '.join(val) if isinstance(val, list) else val}")
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
    return 0


def add_commands(subparsers) -> None:
    from ._conjectures import conjecture_names

    names = ", ".join(conjecture_names())
    p = subparsers.add_parser("conjecture", help="hunt for counterexamples to an orbit-vote conjecture (the conjecture lab)",
                              description=f"Search small deterministic MDPs for a counterexample. Conjectures: {names}.")
    p.add_argument("name", metavar="NAME", help=f"conjecture to test: {names}")
    p.add_argument("--max-states", default="4", metavar="K", help="exhaust 1..min(K,3) states, sample up to K (default 4, max 8)")
    p.add_argument("--budget", default="30", metavar="SECONDS", help="wall-clock budget (default 30)")
    p.add_argument("--seed", default="0", metavar="S")
    p.add_argument("--max-cases", default=None, metavar="N", help="stop after N checked orbits (reproducible counts)")
    p.add_argument("--hypothesis-examples", default="200", metavar="N", help="examples for the hypothesis phase (0: skip)")
    p.add_argument("--phases", default=None, help="comma-separated phases in order: exhaustive,structured,random,hypothesis")
    p.add_argument("--out", metavar="DIR", help="write conjecture_<NAME>.json (and counterexample_<NAME>.toml) atomically")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_conjecture)
