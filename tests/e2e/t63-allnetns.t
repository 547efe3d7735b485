#!/bin/sh
# sockvet --all-netns and ss --all-netns over several staged incidents at
# once: accept-overflow and close-wait-leak from the lab (--keep), plus a
# healthy listener in a namespace of our own. Each finding must land in
# its own namespace under its owner label, the healthy one must have
# none, a host-wide finding must not repeat per namespace, and ss must
# list each namespace's listener under its header line.
#
# Root only (TAP skip otherwise); jq and perl. Bounded: the lab
# namespaces of someone else's run are waited for at most 90 s (then
# skipped), every command runs under timeout, the healthy listener ends
# by itself after 240 s. `sockvet lab clean NAME` on every exit.
. "$(dirname "$0")/lib.sh"
e2e_require_root
for c in jq perl timeout; do
	command -v "$c" >/dev/null 2>&1 || { echo "1..0 # SKIP $c not installed"; exit 0; }
done
SV=${SOCKVET:-$E2E_ROOT/sockvet}
[ -x "$SV" ] || { echo "1..0 # SKIP $SV not built"; exit 0; }

e2e_init
STAGED=
t63_cleanup() {
	for s in $STAGED; do
		timeout 60 "$SV" lab clean "$s" >/dev/null 2>&1
	done
	e2e_cleanup
}
trap 't63_cleanup' EXIT
T=$E2E_TMP
tap_plan 11

# Someone else's run of the same scenario uses the same namespace names
# (and staging again would remove theirs): wait for it to go, bounded.
wait_free() {
	i=0
	while [ -e "/run/netns/sockvet-lab-$1" ] && [ $i -lt 90 ]; do
		sleep 1
		i=$((i + 1))
	done
	[ ! -e "/run/netns/sockvet-lab-$1" ]
}

stage() {
	for try in 1 2; do
		if ! wait_free "$1"; then
			echo "1..0 # SKIP sockvet-lab-$1 is held by another run" >"$T/skip"
			return 1
		fi
		STAGED="$STAGED $1"
		if timeout 120 "$SV" lab run "$1" --keep >"$T/$1.out" 2>"$T/$1.err"; then
			return 0
		fi
		grep -qi "exists" "$T/$1.err" || break
		sleep "$try"
	done
	return 1
}

for s in accept-overflow close-wait-leak; do
	if ! stage "$s"; then
		if [ -f "$T/skip" ]; then
			tap_diag "$(cat "$T/skip")"
			while [ "$TAP_N" -lt 11 ]; do tap_skip "lab namespaces busy"; done
			exit 0
		fi
		tap_diag_file "$T/$s.err"
		tap_bail "cannot stage $s"
	fi
done
# Another run of the same scenario removes and restages its namespace:
# the checks that need ours are skipped (with the reason) when it went.
AQ_INO=$(stat -L -c %i /run/netns/sockvet-lab-accept-overflow 2>/dev/null)
ours() { [ -n "$AQ_INO" ] && [ "$(stat -L -c %i /run/netns/sockvet-lab-accept-overflow 2>/dev/null)" = "$AQ_INO" ]; }
if grep -q "sockvet lab clean accept-overflow" "$T/accept-overflow.out"; then
	tap_ok "lab --keep: accept-overflow stays up in sockvet-lab-accept-overflow"
else
	tap_not_ok "lab --keep: accept-overflow stays up"; tap_diag_file "$T/accept-overflow.out"
fi

# The healthy one: a listener nobody connects to, in our own namespace.
H=$(e2e_netns_create t63) || tap_bail "cannot create a namespace"
ip netns exec "$H" timeout 240 perl -MIO::Socket::INET -e \
	'my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1:7301", Listen => 16, ReuseAddr => 1) or die "$!"; sleep 240' &
e2e_defer_kill $!
i=0
until ip netns exec "$H" ss -Htln 'sport = :7301' | grep -q LISTEN || [ $i -ge 50 ]; do
	sleep 0.1; i=$((i + 1))
done

timeout 600 "$SV" --all-netns --json >"$T/all.json" 2>"$T/all.err"
rc=$?
AQ_OURS=1; ours || AQ_OURS=
worst=$(jq '[.namespaces[].exit_status, (.host_wide.findings | map(.severity) |
	if index("critical") then 2 elif index("warning") then 1 else 0 end)] | max' "$T/all.json")
if [ -z "$AQ_OURS" ]; then
	tap_skip "sockvet-lab-accept-overflow was restaged by another run meanwhile"
elif [ "$rc" -eq "${worst:-9}" ] && [ "$rc" -eq 2 ]; then
	tap_ok "--all-netns --json: exit $rc, the worst namespace's"
else
	tap_not_ok "--all-netns --json: exit $rc, worst namespace ${worst:-?} (want 2)"
	tap_diag_file "$T/all.err"
fi

ids_in() { # NETNS-NAME-PREFIX: the finding ids (warning or worse) of that namespace
	jq -r --arg n "$1" '.namespaces[] | select(.netns.name | startswith($n)) |
		.report.findings[] | select(.severity != "info") | .id' "$T/all.json" | sort -u
}
owner_of() {
	jq -r --arg n "$1" '.namespaces[] | select(.netns.name == $n) | .netns.owner' "$T/all.json"
}

aq=$(ids_in sockvet-lab-accept-overflow)
if [ -z "$AQ_OURS" ]; then
	tap_skip "accept-overflow namespace restaged by another run"
elif echo "$aq" | grep -qx accept-queue-overflow && ! echo "$aq" | grep -qx close-wait-leak; then
	tap_ok "accept-queue-overflow lands in sockvet-lab-accept-overflow alone"
else
	tap_not_ok "accept-overflow namespace has: $aq"
fi
if [ -z "$AQ_OURS" ]; then
	tap_skip "accept-overflow namespace restaged by another run"
elif [ "$(owner_of sockvet-lab-accept-overflow)" = "named sockvet-lab-accept-overflow" ]; then
	tap_ok "its owner label is the netns name"
else
	tap_not_ok "owner label: '$(owner_of sockvet-lab-accept-overflow)'"
fi
cw=$(ids_in sockvet-lab-close-wait-leak)
if echo "$cw" | grep -qx close-wait-leak && ! echo "$cw" | grep -qx accept-queue-overflow; then
	tap_ok "close-wait-leak lands in the close-wait-leak namespace alone"
else
	tap_not_ok "close-wait-leak namespace has: $cw"
fi
hs=$(jq -r --arg n "$H" '.namespaces[] | select(.netns.name == $n) |
	"\(.exit_status) \(.netns.owner) \(.report.summary.listeners)"' "$T/all.json")
if [ "$hs" = "0 named $H 1" ] && [ -z "$(ids_in "$H")" ]; then
	tap_ok "the healthy namespace: exit 0, no finding, its listener seen"
else
	tap_not_ok "healthy namespace: '$hs', findings: $(ids_in "$H")"
fi
if [ "$(jq '[.namespaces[] | select(.netns.owner == "host")] | length' "$T/all.json")" -eq 1 ]; then
	tap_ok "the host namespace is listed once, labelled host"
else
	tap_not_ok "host namespace entries: $(jq -c '[.namespaces[].netns.owner]' "$T/all.json")"
fi
# Host-wide findings: never inside a namespace's report, each once.
inns=$(jq -r '.namespaces[].report.findings[] |
	select(.id == "tcp-memory-pressure" or .id == "orphan-sockets" or
	       (.id == "fd-exhaustion" and (.subject | startswith("host"))) or
	       (.id == "syn-queue-overflow" and (.subject | startswith("kernel log")))) | .id' "$T/all.json")
dup=$(jq -r '.host_wide.findings | map(.id + "|" + .subject) | (length - (unique | length))' "$T/all.json")
if [ -z "$inns" ] && [ "$dup" = 0 ]; then
	tap_ok "host-wide findings only under host_wide, once each ($(jq -c '[.host_wide.findings[].id]' "$T/all.json"))"
else
	tap_not_ok "host-wide findings in namespaces: '$inns', repeated: $dup"
fi

# Text: a section per namespace with findings, the healthy ones folded.
timeout 600 "$SV" --all-netns --color=never >"$T/all.txt" 2>"$T/all.txt.err"
if ! ours; then
	tap_skip "accept-overflow namespace restaged by another run"
elif grep -q "^=== netns [0-9]*: named sockvet-lab-accept-overflow ===" "$T/all.txt" &&
   grep -q "^=== netns [0-9]*: named sockvet-lab-close-wait-leak" "$T/all.txt" &&
   ! grep -q "^=== netns [0-9]*: named $H ===" "$T/all.txt"; then
	tap_ok "text: sections for the two incidents, none for the healthy one"
else
	tap_not_ok "text sections"; tap_diag_file "$T/all.txt" 40
fi
hw=$(grep -c "^=== Host-wide" "$T/all.txt")
if [ "$hw" -eq 1 ] && tr '\n' ' ' <"$T/all.txt" | grep -q "namespaces\{0,1\} healthy:.*named $H"; then
	tap_ok "text: one Host-wide section; the healthy namespace on the folded line"
else
	tap_not_ok "text: $hw Host-wide sections, healthy line: $(grep -A3 ' healthy' "$T/all.txt")"
fi

# ss --all-netns -tln: each listener under its own namespace's header.
timeout 60 "$SV" ss --all-netns -tln >"$T/ss.txt" 2>"$T/ss.err"
ours || AQ_OURS=
under() { # HEADER-REGEX PORT: the port's LISTEN row is in that header's block
	awk -v h="$1" -v p=":$2 " '/^# netns / { cur = ($0 ~ h) } cur && /^LISTEN/ && index($0, p) { f = 1 }
		END { exit !f }' "$T/ss.txt"
}
if [ -z "$AQ_OURS" ]; then
	tap_skip "accept-overflow namespace restaged by another run"
elif under "^# netns [0-9]+ named $H\$" 7301 && under "^# netns [0-9]+ named sockvet-lab-accept-overflow\$" 8080 &&
   ! under "^# netns [0-9]+ host\$" 7301; then
	tap_ok "ss --all-netns -tln: each listener under its namespace's header"
else
	tap_not_ok "ss --all-netns -tln"; tap_diag_file "$T/ss.txt" 40
fi
exit $((TAP_FAILED > 0))
