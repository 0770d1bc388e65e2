#!/bin/sh
# meta_calls.sh - every metadata call strace counts, iopstop counts.
# For chmod -R, chown -R, cp -a, tar x, git checkout, rsync -a and sqlite3,
# each run on a fresh copy of one tree: strace -c gives the ground truth;
# every call in it that looks up, creates, changes or removes a name or
# its attributes, lists a directory, syncs or locks must be in iopstop's
# --json "meta.by_call" with the same count (fcntl: its lock commands
# only, counted from strace's own log).  Also: README's and the man page's
# WHAT IS COUNTED lists name exactly the calls syscalls.def counts.
. "$srcdir/tests/lib.sh"
command -v strace >/dev/null 2>&1 || { echo "SKIP: strace is not installed"; exit 77; }

# ---- the documented list is the code's ------------------------------------------
"$PY" - "$srcdir/src/syscalls.def" "$srcdir/README.md" "$srcdir/man/iopstop.1" <<'PY' &&
import re, sys
names = {m.group(1) for m in re.finditer(r'^X\((\w+),\s*(OPC_META|OPC_READ|OPC_WRITE),(?![^)]*SCF_DARWIN)',
                                        open(sys.argv[1]).read(), re.M)}
def listed(path, start, end):
    t = open(path).read()
    i = t.index(start); j = t.index(end, i)
    return set(re.findall(r'\b[a-z_][a-z0-9_]*[a-z0-9]\b', t[i:j].replace("\\-", "-").replace("\\fB", " ").replace("\\fR", " ")))
ok = True
for path in sys.argv[2:]:
    got = listed(path, "counted:begin", "counted:end")
    missing = names - got
    if missing:
        print("%s: not listed: %s" % (path, " ".join(sorted(missing)))); ok = False
sys.exit(0 if ok else 1)
PY
	ok "README and man page list every counted Linux call" ||
	not_ok "README/man WHAT IS COUNTED differs from syscalls.def"

# ---- the programs -----------------------------------------------------------------
mktree() { # mktree DIR: 20 dirs x 10 files, symlinks, an xattr when it works
	mkdir -p "$1"
	i=0
	while [ $i -lt 20 ]; do
		mkdir -p "$1/d$i"
		j=0
		while [ $j -lt 10 ]; do echo "$i $j" > "$1/d$i/f$j"; j=$((j + 1)); done
		ln -s f0 "$1/d$i/link"
		i=$((i + 1))
	done
	command -v setfattr >/dev/null 2>&1 && setfattr -n user.iopstop -v 1 "$1/d0/f0" 2>/dev/null
	return 0
}
mktree "$TMP/proto"
tar cf "$TMP/t.tar" -C "$TMP/proto" .
if command -v git >/dev/null 2>&1; then
	git init -q "$TMP/repo" && cp -r "$TMP/proto/." "$TMP/repo/" &&
		git -C "$TMP/repo" add -A && git -C "$TMP/repo" -c user.email=t@t -c user.name=t \
			commit -qm t || not_ok "git fixture"
fi
uid=$(id -u) gid=$(id -g)

# fresh NAME: a new copy of the tree (and repo) in $TMP/run/NAME
fresh() {
	rm -rf "$TMP/run"
	mkdir -p "$TMP/run"
	cp -a "$TMP/proto" "$TMP/run/src"
	[ -d "$TMP/repo" ] && cp -a "$TMP/repo" "$TMP/run/repo"
	return 0
}

# compare NAME CMD...: strace -c against iopstop --json, each on a fresh tree
compare() {
	name=$1; shift
	if ! command -v "$1" >/dev/null 2>&1 && [ "$1" != sh ]; then
		echo "# $name: $1 is not installed, skipped"; return 0
	fi
	fresh; (cd "$TMP/run" && strace -f -qq -c -o "$TMP/$name.c" "$@" >/dev/null 2>&1)
	fresh; (cd "$TMP/run" && strace -f -qq -e trace=fcntl,fcntl64 -o "$TMP/$name.fcntl" "$@" >/dev/null 2>&1)
	fresh; (cd "$TMP/run" && "$IOPSTOP" -q --backend=strace --json="$TMP/$name.json" -- "$@" >/dev/null 2>&1)
	if "$PY" - "$name" "$TMP/$name.c" "$TMP/$name.fcntl" "$TMP/$name.json" <<'PY'
import json, re, sys
name, cfile, ffile, jfile = sys.argv[1:]
# what counts as metadata, by name, independent of iopstop's table
META = re.compile(r'(stat|xattr|link|chmod|chown|utime|sync|flock|getdents|mkdir|rmdir|'
                  r'rename|trunc|fallocate|^open|^creat|^close|access|mknod|chdir|^lseek|fadvise)')
NOT = {"fstatfs64"}  # none today
truth = {}
for line in open(cfile):
    f = line.split()
    if len(f) < 5 or not f[3].isdigit() or f[-1] == "total":
        continue
    calls, errors = int(f[3]), (int(f[4]) if len(f) == 6 else 0)
    if META.search(f[-1]) and f[-1] not in NOT:
        truth[f[-1]] = calls - errors
locks = sum(1 for l in open(ffile) if re.search(r'fcntl(64)?\(\d+.*, F_(OFD_)?(SET|GET)LK', l)
            and not re.search(r'= -1 ', l) and "resumed" not in l)
if locks:
    truth["fcntl"] = locks
got = json.load(open(jfile))["meta"]["by_call"]
bad = []
# git's index refresh and rsync's two processes vary a little run to run
slack = {"git": 0.05, "rsync": 0.05}.get(name, 0)
for call, n in sorted(truth.items()):
    g = got.get(call, 0)
    if n and not g:
        bad.append("%s: strace %d, iopstop none" % (call, n))
    elif abs(g - n) > slack * n:
        bad.append("%s: strace %d, iopstop %d" % (call, n, g))
print("# %s: %s" % (name, ", ".join("%s %d" % kv for kv in sorted(truth.items()))))
if bad:
    print("# " + "\n# ".join(bad)); sys.exit(1)
PY
	then ok "$name: every metadata call strace counts, iopstop counts"
	else not_ok "$name: metadata calls differ from strace -c"; fi
}

compare chmod chmod -R u+w src
compare chown chown -R "$uid:$gid" src
compare cp-a cp -a src dst
compare tar-x sh -c 'mkdir x && tar xf "$0" -C x' "$TMP/t.tar"
[ -d "$TMP/repo" ] &&
	compare git sh -c 'cd repo && git checkout -q -b other && rm -rf d1 && git checkout -q -- .'
compare rsync rsync -a src/ dst/
compare sqlite3 sqlite3 db.sqlite 'create table t(a); begin; insert into t values(1); commit; select * from t;'
finish
