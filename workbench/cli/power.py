"""Commands ``mdp show``, ``orbit``, ``power`` and ``copies`` of the ``workbench`` command line.

Every flag is parsed with bounds before any work; an enumeration over its limit names the flag
that raises it (the library's ``EnumerationTooLarge.parameter``, mapped by :data:`_FLAGS`).
"""

from __future__ import annotations

import functools
import sys
from contextlib import contextmanager
from fractions import Fraction

from workbench._errors import EnumerationTooLarge, InvalidInput, WorkbenchError
from workbench._numbers import parse_fraction, parse_int

__all__ = ["add_commands"]

# library parameter (as `name` in messages) -> the flag that sets it
_FLAGS = {"max_visits": "--max-visits", "max_vectors": "--max-vectors", "limit": "--limit", "samples": "--samples K",
          "max_samples": "--samples", "BatchedValueIteration": "--method sampled", "ExactVisits": "--method exact"}
_MAX_LIMIT = 10**9  # --limit: arrangements enumerated exactly
_MAX_VISITS_FLAG = 10**7
_MAX_VECTORS_FLAG = 10**5


def _flags_for_limits(run):
    """Name the flag, not the library parameter, when an enumeration is over its limit."""

    @functools.wraps(run)
    def wrapped(args):
        try:
            return run(args)
        except EnumerationTooLarge as exc:
            message = str(exc)
            if exc.parameter == "limit" and "; " in message:  # the library's hint names Exact and Sampled
                message = message.rsplit("; ", 1)[0] + "; raise `limit` or give `samples` for a sampled estimate"
            for name, flag in _FLAGS.items():
                message = message.replace(f"`{name}`", flag)
            raise EnumerationTooLarge(message, estimate=exc.estimate, limit=exc.limit, parameter=exc.parameter) from None

    return wrapped


@contextmanager
def _long_ints():
    """Print exact counts in full: orbit sizes such as 3000! have more than the 4,300 digits
    Python converts to text by default (that limit guards parsing, which is bounded here)."""
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        yield
    finally:
        sys.set_int_max_str_digits(old)


def _list(text: str, what: str) -> list[str]:
    items = [x.strip() for x in str(text).split(",")]
    if not items or any(not x for x in items):
        shown = repr(text) if str(text).strip() else "an empty value"
        raise InvalidInput(f"{what}: {shown} has an empty entry; give comma-separated names")
    return items


def _max_visits(args) -> int:
    return parse_int(args.max_visits, name="--max-visits", minimum=1, maximum=_MAX_VISITS_FLAG)


def _max_vectors(args) -> int:
    return parse_int(args.max_vectors, name="--max-vectors", minimum=1, maximum=_MAX_VECTORS_FLAG)


def _gamma_only_if_discounted(args) -> None:
    if args.gamma is not None and args.criterion != "discounted":
        raise InvalidInput("--gamma only applies to --criterion discounted")


def _plot_path(args):
    """Check ``--plot`` before any work: a writable file in an existing directory, and a format
    matplotlib can write (the suffix; none means PNG)."""
    if args.plot is None:
        return None
    from pathlib import Path

    from workbench._io import check_writable

    path = check_writable(args.plot, name="--plot")
    fmt = Path(path).suffix.lstrip(".").lower() or "png"
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    known = FigureCanvasAgg.get_supported_filetypes()
    if fmt not in known:
        raise InvalidInput(f"--plot: cannot write a {fmt!r} file; use one of {', '.join(sorted(known))}")
    return path


def parse_reward(text: str, mdp) -> list[Fraction]:
    """Reward values in state order (``1,0,1/3``) or ``name=value`` pairs covering every state."""
    parts = _list(text, "--reward")
    if all("=" in p for p in parts):
        values = {}
        for p in parts:
            name, _, val = p.partition("=")
            name = name.strip()
            try:
                mdp.index(name)
            except WorkbenchError as exc:
                raise InvalidInput(f"--reward: {exc}") from None
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


def _state(mdp, name, default=None):
    """``--state`` (never empty), else the file's start state, else ``default``."""
    if name is not None:
        if not name.strip():
            raise InvalidInput("--state: an empty value; give a state name")
        try:
            mdp.index(name)
        except WorkbenchError as exc:
            raise InvalidInput(f"--state: {exc}") from None
        return name
    state = mdp.start if mdp.start is not None else default
    if state is None:
        raise InvalidInput(f"{mdp.source}: no start state in the file; pass --state")
    return state


def _fmt(x):
    if isinstance(x, Fraction):
        if max(x.numerator.bit_length(), x.denominator.bit_length()) > 200:
            return f"{float(x):.6g} (an exact fraction with {len(str(x.denominator))} denominator digits)"
        return f"{x.numerator}/{x.denominator} (= {float(x):.6g})" if x.denominator != 1 else str(x.numerator)
    if isinstance(x, float):
        return f"{x:.6g}"
    return str(x)


# --- mdp show ------------------------------------------------------------------------------

@_flags_for_limits
def run_mdp_show(args) -> int:
    from workbench.cli._main import print_json
    from workbench.power._mdp.mdp import load_mdp
    from workbench.power._visits.visits import non_dominated, recurrent_state_distributions, visit_distributions

    if (args.a is None) != (args.b is None):
        raise InvalidInput("--a and --b go together (with --plot)")
    if args.a is not None and args.plot is None:
        raise InvalidInput("--a and --b only colour a drawing; add --plot FILE")
    plot = _plot_path(args)
    max_visits, max_vectors = _max_visits(args), _max_vectors(args)
    mdp = load_mdp(args.file)
    state = _state(mdp, args.state, default=mdp.states[0])
    a = b = None
    if args.a is not None:
        a, b = _list(args.a, "--a"), _list(args.b, "--b")
        mdp.check_actions(state, a + b)
    visits = visit_distributions(mdp, state, max_visits=max_visits)
    rsds = recurrent_state_distributions(mdp, state, max_visits=max_visits)
    nd = non_dominated(rsds, max_vectors=max_vectors)
    fig = None
    if plot is not None:
        from workbench._io import save_figure
        from workbench.power._plotting.draw import draw_mdp

        sets, invs = {}, []
        if a is not None:
            from workbench.power._orbits.copies import copies_at

            supp = lambda acts: sorted({x for f in visits if f.first_actions & set(acts) for x in f.support()} - {state})  # noqa: E731
            sets = {f"A = {','.join(a)}": supp(a), f"B = {','.join(b)}": supp(b)}
            invs = list(copies_at(mdp, state, a, b, max_visits=max_visits, max_vectors=max_vectors).involutions)
        fig = draw_mdp(mdp, option_sets=sets, involutions=invs).figure
        save_figure(fig, plot)
    info = mdp.to_json()
    info.update({
        "query_state": state,
        "visit_distributions": len(visits),
        "rsds": [list(r) for r in rsds],
        "non_dominated_rsds": len(nd),
        "plot": str(args.plot) if args.plot else None,
    })
    with _long_ints():
        if args.json:
            print_json(info)
            return 0
        _print_show(args, mdp, state, visits, rsds, nd)
    return 0


def _print_show(args, mdp, state, visits, rsds, nd) -> None:
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
    if args.plot is not None:
        print(f"  plot written to {args.plot}")


# --- orbit -----------------------------------------------------------------------------------

def _load_with_options(args):
    """The MDP file, the state and the validated first-action lists ``--a`` and ``--b``."""
    from workbench.power._mdp.mdp import load_mdp

    mdp = load_mdp(args.file)
    state = _state(mdp, args.state)
    a, b = _list(args.a, "--a"), _list(args.b, "--b")
    for flag, acts in (("--a", a), ("--b", b)):
        try:
            mdp.check_actions(state, acts)
        except WorkbenchError as exc:
            raise InvalidInput(f"{flag}: {exc}") from None
    return mdp, state, a, b


@_flags_for_limits
def run_orbit(args) -> int:
    from workbench.cli._main import print_json
    from workbench.power._visits.criteria import criterion_from_name
    from workbench.power._orbits.methods import MAX_SAMPLES, Exact, Sampled
    from workbench.power._orbits.votes import orbit_vote
    from workbench.power._orbits.rules import rule_from_spec

    _gamma_only_if_discounted(args)
    crit = criterion_from_name(args.criterion, args.gamma)
    rule = rule_from_spec(args.rule)
    limit = parse_int(args.limit, name="--limit", minimum=1, maximum=_MAX_LIMIT)
    samples = parse_int(args.samples, name="--samples", minimum=1, maximum=MAX_SAMPLES) if args.samples is not None else None
    seed = parse_int(args.seed, name="--seed", minimum=0)
    max_visits = _max_visits(args)
    mdp, state, a, b = _load_with_options(args)
    reward = parse_reward(args.reward, mdp)
    # exact unless --samples asks for an estimate (the output then says "method: sampled")
    method = Exact(limit=limit) if samples is None else Sampled(samples=samples, seed=seed)
    vote = orbit_vote(mdp, state, a, b, reward, crit, rule=rule, method=method, max_visits=max_visits)
    with _long_ints():
        if args.json:
            print_json(vote.to_json())
            return 0
        _print_orbit(mdp, state, a, b, vote, seed)
    return 0


def _print_orbit(mdp, state, a, b, vote, seed) -> None:
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


# --- power -----------------------------------------------------------------------------------

def _power_method(args, gamma):
    """``--method`` (a name on the command line) as the library's method object."""
    from workbench._numbers import parse_number
    from workbench.power._orbits.power import MAX_SAMPLES
    from workbench.power._orbits.power_methods import Auto, BatchedValueIteration, ExactVisits

    samples = parse_int(args.samples, name="--samples", minimum=2, maximum=MAX_SAMPLES)
    seed = parse_int(args.seed, name="--seed", minimum=0)
    tol = parse_number(args.tol, name="--tol", minimum=1e-15, maximum=0.5)
    if args.method == "sampled" and gamma == 1:
        raise InvalidInput("--method sampled (value iteration) needs --gamma < 1; use --method exact or auto")
    if args.method == "exact":
        return ExactVisits(samples=samples, seed=seed)
    if args.method == "sampled":
        return BatchedValueIteration(samples=samples, seed=seed, tol=tol)
    return Auto(samples=samples, seed=seed, tol=tol)


@_flags_for_limits
def run_power(args) -> int:
    from workbench.cli._main import print_json
    from workbench.power._mdp.mdp import load_mdp
    from workbench.power._orbits.power import power

    gamma = parse_fraction(args.gamma, name="--gamma")
    if not 0 <= gamma <= 1:
        raise InvalidInput(f"--gamma must be in [0, 1], got {args.gamma}")
    method = _power_method(args, gamma)
    seed = method.seed
    max_visits = _max_visits(args)
    mdp = load_mdp(args.file)
    state = _state(mdp, args.state)
    est = power(mdp, state, gamma, method, max_visits=max_visits)
    with _long_ints():
        if args.json:
            print_json(est.to_json())
            return 0
        _print_power(mdp, state, gamma, est, seed)
    return 0


def _print_power(mdp, state, gamma, est, seed) -> None:
    print(f"POWER({state}, gamma={_fmt(gamma).split(' ')[0]}) on {mdp.name}, rewards {est.distribution}")
    if est.exact is not None:
        print(f"  exact: {_fmt(est.exact)}")
    else:
        print(f"  estimate: {est.power:.6g}, 95% CI [{est.ci[0]:.6g}, {est.ci[1]:.6g}] ({est.samples} samples, seed {seed}; "
              f"error <= {est.error:.2g})")
    print(f"  method: {est.how}")


# --- copies ----------------------------------------------------------------------------------

@_flags_for_limits
def run_copies(args) -> int:
    from workbench.cli._main import print_json
    from workbench.power._orbits.copies import copies_at
    from workbench.power._visits.criteria import criterion_from_name

    _gamma_only_if_discounted(args)
    crit = criterion_from_name(args.criterion, args.gamma)
    max_visits, max_vectors = _max_visits(args), _max_vectors(args)
    mdp, state, a, b = _load_with_options(args)
    cert = copies_at(mdp, state, a, b, crit, max_visits=max_visits, max_vectors=max_vectors)
    with _long_ints():
        if args.json:
            print_json(cert.to_json())
            return 0
        _print_copies(mdp, state, a, b, crit, cert)
    return 0


def _print_copies(mdp, state, a, b, crit, cert) -> None:
    print(f"{mdp.name}, state {state}: copies of A = {{{','.join(a)}}} inside B = {{{','.join(b)}}} ({cert.level} level)")
    print(f"  certified n = {cert.n}  => B weakly preferred by >= {_fmt(cert.bound)} of every orbit ({crit.describe()})")
    print(f"  disjoint copies: {cert.disjoint}; orthogonal supports (Thm 6.13 / D.11 condition): {cert.orthogonal}")
    print(f"  search: {cert.search}")
    for i, phi in enumerate(cert.involutions):
        print(f"    phi_{i + 1} = " + " ".join(f"({x} {y})" for x, y in phi.named(cert.names)))


def _limit_flags(p, *, vectors: bool) -> None:
    from workbench.power._visits.visits import MAX_VECTORS, MAX_VISITS

    p.add_argument("--max-visits", default=str(MAX_VISITS), metavar="N",
                   help=f"most lassos or policies enumerated from the state (default {MAX_VISITS:,})")
    if vectors:
        p.add_argument("--max-vectors", default=str(MAX_VECTORS), metavar="N",
                       help=f"most vectors given to the non-domination filter (default {MAX_VECTORS:,})")


def add_commands(subparsers) -> None:
    p = subparsers.add_parser("mdp", help="MDP files (power-seeking engine)")
    sub = p.add_subparsers(dest="mdp_command", metavar="SUBCOMMAND", required=True)
    q = sub.add_parser("show", help="summarise an MDP file: states, visit distributions, RSDs; optional plot")
    q.add_argument("file")
    q.add_argument("--state", help="state to analyse (default: the file's start)")
    q.add_argument("--plot", metavar="PNG", help="write a drawing (atomically; the directory must exist)")
    q.add_argument("--a", help="with --b and --plot: colour option sets and certified involutions")
    q.add_argument("--b")
    q.add_argument("--json", action="store_true")
    _limit_flags(q, vectors=True)
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
    p.add_argument("--limit", default="20000000",
                   help=f"largest exact enumeration (arrangements on relevant states; at most {_MAX_LIMIT:,})")
    p.add_argument("--samples", help="estimate the vote from this many uniform orbit elements instead of counting "
                                     "exactly (at most 10,000,000; --limit then does not apply)")
    p.add_argument("--seed", default="0", help="seed of the draws with --samples (default 0)")
    p.add_argument("--json", action="store_true")
    _limit_flags(p, vectors=False)
    p.set_defaults(func=run_orbit)

    p = subparsers.add_parser("power", help="POWER(s, gamma) for gamma in [0, 1] (iid uniform rewards)")
    p.add_argument("file")
    p.add_argument("--state")
    p.add_argument("--gamma", required=True)
    p.add_argument("--method", choices=("auto", "exact", "sampled"), default="auto",
                   help="exact: enumerate the visit distributions (closed form or one product per batch of samples); "
                        "sampled: value iteration batched over reward samples (no enumeration; gamma < 1); "
                        "auto (default): the cheaper, estimated before enumerating")
    p.add_argument("--samples", default="100000", help="reward samples when no closed form applies (2 to 10,000,000)")
    p.add_argument("--seed", default="0")
    p.add_argument("--tol", default="1e-8", help="--method sampled/auto: per-sample error of value iteration (default 1e-8)")
    p.add_argument("--json", action="store_true")
    _limit_flags(p, vectors=False)
    p.set_defaults(func=run_power)

    p = subparsers.add_parser("copies", help="find and certify involutions showing B contains n copies of A")
    p.add_argument("file")
    p.add_argument("--state")
    p.add_argument("--a", required=True)
    p.add_argument("--b", required=True)
    p.add_argument("--criterion", choices=("average", "blackwell", "discounted"), default="average",
                   help="average: copies of RSDs; otherwise of visit distributions")
    p.add_argument("--gamma", help="discount for --criterion discounted (0 <= gamma < 1)")
    p.add_argument("--json", action="store_true")
    _limit_flags(p, vectors=True)
    p.set_defaults(func=run_copies)
