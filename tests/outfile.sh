#!/bin/sh
# outfile.sh - the command's output while the view is up is private: created
# race-free (O_EXCL, O_NOFOLLOW) with mode 0600 in $XDG_RUNTIME_DIR or a new
# private directory under $TMPDIR; a symlink planted at the old predictable
# name ($TMPDIR/iopstop-PID.out) redirects nothing; an empty file is removed
# at exit, a non-empty one named; -o refuses a symbolic link.
set -u
if ! command -v tmux >/dev/null 2>&1; then
	echo "SKIP: tmux is not installed (the view needs a terminal)"
	exit 77
fi
: "${IOPSTOP:?IOPSTOP not set}"
command -v strace >/dev/null || { echo "SKIP: strace is needed"; exit 77; }

T="tmux -L iopstop-$$-outfile -f /dev/null"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iopstop-outfile.XXXXXX") || exit 99
cleanup() { $T kill-server >/dev/null 2>&1; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
# A session that stays, so that the server never exits between two runs
# (a new session racing a dying server: "server exited unexpectedly").
$T new-session -d -s keep "sleep 3600" || exit 99
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
mkdir -m 700 "$tmp/xdg" "$tmp/t"

# run ENV... -- ARGS: iopstop --exit in a fresh session; waits for its status
run() {
	$T kill-session -t o >/dev/null 2>&1
	rm -f "$tmp/status"
	$T new-session -d -s o -x 80 -y 24 "$* 2>\"$tmp/summary\"; echo \$? >\"$tmp/status\"; \
sleep 60" || exit 99
	n=300
	while [ ! -s "$tmp/status" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	st=$(cat "$tmp/status" 2>/dev/null)
}
ENV="env -u XDG_RUNTIME_DIR TERM=xterm TMPDIR=$tmp/t"

# ---- in $XDG_RUNTIME_DIR: 0600 while it runs, named at exit -----------------
run "env TERM=xterm XDG_RUNTIME_DIR=$tmp/xdg \"$IOPSTOP\" --exit -- sh -c \
'echo hello; ls -l \"$tmp\"/xdg/iopstop-*.out >\"$tmp/ls\"'"
f=$(ls "$tmp"/xdg/iopstop-*.out 2>/dev/null | head -n 1)
[ "$st" = 0 ] && [ -n "$f" ] && grep -qx hello "$f" &&
	ok "the output went to $f" || fail "XDG: status '$st', file '$f'"
grep -q '^-rw------- ' "$tmp/ls" && ok "mode 0600 while the command runs" ||
	fail "mode: $(cat "$tmp/ls" 2>/dev/null)"
grep -q "command output: $f" "$tmp/summary" && ok "named at exit" ||
	fail "not named: $(cat "$tmp/summary")"

# ---- no $XDG_RUNTIME_DIR: a private directory; an empty file is removed ------
run "$ENV \"$IOPSTOP\" --exit -- sh -c 'ls -ld \"$tmp\"/t/iopstop-* >\"$tmp/ls\"'"
[ "$st" = 0 ] && grep -q '^drwx------ ' "$tmp/ls" &&
	ok "a private directory under TMPDIR" || fail "TMPDIR: status '$st', $(cat "$tmp/ls")"
left=$(ls -A "$tmp/t")
[ -z "$left" ] && ok "the empty output and its directory are removed" ||
	fail "left behind: $left"
grep -q "command output" "$tmp/summary" && fail "an empty output is named" ||
	ok "an empty output is not named"

# ---- a symlink planted at the old predictable name redirects nothing ---------
: > "$tmp/victim"
run "$ENV sh -c 'ln -s \"$tmp/victim\" \"$tmp/t/iopstop-\$\$.out\"; exec \"$IOPSTOP\" --exit \
-- sh -c \"echo leaked\"'"
[ "$st" = 0 ] && ! grep -q leaked "$tmp/victim" && ok "the planted symlink was not followed" ||
	fail "planted symlink: status '$st', victim holds '$(cat "$tmp/victim")'"
rm -f "$tmp"/t/iopstop-*.out
rm -rf "$tmp"/t/iopstop-*

# ---- -o refuses a symbolic link, writes to its named target -------------------
ln -s "$tmp/target" "$tmp/link"
run "$ENV \"$IOPSTOP\" --exit -o \"$tmp/link\" -- echo through-link"
[ "$st" = 1 ] && [ ! -e "$tmp/target" ] && grep -q 'symbolic link' "$tmp/summary" &&
	ok "-o LINK refused: $(head -n 1 "$tmp/summary")" ||
	fail "-o LINK: status '$st', $(cat "$tmp/summary"), target $(ls "$tmp/target" 2>&1)"
run "$ENV \"$IOPSTOP\" --exit -o \"$tmp/target\" -- echo named"
[ "$st" = 0 ] && grep -qx named "$tmp/target" && ok "-o TARGET writes there" ||
	fail "-o TARGET: status '$st'"
[ "$(stat -c %a "$tmp/target")" = 600 ] && ok "-o creates it 0600" ||
	fail "-o mode $(stat -c %a "$tmp/target")"

[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
exit 0
