#!/usr/bin/python3
# hangup.py IOPSTOP DIR CASE - a dropped connection, for real: a pty whose
# session leader is a shell running `iopstop ... -- job; true`; once the job
# has started, the master is closed (what sshd does when the connection
# drops).  Prints the JSON summary's path once iopstop has written it.
# CASE: view (the full-screen view), batch (-b), interactive (an
# interactive bash with job control: iopstop is its own job), proc and
# preload (those backends, -b and the view), attach (-p of a job of its own
# session, with --json due: the watch goes on to the job's end).
import fcntl
import json
import os
import pty
import select
import struct
import sys
import termios
import time

iopstop, d, case = sys.argv[1:4]
writer = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hangup_writer.py")
prefix = os.path.join(d, case)
out = prefix + ".json"
flags = {"batch": "-b", "proc": "-b --backend=proc",
         "preload": "--backend=preload"}.get(case, "")
job = '/usr/bin/python3 "%s" "%s"' % (writer, prefix)
if case == "attach":
    cmd = 'setsid %s & "%s" -d 0.2 -q --json="%s" -p $!; true' % (job, iopstop, out)
else:
    cmd = '"%s" %s -d 0.2 -q --json="%s" -- %s; true' % (iopstop, flags, out, job)
argv = ["bash", "--norc", "--noprofile"]
if case == "interactive":
    argv.append("-i")
argv += ["-c", cmd]

pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "xterm"
    os.environ.pop("TMUX", None)
    os.execvp("bash", argv)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))

# Read (so nothing blocks on a full pty) until the job has started.
deadline = time.monotonic() + 60
while not os.path.exists(prefix + ".started") and time.monotonic() < deadline:
    r, _, _ = select.select([fd], [], [], 0.1)
    if r:
        try:
            os.read(fd, 65536)
        except OSError:
            break
if not os.path.exists(prefix + ".started"):
    print("the job never started", file=sys.stderr)
    sys.exit(99)
os.close(fd)			# the hangup
os.waitpid(pid, 0)		# the shell goes with it

# iopstop writes its JSON when the job has ended: wait for it whole.
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        with open(out) as f:
            json.load(f)
        break
    except (OSError, ValueError):
        time.sleep(0.1)
print(out)
