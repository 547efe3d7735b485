#!/bin/sh
# t45-analyze-roundtrip: offline analysis gives the live verdict. For lab
# scenarios a single snapshot can judge, stage the incident (`lab run
# NAME --keep`), then inside its namespace, at the same moment:
#   - capture what a user would paste, with the real tools, as one
#     terminal transcript: ss -s, ss -tan, ss -tlnp, ss -uanm, nstat -az, sysctl
#     of the settings the rules read, cat /proc/net/sockstat;
#   - triage live with one sample (`sockvet -N NS --once --json`),
# and check that `sockvet analyze` of the transcript finds the same
# warning and critical finding ids with the same sides; and the same for
# `sockvet capture -N NS`'s bundle. One sample on
# both sides: analyze reads one snapshot, so a trend-only finding is not
# expected of it.
# Samples in time (SERIES): for some scenarios, triage live with 3 samples
# 1 s apart, and analyze both `sockvet capture --samples 3 --interval 1`
# and the real-tool transcript taken twice with `date` before each round:
# the same ids and sides, from a series of the right length whose times
# are known. Needs root, ip, nft, jq, ss, nstat.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
e2e_require_root
e2e_require_cmd nft jq ss nstat
e2e_init
SV=${SOCKVET:-$E2E_ROOT/sockvet}
T=$E2E_TMP
[ -x "$SV" ] || make -C "$E2E_ROOT" -s sockvet >/dev/null || tap_bail "cannot build sockvet"

# Judged from sockets, counters and sysctls alone (no /proc of the host).
SCENARIOS="accept-overflow accept-queue-close-wait port-exhaustion syn-flood-nocookies nothing-listening loopback-only udp-slow-reader"

# The focus options the lab triages its scenario with ("lab:   triage:
# sockvet -N NS --port 8080 --symptom refused"): both sides get them.
focus_of() {
	sed -n 's/^lab: *triage: sockvet -N [^ ]*//p' "$1" | head -n 1
}

cleanup() {
	"$SV" lab clean all >/dev/null 2>&1
	e2e_cleanup
}
trap 'cleanup' EXIT

# Samples in time: a listener full in every sample, and a pile of
# connections whose count the samples compare.
SERIES="accept-overflow port-exhaustion"

N=$(echo "$SCENARIOS" | wc -w)
NS=$(echo "$SERIES" | wc -w)
tap_plan $((N * 3 + NS * 2))

# The transcript a user pastes: prompts, then each tool's output.
capture() {
	ns=$1
	for cmd in "ss -s" "ss -tan" "ss -tlnp" "ss -uanm" "nstat -az" \
		   "sysctl net.core.somaxconn net.ipv4.tcp_max_syn_backlog net.ipv4.tcp_syncookies net.ipv4.ip_local_port_range net.ipv4.tcp_fin_timeout" \
		   "cat /proc/net/sockstat"; do
		echo "root@web1:~# $cmd"
		# shellcheck disable=SC2086
		NSTAT_HISTORY=$T/nstat.hist ip netns exec "$ns" $cmd 2>&1
	done
}

# The transcript twice, `date -u` before each round, a second apart.
capture_twice() {
	for round in 1 2; do
		[ "$round" = 2 ] && sleep 1
		echo "root@web1:~# date -u"
		date -u
		capture "$1"
	done
}

# "id side" per warning or critical finding, sorted.
verdicts() {
	jq -r '.findings[] | select(.severity == "warning" or .severity == "critical") |
		"\(.id) \(.side)"' "$1" | sort -u
}

# Live with 3 samples against analyze of a 3-sample capture and of the
# transcript taken twice; each must be a timed series of that length. The
# three run at the same time, over the same 2 s of the incident (a
# scenario's programs do not run forever).
series_check() {
	name=$1 ns=$2 focus=$3
	# shellcheck disable=SC2086
	"$SV" -N "$ns" --samples 3 --interval 1 --json $focus >"$T/$name.live3.json" 2>/dev/null &
	"$SV" capture -N "$ns" --samples 3 --interval 1 -o "$T/$name.cap3" 2>"$T/$name.cap3.err" &
	capture_twice "$ns" >"$T/$name.twice.txt" &
	wait
	verdicts "$T/$name.live3.json" >"$T/$name.live3"
	for kind in cap3:3 twice.txt:2; do
		f=${kind%%:*} want_n=${kind#*:}
		# shellcheck disable=SC2086
		"$SV" analyze --json $focus "$T/$name.$f" >"$T/$name.$f.json" 2>>"$T/$name.cap3.err"
		verdicts "$T/$name.$f.json" >"$T/$name.$f.v"
		got_n=$(jq '.samples' "$T/$name.$f.json" 2>/dev/null)
		timed=$(jq '.time_known' "$T/$name.$f.json" 2>/dev/null)
		if [ -s "$T/$name.live3" ] && cmp -s "$T/$name.live3" "$T/$name.$f.v" &&
		   [ "$got_n" = "$want_n" ] && [ "$timed" = true ]; then
			tap_ok "$name: $want_n samples in time ($f) find what live triage over 3 samples finds"
		else
			tap_not_ok "$name: $want_n samples in time ($f) find what live triage over 3 samples finds"
			tap_diag "live: $(tr '\n' ',' <"$T/$name.live3")"
			tap_diag "offline ($f): $(tr '\n' ',' <"$T/$name.$f.v") samples $got_n, time known $timed"
			tap_diag_file "$T/$name.cap3.err" 3
		fi
	done
}

for name in $SCENARIOS; do
	ns=sockvet-lab-$name
	if ! "$SV" lab run "$name" --keep >"$T/$name.lab" 2>"$T/$name.laberr"; then
		tap_not_ok "$name: staged"
		tap_diag_file "$T/$name.laberr" 5
		tap_not_ok "$name: analyze finds what live triage finds"
		continue
	fi
	focus=$(focus_of "$T/$name.lab")
	# sockvet's own capture beside the transcript and the live run, so the
	# three look at the same moment of the incident (one taken last, seconds
	# later on a slow machine, once saw it changed)
	"$SV" capture -N "$ns" -o "$T/$name.cap" 2>"$T/$name.cap.err" &
	cap_pid=$!
	capture "$ns" >"$T/$name.txt"
	# shellcheck disable=SC2086
	"$SV" -N "$ns" --once --json $focus >"$T/$name.live.json" 2>/dev/null
	# shellcheck disable=SC2086
	"$SV" analyze --json $focus "$T/$name.txt" >"$T/$name.offline.json" \
		2>"$T/$name.offline.err"
	rc=$?
	wait "$cap_pid"
	# shellcheck disable=SC2086
	"$SV" analyze --json $focus "$T/$name.cap" >"$T/$name.cap.json" 2>>"$T/$name.cap.err"
	case " $SERIES " in *" $name "*) series_check "$name" "$ns" "$focus" ;; esac
	"$SV" lab clean "$name" >/dev/null 2>&1
	used=$(jq '[.inputs[] | select(.status == "used")] | length' "$T/$name.offline.json" 2>/dev/null)
	if [ "$rc" -le 2 ] && [ "${used:-0}" -ge 5 ]; then
		tap_ok "$name: analyze read the transcript ($used sections used, exit $rc)"
	else
		tap_not_ok "$name: analyze read the transcript (exit $rc, ${used:-0} sections used)"
		tap_diag_file "$T/$name.offline.err" 5
		tap_diag "$(jq -c '[.inputs[]? | {command, status, what}]' "$T/$name.offline.json" 2>/dev/null | head -c 600)"
	fi
	verdicts "$T/$name.live.json" >"$T/$name.live"
	verdicts "$T/$name.offline.json" >"$T/$name.offline"
	if [ -s "$T/$name.live" ] && cmp -s "$T/$name.live" "$T/$name.offline"; then
		tap_ok "$name: analyze finds what live triage finds ($(tr '\n' ',' <"$T/$name.live" | sed 's/,$//'))"
	else
		tap_not_ok "$name: analyze finds what live triage finds"
		tap_diag "live: $(tr '\n' ',' <"$T/$name.live")"
		tap_diag "offline: $(tr '\n' ',' <"$T/$name.offline")"
	fi
	verdicts "$T/$name.cap.json" >"$T/$name.cap.v"
	if [ -s "$T/$name.live" ] && cmp -s "$T/$name.live" "$T/$name.cap.v"; then
		tap_ok "$name: analyze of sockvet capture finds the same"
	else
		tap_not_ok "$name: analyze of sockvet capture finds the same"
		tap_diag "live: $(tr '\n' ',' <"$T/$name.live")"
		tap_diag "capture: $(tr '\n' ',' <"$T/$name.cap.v")"
		tap_diag_file "$T/$name.cap.err" 3
	fi
done
