// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Evaluate a parsed filter on one decoded socket, in user space: the
 * conditions ss evaluates (run_ssfilter in ss.c) and the extensions.
 *
 * A value the socket does not carry (no tcp_info for rtt, no owner for
 * pid) makes its condition false, whatever the operator: `rtt != 5` is
 * not a claim about a UDP socket. `! rtt > 1s` is true for it, as
 * written.
 */
#include "filter.h"

#include <fnmatch.h>
#include <string.h>
#include <sys/socket.h>

/* Owners looked at per socket; a socket shared by more is rare. */
#define MATCH_MAX_OWNERS 16

struct match_ctx {
	const struct filter *f;
	const struct sock_rec *s;
	filter_owners_fn owners;
	void *ctx;
};

static bool match_cmp(uint64_t have, enum filter_op op, uint64_t want)
{
	switch (op) {
	case FOP_EQ: return have == want;
	case FOP_NE: return have != want;
	case FOP_LT: return have < want;
	case FOP_GT: return have > want;
	case FOP_LE: return have <= want;
	case FOP_GE: return have >= want;
	}
	return false;
}

static bool match_bits(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned bytes = bits / 8, rest = bits % 8;

	if (memcmp(a, b, bytes))
		return false;
	if (!rest)
		return true;
	return ((a[bytes] ^ b[bytes]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

/*
 * ss's user-space address test (inet2_addr_match in ss.c), kept as it
 * is because ss's rows are those it accepts: the prefix is compared on
 * the raw address bytes whatever the two families (a v4 socket's bytes
 * after the first 4 are zero, so `src ::/64` holds for 0.0.0.0), a /0
 * or `*` holds for any socket, and a v4 condition also tries a v4-mapped
 * socket's last 4 bytes. A live listing pairs this with the kernel's
 * family-aware test (filter_bytecode.c), as ss does.
 */
static bool match_inet(const struct filter_host *h, const struct sock_rec *s,
		       const uint8_t *addr)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (h->prefix <= 0)
		return true;
	if (match_bits(addr, h->addr, (unsigned)h->prefix))
		return true;
	return h->family == AF_INET && s->family == AF_INET6 &&
	       !memcmp(addr, mapped, sizeof(mapped)) &&
	       match_bits(addr + 12, h->addr, (unsigned)h->prefix);
}

static bool match_unix(const struct filter_host *h, const struct sock_rec *s,
		       bool local)
{
	char name[FILTER_MAX_NAME + 1] = "*";
	size_t n = s->u.un.path_len;

	if (local && n && s->u.un.path) {
		if (n > FILTER_MAX_NAME)
			n = FILTER_MAX_NAME;
		memcpy(name, s->u.un.path, n);
		name[n] = '\0';
		if (name[0] == '\0')
			name[0] = '@';   /* abstract, as ss prints it */
	}
	return fnmatch(h->path, name, 0) == 0;
}

static bool match_host(const struct filter_host *h, const struct sock_rec *s,
		       bool local)
{
	int port = local ? s->sport : s->dport;

	if (h->family == AF_UNIX)
		return s->family == AF_UNIX && match_unix(h, s, local);
	if (s->family != AF_INET && s->family != AF_INET6)
		return false;
	if (h->port >= 0 && h->port != port)
		return false;
	return match_inet(h, s, local ? s->saddr : s->daddr);
}

static bool match_tcpinfo(const struct sock_rec *s, enum tcpinfo_field fld,
			  uint64_t mul, const struct filter_node *n)
{
	uint64_t v;

	if (!tcpinfo_get(s->tcpi, s->tcpi_len, fld, &v))
		return false;
	return match_cmp(v * mul, n->op, n->u.num);
}

static bool match_owner(const struct match_ctx *m, const struct filter_node *n)
{
	struct filter_owner own[MATCH_MAX_OWNERS];
	unsigned k = m->owners ? m->owners(m->ctx, m->s, own, MATCH_MAX_OWNERS) : 0;
	/* != asks "not owned by": no owner has it, of at least one known */
	enum filter_op op = n->op == FOP_NE ? FOP_EQ : (enum filter_op)n->op;
	bool any = false;

	if (k > MATCH_MAX_OWNERS)
		k = MATCH_MAX_OWNERS;
	for (unsigned i = 0; i < k && !any; i++) {
		if (n->kind == FK_PID)
			any = match_cmp(own[i].pid, op, n->u.num);
		else
			any = fnmatch(n->u.name, own[i].comm, 0) == 0;
	}
	return n->op == FOP_NE ? k > 0 && !any : any;
}

static bool match_is_inet(const struct sock_rec *s)
{
	return s->family == AF_INET || s->family == AF_INET6;
}

static bool match_eq_ne(bool eq, const struct filter_node *n)
{
	return n->op == FOP_NE ? !eq : eq;
}

/* The ss grammar's conditions. */
static bool match_ss(const struct match_ctx *m, const struct filter_node *n)
{
	const struct sock_rec *s = m->s;

	switch (n->kind) {
	case FK_SRC:
		return match_host(&n->u.host, s, true);
	case FK_DST:
		return match_host(&n->u.host, s, false);
	case FK_SPORT:
		return match_is_inet(s) && match_cmp(s->sport, n->op, n->u.num);
	case FK_DPORT:
		return match_is_inet(s) && match_cmp(s->dport, n->op, n->u.num);
	case FK_DEV:
		return match_eq_ne(s->ifindex == n->u.num, n);
	case FK_FWMARK:
		return match_eq_ne(((s->has_mark ? s->mark : 0) & n->u.mark.mask) ==
				   n->u.mark.value, n);
	case FK_CGROUP:
		return s->has_cgroup &&
		       match_eq_ne(s->cgroup_id == n->cgroup_id, n);
	case FK_AUTOBOUND:
		return match_is_inet(s) && s->sport >= m->f->port_lo &&
		       s->sport <= m->f->port_hi;
	}
	return false;
}

/* Percent of the accept queue in use: a listener's Recv-Q of Send-Q. */
static bool match_fill(const struct sock_rec *s, const struct filter_node *n)
{
	if (s->state != SS_LISTEN || !s->wqueue)
		return false;
	return match_cmp((uint64_t)s->rqueue * 100 / s->wqueue, n->op, n->u.num);
}

static bool match_ext(const struct match_ctx *m, const struct filter_node *n)
{
	const struct sock_rec *s = m->s;

	switch (n->kind) {
	case FK_RECVQ: return match_cmp(s->rqueue, n->op, n->u.num);
	case FK_SENDQ: return match_cmp(s->wqueue, n->op, n->u.num);
	case FK_RTT: return match_tcpinfo(s, TCPINFO_RTT, 1, n);
	case FK_RETRANS: return match_tcpinfo(s, TCPINFO_TOTAL_RETRANS, 1, n);
	case FK_CWND: return match_tcpinfo(s, TCPINFO_SND_CWND, 1, n);
	case FK_LASTSND: return match_tcpinfo(s, TCPINFO_LAST_DATA_SENT, 1000, n);
	case FK_LASTRCV: return match_tcpinfo(s, TCPINFO_LAST_DATA_RECV, 1000, n);
	case FK_LASTACK: return match_tcpinfo(s, TCPINFO_LAST_ACK_RECV, 1000, n);
	case FK_UID: return match_cmp(s->uid, n->op, n->u.num);
	case FK_INODE: return match_cmp(s->inode, n->op, n->u.num);
	case FK_PID:
	case FK_COMM: return match_owner(m, n);
	case FK_FILL: return match_fill(s, n);
	}
	return false;
}

static bool match_node(const struct match_ctx *m, int id)
{
	const struct filter_node *n = &m->f->nodes[id];

	switch (n->kind) {
	case FK_AND: return match_node(m, n->left) && match_node(m, n->right);
	case FK_OR: return match_node(m, n->left) || match_node(m, n->right);
	case FK_NOT: return !match_node(m, n->left);
	}
	return n->kind < FK_RECVQ ? match_ss(m, n) : match_ext(m, n);
}

bool filter_match(const struct filter *f, const struct sock_rec *s,
		  filter_owners_fn owners, void *ctx)
{
	struct match_ctx m = { f, s, owners, ctx };

	if (f->has_states && !(f->states & (1u << s->state)))
		return false;
	if (f->family_only && s->family != f->family_only)
		return false;
	return f->root < 0 || match_node(&m, f->root);
}
