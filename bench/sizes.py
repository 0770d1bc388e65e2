#!/usr/bin/env python3
"""sizes.py - a workload for frames.py: SECONDS of writes, 20 a second.

  sizes.py steady|changing FILE SECONDS [INTERVAL]

200 writes a second.  steady: 4 KiB each.  changing: each INTERVAL
(default 1 s, give iopstop's -d) a new random set of sizes from 1 byte to
4 MiB, so every heatmap column differs from the last."""
import os, random, sys, time
mode, path, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
iv = float(sys.argv[4]) if len(sys.argv) > 4 else 1.0
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
buf = b"x" * (4 << 20)
t0 = time.monotonic()
rnd = random.Random(18)
sizes = [4096]
sec = -1
while time.monotonic() - t0 < secs:
    s = int((time.monotonic() - t0) / iv)
    if mode == "changing" and s != sec:
        sec = s
        sizes = [1 << rnd.randrange(0, 23) for _ in range(rnd.randrange(3, 9))]
    os.write(fd, buf[:rnd.choice(sizes)])
    os.lseek(fd, 0, os.SEEK_SET)
    time.sleep(0.005)
os.close(fd)
