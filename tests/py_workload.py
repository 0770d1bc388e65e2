#!/usr/bin/env python3
"""A small Python I/O workload for iopstop's integration tests.

    py_workload.py DIR

Writes a few files in DIR with unbuffered binary writes of various sizes,
reads them back, stats them, and exits 0.  It prints nothing: the test takes
the expected counts from strace's own output, because the interpreter does
I/O of its own (imports, .pyc files) that this script does not control.
"""
import os
import sys

# name -> sizes of the successive write() calls (one system call each, as the
# files are opened unbuffered)
FILES = {
    "py_small.dat": [1] * 50 + [7] * 20,
    "py_mixed.dat": [100, 4096, 3, 65536, 1000, 0, 12345],
    "py_big.dat": [1 << 20, 1 << 20, 3 * (1 << 20) // 2],
}


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: py_workload.py DIR\n")
        return 2
    d = argv[1]
    block = bytes(range(256)) * ((3 << 20) // 256)

    for name, sizes in FILES.items():
        with open(os.path.join(d, name), "wb", buffering=0) as f:
            for n in sizes:
                f.write(block[:n])

    for name, sizes in FILES.items():
        path = os.path.join(d, name)
        # unbuffered reads of the same sizes, then until EOF
        with open(path, "rb", buffering=0) as f:
            for n in sizes:
                if n:
                    f.read(n)
            while f.read(65536):
                pass
        # whole-file read through the default buffered path too
        with open(path, "rb") as f:
            f.read()
        # positioned reads
        fd = os.open(path, os.O_RDONLY)
        try:
            os.pread(fd, 4096, 0)
            os.pread(fd, 100, 10)
        finally:
            os.close(fd)

    for _ in range(3):
        for name in FILES:
            os.stat(os.path.join(d, name))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
