#!/bin/sh
# The command line contract: exit codes, one-line errors on stderr with
# nothing on stdout, and --help / man page agreement (every long option
# sockvet ss accepts is documented in docs/sockvet.8.scd).
top=$(cd "$(dirname "$0")/../.." && pwd)
SV=${SOCKVET:-$top/sockvet}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
ok() { n=$((n+1)); echo "ok $n - $1"; }
not_ok() { n=$((n+1)); fails=$((fails+1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

# expect CODE DESC CMD...: exit code, stdout empty on errors, one stderr line.
expect() {
	code=$1; desc=$2; shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	lines=$(wc -l <"$tmp/err")
	if [ "$rc" -ne "$code" ]; then
		not_ok "$desc" "exit $rc, expected $code" "stderr: $(head -c 300 "$tmp/err")"
	elif [ "$code" -ne 0 ] && [ -s "$tmp/out" ]; then
		not_ok "$desc" "error path wrote to stdout: $(head -c 200 "$tmp/out")"
	elif [ "$code" -ne 0 ] && [ "$lines" -ne 1 ]; then
		not_ok "$desc" "expected one stderr line, got $lines" "$(cat "$tmp/err")"
	else
		ok "$desc"
	fi
}

echo "1..31"
expect 0 "--help exits 0" "$SV" --help
expect 0 "--version exits 0" "$SV" --version
expect 64 "unknown command is a usage error" "$SV" frobnicate
expect 64 "unknown ss flag is a usage error" "$SV" ss --bogus
expect 64 "unknown short flag is a usage error" "$SV" ss -q
expect 64 "missing option argument is a usage error" "$SV" ss -A
expect 64 "bad family is a usage error" "$SV" ss -f bogus
expect 64 "bad table name is a usage error" "$SV" ss -A tcp,nope
expect 64 "bad state name is a usage error" "$SV" ss -t state nonsense
expect 64 "filter expression is refused, not ignored" "$SV" ss -tan dport = :22
expect 64 "-F filter file is refused" "$SV" ss -t -F /dev/null
expect 64 "summary takes no arguments" "$SV" summary extra
expect 0 "ss --help exits 0" "$SV" ss --help
expect 0 "triage --help exits 0" "$SV" triage --help
expect 64 "triage: bad port is a usage error" "$SV" --port 70000
expect 64 "triage: bad symptom is a usage error" "$SV" --symptom sad
expect 64 "triage: bad peer is a usage error" "$SV" --peer not-an-address
expect 64 "triage: samples out of range is a usage error" "$SV" --samples 0
expect 64 "triage: stray argument is a usage error" "$SV" triage extra
expect 64 "triage: an argument to a flag that takes none is a usage error" "$SV" --once=3
expect 64 "triage: missing option argument is a usage error" "$SV" --port
expect 64 "lab: unknown flag is a usage error" "$SV" lab -q
expect 64 "summary: unknown flag is a usage error" "$SV" summary --bogus
expect 0 "ss --list-options exits 0" "$SV" ss --list-options

# A usage error names the option and the help of the command that failed.
"$SV" --port 70000 2>"$tmp/err" >/dev/null
if grep -q -- "--port: '70000'.*sockvet triage --help" "$tmp/err"; then ok "triage range error names --port and triage's help"; else not_ok "triage range error names --port and triage's help" "$(cat "$tmp/err")"; fi
"$SV" ss -f bogus 2>"$tmp/err" >/dev/null
if grep -q "\"bogus\" is invalid family (try 'sockvet ss --help')" "$tmp/err"; then ok "ss family error names the value and ss's help"; else not_ok "ss family error names the value and ss's help" "$(cat "$tmp/err")"; fi

# The refusal says why.
"$SV" ss -tan dport = :22 2>"$tmp/err" >/dev/null
if grep -q "not supported yet" "$tmp/err"; then ok "filter refusal says 'not supported yet'"; else not_ok "filter refusal says 'not supported yet'" "$(cat "$tmp/err")"; fi

# --list-options (for completion) lists what the parser takes, hidden aliases too.
"$SV" ss --list-options >"$tmp/list"
if grep -qx -- "-t --tcp" "$tmp/list" && grep -qx -- "--socket=QUERY" "$tmp/list" &&
   grep -qx -- "-f --family=FAMILY" "$tmp/list" && [ "$(wc -l <"$tmp/list")" -eq 33 ]; then
	ok "ss --list-options lists the 33 options"
else
	not_ok "ss --list-options lists the 33 options" "$(cat "$tmp/list")"
fi

# Every long option in --help is in the man page, and vice versa.
"$SV" ss --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u >"$tmp/help"
missing=""
for o in $(cat "$tmp/help"); do
	grep -q -- "\*$o\*" "$top/docs/sockvet.8.scd" || missing="$missing $o"
done
if [ -z "$missing" ]; then ok "every ss --help option is in the man page"; else not_ok "every ss --help option is in the man page" "missing:$missing"; fi
missing=""
for o in $(grep -o -- '^\*-[^ ]*\*, \*--[a-z0-9-]*\*' "$top/docs/sockvet.8.scd" | grep -o -- '--[a-z0-9-]*' | sort -u); do
	grep -qx -- "$o" "$tmp/help" || missing="$missing $o"
done
if [ -z "$missing" ]; then ok "every man page ss option is in --help"; else not_ok "every man page ss option is in --help" "missing:$missing"; fi
# Every triage option in its --help is in the man page.
"$SV" triage --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u >"$tmp/thelp"
missing=""
for o in $(cat "$tmp/thelp"); do
	grep -q -- "\*$o\*" "$top/docs/sockvet.8.scd" || missing="$missing $o"
done
if [ -z "$missing" ]; then ok "every triage --help option is in the man page"; else not_ok "every triage --help option is in the man page" "missing:$missing"; fi
[ $fails -eq 0 ]
