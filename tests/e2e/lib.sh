# shellcheck shell=sh
# Shared helpers for the end-to-end TAP tests (tests/e2e/*.t).
#
# Source it after setting nothing: it finds the repository root from the
# sourcing script's path ($0), so tests run from any directory:
#
#   . "$(dirname "$0")/lib.sh"
#   e2e_require_root            # prints "1..0 # SKIP ..." and exits if not root
#   e2e_init                    # temp dir + cleanup trap (EXIT INT TERM HUP)
#   ns=$(e2e_netns_create t20)  # fresh netns, lo up, deleted on exit
#   e2e_defer_kill "$pid"       # process killed on exit
#   e2e_forget_pid "$pid"       # ... unless the test reaped it already
#   tap_plan 3; tap_ok "name"; tap_not_ok "name"; tap_diag_file FILE
#
# POSIX sh (dash); no bashisms. Cleanup runs exactly once, also on
# Ctrl-C, SIGPIPE or when the test fails half-way: every namespace a test creates
# is deleted, every helper process it registered is killed, the temp dir
# is removed.

# shellcheck disable=SC2034 # used by the sourcing tests
E2E_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
E2E_TMP=
E2E_NETNS=
E2E_PIDS=
E2E_CLEANED=
TAP_N=0
TAP_FAILED=0

e2e_require_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "1..0 # SKIP needs root (network namespaces)"
		exit 0
	fi
	for _c in ip ss; do
		if ! command -v "$_c" >/dev/null 2>&1; then
			echo "1..0 # SKIP $_c not installed"
			exit 0
		fi
	done
}

# e2e_require_cmd CMD...: prints "1..0 # SKIP ..." and exits when one is missing.
e2e_require_cmd() {
	for _c in "$@"; do
		if ! command -v "$_c" >/dev/null 2>&1; then
			echo "1..0 # SKIP $_c not installed (scripts/install-deps)"
			exit 0
		fi
	done
}

e2e_cleanup() {
	[ -n "$E2E_CLEANED" ] && return 0
	E2E_CLEANED=1
	for _p in $E2E_PIDS; do
		kill -TERM "$_p" 2>/dev/null
	done
	for _p in $E2E_PIDS; do
		# Bounded: the helpers exit on SIGTERM at once; give up after 2 s.
		_i=0
		while kill -0 "$_p" 2>/dev/null && [ $_i -lt 20 ]; do
			sleep 0.1
			_i=$((_i + 1))
		done
		kill -KILL "$_p" 2>/dev/null
	done
	[ -n "$E2E_TMP" ] && [ -f "$E2E_TMP/.netns" ] &&
		E2E_NETNS="$E2E_NETNS $(cat "$E2E_TMP/.netns")"
	for _n in $E2E_NETNS; do
		ip netns pids "$_n" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
		ip netns delete "$_n" 2>/dev/null
	done
	[ -n "$E2E_TMP" ] && rm -rf "$E2E_TMP"
	return 0
}

e2e_init() {
	E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/sockvet-e2e.XXXXXXXX") || exit 1
	trap 'e2e_cleanup' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	# A reader that goes away (prove killed, `| head`) must not skip
	# the cleanup either.
	trap 'exit 141' PIPE
}

# e2e_netns_create TAG: prints the name of a new namespace with lo up.
# Call it as ns=$(e2e_netns_create tag) after e2e_init. A command
# substitution is a subshell, so the name is recorded in a file in the
# temp dir, which the cleanup reads; the namespace is registered before
# anything else can fail.
e2e_netns_create() {
	_name="sockvet-$1-$$-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')"
	echo "$_name" >>"$E2E_TMP/.netns"
	ip netns add "$_name" || return 1
	ip -n "$_name" link set lo up || return 1
	echo "$_name"
}

e2e_netns_delete() {
	ip netns pids "$1" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
	ip netns delete "$1" 2>/dev/null
}

e2e_defer_kill() {
	E2E_PIDS="$E2E_PIDS $1"
}

# After the test reaped PID itself: never signal a recycled pid later.
e2e_forget_pid() {
	_keep=
	for _p in $E2E_PIDS; do
		[ "$_p" = "$1" ] || _keep="$_keep $_p"
	done
	E2E_PIDS=$_keep
}

# --- TAP -------------------------------------------------------------

tap_plan() {
	echo "1..$1"
}

# TAP_TODO, when set, marks the next results as TODO (known not done):
# a failure then does not fail the file.
tap_ok() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $*${TAP_TODO:+ # TODO $TAP_TODO}"
}

tap_not_ok() {
	TAP_N=$((TAP_N + 1))
	[ -n "${TAP_TODO:-}" ] || TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $*${TAP_TODO:+ # TODO $TAP_TODO}"
}

tap_skip() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N # SKIP $*"
}

# Diagnostics go to stderr, which prove shows even without -v, so a
# failure in CI says why in the log.
tap_diag() {
	echo "# $*" >&2
}

# tap_diag_file FILE [MAX_LINES]: FILE as "# " diagnostics (bounded).
tap_diag_file() {
	head -n "${2:-80}" "$1" | sed 's/^/#   /' >&2
	_n=$(wc -l <"$1")
	if [ "$_n" -gt "${2:-80}" ]; then
		echo "#   ... ($_n lines in all)" >&2
	fi
}

tap_bail() {
	echo "Bail out! $*"
	exit 1
}
