#!/bin/sh
# make install / uninstall into a DESTDIR, and the systemd unit: every
# file lands with its mode, ExecStart follows BINDIR, `systemd-analyze
# verify` accepts the unit, its `systemd-analyze security` exposure is
# the one docs/service.md records, and uninstall leaves nothing. No root.
. "$(dirname "$0")/lib.sh"
e2e_init
T=$E2E_TMP
D=$T/dest
top=$E2E_ROOT
unit=usr/lib/systemd/system/sockvet-exporter.service

tap_plan 6

make -s -C "$top" install DESTDIR="$D" PREFIX=/usr >"$T/inst.out" 2>&1
rc=$?
missing=
for f in usr/bin/sockvet:755 usr/share/man/man8/sockvet.8:644 \
	 usr/share/bash-completion/completions/sockvet:644 \
	 usr/share/zsh/site-functions/_sockvet:644 "$unit:644"; do
	path=${f%:*}
	mode=$(stat -c %a "$D/$path" 2>/dev/null)
	[ "$mode" = "${f##*:}" ] || missing="$missing $path($mode)"
done
if [ -f "$top/contrib/prometheus/sockvet-rules.yml" ]; then
	cmp -s "$top/contrib/prometheus/sockvet-rules.yml" "$D/usr/share/sockvet/sockvet-rules.yml" ||
		missing="$missing usr/share/sockvet/sockvet-rules.yml"
	rules="and the rules file"
else
	rules="(no contrib/prometheus/sockvet-rules.yml to install yet)"
fi
if [ $rc -eq 0 ] && [ -z "$missing" ]; then
	tap_ok "make install DESTDIR PREFIX=/usr: binary, man page, bash and zsh completion, unit $rules"
else
	tap_not_ok "make install DESTDIR PREFIX=/usr: every file with its mode (exit $rc; missing/wrong:$missing)"
	tap_diag_file "$T/inst.out"
fi

if cmp -s "$top/contrib/completion/sockvet.bash" "$D/usr/share/bash-completion/completions/sockvet" &&
   grep -qx 'ExecStart=/usr/bin/sockvet exporter --listen 127.0.0.1:9813' "$D/$unit"; then
	tap_ok "the installed completion is the committed one; ExecStart is BINDIR/sockvet"
else
	tap_not_ok "the installed completion is the committed one; ExecStart is BINDIR/sockvet"
	grep '^ExecStart' "$D/$unit" | sed 's/^/# /'
fi

# Read-only observer: no new privileges, read-only system, the four
# capabilities and nothing else (CAP_NET_ADMIN is not needed).
bad=
for d in NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes \
	 ProtectKernelTunables=yes ProtectControlGroups=yes DynamicUser=yes \
	 'RestrictAddressFamilies=AF_NETLINK AF_INET AF_INET6 AF_UNIX' \
	 'CapabilityBoundingSet=CAP_DAC_READ_SEARCH CAP_SYS_PTRACE CAP_SYS_ADMIN CAP_SYSLOG' \
	 'AmbientCapabilities=CAP_DAC_READ_SEARCH CAP_SYS_PTRACE CAP_SYS_ADMIN CAP_SYSLOG' \
	 'SystemCallFilter=@system-service setns'; do
	grep -qx "$d" "$D/$unit" || bad="$bad [$d]"
done
if [ -z "$bad" ] && ! grep -v '^#' "$D/$unit" | grep -q CAP_NET_ADMIN; then
	tap_ok "the unit is hardened: every directive the service design asks for"
else
	tap_not_ok "the unit is hardened: missing$bad"
fi

# systemd-analyze checks that ExecStart exists: point it at the copy
# installed above.
sed "s|^ExecStart=/usr/bin/sockvet|ExecStart=$D/usr/bin/sockvet|" "$D/$unit" >"$T/sockvet-exporter.service"
if ! command -v systemd-analyze >/dev/null 2>&1; then
	tap_skip "systemd-analyze verify: systemd-analyze not installed (Debian: apt install systemd)"
	tap_skip "systemd-analyze security: systemd-analyze not installed"
else
	if systemd-analyze verify --man=no "$T/sockvet-exporter.service" >"$T/verify.out" 2>&1; then
		tap_ok "systemd-analyze verify accepts the unit"
	else
		tap_not_ok "systemd-analyze verify accepts the unit"
		tap_diag_file "$T/verify.out"
	fi
	# Offline: no running systemd needed. The score is recorded in the docs.
	score=$(systemd-analyze security --offline=true "$T/sockvet-exporter.service" 2>/dev/null |
		sed -n 's/^.*Overall exposure level for [^:]*: \([0-9.]*\) .*/\1/p')
	if [ -n "$score" ] && grep -q "exposure level $score " "$top/docs/service.md"; then
		tap_ok "systemd-analyze security: exposure $score, as docs/service.md records"
	elif [ -z "$score" ]; then
		tap_skip "systemd-analyze security --offline=true gave no score (systemd older than 250?)"
	else
		tap_not_ok "systemd-analyze security: exposure $score, not the one docs/service.md records"
	fi
fi

make -s -C "$top" uninstall DESTDIR="$D" PREFIX=/usr >"$T/un.out" 2>&1
rc=$?
left=$(find "$D" -type f 2>/dev/null)
if [ $rc -eq 0 ] && [ -z "$left" ]; then
	tap_ok "make uninstall removes every installed file"
else
	tap_not_ok "make uninstall removes every installed file (exit $rc)"
	echo "$left" | sed 's/^/# left: /'
fi
[ "$TAP_FAILED" -eq 0 ]
