#!/bin/sh
# t51-html: the --html report opened in headless Chromium as a person
# would (tests/browser/check-report.js): no console error, no network
# request but the file itself, the verdict shown, each plot drawing as
# many series as it says, dark mode dark, print light without clipped
# tables, a PDF printed, a screenshot taken. First `sockvet analyze
# --html` of a capture in tests/data/analyze (no root: one snapshot, so
# "no plot"), then `sockvet lab run accept-overflow --samples 5 --html`
# (root: a real overflowing queue with plots). A page that fetches must
# fail the same check. Skips without node or chromium (CI installs both).
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
e2e_require_cmd node jq
if [ ! -x "$CHROMIUM" ]; then
	echo "1..0 # SKIP $CHROMIUM not installed (scripts/install-deps installs chromium)"
	exit 0
fi
e2e_init
SV=${SOCKVET:-$E2E_ROOT/sockvet}
T=$E2E_TMP
CHECK="node $E2E_ROOT/tests/browser/check-report.js --chromium $CHROMIUM --timeout 40"
FIX=$E2E_ROOT/tests/data/analyze/ticket-accept-queue.txt
[ -x "$SV" ] || make -C "$E2E_ROOT" -s sockvet >/dev/null || tap_bail "cannot build sockvet"
tap_plan 9

# 1: the file appears whole (no .tmp left), stdout is the report it always was.
"$SV" analyze "$FIX" >"$T/plain.txt" 2>/dev/null
rc_plain=$?
"$SV" analyze --html "$T/an.html" "$FIX" >"$T/with.txt" 2>"$T/an.err"
rc_with=$?
if [ "$rc_plain" = "$rc_with" ] && cmp -s "$T/plain.txt" "$T/with.txt" && [ -s "$T/an.html" ] &&
	[ ! -e "$T/an.html.tmp" ]; then
	tap_ok "analyze --html writes the page; stdout and exit ($rc_with) unchanged"
else
	tap_not_ok "analyze --html writes the page; stdout and exit unchanged ($rc_plain vs $rc_with)"
	tap_diag_file "$T/an.err" 5
fi

# 2: a path that cannot be written is an error (exit 3), named.
"$SV" analyze --html "$T/no/such/dir/x.html" "$FIX" >/dev/null 2>"$T/bad.err"
rc=$?
if [ "$rc" = 3 ] && grep -q -- "--html: cannot write" "$T/bad.err"; then
	tap_ok "an unwritable --html path: exit 3 with the reason"
else
	tap_not_ok "an unwritable --html path: exit 3 with the reason (got $rc)"
	tap_diag_file "$T/bad.err" 5
fi

# 3: the analyze page in the browser; one snapshot says "no plot".
$CHECK "$T/an.html" --expect accept-queue-overflow >"$T/an.json" 2>"$T/an.cerr"
rc=$?
if [ "$rc" = 0 ] && [ "$(jq -r '.light.plots | length' "$T/an.json")" = 0 ] &&
	jq -e '.light.noplot | test("one snapshot")' "$T/an.json" >/dev/null; then
	tap_ok "analyze page: verdict shown, no fetch, no error, dark, print; 'no plot' for one snapshot"
else
	tap_not_ok "analyze page passes the browser check (exit $rc)"
	tap_diag_file "$T/an.json" 40
	tap_diag_file "$T/an.cerr" 10
fi

# 4: the check is not blind: a page that fetches, or runs a script, fails it.
sed 's|</main>|<img src="http://192.0.2.1/x.png" alt=""></main>|' "$T/an.html" >"$T/fetch.html"
$CHECK "$T/fetch.html" >"$T/fetch.json" 2>/dev/null
rc_fetch=$?
sed 's|</main>|<script>console.error("boom")</script></main>|' "$T/an.html" >"$T/script.html"
$CHECK "$T/script.html" >"$T/script.json" 2>/dev/null
rc_script=$?
if [ "$rc_fetch" = 1 ] && [ "$rc_script" = 1 ]; then
	tap_ok "a page with an <img src=http://...> or a <script> fails the check"
else
	tap_not_ok "a fetching or scripted page fails the check (exits $rc_fetch, $rc_script)"
	tap_diag_file "$T/fetch.json" 20
fi

if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null 2>&1 || ! command -v nft >/dev/null 2>&1; then
	for _i in 5 6 7 8 9; do tap_skip "lab run accept-overflow --html needs root, ip and nft"; done
	exit 0
fi

# 5: the lab: a real overflowing queue, sampled 5 times.
"$SV" lab run accept-overflow --samples 5 --html "$T/lab.html" >"$T/lab.txt" 2>"$T/lab.err"
rc=$?
if [ "$rc" = 0 ] && grep -q "as expected" "$T/lab.txt" && [ -s "$T/lab.html" ]; then
	tap_ok "lab run accept-overflow --samples 5 --html: as expected, page written"
else
	tap_not_ok "lab run accept-overflow --samples 5 --html (exit $rc)"
	tap_diag_file "$T/lab.err" 20
	tap_diag_file "$T/lab.txt" 20
fi

# 6: in the browser, with plots: queue, drops, states, drop counters at least.
$CHECK "$T/lab.html" --min-plots 4 --expect accept-queue-overflow --png "$T/lab.png" \
	--pdf "$T/lab.pdf" >"$T/lab.json" 2>"$T/lab.cerr"
rc=$?
if [ "$rc" = 0 ]; then
	tap_ok "lab page: verdict shown, every plot drawn, no fetch, no error, dark, print, PDF"
else
	tap_not_ok "lab page passes the browser check (exit $rc)"
	tap_diag_file "$T/lab.json" 60
	tap_diag_file "$T/lab.cerr" 10
fi

# 7: the listener's plot: Recv-Q and Send-Q, both drawn, over 5 samples.
got=$(jq -r '.light.plots[] | select(.id == "listener-0") | "\(.expected) \(.drawn)"' "$T/lab.json" 2>/dev/null)
if [ "$got" = "2 2" ] && grep -q 'id="listener-0" data-series="2" data-points="5"' "$T/lab.html"; then
	tap_ok "the overflowing listener is plotted: Recv-Q and Send-Q over 5 samples"
else
	tap_not_ok "the overflowing listener is plotted with 2 series over 5 samples (got '$got')"
fi

# 8: states and the drop counters that moved are plotted.
ids=$(jq -r '[.light.plots[].id] | join(" ")' "$T/lab.json" 2>/dev/null)
case " $ids " in
*" tcp-states "*"counters-drops "*) tap_ok "TCP states and drop counters plotted ($ids)" ;;
*) tap_not_ok "TCP states and drop counters plotted (got: $ids)" ;;
esac

# 9: the screenshot is a PNG of some size, the PDF has pages.
if [ "$(head -c 8 "$T/lab.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
	[ "$(wc -c <"$T/lab.png")" -gt 20000 ] && [ "$(jq -r .pdfPages "$T/lab.json")" -ge 2 ]; then
	tap_ok "screenshot PNG ($(wc -c <"$T/lab.png") bytes) and PDF ($(jq -r .pdfPages "$T/lab.json") pages) made"
else
	tap_not_ok "screenshot PNG and PDF made"
fi
