"""Cost of the 5-state census, estimated from a fixed systematic sample of its classes (issue 13).

The full census on 5 states (918,000 isomorphism classes) is far beyond one machine, so its
cost is estimated: every ``--stride``-th class in canonical order (default 9180: 100 classes) runs
through ``census_class`` with the census defaults (criteria average, Blackwell, discounted 1/2;
3 generic rewards, seed 0), each timed in CPU seconds (``time.process_time``). The cost depends
mostly on the root's successor set (more root actions, more splits), so the estimate is
stratified by it, with the exact stratum sizes from the enumeration:

    total = sum_h N_h * mean_h,   var = sum_h N_h^2 s_h^2 / n_h   (95% interval: +- 1.96 sqrt(var))

The sample is deterministic (a stride, no random draw); only the timings vary between runs.

    python benchmarks/bench_census5.py [--stride 9180] [--jsonl FILE]

``--jsonl`` appends one line per sampled class (class id, CPU seconds, rows, votes) and, when the
file exists, reuses the classes already timed there (so an interrupted run resumes).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stride", type=int, default=9180)
    ap.add_argument("--jsonl", type=Path, default=None)
    args = ap.parse_args(argv)

    from workbench.power import DEFAULT_CENSUS_CRITERIA, census_class, rooted_mdp_classes

    t0 = time.perf_counter()
    classes = list(rooted_mdp_classes(5))
    strata = Counter(c.masks[0] for c in classes)
    print(f"5 states: {len(classes)} classes enumerated in {time.perf_counter() - t0:.1f} s; "
          f"sample: every {args.stride}th class ({len(classes[::args.stride])} classes); load {os.getloadavg()[0]:.1f}")
    done = {}
    if args.jsonl is not None and args.jsonl.exists():
        for line in args.jsonl.read_text().splitlines():
            rec = json.loads(line)
            done[rec["class"]] = rec
    records = []
    for cls in classes[::args.stride]:
        rec = done.get(cls.id)
        if rec is None:
            t = time.process_time()
            out = census_class(cls.masks, cls.automorphisms, DEFAULT_CENSUS_CRITERIA, 3, 0, False)
            rec = {"class": cls.id, "cpu": time.process_time() - t, "rows": len(out["rows"]), "votes": out["votes"]}
            if args.jsonl is not None:
                with open(args.jsonl, "a") as fh:
                    fh.write(json.dumps(rec) + "\n")
        records.append(rec)

    by_root = defaultdict(list)
    for rec in records:
        by_root[int(rec["class"].split(":")[1].split(".")[0])].append(rec["cpu"])
    print("| root successors (mask) | root actions | classes N_h | sampled n_h | mean CPU s per class | share of total |")
    print("|---|---|---|---|---|---|")
    total = var = 0.0
    parts = {}
    for h in sorted(strata):
        xs = by_root.get(h, [])
        if not xs:
            print(f"| {h} | {bin(h).count('1')} | {strata[h]} | 0 | (not sampled) | ? |")
            continue
        parts[h] = strata[h] * statistics.mean(xs)
        total += parts[h]
        var += strata[h] ** 2 * (statistics.variance(xs) if len(xs) > 1 else 0.0) / len(xs)
    for h in sorted(parts):
        xs = by_root[h]
        print(f"| {h} | {bin(h).count('1')} | {strata[h]} | {len(xs)} | {statistics.mean(xs):.2f} | "
              f"{parts[h] / total:.0%} |")
    cpu = sum(r["cpu"] for r in records)
    votes = sum(r["votes"] for r in records)
    half = 1.96 * math.sqrt(var)
    print(f"sample: {cpu:.0f} CPU s, {votes} exact orbit votes ({votes / cpu:.0f} per CPU s)")
    print(f"estimated full 5-state census: {total / 86400:.0f} +- {half / 86400:.0f} CPU-days "
          f"(stratified by the root's successor set, 95% normal interval)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
