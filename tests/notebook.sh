#!/bin/sh
# notebook.sh - %load_ext iopstop, %iops and %%iops in a real notebook run
# by nbclient on an ipykernel of /usr/bin/python3 (tests/notebook.py): the
# notebook tool's example cells are exact, threads and odd buffers are
# counted, the kernel's own traffic is not, the HTML has the table and the
# SVG, and ptrace refused falls back to the /proc counters with a note.
. "$srcdir/tests/lib.sh"
PY3=/usr/bin/python3
[ -x "$PY3" ] || { echo "SKIP: no /usr/bin/python3"; exit 77; }
for m in nbclient nbformat ipykernel IPython; do
	"$PY3" -c "import $m" 2>/dev/null ||
		{ echo "SKIP: /usr/bin/python3 lacks $m (Debian: python3-nbclient python3-ipykernel python3-nbformat)"; exit 77; }
done
command -v strace >/dev/null || { echo "SKIP: strace is not installed"; exit 77; }
# Can this machine attach at all?  A parent may trace its child even under
# Yama 1; scope 3 or a container without ptrace cannot.
"$IOPSTOP" -q --backend=strace --json=/dev/null -- true 2>"$TMP/err" ||
	{ echo "SKIP: strace cannot trace here: $(cat "$TMP/err")"; exit 77; }

# ptrace refused, as strace says it: the magic must fall back to proc.
cat >"$TMP/fake-strace" <<'SH'
#!/bin/sh
case "$1" in -V) echo "strace -- version 6.1"; exit 0;; esac
echo "strace: attach: ptrace(PTRACE_SEIZE, 1): Operation not permitted" >&2
exit 1
SH
chmod +x "$TMP/fake-strace"
mkdir "$TMP/keep" "$TMP/home"
# A private HOME: the kernel's IPython profile and history stay in $TMP.
HOME="$TMP/home" IPYTHONDIR="$TMP/home/.ipython" JUPYTER_RUNTIME_DIR="$TMP/home/rt" \
NB_WORK="$TMP" NB_FAKE_STRACE="$TMP/fake-strace" IOPSTOP_KEEP="$TMP/keep" \
PYTHONPATH="$srcdir/python${PYTHONPATH:+:$PYTHONPATH}" \
	"$PY3" "$srcdir/tests/notebook.py" "$TMP" >"$TMP/out" 2>&1
rc=$?
cat "$TMP/out"
check "the notebook runs and every check passes" [ $rc -eq 0 ]

# Terminal IPython (its prompt fed from a file): the same magic, plain text.
mkdir "$TMP/t"
cat >"$TMP/t/cell.ipy" <<'IPY'
%load_ext iopstop
import os
d = os.environ["NB_DIR"]
%iops open(os.path.join(d, "t.txt"), "w").write("q" * 4096)
IPY
NB_DIR="$TMP/t" HOME="$TMP/home" IPYTHONDIR="$TMP/home/.ipython" \
PYTHONPATH="$srcdir/python${PYTHONPATH:+:$PYTHONPATH}" \
	"$PY3" -m IPython --quick --no-banner --colors=NoColor --simple-prompt \
	<"$TMP/t/cell.ipy" >"$TMP/t/out" 2>&1
cat "$TMP/t/out"
check "terminal IPython prints the table as text" \
	grep -Eq '^  write +1 +4,096 +4\.0 KiB' "$TMP/t/out"
check "no HTML in the terminal" sh -c "! grep -q '<table' '$TMP/t/out'"
finish
