#!/bin/sh
# t46-analyze-fixtures: `sockvet analyze` on the captures in
# tests/data/analyze gives the findings tests/data/analyze/EXPECT lists
# (warning and critical only, "id side severity"), and reads every
# section of them. No root needed: nothing here touches the kernel.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
if ! command -v jq >/dev/null 2>&1; then
	echo "1..0 # SKIP jq not installed"
	exit 0
fi
e2e_init
SV=${SOCKVET:-$E2E_ROOT/sockvet}
T=$E2E_TMP
D=$E2E_ROOT/tests/data/analyze
[ -x "$SV" ] || make -C "$E2E_ROOT" -s sockvet >/dev/null || tap_bail "cannot build sockvet"

grep -v '^#' "$D/EXPECT" >"$T/expect"
tap_plan "$(($(wc -l <"$T/expect") + 3))"

# samples in time: the accept-queue finding quotes the rise over the 10 s
# between the two dates; without the dates the rise stays, the rate goes
rise() {
	"$SV" analyze --json --port 8080 "$1" 2>/dev/null | jq -r '.findings[] |
		select(.id == "accept-queue-overflow") | .evidence[] | select(startswith("TcpExtListenOverflows"))'
}
# a counted TIME-WAIT total: the close rate, said as normal, never a change
got=$("$SV" analyze --json "$D/count-time-wait.txt" 2>/dev/null |
	jq -r '.findings[] | select(.id == "time-wait-pile") | "\(.severity) \(.changes | length) \(.explanation)"')
case $got in
"info 0 28,231 TIME-WAIT is what about 470 active closes per second"*"removed in Linux 4.12"*) tap_ok "a pasted TIME-WAIT count: the close rate, normal" ;;
*) tap_not_ok "a pasted TIME-WAIT count: the close rate, normal"; tap_diag "got: $got" ;;
esac
got=$(rise "$D/accept-queue-two-samples.txt")
case $got in
*"rose by 1,280 in 10.0 s"*) tap_ok "two dated samples: ListenOverflows rose by 1,280 in 10.0 s" ;;
*) tap_not_ok "two dated samples: ListenOverflows rose by 1,280 in 10.0 s"; tap_diag "got: $got" ;;
esac
grep -v -e 'date -u' -e '^Thu Dec' "$D/accept-queue-two-samples.txt" >"$T/undated.txt"
got=$(rise "$T/undated.txt")
case $got in
*"rose by 1,280 between samples taken at unknown times"*) tap_ok "undated samples: the rise without a rate" ;;
*) tap_not_ok "undated samples: the rise without a rate"; tap_diag "got: $got" ;;
esac
while IFS= read -r line; do
	spec=${line%%:*}
	rest=${line#*: }
	nochange=
	case $rest in *" | nochange: "*) nochange=${rest##*| nochange: }; rest=${rest%% | nochange: *} ;; esac
	want=$(echo "$rest" | tr ',' '\n' | sed 's/^ *//; s/ *$//' | grep -v '^-$' | sort)
	file=${spec%% *}
	opts=
	[ "$spec" != "$file" ] && opts=${spec#* }
	# shellcheck disable=SC2086
	"$SV" analyze --json $opts "$D/$file" >"$T/out.json" 2>"$T/err"
	got=$(jq -r '.findings[] | select(.severity == "warning" or .severity == "critical") |
		"\(.id) \(.side) \(.severity)"' "$T/out.json" 2>/dev/null | sort)
	bad=$(jq '[.inputs[] | select(.status == "error")] | length' "$T/out.json" 2>/dev/null)
	changed=0
	[ -n "$nochange" ] && changed=$(jq --arg s "$nochange" \
		'[.findings[].changes[]? | select(.setting | contains($s))] | length' "$T/out.json" 2>/dev/null)
	if [ "$got" = "$want" ] && [ "$bad" = 0 ] && [ "$changed" = 0 ]; then
		tap_ok "$file${opts:+ $opts}: $(echo "$want" | tr '\n' ',' | sed 's/,$//')"
	else
		tap_not_ok "$file${opts:+ $opts}"
		tap_diag "want: $(echo "$want" | tr '\n' ',')"
		tap_diag "got:  $(echo "$got" | tr '\n' ',')  (sections in error: $bad; changes to '$nochange': $changed)"
		tap_diag_file "$T/err" 3
	fi
done <"$T/expect"
