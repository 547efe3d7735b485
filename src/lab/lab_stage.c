// SPDX-License-Identifier: GPL-2.0-or-later
#include "lab_stage.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static int wait_until(struct lab *l, const struct lab_stage_spec *s, struct strbuf *err)
{
	unsigned max = s->wait_ms ? s->wait_ms : LAB_WAIT_MS;
	unsigned step = s->poll_ms ? s->poll_ms : LAB_POLL_MS;

	for (unsigned t = 0;; t += step) {
		int r = s->until(s->ctx, err);

		if (r)
			return r > 0 ? 0 : -1;
		if (t >= max)
			break;
		if (lab_sleep(l, step))
			return error_set(err, "interrupted");
	}
	error_set(err, "%s: not reached within %u ms", s->what, max);
	if (s->tell) {
		strbuf_addstr(err, " (");
		s->tell(s->ctx, err);
		strbuf_addch(err, ')');
	}
	return -1;
}

int lab_stage(struct lab *l, const struct lab_stage_spec *s, struct strbuf *err)
{
	if (s->veth[0]) {
		if (lab_ns_add(l, NULL, err) != 0 || lab_ns_add(l, "peer", err) != 1 ||
		    lab_veth(l, 0, s->veth[0], 1, s->veth[1], err))
			return -1;
	} else if (lab_ns_add(l, NULL, err) != 0) {
		return -1;
	}
	if (s->sysctl_key && lab_sysctl(l, s->sysctl_ns, s->sysctl_key, s->sysctl_value, err))
		return -1;
	if (s->nft && lab_nft(l, s->nft_ns, s->nft, err))
		return -1;
	for (unsigned i = 0; i < LAB_STAGE_ROLES && s->roles[i].name; i++) {
		const struct lab_role_spec *r = &s->roles[i];

		if (lab_spawn(l, r->ns, r->name, r->fn, r->arg, err))
			return -1;
	}
	return s->until ? wait_until(l, s, err) : 0;
}

void lab_log(struct lab *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&l->log, fmt, ap);
	va_end(ap);
	strbuf_addch(&l->log, '\n');
}

/* One more flag on l->focus, a blank before it. */
static void focus_add(struct lab *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void focus_add(struct lab *l, const char *fmt, ...)
{
	size_t len = strlen(l->focus);
	va_list ap;

	if (len && len + 1 < sizeof(l->focus))
		l->focus[len++] = ' ';
	va_start(ap, fmt);
	vsnprintf(l->focus + len, sizeof(l->focus) - len, fmt, ap);
	va_end(ap);
}

/* l->focus from what l->topts asks, as the flags a user would type. */
static void focus_text(struct lab *l)
{
	const struct focus *o = &l->topts;

	l->focus[0] = '\0';
	if (o->port >= 0)
		focus_add(l, "--port %d", o->port);
	if (o->peer.set)
		focus_add(l, "--peer %u.%u.%u.%u:%d", o->peer.addr[0], o->peer.addr[1],
			  o->peer.addr[2], o->peer.addr[3], o->peer.port);
	if (o->symptom != SYMPTOM_NONE)
		focus_add(l, "--symptom %s", symptom_name(o->symptom));
}

void lab_focus(struct lab *l, int port, enum symptom sym)
{
	l->triage_ns = 0;
	l->topts.port = port;
	l->topts.symptom = sym;
	focus_text(l);
}

void lab_focus_peer(struct lab *l, int peer_port, enum symptom sym)
{
	l->triage_ns = 0;
	l->topts.peer.set = true;
	l->topts.peer.family = AF_INET;
	memset(l->topts.peer.addr, 0, sizeof(l->topts.peer.addr));
	l->topts.peer.addr[0] = 127;
	l->topts.peer.addr[3] = 1;
	l->topts.peer.port = peer_port;
	l->topts.symptom = sym;
	focus_text(l);
}
