// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Keywords and their values: hosts ([FAMILY:]ADDR[/PREFIX][:PORT], as
 * ss's parse_hostcond splits them), ports (number or /etc/services
 * name), devices, marks, cgroup paths, and the extensions' numbers with
 * units.
 */
#include "filter_int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const struct filter_keyword keywords[] = {
	{ "src", FK_SRC, FV_HOST, false, false, "an address" },
	{ "dst", FK_DST, FV_HOST, false, false, "an address" },
	{ "sport", FK_SPORT, FV_PORT, true, true, "a port" },
	{ "dport", FK_DPORT, FV_PORT, true, true, "a port" },
	{ "dev", FK_DEV, FV_DEV, false, true, "a device" },
	{ "fwmark", FK_FWMARK, FV_MARK, false, true, "a mark" },
	{ "cgroup", FK_CGROUP, FV_CGROUP, false, true, "a cgroup path" },
	{ "autobound", FK_AUTOBOUND, FV_NONE, false, false, "" },
	{ "recv-q", FK_RECVQ, FV_COUNT, true, true, "a byte count" },
	{ "send-q", FK_SENDQ, FV_COUNT, true, true, "a byte count" },
	{ "rtt", FK_RTT, FV_USEC, true, true, "a time (200ms, 1s, 500us)" },
	{ "retrans", FK_RETRANS, FV_COUNT, true, true, "a count" },
	{ "cwnd", FK_CWND, FV_COUNT, true, true, "a count" },
	{ "lastsnd", FK_LASTSND, FV_USEC, true, true, "a time (200ms, 1s, 500us)" },
	{ "lastrcv", FK_LASTRCV, FV_USEC, true, true, "a time (200ms, 1s, 500us)" },
	{ "lastack", FK_LASTACK, FV_USEC, true, true, "a time (200ms, 1s, 500us)" },
	{ "uid", FK_UID, FV_UID, true, true, "a uid or user name" },
	{ "inode", FK_INODE, FV_COUNT, true, true, "an inode number" },
	{ "pid", FK_PID, FV_COUNT, true, true, "a pid" },
	{ "comm", FK_COMM, FV_NAME, false, true, "a process name" },
	{ "process", FK_COMM, FV_NAME, false, true, "a process name" },
	{ "fill", FK_FILL, FV_PERCENT, true, true, "a percentage" },
};

const struct filter_keyword *filter_keyword_find(const char *word)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (!strcmp(word, keywords[i].word))
			return &keywords[i];
	return NULL;
}

/* A whole-string unsigned number, base 0 (0x16 is 22, as ss reads it). */
static bool value_ulong(const char *s, unsigned long long max,
			unsigned long long *v, const char **rest)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || *v > max || (!rest && *end))
		return false;
	if (rest)
		*rest = end;
	return true;
}

/*
 * A service name, for the protocols of the tables listed (ss: its UDP
 * name first, an error when the two protocols disagree).
 */
static int value_service(const char *s, const struct filter_token *t, unsigned protos,
			 int32_t *port, struct strbuf *err)
{
	struct servent *se;
	int udp = -1, tcp = -1;

	if (!protos)
		protos = FILTER_SVC_TCP | FILTER_SVC_UDP;
	if ((protos & FILTER_SVC_UDP) && *s && (se = getservbyname(s, "udp")))
		udp = ntohs((uint16_t)se->s_port);
	if ((protos & FILTER_SVC_TCP) && *s && (se = getservbyname(s, "tcp")))
		tcp = ntohs((uint16_t)se->s_port);
	if (udp >= 0 && tcp >= 0 && udp != tcp)
		return error_set(err, "filter: ambiguous port '%s': %d/udp, %d/tcp (column %u)",
				 s, udp, tcp, t->col);
	if (udp < 0 && tcp < 0)
		return error_set(err, "filter: '%s' is not a port number or a service name in "
				 "/etc/services%s (column %u)", s,
				 protos == FILTER_SVC_TCP ? " for tcp" :
				 protos == FILTER_SVC_UDP ? " for udp" : "", t->col);
	*port = udp >= 0 ? udp : tcp;
	return 0;
}

static int value_port(const char *s, const struct filter_token *t, unsigned protos,
		      int32_t *port, struct strbuf *err)
{
	unsigned long long v;

	if (*s == ':')
		s++;
	if (value_ulong(s, UINT16_MAX, &v, NULL)) {
		*port = (int32_t)v;
		return 0;
	}
	if (isdigit((unsigned char)*s) || *s == '-')
		return error_set(err, "filter: '%s' is not a port: 0 to 65535 (column %u)",
				 t->s, t->col);
	return value_service(s, t, protos, port, err);
}

static bool value_addr(const char *s, int family, struct filter_host *h)
{
	struct in_addr a4;
	struct addrinfo hints = { 0 }, *res = NULL;
	bool ok = false;

	if (family != AF_INET6 && inet_aton(s, &a4)) {
		h->family = AF_INET;
		memcpy(h->addr, &a4, 4);
		return true;
	}
	if (family != AF_INET && inet_pton(AF_INET6, s, h->addr) == 1) {
		h->family = AF_INET6;
		return true;
	}
	/* a DNS name, as ss allows; only name-like words are looked up */
	for (const char *c = s; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '.')
			return false;
	hints.ai_family = family ? family : AF_UNSPEC;
	if (!*s || getaddrinfo(s, NULL, &hints, &res) || !res)
		return false;
	if (res->ai_family == AF_INET) {
		h->family = AF_INET;
		memcpy(h->addr, &((struct sockaddr_in *)res->ai_addr)->sin_addr, 4);
		ok = true;
	} else if (res->ai_family == AF_INET6) {
		h->family = AF_INET6;
		memcpy(h->addr, &((struct sockaddr_in6 *)res->ai_addr)->sin6_addr, 16);
		ok = true;
	}
	freeaddrinfo(res);
	return ok;
}

static int value_prefix(char *addr, struct filter_host *h,
			const struct filter_token *t, struct strbuf *err)
{
	char *slash = strchr(addr, '/');
	unsigned long long bits = 0;
	int fam = h->family;

	if (slash)
		*slash = '\0';
	if (!*addr || !strcmp(addr, "*")) {
		if (slash)
			goto bad;
		h->family = (uint8_t)fam;
		h->prefix = -1;
		return 0;
	}
	if (!value_addr(addr, fam, h))
		goto bad;
	if (slash && !value_ulong(slash + 1, h->family == AF_INET ? 32 : 128,
				  &bits, NULL))
		goto bad;
	h->prefix = (int16_t)(slash ? (int)bits : h->family == AF_INET ? 32 : 128);
	return 0;
bad:
	return error_set(err, "filter: an address[/prefix] is expected rather than '%s' (column %u)",
			 t->s, t->col);
}

static int value_host(const struct filter_token *t, struct filter_host *h,
		      const struct filter *f, struct strbuf *err)
{
	int preferred_family = f->preferred_family;
	char buf[256];
	char *addr = buf, *port = NULL;
	const char *s = t->s;
	bool unix_prefix = !strncmp(s, "unix:", 5);

	h->port = -1;
	h->prefix = -1;
	if (unix_prefix || preferred_family == AF_UNIX) {
		s += unix_prefix ? 5 : 0;
		if (strlen(s) >= sizeof(h->path))
			return error_set(err, "filter: path longer than %zu bytes (column %u)",
					 sizeof(h->path) - 1, t->col);
		h->family = AF_UNIX;
		snprintf(h->path, sizeof(h->path), "%s", *s ? s : "*");
		return 0;
	}
	if (!strncmp(s, "inet:", 5)) {
		h->family = AF_INET;
		s += 5;
	} else if (!strncmp(s, "inet6:", 6)) {
		h->family = AF_INET6;
		s += 6;
	} else if (preferred_family == AF_INET || preferred_family == AF_INET6) {
		/* -4/-6/-f: the address is read in that family only, as ss */
		h->family = (uint8_t)preferred_family;
	}
	if (strlen(s) >= sizeof(buf))
		return error_set(err, "filter: address too long (column %u)", t->col);
	strcpy(buf, s);
	if (buf[0] == '[') {
		char *close = strchr(buf, ']');

		if (!close)
			return error_set(err, "filter: expected ']' after the IPv6 address in '%s' (column %u)",
					 t->s, t->col);
		*close = '\0';
		addr = buf + 1;
		if (close[1] && close[1] != ':')
			return error_set(err, "filter: '%s' does not look like a port (column %u)",
					 close + 1, t->col);
		port = close[1] ? close + 2 : NULL;
	} else {
		char *slash = strchr(buf, '/');

		port = strrchr(slash ? slash : buf, ':');
		if (port)
			*port++ = '\0';
		if (port && strchr(buf, ':'))
			return error_set(err, "filter: an IPv6 address with a port needs brackets, [ADDR]:PORT, rather than '%s' (column %u)",
					 t->s, t->col);
	}
	if (port && *port && strcmp(port, "*") &&
	    value_port(port, t, f->svc_protos, &h->port, err) < 0)
		return -1;
	return value_prefix(addr, h, t, err);
}

/* The cgroup2 id of PATH under the cgroup2 mount, as ss resolves it. */
static int value_cgroup(const struct filter_token *t, struct filter_node *n,
			struct strbuf *err)
{
	char path[PATH_MAX];
	union {
		struct file_handle fh;
		char space[sizeof(struct file_handle) + 64];
	} u;
	int mnt;

	snprintf(n->u.name, sizeof(n->u.name), "%s", t->s);
	snprintf(path, sizeof(path), "/sys/fs/cgroup%s%s",
		 t->s[0] == '/' ? "" : "/", t->s);
	u.fh.handle_bytes = 64;
	if (name_to_handle_at(AT_FDCWD, path, &u.fh, &mnt, 0) < 0 ||
	    u.fh.handle_bytes < sizeof(uint64_t))
		return error_set(err, "filter: cannot find cgroup '%s': %s (column %u)",
				 t->s, strerror(errno), t->col);
	memcpy(&n->cgroup_id, u.fh.f_handle, sizeof(uint64_t));
	return 0;
}

/* 200ms, 1s, 500us; a bare number is milliseconds, as ss prints rtt. */
static bool value_usec(const char *s, uint64_t *us)
{
	static const struct { const char *unit; uint64_t mul; } units[] = {
		{ "", 1000 }, { "ms", 1000 }, { "s", 1000000 }, { "us", 1 },
	};
	unsigned long long v;
	const char *rest;

	if (!value_ulong(s, UINT32_MAX, &v, &rest))
		return false;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(rest, units[i].unit)) {
			*us = v * units[i].mul;
			return true;
		}
	return false;
}

static int value_mark(const char *s, struct filter_node *n)
{
	unsigned long long v, m = UINT32_MAX;
	const char *rest;

	if (!value_ulong(s, UINT32_MAX, &v, &rest))
		return -1;
	if (*rest == '/' && !value_ulong(rest + 1, UINT32_MAX, &m, NULL))
		return -1;
	if (*rest && *rest != '/')
		return -1;
	n->u.mark.value = (uint32_t)v;
	n->u.mark.mask = (uint32_t)m;
	return 0;
}

static bool value_uid(const char *s, uint64_t *uid)
{
	unsigned long long v;
	struct passwd *pw;

	if (value_ulong(s, UINT32_MAX, &v, NULL)) {
		*uid = v;
		return true;
	}
	pw = getpwnam(s);
	if (pw)
		*uid = pw->pw_uid;
	return pw != NULL;
}

/* Fill can pass 100: an overflowing accept queue holds backlog + 1. */
#define FILTER_MAX_FILL 1000

int filter_value_parse(const struct filter_keyword *kw,
		       const struct filter_token *t, struct filter_node *n,
		       const struct filter *f, struct strbuf *err)
{
	unsigned long long v;
	const char *rest;
	int32_t port;
	bool ok = true;

	switch (kw->val) {
	case FV_HOST:
		return value_host(t, &n->u.host, f, err);
	case FV_PORT:
		if (value_port(t->s, t, f->svc_protos, &port, err) < 0)
			return -1;
		n->u.num = (uint64_t)port;
		return 0;
	case FV_CGROUP:
		return value_cgroup(t, n, err);
	case FV_DEV:
		if (value_ulong(t->s, UINT32_MAX, &v, NULL))
			n->u.num = v;
		else if (!(n->u.num = if_nametoindex(t->s)))
			return error_set(err, "filter: no device '%s' (column %u)",
					 t->s, t->col);
		return 0;
	case FV_MARK:
		ok = value_mark(t->s, n) == 0;
		break;
	case FV_USEC:
		ok = value_usec(t->s, &n->u.num);
		break;
	case FV_UID:
		ok = value_uid(t->s, &n->u.num);
		break;
	case FV_NAME:
		ok = strlen(t->s) < sizeof(n->u.name);
		if (ok)
			strcpy(n->u.name, t->s);
		break;
	case FV_PERCENT:
		ok = value_ulong(t->s, FILTER_MAX_FILL, &v, &rest) &&
		     (!*rest || !strcmp(rest, "%"));
		n->u.num = v;
		break;
	case FV_COUNT:
		ok = value_ulong(t->s, UINT64_MAX, &v, NULL);
		n->u.num = v;
		break;
	case FV_NONE:
		break;
	}
	if (!ok)
		return error_set(err, "filter: '%s' is not %s (column %u)",
				 t->s, kw->what, t->col);
	return 0;
}

int filter_peer_parse(const char *text, struct peer *out, struct strbuf *err)
{
	char bracketed[INET6_ADDRSTRLEN + 3];
	struct filter_token t = { .type = FT_WORD, .col = 1, .s = text };
	struct filter_host h;
	struct filter *f = calloc(1, sizeof(*f));
	struct strbuf why = STRBUF_INIT;
	int ret = -1;

	if (!f)
		return error_set(err, "--peer: out of memory");
	filter_init(f);
	memset(&h, 0, sizeof(h));
	/* a bare IPv6 address (no port) reads as one, as before */
	if (text[0] != '[' && strchr(text, ':') != strrchr(text, ':') &&
	    strlen(text) < sizeof(bracketed) - 2) {
		snprintf(bracketed, sizeof(bracketed), "[%s]", text);
		t.s = bracketed;
	}
	if (value_host(&t, &h, f, &why) < 0) {
		/* "filter: X (column 1)": keep X, the column says nothing here */
		const char *m = why.buf ? why.buf : "";
		const char *col = strstr(m, " (column ");

		if (!strncmp(m, "filter: ", 8))
			m += 8;
		error_set(err, "--peer: %.*s", col ? (int)(col - m) : (int)strlen(m), m);
		goto out;
	}
	if ((h.family != AF_INET && h.family != AF_INET6) ||
	    h.prefix != (h.family == AF_INET ? 32 : 128)) {
		error_set(err, "--peer: '%s' is not one IPv4 or IPv6 address[:port]", text);
		goto out;
	}
	memset(out, 0, sizeof(*out));
	out->set = true;
	out->family = h.family;
	memcpy(out->addr, h.addr, sizeof(out->addr));
	out->port = h.port;
	ret = 0;
out:
	strbuf_release(&why);
	free(f);
	return ret;
}

int filter_port_parse(const char *text, int *port, struct strbuf *err)
{
	struct filter_token t = { .type = FT_WORD, .col = 1, .s = text };
	struct strbuf why = STRBUF_INIT;
	int32_t p;
	int ret = 0;

	if (value_port(text, &t, 0, &p, &why) < 0 || p == 0)
		ret = error_set(err, "--port: '%s' is not a port (1 to 65535) or a service name",
				text);
	else
		*port = p;
	strbuf_release(&why);
	return ret;
}
