#!/bin/sh
# docs.sh - the help text and the man page say what the code accepts:
# every long option in src/options.c's table is in --help and in
# iopstop(1); every key of the view (src/view.c's global keys, each view's
# .key) is in the man page's KEYS section; the man page renders cleanly.
. "$srcdir/tests/lib.sh"
MAN="$srcdir/man/iopstop.1"

"$IOPSTOP" --help >"$TMP/help" 2>&1
check "--help exits 0" [ $? -eq 0 ]
# The man source with roff's \- as -, so "\-\-delay" reads "--delay".
sed 's/\\-/-/g' "$MAN" >"$TMP/man"

# Long options: the rows of `longopts[]` ({"name", ...}).
sed -n '/^static const struct option longopts\[\]/,/^};/p' "$srcdir/src/options.c" |
	sed -n 's/^[[:space:]]*{"\([^"]*\)",.*/\1/p' >"$TMP/opts"
check "found the option table" [ "$(wc -l <"$TMP/opts")" -ge 20 ]
while read -r o; do
	check "--$o in --help" grep -qE -- "--$o([^a-z-]|\$)" "$TMP/help"
	check "--$o in iopstop(1)" grep -qE -- "--$o([^a-z-]|\$)" "$TMP/man"
done <"$TMP/opts"

# Keys: the first field of global_keys[] rows ({'q', ...}, {12, ...}) and
# every view descriptor's .key = 'x'.
{
	sed -n '/^static const struct view_keydef global_keys\[\]/,/^};/p' "$srcdir/src/view.c" |
		sed -n "s/^[[:space:]]*{'\\(.\\)',.*/\\1/p; s/^[[:space:]]*{\\([1-9][0-9]*\\),.*/^\\1/p"
	sed -n "s/.*\\.key = '\\(.\\)'.*/\\1/p" "$srcdir"/src/view_*.c
} >"$TMP/keys"
check "found the key tables" [ "$(wc -l <"$TMP/keys")" -ge 20 ]
# The words the KEYS section sets in bold (.B, .BR, .TP's tag lines):
# quotes and commas dropped, one word a line.
sed -n '/^\.SH KEYS/,/^\.SH /p' "$TMP/man" |
	sed -n 's/^\.BR\{0,1\} //p' | tr -d '",' | tr ' ' '\n' | sed '/^$/d' >"$TMP/keywords"
while IFS= read -r k; do
	case $k in
	' ') word=space ;;
	^*) n=${k#^}; word="Ctrl-$(printf "\\$(printf '%03o' $((n + 64)))")" ;;
	*) word=$k ;;
	esac
	check "key '$word' in iopstop(1) KEYS" grep -qxF -- "$word" "$TMP/keywords"
done <"$TMP/keys"

# The page renders with no warnings.
if command -v groff >/dev/null 2>&1; then
	groff -man -ww -z "$MAN" >"$TMP/warn" 2>&1
	check "groff -man -ww: no warnings" [ ! -s "$TMP/warn" ]
	cat "$TMP/warn"
fi
if command -v man >/dev/null 2>&1; then
	MANWIDTH=80 man --warnings -l "$MAN" >/dev/null 2>"$TMP/warn"
	check "man --warnings -l: no warnings" [ ! -s "$TMP/warn" ]
	cat "$TMP/warn"
fi
finish
