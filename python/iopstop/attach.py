"""Attach iopstop to this process for exactly one piece of work.

    with Session(flags) as s:     # returns once iopstop says it is attached
        work()
    s.result                      # iopstop's --json, SVG and notes

Order of events, and why:
1. iopstop starts behind a tiny shell that waits for a "go" byte, so its
   PID is known before it can try to attach.
2. PR_SET_PTRACER names that PID (and its children: strace) as the one
   process that may trace us, under Yama's ptrace_scope=1; nothing else
   gains the right, and it is taken back (PR_SET_PTRACER 0) when iopstop
   has gone.  Without Yama the call fails with EINVAL and changes nothing.
3. iopstop runs `iopstop -p OUR_PID --ready-fd=N`: it writes one line to
   N once strace has seized every thread.  Reading that line is the
   handshake (no sleep); its EOF means iopstop ended without attaching.
4. The work runs; then SIGTERM makes iopstop detach and write --json.
Only descriptors of the kinds asked for (files by default) are counted:
the kernel's ZeroMQ sockets, eventfds and pipes are left out, and so are
the kernel's own threads (ZeroMQ's, IOPub, heartbeat, history...), which
iopstop is told by --skip-threads; the JSON's "left_out" says how much.
When ptrace is refused, the /proc counters stand in (--backend=proc), and
the result says so: they count the whole process, every descriptor kind.
"""
import ctypes
import errno
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from .result import Result

PR_SET_PTRACER = 0x59616d61
ATTACH_TIMEOUT_S = 60.0

MACOS_ROOT = (
    "on macOS iopstop reads fs_usage, which needs root, and sudo cannot ask "
    "for a password inside a notebook kernel. Start the notebook server as "
    "root so that its kernels may run fs_usage, e.g. `sudo -E jupyter lab "
    "--allow-root` (or `sudo -E python3 -m notebook --allow-root`), or profile "
    "a script from a terminal: `sudo iopstop -- python3 script.py`.")

# Modules whose threads are the kernel's own machinery, not the cell's.
KERNEL_MODULES = ("IPython.", "ipykernel.", "jupyter_client.", "zmq.", "tornado.",
                  "traitlets.", "ipyparallel.", "debugpy.", "_pydevd")


class IopstopError(RuntimeError):
    """iopstop could not watch the work: the message says why."""


def find_binary():
    """$IOPSTOP, the build tree's src/iopstop beside this package, or PATH."""
    env = os.environ.get("IOPSTOP")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    tree = os.path.join(here, os.pardir, os.pardir, "src", "iopstop")
    if os.access(tree, os.X_OK):
        return os.path.normpath(tree)
    found = shutil.which("iopstop")
    if not found:
        raise IopstopError("iopstop not found: install it, put it on PATH, or set "
                           "$IOPSTOP to the binary")
    return found


_libc = None


def set_ptracer(pid):
    """prctl(PR_SET_PTRACER, pid): 0, or the errno (EINVAL: no Yama)."""
    global _libc
    if not sys.platform.startswith("linux"):
        return errno.ENOSYS
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    r = _libc.prctl(ctypes.c_int(PR_SET_PTRACER), ctypes.c_ulong(pid),
                    ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0))
    return 0 if r == 0 else ctypes.get_errno()


def kernel_threads():
    """Threads of this process that belong to the kernel's machinery:
    Python threads started by IPython/ipykernel/zmq code, and ZeroMQ's own
    C++ threads (ZMQbg/...).  Never the calling thread.  Returns
    {tid: name}."""
    me = threading.get_native_id() if hasattr(threading, "get_native_id") else os.getpid()
    by_tid = {getattr(t, "native_id", None): t for t in threading.enumerate()}
    out = {}
    try:
        tids = [int(t) for t in os.listdir("/proc/self/task")]
    except OSError:
        return out
    for tid in tids:
        if tid == me:
            continue
        t = by_tid.get(tid)
        if t is None:
            try:
                with open("/proc/self/task/%d/comm" % tid) as f:
                    comm = f.read().strip()
            except OSError:
                continue
            if comm.startswith("ZMQbg"):
                out[tid] = comm
            continue
        target = getattr(t, "_target", None)
        mods = (type(t).__module__ or "", getattr(target, "__module__", None) or "")
        if any(m.startswith(KERNEL_MODULES) or m + "." in KERNEL_MODULES for m in mods):
            out[tid] = t.name
    return out


class Session:
    """iopstop attached to this process while the `with` block runs."""

    def __init__(self, backend="auto", paths=(), kinds="file", skip_kernel_threads=True,
                 binary=None, pid=None):
        self.backend = backend or "auto"
        self.paths = list(paths)
        self.kinds = kinds
        self.skip_kernel_threads = skip_kernel_threads
        self.binary = binary
        self.pid = pid or os.getpid()
        self.notes = []
        self.proc = None
        self.result = None
        self.ptracer = {"granted_to": None, "grant": None, "revoked": None}
        self._tmp = None
        self._err = None
        self._t0 = self._t1 = None
        # $IOPSTOP_KEEP=DIR: keep iopstop's own --json and --svg of each
        # run there (iopstop-PID.json), to look at or to check against.
        self.keep = os.environ.get("IOPSTOP_KEEP") or None
        self.kept = None

    # -- start ------------------------------------------------------------
    def _argv(self, backend, ready_fd):
        a = ["-p", str(self.pid), "-q", "--json=" + self._json, "--svg=" + self._svg,
             "--ready-fd=%d" % ready_fd]
        if backend == "auto" and sys.platform.startswith("linux"):
            # strace, and its own refusal if any: auto would not even try
            # under Yama 1, where our PR_SET_PTRACER grant lets it attach.
            backend = "strace"
        if backend != "auto":
            a.append("--backend=" + backend)
        if self.kinds and backend != "proc":
            a.append("--kinds=" + self.kinds)
        if self._skip and backend != "proc":
            a.append("--skip-threads=" + ",".join(str(t) for t in sorted(self._skip)))
        for p in self.paths:
            a.append("--path=" + p)
        return a

    def _launch(self, backend):
        """Start iopstop; True once attached, False if it ended first."""
        go_r, go_w = os.pipe()
        ready_r, ready_w = os.pipe()
        # O_APPEND: iopstop's writes land at the end however we read it.
        err = open(os.path.join(self._tmp, "stderr"), "a+b")
        # The shell waits for "go" on its stdin (so the ptracer is named
        # first), then becomes iopstop, with the go pipe closed.
        script = 'read _ && exec "$@" </dev/null'
        try:
            self.proc = subprocess.Popen(
                ["/bin/sh", "-c", script, "sh", self.binary] + self._argv(backend, ready_w),
                stdin=go_r, stdout=subprocess.DEVNULL, stderr=err,
                pass_fds=(ready_w,), close_fds=True,
                # Its own session: a kernel interrupt (SIGINT to the kernel's
                # process group) reaches the cell, which stops iopstop itself.
                start_new_session=True)
        except OSError as e:
            for fd in (go_r, go_w, ready_r, ready_w):
                os.close(fd)
            err.close()
            raise IopstopError("cannot run %s: %s" % (self.binary, e)) from None
        os.close(go_r)
        os.close(ready_w)
        self._err = err
        if sys.platform.startswith("linux") and backend != "proc":
            self.ptracer = {"granted_to": self.proc.pid, "grant": set_ptracer(self.proc.pid),
                            "revoked": None}
        try:
            os.write(go_w, b"go\n")
        except BrokenPipeError:
            pass            # the shell has gone: the ready pipe says so
        os.close(go_w)
        line = b""
        deadline = time.monotonic() + ATTACH_TIMEOUT_S
        waiter = select.poll()
        waiter.register(ready_r, select.POLLIN)
        try:
            while not line.endswith(b"\n"):
                left = deadline - time.monotonic()
                if left <= 0:
                    self._end(signal.SIGKILL)
                    raise IopstopError("iopstop did not attach within %d s" % ATTACH_TIMEOUT_S)
                if not waiter.poll(int(left * 1000) + 1):
                    continue
                chunk = os.read(ready_r, 256)
                if not chunk:
                    break
                line += chunk
        finally:
            os.close(ready_r)
        if not line:
            self.proc.wait()
            self._revoke()
            return False
        self.attached_backend = line.split()[1].decode() if len(line.split()) > 1 else backend
        return True

    def _stderr(self):
        self._err.seek(0)
        return self._err.read().decode("utf-8", "replace").strip()

    def start(self):
        if sys.platform == "darwin" and os.geteuid() != 0 and self.backend in ("auto", "fs_usage"):
            raise IopstopError(MACOS_ROOT)
        self.binary = self.binary or find_binary()
        self._tmp = tempfile.mkdtemp(prefix="iopstop-cell-")
        self._json = os.path.join(self._tmp, "run.json")
        self._svg = os.path.join(self._tmp, "run.svg")
        self._skip = kernel_threads() if self.skip_kernel_threads else {}
        try:
            return self._start()
        except BaseException:
            self._end(signal.SIGTERM)      # interrupted while attaching
            self._cleanup()
            raise

    def _start(self):
        if self._launch(self.backend):
            self._t0 = time.perf_counter()
            if self.attached_backend == "proc" and self.backend != "proc":
                # auto chose the counters itself (Yama 2 or 3, no strace):
                # its own line says why.
                why = [l for l in self._stderr().splitlines() if "/proc" in l]
                self.notes.append("not traced: " + (
                    why[0].replace("iopstop: ", "") if why else "iopstop used the /proc "
                    "counters") + " (they see the whole kernel process, its own ZeroMQ "
                    "traffic included)")
            return self
        why = self._stderr()
        refused = ("cannot trace" in why or "ptrace" in why or "not permitted" in why.lower())
        if self.backend == "auto" and refused:
            first = why.splitlines()[-1] if why else "strace could not attach"
            self.notes.append("not traced (%s): counted with the /proc counters "
                              "instead (--backend=proc), which see the whole kernel "
                              "process, its own ZeroMQ traffic included, and give "
                              "average sizes only" % first.replace("iopstop: ", ""))
            self._err.close()
            self._err = None
            if self._launch("proc"):
                self._t0 = time.perf_counter()
                return self
            why = self._stderr()
        self._err.close()
        self._cleanup()
        if "unknown option" in why:
            why += " (%s is older than this Python package, which needs --ready-fd)" % self.binary
        raise IopstopError(why or "iopstop ended before it attached (exit status %s)"
                           % self.proc.returncode)

    # -- stop -------------------------------------------------------------
    def _end(self, sig):
        if self.proc and self.proc.poll() is None:
            try:
                self.proc.send_signal(sig)
                self.proc.wait(timeout=30)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                self.proc.kill()    # strace detaches on our death (PDEATHSIG)
                self.proc.wait()
        self._revoke()

    def _revoke(self):
        if self.ptracer["granted_to"] is not None and self.ptracer["revoked"] is None:
            self.ptracer["revoked"] = set_ptracer(0)

    def _cleanup(self):
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def stop(self, value=None, error=None):
        self._t1 = time.perf_counter()
        self._end(signal.SIGTERM)
        try:
            with open(self._json, encoding="utf-8", errors="surrogateescape") as f:
                summary = json.load(f)
        except (OSError, ValueError):
            why = self._stderr()
            self._err.close()
            self._cleanup()
            raise IopstopError("iopstop wrote no report (exit status %s)%s"
                               % (self.proc.returncode, ": " + why if why else "")) from None
        svg = None
        try:
            with open(self._svg, encoding="utf-8", errors="replace") as f:
                svg = f.read()
        except OSError:
            pass
        if self.keep:
            self.kept = os.path.join(self.keep, "iopstop-%d.json" % self.proc.pid)
            shutil.copyfile(self._json, self.kept)
            if svg is not None:
                shutil.copyfile(self._svg, self.kept[:-5] + ".svg")
        why = self._stderr()
        self._err.close()
        self._cleanup()
        if self.proc.returncode not in (0, None) and why:
            self.notes.append("iopstop: " + why.splitlines()[-1].replace("iopstop: ", ""))
        self.result = Result(summary, svg=svg, elapsed_s=self._t1 - self._t0,
                             notes=self.notes, skipped_threads=self._skip,
                             ptracer=dict(self.ptracer), iopstop_pid=self.proc.pid,
                             value=value, error=error)
        self.result.kept = self.kept
        return self.result

    def __enter__(self):
        return self.start()

    def __exit__(self, et, ev, tb):
        self.stop(error=ev)
        return False


def profile(func, *args, **kwargs):
    """Run func(*args, **kwargs) under iopstop; its Result (r.value is what
    func returned).  Options go in `iopstop_options`, a dict of Session's
    arguments."""
    opts = kwargs.pop("iopstop_options", {})
    s = Session(**opts).start()
    try:
        value = func(*args, **kwargs)
    except BaseException as e:
        s.stop(error=e)
        raise
    r = s.stop(value=value)
    r.subject = "the call"
    return r


def replay(path, binary=None, extra=()):
    """A recording (iopstop -w) or an strace log through `iopstop -r PATH
    --json=-`: the Result of iopstop's own reading of it."""
    binary = binary or find_binary()
    tmp = tempfile.mkdtemp(prefix="iopstop-replay-")
    try:
        svg = os.path.join(tmp, "run.svg")
        p = subprocess.run([binary, "-r", path, "-q", "--json=-", "--svg=" + svg] + list(extra),
                           stdin=subprocess.DEVNULL, capture_output=True)
        if p.returncode != 0 or not p.stdout:
            raise IopstopError(p.stderr.decode("utf-8", "replace").strip() or
                               "iopstop -r %s failed (exit status %d)" % (path, p.returncode))
        summary = json.loads(p.stdout.decode("utf-8", "surrogateescape"))
        with open(svg, encoding="utf-8", errors="replace") as f:
            r = Result(summary, svg=f.read(), elapsed_s=summary.get("elapsed_s"))
        r.subject = "the recording"
        return r
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
