# attach_lib.sh - shared by attach.sh, proc_backend.sh, proclist.sh: a
# steady writer to watch, and fork-free reads of /proc for tight polling.
set -u
WRITER=${WRITER:-$(dirname "$WORKLOAD")/writer}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iopstop-test.XXXXXX")
pids_to_kill=
cleanup() {
	for p in $pids_to_kill; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; for f in "$tmp"/*.err; do [ -f "$f" ] && sed "s|^|  $(basename "$f"): |" "$f"; done; exit 1; }
ok() { echo "ok: $*"; }
command -v python3 >/dev/null || skip "python3 is needed to read the JSON"

# getf FILE KEY: REPLY = the first word after "KEY:" (bash builtins only;
# a read cut short by a signal is tried again).
getf() {
	local k v try
	REPLY=
	for try in 1 2 3; do
		while read -r k v; do
			if [ "$k" = "$2:" ]; then REPLY=${v%%[[:space:]]*}; return 0; fi
		done < "$1"
		[ -e "$1" ] || return 1
	done
	return 1
}

# start_writer NAME [PERIOD_US]: wpid = a writer that is writing (as
# $RUNAS, in $WDIR, when set).
start_writer() {
	${RUNAS:-} "$WRITER" "${WDIR:-$tmp}/$1.dat" "${2:-20000}" > "$tmp/$1.ready" &
	wpid=$!
	pids_to_kill="$pids_to_kill $wpid"
	local i
	for i in $(seq 2400); do	# up to 2 min: a loaded machine is slow to start it
		grep -q ready "$tmp/$1.ready" 2>/dev/null && return 0
		kill -0 "$wpid" 2>/dev/null || break
		sleep 0.05
	done
	fail "the writer did not start"
}

# wait_gone PID SECONDS: wait for a child to end; 1 if it did not.
wait_gone() {
	local i
	for i in $(seq $(($2 * 20))); do
		kill -0 "$1" 2>/dev/null || { wait "$1" 2>/dev/null; return 0; }
		sleep 0.05
	done
	return 1
}

# unharmed PID: alive, never stopped (sampled for 0.5 s), not traced,
# still writing.
unharmed() {
	local i st
	kill -0 "$1" 2>/dev/null || fail "$2: the writer is gone"
	getf /proc/"$1"/io syscw; local w0=$REPLY
	for i in $(seq 10); do
		getf /proc/"$1"/status State; st=$REPLY
		case $st in R|S|D) ;; *) fail "$2: the writer is in state $st" ;; esac
		sleep 0.05
	done
	getf /proc/"$1"/status TracerPid
	[ "$REPLY" = 0 ] || fail "$2: the writer is still traced by '$REPLY'"
	# Still writing: its syscw grows (waited for, not timed: under load a
	# 0.5 s window can pass without the writer getting the CPU).
	for i in $(seq 1200); do
		getf /proc/"$1"/io syscw
		[ "$REPLY" -gt "$w0" ] && break
		sleep 0.05
	done
	[ "$REPLY" -gt "$w0" ] || fail "$2: the writer stopped writing"
	ok "$2: writer alive, state $st, TracerPid 0, still writing"
}

# jq-like: jget FILE PYTHON-EXPR (d is the JSON object).
jget() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
