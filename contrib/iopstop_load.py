#!/usr/bin/env python3
"""iopstop_load - read iopstop's --json output or an iopstop recording (-w)
into tables for notebooks, and plot the heatmap.

    import iopstop_load as il
    d = il.load("run.json")          # or il.load("run.rec")
    d["files"]                       # pandas DataFrame if pandas is
                                     # importable, else a list of dicts
    il.plot_heatmap(d, "heat.png")   # needs matplotlib

From the command line:  python3 iopstop_load.py FILE [--plot OUT.png]

Tables of a --json file: "summary" (one dict), "histogram", "heatmap"
(its cells), "files", "processes", "by_call".  Of a recording: "header"
(dict), "events" (one row per event: t_s, pid, tid, class, call, bytes,
dur_us, errno, fdkind, path), "end" (dict of the X line), plus
"histogram" and "heatmap" computed from the events as iopstop does.
Paths are str; bytes that are not UTF-8 come back as lone surrogates
(Python's "surrogateescape"), the same as json.loads gives for iopstop's
JSON, so os.fsencode(path) is the original file name.
"""
import json
import sys

try:
    import pandas as _pd
except Exception:  # ImportError, or a broken install
    _pd = None

MAGIC = "# iopstop-recording "


def _table(rows):
    return _pd.DataFrame(rows) if _pd is not None else rows


def _rows(t):
    """A table back to a list of dicts, whichever form it has."""
    if _pd is not None and isinstance(t, _pd.DataFrame):
        return t.to_dict("records")
    return list(t)


def unescape(s):
    """A recording's escaped path to str (surrogateescape for non-UTF-8)."""
    b = bytearray()
    i = 0
    while i < len(s):
        if s[i] == "\\":
            if s[i + 1:i + 2] != "x" or len(s) < i + 4:
                raise ValueError("bad escape in %r" % s)
            b.append(int(s[i + 2:i + 4], 16))
            i += 4
        else:
            b.append(ord(s[i]))
            i += 1
    return bytes(b).decode("utf-8", "surrogateescape")


def bucket_of(n):
    """iopstop's size bucket: 0 for 0, k for [2^(k-1), 2^k)."""
    return min(int(n).bit_length(), 39) if n > 0 else 0


def bucket_lo(k):
    return 0 if k == 0 else 1 << (k - 1)


def load_json(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        j = json.load(f)
    summary = {k: v for k, v in j.items()
               if k not in ("histogram", "heatmap", "files", "processes")}
    by_call = [{"call": c, "ops": n} for c, n in j.get("meta", {}).get("by_call", {}).items()]
    hm = j.get("heatmap", {})
    return {
        "kind": "json",
        "summary": summary,
        "bin_s": hm.get("bin_s"),
        "histogram": _table(j.get("histogram", [])),
        "heatmap": _table(hm.get("cells", [])),
        "files": _table(j.get("files", [])),
        "processes": _table(j.get("processes", [])),
        "by_call": _table(by_call),
    }


def load_recording(path, bin_s=None):
    header, paths, events, end, file_rows = {}, {}, [], {}, []
    with open(path, "rb") as f:
        for lineno, raw in enumerate(f, 1):
            if not raw.endswith(b"\n"):
                raise ValueError("%s:%d: truncated line" % (path, lineno))
            line = raw[:-1].decode("ascii")
            if lineno == 1 and not line.startswith(MAGIC):
                raise ValueError("%s: not an iopstop recording" % path)
            if not line:
                continue
            if line.startswith("#"):
                key, _, val = line[2:].partition(" ")
                if key == "iopstop-recording":
                    header["version"] = int(val)
                elif key == "command":
                    header["command"] = json.loads(val)
                elif key in ("start_us", "interval_us"):
                    header[key] = int(val)
                else:
                    header[key] = val
                continue
            f_ = line.split(" ")
            if f_[0] == "P":
                paths[f_[1]] = (unescape(f_[3]), f_[2])
            elif f_[0] == "X":
                end = {k: int(v) for k, v in (x.split("=", 1) for x in f_[1:])}
            else:
                ops = 1
                if f_[0] == "F":    # bins form: a file's row, not calls
                    file_rows.append({"ops": int(f_[1]), "t_s": int(f_[2]) / 1e6,
                                      "class": f_[5], "bytes": int(f_[7]),
                                      "dur_us": int(f_[8]), "errno": f_[9],
                                      "path": paths.get(f_[11], ("", ""))[0]})
                    continue
                if f_[0] == "A":    # version 2 bins form: OPS calls in one line
                    ops, f_ = int(f_[1]), f_[2:]
                if len(f_) < 10:
                    raise ValueError("%s:%d: %d fields, not 10" % (path, lineno, len(f_)))
                events.append({
                    "ops": ops,
                    "t_s": int(f_[0]) / 1e6, "pid": int(f_[1]), "tid": int(f_[2]),
                    "class": f_[3], "call": f_[4], "bytes": int(f_[5]),
                    "dur_us": int(f_[6]), "errno": f_[7], "fdkind": f_[8],
                    "path": paths.get(f_[9], ("", ""))[0] if f_[9] not in ("0", "1") else
                    ("" if f_[9] == "0" else "[other files]"),
                })
    # The whole-run heatmap and histogram, from successful reads and writes.
    io = [e for e in events if e["class"] in ("read", "write") and e["errno"] == "0"]
    if bin_s is None:
        # iopstop's whole-run heatmap: 512 columns from 1 ms, doubling
        # whenever an I/O or metadata event falls past the last one.
        tmax = max([int(round(e["t_s"] * 1e6)) for e in events if e["class"] != "proc"] + [0])
        width = 1000
        while tmax // width >= 512:
            width *= 2
        bin_s = width / 1e6
    cells, hist = {}, {}
    for e in io:
        k = bucket_of(e["bytes"] // e["ops"])
        d = e["class"]
        col = int(max(int(round(e["t_s"] * 1e6)), 0) // int(round(bin_s * 1e6)))
        c = cells.setdefault((col, k),
                             {"read_ops": 0, "write_ops": 0, "read_bytes": 0, "write_bytes": 0})
        h = hist.setdefault(k, {"read_ops": 0, "write_ops": 0, "read_bytes": 0, "write_bytes": 0})
        for t in (c, h):
            t[d + "_ops"] += e["ops"]
            t[d + "_bytes"] += e["bytes"]
    heat = [dict(t=col * bin_s, lo=bucket_lo(k), **v) for (col, k), v in sorted(cells.items())]
    histo = [dict(lo=bucket_lo(k), hi=0 if k == 0 else (1 << k) - 1, **v)
             for k, v in sorted(hist.items())]
    return {
        "kind": "recording", "header": header, "end": end, "bin_s": bin_s,
        "events": _table(events), "heatmap": _table(heat), "histogram": _table(histo),
        "file_rows": _table(file_rows),
    }


def load(path):
    """Read an iopstop --json file or recording, telling them apart by content."""
    with open(path, "rb") as f:
        head = f.read(len(MAGIC))
    if head.startswith(MAGIC.encode()):
        return load_recording(path)
    return load_json(path)


def plot_heatmap(data, out=None):
    """Draw the heatmap (time x size bucket, log colour) with matplotlib.
    Returns the figure, or None when matplotlib is not available."""
    try:
        import matplotlib
        if out:
            matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.colors import LogNorm
    except Exception:
        return None
    cells = _rows(data["heatmap"])
    bin_s = data.get("bin_s") or 0.001
    ncol = max([int(round(c["t"] / bin_s)) for c in cells] + [0]) + 1
    ks = [bucket_of(c["lo"]) for c in cells]
    kmax = max(ks + [21])
    grid = [[float("nan")] * ncol for _ in range(kmax + 1)]
    for c, k in zip(cells, ks):
        grid[k][int(round(c["t"] / bin_s))] = c["read_ops"] + c["write_ops"]
    fig, ax = plt.subplots(figsize=(10, 4))
    im = ax.imshow(grid, origin="lower", aspect="auto", norm=LogNorm(),
                   extent=(0, ncol * bin_s, -0.5, kmax + 0.5), interpolation="nearest")
    def label(k):
        v = bucket_lo(k)
        for u in ("", "K", "M", "G", "T"):
            if v < 1024:
                return "%d%s" % (v, u)
            v //= 1024
        return str(v)
    ticks = list(range(0, kmax + 1, 2 if kmax < 24 else 4))
    ax.set_yticks(ticks)
    ax.set_yticklabels([label(k) for k in ticks])
    ax.set_xlabel("time (s)")
    ax.set_ylabel("operation size (bytes)")
    fig.colorbar(im, ax=ax, label="ops per cell")
    if out:
        fig.savefig(out, bbox_inches="tight")
    return fig


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 2 if len(argv) < 2 else 0
    d = load(argv[1])
    for name in ("summary", "header", "end"):
        if name in d:
            print("%s: %s" % (name, json.dumps(d[name], ensure_ascii=True, default=str)))
    for name in ("events", "files", "processes", "histogram", "heatmap"):
        if name in d:
            print("%s: %d rows" % (name, len(d[name])))
    if "--plot" in argv:
        out = argv[argv.index("--plot") + 1]
        if plot_heatmap(d, out) is None:
            print("matplotlib is not available: no plot", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
