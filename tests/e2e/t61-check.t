#!/bin/sh
# sockvet check, the monitoring plugin: every way out is one status line
# "SOCKVET STATE - ..." on stdout and exit 0/1/2/3 (bad options and
# thresholds too: 3, not 64); perfdata in the guidelines' syntax; OK in an
# empty namespace, CRITICAL in the accept-overflow lab, UNKNOWN on a
# timeout, a missing namespace, or without root for the fd owners.
# The parts that need root (namespaces, the lab) skip elsewhere.
. "$(dirname "$0")/lib.sh"
SV=${SOCKVET:-$E2E_ROOT/sockvet}
e2e_init
T=$E2E_TMP

# status_is STATE FILE: the first line is that state's status line, with
# perfdata whose every item is 'label'=value[UOM];warn;crit;min (U: unknown).
status_is() {
	head -n 1 "$2" | grep -q "^SOCKVET $1 - [^|]* | " || return 1
	for item in $(head -n 1 "$2" | sed 's/^[^|]*| //'); do
		echo "$item" | grep -Eq '^[a-z_]+=(U|-?[0-9]+(\.[0-9]+)?%?);[^;]*;[^;]*;0$' || return 1
	done
	return 0
}

# usage CODE-DESC ARGS...: a usage error is UNKNOWN, exit 3, one stdout line.
usage() {
	desc=$1; shift
	"$SV" check "$@" >"$T/u.out" 2>"$T/u.err"
	rc=$?
	if [ "$rc" -eq 3 ] && [ "$(wc -l <"$T/u.out")" -eq 1 ] &&
	   grep -q '^SOCKVET UNKNOWN - ' "$T/u.out" && [ "$(wc -l <"$T/u.err")" -eq 1 ]; then
		tap_ok "$desc: UNKNOWN, exit 3"
	else
		tap_not_ok "$desc: UNKNOWN, exit 3 (got $rc)"
		tap_diag_file "$T/u.out"
		tap_diag_file "$T/u.err"
	fi
}

tap_plan 16

usage "a start above the end (-c fill=20:10)" -c fill=20:10
usage "a range that is no number (-w drops=abc)" -w drops=abc
usage "an unknown metric (-w fil=80)" -w fil=80
usage "no NAME= (-w 80)" -w 80
usage "an unknown option" --bogus
usage "--timeout 0" --timeout 0
usage "an operand" extra
"$SV" check --help >"$T/h.out" 2>&1
if [ $? -eq 0 ] && grep -q '^Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN' "$T/h.out"; then
	tap_ok "check --help: exit 0, the exit codes"
else
	tap_not_ok "check --help: exit 0, the exit codes"
fi

# --help and the man page's CHECK section name the same long options.
"$SV" check --help | grep -o -- '--[a-z][a-z0-9-]*' | grep -vx -- --help | sort -u >"$T/help"
sed -n '/^# CHECK/,/^# [A-Z]/p' "$E2E_ROOT/docs/sockvet.8.scd" | grep -o -- '\*--[a-z][a-z0-9-]*\*' |
	tr -d '*' | sort -u >"$T/man"
if [ -s "$T/help" ] && diff "$T/help" "$T/man" >"$T/hm.diff"; then
	tap_ok "check --help and the man page's CHECK section list the same options"
else
	tap_not_ok "check --help and the man page's CHECK section list the same options"
	tap_diag_file "$T/hm.diff"
fi

if [ "$(id -u)" -ne 0 ]; then
	for d in "healthy namespace OK" "timeout UNKNOWN" "missing namespace UNKNOWN" \
		 "not root UNKNOWN" "lab CRITICAL" "lab thresholds only" "lab perfdata"; do
		tap_skip "$d: needs root (namespaces)"
	done
	exit 0
fi

ns=$(e2e_netns_create t61) || tap_bail "cannot create a namespace"

# A namespace with nothing in it: within every default threshold.
"$SV" -N "$ns" check >"$T/ok.out" 2>"$T/ok.err"
rc=$?
if [ $rc -eq 0 ] && status_is OK "$T/ok.out"; then
	tap_ok "an empty namespace: OK, exit 0, well-formed perfdata"
else
	tap_not_ok "an empty namespace: OK, exit 0, well-formed perfdata (exit $rc)"
	tap_diag_file "$T/ok.out"
	tap_diag_file "$T/ok.err"
fi

# Five samples a second apart cannot fit in one second: the alarm fires.
t0=$(date +%s)
"$SV" check -N "$ns" --samples 5 --interval 1 --timeout 1 >"$T/to.out" 2>"$T/to.err"
rc=$?
t1=$(date +%s)
if [ $rc -eq 3 ] && grep -qx 'SOCKVET UNKNOWN - timed out after 1 s while sampling sockets, counters and /proc' "$T/to.out" &&
   [ $((t1 - t0)) -le 3 ]; then
	tap_ok "--timeout 1 with 5 s of sampling: UNKNOWN, exit 3, within 3 s"
else
	tap_not_ok "--timeout 1 with 5 s of sampling: UNKNOWN, exit 3, within 3 s (exit $rc, $((t1 - t0)) s)"
	tap_diag_file "$T/to.out"
fi

"$SV" check -N "sockvet-t61-no-such-ns-$$" >"$T/ns.out" 2>"$T/ns.err"
rc=$?
if [ $rc -eq 3 ] && grep -q '^SOCKVET UNKNOWN - cannot enter the network namespace: ' "$T/ns.out"; then
	tap_ok "a missing namespace: UNKNOWN with the reason, exit 3"
else
	tap_not_ok "a missing namespace: UNKNOWN with the reason, exit 3 (exit $rc)"
	tap_diag_file "$T/ns.out"
fi

# Not root: other users' fds cannot be counted, so the fds gauge is unknown.
if command -v setpriv >/dev/null 2>&1; then
	# In the empty namespace, thresholds only: whatever the host's
	# processes are doing, the one unknown is what decides.
	ip netns exec "$ns" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$SV" check --skip drops --no-findings >"$T/nr.out" 2>"$T/nr.err"
	rc=$?
	if [ $rc -eq 3 ] && status_is UNKNOWN "$T/nr.out" &&
	   grep -q '^SOCKVET UNKNOWN - .*fds unknown (process owners: not root' "$T/nr.out" &&
	   grep -q ' fds=U;80;95;0' "$T/nr.out"; then
		tap_ok "not root: UNKNOWN naming the fd owners, fds=U"
	else
		tap_not_ok "not root: UNKNOWN naming the fd owners, fds=U (exit $rc)"
		tap_diag_file "$T/nr.out"
		tap_diag_file "$T/nr.err"
	fi
else
	tap_skip "not root UNKNOWN: setpriv not installed"
fi

# The accept-overflow lab, left up: CRITICAL with the finding and the
# numbers. Another lab run may hold the lab lock (ours waits), or stage
# the same scenario while we look (it removes our namespace and kills
# what runs in it, this check too): then stage again, at most 3 times.
staged=
for try in 1 2 3; do
	staged=
	if "$SV" lab run accept-overflow --keep >"$T/lab.out" 2>"$T/lab.err"; then
		staged=$(sed -n 's/^lab: triage in \([^:]*\): .*/\1/p' "$T/lab.err" | head -n 1)
	fi
	[ -n "$staged" ] || { sleep 2; continue; }
	"$SV" -N "$staged" check --port 8080 --samples 3 >"$T/crit.out" 2>"$T/crit.err"
	rc=$?
	"$SV" -N "$staged" check --port 8080 --no-findings -w fill=1000,drops=1000 \
		-c fill=1000,drops=1000 >"$T/thr.out" 2>"$T/thr.err"
	rc2=$?
	# Still ours: the listener was there for both looks.
	grep -q 'Recv-Q 9 Send-Q 8' "$T/thr.out" && [ $rc -ne 137 ] && [ $rc2 -ne 137 ] && break
	tap_diag "try $try: the lab namespace changed under the check (another lab run?)"
	sleep 3
done
if [ -z "$staged" ]; then
	for d in "lab CRITICAL" "lab thresholds only" "lab perfdata"; do
		tap_not_ok "$d: the lab could not be staged"
	done
	tap_diag_file "$T/lab.err"
	exit 1
fi
"$SV" lab clean accept-overflow >/dev/null 2>&1
if [ $rc -eq 2 ] && status_is CRITICAL "$T/crit.out" &&
   grep -q '^critical accept-queue-overflow (app): listener 127.0.0.1:8080' "$T/crit.out"; then
	tap_ok "lab accept-overflow: CRITICAL, exit 2, the finding in the long output"
else
	tap_not_ok "lab accept-overflow: CRITICAL, exit 2, the finding in the long output (exit $rc)"
	tap_diag_file "$T/crit.out"
	tap_diag_file "$T/crit.err"
fi
if [ $rc2 -eq 0 ] && status_is OK "$T/thr.out" && grep -q '^critical accept-queue-overflow' "$T/thr.out"; then
	tap_ok "lab accept-overflow, --no-findings and thresholds above it: OK, the finding still listed"
else
	tap_not_ok "lab accept-overflow, --no-findings and thresholds above it: OK (exit $rc2)"
	tap_diag_file "$T/thr.out"
fi
# Recv-Q 9 over Send-Q 8 is 112.5%; the overflows moved (3 samples: a 2 s window, so a
# client in SYN backoff for a second does not read as no drops).
if grep -q ' | fill=112.50%;80;100;0 drops=[0-9.]*;0;1;0 ' "$T/crit.out" &&
   ! grep -q ' drops=0;' "$T/crit.out" && grep -q 'fill 112.50% CRITICAL (127.0.0.1:8080 Recv-Q 9 Send-Q 8)' "$T/crit.out"; then
	tap_ok "lab accept-overflow: fill 112.50% and a drop rate in the perfdata"
else
	tap_not_ok "lab accept-overflow: fill 112.50% and a drop rate in the perfdata"
	tap_diag_file "$T/crit.out"
fi
[ "$TAP_FAILED" -eq 0 ]
