"""notebook.py DIR - build a notebook of %iops / %%iops cells, run it with
nbclient on an ipykernel of /usr/bin/python3, and check every cell.

The cells assert against what they did themselves (the workload knows its
counts); this script then checks what the notebook shows: the HTML table,
the inline SVG, the notes, the error of the raising cell.  Exits 0 when
all is well, 1 with the failures listed."""
import json
import os
import sys

import nbformat
from nbclient import NotebookClient

work = sys.argv[1]
kernel_dir = os.path.join(work, "kernels", "iopstop-test")
os.makedirs(kernel_dir)
with open(os.path.join(kernel_dir, "kernel.json"), "w") as f:
    json.dump({"argv": ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f",
                        "{connection_file}"],
               "display_name": "iopstop test", "language": "python"}, f)

CELLS = {}


def cell(name, src):
    CELLS[name] = src.strip("\n")


cell("setup", r'''
import os, json, threading, shutil, tempfile
import iopstop, iopstop.attach
%load_ext iopstop
%colors NoColor
d = tempfile.mkdtemp(dir=os.environ["NB_WORK"])
keep = os.environ["IOPSTOP_KEEP"]
def kept(r):
    """iopstop's own --json of this run, as it wrote it."""
    with open(r.kept) as f:
        return json.load(f)
def in_d(r, key):
    return sum(f[key] for f in r.summary["files"] if f["path"].startswith(d + "/"))
''')

# The notebook tool's example cells: 5 x 1 KiB, 5 x 10 KiB, 5 x 100 KiB.
cell("write", r'''
%%iops --histogram
for i, size in enumerate([1024] * 5 + [10240] * 5 + [102400] * 5):
    with open(os.path.join(d, 'file_%d.txt' % i), 'w') as f:
        f.write('x' * size)
''')
cell("write_check", r'''
r = _
assert in_d(r, "write_ops") == 15 and in_d(r, "write_bytes") == 568320, r.summary["files"]
assert r.summary["write"]["ops"] == 15 and r.summary["write"]["bytes"] == 568320, r.summary["write"]
assert r.summary == kept(r), "the result's summary is what iopstop -p wrote"
assert r.summary["backend"] == "strace" and r.summary["pids"] == [os.getpid()]
assert r.svg and "<svg" in r.svg
print("write ok", r.summary["left_out"])
''')
cell("read", r'''
%%iops --heatmap
for i in range(15):
    with open(os.path.join(d, 'file_%d.txt' % i), 'r') as f:
        content = f.read()
''')
cell("read_check", r'''
r = _
# f.read() is two read calls per file: the whole file, then 0 bytes (EOF).
assert in_d(r, "read_ops") == 30 and in_d(r, "read_bytes") == 568320, r.summary["files"]
assert r.summary["read"]["ops"] == 30 and r.summary["read"]["bytes"] == 568320
assert sum(h["read_ops"] for h in r.summary["histogram"] if h["lo"] == 0) == 15
print("read ok")
''')
cell("threads", r'''
%%iops
def writer(k):
    fd = os.open(os.path.join(d, "t%d" % k), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    for _ in range(2000):
        os.write(fd, b"x")
    os.close(fd)
ts = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
for t in ts: t.start()
for t in ts: t.join()
''')
cell("threads_check", r'''
r = _
assert in_d(r, "write_ops") == 8000 and r.summary["write"]["ops"] == 8000, r.summary["write"]
assert r.summary["unfinished"] == 0 or r.summary["write"]["ops"] == 8000
print("threads ok")
''')
cell("user_thread_start", r'''
# A thread of the user's, started before the profiled cell: its I/O is the
# cell's when the cell sets it going (only the kernel's threads are left out).
go = threading.Event()
def later():
    go.wait()
    with open(os.path.join(d, "later.txt"), "wb") as f:
        f.write(b"L" * 3000)
worker = threading.Thread(target=later)
worker.start()
''')
cell("user_thread", r'''
%%iops
go.set()
worker.join()
''')
cell("user_thread_check", r'''
r = _
assert r.summary["write"]["ops"] == 1 and r.summary["write"]["bytes"] == 3000, r.summary["write"]
assert worker.native_id not in r.summary["left_out"]["thread_ids"]
print("user thread ok")
''')
cell("paren", r'''
%%iops
fd = os.open(os.path.join(d, "mb.txt"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
for k in range(1000):
    os.write(fd, b'total (MB): 1\n')
os.close(fd)
''')
cell("paren_check", r'''
r = _
assert r.summary["write"]["ops"] == 1000 and r.summary["write"]["bytes"] == 14000, r.summary["write"]
print("paren ok")
''')
cell("copy", r'''
src8 = os.path.join(d, "big")
with open(src8, "wb") as f:
    f.write(os.urandom(8 << 20))
r = %iops shutil.copyfile(src8, os.path.join(d, "big.copy"))
''')
cell("copy_check", r'''
files = {f["path"]: f for f in r.summary["files"]}
assert files[src8]["read_bytes"] == 8 << 20, files[src8]
assert files[os.path.join(d, "big.copy")]["write_bytes"] == 8 << 20
assert r.value == os.path.join(d, "big.copy")
print("copy ok", r.summary["read"]["ops"], r.summary["meta"]["by_call"])
''')
cell("prints", r'''
%%iops
for i in range(200):
    print("line", i)
''')
cell("prints_check", r'''
r = _
s = r.summary
assert s["read"]["ops"] == 0 and s["write"]["ops"] == 0 and s["files"] == [], (s["read"], s["write"], s["files"])
print("prints ok", r.left_out_text())
''')
cell("line", r'''
%iops --files --latency --insights open(os.path.join(d, 'hello.txt'), 'w').write('Hello World' * 1000)
''')
cell("line_check", r'''
r = _
assert r.value == 11000 and r.summary["write"]["ops"] == 1 and r.summary["write"]["bytes"] == 11000
assert r.show == {"files", "latency", "insights"}
assert len(r.files) >= 1
print("line ok")
''')
cell("path_backend", r'''
sub = os.path.join(d, "sub")
os.makedirs(sub)
r = %iops --path=$sub --backend=strace open(os.path.join(sub, "in.txt"), "w").write("a" * 10) + open(os.path.join(d, "out.txt"), "w").write("b" * 20)
assert r.value == 30 and r.summary["write"]["ops"] == 1 and r.summary["write"]["bytes"] == 10, r.summary["write"]
assert [f["path"] for f in r.summary["files"]] == [os.path.join(sub, "in.txt")], r.summary["files"]
r = %iops --backend=proc open(os.path.join(d, "p2.txt"), "w").write("c" * 30)
assert r.backend == "proc" and r.notes == [], (r.backend, r.notes)
# A statement with braces and dollars runs as written.
r = %iops x = {"$HOME": 1}
assert x == {"$HOME": 1}
print("path and backend ok")
''')
cell("raises", r'''
%%iops
with open(os.path.join(d, 'before.txt'), 'w') as f:
    f.write('y' * 100)
raise ValueError("boom from the cell")
''')
cell("grant", r'''
calls = []
real = iopstop.attach.set_ptracer
iopstop.attach.set_ptracer = lambda pid: calls.append(pid) or real(pid)
try:
    r = %iops os.stat(d)
finally:
    iopstop.attach.set_ptracer = real
# Granted to iopstop's PID only, and taken back (PID 0) once it has gone.
assert calls == [r.iopstop_pid, 0], (calls, r.iopstop_pid)
assert r.ptracer["granted_to"] == r.iopstop_pid and r.ptracer["revoked"] is not None
assert not os.path.exists("/proc/%d" % r.iopstop_pid), "iopstop has ended"
print("grant ok", r.ptracer)
''')
cell("refused", r'''
os.environ["IOPSTOP_STRACE"] = os.environ["NB_FAKE_STRACE"]
try:
    r = %iops open(os.path.join(d, 'p.txt'), 'w').write('z' * 5000)
finally:
    del os.environ["IOPSTOP_STRACE"]
assert r.backend == "proc", r.backend
assert any("not traced (cannot trace: strace: attach: ptrace" in n and "Operation not permitted" in n
           for n in r.notes), r.notes
assert r.summary["write"]["ops"] >= 1
# No strace at all: iopstop itself picks the counters, and the note says why.
os.environ["IOPSTOP_STRACE"] = "/nonexistent/strace"
try:
    r2 = %iops os.stat(d)
finally:
    del os.environ["IOPSTOP_STRACE"]
assert r2.backend == "proc" and any("strace not found" in n for n in r2.notes), r2.notes
r
''')
nb = nbformat.v4.new_notebook()
nb.metadata["kernelspec"] = {"name": "iopstop-test", "display_name": "iopstop test",
                             "language": "python"}
names = list(CELLS)
nb.cells = [nbformat.v4.new_code_cell(CELLS[n]) for n in names]
os.environ["JUPYTER_PATH"] = work
client = NotebookClient(nb, kernel_name="iopstop-test", timeout=300, allow_errors=True,
                        resources={"metadata": {"path": work}})
client.execute()
with open(os.path.join(work, "run.ipynb"), "w") as f:
    nbformat.write(nb, f)

fails = []


def outs(name):
    return nb.cells[names.index(name)].outputs


def html_of(name):
    return "".join(o.get("data", {}).get("text/html", "") for o in outs(name))


def check(ok, what):
    print(("ok - " if ok else "not ok - ") + what)
    if not ok:
        fails.append(what)


for n in names:
    errs = [o for o in outs(n) if o.output_type == "error"]
    if n == "raises":
        continue
    check(not errs, "cell %s runs%s" % (n, "" if not errs else ": %s: %s\n%s" % (
        errs[0].ename, errs[0].evalue, "\n".join(errs[0].traceback[-3:]))))

h = html_of("write")
check("<table" in h and "568,320" in h and "<svg" in h,
      "the write cell shows the table (568,320 bytes) and the SVG inline")
check("execution time" in h and "IOPS" in h and "throughput" in h and "errors" in h,
      "the table has execution time, IOPS, throughput, errors")
check("Left out" in h, "the HTML says what was left out")
check("<svg" in html_of("read"), "--heatmap shows the SVG")
check('id="iopstop-svg-' in h and "<style>#iopstop-svg-" in h.replace("\n", ""),
      "the inline SVG's ids and styles are scoped to its own div")
check("<svg" not in html_of("threads"), "no flag, no picture")
h = html_of("line")
check("iopstop-files" in h and "hello.txt" in h, "--files shows the files table")
check("iopstop-latency" in h and "p99" in h, "--latency shows the latency table")
check("insights" in h, "--insights says what it found (or that there are no findings)")
o = outs("raises")
errs = [x for x in o if x.output_type == "error"]
check(len(errs) == 1 and errs[0].ename == "ValueError" and "boom" in errs[0].evalue,
      "the raising cell's exception propagates")
h = html_of("raises")
check("<table" in h and "100 B" in h, "the raising cell still shows its profile (100 bytes)")
h = html_of("refused")
check("not traced (cannot trace: strace: attach" in h and "--backend=proc" in h,
      "ptrace refused: the proc fallback is noted")
texts = "".join(x.get("text", "") for x in outs("prints"))
check(texts.count("line ") == 200, "the print cell's 200 lines reach the notebook")
for name in ("write_check", "read_check", "copy_check", "prints_check", "grant"):
    print("  %s: %s" % (name, "".join(x.get("text", "") for x in outs(name)).strip()))
print("%d failed" % len(fails))
sys.exit(1 if fails else 0)
