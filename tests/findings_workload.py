"""One small program per finding, for tests/findings.sh.

    findings_workload.py prepare DIR     make the input files (run untraced)
    findings_workload.py MODE DIR        do MODE's I/O on them

Each MODE raises exactly the finding of its name; "healthy" (large
sequential reads and writes, one fsync) raises none.  Raw os calls, so
what the tracer sees is what the code says.
"""
import os
import random
import sys
import time

MIB = 1 << 20


def prepare(d):
    with open(os.path.join(d, "big.dat"), "wb") as f:       # 32 MiB of data
        for _ in range(32):
            f.write(b"x" * MIB)
    with open(os.path.join(d, "one.dat"), "wb") as f:       # 1 MiB
        f.write(b"y" * MIB)
    with open(os.path.join(d, "eight.dat"), "wb") as f:     # 8 MiB
        f.write(b"z" * (8 * MIB))
    with open(os.path.join(d, "sparse.dat"), "wb") as f:    # 1 GiB, sparse
        f.truncate(1 << 30)
    with open(os.path.join(d, "stat.me"), "wb") as f:
        f.write(b"s")
    os.makedirs(os.path.join(d, "small"), exist_ok=True)
    for i in range(2000):
        with open(os.path.join(d, "small", "f%04d" % i), "wb") as f:
            f.write(b"k" * 1024)


def main():
    mode, d = sys.argv[1], sys.argv[2]
    p = lambda name: os.path.join(d, name)
    pace = float(os.environ.get("FW_PACE", "0"))   # seconds between steps
    if mode == "prepare":
        prepare(d)
    elif mode == "small-reads":
        fd = os.open(p("big.dat"), os.O_RDONLY)
        while os.read(fd, 2048):
            if pace:
                time.sleep(pace)
        os.close(fd)
    elif mode == "small-writes":
        fd = os.open(p("out.txt"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        for _ in range(5000):
            os.write(fd, b"hello\n")
        os.close(fd)
    elif mode == "random-access":
        fd = os.open(p("sparse.dat"), os.O_RDONLY)
        r = random.Random(1)
        for _ in range(5000):
            os.pread(fd, 65536, r.randrange(0, (1 << 30) // 65536) * 65536)
        os.close(fd)
    elif mode == "strided-access":
        fd = os.open(p("sparse.dat"), os.O_RDONLY)
        for i in range(3000):
            os.pread(fd, 4096, i * 16384)
        os.close(fd)
    elif mode == "metadata-heavy":
        for i in range(2000):
            name = p("tmp%04d" % i)
            os.close(os.open(name, os.O_WRONLY | os.O_CREAT, 0o644))
            os.unlink(name)
    elif mode == "failed-lookups":
        for i in range(3000):
            os.access(p("missing/%d" % i), os.F_OK)
    elif mode == "repeated-stat":
        for _ in range(5000):
            os.stat(p("stat.me"))
    elif mode == "open-close-churn":
        for _ in range(2000):
            fd = os.open(p("log.txt"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            os.write(fd, b"a" * 8192)
            os.close(fd)
    elif mode == "many-small-files":
        for i in range(2000):
            fd = os.open(p("small/f%04d" % i), os.O_RDONLY)
            while os.read(fd, MIB):
                pass
            os.close(fd)
    elif mode == "sync-storm":
        fd = os.open(p("synced.dat"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        for _ in range(500):
            os.write(fd, b"s" * 65536)
            os.fsync(fd)
        os.close(fd)
    elif mode == "reread":
        fd = os.open(p("eight.dat"), os.O_RDONLY)
        for _ in range(5):
            os.lseek(fd, 0, os.SEEK_SET)
            while os.read(fd, MIB):
                pass
        os.close(fd)
    elif mode == "piecemeal-read":
        fd = os.open(p("one.dat"), os.O_RDONLY)
        while os.read(fd, 256):
            pass
        os.close(fd)
    elif mode == "read-after-write":
        name = p("scratch.tmp")
        fd = os.open(name, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
        for _ in range(32):
            os.write(fd, b"w" * MIB)
        os.lseek(fd, 0, os.SEEK_SET)
        while os.read(fd, MIB):
            pass
        os.close(fd)
        os.unlink(name)
    elif mode == "rw-pingpong":
        fd = os.open(p("pingpong.dat"), os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
        os.ftruncate(fd, 2000 * 8192)
        for i in range(2000):
            os.pread(fd, 8192, i * 8192)
            os.pwrite(fd, b"p" * 8192, i * 8192)
        os.close(fd)
    elif mode == "seek-storm":
        fd = os.open(p("sparse.dat"), os.O_RDONLY)
        for i in range(2000):
            os.lseek(fd, i * 65536, os.SEEK_SET)
            os.read(fd, 65536)
        os.close(fd)
    elif mode == "healthy":
        name = p("healthy.dat")
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        for _ in range(64):
            os.write(fd, b"h" * MIB)
        os.fsync(fd)
        os.close(fd)
        fd = os.open(p("big.dat"), os.O_RDONLY)
        while os.read(fd, MIB):
            pass
        os.close(fd)
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
