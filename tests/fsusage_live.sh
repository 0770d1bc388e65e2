#!/bin/sh
# fsusage_live.sh - the fs_usage source's process handling, on Linux, with
# stand-ins for fs_usage and sudo (tests/fake/): the command's exit status,
# its pid on the events, the notice before sudo, refusals explained.
. "$srcdir/tests/lib.sh"
IOPSTOP_FS_USAGE="$srcdir/tests/fake/fs_usage"
IOPSTOP_SUDO="$srcdir/tests/fake/sudo"
export IOPSTOP_FS_USAGE IOPSTOP_SUDO
run() { "$IOPSTOP" -q -b --backend=fs_usage "$@"; }

run --json="$TMP/a.json" -- sh -c 'sleep 1; exit 3' 2>"$TMP/err"
check "the command's exit status" [ $? -eq 3 ]
check "a notice before sudo may ask" grep -q "fs_usage needs root: running it through" "$TMP/err"
check "backend fs_usage" [ "$(jget "$TMP/a.json" backend)" = fs_usage ]
check "reads: 5 ops" [ "$(jget "$TMP/a.json" read.ops)" = 5 ]
check "reads: 20480 bytes" [ "$(jget "$TMP/a.json" read.bytes)" = 20480 ]
check "write error counted as an error" [ "$(jget "$TMP/a.json" write.errors)" = 1 ]
check "stat64 error counted" [ "$(jget "$TMP/a.json" meta.errors)" = 1 ]
check "disk read apart" [ "$(jget "$TMP/a.json" disk.read_bytes)" = 8192 ]
pid=$(jget "$TMP/a.json" pids.0)
check "events carry the command's pid" \
	[ "$(jget "$TMP/a.json" processes.0.pid)" = "$pid" ]

FAKE_SUDO=refuse run -- true 2>"$TMP/err"
check "sudo refused: exit 1" [ $? -eq 1 ]
check "sudo refused: explained" grep -q "refused.*fs_usage needs root" "$TMP/err"

IOPSTOP_SUDO= FAKE_FS_USAGE_MODE=notroot run -- true 2>"$TMP/err"
check "fs_usage not root: exit 1" [ $? -eq 1 ]
check "fs_usage not root: explained" grep -q "fs_usage must be run as root" "$TMP/err"

IOPSTOP_FS_USAGE=/nonexistent/fs_usage IOPSTOP_SUDO= run -- true 2>"$TMP/err"
check "no fs_usage: exit 1" [ $? -eq 1 ]
check "no fs_usage: explained" grep -q "cannot run fs_usage" "$TMP/err"

sleep 5 &
bg=$!
IOPSTOP_SUDO= run -p "$bg" -n 2 -d 0.1 --json="$TMP/p.json" 2>"$TMP/err"
check "-p: ends after -n intervals" [ $? -eq 0 ]
check "-p: the pid's reads" [ "$(jget "$TMP/p.json" read.ops)" = 5 ]
check "-p: on that pid" [ "$(jget "$TMP/p.json" processes.0.pid)" = "$bg" ]
kill "$bg" 2>/dev/null
sleep 0.3
# (the [f] keeps pgrep from matching its own sh -c)
check "no fs_usage left running" sh -c "! pgrep -f '$srcdir/tests/fake/[f]s_usage -w' >/dev/null"

finish
