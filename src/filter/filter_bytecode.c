// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's part of a filter: inet_diag bytecode (INET_DIAG_REQ_BYTECODE),
 * so the kernel drops what the filter rejects before it builds a message,
 * as ss does.
 *
 * The program the kernel runs (inet_diag_bc_run) is a list of 4-byte ops
 * { code, yes, no }, some followed by an argument. It starts with len =
 * the program's length; an op that holds moves on by `yes` bytes, one that
 * does not by `no`. The socket is accepted when len ends at exactly 0,
 * rejected when a jump goes past the end. The kernel's audit
 * (inet_diag_bc_audit) walks the ops by `yes`, so `yes` is always the op's
 * own length here, and every `no` must be a multiple of 4 that lands on an
 * op boundary or at most 4 bytes past the end.
 *
 * Every fragment compiled here keeps one convention: success falls off its
 * end (offset L), failure jumps to L + 4. Then
 *   a and b   a, b; a's failures re-aimed at the new end + 4
 *   a or b    a, JMP over b, b; a's failures already land on b
 *   not a     a, JMP 8: a's success jumps to failure, a's failure lands
 *             just past the JMP, which is success
 * and a failure target can be told from everything else by its offset
 * alone (only a fragment's suffix shares its end).
 *
 * Not everything can go to the kernel: the extensions (send-q, rtt, pid,
 * ...) exist only in user space. For those the kernel gets the tightest
 * program that accepts at least every socket the whole filter accepts: an
 * extension reads as "true" where it counts for the socket and "false"
 * under a `not`, and the constants fold away. User space then checks
 * the whole filter on every row the kernel sends, as ss does (its
 * run_ssfilter runs on netlink rows too): that is what makes `autobound`
 * the kernel's test and the ephemeral port range together, in ss.
 */
#include "filter.h"

#include <linux/inet_diag.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* What a fragment turned out to be. */
enum bc_res { BC_TRUE, BC_FALSE, BC_CODE, BC_ERR };

struct bc_emit {
	const struct filter *f;
	unsigned flags;
	struct filter_bc *bc;
	struct strbuf *err;
};

static enum bc_res bc_fail(struct bc_emit *e)
{
	error_set(e->err, "filter: too long for the kernel's filter (more than %u bytes of "
		  "bytecode)", FILTER_BC_MAX);
	return BC_ERR;
}

static enum bc_res bc_put(struct bc_emit *e, const void *p, size_t n)
{
	if (e->bc->len + n > FILTER_BC_MAX)
		return bc_fail(e);
	memcpy(e->bc->code + e->bc->len, p, n);
	e->bc->len += (uint32_t)n;
	return BC_CODE;
}

/* One op whose argument is arg (alen bytes): yes = its length, no = fail. */
static enum bc_res bc_op(struct bc_emit *e, uint8_t code, const void *arg, size_t alen)
{
	struct inet_diag_bc_op op = { .code = code };
	size_t len = sizeof(op) + alen;

	op.yes = (uint8_t)len;
	op.no = (uint16_t)(len + 4);
	if (bc_put(e, &op, sizeof(op)) == BC_ERR)
		return BC_ERR;
	return alen ? bc_put(e, arg, alen) : BC_CODE;
}

/*
 * Re-aim the failures of the fragment at [start, end): jumps to end + 4
 * move by delta bytes.
 */
static void bc_patch(struct filter_bc *bc, uint32_t start, uint32_t end, uint32_t delta)
{
	for (uint32_t off = start; off < end;) {
		struct inet_diag_bc_op op;

		memcpy(&op, bc->code + off, sizeof(op));
		if (off + op.no == end + 4) {
			op.no = (uint16_t)(op.no + delta);
			memcpy(bc->code + off, &op, sizeof(op));
		}
		off += op.yes;
	}
}

static enum bc_res bc_jmp(struct bc_emit *e, uint16_t no)
{
	struct inet_diag_bc_op op = { .code = INET_DIAG_BC_JMP, .yes = 4, .no = no };

	return bc_put(e, &op, sizeof(op));
}

/* Negate what was emitted from start (a BC_CODE fragment). */
static enum bc_res bc_negate(struct bc_emit *e, enum bc_res r)
{
	switch (r) {
	case BC_TRUE: return BC_FALSE;
	case BC_FALSE: return BC_TRUE;
	case BC_CODE: return bc_jmp(e, 8);
	default: return r;
	}
}

/* sport/dport OP N: the kernel has =, >= and <=; the rest are negations. */
static enum bc_res bc_port(struct bc_emit *e, const struct filter_node *n, bool src)
{
	struct inet_diag_bc_op arg = { .no = (uint16_t)n->u.num };
	uint8_t eq = src ? INET_DIAG_BC_S_EQ : INET_DIAG_BC_D_EQ;
	uint8_t ge = src ? INET_DIAG_BC_S_GE : INET_DIAG_BC_D_GE;
	uint8_t le = src ? INET_DIAG_BC_S_LE : INET_DIAG_BC_D_LE;

	switch (n->op) {
	case FOP_EQ: return bc_op(e, eq, &arg, sizeof(arg));
	case FOP_NE: return bc_negate(e, bc_op(e, eq, &arg, sizeof(arg)));
	case FOP_GE: return bc_op(e, ge, &arg, sizeof(arg));
	case FOP_LE: return bc_op(e, le, &arg, sizeof(arg));
	case FOP_GT: return bc_negate(e, bc_op(e, le, &arg, sizeof(arg)));
	case FOP_LT: return bc_negate(e, bc_op(e, ge, &arg, sizeof(arg)));
	}
	return BC_FALSE;
}

/* src/dst [FAMILY:]ADDR[/PREFIX][:PORT] as one hostcond. */
static enum bc_res bc_host(struct bc_emit *e, const struct filter_host *h, bool src)
{
	/* the hostcond, then its address (a flexible array in the uapi) */
	uint8_t c[sizeof(struct inet_diag_hostcond) + 16];
	struct inet_diag_hostcond hc;
	size_t alen = h->family == AF_INET6 ? 16 : 4;

	if (h->family == AF_UNIX)
		return BC_FALSE;         /* never an inet socket */
	if (h->prefix < 0 && h->port < 0)
		return BC_TRUE;          /* `*`: every inet socket */
	memset(&hc, 0, sizeof(hc));
	memset(c, 0, sizeof(c));
	hc.port = h->port;
	if (h->prefix < 0) {
		/* any address, whatever its family: the port only */
		hc.family = AF_UNSPEC;
		alen = 0;
	} else {
		hc.family = h->family;
		hc.prefix_len = (uint8_t)h->prefix;
		memcpy(c + sizeof(hc), h->addr, alen);
	}
	memcpy(c, &hc, sizeof(hc));
	return bc_op(e, src ? INET_DIAG_BC_S_COND : INET_DIAG_BC_D_COND, c, sizeof(hc) + alen);
}

/* = or != on one op whose argument is arg. */
static enum bc_res bc_eq_ne(struct bc_emit *e, const struct filter_node *n, uint8_t code,
			    const void *arg, size_t alen)
{
	enum bc_res r = bc_op(e, code, arg, alen);

	return n->op == FOP_NE ? bc_negate(e, r) : r;
}

/* A condition; BC_TRUE/BC_FALSE stand in for one the kernel cannot run. */
static enum bc_res bc_leaf(struct bc_emit *e, const struct filter_node *n, bool pos)
{
	struct inet_diag_markcond mc = { n->u.mark.value, n->u.mark.mask };

	if (!filter_node_kernel(n, e->flags))
		return pos ? BC_TRUE : BC_FALSE;
	switch (n->kind) {
	case FK_SRC: return bc_host(e, &n->u.host, true);
	case FK_DST: return bc_host(e, &n->u.host, false);
	case FK_SPORT: return bc_port(e, n, true);
	case FK_DPORT: return bc_port(e, n, false);
	case FK_FWMARK: return bc_eq_ne(e, n, INET_DIAG_BC_MARK_COND, &mc, sizeof(mc));
	case FK_CGROUP:
		return bc_eq_ne(e, n, INET_DIAG_BC_CGROUP_COND, &n->cgroup_id,
				sizeof(n->cgroup_id));
	case FK_AUTOBOUND: return bc_op(e, INET_DIAG_BC_AUTO, NULL, 0);
	}
	return pos ? BC_TRUE : BC_FALSE;
}

static enum bc_res bc_node(struct bc_emit *e, int id, bool pos);

static enum bc_res bc_and(struct bc_emit *e, const struct filter_node *n, bool pos)
{
	uint32_t start = e->bc->len, mid;
	enum bc_res a = bc_node(e, n->left, pos), b;

	if (a != BC_CODE)
		return a == BC_TRUE ? bc_node(e, n->right, pos) : a;
	mid = e->bc->len;
	b = bc_node(e, n->right, pos);
	if (b == BC_TRUE || b == BC_ERR)
		return b == BC_TRUE ? BC_CODE : b;
	if (b == BC_FALSE) {
		e->bc->len = start;
		return BC_FALSE;
	}
	bc_patch(e->bc, start, mid, e->bc->len - mid);
	return BC_CODE;
}

static enum bc_res bc_or(struct bc_emit *e, const struct filter_node *n, bool pos)
{
	uint32_t start = e->bc->len, jmp;
	enum bc_res a = bc_node(e, n->left, pos), b;
	struct inet_diag_bc_op op;

	if (a != BC_CODE)
		return a == BC_FALSE ? bc_node(e, n->right, pos) : a;
	jmp = e->bc->len;
	if (bc_jmp(e, 0) == BC_ERR)
		return BC_ERR;
	b = bc_node(e, n->right, pos);
	if (b != BC_CODE) {
		/* a or true: true; a or false: a */
		e->bc->len = b == BC_TRUE ? start : jmp;
		return b == BC_TRUE ? BC_TRUE : b == BC_FALSE ? BC_CODE : b;
	}
	/* a held: jump over b to the end, which is success */
	memcpy(&op, e->bc->code + jmp, sizeof(op));
	op.no = (uint16_t)(e->bc->len - jmp);
	memcpy(e->bc->code + jmp, &op, sizeof(op));
	return BC_CODE;
}

/*
 * pos: the node counts for the socket as written (false under an odd
 * number of `not`s), which decides how a user-space-only condition is
 * stood in for.
 */
static enum bc_res bc_node(struct bc_emit *e, int id, bool pos)
{
	const struct filter_node *n = &e->f->nodes[id];

	switch (n->kind) {
	case FK_AND: return bc_and(e, n, pos);
	case FK_OR: return bc_or(e, n, pos);
	case FK_NOT: return bc_negate(e, bc_node(e, n->left, !pos));
	}
	return bc_leaf(e, n, pos);
}

bool filter_node_kernel(const struct filter_node *n, unsigned flags)
{
	const struct filter_host *h = &n->u.host;

	switch (n->kind) {
	case FK_SRC: case FK_DST:
		/* an address needs its family for the kernel's hostcond */
		return h->prefix < 0 || h->family == AF_INET || h->family == AF_INET6 ||
		       h->family == AF_UNIX;
	case FK_SPORT: case FK_DPORT:
	case FK_CGROUP: case FK_AUTOBOUND:
		return true;
	case FK_FWMARK:
		return flags & FILTER_BC_MARK;
	}
	return false;
}

/*
 * ss 6.1 compiles no `dev` condition, and then sends no program at all
 * for the expression: its rows are user space's alone, and where the two
 * tests differ (autobound: the bind lock or the port range) they show.
 */
static bool bc_has_dev(const struct filter *f)
{
	for (unsigned i = 0; i < f->n; i++)
		if (f->nodes[i].kind == FK_DEV)
			return true;
	return false;
}

int filter_compile(const struct filter *f, unsigned flags, struct filter_bc *bc,
		   struct strbuf *err)
{
	struct bc_emit e = { f, flags, bc, err };
	enum bc_res r;

	bc->len = 0;
	if (f->root < 0 || bc_has_dev(f))
		return 0;
	r = bc_node(&e, f->root, true);
	if (r == BC_ERR) {
		bc->len = 0;
		return -1;
	}
	if (r == BC_FALSE) {
		/* Nothing can match: one op that always jumps past the end. */
		bc->len = 0;
		if (bc_jmp(&e, 8) == BC_ERR)
			return -1;
	} else if (r == BC_TRUE) {
		bc->len = 0;
	}
	return 0;
}

int filter_peer_compile(const struct peer *p, struct filter_bc *bc, struct strbuf *err)
{
	struct filter *f = calloc(1, sizeof(*f));
	struct filter_host *h;
	int ret;

	if (!f)
		return error_set(err, "out of memory");
	filter_init(f);
	f->n = 1;
	f->root = 0;
	f->nodes[0].kind = FK_DST;
	f->nodes[0].left = f->nodes[0].right = -1;
	h = &f->nodes[0].u.host;
	h->family = p->family;
	memcpy(h->addr, p->addr, sizeof(h->addr));
	h->prefix = p->family == AF_INET ? 32 : 128;
	h->port = p->port;
	ret = filter_compile(f, 0, bc, err);
	free(f);
	return ret;
}
