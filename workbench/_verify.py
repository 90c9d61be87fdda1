"""``workbench verify``: run every registered claim, print the table, write the report."""

from __future__ import annotations

import datetime as _dt
import platform
import shutil
import sys
from pathlib import Path

from ._claims import CheckContext, ClaimResult, Status, all_claims, run_claims
from ._errors import WorkbenchError
from ._io import atomic_write_json, atomic_write_text

_ORDER = [Status.PROVED, Status.VERIFIED, Status.REFUTED, Status.OPEN, Status.FAILED, Status.ERROR]


def _versions() -> dict:
    import matplotlib
    import networkx
    import numpy
    import scipy
    import sympy

    from . import __version__

    return {"workbench": __version__, "python": platform.python_version(), "numpy": numpy.__version__, "scipy": scipy.__version__,
            "sympy": sympy.__version__, "networkx": networkx.__version__, "matplotlib": matplotlib.__version__}


def format_table(results: list[ClaimResult], width: int = 110) -> str:
    rows = [("ID", "STATUS", "SECONDS", "EVIDENCE")]
    for r in results:
        rows.append((r.claim.id, r.evidence.status.value, f"{r.seconds:.1f}", r.evidence.summary))
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    w2 = max(len(r[2]) for r in rows)
    room = max(30, width - w0 - w1 - w2 - 6)
    lines = []
    for a, b, c, d in rows:
        d = d if len(d) <= room else d[: room - 1] + "…"
        lines.append(f"{a:<{w0}}  {b:<{w1}}  {c:>{w2}}  {d}")
    counts = {s.value: sum(r.evidence.status == s for r in results) for s in _ORDER}
    lines.append("")
    lines.append("  ".join(f"{k}: {v}" for k, v in counts.items()))
    return "\n".join(lines)


def _md_escape(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(results: list[ClaimResult], meta: dict) -> str:
    import json

    from ._io import to_jsonable

    out = ["# workbench verify: claims report", ""]
    out.append(f"Generated {meta['generated']} by `{meta['command']}` ({', '.join(f'{k} {v}' for k, v in meta['versions'].items())}).")
    out.append("")
    out.append("Statuses: **proved** = a symbolic derivation ran and passed; **verified** = checked exactly or numerically on the "
               "stated cases (not a proof); **refuted** = counterexample found; **open** = not settled by computation; "
               "**failed** = a claim expected to hold did not; **error** = the check crashed.")
    out.append("")
    out.append("| id | status | claim | evidence | code |")
    out.append("|---|---|---|---|---|")
    for r in results:
        out.append(f"| [{r.claim.id}](#{r.claim.id.lower()}) | **{r.evidence.status.value}** | {_md_escape(r.claim.statement)} | "
                   f"{_md_escape(r.evidence.summary)} | `{_md_escape(r.claim.code)}` |")
    out.append("")
    for r in results:
        ev = r.evidence
        out += [f"## {r.claim.id}", "", f"**Source:** {r.claim.source}", "", f"**Claim:** {r.claim.statement}", "",
                f"**Status:** {ev.status.value} ({ev.method}; {r.seconds:.1f} s)", "", ev.summary, ""]
        for fig in ev.figures:
            out += [f"![{r.claim.id}]({fig})", ""]
        out += [f"Code: `{r.claim.code}`", "", "<details><summary>details</summary>", "", "```json",
                json.dumps(to_jsonable(ev.details), indent=1)[:20000], "```", "", "</details>", ""]
    return "\n".join(out)


_STATUS_COLOURS = {"proved": "#1b7f3b", "verified": "#2f6db3", "refuted": "#8a4f00", "open": "#6b6b6b", "failed": "#b00020", "error": "#b00020"}


def render_html(results: list[ClaimResult], meta: dict, out_dir: Path) -> str:
    """A standalone page: figures are embedded as data URIs, so it opens from disk offline."""
    import base64
    import html
    import json

    from ._io import to_jsonable

    def img(rel: str) -> str:
        path = out_dir / rel
        if not path.exists():
            return f"<p><em>missing figure {html.escape(rel)}</em></p>"
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f'<figure><img alt="{html.escape(rel)}" src="data:image/png;base64,{data}"><figcaption>{html.escape(rel)}</figcaption></figure>'

    rows = "".join(
        f'<tr><td><a href="#{html.escape(r.claim.id)}">{html.escape(r.claim.id)}</a></td>'
        f'<td><b style="color:{_STATUS_COLOURS[r.evidence.status.value]}">{r.evidence.status.value}</b></td>'
        f"<td>{html.escape(r.claim.statement)}</td><td>{html.escape(r.evidence.summary)}</td><td><code>{html.escape(r.claim.code)}</code></td></tr>"
        for r in results)
    sections = "".join(
        f'<section id="{html.escape(r.claim.id)}"><h2>{html.escape(r.claim.id)} '
        f'<small style="color:{_STATUS_COLOURS[r.evidence.status.value]}">{r.evidence.status.value}</small></h2>'
        f"<p><b>Source:</b> {html.escape(r.claim.source)}</p><p><b>Claim:</b> {html.escape(r.claim.statement)}</p>"
        f"<p>{html.escape(r.evidence.summary)}</p>{''.join(img(f) for f in r.evidence.figures)}"
        f"<p>Method: {r.evidence.method}; {r.seconds:.1f} s; code: <code>{html.escape(r.claim.code)}</code></p>"
        f"<details><summary>details</summary><pre>{html.escape(json.dumps(to_jsonable(r.evidence.details), indent=1)[:20000])}</pre></details></section>"
        for r in results)
    versions = ", ".join(f"{k} {v}" for k, v in meta["versions"].items())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>workbench verify report</title>
<style>body{{font-family:sans-serif;max-width:1100px;margin:2em auto;line-height:1.4}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 6px;vertical-align:top;font-size:90%}}img{{max-width:100%}}pre{{background:#f6f6f6;overflow:auto;font-size:80%}}</style>
</head><body><h1>workbench verify: claims report</h1>
<p>Generated {html.escape(meta["generated"])} by <code>{html.escape(meta["command"])}</code> ({html.escape(versions)}).</p>
<p>Statuses: <b>proved</b> = a symbolic derivation ran and passed; <b>verified</b> = checked exactly or numerically on the stated cases (not a proof);
<b>refuted</b> = counterexample found; <b>open</b> = not settled by computation; <b>failed</b> = a claim expected to hold did not; <b>error</b> = the check crashed.</p>
<table><tr><th>id</th><th>status</th><th>claim</th><th>evidence</th><th>code</th></tr>{rows}</table>{sections}</body></html>
"""


def run_verify(args) -> int:
    from ._cli import print_json

    out_dir = Path(args.out)
    if out_dir.exists() and not out_dir.is_dir():
        raise WorkbenchError(f"--out {args.out!r} exists and is not a directory")
    claims = all_claims()
    if args.only:
        wanted = {s.strip() for s in args.only.split(",") if s.strip()}
        unknown = wanted - {c.id for c in claims}
        if unknown:
            raise WorkbenchError(f"--only: unknown claim ids {', '.join(sorted(unknown))}; known: {', '.join(c.id for c in claims)}")
        claims = [c for c in claims if c.id in wanted]
    # Figures go to a staging folder and move into place only when the run completes.
    staging = out_dir / ".staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    context = CheckContext(out_dir=staging)

    def progress(r: ClaimResult):
        if not args.json:
            print(f"[{len(done) + 1}/{len(claims)}] {r.claim.id}: {r.evidence.status.value} ({r.seconds:.1f} s)", file=sys.stderr, flush=True)
        done.append(r)

    done: list[ClaimResult] = []
    try:
        results = run_claims(claims, context, progress)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    meta = {"generated": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "command": "workbench verify " + " ".join(sys.argv[2:]) if sys.argv[1:2] == ["verify"] else "workbench verify",
            "versions": _versions()}
    figures = out_dir / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    for f in (staging / "figures").glob("*") if (staging / "figures").exists() else []:
        f.replace(figures / f.name)
    shutil.rmtree(staging, ignore_errors=True)
    payload = {"claims": [r.to_json() for r in results], "meta": meta}
    atomic_write_json(out_dir / "report.json", payload)
    atomic_write_text(out_dir / "report.md", render_markdown(results, meta))
    atomic_write_text(out_dir / "index.html", render_html(results, meta, out_dir))
    if args.json:
        print_json(payload)
    else:
        print(format_table(results))
        print(f"\nreport: {out_dir / 'report.md'}, {out_dir / 'index.html'}  json: {out_dir / 'report.json'}  figures: {figures}/")
    problems = [r.claim.id for r in results if r.is_problem]
    if problems and not args.json:
        print(f"problems (failed or error): {', '.join(problems)}", file=sys.stderr)
    return 1 if problems else 0


def add_commands(subparsers) -> None:
    p = subparsers.add_parser("verify", help="run every claim of both seeds and write the report")
    p.add_argument("--out", default="report", metavar="DIR", help="report directory (default ./report)")
    p.add_argument("--only", metavar="IDS", help="comma-separated claim ids to run (default: all)")
    p.add_argument("--json", action="store_true", help="print the report JSON instead of the table")
    p.set_defaults(func=run_verify)
