#!/bin/sh
# t21-filter-differential: filter expressions, sockvet ss against
# iproute2 6.1 ss on the population of t20 (issue 10, "Tests").
#
# Needs root (network namespace). Environment:
#   SOCKVET=PATH         binary under test (default: ./sockvet at the repo root)
#   T21_SS_AS_SOCKVET=1  harness self-check: ss stands in for sockvet
#                        (every live/replay/reject line must pass; the
#                        sockvet-only lines are skipped)
#
# Lines come from tests/e2e/filter-matrix.txt (hand-written, the modes
# are described there) and tests/e2e/filter-matrix-gen.txt (the output
# of tests/e2e/filter-gen.sh, checked to be current). live and replay
# lines go through compare() of tests/e2e/differential.sh, the same
# ss/sockvet/ss triple, normalisation and retries as t20; a replay
# line's dump is recorded without the expression (DIFF_RECORD_FLAGS), so
# that both tools evaluate it in user space. reject lines: both tools
# refuse (ss exits 1 or 255, sockvet 64), nothing on stdout.

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
e2e_require_root

MATRIX=$E2E_ROOT/tests/e2e/filter-matrix.txt
GEN_MATRIX=$E2E_ROOT/tests/e2e/filter-matrix-gen.txt
GEN_SCRIPT=$E2E_ROOT/tests/e2e/filter-gen.sh
MAX_AGE=${T21_MAX_AGE:-45}
DIFF_TAG=t21
DIFF_SS_AS_SOCKVET=${T21_SS_AS_SOCKVET:-0}
# shellcheck source=tests/e2e/differential.sh
. "$(dirname "$0")/differential.sh"

diff_build_population
for _f in "$MATRIX" "$GEN_MATRIX"; do
	[ -r "$_f" ] || { echo "1..0 # SKIP no matrix $_f"; exit 0; }
done
diff_init

# The -F files of the matrix (@T@/NAME).
printf 'sport = :8080\nor dport = :8080\n' >"$T/two-lines.filter"
printf '# a comment\n( sport = :9090 )\n  and dst 127.0.0.1\n' >"$T/comment.filter"
: >"$T/empty.filter"
printf 'sport = :8080 and\n' >"$T/trailing-and.filter"
printf 'state established\n' >"$T/state.filter"

# split_line WORDS...: sets OPTS (options, their arguments and state
# words: what ss -D records with) and EXPR (the rest, -F FILE included).
split_line() {
	OPTS=
	EXPR=
	while [ $# -gt 0 ]; do
		case $1 in
		-F)
			EXPR="$EXPR $1 $2"
			shift
			;;
		-f | -A | -N | state | exclude | excl)
			OPTS="$OPTS $1 $2"
			shift
			;;
		-*) OPTS="$OPTS $1" ;;
		*) EXPR="$EXPR $1" ;;
		esac
		[ $# -gt 0 ] && shift
	done
}

# run_both FLAGSTRING: ss and sockvet once each, in the netns.
run_both() {
	# shellcheck disable=SC2046 # split on purpose, set -f
	set -- $(flag_words "$1")
	run "$T/a" ip netns exec "$NS" ss "$@"
	run "$T/b" ip netns exec "$NS" "$SOCKVET" ss "$@"
}

# caret_ok: sockvet's message names (column N): its third stderr line
# must be the caret, N + 1 columns in (2 for the indent, minus 1).
caret_ok() {
	_col=$(sed -n '1s/.*(column \([0-9][0-9]*\))$/\1/p' "$T/b.err")
	[ -z "$_col" ] && return 0
	[ "$(sed -n 3p "$T/b.err")" = "$(printf "%$((_col + 1))s^" '')" ]
}

# why_refused PATTERN: appends to $_why what is wrong with sockvet's
# refusal: exit 64, nothing on stdout, a message matching PATTERN, and
# the caret under the column the message names.
why_refused() {
	[ "$(cat "$T/b.rc")" -eq 64 ] || _why="$_why; sockvet exit $(cat "$T/b.rc"), not 64"
	[ -s "$T/b" ] && _why="$_why; sockvet printed to stdout"
	grep -q "$1" "$T/b.err" || _why="$_why; no '$1' message from sockvet"
	caret_ok || _why="$_why; caret not under the column"
}

# verdict DESC: ok when nothing was found wrong ($_why empty).
verdict() {
	if [ -z "$_why" ]; then
		tap_ok "$1"
		return
	fi
	tap_not_ok "$1 (${_why#; })"
	tap_diag "ss exit $(cat "$T/a.rc"), sockvet exit $(cat "$T/b.rc"); sockvet stderr:"
	tap_diag_file "$T/b.err" 5
	[ -s "$T/extra" ] && tap_diag "rows not in the unfiltered listing:" &&
		tap_diag_file "$T/extra" 5
}

# check_reject DESC FLAGSTRING: both refuse, nothing on stdout.
check_reject() {
	run_both "$2"
	_why=
	rm -f "$T/extra"
	[ "$(cat "$T/a.rc")" -ne 0 ] || _why="$_why; ss accepted it"
	[ -s "$T/a" ] && _why="$_why; ss printed to stdout"
	if [ "$DIFF_SS_AS_SOCKVET" = 1 ]; then
		[ "$(cat "$T/b.rc")" -ne 0 ] || _why="$_why; sockvet accepted it"
		[ -s "$T/b" ] && _why="$_why; sockvet printed to stdout"
	else
		why_refused 'filter\|state'
	fi
	verdict "$1"
}

# Blanks squeezed, line ends stripped: the padding of a listing depends
# on its widest row.
squeeze() {
	sed 's/[[:space:]][[:space:]]*/ /g; s/ $//'
}

# check_sockvet_only MODE DESC FLAGSTRING: the documented differences.
# sv-reject: ss accepts, sockvet refuses with 64 and a filter: message.
# sv-accept: ss refuses, sockvet accepts; each row it prints is a row of
# sockvet's unfiltered listing (so the extension selects, not invents).
check_sockvet_only() {
	if [ "$DIFF_SS_AS_SOCKVET" = 1 ]; then
		tap_skip "$2: sockvet-only line, not run in the self-check"
		return
	fi
	run_both "$3"
	_why=
	rm -f "$T/extra"
	if [ "$1" = sv-reject ]; then
		[ "$(cat "$T/a.rc")" -eq 0 ] || _why="$_why; ss refused it"
		why_refused 'filter:'
	else
		[ "$(cat "$T/a.rc")" -ne 0 ] || _why="$_why; ss accepted it"
		[ "$(cat "$T/b.rc")" -eq 0 ] || _why="$_why; sockvet exit $(cat "$T/b.rc")"
		# shellcheck disable=SC2046 # split on purpose, set -f
		split_line $(flag_words "$3")
		# shellcheck disable=SC2086
		ip netns exec "$NS" "$SOCKVET" ss $OPTS 2>/dev/null | squeeze >"$T/all"
		sed 1d "$T/b" | squeeze | grep -vxFf "$T/all" >"$T/extra"
		[ -s "$T/extra" ] && _why="$_why; rows not in the unfiltered listing"
		head -1 "$T/b" | grep -q '^\(State\|Netid\) ' || _why="$_why; no header"
	fi
	verdict "$2"
}

# run_line LINE: one matrix line (TODO suffix already taken off).
run_line() {
	_m=${1%%[[:space:]]*}
	_flags=${1#"$_m"}
	_desc="$_m: ss$_flags"
	case $_m in
	live | replay4 | replay6)
		DIFF_RECORD_FLAGS=
		if [ "$_m" != live ]; then
			# shellcheck disable=SC2086 # split on purpose, set -f
			split_line $_flags
			DIFF_RECORD_FLAGS=$OPTS
		fi
		compare "$_m" "$_desc" "$_flags"
		;;
	reject) check_reject "$_desc" "$_flags" ;;
	sv-reject | sv-accept) check_sockvet_only "$_m" "$_desc" "$_flags" ;;
	*)
		tap_not_ok "$_desc"
		tap_diag "unknown mode '$_m'"
		;;
	esac
}

set -f
_n=$(cat "$MATRIX" "$GEN_MATRIX" | grep -cv '^[[:space:]]*\(#\|$\)')
tap_plan $((_n + 2))
tap_diag "$_n filter lines: $(grep -c '^\(live\|replay\)' "$MATRIX") hand-written," \
	"$(grep -c '^\(live\|replay\)' "$GEN_MATRIX") generated," \
	"$(grep -c '^reject' "$MATRIX") rejected by both," \
	"$(grep -c '^sv-' "$MATRIX") sockvet-only"

if sh "$GEN_SCRIPT" | cmp -s - "$GEN_MATRIX"; then
	tap_ok "filter-matrix-gen.txt is what filter-gen.sh prints"
else
	tap_not_ok "filter-matrix-gen.txt is what filter-gen.sh prints (regenerate it)"
fi
start_population
check_population

# Not a pipe: the loop must run in this shell (a population restart
# registers the new helper for the cleanup, TAP_N and TAP_FAILED count).
cat "$MATRIX" "$GEN_MATRIX" >"$T/lines"
while IFS= read -r _line; do
	case $_line in
	'' | '#'*) continue ;;
	esac
	TAP_TODO=
	case $_line in
	*' ## TODO '*)
		TAP_TODO=${_line#*' ## TODO '}
		_line=${_line%%' ## TODO '*}
		;;
	esac
	_line=$(printf '%s\n' "$_line" | sed "s/^[[:space:]]*//; s/[[:space:]]*$//; s|@T@|$T|g")
	run_line "$_line" </dev/null
done <"$T/lines"

[ "$TAP_FAILED" -eq 0 ]
