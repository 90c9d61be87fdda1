"""Commands ``mdp show``, ``orbit``, ``power`` and ``copies`` of the ``workbench`` command line."""

from __future__ import annotations

from fractions import Fraction

from .._errors import WorkbenchError
from .._numbers import parse_fraction, parse_int

__all__ = ["add_commands"]


def _list(text: str, what: str) -> list[str]:
    items = [x.strip() for x in str(text).split(",")]
    if not items or any(not x for x in items):
        raise WorkbenchError(f"{what}: {text!r} has an empty entry; give comma-separated names")
    return items


def parse_reward(text: str, mdp) -> list[Fraction]:
    """Reward values in state order (``1,0,1/3``) or ``name=value`` pairs covering every state."""
    parts = _list(text, "--reward")
    if all("=" in p for p in parts):
        values = {}
        for p in parts:
            name, _, val = p.partition("=")
            name = name.strip()
            mdp.index(name)
            if name in values:
                raise WorkbenchError(f"--reward: state {name!r} given twice")
            values[name] = parse_fraction(val, name=f"--reward {name}")
        missing = [s for s in mdp.states if s not in values]
        if missing:
            raise WorkbenchError(f"--reward: no value for state(s) {', '.join(missing[:8])}{'...' if len(missing) > 8 else ''}")
        return [values[s] for s in mdp.states]
    if any("=" in p for p in parts):
        raise WorkbenchError("--reward: mix of name=value pairs and plain values; use one form")
    if len(parts) != mdp.n_states:
        raise WorkbenchError(
            f"--reward: {mdp.source} has {mdp.n_states} states ({', '.join(mdp.states[:10])}{'...' if mdp.n_states > 10 else ''}), got {len(parts)} values"
        )
    return [parse_fraction(p, name="--reward") for p in parts]


def _state(mdp, name):
    state = name or mdp.start
    if state is None:
        raise WorkbenchError(f"{mdp.source}: no start state in the file; pass --state")
    mdp.index(state)
    return state


def _fmt(x):
    if isinstance(x, Fraction):
        return f"{x.numerator}/{x.denominator} (= {float(x):.6g})" if x.denominator != 1 else str(x.numerator)
    if isinstance(x, float):
        return f"{x:.6g}"
    return str(x)


# --- mdp show ------------------------------------------------------------------------------

def run_mdp_show(args) -> int:
    from .._cli import print_json
    from ._mdp import load_mdp
    from ._visits import non_dominated, recurrent_state_distributions, visit_distributions

    mdp = load_mdp(args.file)
    state = _state(mdp, args.state) if (args.state or mdp.start) else mdp.states[0]
    visits = visit_distributions(mdp, state)
    rsds = recurrent_state_distributions(mdp, state)
    nd = non_dominated(rsds)
    fig = None
    if args.plot:
        from .._io import save_figure
        from ._draw import draw_mdp

        sets, invs = {}, []
        if args.a and args.b:
            from ._copies import copies_at

            a, b = _list(args.a, "--a"), _list(args.b, "--b")
            mdp.check_actions(state, a + b)
            supp = lambda acts: sorted({x for f in visits if f.first_actions & set(acts) for x in f.support()} - {state})  # noqa: E731
            sets = {f"A = {','.join(a)}": supp(a), f"B = {','.join(b)}": supp(b)}
            invs = list(copies_at(mdp, state, a, b).involutions)
        fig = draw_mdp(mdp, option_sets=sets, involutions=invs)
        save_figure(fig, args.plot)
    info = mdp.to_json()
    info.update({
        "query_state": state,
        "visit_distributions": len(visits),
        "rsds": [list(r) for r in rsds],
        "non_dominated_rsds": len(nd),
        "plot": str(args.plot) if args.plot else None,
    })
    if args.json:
        print_json(info)
        return 0
    print(f"{mdp.name}: {mdp.description}")
    print(f"  file: {mdp.source}")
    print(f"  {mdp.n_states} states, {'deterministic' if mdp.is_deterministic else 'stochastic'}, start = {mdp.start}")
    for s in mdp.states:
        acts = mdp.transitions[s]
        if mdp.is_deterministic:
            print(f"    {s} -> {', '.join(next(iter(d)) for d in acts.values())}")
        else:
            desc = "; ".join(f"{a}: " + ", ".join(f"{t} {_fmt(p).split(' ')[0]}" for t, p in d.items()) for a, d in acts.items())
            print(f"    {s}: {desc}")
    print(f"  from {state}: {len(visits)} visit distributions, {len(rsds)} distinct RSDs, {len(nd)} non-dominated")
    for r in rsds:
        print("    RSD " + " + ".join(f"{_fmt(c).split(' ')[0]}*{mdp.states[i]}" for i, c in enumerate(r) if c))
    if args.plot:
        print(f"  plot written to {args.plot}")
    return 0


# --- orbit -----------------------------------------------------------------------------------

def _load_with_options(args):
    """The MDP file, the state and the validated first-action lists ``--a`` and ``--b``."""
    from ._mdp import load_mdp

    mdp = load_mdp(args.file)
    state = _state(mdp, args.state)
    a, b = _list(args.a, "--a"), _list(args.b, "--b")
    mdp.check_actions(state, a)
    mdp.check_actions(state, b)
    return mdp, state, a, b


def run_orbit(args) -> int:
    from .._cli import print_json
    from ._criteria import criterion_from_name
    from ._orbits import orbit_vote
    from ._rules import rule_from_spec

    mdp, state, a, b = _load_with_options(args)
    reward = parse_reward(args.reward, mdp)
    if args.gamma is not None and args.criterion != "discounted":
        raise WorkbenchError("--gamma only applies to --criterion discounted")
    crit = criterion_from_name(args.criterion, args.gamma)
    rule = rule_from_spec(args.rule)
    limit = parse_int(args.limit, name="--limit", minimum=1)
    samples = parse_int(args.samples, name="--samples", minimum=1) if args.samples is not None else None
    seed = parse_int(args.seed, name="--seed", minimum=0)
    vote = orbit_vote(mdp, state, a, b, reward, crit, rule=rule, limit=limit, samples=samples, seed=seed)
    if args.json:
        print_json(vote.to_json())
        return 0
    A, B = "{" + ",".join(a) + "}", "{" + ",".join(b) + "}"
    print(f"{mdp.name}, state {state}: A = {A} vs B = {B}")
    print(f"  criterion: {vote.criterion}; rule: {vote.rule}; orbit acts on: {vote.domain}")
    over = "distinct orbit elements" if vote.method == "exact" else f"{vote.samples} uniform samples (seed {seed})"
    print(f"  counted over {over}:")
    print(f"    A strictly better: {vote.a_strict}")
    print(f"    B strictly better: {vote.b_strict}")
    print(f"    tie:               {vote.tie}")
    print(f"  orbit size: {vote.orbit_size}  [method: {vote.method}]")
    print(f"  weak fraction A >= B: {_fmt(vote.weak_fraction_a)}")
    print(f"  weak fraction B >= A: {_fmt(vote.weak_fraction_b)}")
    if vote.ci:
        print(f"  95% Wilson interval for weak fraction A: [{vote.ci[0]:.6g}, {vote.ci[1]:.6g}]")
    print(f"  relevant states: {', '.join(vote.relevant)}")
    print(f"  how: {vote.reduction}")
    return 0


# --- power -----------------------------------------------------------------------------------

def run_power(args) -> int:
    from .._cli import print_json
    from ._mdp import load_mdp
    from ._power import power

    mdp = load_mdp(args.file)
    state = _state(mdp, args.state)
    gamma = parse_fraction(args.gamma, name="--gamma")
    if not 0 <= gamma <= 1:
        raise WorkbenchError(f"--gamma must be in [0, 1], got {args.gamma}")
    samples = parse_int(args.samples, name="--samples", minimum=2)
    seed = parse_int(args.seed, name="--seed", minimum=0)
    est = power(mdp, state, gamma, samples=samples, seed=seed)
    if args.json:
        print_json(est.to_json())
        return 0
    print(f"POWER({state}, gamma={_fmt(gamma).split(' ')[0]}) on {mdp.name}, rewards {est.distribution}")
    if est.exact is not None:
        print(f"  exact: {_fmt(est.exact)}")
    else:
        print(f"  estimate: {est.power:.6g}, 95% CI [{est.ci[0]:.6g}, {est.ci[1]:.6g}] ({est.samples} samples, seed {seed})")
    print(f"  method: {est.method}; {est.n_options} options (after the exact dominance filter)")
    return 0


# --- copies ----------------------------------------------------------------------------------

def run_copies(args) -> int:
    from .._cli import print_json
    from ._copies import copies_at
    from ._criteria import criterion_from_name

    mdp, state, a, b = _load_with_options(args)
    crit = criterion_from_name(args.criterion, args.gamma)
    cert = copies_at(mdp, state, a, b, crit)
    if args.json:
        print_json(cert.to_json())
        return 0
    print(f"{mdp.name}, state {state}: copies of A = {{{','.join(a)}}} inside B = {{{','.join(b)}}} ({cert.level} level)")
    print(f"  certified n = {cert.n}  => B weakly preferred by >= {_fmt(cert.bound)} of every orbit ({crit.describe()})")
    print(f"  disjoint copies: {cert.disjoint}; orthogonal supports (Thm 6.13 / D.11 condition): {cert.orthogonal}")
    print(f"  search: {cert.search}")
    for i, phi in enumerate(cert.involutions):
        print(f"    phi_{i + 1} = " + " ".join(f"({x} {y})" for x, y in phi.named(cert.names)))
    return 0


def add_commands(subparsers) -> None:
    p = subparsers.add_parser("mdp", help="MDP files (power-seeking engine)")
    sub = p.add_subparsers(dest="mdp_command", metavar="SUBCOMMAND", required=True)
    q = sub.add_parser("show", help="summarise an MDP file: states, visit distributions, RSDs; optional plot")
    q.add_argument("file")
    q.add_argument("--state", help="state to analyse (default: the file's start)")
    q.add_argument("--plot", metavar="PNG", help="write a drawing (atomically)")
    q.add_argument("--a", help="with --b and --plot: colour option sets and certified involutions")
    q.add_argument("--b")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=run_mdp_show)

    p = subparsers.add_parser("orbit", help="exact orbit vote: A vs B over the permutations of a reward vector")
    p.add_argument("file")
    p.add_argument("--state", help="default: the file's start state")
    p.add_argument("--a", required=True, help="first actions A1[,A2..] (successor names for deterministic MDPs)")
    p.add_argument("--b", required=True, help="first actions B1[,B2..]")
    p.add_argument("--reward", required=True, help="V1,V2,... in state order, or name=value pairs; fractions allowed")
    p.add_argument("--criterion", choices=("average", "blackwell", "discounted"), default="average")
    p.add_argument("--gamma", help="discount for --criterion discounted (0 <= gamma < 1)")
    p.add_argument("--rule", default="optimal", help="optimal|fracoptimal|antiopt|boltzmann:T|bestof:K|satisfice:T|quantiliser:Q")
    p.add_argument("--limit", default="20000000", help="largest exact enumeration (arrangements on relevant states)")
    p.add_argument("--samples", help="sample this many orbit elements when the enumeration exceeds --limit")
    p.add_argument("--seed", default="0")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_orbit)

    p = subparsers.add_parser("power", help="POWER(s, gamma) for gamma in [0, 1] (iid uniform rewards)")
    p.add_argument("file")
    p.add_argument("--state")
    p.add_argument("--gamma", required=True)
    p.add_argument("--samples", default="100000")
    p.add_argument("--seed", default="0")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_power)

    p = subparsers.add_parser("copies", help="find and certify involutions showing B contains n copies of A")
    p.add_argument("file")
    p.add_argument("--state")
    p.add_argument("--a", required=True)
    p.add_argument("--b", required=True)
    p.add_argument("--criterion", choices=("average", "blackwell", "discounted"), default="average",
                   help="average: copies of RSDs; otherwise of visit distributions")
    p.add_argument("--gamma")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_copies)
