# hangup_writer.py PREFIX - a job that must outlive its terminal: it says it
# has started (PREFIX.started), writes for about two seconds, and says it
# ended normally (PREFIX.done).  It never prints: a closed terminal would
# fail its writes (EIO) with or without iopstop.
import sys
import time

prefix = sys.argv[1]
with open(prefix + ".started", "w") as f:
    f.write("started\n")
with open(prefix + ".dat", "wb") as f:
    end = time.monotonic() + 2.0
    while time.monotonic() < end:
        f.write(b"x" * 4096)
        f.flush()
        time.sleep(0.02)
with open(prefix + ".done", "w") as f:
    f.write("ok\n")
