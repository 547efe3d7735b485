// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The dump-file importer: a recorded sock_diag TCP dump, replayed.
 *
 * FILE FORMAT. What `ss -D FILE` (and `sockvet ss -D`) writes: the bytes
 * of every recvmsg() of a NETLINK_SOCK_DIAG TCP dump, as received, with
 * no header of its own. So the file is a stream of netlink messages, each
 * padded to 4 bytes (all little-endian on the hosts we know of; the file
 * has the byte order of the host that recorded it):
 *
 *   nlmsghdr  len u32 | type u16 | flags u16 | seq u32 | pid u32
 *   payload   len - 16 bytes
 *
 * type 20 (SOCK_DIAG_BY_FAMILY) carries one socket as a struct
 * inet_diag_msg (72 bytes) and its attributes; type 3 (NLMSG_DONE) ends
 * one family's dump, so a v4+v6 recording holds two DONE messages; type 2
 * (NLMSG_ERROR) is a kernel error. ss writes seq 123456 (its MAGIC_SEQ).
 * The first socket of tests/data/tcp_v4v6_plain.dump, a listener on
 * 127.0.0.1:8080, begins:
 *
 *   7c000000 1400 0200 40e20100 f0290000    len 124, type 20, MULTI, seq 123456
 *   02 0a 00 00 1f90 0000 7f000001 ...       AF_INET, LISTEN, sport 8080, src 127.0.0.1
 *   ... f9ac0000 00000000 ...                cookie 0xacf9
 *   ... 05000000 ... d33b1000                Send-Q (backlog) 5, inode 1063891
 *   0500 0800 00 ...                         attribute SHUTDOWN (8), 1 byte
 *
 * The decoding of a message is sockdiag_decode.c's (the same code a live
 * dump runs through); this file reads the file in chunks, hands the
 * decoder whole messages only, and applies the state and family filter
 * the kernel would have applied to a live request. A message may span
 * chunks; none may exceed DUMPFILE_MSG_MAX, so a corrupt length cannot
 * make us allocate without bound.
 */
#include "dumpfile.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>

/* Read this much at a time; no message may exceed DUMPFILE_MSG_MAX. */
#define DUMPFILE_CHUNK (64u << 10)
#define DUMPFILE_MSG_MAX (1u << 20)

struct replay_filter {
	struct dumpfile_filter f;
	sock_cb cb;
	void *ctx;
};

static int filter_cb(const struct sock_rec *s, void *arg)
{
	const struct replay_filter *rf = arg;
	unsigned fam = rf->f.families;

	if (rf->f.states && s->state < 32 && !(rf->f.states & (1u << s->state)))
		return SOCK_CB_OK;
	if (fam && s->family == AF_INET && !(fam & DIAG_FAM_INET))
		return SOCK_CB_OK;
	if (fam && s->family == AF_INET6 && !(fam & DIAG_FAM_INET6))
		return SOCK_CB_OK;
	return rf->cb(s, rf->ctx);
}

/*
 * Length of the complete messages at the start of buf[0..have), checking
 * each header as it goes. *need is set to how many bytes the next,
 * incomplete message wants.
 */
static int complete_len(const uint8_t *buf, size_t have, size_t base,
			bool eof, const char *path, size_t *done,
			size_t *need, struct strbuf *err)
{
	struct nlmsghdr h;
	size_t off = 0;

	*need = 0;
	while (have - off >= sizeof(h)) {
		memcpy(&h, buf + off, sizeof(h));
		if (h.nlmsg_len < sizeof(h))
			return error_set(err, "%s: bad netlink message length %u at byte %zu",
					 path, h.nlmsg_len, base + off);
		if (h.nlmsg_len > DUMPFILE_MSG_MAX)
			return error_set(err, "%s: netlink message of %u bytes at byte %zu is larger than %u",
					 path, h.nlmsg_len, base + off,
					 DUMPFILE_MSG_MAX);
		if (h.nlmsg_len > have - off ||
		    (!eof && NLMSG_ALIGN(h.nlmsg_len) > have - off)) {
			*need = NLMSG_ALIGN(h.nlmsg_len);
			break;
		}
		off += NLMSG_ALIGN(h.nlmsg_len) > have - off ?
		       have - off : NLMSG_ALIGN(h.nlmsg_len);
	}
	if (!*need && have - off)
		*need = sizeof(h);
	*done = off;
	return 0;
}

/* Fill buf[have..cap) from fp; sets *eof at the end of the file. */
static int fill(FILE *fp, const char *path, uint8_t *buf, size_t cap,
		size_t *have, bool *eof, struct strbuf *err)
{
	size_t n = fread(buf + *have, 1, cap - *have, fp);

	if (n < cap - *have) {
		if (ferror(fp))
			return error_set(err, "cannot read '%s': %s", path, strerror(errno));
		*eof = true;
	}
	*have += n;
	return 0;
}

/*
 * What a replay checks before it hands the caller any record: a message
 * type a TCP dump holds, an AF_INET/AF_INET6 socket, and a file that ends
 * with NLMSG_DONE. last is the type of the last message seen.
 */
struct whole_check {
	const char *path;
	uint16_t last;
	size_t msgs;
};

static int check_msgs(struct whole_check *w, const uint8_t *buf, size_t len,
		      size_t base, struct strbuf *err)
{
	struct nlmsghdr h;
	size_t off = 0, adv;
	uint8_t fam;

	while (len - off >= sizeof(h)) {
		memcpy(&h, buf + off, sizeof(h));
		switch (h.nlmsg_type) {
		case SOCK_DIAG_BY_FAMILY:
			fam = h.nlmsg_len > sizeof(h) ? buf[off + sizeof(h)] : 0;
			if (fam != AF_INET && fam != AF_INET6)
				return error_set(err, "%s: socket of family %u at byte %zu is not TCP over IPv4 or IPv6",
						 w->path, fam, base + off + sizeof(h));
			break;
		case NLMSG_DONE:
		case NLMSG_ERROR:
			break;
		default:
			return error_set(err, "%s: unknown netlink message type %u at byte %zu",
					 w->path, h.nlmsg_type, base + off);
		}
		w->last = h.nlmsg_type;
		w->msgs++;
		adv = NLMSG_ALIGN(h.nlmsg_len);
		off = adv > len - off ? len : off + adv;
	}
	return 0;
}

/*
 * One pass over the file: with check set, decode without a callback and
 * check every message (and copy what is read to spool if not NULL); else
 * replay through d's callback. Memory is one chunk (or one message).
 */
static int replay_pass(FILE *fp, struct diag_decoder *d, struct whole_check *check,
		       FILE *spool, struct strbuf *err)
{
	const char *path = d->what;
	uint8_t *buf, *nb;
	size_t cap = DUMPFILE_CHUNK, have = 0, base = 0, done = 0, need = 0, old;
	size_t len0 = err ? err->len : 0;
	bool eof = false;
	int r, ret = -1;

	buf = malloc(cap);
	if (!buf)
		return error_set(err, "%s: out of memory", path);
	while (!eof || have) {
		old = have;
		if (!eof && fill(fp, path, buf, cap, &have, &eof, err))
			goto out;
		if (spool && fwrite(buf + old, 1, have - old, spool) != have - old) {
			error_set(err, "%s: cannot keep a copy of the input: %s", path, strerror(errno));
			goto out;
		}
		if (complete_len(buf, have, base, eof, path, &done, &need, err))
			goto out;
		if (check && check_msgs(check, buf, done, base, err))
			goto out;
		r = done ? sockdiag_decode_buf(d, buf, done, base, err) : DIAG_DECODE_MORE;
		if (r < 0) {
			if (d->cb_failed)
				sockdiag_cb_failed(d, len0, err);
			goto out;
		}
		if (r == DIAG_DECODE_STOP)
			break;
		memmove(buf, buf + done, have - done);
		have -= done;
		base += done;
		if (!have && eof)
			break;
		if (eof) {
			error_set(err, "%s: truncated netlink message at byte %zu",
				  path, base);
			goto out;
		}
		if (need > cap) {
			nb = realloc(buf, need);
			if (!nb) {
				error_set(err, "%s: out of memory", path);
				goto out;
			}
			buf = nb;
			cap = need;
		}
	}
	if (check && !check->msgs)
		error_set(err, "%s: empty recording at byte 0: no netlink message", path);
	else if (check && check->last != NLMSG_DONE)
		error_set(err, "%s: the recording ends at byte %zu without NLMSG_DONE (cut short?)",
			  path, base);
	else
		ret = 0;
out:
	free(buf);
	return ret;
}

/*
 * A replay is whole or an error: a first pass checks every message and
 * decodes it with no callback, and only then a second pass from the start
 * hands records to cb. Two passes keep memory at one chunk however big
 * the file; a stream that cannot seek (stdin) is copied to a temporary
 * file during the first pass.
 */
int dumpfile_replay_stream(FILE *fp, const char *path,
			   const struct dumpfile_filter *filter,
			   sock_cb cb, void *ctx, struct strbuf *err)
{
	struct replay_filter rf = { { 0, 0 }, cb, ctx };
	struct whole_check w = { path, 0, 0 };
	struct diag_decoder d;
	FILE *spool = NULL, *in = fp;
	long start = ftell(fp);
	int ret = -1;

	if (filter)
		rf.f = *filter;
	if (start < 0) {
		spool = tmpfile();
		if (!spool)
			return error_set(err, "%s: cannot keep a copy of the input: %s",
					 path, strerror(errno));
	}
	memset(&d, 0, sizeof(d));
	d.table = TBL_TCP;
	d.what = path;
	if (replay_pass(fp, &d, &w, spool, err))
		goto out;
	if (spool)
		in = spool;
	if ((spool && fflush(spool)) || fseek(in, spool ? 0 : start, SEEK_SET)) {
		error_set(err, "cannot read '%s' again: %s", path, strerror(errno));
		goto out;
	}
	memset(&d, 0, sizeof(d));
	d.table = TBL_TCP;
	d.cb = filter_cb;
	d.ctx = &rf;
	d.what = path;
	ret = replay_pass(in, &d, NULL, NULL, err);
out:
	if (spool)
		fclose(spool);
	return ret;
}

int dumpfile_replay(const char *path, const struct dumpfile_filter *filter,
		    sock_cb cb, void *ctx, struct strbuf *err)
{
	FILE *fp;
	int ret;

	if (!strcmp(path, "-"))
		return dumpfile_replay_stream(stdin, "stdin", filter, cb, ctx, err);
	fp = fopen(path, "rb");
	if (!fp)
		return error_set(err, "cannot open '%s': %s", path, strerror(errno));
	ret = dumpfile_replay_stream(fp, path, filter, cb, ctx, err);
	fclose(fp);
	return ret;
}
