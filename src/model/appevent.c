// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The errno wordings applications print, by runtime (the C library's
 * strerror() text is the common core; the rest wrap it):
 *
 *   glibc strerror     Too many open files / Too many open files in system /
 *                      Cannot assign requested address / Address already in use /
 *                      Connection refused / Connection reset by peer / Connection timed out
 *   BSD/macOS libc     Can't assign requested address / Operation timed out
 *   nginx              accept4() failed (24: Too many open files)
 *                      connect() to 10.0.0.5:8080 failed (99: Cannot assign requested address)
 *   Go net             accept tcp [::]:8080: accept4: too many open files; retrying in 5ms
 *                      dial tcp 10.0.0.5:5432: connect: connection refused
 *                      dial tcp 10.0.0.5:443: i/o timeout   (a deadline, not the errno)
 *                      read tcp 10.0.0.1:40000->10.0.0.5:443: read: connection reset by peer
 *   Python             OSError: [Errno 24] Too many open files
 *   Java               java.net.BindException: Cannot assign requested address (connect failed)
 *                      java.net.SocketTimeoutException: connect timed out / Read timed out
 *   Node.js            Error: connect ECONNREFUSED 10.0.0.5:5432 / listen EADDRINUSE
 *   Erlang, libuv      econnrefused, EMFILE as bare codes
 *   HAProxy            Connect() failed for backend X: no more source port available.
 *   Envoy              ... transport failure reason: delayed connect error: 111
 *
 * The errno is the first phrase of table order found anywhere in the
 * line (ENFILE's phrase before EMFILE's, which it contains). The call
 * is the call word nearest before that phrase ("accept4: too many",
 * "connect() ... failed (99: ..."), else the first after it (Java's
 * "(connect failed)", nginx's "while connecting to upstream"). A call
 * word is a whole word: "ConnectException", "connection", "socketConnect"
 * are not calls. Java's BindException is not read as bind(): the JDK
 * throws it for connect()'s EADDRNOTAVAIL too.
 */
#include "appevent.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define SCAN_MAX 4096   /* an errno past this many bytes of one line is not looked for */

const char *const appevent_names[APE_MAX] = {
	[APE_NONE] = "none", [APE_EMFILE] = "EMFILE", [APE_ENFILE] = "ENFILE",
	[APE_EADDRNOTAVAIL] = "EADDRNOTAVAIL", [APE_EADDRINUSE] = "EADDRINUSE",
	[APE_ECONNREFUSED] = "ECONNREFUSED", [APE_ECONNRESET] = "ECONNRESET",
	[APE_ETIMEDOUT] = "ETIMEDOUT",
};

const char *const appevent_calls[APC_MAX] = {
	[APC_NONE] = "", [APC_ACCEPT] = "accept", [APC_CONNECT] = "connect", [APC_BIND] = "bind",
	[APC_SOCKET] = "socket", [APC_OPEN] = "open", [APC_READ] = "read", [APC_WRITE] = "write",
};

struct phrase {
	const char *text;       /* lower case */
	enum app_errno kind;
	bool word;              /* a bare code: whole word only */
};

static const struct phrase phrases[] = {
	{ "too many open files in system", APE_ENFILE, false },
	{ "enfile", APE_ENFILE, true },
	{ "too many open files", APE_EMFILE, false },
	{ "emfile", APE_EMFILE, true },
	{ "cannot assign requested address", APE_EADDRNOTAVAIL, false },
	{ "can't assign requested address", APE_EADDRNOTAVAIL, false },
	{ "eaddrnotavail", APE_EADDRNOTAVAIL, true },
	{ "no more source port", APE_EADDRNOTAVAIL, false },
	{ "address already in use", APE_EADDRINUSE, false },
	{ "eaddrinuse", APE_EADDRINUSE, true },
	{ "connection refused", APE_ECONNREFUSED, false },
	{ "econnrefused", APE_ECONNREFUSED, true },
	{ "connect error: 111", APE_ECONNREFUSED, false },
	{ "connection reset", APE_ECONNRESET, false },
	{ "econnreset", APE_ECONNRESET, true },
	{ "connection timed out", APE_ETIMEDOUT, false },
	{ "operation timed out", APE_ETIMEDOUT, false },
	{ "connect timed out", APE_ETIMEDOUT, false },
	{ "read timed out", APE_ETIMEDOUT, false },
	{ "upstream timed out", APE_ETIMEDOUT, false },
	{ "i/o timeout", APE_ETIMEDOUT, false },
	{ "etimedout", APE_ETIMEDOUT, true },
};

static const struct { const char *word; enum app_call call; } calls[] = {
	{ "accept4", APC_ACCEPT }, { "accept", APC_ACCEPT },
	{ "connect", APC_CONNECT }, { "connecting", APC_CONNECT }, { "dial", APC_CONNECT },
	{ "bind", APC_BIND }, { "listen", APC_BIND },
	{ "socket", APC_SOCKET }, { "open", APC_OPEN }, { "openat", APC_OPEN },
	{ "read", APC_READ }, { "readv", APC_READ }, { "recv", APC_READ },
	{ "recvfrom", APC_READ }, { "recvmsg", APC_READ },
	{ "write", APC_WRITE }, { "writev", APC_WRITE }, { "send", APC_WRITE },
	{ "sendto", APC_WRITE }, { "sendmsg", APC_WRITE }, { "sendfile", APC_WRITE },
};

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Is [p, p+n) in [s, e) a whole word? */
static bool whole(const char *s, const char *e, const char *p, size_t n)
{
	return (p == s || !word_char(p[-1])) && (p + n == e || !word_char(p[n]));
}

/* The first whole-word (or any, !word) occurrence of t in [s, e). */
static const char *find(const char *s, const char *e, const char *t, bool word)
{
	size_t n = strlen(t);

	for (const char *p = s; p < e && (p = memmem(p, (size_t)(e - p), t, n)); p++)
		if (!word || whole(s, e, p, n))
			return p;
	return NULL;
}

/* The call word nearest before at, else the first after (past its phrase). */
static enum app_call find_call(const char *s, const char *e, const char *at, size_t plen)
{
	const char *best_before = NULL, *best_after = NULL;
	enum app_call before = APC_NONE, after = APC_NONE;

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		size_t n = strlen(calls[i].word);

		for (const char *p = find(s, e, calls[i].word, true); p;
		     p = find(p + 1, e, calls[i].word, true)) {
			if (p + n <= at && (!best_before || p > best_before)) {
				best_before = p;
				before = calls[i].call;
			} else if (p >= at + plen && (!best_after || p < best_after)) {
				best_after = p;
				after = calls[i].call;
			}
		}
	}
	return before != APC_NONE ? before : after;
}

/* "10.0.0.5:5432" or "[2001:db8::1]:443" at p; its length, 0 if not one. */
static size_t addr_at(const char *p, const char *e, char *out, size_t size)
{
	char host[48];
	const char *h = p, *he, *q;
	int af = AF_INET;
	unsigned char bin[16];
	unsigned long port = 0;
	size_t nd = 0;

	if (*p == '[') {
		h = p + 1;
		he = memchr(h, ']', (size_t)(e - h) < sizeof(host) ? (size_t)(e - h) : sizeof(host));
		if (!he)
			return 0;
		q = he + 1;
		af = AF_INET6;
	} else {
		for (he = p; he < e && (isdigit((unsigned char)*he) || *he == '.') &&
			     he - p < 16; he++)
			;
		q = he;
	}
	if ((size_t)(he - h) >= sizeof(host) || q >= e || *q != ':')
		return 0;
	memcpy(host, h, (size_t)(he - h));
	host[he - h] = '\0';
	if (inet_pton(af, host, bin) != 1)
		return 0;
	for (q++; q < e && isdigit((unsigned char)*q) && nd < 6; q++, nd++)
		port = port * 10 + (unsigned long)(*q - '0');
	if (!nd || nd > 5 || port > 65535 || (q < e && isdigit((unsigned char)*q)))
		return 0;
	snprintf(out, size, "%.*s", (int)(q - p), p);
	return (size_t)(q - p);
}

/* The peer: the first address after "->" (Go's local->remote), else the first. */
static void find_addr(const char *s, const char *e, char *out, size_t size)
{
	const char *arrow = memmem(s, (size_t)(e - s), "->", 2);

	out[0] = '\0';
	for (const char *p = arrow ? arrow + 2 : s; p < e; p++) {
		if (p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '.' || p[-1] == ':'))
			continue;
		if ((*p == '[' || isdigit((unsigned char)*p)) && addr_at(p, e, out, size))
			return;
	}
	if (arrow)
		find_addr(s, arrow, out, size);
}

static void copy_text(char *dst, size_t size, const char *s, size_t len)
{
	size_t n = len < size - 1 ? len : size - 1;

	for (size_t i = 0; i < n; i++)
		dst[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	dst[n] = '\0';
}

bool appevent_classify(const char *msg, size_t len, struct app_event *ev)
{
	char low[SCAN_MAX];
	size_t n = len < sizeof(low) ? len : sizeof(low);
	const char *at = NULL, *e = low + n;
	size_t i;

	memset(ev, 0, sizeof(*ev));
	for (i = 0; i < n; i++)
		low[i] = msg[i] ? (char)tolower((unsigned char)msg[i]) : ' ';
	for (i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++)
		if ((at = find(low, e, phrases[i].text, phrases[i].word)))
			break;
	if (!at)
		return false;
	ev->kind = phrases[i].kind;
	ev->call = find_call(low, e, at, strlen(phrases[i].text));
	ev->count = 1;
	find_addr(low, e, ev->addr, sizeof(ev->addr));
	ev->addr_local = ev->addr[0] && (ev->call == APC_ACCEPT || ev->call == APC_BIND);
	copy_text(ev->first_line, sizeof(ev->first_line), msg, len);
	return true;
}

void appevent_set_line(struct app_event *ev, const char *s, size_t len)
{
	copy_text(ev->first_line, sizeof(ev->first_line), s, len);
}

bool appevent_same(const struct app_event *a, const struct app_event *b)
{
	return a->kind == b->kind && a->call == b->call && !strcmp(a->proc, b->proc);
}

void appevent_merge(struct app_event *g, const struct app_event *e)
{
	g->count = g->count + e->count < g->count ? UINT32_MAX : g->count + e->count;
	if (!g->addr[0])
		snprintf(g->addr, sizeof(g->addr), "%s", e->addr);
	else if (e->addr[0] && strcmp(g->addr, e->addr))
		g->addr_mixed = true;
	g->addr_mixed |= e->addr_mixed;
}
