// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Raw sock_diag dump files given to `sockvet analyze` (`ss -D FILE`,
 * `sockvet ss -D FILE`): binary, so they are recognised by content
 * before the text path cuts the file into lines.
 *
 * A recording is the kernel's netlink replies as they came (dumpfile.c
 * describes the format): it starts with a struct nlmsghdr, whose type is
 * SOCK_DIAG_BY_FAMILY (20) for a TCP dump, its length a multiple of 4
 * at least the header and an inet_diag_msg, its flags NLM_F_MULTI. The
 * first 16 bytes are checked for exactly that; a text file cannot pass
 * (its first four bytes would have to encode a small length, two of
 * them NULs on a little-endian host). The file is then replayed through
 * dumpfile_replay_stream, which checks every message before giving any
 * record, into the builder through sock_text.c, as ss rows go.
 *
 * A recording holds the states the recording ss asked the kernel for,
 * and does not say which: `ss -D F` (no -a) records every state but
 * LISTEN (checked on 6.18: 1,050 CLOSE-WAIT and their FIN-WAIT-2 peers,
 * no listener), `ss -ta -D F` everything. So what it covers is read from
 * its rows, as for a socket table without its command line: LISTEN rows
 * beside other states is a whole table (listeners with their backlog,
 * HAVE_SOCKETS, and every other state, HAVE_CONN_STATES), LISTEN alone
 * the listeners, no LISTEN row nothing complete (the note asks for
 * `ss -ta -D`). Per-listener drops (HAVE_LISTEN_DROPS) when every
 * listener carries skmem (-m). A second socket table in the same sample
 * is not read (it would count every socket twice).
 */
#include "import_dump.h"

#include <stdio.h>
#include <string.h>

#include "../util/fmt.h"
#include "dumpfile.h"
#include "sock_text.h"

#define DUMP_NLMSG_MIN 16u              /* sizeof(struct nlmsghdr) */
#define DUMP_DIAG_MSG_MIN 72u           /* sizeof(struct inet_diag_msg) */
#define DUMP_SOCK_DIAG_BY_FAMILY 20u
#define DUMP_NLM_F_MULTI 0x2u
#define DUMP_MSG_MAX (1u << 20)

static uint32_t le32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);             /* host order, as the recording was written */
	return v;
}

bool import_dump_shaped(const uint8_t *b, size_t n)
{
	uint32_t len;
	uint16_t type, flags;

	if (n < DUMP_NLMSG_MIN)
		return false;
	len = le32(b);
	memcpy(&type, b + 4, 2);
	memcpy(&flags, b + 6, 2);
	return type == DUMP_SOCK_DIAG_BY_FAMILY && (flags & DUMP_NLM_F_MULTI) &&
	       len >= DUMP_NLMSG_MIN + DUMP_DIAG_MSG_MIN && len <= DUMP_MSG_MAX && len % 4 == 0;
}

struct dump_ctx {
	struct sock_text k;
	uint64_t n;
};

static int dump_sock(const struct sock_rec *r, void *vctx)
{
	struct dump_ctx *c = vctx;
	struct ss_extra x = { .sk = true, .ino = true };
	struct sock_rec copy = *r;

	c->n++;
	sock_text_tcp(&c->k, &copy, &x);
	return SOCK_CB_OK;
}

static struct capture_read *dump_record(struct capture_list *cl, const char *name)
{
	struct capture_read *c;

	if (cl->n == CAPTURE_READ_MAX) {
		cl->dropped++;
		return NULL;
	}
	c = &cl->r[cl->n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->file, sizeof(c->file), "%s", name);
	c->line = 1;
	return c;
}

/* Replay into b; the entry says how it went. */
static void dump_replay(FILE *fp, const char *name, struct sample_builder *b, uint32_t *prior,
			struct capture_read *c, int *used)
{
	struct sock_cover cov = { .port_only = -1 };   /* read by its rows */
	struct strbuf err = STRBUF_INIT;
	struct dump_ctx ctx;
	char a[32];

	sock_text_init(&ctx.k, b, *prior);
	ctx.n = 0;
	if (dumpfile_replay_stream(fp, name, NULL, dump_sock, &ctx, &err) < 0) {
		/* checked whole before any record: the sample is untouched */
		c->status = CAPTURE_ERROR;
		snprintf(c->note, sizeof(c->note), "%s", err.buf ? err.buf : "not a whole recording");
		strbuf_release(&err);
		return;
	}
	strbuf_release(&err);
	c->have = sock_text_end(&ctx.k, &cov, false);
	c->rows = ctx.n;
	c->status = CAPTURE_USED;
	snprintf(c->what, sizeof(c->what), "sock_diag dump (ss -D): TCP socket table, %s sockets",
		 fmt_thousands(a, ctx.n));
	if (!ctx.k.listen_seen)
		snprintf(c->note, sizeof(c->note), "no LISTEN socket in it (recorded without -a?): "
			 "not taken as a whole table; record with ss -tam -D FILE");
	else if (!(c->have & HAVE_LISTEN_DROPS))
		snprintf(c->note, sizeof(c->note), "recorded without skmem (-m): no per-listener drops");
	*prior |= c->have;
	(*used)++;
}

int import_dump(FILE *fp, const char *name, struct sample_builder *b, struct capture_list *cl,
		uint32_t *prior, int *used)
{
	uint8_t head[DUMP_NLMSG_MIN];
	size_t n = fread(head, 1, sizeof(head), fp);
	struct capture_read *c;

	if (fseek(fp, 0, SEEK_SET) || !import_dump_shaped(head, n))
		return 0;
	c = dump_record(cl, name);
	if (!c)
		return 1;
	if (*prior & (HAVE_SOCKETS | HAVE_CONN_STATES)) {
		c->status = CAPTURE_REPEAT;
		snprintf(c->what, sizeof(c->what), "sock_diag dump (ss -D)");
		snprintf(c->note, sizeof(c->note), "a socket table was already read: not read twice");
		return 1;
	}
	dump_replay(fp, name, b, prior, c, used);
	return 1;
}
