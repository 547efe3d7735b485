// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /proc/net/sockstat, sockstat6 and snmp, as a 6.x kernel writes them:
 *
 *   sockets: used 14
 *   TCP: inuse 1 orphan 1 tw 0 alloc 314286 mem 110
 *   UDP: inuse 0 mem 0
 *   UDPLITE: inuse 0
 *   RAW: inuse 0
 *   FRAG: inuse 0 memory 0
 *
 *   TCP6: inuse 0          (sockstat6; UDP6, UDPLITE6, RAW6, FRAG6 alike)
 *
 *   Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ... CurrEstab InSegs ...
 *   Tcp: 1 200 120000 -1 ... 0 681 ...
 *
 * sockstat lines are a label and name/value pairs; snmp comes in line
 * pairs, names then values, under the same label. ss reads these with
 * sscanf and takes whatever it finds; we check the shape and say where
 * it breaks, so a truncated or foreign file is not summarised as zeros.
 */
#include "sockstat.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define SOCKSTAT_FILE_MAX (1u << 20)   /* snmp is ~1.5 KiB today */

struct field {
	const char *label;
	const char *name;
	size_t off;
};

#define F(l, n, m) { l, n, offsetof(struct sockstat_counts, m) }
static const struct field fields[] = {
	F("sockets", "used", sockets_used),
	F("TCP", "inuse", tcp_inuse),
	F("TCP", "orphan", tcp_orphan),
	F("TCP", "tw", tcp_tw),
	F("TCP", "alloc", tcp_alloc),
	F("TCP", "mem", tcp_mem),
	F("UDP", "inuse", udp_inuse),
	F("UDP", "mem", udp_mem),
	F("UDPLITE", "inuse", udplite_inuse),
	F("RAW", "inuse", raw_inuse),
	F("FRAG", "inuse", frag_inuse),
	F("FRAG", "memory", frag_memory),
	F("TCP6", "inuse", tcp6_inuse),
	F("UDP6", "inuse", udp6_inuse),
	F("UDPLITE6", "inuse", udplite6_inuse),
	F("RAW6", "inuse", raw6_inuse),
	F("FRAG6", "inuse", frag6_inuse),
	F("FRAG6", "memory", frag6_memory),
	F("Tcp", "CurrEstab", tcp_curr_estab),
};
#undef F

/* A cursor over one line, for error positions. */
struct cur {
	const char *path;
	const char *buf;        /* the whole file */
	const char *line;       /* start of the current line, NULL before */
	const char *p;
	const char *end;        /* end of the line (at '\n' or EOF) */
	unsigned lineno;
	bool colon_pos;         /* messages as "FILE:LINE:COL: what" (imports) */
};

static int cur_error(const struct cur *c, const char *what, struct strbuf *err)
{
	unsigned col = (unsigned)(c->p - c->line) + 1;

	if (c->colon_pos)
		return error_set(err, "%s:%u:%u: %s", c->path, c->lineno, col, what);
	return error_set(err, "'%s': line %u, column %u: %s", c->path,
			 c->lineno, col, what);
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static void skip_blanks(struct cur *c)
{
	while (c->p < c->end && is_blank(*c->p))
		c->p++;
}

/* A run of non-blank bytes; *len 0 at end of line. */
static const char *word(struct cur *c, size_t *len)
{
	const char *s = c->p;

	while (c->p < c->end && !is_blank(*c->p))
		c->p++;
	*len = (size_t)(c->p - s);
	return s;
}

static int number(struct cur *c, int64_t *v, struct strbuf *err)
{
	const char *start = c->p;
	bool neg = false;
	uint64_t u = 0;

	if (c->p < c->end && *c->p == '-') {
		neg = true;
		c->p++;
	}
	if (c->p >= c->end || *c->p < '0' || *c->p > '9') {
		c->p = start;
		return cur_error(c, "expected a number", err);
	}
	for (; c->p < c->end && *c->p >= '0' && *c->p <= '9'; c->p++) {
		uint64_t d = (uint64_t)(*c->p - '0');

		/* Checked before the multiply, which could wrap past 2^64. */
		if (u > ((uint64_t)INT64_MAX - d) / 10) {
			c->p = start;
			return cur_error(c, "number out of range", err);
		}
		u = u * 10 + d;
	}
	if (c->p < c->end && !is_blank(*c->p))
		return cur_error(c, "expected a blank after the number", err);
	*v = neg ? -(int64_t)u : (int64_t)u;
	return 0;
}

static struct counter *lookup(struct sockstat_counts *out, const char *label,
			      size_t llen, const char *name, size_t nlen)
{
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const struct field *f = &fields[i];

		if (strlen(f->label) == llen && !memcmp(f->label, label, llen) &&
		    strlen(f->name) == nlen && !memcmp(f->name, name, nlen))
			return (struct counter *)(void *)((char *)out + f->off);
	}
	return NULL;
}

/* "LABEL:" at the start of the line; returns its length without ':'. */
static int label(struct cur *c, const char **l, size_t *len, struct strbuf *err)
{
	const char *s = c->p;

	while (c->p < c->end && *c->p != ':' && !is_blank(*c->p))
		c->p++;
	if (c->p == s || c->p >= c->end || *c->p != ':')
		return cur_error(c, "expected 'LABEL:'", err);
	*l = s;
	*len = (size_t)(c->p - s);
	c->p++;
	return 0;
}

static bool next_line(struct cur *c, const char *buf_end)
{
	if (!c->line) {
		c->line = c->buf;
	} else {
		if (c->end >= buf_end)
			return false;
		c->line = c->end + 1;
	}
	if (c->line >= buf_end)
		return false;
	c->p = c->line;
	c->end = memchr(c->line, '\n', (size_t)(buf_end - c->line));
	if (!c->end)
		c->end = buf_end;
	c->lineno++;
	return true;
}

/* One "LABEL: name value [name value]..." line at c. */
static int sockstat_line(struct sockstat_counts *out, struct cur *c, struct strbuf *err)
{
	const char *l, *n;
	size_t llen, nlen;
	int pairs = 0;

	if (label(c, &l, &llen, err))
		return -1;
	for (;;) {
		struct counter *ct;
		int64_t v;

		skip_blanks(c);
		if (c->p >= c->end)
			break;
		n = word(c, &nlen);
		skip_blanks(c);
		if (number(c, &v, err))
			return -1;
		ct = lookup(out, l, llen, n, nlen);
		if (ct) {
			ct->present = true;
			ct->v = v;
		}
		pairs++;
	}
	if (!pairs)
		return cur_error(c, "expected 'name value' after the label", err);
	return 0;
}

static int parse_sockstat(struct sockstat_counts *out, struct cur *c,
			  const char *buf_end, struct strbuf *err)
{
	while (next_line(c, buf_end)) {
		if (c->p == c->end && c->end == buf_end)
			break;  /* the final newline */
		if (sockstat_line(out, c, err))
			return -1;
	}
	return 0;
}

int sockstat_parse_line(struct sockstat_counts *out, const char *line, size_t len,
			const char *file, unsigned lineno, struct strbuf *err)
{
	struct cur c = {
		.path = file, .buf = line, .line = line, .p = line, .end = line + len,
		.lineno = lineno, .colon_pos = true,
	};

	return sockstat_line(out, &c, err);
}

/* Header and value lines in pairs: "Tcp: A B C" then "Tcp: 1 2 3". */
static int parse_snmp(struct sockstat_counts *out, struct cur *c,
		      const char *buf_end, struct strbuf *err)
{
	while (next_line(c, buf_end)) {
		struct cur h;
		const char *hl, *vl;
		size_t hlen, vlen;

		if (c->p == c->end && c->end == buf_end)
			break;
		if (label(c, &hl, &hlen, err))
			return -1;
		h = *c;
		if (!next_line(c, buf_end) || (c->p == c->end && c->end == buf_end))
			return cur_error(c, "expected the value line", err);
		if (label(c, &vl, &vlen, err))
			return -1;
		if (vlen != hlen || memcmp(vl, hl, hlen) != 0) {
			c->p = c->line;
			return cur_error(c, "value line label differs from the header's",
					 err);
		}
		for (;;) {
			struct counter *ct;
			const char *n;
			size_t nlen;
			int64_t v;

			skip_blanks(&h);
			skip_blanks(c);
			if (h.p >= h.end && c->p >= c->end)
				break;
			if (h.p >= h.end)
				return cur_error(c, "more values than names", err);
			if (c->p >= c->end)
				return cur_error(c, "fewer values than names", err);
			n = word(&h, &nlen);
			if (number(c, &v, err))
				return -1;
			ct = lookup(out, hl, hlen, n, nlen);
			if (ct) {
				ct->present = true;
				ct->v = v;
			}
		}
	}
	return 0;
}

/* Reads PROC_ROOT/net/NAME whole; 1 when it does not exist. */
static int slurp(const char *proc_root, const char *name, struct strbuf *path,
		 struct strbuf *buf, struct strbuf *err)
{
	char chunk[4096];
	size_t n;
	FILE *fp;
	int ret = 0;

	strbuf_reset(path);
	strbuf_reset(buf);
	if (strbuf_addf(path, "%s/net/%s", proc_root, name))
		return error_set(err, "proc root path too long");
	fp = fopen(path->buf, "re");
	if (!fp) {
		if (errno == ENOENT)
			return 1;
		return error_set(err, "cannot open '%s': %s", path->buf,
				 strerror(errno));
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (strbuf_add(buf, chunk, n)) {
			ret = error_set(err, "'%s' is larger than %u bytes",
					path->buf, SOCKSTAT_FILE_MAX);
			goto out;
		}
	}
	if (ferror(fp))
		ret = error_set(err, "cannot read '%s': %s", path->buf,
				strerror(errno));
out:
	fclose(fp);
	return ret;
}

int sockstat_read(struct sockstat_counts *out, const char *proc_root,
		  struct strbuf *err)
{
	static const char *const files[] = { "sockstat", "sockstat6", "snmp" };
	struct strbuf path = STRBUF_INIT, buf;
	size_t i;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	strbuf_init(&buf, SOCKSTAT_FILE_MAX);
	for (i = 0; i < 3; i++) {
		struct cur c = { 0 };
		int r = slurp(proc_root, files[i], &path, &buf, err);

		if (r < 0)
			goto out;
		if (r > 0)
			continue;
		c.path = path.buf;
		c.buf = buf.buf;
		if (i < 2)
			r = parse_sockstat(out, &c, buf.buf + buf.len, err);
		else
			r = parse_snmp(out, &c, buf.buf + buf.len, err);
		if (r)
			goto out;
		if (i == 0)
			out->has_sockstat = true;
		else if (i == 1)
			out->has_sockstat6 = true;
		else
			out->has_snmp = true;
	}
	ret = 0;
out:
	strbuf_release(&path);
	strbuf_release(&buf);
	return ret;
}
