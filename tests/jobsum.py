#!/usr/bin/env python3
"""The merge of a job's recordings is exactly the sum of its ranks.

  jobsum.py MERGED.json RANK.json...   totals, meta calls, histogram, files
                                       and processes of MERGED equal the sums
                                       (and union) of the per-rank reports;
                                       every process has host and rank; the
                                       sources list names one per rank
  jobsum.py same A.json B.json         the same counts (a bins recording's
                                       replay against its live run)
  jobsum.py lines OUT REPORT.json      the -b interval lines in OUT (rate x
                                       interval) add up to REPORT's read,
                                       write and meta ops: no rank's events
                                       came after their interval was printed
Exit 0 when equal, 1 (and what differs) otherwise.
"""
import json
import sys
from collections import Counter

FILE_KEYS = ("read_ops", "write_ops", "read_bytes", "write_bytes", "meta_ops", "errors")
PROC_KEYS = ("read_ops", "write_ops", "read_bytes", "write_bytes", "meta_ops", "errors")


def counts(r, with_files=True):
    c = Counter()
    for d in ("read", "write", "total"):
        for k in ("ops", "bytes", "errors"):
            if k in r[d]:
                c[f"{d}.{k}"] += r[d][k]
    c["meta.ops"] += r["meta"]["ops"]
    c["meta.errors"] += r["meta"].get("errors", 0)
    for call, n in r["meta"]["by_call"].items():
        c[f"meta.by_call.{call}"] += n
    for h in r["histogram"]:
        for k in ("read_ops", "write_ops", "read_bytes", "write_bytes"):
            c[f"histogram.{h['lo']}.{k}"] += h[k]
    for k, n in r.get("ops_by_kind", {}).items():
        c[f"kind.{k}"] += n
    if with_files:
        for f in r["files"]:
            for k in FILE_KEYS:
                c[f"file.{f['path']}.{k}"] += f[k]
    return c


def procs(r):
    c = Counter()
    for p in r["processes"]:
        for k in PROC_KEYS:
            c[f"proc.{p.get('host')}.{p['pid']}.{k}"] += p[k]
    return c


def diff(want, got):
    bad = 0
    for k in sorted(set(want) | set(got)):
        if want[k] != got[k]:
            print(f"{k}: sum of ranks {want[k]}, merged {got[k]}")
            bad += 1
    return bad


def lines(out, report):
    prev, tot, last = 0.0, [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]
    n = 0
    for line in open(out):
        f = line.split()
        if len(f) < 6 or not f[0][0].isdigit():
            continue
        t = float(f[0])
        for i, col in enumerate((1, 2, 5)):
            last[i] = float(f[col])
            tot[i] += last[i] * (t - prev)
        prev = t
        n += 1
    r = json.load(open(report))
    want = [r["read"]["ops"], r["write"]["ops"], r["meta"]["ops"]]
    got = [round(x) for x in tot]
    # Whole intervals are exact; the last, partial one is stamped with its
    # end to 0.01 s, so its length is known to +-0.005 s.
    if any(abs(g - w) > last[i] * 0.006 + 1 for i, (g, w) in enumerate(zip(got, want))):
        print(f"{n} interval lines add up to read/write/meta ops {got}, the report has {want}")
        return 1
    return 0


def main():
    if sys.argv[1] == "lines":
        return lines(sys.argv[2], sys.argv[3])
    if sys.argv[1] == "same":
        a, b = (json.load(open(p)) for p in sys.argv[2:4])
        bad = diff(counts(a) + procs(a), counts(b) + procs(b))
        return 1 if bad else 0
    merged = json.load(open(sys.argv[1]))
    ranks = [json.load(open(p)) for p in sys.argv[2:]]
    want = Counter()
    for r in ranks:
        want.update(counts(r))
        want.update(procs(r))
    got = counts(merged) + procs(merged)
    bad = diff(+want, +got)
    for p in merged["processes"]:
        if "host" not in p or "rank" not in p or p["host"] is None or p["rank"] is None:
            print(f"process {p['pid']} has no host or rank: {p}")
            bad += 1
    src = merged.get("sources", [])
    if len(src) != len(ranks):
        print(f"{len(src)} sources for {len(ranks)} ranks")
        bad += 1
    ranks_seen = sorted(s["rank"] for s in src)
    if ranks_seen != sorted(set(ranks_seen)):
        print(f"ranks repeat among sources: {ranks_seen}")
        bad += 1
    # Each source's own counts are its rank's report's totals.
    by_rank = {}
    for r in ranks:
        for p in r["processes"]:
            by_rank.setdefault(p["rank"], r)
    for s in src:
        r = by_rank.get(s["rank"])
        if r is None:
            continue
        want = (r["read"]["ops"], r["write"]["ops"], r["read"]["bytes"], r["write"]["bytes"],
                r["meta"]["ops"])
        got = (s["read_ops"], s["write_ops"], s["read_bytes"], s["write_bytes"], s["meta_ops"])
        if want != got:
            print(f"source {s['path']} (rank {s['rank']}): {got}, its report {want}")
            bad += 1
    for s in src:
        if s.get("state") != "finished":
            print(f"source {s['path']} is {s.get('state')}, not finished")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
