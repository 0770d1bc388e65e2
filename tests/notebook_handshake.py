"""notebook_handshake.py IOPSTOP DIR - what %%iops relies on, without a
notebook: `iopstop -p SELF --ready-fd=N` says "ready" only once every
thread is seized, so the first write after it is counted; --kinds=file
leaves pipes and eventfds out and reports them in "left_out"; a thread
named by --skip-threads is left out apart.  Exit 0, or 1 with the reason."""
import json
import os
import subprocess
import sys
import threading

iopstop, d = sys.argv[1:]
fail = []


def run(rounds):
    go = threading.Event()
    done = threading.Event()

    def bystander():            # an old thread, skipped by --skip-threads
        go.wait()
        fd = os.open(os.path.join(d, "skipped"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        for _ in range(7):
            os.write(fd, b"s")
        os.close(fd)
        done.set()

    t = threading.Thread(target=bystander)
    t.start()
    r, w = os.pipe()
    out = os.path.join(d, "run%d.json" % rounds)
    p = subprocess.Popen([iopstop, "-p", str(os.getpid()), "-q", "--json=" + out,
                          "--ready-fd=%d" % w, "--kinds=file",
                          "--skip-threads=%d" % t.native_id], pass_fds=[w])
    os.close(w)
    line = os.read(r, 100)
    os.close(r)
    if not line.startswith(b"ready strace"):
        fail.append("no ready line: %r (exit %s)" % (line, p.wait()))
        return
    # The very first calls after the handshake must be seen.
    fd = os.open(os.path.join(d, "f%d" % rounds), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    for _ in range(3):
        os.write(fd, b"abcd")
    os.close(fd)
    a, b = os.pipe()
    for _ in range(5):
        os.write(b, b"p")
    os.read(a, 5)
    os.close(a)
    os.close(b)
    # A path strace cannot make absolute is still a file's.
    os.mkdir("rel%d" % rounds)
    os.rmdir("rel%d" % rounds)
    e = os.eventfd(0)
    os.eventfd_write(e, 1)
    os.eventfd_read(e)
    os.close(e)
    go.set()
    done.wait()
    t.join()
    p.terminate()
    rc = p.wait()
    j = json.load(open(out))
    files = {f["path"]: f for f in j["files"]}
    mine = files.get(os.path.join(d, "f%d" % rounds), {})
    lo = j.get("left_out", {})
    expect = [
        ("exit status after SIGTERM", rc, 0),
        ("writes of the file right after ready", mine.get("write_ops"), 3),
        ("total writes (the file only)", j["write"]["ops"], 3),
        ("pipe writes left out", lo.get("pipe", {}).get("write_ops"), 5),
        # Ours, and perhaps the handshake's own read: strace's interrupt
        # and the line race to wake it; if the line wins, the read returns
        # before the thread's first stop (seen when loaded).  Every call
        # after it is traced either way.
        ("pipe reads left out", lo.get("pipe", {}).get("read_ops") in (1, 2), True),
        ("pipe bytes left out", lo.get("pipe", {}).get("write_bytes"), 5),
        ("eventfd calls left out", (lo.get("other", {}).get("write_ops"),
                                    lo.get("other", {}).get("read_ops")), (1, 1)),
        ("the skipped thread's writes", lo.get("threads", {}).get("write_ops"), 7),
        ("its thread id", lo.get("thread_ids"), [t.native_id]),
        ("no socket or tty calls", (lo.get("socket", {}).get("read_ops"),
                                    lo.get("tty", {}).get("write_ops")), (0, 0)),
        ("the skipped file is not listed", os.path.join(d, "skipped") in files, False),
        ("relative mkdir and rmdir counted", (j["meta"]["by_call"].get("mkdir"),
                                              j["meta"]["by_call"].get("rmdir")), (1, 1)),
    ]
    for what, got, want in expect:
        if got != want:
            fail.append("round %d: %s: %r, not %r" % (rounds, what, got, want))


os.chdir(d)
for k in range(3):
    run(k)
print("\n".join(fail) or "all rounds exact")
sys.exit(1 if fail else 0)
