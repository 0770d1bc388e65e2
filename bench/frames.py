#!/usr/bin/env python3
"""frames.py - bytes a full-screen program sends its terminal per frame.

  frames.py [--size WxH] [--seconds S] [--skip S] -- COMMAND...

Runs COMMAND on a pseudo-terminal of the given size (default 120x40,
TERM=xterm-256color), reads everything it writes for S seconds (default
12), and prints the bytes a second after the first --skip seconds (default
4: start-up and the first full paint), i.e. per frame for a program that
redraws once a second, plus the share of those bytes that are SGR colour
escapes.  The terminal answers nothing; the program is sent 'q' and
SIGTERM at the end.  Used by bench/README.md section 10 (bytes per frame over a slow link)."""
import argparse, fcntl, os, pty, re, select, signal, struct, sys, termios, time

ap = argparse.ArgumentParser()
ap.add_argument("--size", default="120x40")
ap.add_argument("--seconds", type=float, default=12)
ap.add_argument("--skip", type=float, default=4)
ap.add_argument("cmd", nargs=argparse.REMAINDER)
a = ap.parse_args()
cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
w, h = (int(x) for x in a.size.split("x"))
pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "xterm-256color"
    os.environ.setdefault("LANG", "C.UTF-8")
    os.environ["LINES"], os.environ["COLUMNS"] = str(h), str(w)
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", h, w, 0, 0))
    os.execvp(cmd[0], cmd)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", h, w, 0, 0))
t0 = time.monotonic()
chunks = []
while True:
    now = time.monotonic() - t0
    if now >= a.seconds:
        break
    r, _, _ = select.select([fd], [], [], a.seconds - now)
    if not r:
        continue
    try:
        b = os.read(fd, 65536)
    except OSError:
        break
    if not b:
        break
    chunks.append((time.monotonic() - t0, b))
try:
    os.write(fd, b"q")
    time.sleep(0.3)
    os.kill(pid, signal.SIGTERM)
except OSError:
    pass
try:
    os.waitpid(pid, 0)
except OSError:
    pass
steady = b"".join(b for t, b in chunks if t >= a.skip)
secs = a.seconds - a.skip
sgr = sum(len(m) for m in re.findall(rb"\x1b\[[0-9;]*m", steady))
print("%-40s %8.0f bytes/s  (%.0f%% colour escapes, %.0f s measured)" %
      (" ".join(cmd)[:40], len(steady) / secs, 100.0 * sgr / max(1, len(steady)), secs))
