#!/usr/bin/env python3
"""Hostile file names: create each under DIR, write to it i+1 times
(i = its index) of 10 bytes, and print the expected per-file counts as
JSON (paths as surrogateescape strings, as iopstop's JSON decodes).

  hostile_names.py DIR [ARG...]      (ARGs: only to appear in the command)
  hostile_names.py --comm NAME DIR   set comm (prctl), write each, loop
"""
import ctypes
import json
import os
import sys
import time

NAMES = [
    b"\x1b[31mred",              # an SGR escape
    b"\x1b]0;title\x07",         # an OSC that would set the window title
    b"ctl\x01\x02\x7f\x9b",      # C0, DEL and a C1 (CSI) byte
    b"q\"uote'single",
    b"back\\slash\\n",           # a literal backslash-n, not a newline
    b"new\nline",
    b"\xff\xfe",                 # invalid UTF-8
    b"t\tab sp ace",
    b"caf\xc3\xa9",              # valid UTF-8, shown as is
]


def long_path(top):
    """A path of at least 4000 bytes (PATH_MAX is 4096) under top."""
    comps = []
    path = top
    while len(path) < 3800:
        c = b"d" * 180
        path = path + b"/" + c
        comps.append(c)
    os.makedirs(path, exist_ok=True)
    name = path + b"/" + b"L" * (4000 - len(path)) + b"-end.dat"
    return name


def main():
    args = sys.argv[1:]
    comm = None
    if args and args[0] == "--comm":
        comm = os.fsencode(args[1])
        args = args[2:]
    top = os.fsencode(args[0])
    paths = [top + b"/" + n for n in NAMES] + [long_path(top)]
    expect = {}
    if comm is not None:
        libc = ctypes.CDLL(None)
        libc.prctl(15, ctypes.c_char_p(comm), 0, 0, 0)   # PR_SET_NAME
        print("ready", flush=True)
        while True:
            for p in paths:
                fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
                os.write(fd, b"x")
                os.close(fd)
            time.sleep(0.05)
    for i, p in enumerate(paths):
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        for _ in range(i + 1):
            os.write(fd, b"0123456789")
        os.close(fd)
        expect[p.decode("utf-8", "surrogateescape")] = {
            "write_ops": i + 1, "write_bytes": 10 * (i + 1)}
    json.dump(expect, sys.stdout)


if __name__ == "__main__":
    main()
