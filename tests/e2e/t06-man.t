#!/bin/sh
# t06-man: docs/sockvet.8 is what scdoc makes of docs/sockvet.8.scd (the
# date line aside), so the man page people read is the source people edit.
# Both are committed: a build needs no scdoc. Skips without scdoc.
top=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v scdoc >/dev/null 2>&1; then
	echo "1..0 # SKIP scdoc is not installed"
	exit 0
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
echo "1..2"
if scdoc <"$top/docs/sockvet.8.scd" >"$tmp/sockvet.8" 2>"$tmp/err"; then
	echo "ok 1 - scdoc builds docs/sockvet.8.scd"
else
	echo "not ok 1 - scdoc builds docs/sockvet.8.scd"
	sed 's/^/# /' "$tmp/err"
fi
grep -v '^\.TH ' "$top/docs/sockvet.8" >"$tmp/committed"
grep -v '^\.TH ' "$tmp/sockvet.8" >"$tmp/built"
if diff -u "$tmp/committed" "$tmp/built" >"$tmp/diff"; then
	echo "ok 2 - docs/sockvet.8 is up to date (make man)"
else
	echo "not ok 2 - docs/sockvet.8 differs from scdoc's output: run make man"
	head -n 40 "$tmp/diff" | sed 's/^/# /'
fi
