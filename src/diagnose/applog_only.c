// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Findings from an application's own log lines (analyze only: a live
 * triage reads no application logs). An errno a service logged names a
 * cause the way a kernel log line does (klog_only.c), with two rules:
 *
 *  - When the rule behind that cause already found it from the captures
 *    (its inputs were given), the log line is one more line of that
 *    finding's evidence, not a second finding.
 *  - Otherwise the finding carries the rule's id, its side, the
 *    confidence said plainly ("application log only: N lines"), the
 *    captures that would confirm it and the verify command, and no
 *    change: a log line does not size a limit. Where the line alone
 *    names the knob (EMFILE: the process's RLIMIT_NOFILE) the change is
 *    given as an instruction in the text, its current value said to be
 *    unknown unless a capture gave it.
 *
 * Look-alikes: "Connection refused" is a closed port or a REJECT rule
 * (kernel-facts.md "Connection refused: RST from a port nobody listens on"),
 * never a full accept queue (that drops SYNs: clients time out; kernel-facts.md
 * "Full accept queue: dropped SYNs and ignored final ACKs"), so no somaxconn
 * or backlog; "Connection reset by peer" is the peer's close
 * with unread data, an abort, a middlebox, or tcp_abort_on_overflow=1;
 * "Address already in use" on bind() is another listener or a restart
 * without SO_REUSEADDR, and EADDRNOTAVAIL from bind() a listen address
 * the host does not have: neither is port exhaustion, which is
 * connect()'s EADDRNOTAVAIL only
 * (kernel-facts.md "TIME-WAIT and the ephemeral port range (per destination tuple)");
 * "timed out" is the path or the server's queues, judged on the server.
 */
#include "rules.h"

#include <stdio.h>
#include <string.h>

struct applog_def {
	const struct rule *rule;
	enum severity sev;
	enum side side;
	uint32_t inputs;         /* HAVE_* with which the rule judged this cause itself */
	const char *means;
	const char *confirm;
	const char *verify;
};

static const struct applog_def def_emfile = {
	&rule_fd_exhaustion, SEV_WARNING, SIDE_APP, HAVE_FDS,
	"the process reached its own open-file limit (RLIMIT_NOFILE, EMFILE): socket(), accept() "
	"and open() fail for it alone, and the kernel logs nothing; a client's connect()/socket() "
	"hits the same per-process limit",
	"ls /proc/PID/fd | wc -l and cat /proc/PID/limits (Max open files) of that process, "
	"twice a minute apart (a leak climbs, a limit too low stays flat)",
	"ls /proc/PID/fd | wc -l; grep 'Max open files' /proc/PID/limits",
};

static const struct applog_def def_enfile = {
	&rule_fd_exhaustion, SEV_WARNING, SIDE_KERNEL, HAVE_FILE_NR,
	"the whole host reached fs.file-max (ENFILE, \"Too many open files in system\"): every "
	"process fails to open files and sockets, and the kernel logs \"VFS: file-max limit N "
	"reached\"",
	"cat /proc/sys/fs/file-nr, dmesg | grep 'file-max limit', and ls /proc/PID/fd | wc -l of "
	"the biggest holders (a leak fills any limit)",
	"cat /proc/sys/fs/file-nr; dmesg | grep -i 'file-max limit'",
};

static const struct applog_def def_ports = {
	&rule_ephemeral_port_exhaustion, SEV_WARNING, SIDE_APP, HAVE_SOCKETS | HAVE_CONN_STATES,
	"connect() found no free local port for that destination (EADDRNOTAVAIL): the ephemeral "
	"range is used up per (source address, destination address:port), most often by "
	"TIME-WAIT sockets of short connections this host closed first; the kernel counts nothing "
	"for it",
	"ss -tan state time-wait (per destination: ss -tan state time-wait 'dst IP:PORT' | wc -l) "
	"and sysctl net.ipv4.ip_local_port_range net.ipv4.ip_local_reserved_ports "
	"net.ipv4.tcp_tw_reuse",
	"ss -tan state time-wait | wc -l; sysctl net.ipv4.ip_local_port_range",
};

static const struct applog_def def_nonlocal = {
	&rule_no_listener, SEV_INFO, SIDE_APP, 0,
	"bind() asked for an address this host does not have (a wrong listen address, or an IP "
	"that is not up yet). This is not port exhaustion: only connect()'s EADDRNOTAVAIL is",
	"ip -br addr (is the address there?) and the service's listen address setting",
	"ip -br addr; ss -tlnp",
};

static const struct applog_def def_inuse = {
	&rule_no_listener, SEV_WARNING, SIDE_APP, 0,
	"the service could not listen: another socket holds the port (a second instance, an old "
	"process still running), or it restarted without SO_REUSEADDR while connections on that "
	"port sit in TIME-WAIT. This is not ephemeral-port exhaustion",
	"ss -tlnp 'sport = :PORT' (who holds it) and ss -tan state time-wait 'sport = :PORT'",
	"ss -tlnp 'sport = :PORT'",
};

static const struct applog_def def_refused = {
	&rule_no_listener, SEV_WARNING, SIDE_APP, 0,
	"the peer answered the SYN with a reset: nothing listens on that address and port (the "
	"service is down, bound to another address or port) or a firewall rule REJECTs it. A full "
	"accept queue does not refuse (it drops SYNs, and clients time out), so somaxconn and the "
	"listen backlog are not the cause and no change to them is proposed",
	"on the server: ss -tlnp 'sport = :PORT'; iptables -S | grep -i reject (or nft list "
	"ruleset | grep -i reject)",
	"ss -tlnp 'sport = :PORT' on the server",
};

static const struct applog_def def_reset = {
	&rule_connection_resets, SEV_INFO, SIDE_NONE, 0,
	"the peer (or a middlebox) reset an established connection: its application closed with "
	"data unread or aborted (SO_LINGER 0), an idle timeout on a proxy or NAT dropped the "
	"flow, or the server has net.ipv4.tcp_abort_on_overflow=1 and a full accept queue. "
	"Nothing to change from this line",
	"on the peer: nstat -az TcpExtTCPAbortOnClose TcpExtTCPAbortOnData TcpExtListenOverflows "
	"and sysctl net.ipv4.tcp_abort_on_overflow; here: nstat -az TcpEstabResets TcpExtTCPAbortOnTimeout",
	"nstat -az TcpEstabResets TcpOutRsts",
};

static const struct applog_def def_timeout = {
	&rule_connect_timeouts, SEV_WARNING, SIDE_NETWORK, 0,
	"no answer in time: the network path (a firewall DROP, routing, loss) or the server's SYN "
	"or accept queue (a full accept queue drops SYNs silently); which one is judged on the "
	"server, not from this line",
	"on the server: nstat -az TcpExtListenOverflows TcpExtListenDrops TcpExtTCPReqQFullDrop, "
	"ss -tlnp 'sport = :PORT' (Recv-Q against Send-Q); here: ss -tan state syn-sent",
	"ss -tan state syn-sent; nstat -az TcpExtTCPSynRetrans",
};

static const struct applog_def *def_of(const struct app_event *e)
{
	switch (e->kind) {
	case APE_EMFILE: return &def_emfile;
	case APE_ENFILE: return &def_enfile;
	case APE_EADDRNOTAVAIL: return e->call == APC_BIND ? &def_nonlocal : &def_ports;
	case APE_EADDRINUSE: return &def_inuse;
	case APE_ECONNREFUSED: return &def_refused;
	case APE_ECONNRESET: return &def_reset;
	case APE_ETIMEDOUT: return &def_timeout;
	default: return NULL;
	}
}

/* Findings [0, n_rules_made) are the rules'; later ones are ours, made[i - n] from def i. */
struct applog_run {
	unsigned n_rules_made;
	const struct applog_def *made[FINDINGS_MAX];
};

/* A rule's per-process finding is about e's process when e names no pid
 * or the subject has the same "[pid]" (syslog tags and comm may differ). */
static bool same_process(const struct finding *f, const struct app_event *e)
{
	const char *pid = strchr(e->proc, '[');

	return e->kind != APE_EMFILE || !pid || strstr(f->subject, pid);
}

/*
 * The finding for this cause already made: the rule's own (a warning or
 * worse, the same side: fd-exhaustion has two; the same process), or
 * ours from the same def (another process or call with the same cause).
 */
static struct finding *found(struct findings *out, const struct applog_run *run,
			     const struct applog_def *d, const struct app_event *e)
{
	for (unsigned i = 0; i < out->n; i++) {
		const struct finding *f = &out->f[i];

		if (i < run->n_rules_made ? f->rule == d->rule && f->side == d->side &&
						    f->severity > SEV_INFO && same_process(f, e)
					  : run->made[i - run->n_rules_made] == d)
			return &out->f[i];
	}
	return NULL;
}

static void evidence_line(struct finding *f, const struct app_event *e)
{
	finding_evidence(f, "application log: %u line%s like \"%.150s\"", e->count,
			 e->count == 1 ? "" : "s", e->first_line);
}

/* "accept() on [::]:8080 in api[2211] failed with EMFILE" */
static void evidence_call(struct finding *f, const struct app_event *e)
{
	char what[160] = "";
	size_t o = 0;

	o += (size_t)snprintf(what, sizeof(what), e->call != APC_NONE ? "%s() " : "a call ",
			      appevent_calls[e->call]);
	if (e->addr[0] && o < sizeof(what))
		o += (size_t)snprintf(what + o, sizeof(what) - o, "%s %s%s ",
				      e->addr_local ? "on" : "to", e->addr,
				      e->addr_mixed ? " (and others)" : "");
	if (e->proc[0] && o < sizeof(what))
		snprintf(what + o, sizeof(what) - o, "in %s ", e->proc);
	finding_evidence(f, "%sfailed with %s%s", what, appevent_names[e->kind],
			 e->call == APC_NONE ? " (the line does not say which)" : "");
}

static void subject(struct finding *f, const struct app_event *e)
{
	if (e->kind == APE_ENFILE)
		snprintf(f->subject, sizeof(f->subject), "host (fs.file-max)");
	else if (e->kind == APE_EMFILE)
		snprintf(f->subject, sizeof(f->subject), "process %s",
			 e->proc[0] ? e->proc : "named in the application log");
	else if (e->addr[0])
		snprintf(f->subject, sizeof(f->subject), "%s %s", e->addr_local ? "local" : "destination",
			 e->addr);
	else
		snprintf(f->subject, sizeof(f->subject), "application log");
}

/* What the other captures say about it, and the change in words where the line names it. */
static void context(char *buf, size_t size, const struct sample *s, const struct app_event *e)
{
	int64_t lo = 0, hi = 0;

	buf[0] = '\0';
	if (e->kind == APE_EMFILE && (e->call == APC_ACCEPT || e->call == APC_SOCKET ||
				      e->call == APC_CONNECT))
		snprintf(buf, size, " The line names the knob: raise that process's RLIMIT_NOFILE "
			 "(LimitNOFILE= in its systemd unit, docker --ulimit nofile, or ulimit -n in "
			 "its start script) only after ls /proc/PID/fd | wc -l, taken twice, shows a "
			 "steady count and not a leak; its current limit is %s, so no value is "
			 "proposed here.", (s->have & HAVE_FDS) ? "in the fd capture given" : "unknown "
			 "(no /proc/PID/limits or ulimit -n was given)");
	else if (e->kind == APE_EADDRNOTAVAIL && e->call == APC_NONE)
		snprintf(buf, size, " The line does not say which call failed: from connect() it is "
			 "this; from bind() it is a listen address the host does not have, not port "
			 "exhaustion.");
	else if (e->kind == APE_EADDRNOTAVAIL && e->call != APC_BIND && s->sockstat.tcp_tw.present &&
		 sample_sysctl(s, SYSCTL_IP_LOCAL_PORT_RANGE, &lo) &&
		 s->sysctl.val[SYSCTL_IP_LOCAL_PORT_RANGE].n > 1 &&
		 (hi = s->sysctl.val[SYSCTL_IP_LOCAL_PORT_RANGE].v[1]) >= lo)
		snprintf(buf, size, " Host-wide there are %llu TIME-WAIT sockets for a range of %lld "
			 "ports; the limit is per destination, so ss -tan per destination tells.",
			 (unsigned long long)s->sockstat.tcp_tw.v, (long long)(hi - lo + 1));
}

static void applog_one(const struct series *ser, const struct app_event *e, struct findings *out,
		       struct applog_run *run)
{
	const struct applog_def *d = def_of(e);
	const struct sample *last = series_last(ser);
	bool judged = d && d->inputs && !(d->inputs & ~series_have(ser));
	struct finding *f;
	char ctx[512];

	if (!d)
		return;
	if ((f = found(out, run, d, e))) {
		evidence_line(f, e);
		return;
	}
	f = rule_finding(out, d->rule, 0, judged ? SEV_INFO : d->sev, d->side);
	if (!f)
		return;
	run->made[out->n - 1 - run->n_rules_made] = d;
	subject(f, e);
	evidence_line(f, e);
	evidence_call(f, e);
	if (last->sockstat.tcp_tw.present && d == &def_ports)
		finding_evidence(f, "ss -s: timewait %llu (host-wide, all destinations)",
				 (unsigned long long)last->sockstat.tcp_tw.v);
	context(ctx, sizeof(ctx), last, e);
	snprintf(f->explanation, sizeof(f->explanation),
		 "Application log only: %u line%s, so the confidence is low%s. The line says %s.%s "
		 "No capture read pins it to a process or destination now, or dates it (application "
		 "clocks are wall clocks). "
		 "Give %s to confirm it.", e->count, e->count == 1 ? "" : "s",
		 judged ? "; the captures given, which this rule judges from, show no such problem "
			  "now: the line is older, or about another process or destination" : "",
		 d->means, ctx, d->confirm);
	snprintf(f->verify_command, sizeof(f->verify_command), "%s", d->verify);
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "the application logs no new %s and the confirming captures show no shortage",
		 appevent_names[e->kind]);
}

void applog_only_findings(const struct series *ser, struct findings *out)
{
	struct applog_run run = { .n_rules_made = out->n };
	const struct sample *last;

	if (!ser->n || !((last = series_last(ser))->have & HAVE_APPLOG))
		return;
	for (uint32_t i = 0; i < last->n_appevents; i++)
		applog_one(ser, &last->appevents[i], out, &run);
}
