// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's MIB counter files, two layouts.
 *
 * /proc/net/netstat and /proc/net/snmp come in line pairs: a header line
 * naming the counters of a group, then a value line with the same prefix
 * and as many numbers:
 *
 *   TcpExt: SyncookiesSent SyncookiesRecv ... ListenOverflows ListenDrops ...
 *   TcpExt: 0 0 ... 12 12 ...
 *   Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens ...
 *   Tcp: 1 200 120000 -1 104 ...
 *
 * Fields are separated by one space; groups seen on 6.18: TcpExt, IpExt,
 * MPTcpExt (netstat); Ip, Icmp, IcmpMsg, Tcp, Udp, UdpLite (snmp). The
 * nstat name is the prefix without its colon followed by the field name
 * (TcpExtListenOverflows, TcpMaxConn). Tcp MaxConn is the one signed
 * value (-1).
 *
 * /proc/net/snmp6 is one counter per line, name then blanks then value:
 *
 *   Ip6InReceives                   	4
 *
 * Anything else (a value line whose prefix differs from its header, a
 * count mismatch, a non-number) is an error naming file, line, column.
 */
#include "procnet_mib.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MIB_FILE_MAX (1u << 20)

int procnet_slurp(struct strbuf *sb, const char *path, size_t max, struct strbuf *err)
{
	char buf[8192];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return error_set(err, "cannot open '%s': %s", path, strerror(errno));
	strbuf_reset(sb);
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = error_set(err, "cannot read '%s': %s", path, strerror(errno));
			break;
		}
		if (sb->len + (size_t)n > max || strbuf_add(sb, buf, (size_t)n)) {
			rc = error_set(err, "'%s' is larger than %zu bytes", path, max);
			break;
		}
	}
	close(fd);
	return rc;
}

struct line {
	const char *p;
	size_t len;
	unsigned no;
};

static bool next_line(const char **pos, const char *end, struct line *l)
{
	const char *s = *pos, *nl;

	if (s >= end)
		return false;
	nl = memchr(s, '\n', (size_t)(end - s));
	l->p = s;
	l->len = (size_t)((nl ? nl : end) - s);
	l->no++;
	*pos = nl ? nl + 1 : end;
	return true;
}

static int parse_number(const char *p, size_t len, uint64_t *v)
{
	bool neg = false;
	uint64_t x = 0;
	size_t i = 0;

	if (len && p[0] == '-') {
		neg = true;
		i = 1;
	}
	if (i == len)
		return -1;
	for (; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		if (x > (UINT64_MAX - (uint64_t)(p[i] - '0')) / 10)
			return -1;
		x = x * 10 + (uint64_t)(p[i] - '0');
	}
	*v = neg ? (uint64_t)(-(int64_t)x) : x;
	return 0;
}

/* The "Prefix:" of a line: its length up to and excluding the colon. */
static size_t prefix_len(const struct line *l)
{
	const char *c = memchr(l->p, ':', l->len);

	return c ? (size_t)(c - l->p) : 0;
}

int mib_parse_pairs(struct mib *m, const char *buf, size_t len,
		    const char *fname, struct strbuf *err)
{
	return mib_parse_pairs_at(m, buf, len, fname, 1, err);
}

int mib_parse_pairs_at(struct mib *m, const char *buf, size_t len,
		       const char *fname, unsigned first_line, struct strbuf *err)
{
	const char *pos = buf, *end = buf + len;
	struct line h = { .no = first_line - 1 }, v;

	while (next_line(&pos, end, &h)) {
		size_t plen, hi, vi;

		if (!h.len)
			continue;
		plen = prefix_len(&h);
		if (!plen || plen + 1 >= h.len || h.p[plen + 1] != ' ')
			return error_set(err, "%s:%u:1: expected 'Group: Name Name ...'", fname, h.no);
		v = h;
		if (!next_line(&pos, end, &v))
			return error_set(err, "%s:%u:1: header line without its value line", fname, h.no);
		if (prefix_len(&v) != plen || memcmp(v.p, h.p, plen))
			return error_set(err, "%s:%u:1: value line does not start with '%.*s:'",
					 fname, v.no, (int)plen, h.p);
		hi = plen + 2;
		vi = plen + 2;
		while (hi < h.len) {
			size_t hs = hi, vs = vi;
			char name[MIB_NAME_MAX];
			uint64_t val;

			while (hi < h.len && h.p[hi] != ' ')
				hi++;
			if (vi >= v.len)
				return error_set(err, "%s:%u:%zu: fewer values than names in '%.*s'",
						 fname, v.no, vi + 1, (int)plen, h.p);
			while (vi < v.len && v.p[vi] != ' ')
				vi++;
			if (parse_number(v.p + vs, vi - vs, &val))
				return error_set(err, "%s:%u:%zu: '%.*s' is not a number",
						 fname, v.no, vs + 1, (int)(vi - vs), v.p + vs);
			if (plen + (hi - hs) >= sizeof(name))
				return error_set(err, "%s:%u:%zu: counter name too long", fname, h.no, hs + 1);
			memcpy(name, h.p, plen);
			memcpy(name + plen, h.p + hs, hi - hs);
			if (mib_set(m, name, plen + (hi - hs), val))
				return error_set(err, "%s:%u:%zu: more than %d counters", fname, h.no,
						 hs + 1, MIB_MAX);
			/* One space separates fields; the kernel ends lines with one too. */
			while (hi < h.len && h.p[hi] == ' ')
				hi++;
			while (vi < v.len && v.p[vi] == ' ')
				vi++;
		}
		if (vi < v.len)
			return error_set(err, "%s:%u:%zu: more values than names in '%.*s'",
					 fname, v.no, vi + 1, (int)plen, h.p);
	}
	return 0;
}

int mib_parse_kv(struct mib *m, const char *buf, size_t len,
		 const char *fname, struct strbuf *err)
{
	return mib_parse_kv_at(m, buf, len, fname, 1, err);
}

int mib_parse_kv_at(struct mib *m, const char *buf, size_t len,
		    const char *fname, unsigned first_line, struct strbuf *err)
{
	const char *pos = buf, *end = buf + len;
	struct line l = { .no = first_line - 1 };

	while (next_line(&pos, end, &l)) {
		size_t i = 0, ns, ne, vs;
		uint64_t val;

		if (!l.len)
			continue;
		while (i < l.len && l.p[i] != ' ' && l.p[i] != '\t')
			i++;
		ns = 0;
		ne = i;
		while (i < l.len && (l.p[i] == ' ' || l.p[i] == '\t'))
			i++;
		vs = i;
		while (i < l.len && l.p[i] != ' ' && l.p[i] != '\t')
			i++;
		if (ne == ns || vs == ne || vs == l.len)
			return error_set(err, "%s:%u:1: expected 'Name value'", fname, l.no);
		if (parse_number(l.p + vs, i - vs, &val))
			return error_set(err, "%s:%u:%zu: '%.*s' is not a number", fname, l.no,
					 vs + 1, (int)(i - vs), l.p + vs);
		if (mib_set(m, l.p, ne, val))
			return error_set(err, "%s:%u:1: counter name too long or more than %d counters",
					 fname, l.no, MIB_MAX);
	}
	return 0;
}

int procnet_mib_read(struct mib *m, const char *proc_root, struct strbuf *err)
{
	static const struct {
		const char *file;
		bool optional;
		bool kv;
	} files[] = {
		{ "net/snmp", false, false },
		{ "net/netstat", false, false },
		{ "net/snmp6", true, true },
	};
	struct strbuf sb = STRBUF_INIT;
	char path[4096];
	int rc = 0;

	mib_init(m);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]) && !rc; i++) {
		snprintf(path, sizeof(path), "%s/%s", proc_root, files[i].file);
		if (files[i].optional && access(path, R_OK) && errno == ENOENT)
			continue;
		rc = procnet_slurp(&sb, path, MIB_FILE_MAX, err);
		if (!rc)
			rc = files[i].kv ? mib_parse_kv(m, sb.buf, sb.len, path, err)
					 : mib_parse_pairs(m, sb.buf, sb.len, path, err);
	}
	mib_sort(m);
	strbuf_release(&sb);
	return rc;
}
