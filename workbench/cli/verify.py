"""``workbench verify``: run the registered claims, print the table, write the report.

A full run (no ``--only``) writes a fresh report. A partial run (``--only IDS``) never replaces
a report: it merges the re-run claims into the report already in ``--out``, or, when there is
none, writes a report marked partial. Every claim entry records the run that produced it
(time, command, versions), and the report's header lists those runs, so a merged report says
which claims are fresh. Nothing is written until every claim has finished: figures and report
files are staged in ``--out/.staging`` and moved into place at the end; an interrupted run
leaves the previous report as it was.

``--claims FILE`` (repeatable) adds a user's claims to this run only; ``--jobs N`` runs the
claims in ``N`` forked worker processes (:func:`workbench.claims.run_claims`), with the same
evidence as ``--jobs 1``.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import re
import shlex
import shutil
import sys
from pathlib import Path

from workbench.claims._registry import (CheckContext, ClaimResult, Status, all_claims, claim_id_sort_key, load_claims_files,
                                        run_claims)
from workbench._errors import InvalidInput, OutputNotWritable
from workbench._io import atomic_write_json, atomic_write_text, check_writable

_ORDER = [Status.PROVED, Status.VERIFIED, Status.REFUTED, Status.OPEN, Status.FAILED, Status.ERROR]

#: Layout of ``report.json``; version 1 had no per-claim ``run`` (read as one run from its meta).
REPORT_FORMAT = "workbench.verify/2"
_REPORT_FILES = ("report.md", "index.html", "report.json")  # report.json last: it is what a merge reads
_FIGURE_NAME = re.compile(r"^figures/(?!\.\.?$)[^/\\]+$")


def _versions() -> dict:
    import matplotlib
    import networkx
    import numpy
    import scipy
    import sympy

    from workbench import __version__

    return {"workbench": __version__, **_source(), "python": platform.python_version(), "numpy": numpy.__version__, "scipy": scipy.__version__,
            "sympy": sympy.__version__, "networkx": networkx.__version__, "matplotlib": matplotlib.__version__}


def _source() -> dict:
    """The git commit of the checkout the package runs from (``+dirty`` with local changes), if it is one."""
    import subprocess

    root = Path(__file__).resolve().parents[2]
    if not (root / ".git").exists():
        return {}
    try:
        sha = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return {}
    if sha.returncode != 0:
        return {}
    return {"commit": sha.stdout.strip()[:12] + ("+dirty" if dirty.returncode == 0 and dirty.stdout.strip() else "")}


def status_counts(statuses) -> dict:
    """``{status: count}`` over the six statuses, in ladder order."""
    statuses = [str(getattr(s, "value", s)) for s in statuses]
    return {s.value: statuses.count(s.value) for s in _ORDER}


def _counts_text(counts: dict) -> str:
    return "  ".join(f"{k}: {v}" for k, v in counts.items())


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
    lines.append("")
    lines.append(_counts_text(status_counts(r.evidence.status for r in results)))
    return "\n".join(lines)


def _md_escape(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


_LEGEND = ("**proved** = every step the claim rests on is a symbolic identity, an exact computation or an exhaustive "
           "enumeration, and together they cover every case of the statement; **verified** = some step is numeric, a formal "
           "argument, or covers only stated cases (not a proof); **refuted** = an exact counterexample; **open** = only a "
           "search that found nothing, or a step not carried out; **failed** = a step did not pass; **error** = the check "
           "crashed. The method column lists the kinds of the steps, the coverage column what each covers.")


def _method_coverage(ev: dict) -> tuple[str, str]:
    """Method and coverage of an entry (entries written before steps existed have neither)."""
    return ev.get("method", ""), ev.get("coverage", "")


def _versions_text(versions: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in versions.items())


def _header_lines(meta: dict) -> list[str]:
    """The provenance paragraphs shared by the Markdown and HTML reports (Markdown inline syntax)."""
    out = []
    runs = meta["runs"]
    if not meta["merged"]:
        out.append(f"Generated {meta['generated']} by `{meta['command']}` ({_versions_text(meta['versions'])}).")
    else:
        fresh = meta["claims_run"]
        others = sum(len(r["claims"]) for r in runs) - len(fresh)
        out.append(f"**Merged report.** Updated {meta['generated']} by `{meta['command']}`, which re-ran "
                   f"{', '.join(fresh)}; the other {others} claim{'s' if others != 1 else ''} come from the earlier "
                   f"run{'s' if len(runs) > 2 else ''} listed below. Each claim names the run that produced it; "
                   "figures of re-run claims were replaced.")
    if not meta["complete"]:
        total = meta["registered"]
        out.append(f"**Partial report:** it holds {total - len(meta['missing'])} of the {total} registered claims; "
                   f"never run here: {', '.join(meta['missing'])}. Run `workbench verify` without `--only` for the full report.")
    if meta.get("certificates"):
        out.append(_certificates_line(meta["certificates"]))
    return out


def _certificates_line(c: dict) -> str:
    """What the independent checker found in ``certificates/`` (one sentence)."""
    bad = [n for n, r in c["results"].items() if r["status"] == "failed"]
    unchecked = [n for n, r in c["results"].items() if r["status"] == "unchecked"]
    text = (f"**Certificates:** the independent checker (`python -m workbench.certificates.check <report dir>`, standard "
            f"library and fractions only; it supports {c['supports']}) re-verified the {c['files']} certificate"
            f"{'s' if c['files'] != 1 else ''} in `certificates/`: {c['passed']} passed, {c['failed']} failed, "
            f"{c['unchecked']} unchecked")
    if bad:
        text += f" (failed: {', '.join(bad)})"
    if unchecked:
        text += f" (unchecked: " + "; ".join(f"{n}: {c['results'][n]['messages'][0]}" for n in unchecked) + ")"
    return text + "."


def _certificate_files(entry: dict) -> list[str]:
    details = entry.get("evidence", {}).get("details")
    return list(details.get("certificates", [])) if isinstance(details, dict) else []


def render_markdown(payload: dict) -> str:
    """The Markdown report of a ``report.json`` payload."""
    from workbench._io import to_jsonable

    meta, entries = payload["meta"], payload["claims"]
    runs = meta["runs"]
    run_of = {cid: i + 1 for i, r in enumerate(runs) for cid in r["claims"]}
    out = ["# workbench verify: claims report", ""]
    for line in _header_lines(meta):
        out += [line, ""]
    if len(runs) > 1:
        out += ["| run | generated | command | versions | claims |", "|---|---|---|---|---|"]
        out += [f"| {i + 1} | {r['generated']} | `{_md_escape(r['command'])}` | {_md_escape(_versions_text(r['versions']))} | "
                f"{', '.join(r['claims'])} |" for i, r in enumerate(runs)]
        out.append("")
    out += [f"**Statuses:** {_counts_text(status_counts(e['status'] for e in entries))}", ""]
    out += [f"Statuses: {_LEGEND}", ""]
    extra = " run |" if len(runs) > 1 else ""
    out += [f"| id | status | method | coverage | claim | evidence | code |{extra}",
            "|---|---|---|---|---|---|---|" + ("---|" if extra else "")]
    for e in entries:
        ev = e["evidence"]
        method, coverage = _method_coverage(ev)
        out.append(f"| [{e['id']}](#{e['id'].lower()}) | **{e['status']}** | {_md_escape(method)} | {_md_escape(coverage)} | "
                   f"{_md_escape(e['statement'])} | "
                   f"{_md_escape(ev['summary'])} | `{_md_escape(ev['code'])}` |" + (f" {run_of[e['id']]} |" if extra else ""))
    out.append("")
    for e in entries:
        ev, run = e["evidence"], e["run"]
        out += [f"## {e['id']}", "", f"**Source:** {e['source']}", "", f"**Claim:** {e['statement']}", "",
                f"**Status:** {e['status']} ({ev['method']}; {e['seconds']:.1f} s)", "",
                f"**Run:** {run['generated']} by `{run['command']}` (workbench {run['versions'].get('workbench', '?')})", "",
                ev["summary"], ""]
        if ev.get("steps"):
            out += ["| step | kind | coverage | passed |", "|---|---|---|---|"]
            out += [f"| {_md_escape(st['description'])}{' (cross-check)' if st['corroborating'] else ''}"
                    f"{' (counterexample)' if st['counterexample'] else ''} | {st['kind']} | {_md_escape(st['coverage'])}"
                    f"{' (all cases)' if st['complete'] else ''} | {st['passed']} |" for st in ev["steps"]]
            out.append("")
        for fig in ev["figures"]:
            out += [f"![{e['id']}]({fig})", ""]
        out += [f"Code: `{ev['code']}`", "", "<details><summary>details</summary>", "", "```json",
                json.dumps(to_jsonable(ev["details"]), indent=1)[:20000], "```", "", "</details>", ""]
    return "\n".join(out)


_STATUS_COLOURS = {"proved": "#1b7f3b", "verified": "#2f6db3", "refuted": "#8a4f00", "open": "#6b6b6b", "failed": "#b00020", "error": "#b00020"}


def _md_inline_to_html(text: str) -> str:
    import html

    text = html.escape(text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", text)


def render_html(payload: dict, figure_file) -> str:
    """A standalone page: figures are embedded as data URIs, so it opens from disk offline.

    ``figure_file(rel)`` gives the file of a figure named ``figures/<name>`` in the report.
    """
    import base64
    import html

    from workbench._io import to_jsonable

    meta, entries = payload["meta"], payload["claims"]
    runs = meta["runs"]
    run_of = {cid: i + 1 for i, r in enumerate(runs) for cid in r["claims"]}

    def img(rel: str) -> str:
        path = figure_file(rel)
        if path is None or not path.is_file():
            return f"<p><em>missing figure {html.escape(rel)}</em></p>"
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f'<figure><img alt="{html.escape(rel)}" src="data:image/png;base64,{data}"><figcaption>{html.escape(rel)}</figcaption></figure>'

    def colour(e) -> str:
        return _STATUS_COLOURS.get(e["status"], "#000")

    many = len(runs) > 1
    rows = "".join(
        f'<tr><td><a href="#{html.escape(e["id"])}">{html.escape(e["id"])}</a></td>'
        f'<td><b style="color:{colour(e)}">{html.escape(e["status"])}</b></td>'
        f"<td>{html.escape(_method_coverage(e['evidence'])[0])}</td><td>{html.escape(_method_coverage(e['evidence'])[1])}</td>"
        f"<td>{html.escape(e['statement'])}</td><td>{html.escape(e['evidence']['summary'])}</td>"
        f"<td><code>{html.escape(e['evidence']['code'])}</code></td>" + (f"<td>{run_of[e['id']]}</td>" if many else "") + "</tr>"
        for e in entries)
    sections = "".join(
        f'<section id="{html.escape(e["id"])}"><h2>{html.escape(e["id"])} '
        f'<small style="color:{colour(e)}">{html.escape(e["status"])}</small></h2>'
        f"<p><b>Source:</b> {html.escape(e['source'])}</p><p><b>Claim:</b> {html.escape(e['statement'])}</p>"
        f"<p><b>Run:</b> {html.escape(e['run']['generated'])} by <code>{html.escape(e['run']['command'])}</code> "
        f"(workbench {html.escape(str(e['run']['versions'].get('workbench', '?')))})</p>"
        f"<p>{html.escape(e['evidence']['summary'])}</p>{''.join(img(f) for f in e['evidence']['figures'])}"
        f"<p>Method: {html.escape(e['evidence']['method'])}; {e['seconds']:.1f} s; code: <code>{html.escape(e['evidence']['code'])}</code></p>"
        f"<details><summary>details</summary><pre>{html.escape(json.dumps(to_jsonable(e['evidence']['details']), indent=1)[:20000])}</pre></details></section>"
        for e in entries)
    header = "".join(f"<p>{_md_inline_to_html(line)}</p>" for line in _header_lines(meta))
    header += f"<p><b>Statuses:</b> {html.escape(_counts_text(status_counts(e['status'] for e in entries)))}</p>"
    if many:
        header += ("<table><tr><th>run</th><th>generated</th><th>command</th><th>versions</th><th>claims</th></tr>"
                   + "".join(f"<tr><td>{i + 1}</td><td>{html.escape(r['generated'])}</td><td><code>{html.escape(r['command'])}</code></td>"
                             f"<td>{html.escape(_versions_text(r['versions']))}</td><td>{html.escape(', '.join(r['claims']))}</td></tr>"
                             for i, r in enumerate(runs)) + "</table>")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>workbench verify report</title>
<style>body{{font-family:sans-serif;max-width:1100px;margin:2em auto;line-height:1.4}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 6px;vertical-align:top;font-size:90%}}img{{max-width:100%}}pre{{background:#f6f6f6;overflow:auto;font-size:80%}}</style>
</head><body><h1>workbench verify: claims report</h1>
{header}
<p>Statuses: {_md_inline_to_html(_LEGEND)}</p>
<table><tr><th>id</th><th>status</th><th>method</th><th>coverage</th><th>claim</th><th>evidence</th><th>code</th>{"<th>run</th>" if many else ""}</tr>{rows}</table>{sections}</body></html>
"""


# --------------------------------------------------------------------------- the report on disk


def parse_only(text: str, known: list[str]) -> list[str]:
    """The claim ids of ``--only``: distinct, in the given order; empty entries and unknown ids are errors."""
    parts = [s.strip() for s in text.split(",")]
    if not any(parts):
        raise InvalidInput("--only: no claim ids given; list some, e.g. --only RS4,PS12 (or leave out --only to run every claim)")
    if not all(parts):
        raise InvalidInput(f"--only {text!r} has an empty entry; give comma-separated claim ids such as RS4,PS12")
    unknown = sorted(set(parts) - set(known))
    if unknown:
        raise InvalidInput(f"--only: unknown claim ids {', '.join(unknown)}; known: {', '.join(known)}")
    return list(dict.fromkeys(parts))


def _valid_entry(e) -> bool:
    if not (isinstance(e, dict) and isinstance(e.get("id"), str) and e["id"] and isinstance(e.get("status"), str)
            and isinstance(e.get("statement"), str) and isinstance(e.get("source"), str)
            and isinstance(e.get("seconds"), (int, float)) and isinstance(e.get("evidence"), dict)):
        return False
    ev = e["evidence"]
    figs = ev.get("figures")
    # Figure names are used to delete stale files: only plain names inside figures/.
    return (all(isinstance(ev.get(k), str) for k in ("summary", "method", "code")) and isinstance(figs, list)
            and all(isinstance(f, str) and _FIGURE_NAME.match(f) for f in figs)
            and (e.get("run") is None or _valid_run(e["run"])))


def _valid_run(run) -> bool:
    return (isinstance(run, dict) and isinstance(run.get("generated"), str) and isinstance(run.get("command"), str)
            and isinstance(run.get("versions"), dict))


def read_report(out_dir: Path) -> list[dict] | None:
    """The claim entries of ``out_dir/report.json``, each with its ``run``; None if there is no report.

    Raises :class:`InvalidInput` if the file is there but is not a report this version can read.
    """
    path = out_dir / "report.json"
    if not path.exists():
        return None
    try:
        if path.stat().st_size > 200_000_000:
            raise ValueError("too large")
        data = json.loads(path.read_text(encoding="utf-8"))
        entries, meta = data["claims"], data["meta"]
        if not isinstance(entries, list) or not all(_valid_entry(e) for e in entries):
            raise ValueError("bad claim entry")
        if len({e["id"] for e in entries}) != len(entries):
            raise ValueError("repeated claim id")
        if any(e.get("run") is None for e in entries):  # format 1: one run, described by the meta
            legacy = {k: meta[k] for k in ("generated", "command", "versions")}
            if not _valid_run(legacy):
                raise ValueError("bad meta")
            entries = [e if e.get("run") else {**e, "run": legacy} for e in entries]
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        raise InvalidInput(f"--out {out_dir}: report.json is not a workbench report this version can read, so the "
                           "re-run claims cannot be merged into it; use another --out, move the file away, "
                           "or leave out --only to write a full report") from None
    return entries


def _check_out(out_dir: Path, partial: bool) -> list[dict] | None:
    """Check ``--out`` before any work; return the existing report's entries for a partial run."""
    check_writable(out_dir, name="--out", directory=True, create=True)
    if not out_dir.exists():
        return None
    for name in _REPORT_FILES:
        if (out_dir / name).is_dir():
            raise OutputNotWritable(f"--out {out_dir}: {out_dir / name} is a directory; move it away")
    staging = out_dir / ".staging"
    if staging.exists() and not staging.is_dir():
        raise OutputNotWritable(f"--out {out_dir}: {staging} exists and is not a directory; move it away")
    figures = out_dir / "figures"
    if figures.exists() and not figures.is_dir():
        raise OutputNotWritable(f"--out {out_dir}: {figures} exists and is not a directory; move it away")
    if figures.is_dir():
        check_writable(figures, name="--out", directory=True)
    if not partial:
        try:  # only to remove figures the new report no longer uses
            return read_report(out_dir)
        except InvalidInput:
            return None
    entries = read_report(out_dir)
    if entries is None and any((out_dir / n).exists() for n in ("report.md", "index.html")):
        raise InvalidInput(f"--out {out_dir} holds report.md or index.html but no report.json to merge the re-run claims "
                           "into; use another --out, move them away, or leave out --only to write a full report")
    return entries


def _make_dir(path: Path) -> list[Path]:
    """``mkdir -p path``; return the directories created, deepest first (to undo)."""
    created = []
    p = path
    while not p.exists():
        created.append(p)
        p = p.parent
    path.mkdir(parents=True, exist_ok=True)
    return created


def _runs(entries: list[dict]) -> list[dict]:
    """The runs that produced ``entries``, oldest first, each with the ids it contributed."""
    runs: dict[tuple, dict] = {}
    for e in entries:
        r = e["run"]
        key = (r["generated"], r["command"], json.dumps(r["versions"], sort_keys=True))
        runs.setdefault(key, {**r, "claims": []})["claims"].append(e["id"])
    return [runs[k] for k in sorted(runs)]


def _command(args, ids: list[str] | None) -> str:
    words = ["workbench", "verify", "--out", str(args.out)]
    for path in args.claims or ():
        words += ["--claims", str(path)]
    if ids is not None:
        words += ["--only", ",".join(ids)]
    if args.json:
        words.append("--json")
    return " ".join(shlex.quote(w) for w in words)


def run_verify(args) -> int:
    from workbench.cli._main import print_json

    out_dir = Path(args.out)
    jobs = _jobs(args.jobs)
    claims = all_claims()
    if args.claims:  # a user's files: their claims join this run only, never the registry
        claims = sorted(claims + load_claims_files(args.claims), key=lambda c: claim_id_sort_key(c.id))
    registered = [c.id for c in claims]
    ids = None if args.only is None else parse_only(args.only, registered)
    if ids is not None:
        claims = [c for c in claims if c.id in set(ids)]
    previous = _check_out(out_dir, partial=ids is not None)
    had_report = (out_dir / "report.json").exists()

    created = _make_dir(out_dir)
    staging = out_dir / ".staging"
    shutil.rmtree(staging, ignore_errors=True)  # left by a killed run
    done: list[ClaimResult] = []

    def progress(r: ClaimResult):
        if not args.json:
            print(f"[{len(done) + 1}/{len(claims)}] {r.claim.id}: {r.evidence.status.value} ({r.seconds:.1f} s)", file=sys.stderr, flush=True)
        done.append(r)

    try:
        (staging / "figures").mkdir(parents=True)
        results = run_claims(claims, CheckContext(out_dir=staging), progress, jobs=jobs)
        run = {"generated": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
               "command": _command(args, ids), "versions": _versions()}
        entries = {e["id"]: e for e in (previous or [])} if ids is not None else {}
        entries.update({r.claim.id: {**r.to_json(), "run": run} for r in results})
        ordered = sorted(entries.values(), key=lambda e: claim_id_sort_key(e["id"]))
        runs = _runs(ordered)
        meta = {"format": REPORT_FORMAT, **run, "claims_run": [r.claim.id for r in results],
                "merged": len(runs) > 1, "registered": len(registered), "complete": set(registered) <= set(entries),
                "missing": [c for c in registered if c not in entries], "runs": runs}
        # the independent checker re-verifies every certificate the report will hold
        from workbench.certificates.check import check_files

        rerun = {r.claim.id for r in results}
        kept = [out_dir / rel for e in ordered if e["id"] not in rerun for rel in _certificate_files(e)]
        certs = sorted((staging / "certificates").glob("*.json")) + [p for p in kept if p.exists()]
        if certs:
            meta["certificates"] = check_files(certs)
        payload = {"claims": ordered, "meta": meta}

        def figure_file(rel: str) -> Path:
            new = staging / rel
            return new if new.exists() else out_dir / rel

        # Render everything before touching the report, so a failure here leaves it as it was.
        atomic_write_json(staging / "report.json", payload)
        atomic_write_text(staging / "report.md", render_markdown(payload))
        atomic_write_text(staging / "index.html", render_html(payload, figure_file))
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        for d in created:  # deepest first; only the (now empty) folders this run made
            try:
                d.rmdir()
            except OSError:
                break
        if isinstance(exc, KeyboardInterrupt):
            kept = f"; the report in {out_dir} is unchanged" if had_report else ""
            raise KeyboardInterrupt(f"nothing was written{kept}") from None
        raise
    _commit(out_dir, staging, old=previous or [], new=ordered)

    figures = out_dir / "figures"
    if args.json:
        print_json(payload)
    else:
        print(format_table(results))
        print(f"\nreport: {out_dir / 'report.md'}, {out_dir / 'index.html'}  json: {out_dir / 'report.json'}  figures: {figures}/")
        if meta["merged"]:
            print(f"merged: re-ran {len(results)} claim(s); {len(ordered) - len(results)} kept from earlier runs (see the report's header)")
        if not meta["complete"]:
            print(f"partial report: not run here: {', '.join(meta['missing'])}")
        if meta.get("certificates"):
            c = meta["certificates"]
            print(f"certificates: {c['files']} re-verified by the independent checker: {c['passed']} passed, "
                  f"{c['failed']} failed, {c['unchecked']} unchecked (python -m workbench.certificates.check {out_dir})")
    problems = [r.claim.id for r in results if r.is_problem]
    if problems and not args.json:
        print(f"problems (failed or error): {', '.join(problems)}", file=sys.stderr)
    return 1 if problems else 0


def _commit(out_dir: Path, staging: Path, *, old: list[dict], new: list[dict]) -> None:
    """Move the staged figures and report files into ``out_dir``; remove figures no entry uses any more."""
    figures = out_dir / "figures"
    figures.mkdir(exist_ok=True)
    for f in sorted((staging / "figures").iterdir()):
        if f.is_file():
            os.replace(f, figures / f.name)
    if (staging / "certificates").is_dir():
        (out_dir / "certificates").mkdir(exist_ok=True)
        for f in sorted((staging / "certificates").iterdir()):
            os.replace(f, out_dir / "certificates" / f.name)
    for name in _REPORT_FILES:
        os.replace(staging / name, out_dir / name)
    used_certs = {f for e in new for f in _certificate_files(e)}
    for rel in sorted({f for e in old for f in _certificate_files(e)} - used_certs):
        (out_dir / rel).unlink(missing_ok=True)
    used = {f for e in new for f in e["evidence"]["figures"]}
    for rel in sorted({f for e in old for f in e["evidence"]["figures"]} - used):
        (out_dir / rel).unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)


def _jobs(text: str | None) -> int:
    """``--jobs``: a positive integer; absent, the CPUs available (at most 8)."""
    from workbench.claims._parallel import MAX_DEFAULT_JOBS, default_jobs

    if text is None:
        return default_jobs()
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise InvalidInput(f"--jobs must be a positive integer (1 runs the claims one after another), got {text!r}; "
                           f"the default is the number of CPUs, at most {MAX_DEFAULT_JOBS}")
    return jobs


def add_commands(subparsers) -> None:
    p = subparsers.add_parser("verify", help="run every claim of both seeds and write the report")
    p.add_argument("--out", default="report", metavar="DIR", help="report directory (default ./report)")
    p.add_argument("--only", metavar="IDS", help="comma-separated claim ids to run (default: all)")
    p.add_argument("--claims", metavar="FILE", action="append",
                   help="a Python file of your own claims (registered with @claim from workbench.claims) to run "
                        "beside the built-in ones; repeat for several files")
    p.add_argument("--jobs", metavar="N", help="worker processes (default: the number of CPUs, at most 8; "
                                                "1 runs the claims one after another in this process)")
    p.add_argument("--json", action="store_true", help="print the report JSON instead of the table")
    p.set_defaults(func=run_verify)
