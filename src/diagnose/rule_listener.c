// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * no-listener / listener-loopback-only: the port the user asked about
 * (--port P) has no TCP listener in the last sample, or only listeners
 * bound to 127.0.0.1 / ::1.
 *
 * "Connection refused" is the kernel's RST for a SYN that no socket
 * matches: nothing listens on the port, or nothing listens on the
 * address the client connected to. Either way the fix is the service's
 * (not running, wrong port, wrong bind address, or running in another
 * network namespace, as every container does): side APP. A listener on
 * 0.0.0.0, :: or any non-loopback address is not this rule's business.
 *
 * A port with a UDP socket and no TCP listener is not refused: UDP has
 * no RST, so the rule says so as a note instead.
 *
 * Without --port the rule says nothing: a host has many closed ports and
 * only the user knows which one should be open.
 */
#include "rules.h"

#include <stdio.h>
#include <string.h>

#include "../model/addr.h"

/* How many loopback listeners to name in the evidence; a port rarely
 * has more than one per family. */
#define LOOPBACK_SHOWN 4

static const char *netns_of(const struct sample *s)
{
	return s->meta.netns[0] ? s->meta.netns : "this host's current one";
}

static void no_listener(const struct rule *self, const struct series *ser, const struct focus *o,
			uint16_t port, struct findings *out)
{
	const struct sample *last = series_last(ser);
	unsigned seen = 0;
	uint64_t d_rsts = 0;
	bool refused = o->symptom == SYMPTOM_REFUSED;
	struct finding *f;

	for (unsigned i = 0; i < ser->n; i++)
		seen += sample_port_listening(ser->s[i], port);
	f = rule_finding(out, self, 0, refused ? SEV_CRITICAL : SEV_WARNING, SIDE_APP);
	if (!f)
		return;
	snprintf(f->subject, sizeof(f->subject), "port %u", port);
	if (seen)
		finding_evidence(f, "ss -ltn 'sport = :%u': no listener in the last sample; listening in %u of %u samples",
				 port, seen, ser->n);
	else
		finding_evidence(f, "ss -ltn 'sport = :%u': no listener in %u of %u samples",
				 port, ser->n, ser->n);
	finding_evidence(f, "network namespace looked at: %s", netns_of(last));
	if (series_mib_delta(ser, "TcpOutRsts", &d_rsts) && d_rsts)
		finding_evidence_rise(f, "TcpOutRsts", d_rsts, series_span_s(ser),
				      "RSTs sent, refusals included");

	snprintf(f->explanation, sizeof(f->explanation),
		 "Nothing listens on TCP port %u in this network namespace, so the kernel answers "
		 "every connection attempt to it with a RST: clients see \"connection refused\". %s"
		 "Either the service is not running, it listens on another port, or it listens in "
		 "another network namespace: a container has its own, so check inside it "
		 "(nsenter -t PID -n ss -ltn) and the port mapping (docker ps, kubectl get svc).",
		 port,
		 seen ? "It was listening earlier in this run and is gone now: the service is "
			"restarting or crashing (systemctl status, journalctl -u UNIT). "
		      : "");
	/* UDP has no RST: say what a datagram to this port gets
	 * (kernel-facts.md "UDP to a port nobody bound: ICMP port unreachable"). */
	if (series_have(ser) & HAVE_UDP) {
		finding_evidence(f, "ss -uan 'sport = :%u': no UDP socket either", port);
		diag_appendf(f->explanation, sizeof(f->explanation),
			     " No UDP socket is bound to port %u either: a UDP datagram to it gets an ICMP port unreachable (nstat -az UdpNoPorts counts them), which a connected UDP client sees as ECONNREFUSED on a later call and an unconnected one never sees.",
			     port);
	}
	snprintf(f->verify_command, sizeof(f->verify_command), "ss -ltn 'sport = :%u'", port);
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "a LISTEN line for :%u on 0.0.0.0, [::] or the address clients use", port);
}

/* No TCP listener, but a UDP socket on the port: nothing is refused;
 * whether TCP was meant only the user knows. */
static void udp_only(const struct rule *self, const struct series *ser, uint16_t port,
		     struct findings *out)
{
	struct finding *f = rule_finding(out, self, 0, SEV_INFO, SIDE_NONE);

	if (!f)
		return;
	snprintf(f->subject, sizeof(f->subject), "port %u", port);
	finding_evidence(f, "ss -ltn 'sport = :%u': no TCP listener; ss -uan 'sport = :%u': a UDP socket is bound",
			 port, port);
	finding_evidence(f, "network namespace looked at: %s", netns_of(series_last(ser)));
	snprintf(f->explanation, sizeof(f->explanation),
		 "Port %u is a UDP port here: a UDP socket is bound to it and no TCP socket listens. UDP has no "
		 "connection to refuse, so there is no RST and no \"connection refused\" for its clients; datagrams "
		 "the socket cannot take are dropped silently (see udp-receive-buffer). Only if the clients use "
		 "TCP on this port is the service missing a TCP listener.",
		 port);
	snprintf(f->verify_command, sizeof(f->verify_command), "ss -uanm 'sport = :%u'; ss -ltn 'sport = :%u'",
		 port, port);
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "nothing to fix for UDP clients; for TCP ones, a LISTEN line for :%u", port);
}

static void loopback_only(const struct rule *self, const struct series *ser, const struct focus *o,
			  uint16_t port, struct findings *out)
{
	const struct sample *last = series_last(ser);
	bool refused = o->symptom == SYMPTOM_REFUSED;
	char list[FINDING_TEXT] = "", cur[64] = "";
	const struct s_proc *owner = NULL;
	unsigned shown = 0;
	size_t len = 0;
	struct finding *f;
	struct change *c;

	for (uint32_t i = 0; i < last->n_listeners; i++) {
		const struct s_listener *l = &last->listeners[i];
		const struct s_proc *p = diag_owner(last, l->owner);
		char ep[ADDR_STR_MAX];

		if (l->port != port)
			continue;
		if (p)
			owner = p;
		if (shown++ >= LOOPBACK_SHOWN)
			continue;
		addr_endpoint(ep, l->family, l->addr, l->port);
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", shown > 1 ? ", " : "", ep);
		if (len >= sizeof(list))
			len = sizeof(list) - 1;
		if (shown == 1)
			addr_endpoint(cur, l->family, l->addr, -1);
	}

	f = rule_finding(out, self, 1, refused ? SEV_CRITICAL : SEV_INFO, SIDE_APP);
	if (!f)
		return;
	snprintf(f->subject, sizeof(f->subject), "port %u", port);
	finding_evidence(f, "ss -ltn 'sport = :%u': only loopback: %s", port, list);
	if (owner)
		finding_evidence(f, "ss -ltnp 'sport = :%u': owned by %s[%u]", port, owner->comm, owner->pid);

	snprintf(f->explanation, sizeof(f->explanation),
		 "The service on port %u is bound only to the loopback address, so it accepts "
		 "connections from this host alone; clients on other hosts get \"connection "
		 "refused\" (the kernel has no socket for the address they connect to). %s"
		 "If remote clients should reach it, change the bind (listen) address in the "
		 "service's configuration to the service IP, or 0.0.0.0 / :: for all addresses, and "
		 "keep it behind a firewall; if it is meant to be local-only (a database, an admin "
		 "port), this is correct and the clients must run here.",
		 port, refused ? "That matches the refusals reported. " : "");
	if (refused && (c = finding_change(f))) {
		snprintf(c->setting, sizeof(c->setting), "bind address of the service on port %u", port);
		snprintf(c->current, sizeof(c->current), "%s", cur);
		snprintf(c->proposed, sizeof(c->proposed), "the service IP (or 0.0.0.0 / ::)");
		snprintf(c->backout, sizeof(c->backout),
			 "set the bind address back to %s in the service's configuration and restart it", cur);
		snprintf(c->effective, sizeof(c->effective),
			 "at the service restart: the address is fixed when the socket is bound");
	}
	snprintf(f->verify_command, sizeof(f->verify_command), "ss -ltn 'sport = :%u'", port);
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "the Local Address of the LISTEN line is 0.0.0.0, [::] or the service IP, not 127.0.0.1 or [::1]");
}

static void check(const struct rule *self, const struct series *ser,
		  const struct focus *o, struct findings *out)
{
	const struct sample *last = series_last(ser);
	unsigned found = 0, loopback = 0;
	uint16_t port;

	if (o->port < 0 || o->port > 65535)
		return;
	port = (uint16_t)o->port;
	if (!sample_port_listening(last, port)) {
		if ((series_have(ser) & HAVE_UDP) && sample_udp_bound(last, port))
			udp_only(self, ser, port, out);
		else
			no_listener(self, ser, o, port, out);
		return;
	}
	for (uint32_t i = 0; i < last->n_listeners; i++) {
		const struct s_listener *l = &last->listeners[i];

		if (l->port != port)
			continue;
		found++;
		loopback += addr_is_loopback(l->family, l->addr) ? 1 : 0;
	}
	/* Listeners past the sample's bound may include a public one. */
	if (!found || last->listeners_dropped || loopback < found)
		return;
	loopback_only(self, ser, o, port, out);
}

const struct rule rule_no_listener = {
	.ids = { "no-listener", "listener-loopback-only" },
	.symptoms = SYMPTOM_BIT(SYMPTOM_REFUSED),
	.needs = HAVE_SOCKETS,
	.check = check,
	.summary = "--port: nothing listens, or only on loopback",
};
