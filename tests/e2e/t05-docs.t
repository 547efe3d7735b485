#!/bin/sh
# t05-docs: citations of docs/kernel-facts.md stay valid. Code cites a
# kernel behaviour as kernel-facts.md "HEADING" (optionally with a comma
# after .md), where HEADING is a "## " heading of the file or a prefix
# that only one heading starts with. Checked: every such citation under
# src/ tests/ docs/ bench/ scripts/ names exactly one heading, sits on
# one line, and no citation of the old external document (kernel-facts
# A1..A5 / E1..E10, or a bare "(A3.6)" / "(E6)") is left. Skips while no
# file under src/ uses the new form yet. POSIX sh, no root, no network.
top=$(cd "$(dirname "$0")/../.." && pwd)
doc=$top/docs/kernel-facts.md
self=$(basename "$0")
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
ok() { n=$((n+1)); echo "ok $n - $1"; }
not_ok() { n=$((n+1)); fails=$((fails+1)); echo "not ok $n - $1"; }
diag() { sed 's/^/# /' "$1" | head -n 40; }

# grep -rn over the tree, without the document itself and this test.
tree_grep() {
	for _d in src tests docs bench scripts; do
		[ -d "$top/$_d" ] || continue
		(cd "$top" && grep -rnE --exclude="$self" --exclude=kernel-facts.md "$@" "$_d")
	done
}

CITE='kernel-facts\.md,? "[^"]*"'
if ! (cd "$top" && grep -rqE "$CITE" src 2>/dev/null); then
	echo "1..0 # SKIP no citation under src/ uses kernel-facts.md \"...\" yet"
	exit 0
fi
echo "1..4"

if [ -f "$doc" ]; then
	sed -n 's/^## //p' "$doc" >"$tmp/headings"
else
	: >"$tmp/headings"
fi
sort "$tmp/headings" | uniq -d >"$tmp/dups"
if [ -s "$tmp/headings" ] && [ ! -s "$tmp/dups" ]; then
	ok "docs/kernel-facts.md has $(wc -l <"$tmp/headings") distinct ## headings"
else
	not_ok "docs/kernel-facts.md exists with distinct ## headings"
	diag "$tmp/dups"
fi

# Every citation (file:line:text) must match exactly one heading by prefix.
tree_grep -o "$CITE" >"$tmp/cites"
: >"$tmp/bad"
while IFS= read -r line; do
	want=${line#*\"}
	want=${want%\"}
	hits=$(WANT=$want awk 'index($0, ENVIRON["WANT"]) == 1 { n++ } END { print n + 0 }' "$tmp/headings")
	if [ -z "$want" ] || [ "$hits" -ne 1 ]; then
		echo "$line: matches $hits headings" >>"$tmp/bad"
	fi
done <"$tmp/cites"
if [ ! -s "$tmp/bad" ]; then
	ok "all $(wc -l <"$tmp/cites") kernel-facts.md citations name exactly one heading"
else
	not_ok "every kernel-facts.md citation names exactly one heading"
	diag "$tmp/bad"
fi

# A citation wrapped over two lines would escape the check above.
tree_grep 'kernel-facts\.md,? "[^"]*$' >"$tmp/open"
if [ ! -s "$tmp/open" ]; then
	ok "no kernel-facts.md citation is split across lines"
else
	not_ok "no kernel-facts.md citation is split across lines"
	diag "$tmp/open"
fi

tree_grep 'kernel-facts [AE][0-9]|[(, ](A[1-5](\.[0-9]+)?|E[0-9]{1,2})[),;:]' >"$tmp/old"
if [ ! -s "$tmp/old" ]; then
	ok "no citation of the old external kernel-facts (A1-A5, E1-E10) is left"
else
	not_ok "no citation of the old external kernel-facts (A1-A5, E1-E10) is left"
	diag "$tmp/old"
fi
[ "$fails" -eq 0 ]
