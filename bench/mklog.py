#!/usr/bin/env python3
"""mklog.py CAPTURE LINES OUT - replicate a real `strace -f -ttt -T -y -s 0`
capture until OUT has LINES lines.  Each copy is shifted in time by the
capture's span (plus 1 ms), so timestamps keep increasing and the log
reads as one long run of the same mixed workload.  Lines are copied
byte for byte apart from the timestamp."""
import re
import sys


def main():
    cap, want, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    pat = re.compile(rb'^(\d+ +)(\d+)\.(\d+)( .*)$', re.S)
    recs = []
    for line in open(cap, 'rb'):
        m = pat.match(line)
        if not m:
            continue
        recs.append((m.group(1), int(m.group(2)) * 1000000 + int(m.group(3)), m.group(4)))
    if not recs:
        sys.exit('mklog: no -ttt lines in ' + cap)
    t0 = min(r[1] for r in recs)
    span = max(r[1] for r in recs) - t0 + 1000
    base = [(p, t - t0, rest) for p, t, rest in recs]
    start = 1700000000 * 1000000
    n = 0
    with open(out, 'wb', buffering=1 << 20) as f:
        rep = 0
        while n < want:
            off = start + rep * span
            take = base if want - n >= len(base) else base[:want - n]
            f.write(b''.join(b'%s%d.%06d%s' % (p, (t + off) // 1000000,
                                                (t + off) % 1000000, rest)
                             for p, t, rest in take))
            n += len(take)
            rep += 1


main()
