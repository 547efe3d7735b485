#!/bin/sh
# sockvet exporter end to end: the HTTP contract (404/405, oversized
# headers, half-open connections, garbage, 1,000 scrapes that cause no
# dumps), the textfile's atomic replacement, promtool on the exposition
# and the rules, and the real thing: Debian's Prometheus scraping an
# exporter that watches the lab's overflowing listener, with the alert
# going pending or firing through Prometheus's HTTP API.
#
# Everything runs in this test's own namespace: the exporter's HTTP
# socket and Prometheus live there (no host port is taken); the exporter
# samples the lab's namespace with -N. Bounded: every wait has a limit,
# the whole file takes well under 2 minutes.
. "$(dirname "$0")/lib.sh"

e2e_require_root
e2e_require_cmd curl promtool prometheus perl
e2e_init
SV=${SOCKVET:-$E2E_ROOT/sockvet}
LAB=accept-overflow
LABNS=sockvet-lab-$LAB
LAB_STARTED=
t60_cleanup() {
	[ -n "$LAB_STARTED" ] && "$SV" lab clean "$LAB" >/dev/null 2>&1
	e2e_cleanup
}
trap 't60_cleanup' EXIT

ns=$(e2e_netns_create t60) || tap_bail "cannot create a namespace"
in_ns() { ip netns exec "$ns" "$@"; }
EXP=127.0.0.1:19813
URL=http://$EXP

tap_plan 22

# Every exporter --help option is in the man page (t10 does the same for ss and triage).
missing=
for o in $("$SV" exporter --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
	grep -q -- "\*$o\*" "$E2E_ROOT/docs/sockvet.8.scd" || missing="$missing $o"
done
[ -z "$missing" ] && tap_ok "every exporter --help option is in the man page" ||
	tap_not_ok "every exporter --help option is in the man page (missing:$missing)"

# Wait (at most $1 tenths of a second) until the exporter serves a sample.
wait_http() {
	_i=0
	while [ $_i -lt "$1" ]; do
		[ "$(in_ns curl -s -m 1 -o /dev/null -w '%{http_code}' "$URL/metrics")" = 200 ] && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

code() { in_ns curl -s -m 5 -o /dev/null -w '%{http_code}' "$@"; }
samples() { in_ns curl -s -m 5 --interface 127.0.0.2 "$URL/metrics" | sed -n 's/^sockvet_samples_total //p'; }

# Not through in_ns: a backgrounded function is a subshell, and $! would
# be the subshell, not the exporter.
ip netns exec "$ns" "$SV" exporter --listen "$EXP" --interval 1 >"$E2E_TMP/exp.out" 2>&1 &
exp_pid=$!
e2e_defer_kill "$exp_pid"
if wait_http 50; then tap_ok "exporter serves /metrics"; else tap_not_ok "exporter serves /metrics"; tap_diag_file "$E2E_TMP/exp.out"; fi

ct=$(in_ns curl -s -m 5 -o /dev/null -w '%{content_type}' "$URL/metrics")
[ "$ct" = "text/plain; version=0.0.4; charset=utf-8" ] && tap_ok "content type is exposition 0.0.4" ||
	tap_not_ok "content type is exposition 0.0.4 (got '$ct')"
c=$(code "$URL/"); [ "$c" = 200 ] && tap_ok "/ is the index page" || tap_not_ok "/ is the index page (got $c)"
c=$(code "$URL/nope"); [ "$c" = 404 ] && tap_ok "other paths are 404" || tap_not_ok "other paths are 404 (got $c)"
c=$(code -X POST -d 'a=1' "$URL/metrics"); [ "$c" = 405 ] && tap_ok "POST is 405" || tap_not_ok "POST is 405 (got $c)"
c=$(code -X DELETE "$URL/metrics"); [ "$c" = 405 ] && tap_ok "DELETE is 405" || tap_not_ok "DELETE is 405 (got $c)"

# A 100 KiB header does not fit the per-connection memory: refused (431
# or the connection closed), never served.
big=$(head -c 100000 /dev/zero | tr '\0' a)
c=$(code -H "X-Big: $big" "$URL/metrics")
case $c in 200) tap_not_ok "oversized header refused (got 200)" ;; *) tap_ok "oversized header refused ($c)" ;; esac

# 200 half-open connections (a partial request line, then silence) and
# 50 connections of random bytes from 127.0.0.1, held while a scrape
# from another address (127.0.0.2: the per-address limit is the abuser's
# alone) must still answer within 2 s.
in_ns perl -MIO::Socket::INET -e '
	my @s;
	for (1..200) { my $c = IO::Socket::INET->new(PeerAddr => $ARGV[0], Timeout => 2) or last;
		print $c "GET /metr"; push @s, $c; }
	for (1..50) { my $c = IO::Socket::INET->new(PeerAddr => $ARGV[0], Timeout => 2) or last;
		open(my $r, "<", "/dev/urandom"); read($r, my $b, 4096); print $c $b; push @s, $c; }
	sleep 4;' "$EXP" >"$E2E_TMP/held" 2>&1 &
hold_pid=$!
e2e_defer_kill "$hold_pid"
sleep 1.5
held=$(ip netns exec "$ns" ss -Htn state established '( dport = :19813 )' | wc -l)
t0=$(date +%s%N)
c=$(in_ns curl -s -m 2 --interface 127.0.0.2 -o /dev/null -w '%{http_code}' "$URL/metrics")
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$c" = 200 ] && [ "$held" -ge 100 ] && tap_ok "answers in ${ms} ms while $held slow/garbage connections are held" ||
	tap_not_ok "answers while slow/garbage connections are held (got '$c' after ${ms} ms)"
wait "$hold_pid"; e2e_forget_pid "$hold_pid"

# 1,000 scrapes, 50 at a time, bounded: all 200, and the sample count
# moves with the clock (one per second), not with the scrapes.
s0=$(samples); t0=$(date +%s)
seq 1000 | in_ns timeout 60 xargs -P 50 -I{} curl -s -m 10 -o /dev/null -w '%{http_code}\n' "$URL/metrics" >"$E2E_TMP/codes"
t1=$(date +%s); s1=$(samples)
ok200=$(grep -c '^200$' "$E2E_TMP/codes")
[ "$ok200" -eq 1000 ] && tap_ok "1,000 parallel scrapes all answered in $((t1 - t0)) s" ||
	{ tap_not_ok "1,000 parallel scrapes all answered ($ok200 of 1000)"; sort "$E2E_TMP/codes" | uniq -c | sed 's/^/# /'; }
if [ -n "$s0" ] && [ -n "$s1" ] && [ $((s1 - s0)) -le $((t1 - t0 + 2)) ]; then
	tap_ok "scrapes cause no samples ($((s1 - s0)) samples in $((t1 - t0)) s)"
else
	tap_not_ok "scrapes cause no samples ('$s0' -> '$s1' in $((t1 - t0)) s)"
fi
kill -0 "$exp_pid" 2>/dev/null && [ "$(code "$URL/metrics")" = 200 ] && tap_ok "still answers afterwards" ||
	{ tap_not_ok "still answers afterwards"; tap_diag_file "$E2E_TMP/exp.out"; }

in_ns curl -s -m 5 "$URL/metrics" >"$E2E_TMP/expo.prom"
promtool check metrics <"$E2E_TMP/expo.prom" >"$E2E_TMP/pc" 2>&1 && tap_ok "promtool check metrics: the live exposition is clean" ||
	{ tap_not_ok "promtool check metrics"; tap_diag_file "$E2E_TMP/pc"; }
# The Grafana dashboard is JSON, and every metric its queries name is a
# family of the live exposition or of the host's (tcp_mem and other
# host-wide sysctls are not visible inside a namespace).
dash=$E2E_ROOT/contrib/grafana/sockvet.json
"$SV" exporter --once >"$E2E_TMP/host.prom" 2>/dev/null
if command -v jq >/dev/null 2>&1; then
	if jq -e '.panels | length > 0' "$dash" >/dev/null 2>&1; then tap_ok "the Grafana dashboard is JSON with panels"; else tap_not_ok "the Grafana dashboard is JSON with panels"; fi
	missing=
	for m in $(jq -r '.panels[].targets[].expr, .templating.list[].query // empty' "$dash" | grep -o 'sockvet_[a-z_]*' | sort -u); do
		cat "$E2E_TMP/expo.prom" "$E2E_TMP/host.prom" | grep -q "^# TYPE $m " || missing="$missing $m"
	done
	[ -z "$missing" ] && tap_ok "every metric the dashboard queries is in the exposition" ||
		tap_not_ok "every metric the dashboard queries is in the exposition (missing:$missing)"
else
	tap_skip "jq not installed"; tap_skip "jq not installed"
fi
kill -TERM "$exp_pid"; wait "$exp_pid"; rc=$?; e2e_forget_pid "$exp_pid"
[ "$rc" -eq 0 ] && tap_ok "SIGTERM: exit 0" || tap_not_ok "SIGTERM: exit 0 (got $rc)"

# Textfile: a reader never sees a part of a file, and no temporary is left.
tf=$E2E_TMP/tf; mkdir "$tf"
"$SV" exporter --textfile "$tf" --interval 0.1 >"$E2E_TMP/tf.out" 2>&1 &
tf_pid=$!
e2e_defer_kill "$tf_pid"
i=0
while [ ! -f "$tf/sockvet.prom" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
bad=0; reads=0; i=0
while [ $i -lt 300 ]; do
	if [ -f "$tf/sockvet.prom" ]; then
		reads=$((reads + 1))
		tail -n 1 "$tf/sockvet.prom" | grep -q '^sockvet_last_sample_timestamp_seconds [0-9]' || bad=$((bad + 1))
	fi
	i=$((i + 1))
done
kill -TERM "$tf_pid"; wait "$tf_pid"; e2e_forget_pid "$tf_pid"
left=$(find "$tf" -name '*.tmp' | wc -l)
[ "$reads" -gt 0 ] && [ "$bad" -eq 0 ] && [ "$left" -eq 0 ] && tap_ok "textfile: $reads reads, every one whole, no temporary left" ||
	tap_not_ok "textfile: $reads reads, $bad partial, $left temporaries left"
rm -f "$tf/sockvet.prom"
"$SV" exporter --textfile "$tf" --once && [ -s "$tf/sockvet.prom" ] && tap_ok "--once writes the file and exits 0" ||
	tap_not_ok "--once writes the file and exits 0"

rules=$E2E_ROOT/contrib/prometheus/sockvet-rules.yml
promtool check rules "$rules" >"$E2E_TMP/pr" 2>&1 && tap_ok "promtool check rules" ||
	{ tap_not_ok "promtool check rules"; tap_diag_file "$E2E_TMP/pr"; }
(cd "$E2E_ROOT/tests/prometheus" && promtool test rules ./*.test.yml) >"$E2E_TMP/pt" 2>&1 &&
	tap_ok "promtool test rules: every alert firing and not firing" ||
	{ tap_not_ok "promtool test rules"; tap_diag_file "$E2E_TMP/pt"; }

# The real thing. The lab namespace may be another test's for a moment:
# retry a few times on failure.
i=0
while [ $i -lt 5 ]; do
	LAB_STARTED=1
	timeout 90 "$SV" lab run "$LAB" --keep >"$E2E_TMP/lab.out" 2>&1 &&
		ip netns exec "$LABNS" ss -Hltn 'sport = :8080' | grep -q . && break
	sleep 3; i=$((i + 1))
done
[ $i -lt 5 ] || { tap_diag_file "$E2E_TMP/lab.out"; tap_bail "sockvet lab run $LAB --keep failed"; }

start=$(date +%s)
ip netns exec "$ns" "$SV" exporter -N "$LABNS" --listen "$EXP" --interval 1 --window 3 >"$E2E_TMP/exp2.out" 2>&1 &
e2e_defer_kill $!
sed 's/^\( *for:\).*/\1 1s/' "$rules" >"$E2E_TMP/rules.yml"
cat >"$E2E_TMP/prom.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: ["$E2E_TMP/rules.yml"]
scrape_configs:
  - job_name: sockvet
    static_configs: [{ targets: ["$EXP"] }]
EOF
ip netns exec "$ns" prometheus --config.file="$E2E_TMP/prom.yml" --storage.tsdb.path="$E2E_TMP/tsdb" \
	--web.listen-address=127.0.0.1:19090 >"$E2E_TMP/prom.out" 2>&1 &
e2e_defer_kill $!
API=http://127.0.0.1:19090/api/v1
q='sockvet_listener_accept_queue{port="8080"}'
found=; alert=
while [ $(($(date +%s) - start)) -lt 45 ]; do
	[ -z "$found" ] && in_ns curl -s -m 2 -G "$API/query" --data-urlencode "query=$q" >"$E2E_TMP/q" 2>/dev/null &&
		grep -q '"process":"lab-server"' "$E2E_TMP/q" && found=1
	in_ns curl -s -m 2 "$API/alerts" >"$E2E_TMP/a" 2>/dev/null &&
		grep -q '"alertname":"SockvetAcceptQueueOverflowApp"' "$E2E_TMP/a" &&
		grep -Eq '"state":"(pending|firing)"' "$E2E_TMP/a" && alert=1
	[ -n "$found" ] && [ -n "$alert" ] && break
	sleep 1
done
[ -n "$found" ] && tap_ok "Prometheus has the overflowing listener's series ($q)" ||
	{ tap_not_ok "Prometheus has the overflowing listener's series"; tap_diag_file "$E2E_TMP/q" 5; tap_diag_file "$E2E_TMP/prom.out" 20; }
[ -n "$alert" ] && tap_ok "SockvetAcceptQueueOverflowApp is pending or firing after $(($(date +%s) - start)) s" ||
	{ tap_not_ok "SockvetAcceptQueueOverflowApp is pending or firing"; tap_diag_file "$E2E_TMP/a" 5; tap_diag_file "$E2E_TMP/exp2.out" 10;
	  ip netns exec "$ns" curl -s -m 2 "$URL/metrics" | grep -E '^sockvet_(finding|listener_accept)' | sed 's/^/# /'; }
[ "$TAP_FAILED" -eq 0 ]
