#!/bin/sh
# strace_version.sh - strace's version is asked once per strace binary and
# kept in $XDG_CACHE_HOME/iopstop; a changed binary is asked again; an
# unwritable cache only costs the question.
. "$srcdir/tests/lib.sh"
real=$(command -v strace) || { echo "SKIP: strace is not installed"; exit 77; }

# A strace that notes each -V it answers.
cat >"$TMP/strace" <<EOS
#!/bin/sh
[ "\$1" = -V ] && echo asked >>"$TMP/asked"
exec "$real" "\$@"
EOS
chmod +x "$TMP/strace"
asked() { [ -f "$TMP/asked" ] && wc -l <"$TMP/asked" || echo 0; }
run() { IOPSTOP_STRACE="$TMP/strace" XDG_CACHE_HOME="$1" "$IOPSTOP" -q --backend=strace -v"$TMP/log" -- true; }

run "$TMP/cache"
check "first run: exit 0" [ $? -eq 0 ]
check "first run asks strace -V once" [ "$(asked)" -eq 1 ]
check "the answer is cached" grep -q "^$TMP/strace	.*	[0-9][0-9]*\$" "$TMP/cache/iopstop/strace-version"
run "$TMP/cache"
check "second run: exit 0" [ $? -eq 0 ]
check "second run does not ask" [ "$(asked)" -eq 1 ]
check "the cached version still brings --seccomp-bpf" sh -c "tail -n 3 '$TMP/log' | grep -q 'strace: .* --seccomp-bpf '"

touch -d '2001-01-01' "$TMP/strace"
run "$TMP/cache"
check "a changed strace is asked again" [ "$(asked)" -eq 2 ]

mkdir "$TMP/ro" && chmod 500 "$TMP/ro"
run "$TMP/ro/cache"
check "an unwritable cache: exit 0" [ $? -eq 0 ]
if [ "$(id -u)" != 0 ]; then
	check "an unwritable cache: asked again" [ "$(asked)" -eq 3 ]
fi

printf 'garbage\n' >"$TMP/cache/iopstop/strace-version"
run "$TMP/cache"
check "a corrupt cache: exit 0" [ $? -eq 0 ]
check "a corrupt cache is asked again and rewritten" grep -q "^$TMP/strace	" "$TMP/cache/iopstop/strace-version"
finish
