#!/bin/sh
# t50-watch: `sockvet watch` as a person uses it. Stages the
# accept-overflow lab scenario (--keep), runs the full screen in tmux
# against its namespace, and reads the screen: the overflowing listener's
# row with its drops, the accept-queue-overflow verdict, `/` with a
# filter that hides the row, `q` back to a sane shell (no curses screen
# left, stty cooked), and Ctrl-C the same. Then --batch --count 2 and
# --json --count 2 (parsed by jq) without tmux. Needs root, tmux, jq,
# nft. Every wait is bounded polling; the tmux session and the lab
# namespace are removed on every exit.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
e2e_require_root
e2e_require_cmd tmux jq nft
e2e_init
SV=${SOCKVET:-$E2E_ROOT/sockvet}
T=$E2E_TMP
NS=sockvet-lab-accept-overflow
TS=t50
# A private tmux server (its own socket): a shared default server may have
# been started in another mount or network namespace, where the lab's
# /var/run/netns entry is not the one just staged.
TMUX_SOCK=$T/tmux.sock
unset TMUX
tmux() { command tmux -S "$TMUX_SOCK" "$@"; }
[ -x "$SV" ] || make -C "$E2E_ROOT" -s sockvet >/dev/null || tap_bail "cannot build sockvet"

t50_cleanup() {
	tmux kill-server 2>/dev/null
	"$SV" lab clean accept-overflow >/dev/null 2>&1
	"$SV" lab clean close-wait-leak >/dev/null 2>&1
	e2e_cleanup
}
trap 't50_cleanup' EXIT

tap_plan 14

# Another lab user may hold the scenario: lab run waits on the lab lock.
"$SV" lab run accept-overflow --keep >"$T/lab.out" 2>"$T/lab.err"
rc=$?
if [ $rc -ne 0 ] || ! ip netns list | grep -q "^$NS\b"; then
	tap_diag_file "$T/lab.err" 20
	tap_bail "lab run accept-overflow --keep failed (exit $rc)"
fi

# wait_screen PATTERN SECONDS: poll the pane (every 0.2 s) until it shows PATTERN.
wait_screen() {
	_i=0
	while [ $_i -lt $(($2 * 5)) ]; do
		tmux capture-pane -p -t "$TS" >"$T/screen" 2>/dev/null
		grep -qE -- "$1" "$T/screen" && return 0
		sleep 0.2
		_i=$((_i + 1))
	done
	return 1
}

# The command ended: the shell printed its exit status.
prompt_back() {
	tmux capture-pane -p -t "$TS" | grep -q '^EXIT=[0-9]'
}

tmux new-session -d -s "$TS" -x 160 -y 50 "env -u NO_COLOR TERM=screen-256color sh" ||
	tap_bail "cannot start tmux"
tmux send-keys -t "$TS" "PS1='t50\$ '; stty sane; clear" Enter
wait_screen '^t50\$' 5 || tap_bail "no shell prompt in tmux"
tmux send-keys -t "$TS" "$SV watch -N $NS; echo EXIT=\$?" Enter

# Drops: the socket's skmem d total (the DROPS column) is above 0 on the
# listener's row; the verdict line names the finding.
ROW='^127\.0\.0\.1:8080 +lab-server\[[0-9]+\] +9 +8 .* [1-9][0-9]* +([0-9.]+|-) +[0-9]+ '
if wait_screen "$ROW" 15; then
	tap_ok "the screen shows 127.0.0.1:8080 with Recv-Q 9 > Send-Q 8, its process and its drops"
else
	tap_not_ok "the screen shows 127.0.0.1:8080 with Recv-Q 9 > Send-Q 8, its process and its drops"
	tap_diag_file "$T/screen" 30
fi
if wait_screen '^Verdict: critical \(app\) accept-queue-overflow: listener 127\.0\.0\.1:8080' 15; then
	tap_ok "the verdict line says accept-queue-overflow, critical, app"
else
	tap_not_ok "the verdict line says accept-queue-overflow, critical, app"
	tap_diag_file "$T/screen" 10
fi
if wait_screen ' ListenOverflows +[0-9.]+' 5 && grep -q '^ESTAB ' "$T/screen"; then
	tap_ok "the states and counters sections are drawn"
else
	tap_not_ok "the states and counters sections are drawn"
	tap_diag_file "$T/screen" 30
fi

# A bad filter stays on the status line; a good one hides the row.
tmux send-keys -t "$TS" / 'sport = :80x' Enter
if wait_screen "^filter: ':80x' is not a port" 5 && grep -q '^127\.0\.0\.1:8080 ' "$T/screen"; then
	tap_ok "a bad filter is shown on the status line, the rows stay"
else
	tap_not_ok "a bad filter is shown on the status line, the rows stay"
	tap_diag_file "$T/screen" 50
fi
tmux send-keys -t "$TS" / 'sport != :8080' Enter
if wait_screen '0 shown of 1 tracked.*filter: sport != :8080' 5 && ! grep -q '^127\.0\.0\.1:8080 ' "$T/screen" &&
   grep -q '(no listener matches)' "$T/screen"; then
	tap_ok "/ sport != :8080 hides the listener's row"
else
	tap_not_ok "/ sport != :8080 hides the listener's row"
	tap_diag_file "$T/screen" 20
fi

# q: the prompt is back, the exit status is the verdict's, the screen is gone.
tmux send-keys -t "$TS" q
i=0
while ! prompt_back && [ $i -lt 25 ]; do sleep 0.2; i=$((i + 1)); done
tmux capture-pane -p -t "$TS" >"$T/after-q"
if grep -q '^EXIT=2$' "$T/after-q" && ! grep -q 'LISTENERS\|^Verdict:' "$T/after-q"; then
	tap_ok "q: back at the shell, exit 2 (critical), no curses screen left"
else
	tap_not_ok "q: back at the shell, exit 2 (critical), no curses screen left"
	tap_diag_file "$T/after-q" 50
fi
tmux send-keys -t "$TS" "clear; stty -a | tr ' ;' '\n\n' | grep -xF -e icanon -e -icanon -e echo -e -echo -e isig -e -isig; echo STTY-DONE" Enter
wait_screen '^STTY-DONE' 5
if grep -qx icanon "$T/screen" && grep -qx echo "$T/screen" && grep -qx isig "$T/screen"; then
	tap_ok "after q the terminal is sane (icanon echo isig)"
else
	tap_not_ok "after q the terminal is sane (icanon echo isig)"
	tap_diag_file "$T/screen" 10
fi

# Ctrl-C: exit 130, the same restored terminal.
tmux send-keys -t "$TS" "clear; $SV watch -N $NS; echo EXIT=\$?" Enter
wait_screen '^LISTENERS' 15
tmux send-keys -t "$TS" C-c
i=0
while ! prompt_back && [ $i -lt 25 ]; do sleep 0.2; i=$((i + 1)); done
tmux send-keys -t "$TS" "stty -a | tr ' ;' '\n\n' | grep -xF -e icanon -e -icanon -e echo -e -echo; echo STTY-DONE" Enter
wait_screen '^STTY-DONE' 5
if grep -q '^EXIT=130$' "$T/screen" && grep -qx icanon "$T/screen" && grep -qx echo "$T/screen" &&
   ! grep -q '^LISTENERS' "$T/screen"; then
	tap_ok "Ctrl-C: exit 130, terminal restored"
else
	tap_not_ok "Ctrl-C: exit 130, terminal restored"
	tap_diag_file "$T/screen" 50
fi
tmux kill-session -t "$TS" 2>/dev/null

# --batch: one block per refresh, each with the row and the verdict.
timeout 30 "$SV" watch -N "$NS" --batch --count 2 --interval 0.5 >"$T/batch" 2>"$T/batch.err"
rc=$?
blocks=$(grep -c '^-- ' "$T/batch")
rows=$(grep -cE '^  127\.0\.0\.1:8080 +lab-server\[[0-9]+\] +9 +8 ' "$T/batch")
if [ $rc -eq 2 ] && [ "$blocks" -eq 2 ] && [ "$rows" -eq 2 ] &&
   tail -n 5 "$T/batch" | grep -q 'verdict: critical (app) accept-queue-overflow'; then
	tap_ok "--batch --count 2: two blocks with the row, the verdict, exit 2"
else
	tap_not_ok "--batch --count 2: two blocks with the row, the verdict, exit 2"
	tap_diag "exit $rc, $blocks blocks, $rows rows"
	tap_diag_file "$T/batch" 20
	tap_diag_file "$T/batch.err" 5
fi

# --json: NDJSON, two objects; the second has rates and the listener's drops.
timeout 30 "$SV" watch -N "$NS" --json --count 2 --interval 0.5 >"$T/json" 2>"$T/json.err"
rc=$?
if [ $rc -eq 2 ] && [ "$(wc -l <"$T/json")" -eq 2 ] && jq -e . "$T/json" >/dev/null 2>&1; then
	tap_ok "--json --count 2: two JSON lines, exit 2"
else
	tap_not_ok "--json --count 2: two JSON lines, exit 2"
	tap_diag "exit $rc"
	tap_diag_file "$T/json" 5
	tap_diag_file "$T/json.err" 5
fi
if tail -n 1 "$T/json" | jq -e '.schema_version == 1 and .verdict.severity == "critical"
	and .findings[0].id == "accept-queue-overflow"
	and (.listeners[] | select(.port == 8080) | .recv_q == 9 and .send_q == 8 and .drops > 0
	     and (.drops_per_s | type) == "number" and .process == "lab-server")
	and (.counter_rates.TcpExtListenOverflows | type) == "number"
	and .states.LISTEN.count >= 1' >/dev/null 2>&1; then
	tap_ok "--json: verdict, the listener's queue and drops, counter rates, states"
else
	tap_not_ok "--json: verdict, the listener's queue and drops, counter rates, states"
	tap_diag_file "$T/json" 5
fi
# --all-netns: a second scenario in its own namespace; one JSON object per
# refresh with a namespaces array, each finding in its own namespace.
NS2=sockvet-lab-close-wait-leak
_i=0
until "$SV" lab run close-wait-leak --keep >"$T/lab2.out" 2>"$T/lab2.err"; do
	_i=$((_i + 1))
	[ $_i -ge 5 ] && break
	sleep 3    # another lab user may hold the namespace
done
ip netns list | grep -q "^$NS2\b" || tap_diag_file "$T/lab2.err" 10
timeout 60 "$SV" watch --all-netns --json --count 2 --interval 0.5 >"$T/all" 2>"$T/all.err"
rc=$?
if [ "$(wc -l <"$T/all")" -eq 2 ] && tail -n 1 "$T/all" | jq -e --arg a "named $NS" --arg b "named $NS2" '
	.all_netns and (.namespaces | map(.owner) | index($a) != null and index($b) != null)
	and (.namespaces[] | select(.owner == $a)
	     | (.listeners[] | select(.port == 8080) | .fill_pct > 100 and .drops > 0)
	       and (.findings | map(.id) | index("accept-queue-overflow") != null)
	       and .verdict.healthy == false)
	and (.namespaces[] | select(.owner == $b)
	     | (.findings | map(.id) | index("close-wait-leak") != null)
	       and (.findings | map(.id) | index("accept-queue-overflow") == null))' >/dev/null 2>&1; then
	tap_ok "--all-netns --json: both namespaces, the overflow and its verdict in its own (exit $rc)"
else
	tap_not_ok "--all-netns --json: both namespaces, the overflow and its verdict in its own"
	tap_diag_file "$T/all" 3
	tap_diag_file "$T/all.err" 5
fi
if "$SV" watch --all-netns -N "$NS" --count 1 >/dev/null 2>&1; [ $? -eq 64 ]; then
	tap_ok "--all-netns with -N is a usage error (64)"
else
	tap_not_ok "--all-netns with -N is a usage error (64)"
fi
tmux new-session -d -s "$TS" -x 180 -y 50 "env -u NO_COLOR TERM=screen-256color sh" ||
	tap_bail "cannot start tmux"
tmux send-keys -t "$TS" "clear; $SV watch --all-netns; echo EXIT=\$?" Enter
if wait_screen "^$NS +127\.0\.0\.1:8080 +lab-server\[[0-9]+\] +9 +8 " 20; then
	tap_ok "--all-netns screen: the NETNS column names the overflowing listener's namespace"
else
	tap_not_ok "--all-netns screen: the NETNS column names the overflowing listener's namespace"
	tap_diag_file "$T/screen" 30
fi
tmux send-keys -t "$TS" q
[ "$TAP_FAILED" -eq 0 ]
