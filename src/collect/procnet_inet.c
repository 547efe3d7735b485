// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /proc/net/raw (and tcp, udp: the same layout), one socket per line
 * after a header:
 *
 *   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
 *    1: 00000000:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 123456 2 0000000000000000 0
 *
 * Addresses are the kernel's 32-bit words printed with %08X in host byte
 * order (so 127.0.0.1 reads 0100007F on little-endian); raw6 has four
 * such words. For RAW sockets the "port" is the IP protocol. st is the
 * TCP state number in hex (07 = CLOSE, shown UNCONN). tx_queue:rx_queue
 * are Send-Q:Recv-Q. pointer is the (hashed) kernel address, which ss
 * prints as sk: in this mode. Fields after inode vary by table and are
 * not needed.
 */
#include "procnet_inet.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "procnet_mib.h"

#define PROCNET_FILE_MAX (256u << 20)

struct cur {
	const char *p, *start, *end;
};

static void skip_blanks(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Exactly n hex digits (n <= 16). */
static int hex_n(struct cur *c, size_t n, uint64_t *v)
{
	uint64_t x = 0;

	if ((size_t)(c->end - c->p) < n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int h = hexval(c->p[i]);

		if (h < 0)
			return -1;
		x = x << 4 | (uint64_t)h;
	}
	c->p += n;
	*v = x;
	return 0;
}

/* One or more hex digits (at most 16). */
static int hex_any(struct cur *c, uint64_t *v)
{
	size_t n = 0;

	while (c->p + n < c->end && n < 17 && hexval(c->p[n]) >= 0)
		n++;
	if (!n || n > 16)
		return -1;
	return hex_n(c, n, v);
}

static int dec_u64(struct cur *c, uint64_t *v)
{
	uint64_t x = 0;
	const char *s = c->p;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		uint64_t d = (uint64_t)(*c->p - '0');

		if (x > (UINT64_MAX - d) / 10)
			return -1;       /* overflow: refused, never wrapped */
		x = x * 10 + d;
		c->p++;
	}
	if (c->p == s)
		return -1;
	*v = x;
	return 0;
}

static int expect(struct cur *c, char ch)
{
	if (c->p >= c->end || *c->p != ch)
		return -1;
	c->p++;
	return 0;
}

/* "HEX:PORT" with 1 (v4) or 4 (v6) host-order 32-bit words. */
static int addr_port(struct cur *c, int family, uint8_t addr[16], uint16_t *port)
{
	unsigned words = family == AF_INET6 ? 4 : 1;
	uint64_t w, p;

	memset(addr, 0, 16);
	for (unsigned i = 0; i < words; i++) {
		uint32_t x;

		if (hex_n(c, 8, &w))
			return -1;
		x = (uint32_t)w;
		/* The word was printed from memory as a native u32. */
		memcpy(addr + 4 * i, &x, 4);
	}
	if (expect(c, ':') || hex_n(c, 4, &p))
		return -1;
	*port = (uint16_t)p;
	return 0;
}

int procnet_inet_parse_line(const char *line, size_t len, int family,
			    struct sock_rec *r, const char *fname, unsigned lineno,
			    struct strbuf *err)
{
	struct cur c = { line, line, line + len };
	uint64_t st, tx, rx, v, uid, inode, ptr;

	memset(r, 0, sizeof(*r));
	r->family = (uint8_t)family;
	skip_blanks(&c);
	if (dec_u64(&c, &v) || expect(&c, ':'))
		goto bad;
	skip_blanks(&c);
	if (addr_port(&c, family, r->saddr, &r->sport))
		goto bad;
	skip_blanks(&c);
	if (addr_port(&c, family, r->daddr, &r->dport))
		goto bad;
	skip_blanks(&c);
	if (hex_n(&c, 2, &st) || st >= SS_STATE_MAX)
		goto bad;
	skip_blanks(&c);
	if (hex_n(&c, 8, &tx) || expect(&c, ':') || hex_n(&c, 8, &rx))
		goto bad;
	skip_blanks(&c);
	/* tr:tm->when retrnsmt */
	if (hex_any(&c, &v) || expect(&c, ':') || hex_any(&c, &v))
		goto bad;
	skip_blanks(&c);
	if (hex_any(&c, &v))
		goto bad;
	skip_blanks(&c);
	if (dec_u64(&c, &uid) || uid > UINT32_MAX)
		goto bad;
	skip_blanks(&c);
	if (dec_u64(&c, &v))        /* timeout */
		goto bad;
	skip_blanks(&c);
	if (dec_u64(&c, &inode) || inode > UINT32_MAX)
		goto bad;
	skip_blanks(&c);
	if (dec_u64(&c, &v))        /* ref */
		goto bad;
	skip_blanks(&c);
	if (hex_any(&c, &ptr))
		goto bad;
	r->state = (uint8_t)st;
	r->wqueue = (uint32_t)tx;
	r->rqueue = (uint32_t)rx;
	r->uid = (uint32_t)uid;
	r->inode = (uint32_t)inode;
	r->cookie = ptr;
	return 0;
bad:
	return error_set(err, "%s:%u:%zu: not a /proc/net socket line", fname, lineno,
			 (size_t)(c.p - c.start) + 1);
}

int procnet_raw_read(const char *proc_root, unsigned families, uint32_t states,
		     sock_cb cb, void *ctx, struct strbuf *err)
{
	static const struct {
		const char *file;
		int family;
		unsigned bit;
	} files[] = {
		{ "net/raw", AF_INET, DIAG_FAM_INET },
		{ "net/raw6", AF_INET6, DIAG_FAM_INET6 },
	};
	struct strbuf sb = STRBUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < 2 && !rc; i++) {
		const char *pos, *end;
		char path[4096];
		unsigned lineno = 0;

		if (!(families & files[i].bit))
			continue;
		snprintf(path, sizeof(path), "%s/%s", proc_root ? proc_root : "/proc",
			 files[i].file);
		if (procnet_slurp(&sb, path, PROCNET_FILE_MAX, err)) {
			/* No IPv6: no raw6. ss says nothing then either. */
			if (files[i].family == AF_INET6) {
				strbuf_reset(err);
				continue;
			}
			rc = -1;
			break;
		}
		pos = sb.buf;
		end = sb.buf + sb.len;
		while (pos < end && !rc) {
			const char *nl = memchr(pos, '\n', (size_t)(end - pos));
			size_t len = (size_t)((nl ? nl : end) - pos);
			struct sock_rec r;

			lineno++;
			if (lineno > 1 && len) {
				rc = procnet_inet_parse_line(pos, len, files[i].family, &r, path,
							     lineno, err);
				if (!rc && r.state < 32 && (states & (1u << r.state))) {
					r.table = TBL_RAW;
					r.netid = NETID_RAW;
					r.protocol = (uint8_t)r.sport;
					r.from_proc = true;
					rc = cb(&r, ctx);
					/* SOCK_CB_*: ERROR fails, STOP ends the read (1). */
					rc = rc < SOCK_CB_STOP ? -1 : rc == SOCK_CB_STOP;
				}
			}
			pos = nl ? nl + 1 : end;
		}
	}
	strbuf_release(&sb);
	return rc;
}
