# shellcheck shell=sh
# Shared machinery of the ss differentials (t20-ss-differential.t,
# t21-filter-differential.t): the population, and the comparison of one
# matrix line, "sockvet ss FLAGS" against iproute2 6.1 "ss FLAGS" (ss,
# sockvet, ss triple; normalisation; retries). Rationale in
# docs/testing.md, "The ss differential test". Source it after lib.sh
# and e2e_require_root:
#
#   DIFF_TAG=t20                 netns name tag
#   DIFF_SS_AS_SOCKVET=0|1       self-check: ss stands in for sockvet
#   MAX_AGE=45                   restart the population when older (s)
#   MATRIX=FILE                  named in diagnostics
#   . "$(dirname "$0")/differential.sh"
#   diff_build_population        builds tests/helpers/population, or
#                                prints the TAP skip and exits
#   diff_init                    e2e_init, $T, $SOCKVET (fake one in
#                                self-check mode)
#   start_population; check_population; compare MODE DESC FLAGSTRING
#
# compare honours DIFF_RECORD_FLAGS: when set, replay4/replay6 record
# the dump with these flags instead of FLAGSTRING (a filter expression
# is then left to the replaying tools, not to the kernel at -D time).

SOCKVET=${SOCKVET:-$E2E_ROOT/sockvet}
POP=$E2E_ROOT/tests/helpers/population
DIFF_TAG=${DIFF_TAG:-t20}
DIFF_SS_AS_SOCKVET=${DIFF_SS_AS_SOCKVET:-0}
MAX_AGE=${MAX_AGE:-45}
DIFF_RECORD_FLAGS=

diff_build_population() {
	if [ ! -x "$POP" ] || [ -n "$(find "$POP.c" -newer "$POP" 2>/dev/null)" ]; then
		make -s -C "$E2E_ROOT" tests/helpers/population >/dev/null 2>&1 ||
			{ echo "1..0 # SKIP cannot build tests/helpers/population"; exit 0; }
	fi
}

diff_init() {
	e2e_init
	T=$E2E_TMP

	# The binary under test; the self-check puts ss behind the same CLI.
	if [ "$DIFF_SS_AS_SOCKVET" = 1 ]; then
		cat >"$T/fake-sockvet" <<'FAKE'
#!/bin/sh
# ss standing in for "sockvet ss [--replay FILE] FLAGS" (self-check).
shift
if [ "$1" = --replay ]; then
	TCPDIAG_FILE=$2
	export TCPDIAG_FILE
	shift 2
fi
exec ss "$@"
FAKE
		chmod +x "$T/fake-sockvet"
		SOCKVET=$T/fake-sockvet
	fi
	if [ ! -x "$SOCKVET" ]; then
		SOCKVET_MISSING=1
	fi
}

NS=
POP_PID=
POP_T0=0
GEN=0

start_population() {
	GEN=$((GEN + 1))
	NS=$(e2e_netns_create "$DIFF_TAG") || tap_bail "cannot create a netns"
	mkdir -p "$T/u$GEN"
	ip netns exec "$NS" "$POP" -t 100 -d "$T/u$GEN" \
		>"$T/pop$GEN.out" 2>"$T/pop$GEN.err" &
	POP_PID=$!
	e2e_defer_kill "$POP_PID"
	_i=0
	while ! grep -q '^READY$' "$T/pop$GEN.out" 2>/dev/null; do
		_i=$((_i + 1))
		if [ $_i -gt 300 ] || ! kill -0 "$POP_PID" 2>/dev/null; then
			tap_diag_file "$T/pop$GEN.err"
			tap_bail "population did not become READY"
		fi
		sleep 0.1
	done
	POP_T0=$(date +%s)
	ip netns exec "$NS" ss -tanim --tos -4 -D "$T/v4.dump" 2>/dev/null ||
		tap_bail "ss -D (v4) failed"
	ip netns exec "$NS" ss -tanim --tos -6 -D "$T/v6.dump" 2>/dev/null ||
		tap_bail "ss -D (v6) failed"
}

stop_population() {
	kill -TERM "$POP_PID" 2>/dev/null
	_i=0
	while kill -0 "$POP_PID" 2>/dev/null && [ $_i -lt 30 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	kill -KILL "$POP_PID" 2>/dev/null
	wait "$POP_PID" 2>/dev/null
	e2e_forget_pid "$POP_PID"
	e2e_netns_delete "$NS"
}

ensure_fresh() {
	if [ $(($(date +%s) - POP_T0)) -gt "$MAX_AGE" ]; then
		tap_diag "population older than ${MAX_AGE}s (TIME-WAIT expires at 60s): restarting"
		stop_population
		start_population
	fi
}

# run OUT PREFIX... : runs "$@", stdout to OUT, stderr to OUT.err, exit
# status to OUT.rc, pid (ip netns exec execs, so it is the tool's pid)
# to OUT.pid.
run() {
	_out=$1
	shift
	"$@" >"$_out" 2>"$_out.err" &
	_pid=$!
	echo "$_pid" >"$_out.pid"
	wait "$_pid"
	echo $? >"$_out.rc"
}

# Delete the tool's own sock_diag netlink row (and its TAB continuation
# lines): local address tcpdiag:<comm>/<pid> or, with -n, 4:<pid>.
drop_own_row() {
	awk -v pid="$(cat "$1.pid")" '
		skip && /^\t/ { next }
		{ skip = 0 }
		/UNCONN/ {
			for (i = 1; i <= NF; i++)
				if ($i ~ ("^(tcpdiag:[^ /]*/|4:)" pid "$")) {
					skip = 1
					next
				}
		}
		{ print }' "$1" >"$1.f"
}

# The documented difference: 6.1 prints S.MMM seconds as "S.MMMms".
#
# The rewrite makes that timer one character longer, and ss 6.1 pads the
# last column of every row (and the header) to the width of its longest
# text, which it measured with "ms". So when a rewrite fired, that
# column's trailing padding is not comparable: blanks at line ends are
# stripped from this file and from the files it is compared with (marked
# by $1.ts, see strip_if_rewritten). Nothing else is touched, and output
# without a fractional-second timer stays byte-exact.
ms_to_sec() {
	rm -f "$1.ts"
	if grep -q 'timer:([a-z]*,[0-9][0-9]*\.[0-9][0-9][0-9]ms,' "$1.f"; then
		: >"$1.ts"
		sed 's/\(timer:([a-z]*,[0-9][0-9]*\.[0-9][0-9][0-9]\)ms,/\1sec,/g; s/[[:space:]]*$//' \
			"$1.f" >"$1.n"
		mv "$1.n" "$1.f"
	fi
}

# strip_if_rewritten REF OTHER: if ms_to_sec rewrote REF, strip OTHER's
# line-end blanks too.
strip_if_rewritten() {
	if [ -e "$1.ts" ]; then
		sed 's/[[:space:]]*$//' "$2.f" >"$2.n"
		mv "$2.n" "$2.f"
	fi
}

# strip_md5_keys F: ss 6.1 writes the bytes of every TCP-MD5 key it shows
# (-i) straight to stdout, ahead of its buffered table, so they end up at
# the start of line 1; sockvet leaves keys out (docs/sockvet.8, "Differences
# from ss"). Only the population's own key (POP_MD5_KEY in
# tests/helpers/population.c) is taken off, nothing else.
strip_md5_keys() {
	sed '1s/^\(sockvet-pop-md5\)*//' "$1.f" >"$1.n"
	mv "$1.n" "$1.f"
}

# flag_words FLAGSTRING: FLAGSTRING with @NS@ replaced, for the caller to
# split with an unquoted "set --" (blanks only; set -f disables globbing).
flag_words() {
	printf '%s\n' "$1" | sed "s/@NS@/$NS/g"
}

# compare MODE DESC FLAGSTRING
compare() {
	_mode=$1
	_desc=$2
	_flags=$3
	_tries=0
	_stable=
	while [ $_tries -lt 3 ]; do
		_tries=$((_tries + 1))
		case $_mode in
		live)
			ensure_fresh
			# shellcheck disable=SC2046 # split on purpose, set -f
			set -- $(flag_words "$_flags")
			run "$T/a" ip netns exec "$NS" ss "$@"
			run "$T/b" ip netns exec "$NS" "$SOCKVET" ss "$@"
			run "$T/c" ip netns exec "$NS" ss "$@"
			;;
		outside)
			ensure_fresh
			# shellcheck disable=SC2046 # split on purpose, set -f
			set -- $(flag_words "$_flags")
			run "$T/a" ss "$@"
			run "$T/b" "$SOCKVET" ss "$@"
			run "$T/c" ss "$@"
			;;
		replay4 | replay6)
			# Each line gets its own recording, made by ss with the
			# line's own flags (state words, -a/-l, -4/-6/-f) plus every
			# extension: ss 6.1 ignores those flags when it replays a
			# file, sockvet --replay applies them (a documented
			# difference), so the file must hold exactly the sockets
			# they select for the two outputs to be comparable.
			# DIFF_RECORD_FLAGS (t21): the same without the filter
			# expression, which both tools then evaluate on the file.
			_dump=$T/line.dump
			# shellcheck disable=SC2046 # split on purpose, set -f
			set -- $(flag_words "${DIFF_RECORD_FLAGS:-$_flags}")
			rm -f "$_dump"
			ip netns exec "$NS" ss -im --tos "-${_mode#replay}" -D "$_dump" "$@" \
				>/dev/null 2>&1
			# shellcheck disable=SC2046 # split on purpose, set -f
			set -- $(flag_words "$_flags")
			if [ ! -s "$_dump" ]; then
				tap_not_ok "$_desc"
				tap_diag "ss -D recorded nothing for: $_flags"
				return
			fi
			run "$T/a" env TCPDIAG_FILE="$_dump" ip netns exec "$NS" ss "$@"
			run "$T/b" ip netns exec "$NS" "$SOCKVET" ss --replay "$_dump" "$@"
			run "$T/c" env TCPDIAG_FILE="$_dump" ip netns exec "$NS" ss "$@"
			;;
		*)
			tap_not_ok "$_desc"
			tap_diag "unknown mode '$_mode' in $MATRIX"
			return
			;;
		esac
		for _f in a b c; do
			drop_own_row "$T/$_f"
			strip_md5_keys "$T/$_f"
		done
		ms_to_sec "$T/a"
		ms_to_sec "$T/c"
		if [ "$DIFF_SS_AS_SOCKVET" = 1 ]; then
			ms_to_sec "$T/b"
		fi
		strip_if_rewritten "$T/a" "$T/b"
		strip_if_rewritten "$T/a" "$T/c"
		strip_if_rewritten "$T/c" "$T/a"
		if cmp -s "$T/a.f" "$T/c.f" && cmp -s "$T/a.rc" "$T/c.rc"; then
			_stable=1
			break
		fi
	done
	if [ -z "$_stable" ]; then
		tap_skip "$_desc: ss output not stable over 3 tries (population or host moved)"
		diff -u "$T/a.f" "$T/c.f" | cat -A | sed 's/^/#   /' | head -40
		return
	fi
	if cmp -s "$T/a.f" "$T/b.f" && cmp -s "$T/a.rc" "$T/b.rc"; then
		tap_ok "$_desc"
		return
	fi
	tap_not_ok "$_desc"
	if [ -n "${SOCKVET_MISSING:-}" ]; then
		tap_diag "sockvet binary not found: $SOCKVET (run make)"
		return
	fi
	if ! cmp -s "$T/a.rc" "$T/b.rc"; then
		tap_diag "exit status: ss $(cat "$T/a.rc"), sockvet $(cat "$T/b.rc")"
	fi
	tap_diag "diff -u ss sockvet (cat -A: \$ = end of line, ^I = TAB):"
	diff -u "$T/a.f" "$T/b.f" | cat -A | sed 's/^/#   /' | head -80
	if [ -s "$T/b.err" ]; then
		tap_diag "sockvet stderr:"
		tap_diag_file "$T/b.err" 10
	fi
}

# Does the population look as documented? (Guards against a silently
# degraded population making every comparison trivially pass.)
check_population() {
	ip netns exec "$NS" ss -Htan >"$T/pop.tcp" 2>/dev/null
	ip netns exec "$NS" ss -Hxa >"$T/pop.unix" 2>/dev/null
	ip netns exec "$NS" ss -Huan >"$T/pop.udp" 2>/dev/null
	ip netns exec "$NS" ss -Htlnp >"$T/pop.users" 2>/dev/null
	_missing=
	for _s in LISTEN ESTAB SYN-SENT TIME-WAIT CLOSE-WAIT FIN-WAIT-2; do
		grep -q "^$_s " "$T/pop.tcp" || _missing="$_missing $_s"
	done
	# Fields of ss -Htan: State Recv-Q Send-Q Local Peer.
	awk '$1 == "LISTEN" && $2 == 3 && $3 == 2 && $4 == "127.0.0.1:8080" { f = 1 }
		END { exit !f }' "$T/pop.tcp" || _missing="$_missing full-accept-queue"
	awk '$1 == "CLOSE-WAIT" && $2 == 1 { f = 1 } END { exit !f }' \
		"$T/pop.tcp" || _missing="$_missing close-wait-1"
	awk '$1 == "CLOSE-WAIT" && $2 == 0 { f = 1 } END { exit !f }' \
		"$T/pop.tcp" || _missing="$_missing close-wait-0"
	awk '$1 == "ESTAB" && $2 == 1000 && $4 == "127.0.0.1:7000" { f = 1 }
		END { exit !f }' "$T/pop.tcp" || _missing="$_missing unread-data"
	awk '$1 == "ESTAB" && $3 > 0 && $5 == "127.0.0.1:5432" { f = 1 }
		END { exit !f }' "$T/pop.tcp" || _missing="$_missing unsent-data"
	awk '$1 == "SYN-SENT" && $5 == "127.0.0.1:8080" { f = 1 } END { exit !f }' \
		"$T/pop.tcp" || _missing="$_missing syn-sent"
	grep -q '%lo:9501 ' "$T/pop.tcp" || _missing="$_missing bound-dev"
	grep -q '\[::ffff:127\.0\.0\.1\]:8444 ' "$T/pop.tcp" || _missing="$_missing v4-mapped"
	grep -q '@sockvet-population-abstract' "$T/pop.unix" || _missing="$_missing abstract"
	grep -q '^u_seq ' "$T/pop.unix" || _missing="$_missing seqpacket"
	awk '$1 == "u_str" && $3 == 1000 { f = 1 } END { exit !f }' \
		"$T/pop.unix" || _missing="$_missing unix-unread"
	awk '$1 == "UNCONN" && $2 > 0 && $4 == "127.0.0.1:5353" { f = 1 }
		END { exit !f }' "$T/pop.udp" || _missing="$_missing udp-unread"
	[ "$(grep ':9600 ' "$T/pop.users" | grep -o '("population",' | wc -l)" -eq 3 ] ||
		_missing="$_missing shared-listener"
	grep ':6000 ' "$T/pop.users" | grep -q '(("pop wk,x y",pid=' ||
		_missing="$_missing weird-comm"
	grep ':6001 ' "$T/pop.users" | grep -q '(("a(b",pid=' ||
		_missing="$_missing paren-comm"
	if [ -z "$_missing" ]; then
		tap_ok "population is complete"
	else
		tap_not_ok "population is complete (missing:$_missing)"
		tap_diag_file "$T/pop.tcp"
	fi
}
