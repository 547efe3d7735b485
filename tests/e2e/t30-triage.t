#!/bin/sh
# t30-triage: live triage on a real kernel, in throwaway namespaces, for
# the issue's four incidents. Each stages the incident with
# tests/helpers/scenario, runs `sockvet --json` inside the namespace and
# checks the finding id and side (and, for healthy cases, that nothing is
# above info). Needs root.
top=$(cd "$(dirname "$0")/../.." && pwd)
SV=${SOCKVET:-$top/sockvet}
SC=$top/tests/helpers/scenario
# shellcheck source=tests/e2e/lib.sh
. "$top/tests/e2e/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "1..0 # SKIP needs root (network namespaces)"
	exit 0
fi
[ -x "$SC" ] || make -C "$top" -s tests/helpers/scenario >/dev/null
NS=sockvet-t30-$$
T=$(mktemp -d)
cleanup() {
	[ -n "${SPID:-}" ] && kill "$SPID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# stage NAME ARGS...: fresh namespace, scenario started and READY.
stage() {
	[ -n "${SPID:-}" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	ip netns add "$NS" && ip netns exec "$NS" ip link set lo up || return 1
	if [ -n "${SYSCTL:-}" ]; then
		ip netns exec "$NS" sysctl -qw "$SYSCTL" || return 1
	fi
	: >"$T/ready"
	ip netns exec "$NS" "$SC" "$@" >"$T/ready" 2>"$T/scenario.err" &
	SPID=$!
	i=0
	while ! grep -q READY "$T/ready" && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	grep -q READY "$T/ready"
}

# expect_finding DESC ID SIDE: the JSON report has finding ID with SIDE.
expect_finding() {
	if jq -e --arg id "$2" --arg side "$3" \
		'[.findings[] | select(.id == $id and .side == $side)] | length > 0' \
		"$T/r.json" >/dev/null; then
		tap_ok "$1"
	else
		tap_not_ok "$1"
		tap_diag "expected $2 ($3); got: $(jq -c '[.findings[] | {id, side, severity}]' "$T/r.json" 2>&1 | head -c 600)"
	fi
}

triage() {
	ip netns exec "$NS" "$SV" --json "$@" >"$T/r.json" 2>"$T/r.err"
	echo $? >"$T/r.rc"
}

tap_plan 9

stage accept-overflow 8080 8 20 60 || tap_diag "staging failed: $(cat "$T/scenario.err")"
triage --samples 2 --interval 1
expect_finding "never-accepting listener: accept-queue-overflow, app" accept-queue-overflow app
rc=$(cat "$T/r.rc")
if [ "$rc" -eq 2 ] || [ "$rc" -eq 1 ]; then tap_ok "exit status says there is a problem ($rc)"; else tap_not_ok "exit status says there is a problem"; tap_diag "rc $rc: $(cat "$T/r.err")"; fi
if jq -e '[.findings[] | select(.id=="accept-queue-overflow") | .changes[] | select(.setting | test("somaxconn"))] | length == 0' "$T/r.json" >/dev/null; then
	tap_ok "no somaxconn proposal when the app never accepts"
else
	tap_not_ok "no somaxconn proposal when the app never accepts"
fi

stage close-wait 9092 20 60 || tap_diag "staging failed: $(cat "$T/scenario.err")"
triage --samples 2 --interval 1
expect_finding "server that never closes: close-wait-leak, app" close-wait-leak app
if jq -e '[.findings[] | select(.id=="close-wait-leak") | .subject | test("scenario")] | any' "$T/r.json" >/dev/null; then
	tap_ok "close-wait-leak names the process"
else
	tap_not_ok "close-wait-leak names the process"
	tap_diag "$(jq -c '[.findings[] | select(.id=="close-wait-leak") | .subject]' "$T/r.json")"
fi

stage busy-client 9091 2000 60 || tap_diag "staging failed: $(cat "$T/scenario.err")"
triage --samples 2 --interval 1
if jq -e '.summary.tcp["TIME-WAIT"] >= 1000' "$T/r.json" >/dev/null; then
	tap_ok "busy client has its TIME-WAIT pile ($(jq '.summary.tcp["TIME-WAIT"]' "$T/r.json"))"
else
	tap_not_ok "busy client has its TIME-WAIT pile"
	tap_diag "$(jq -c .summary "$T/r.json")"
fi
if jq -e '[.findings[] | select(.severity != "info")] | length == 0' "$T/r.json" >/dev/null &&
	jq -e '[.findings[].changes[]] | length == 0' "$T/r.json" >/dev/null; then
	tap_ok "busy client's TIME-WAIT is healthy, no tuning proposal"
else
	tap_not_ok "busy client's TIME-WAIT is healthy, no tuning proposal"
	tap_diag "$(jq -c '[.findings[] | {id, side, severity, changes: [.changes[].setting]}]' "$T/r.json")"
fi

SYSCTL="net.ipv4.ip_local_port_range=40000 40049"
stage port-exhaustion 5432 60 || tap_diag "staging failed: $(cat "$T/scenario.err")"
SYSCTL=
triage --samples 2 --interval 1
expect_finding "narrowed port range: ephemeral-port-exhaustion, app first" ephemeral-port-exhaustion app
if jq -e '[.findings[] | select(.id=="ephemeral-port-exhaustion") | .evidence[] | test("40000|50")] | any' "$T/r.json" >/dev/null; then
	tap_ok "port exhaustion evidence quotes the range"
else
	tap_not_ok "port exhaustion evidence quotes the range"
	tap_diag "$(jq -c '[.findings[] | select(.id=="ephemeral-port-exhaustion") | .evidence]' "$T/r.json")"
fi
[ "$TAP_FAILED" -eq 0 ]
