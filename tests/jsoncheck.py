#!/usr/bin/env python3
"""Checks for iopstop's JSON, used by the shell tests.

  jsoncheck.py files REPORT EXPECT      per-file counts in EXPECT equal REPORT's
  jsoncheck.py strace-counts LOG PREFIX  per-file counts from a strace log, by an
                                         implementation independent of iopstop's
  jsoncheck.py get REPORT KEY[.KEY...]   print one value
  jsoncheck.py fsusage REPORT EXPECT    totals, meta calls, disk, every file and
                                         process of an fs_usage log (mklog.py's)
  jsoncheck.py file REPORT PATH KEY      print one key of one file
"""
import json
import re
import sys

KEYS = ("read_ops", "write_ops", "read_bytes", "write_bytes")
READS = {"read", "pread64", "readv", "preadv", "preadv2"}
WRITES = {"write", "pwrite64", "writev", "pwritev", "pwritev2"}


def files(report, expect):
    rep = json.load(open(report))
    exp = json.load(open(expect))
    got = {f["path"]: f for f in rep["files"]}
    bad = 0
    for path, want in exp["files"].items():
        have = got.get(path)
        if have is None:
            print(f"missing file in report: {path}")
            bad += 1
            continue
        for k in KEYS:
            if have[k] != want[k]:
                print(f"{path}: {k} = {have[k]}, expected {want[k]}")
                bad += 1
    print(f"{len(exp['files'])} files checked, {bad} mismatches")
    return 1 if bad else 0


def unstrace(s):
    return re.sub(r"\\(\d{1,3}|.)",
                  lambda m: chr(int(m.group(1), 8)) if m.group(1).isdigit() else
                  {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)


def strace_counts(log, prefix):
    pending = {}
    out = {}
    line_re = re.compile(r"^(?:\[pid\s+)?(\d+)\]?\s+[\d.:]+\s+(.*)$")
    for line in open(log, errors="surrogateescape"):
        m = line_re.match(line.rstrip("\n"))
        if not m:
            continue
        tid, rest = m.groups()
        if rest.endswith("<unfinished ...>"):
            pending[tid] = rest[: -len("<unfinished ...>")]
            continue
        r = re.match(r"<\.\.\. (\w+) resumed>(.*)$", rest)
        if r:
            rest = pending.pop(tid, r.group(1) + "(") + r.group(2)
        c = re.match(r"^(\w+)\((\d+)<((?:[^>\\]|\\.)*)>.*\)\s+=\s+(-?\d+)", rest)
        if not c:
            continue
        call, _fd, path, ret = c.groups()
        path = unstrace(path)
        ret = int(ret)
        if ret < 0 or not path.startswith(prefix):
            continue
        if call in READS:
            d = "read"
        elif call in WRITES:
            d = "write"
        else:
            continue
        f = out.setdefault(path, dict.fromkeys(KEYS, 0))
        f[d + "_ops"] += 1
        f[d + "_bytes"] += ret
    json.dump({"files": out}, sys.stdout, indent=1)
    print()
    return 0


def file(report, path, key):
    for f in json.load(open(report))["files"]:
        if f["path"] == path:
            print(f[key])
            return 0
    print(f"no file {path}")
    return 1


def get(report, key):
    v = json.load(open(report))
    for k in key.split("."):
        v = v[int(k)] if isinstance(v, list) else v[k]
    print(json.dumps(v) if not isinstance(v, str) else v)
    return 0


def fsusage(report, expect):
    rep = json.load(open(report))
    exp = json.load(open(expect))
    bad = []

    def eq(what, have, want):
        if have != want:
            bad.append(f"{what} = {have}, expected {want}")

    for d in ("read", "write"):
        for k in ("ops", "bytes", "errors"):
            eq(f"{d}.{k}", rep[d][k], exp[d][k])
    eq("total.ops", rep["total"]["ops"], exp["read"]["ops"] + exp["write"]["ops"])
    eq("meta.ops", rep["meta"]["ops"], exp["meta"]["ops"])
    eq("meta.errors", rep["meta"]["errors"], exp["meta"]["errors"])
    eq("meta.by_call", rep["meta"]["by_call"], exp["meta"]["by_call"])
    eq("disk", rep.get("disk"), exp["disk"])
    eq("lines", rep["lines"], exp["lines"])
    eq("unparsed", rep["unparsed"], 0)
    got = {f["path"]: f for f in rep["files"]}
    eq("files listed", sorted(got), sorted(exp["files"]))
    for path, want in exp["files"].items():
        for k, v in want.items():
            eq(f"{path}: {k}", got.get(path, {}).get(k), v)
    procs = {p["comm"]: p for p in rep["processes"]}
    eq("processes", sorted(procs), sorted(exp["processes"]))
    for comm, want in exp["processes"].items():
        for k, v in want.items():
            eq(f"{comm}: {k}", procs.get(comm, {}).get(k), v)
    for b in bad:
        print(b)
    print(f"{len(exp['files'])} files, {len(exp['processes'])} processes checked, "
          f"{len(bad)} mismatches")
    return 1 if bad else 0


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    sys.exit({"files": files, "strace-counts": strace_counts, "get": get, "file": file,
              "fsusage": fsusage}[cmd](*args))
