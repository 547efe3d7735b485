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

int dumpfile_replay_stream(FILE *fp, const char *path,
			   const struct dumpfile_filter *filter,
			   sock_cb cb, void *ctx, struct strbuf *err)
{
	struct replay_filter rf = { { 0, 0 }, cb, ctx };
	struct diag_decoder d;
	uint8_t *buf, *nb;
	size_t cap = DUMPFILE_CHUNK, have = 0, base = 0, done = 0, need = 0;
	size_t len0 = err ? err->len : 0;
	bool eof = false;
	int r, ret = -1;

	if (filter)
		rf.f = *filter;
	buf = malloc(cap);
	if (!buf)
		return error_set(err, "%s: out of memory", path);
	memset(&d, 0, sizeof(d));
	d.table = TBL_TCP;
	d.cb = filter_cb;
	d.ctx = &rf;
	d.what = path;
	while (!eof || have) {
		if (!eof && fill(fp, path, buf, cap, &have, &eof, err))
			goto out;
		if (complete_len(buf, have, base, eof, path, &done, &need, err))
			goto out;
		r = done ? sockdiag_decode_buf(&d, buf, done, base, err) : DIAG_DECODE_MORE;
		if (r < 0) {
			if (d.cb_failed)
				sockdiag_cb_failed(&d, len0, err);
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
	ret = 0;
out:
	free(buf);
	return ret;
}

int dumpfile_replay(const char *path, const struct dumpfile_filter *filter,
		    sock_cb cb, void *ctx, struct strbuf *err)
{
	FILE *fp = fopen(path, "rb");
	int ret;

	if (!fp)
		return error_set(err, "cannot open '%s': %s", path, strerror(errno));
	ret = dumpfile_replay_stream(fp, path, filter, cb, ctx, err);
	fclose(fp);
	return ret;
}
