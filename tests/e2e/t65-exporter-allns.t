#!/bin/sh
# sockvet exporter --all-netns over two lab incidents staged at once
# (accept-overflow, close-wait-leak, --keep): each listener's series
# carries its own namespace's netns and netns_owner labels, the
# accept-queue-overflow finding carries the overflowing namespace, the
# exposition passes promtool (each family once), host-wide values are
# once and unlabelled; the same over --listen with one curl.
# Root only (TAP skip otherwise). Bounded: every command under timeout;
# `sockvet lab clean NAME` on every exit.
. "$(dirname "$0")/lib.sh"
e2e_require_root
e2e_require_cmd curl promtool timeout
SV=${SOCKVET:-$E2E_ROOT/sockvet}
e2e_init
STAGED=
t65_cleanup() {
	for s in $STAGED; do timeout 60 "$SV" lab clean "$s" >/dev/null 2>&1; done
	e2e_cleanup
}
trap 't65_cleanup' EXIT
T=$E2E_TMP
tap_plan 9

# Lab namespaces are shared: wait for another run's to go (bounded), retry
# once on a namespace-exists error.
stage() {
	for try in 1 2 3; do
		i=0
		while [ -e "/run/netns/sockvet-lab-$1" ] && [ $i -lt 90 ]; do sleep 1; i=$((i + 1)); done
		[ -e "/run/netns/sockvet-lab-$1" ] && return 2
		STAGED="$STAGED $1"
		timeout 120 "$SV" lab run "$1" --keep >"$T/$1.out" 2>"$T/$1.err" && return 0
		grep -qi "exists" "$T/$1.err" || return 1
		sleep "$try"
	done
	return 1
}
for s in accept-overflow close-wait-leak; do
	stage "$s"; rc=$?
	if [ $rc -eq 2 ]; then
		while [ "$TAP_N" -lt 9 ]; do tap_skip "sockvet-lab-$s held by another run"; done
		exit 0
	fi
	[ $rc -eq 0 ] || { tap_diag_file "$T/$s.err"; tap_bail "cannot stage $s"; }
done
AQ=$(stat -L -c %i /run/netns/sockvet-lab-accept-overflow)
CW=$(stat -L -c %i /run/netns/sockvet-lab-close-wait-leak)
HOST=$(stat -L -c %i /proc/self/ns/net)   # this test runs in the host namespace

"$SV" exporter --all-netns -N x >/dev/null 2>&1; rc=$?
[ $rc -eq 64 ] && tap_ok "--all-netns with -N is a usage error" || tap_not_ok "--all-netns with -N: exit $rc"

mkdir "$T/tf"
timeout 120 "$SV" exporter --all-netns --once --textfile "$T/tf" 2>"$T/once.err"; rc=$?
P=$T/tf/sockvet.prom
[ $rc -eq 0 ] && [ -s "$P" ] && tap_ok "--all-netns --once --textfile writes the file" ||
	{ tap_not_ok "--all-netns --once --textfile: exit $rc"; tap_diag_file "$T/once.err"; }
promtool check metrics <"$P" >"$T/pc" 2>&1 && tap_ok "promtool check metrics: every family once, samples grouped" ||
	{ tap_not_ok "promtool check metrics"; tap_diag_file "$T/pc"; }
# The listener series by namespace: 8080 in accept-overflow's, the
# close-wait server in its own, neither anywhere else.
lq() { grep "^sockvet_listener_accept_queue{netns=\"$1\",netns_owner=\"$2\",address=\"[^\"]*\",port=\"$3\"" "$P"; }
if lq "$AQ" "named sockvet-lab-accept-overflow" 8080 | grep -q 'process="lab-server"} [1-9]' &&
   ! grep "^sockvet_listener_accept_queue{" "$P" | grep 'port="8080"' | grep -qv "netns=\"$AQ\""; then
	tap_ok "the overflowing listener's series carries its namespace ($AQ) and owner"
else
	tap_not_ok "accept-overflow listener series"; grep '^sockvet_listener_accept_queue' "$P" | sed 's/^/# /'
fi
cwport=$(ip netns exec sockvet-lab-close-wait-leak ss -Htln | awk '{ n = split($4, a, ":"); print a[n]; exit }')
if [ -n "$cwport" ] && lq "$CW" "named sockvet-lab-close-wait-leak" "$cwport" | grep -q . ; then
	tap_ok "the close-wait-leak listener (:$cwport) carries its own namespace ($CW)"
else
	tap_not_ok "close-wait-leak listener series (port '$cwport')"; grep '^sockvet_listener_accept_queue' "$P" | sed 's/^/# /'
fi
f=$(grep '^sockvet_finding{.*id="accept-queue-overflow"' "$P")
if echo "$f" | grep -q "^sockvet_finding{netns=\"$AQ\",netns_owner=\"named sockvet-lab-accept-overflow\"" &&
   [ "$(echo "$f" | grep -vc "netns=\"$AQ\"")" -eq 0 ]; then
	tap_ok "accept-queue-overflow is a finding of that namespace alone"
else
	tap_not_ok "accept-queue-overflow finding: '$f'"
fi
# Host-wide: file-nr once, without labels; the host namespace is labelled host.
if [ "$(grep -c '^sockvet_files_open' "$P")" -eq 1 ] && grep -q '^sockvet_files_open [0-9]' "$P" &&
   grep -q "^sockvet_tcp_sockets{netns=\"$HOST\",netns_owner=\"host\"" "$P"; then
	tap_ok "host-wide values once without labels; the host namespace labelled host"
else
	tap_not_ok "host-wide values"; grep -E '^sockvet_(files_open|tcp_sockets.*LISTEN)' "$P" | sed 's/^/# /'
fi
n=$(sed -n 's/^sockvet_netns //p' "$P")
[ "${n:-0}" -ge 3 ] && grep -q '^sockvet_netns_past_limit 0$' "$P" &&
	tap_ok "sockvet_netns $n, none past the limit" || tap_not_ok "sockvet_netns '$n'"

# --listen: the HTTP socket in a namespace of our own, one scrape.
ns=$(e2e_netns_create t65) || tap_bail "cannot create a namespace"
ip netns exec "$ns" timeout 60 "$SV" exporter --all-netns --listen 127.0.0.1:19813 --interval 2 >"$T/exp.out" 2>&1 &
e2e_defer_kill $!
i=0; got=
while [ $i -lt 50 ] && [ -z "$got" ]; do
	ip netns exec "$ns" curl -s -m 2 http://127.0.0.1:19813/metrics >"$T/http.prom" 2>/dev/null &&
		grep -q '^sockvet_netns ' "$T/http.prom" && got=1
	[ -n "$got" ] || sleep 0.2
	i=$((i + 1))
done
if [ -n "$got" ] && promtool check metrics <"$T/http.prom" >/dev/null 2>&1 &&
   grep -q "^sockvet_listener_accept_queue{netns=\"$AQ\",.*port=\"8080\"" "$T/http.prom"; then
	tap_ok "--listen from another namespace: the scrape has the lab's listener and passes promtool"
else
	tap_not_ok "--listen scrape"; tap_diag_file "$T/exp.out"
fi
exit $((TAP_FAILED > 0))
