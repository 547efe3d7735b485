// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The socket-table importers' shared end (sock_text.h): TCP rows into the
 * builder and the coverage decision, so ss and netstat tables mean the
 * same to the rules.
 */
#include "sock_text.h"

#include <string.h>

/* A CLOSE-WAIT socket whose inode the text does not give: any nonzero
 * value reads as "accepted" to the model; no lookup is ever made with it
 * offline. */
#define SOCK_INODE_UNKNOWN UINT32_MAX

void sock_text_init(struct sock_text *k, struct sample_builder *b, uint32_t prior)
{
	memset(k, 0, sizeof(*k));
	k->b = b;
	k->prior = prior;
}

/* An earlier section began the socket list: rows are added to it. A
 * netstat table gives the other states without the listeners. */
static bool sock_list_given(const struct sock_text *k)
{
	return k->socks || (k->prior & (HAVE_SOCKETS | HAVE_CONN_STATES));
}

/*
 * A row with an owner but no ino: (the text without -e) still needs an
 * inode, the key attribution and the series match listeners by. One made
 * of the owner's pid and fd names the same socket in every capture of
 * it and never 0; high bit set, so it cannot be taken for a real one in
 * a table that has none.
 */
static uint32_t owner_inode(const struct ss_extra *x)
{
	uint32_t h = x->pid * 2654435761u ^ ((uint32_t)x->fd * 40503u + 0x9e37u);

	return h | 0x80000000u;
}

static void owner_keep(struct sock_text *k, uint32_t inode, const struct ss_extra *x)
{
	struct sock_text_owner *o;

	if (!inode)
		return;
	if (k->n_owners == SOCK_TEXT_OWNERS_MAX) {
		k->owners_dropped++;
		return;
	}
	o = &k->owners[k->n_owners++];
	o->inode = inode;
	o->pid = x->pid;
	memcpy(o->comm, x->comm, sizeof(o->comm));
}

static bool owner_lookup(uint32_t inode, uint32_t *pid, const char **comm, void *ctx)
{
	const struct sock_text *k = ctx;

	for (uint32_t i = 0; i < k->n_owners; i++)
		if (k->owners[i].inode == inode) {
			*pid = k->owners[i].pid;
			*comm = k->owners[i].comm;
			return true;
		}
	return false;
}

bool sock_text_tcp(struct sock_text *k, struct sock_rec *r, const struct ss_extra *x)
{
	if ((k->prior & HAVE_SOCKETS) && r->state == SS_LISTEN)
		return false;
	if (!sock_list_given(k)) {
		/* what the rows cover is marked at the end (sock_text_end) */
		sample_build_socks_begin(k->b, 0);
		k->socks = true;
	}
	if (x->pid && !x->ino)
		r->inode = owner_inode(x);
	if (x->pid && (r->state == SS_LISTEN || r->state == SS_CLOSE_WAIT))
		owner_keep(k, r->inode, x);
	if (r->state == SS_CLOSE_WAIT && !x->ino && !x->pid) {
		/* an owner (-p) means an fd, so accepted; else a guess */
		r->inode = SOCK_INODE_UNKNOWN;
		k->cw_guess += !x->owned;
	}
	k->no_cookie += !x->sk;
	if (r->state == SS_LISTEN) {
		k->listeners++;
		k->listen_seen++;
		k->listen_drops += r->has_skmem && r->skmem_n > SK_MEMINFO_DROPS;
	}
	sample_build_sock(k->b, r);
	k->tcp++;
	return true;
}

/*
 * What the TCP rows are complete for, marked in the sample: listeners
 * (HAVE_SOCKETS) with -a or -l, every other state (HAVE_CONN_STATES)
 * with -a alone; nothing for a filter, `state X`, a pipe, or a table
 * without listeners asked for (`ss -tn`, `netstat -tn`). A table without
 * its command line is read by its rows: LISTEN and other states together
 * is an -a table, LISTEN alone -l. no_backlog (netstat): the listeners'
 * limits are unknown, so an -a table covers the other states only.
 */
static uint32_t sock_coverage(const struct sock_text *k, const struct sock_cover *c)
{
	bool full, lis;
	uint32_t have = 0;

	if (!sock_list_given(k))
		return 0;
	if (c->seen) {
		/* `sport = :P`: P's listeners; a --port on another port is not covered */
		bool port_ok = c->port_only < 0 || k->b->o.want_port < 0 ||
			       k->b->o.want_port == c->port_only;

		full = !c->subset && c->all && !c->listening && c->port_only < 0;
		lis = !c->subset && (c->all || c->listening) && port_ok;
	} else {
		full = !c->subset && k->listen_seen && k->tcp > k->listeners;
		lis = !c->subset && k->listen_seen > 0;
	}
	if (c->no_backlog)
		lis = false;
	else if (full)
		lis = true;
	if (lis)
		have |= HAVE_SOCKETS;
	if (full)
		have |= HAVE_CONN_STATES;
	if (have)
		sample_build_mark(k->b, have);
	return have;
}

uint32_t sock_text_end(struct sock_text *k, const struct sock_cover *c, bool empty_full)
{
	uint32_t have;

	/* an empty full TCP table is a fact; an empty subset is not */
	if (!sock_list_given(k) && empty_full) {
		sample_build_socks_begin(k->b, 0);
		k->socks = true;
	}
	have = sock_coverage(k, c);
	/* without sk: the CLOSE-WAIT sockets cannot be matched across samples */
	if (k->socks && k->no_cookie)
		k->b->s->cw_tracked = false;
	/* the owners the rows named (ss -p, netstat -p), once per table */
	if (k->socks && k->n_owners) {
		sample_build_attribute(k->b, owner_lookup, k);
		if (!k->owners_dropped) {
			sample_build_mark(k->b, HAVE_OWNERS);
			have |= HAVE_OWNERS;
		}
	}
	if (k->socks && k->listeners && k->listen_drops == k->listeners) {
		sample_build_mark(k->b, HAVE_LISTEN_DROPS);
		have |= HAVE_LISTEN_DROPS;
	}
	return have;
}
