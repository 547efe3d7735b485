// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ss importer's row reader (ss_text.c has the format's essay): one
 * table row's columns, endpoints and extras into a struct sock_rec.
 */
#include "ss_text.h"

#include <ctype.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

/* The idiag_timer values ss names (timer:(NAME,...)). */
#define SS_TIMER_MAX 5

bool ss_tok_is(const struct tok *t, const char *s)
{
	return t->n == strlen(s) && !memcmp(t->p, s, t->n);
}

size_t ss_tokenize(const char *s, size_t len, struct tok *t, size_t max)
{
	size_t n = 0, i = 0;

	while (i < len && n < max) {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == len)
			break;
		t[n].p = s + i;
		t[n].col = i + 1;
		while (i < len && s[i] != ' ' && s[i] != '\t')
			i++;
		t[n].n = (size_t)(s + i - t[n].p);
		n++;
	}
	return n;
}

/* Decimal, all of it; -1 not a number, -2 too large for max. */
int ss_parse_u64(const char *p, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!n || n > 40)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		if (v > (max - (uint64_t)(p[i] - '0')) / 10)
			return -2;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	*out = v;
	return 0;
}

/*
 * A token against a name table (the model's spellings, never a copy):
 * the lengths are taken once, so a row costs a length check per name
 * and one memcmp, not a strlen each (a 200k-row capture asks 400k times).
 */
struct name_index {
	bool ready;
	uint8_t len[32];            /* >= SS_STATE_MAX, NETID_MAX (asserted) */
};

_Static_assert((int)SS_STATE_MAX <= 32 && (int)NETID_MAX <= 32, "name_index.len holds every name");

static int name_find(struct name_index *ix, const struct tok *t, unsigned from, unsigned to,
		     const char *(*name)(unsigned))
{
	if (!ix->ready) {
		for (unsigned i = from; i < to; i++)
			ix->len[i] = (uint8_t)strlen(name(i));
		ix->ready = true;
	}
	for (unsigned i = from; i < to; i++)
		if (ix->len[i] == t->n && !memcmp(t->p, name(i), t->n))
			return (int)i;
	return -1;
}

static const char *state_ss61(unsigned i)
{
	return sock_state_spelling(i, SOCK_SPELL_SS61);
}

static int state_of(const struct tok *t)
{
	static struct name_index ix;

	return name_find(&ix, t, 1, SS_STATE_MAX, state_ss61);
}

static int netid_of(const struct tok *t)
{
	static struct name_index ix;

	/* every netid name is 2..5 letters, lower case: most rows start with a state */
	if (t->n > 5 || t->p[0] < 'a' || t->p[0] > 'z')
		return -1;
	return name_find(&ix, t, 0, NETID_MAX, sock_netid_name);
}

/* ---- addresses ---- */

static int ep_port(const char *p, size_t n, bool udp, uint16_t *port)
{
	char name[64];
	struct servent *se;
	uint64_t v;
	int rc;

	if (n == 1 && *p == '*') {
		*port = 0;
		return EP_OK;
	}
	rc = ss_parse_u64(p, n, UINT64_MAX, &v);
	if (rc == 0) {
		if (v > 65535)
			return EP_BIG;
		*port = (uint16_t)v;
		return EP_OK;
	}
	if (n >= sizeof(name))
		return EP_BAD;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)p[i]) && p[i] != '-' && p[i] != '_' && p[i] != '.' && p[i] != '+')
			return EP_BAD;
	memcpy(name, p, n);
	name[n] = '\0';
	se = getservbyname(name, udp ? "udp" : "tcp");
	if (!se)
		return EP_SVC;
	*port = ntohs((uint16_t)se->s_port);
	return EP_OK;
}

/*
 * The common case without a copy: a dotted quad as inet_pton takes it
 * (four decimal parts of at most 3 digits, each <= 255, no leading zero).
 * Anything else goes the long way, so nothing is accepted that
 * inet_pton would refuse.
 */
static bool ep_v4(const char *p, size_t n, uint8_t addr[16])
{
	unsigned part = 0, v = 0, digits = 0;

	memset(addr, 0, 16);
	for (size_t i = 0; i < n; i++) {
		if (p[i] >= '0' && p[i] <= '9') {
			if ((digits && v == 0) || ++digits > 3)
				return false;
			v = v * 10 + (unsigned)(p[i] - '0');
			if (v > 255)
				return false;
		} else if (p[i] == '.' && digits && part < 3) {
			addr[part++] = (uint8_t)v;
			v = 0;
			digits = 0;
		} else {
			return false;
		}
	}
	if (part != 3 || !digits)
		return false;
	addr[3] = (uint8_t)v;
	return true;
}

/* The host part: *, v4, v6 (brackets already gone), %iface stripped. */
static int ep_host(const char *p, size_t n, uint8_t *fam, uint8_t addr[16])
{
	char h[64];
	const char *pct;

	if (ep_v4(p, n, addr)) {
		*fam = AF_INET;
		return EP_OK;
	}
	pct = memchr(p, '%', n);
	if (pct)
		n = (size_t)(pct - p);
	if (!n || n >= sizeof(h) || memchr(p, '\0', n))
		return EP_BAD;
	memcpy(h, p, n);
	h[n] = '\0';
	memset(addr, 0, 16);
	if (!strcmp(h, "*")) {
		*fam = 0;
		return EP_OK;
	}
	if (inet_pton(AF_INET, h, addr) == 1) {
		*fam = AF_INET;
		return EP_OK;
	}
	if (inet_pton(AF_INET6, h, addr) == 1) {
		*fam = AF_INET6;
		return EP_OK;
	}
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)h[i]) && h[i] != '-' && h[i] != '.' && h[i] != '_')
			return EP_BAD;
	return EP_HOST;
}

int ss_ep_parse(const struct tok *t, bool udp, uint8_t *fam, uint8_t addr[16], uint16_t *port)
{
	const char *p = t->p, *colon = NULL;
	size_t n = t->n;
	int rh, rp;

	for (size_t i = n; i-- > 0;)
		if (p[i] == ':') {
			colon = p + i;
			break;
		}
	if (!colon || colon == p)
		return EP_BAD;
	rp = ep_port(colon + 1, (size_t)(p + n - colon - 1), udp, port);
	n = (size_t)(colon - p);
	if (p[0] == '[') {
		const char *close = memchr(p, ']', n);

		if (!close)
			return EP_BAD;
		/* [fe80::1]%eth0 and [fe80::1%eth0] */
		rh = ep_host(p + 1, (size_t)(close - p - 1), fam, addr);
		if (rh == EP_OK && *fam == AF_INET)
			return EP_BAD;
	} else {
		rh = ep_host(p, n, fam, addr);
	}
	if (rh == EP_BAD || rp == EP_BAD)
		return EP_BAD;
	if (rp == EP_BIG)
		return EP_BIG;
	return rh != EP_OK ? rh : rp;
}

/* ---- extras: timer:(), ino:, sk:, skmem:(), users:() ---- */

static void extra_timer(struct sock_rec *r, const char *p, size_t n)
{
	const char *comma = memchr(p, ',', n), *last;
	uint64_t v = 0;
	size_t k;

	if (!comma)
		return;
	for (unsigned i = 1; i <= SS_TIMER_MAX; i++) {
		const char *name = sock_timer_name(i, SOCK_SPELL_KERNEL);

		if ((size_t)(comma - p) == strlen(name) && !memcmp(p, name, strlen(name)))
			r->timer = (uint8_t)i;
	}
	last = p + n;
	while (last > comma && last[-1] != ',')
		last--;
	k = (size_t)(p + n - last);
	if (k && last[k - 1] == ')')
		k--;
	if (last > comma + 1 && ss_parse_u64(last, k, 255, &v) == 0)
		r->retrans = (uint8_t)v;
}

/* skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0): the kernel's order. */
static void extra_skmem(struct sock_rec *r, const char *p, size_t n)
{
	static const char *const key[SK_MEMINFO_VARS] = {
		"r", "rb", "t", "tb", "f", "w", "o", "bl", "d",
	};
	unsigned got = 0;
	size_t i = 0;

	while (i < n && got < SK_MEMINFO_VARS) {
		size_t k = strlen(key[got]), j = i + k, e = j;
		uint64_t v;

		if (j > n || memcmp(p + i, key[got], k))
			break;
		while (e < n && p[e] >= '0' && p[e] <= '9')
			e++;
		if (ss_parse_u64(p + j, e - j, UINT32_MAX, &v))
			break;
		r->skmem[got++] = (uint32_t)v;
		i = e + 1;
		if (e >= n || p[e] != ',')
			break;
	}
	if (got >= SK_MEMINFO_DROPS) {
		r->has_skmem = true;
		r->skmem_n = (uint8_t)got;
	}
}

/* users:(("nginx",pid=812,fd=6),("nginx",pid=813,fd=6)): the first. */
static void extra_users(struct ss_extra *x, const char *p, size_t n)
{
	const char *q = n && p[0] == '"' ? memchr(p + 1, '"', n - 1) : NULL;
	const char *pid, *fd;
	uint64_t v;
	size_t k, rest;

	if (!q)
		return;
	k = (size_t)(q - p - 1);
	snprintf(x->comm, sizeof(x->comm), "%.*s", (int)(k < sizeof(x->comm) ? k : sizeof(x->comm) - 1),
		 p + 1);
	rest = n - (size_t)(q - p);
	pid = memmem(q, rest, ",pid=", 5);
	if (!pid)
		return;
	pid += 5;
	for (k = 0; pid + k < p + n && pid[k] >= '0' && pid[k] <= '9'; k++)
		;
	if (ss_parse_u64(pid, k, UINT32_MAX, &v) || !v)
		return;
	x->pid = (uint32_t)v;
	fd = memmem(pid, (size_t)(p + n - pid), ",fd=", 4);
	if (!fd)
		return;
	fd += 4;
	for (k = 0; fd + k < p + n && fd[k] >= '0' && fd[k] <= '9'; k++)
		;
	if (!ss_parse_u64(fd, k, INT32_MAX, &v))
		x->fd = (int32_t)v;
}

void ss_row_extras(struct sock_rec *r, struct ss_extra *x, const struct tok *t, size_t n)
{
	uint64_t v;

	for (size_t i = 0; i < n; i++) {
		const char *p = t[i].p;
		size_t k = t[i].n;

		if (k > 8 && !memcmp(p, "timer:(", 7))
			extra_timer(r, p + 7, k - 7);
		else if (k > 4 && !memcmp(p, "ino:", 4) && !ss_parse_u64(p + 4, k - 4, UINT32_MAX, &v)) {
			r->inode = (uint32_t)v;
			x->ino = true;
		} else if (k > 3 && k <= 19 && !memcmp(p, "sk:", 3)) {
			char hex[17];
			char *end;

			memcpy(hex, p + 3, k - 3);
			hex[k - 3] = '\0';
			r->cookie = strtoull(hex, &end, 16);
			x->sk = !*end;
		} else if (k > 7 && !memcmp(p, "skmem:(", 7)) {
			extra_skmem(r, p + 7, k - 7);
		} else if (k >= 8 && !memcmp(p, "users:((", 8)) {
			x->owned = true;
			extra_users(x, p + 8, k - 8);
		}
	}
}

/* ---- rows ---- */

/* Where a row's columns start: after the Netid and State, when there. */
size_t ss_row_lead(const struct tok *t, size_t n, int *netid, int *state)
{
	size_t i = 0;

	*netid = n ? netid_of(&t[0]) : -1;
	if (*netid >= 0)
		i++;
	*state = i < n ? state_of(&t[i]) : -1;
	return *state >= 0 ? i + 1 : i;
}

/*
 * Reads a row's columns into *r. 1: a row; 0: not one; EP_SVC + 10 or
 * EP_HOST + 10: a row whose endpoints cannot be given; -1: a number out
 * of range (*col: where).
 */
int ss_row_read(struct sock_rec *r, const struct tok *t, size_t n, uint8_t one_state,
		    bool udp_default, size_t *col)
{
	uint64_t rq = 0, wq = 0;
	uint8_t pfam = 0;
	int netid, state, a, b;
	size_t i = ss_row_lead(t, n, &netid, &state);

	memset(r, 0, sizeof(*r));
	if ((state < 0 && !one_state) || n < i + 4)
		return 0;
	a = ss_parse_u64(t[i].p, t[i].n, UINT32_MAX, &rq);
	b = ss_parse_u64(t[i + 1].p, t[i + 1].n, UINT32_MAX, &wq);
	if (a == -1 || b == -1)
		return 0;
	if (a == -2 || b == -2) {
		*col = t[i + (a == -2 ? 0 : 1)].col;
		return -1;
	}
	r->netid = (uint8_t)(netid >= 0 ? netid : udp_default ? NETID_UDP : NETID_TCP);
	a = ss_ep_parse(&t[i + 2], r->netid == NETID_UDP, &r->family, r->saddr, &r->sport);
	b = ss_ep_parse(&t[i + 3], r->netid == NETID_UDP, &pfam, r->daddr, &r->dport);
	if (a == EP_BAD || b == EP_BAD)
		return 0;
	if (a == EP_BIG || b == EP_BIG) {
		*col = t[i + (a == EP_BIG ? 2 : 3)].col;
		return -1;
	}
	if (a > 0 || b > 0)
		return (a > 0 ? a : b) + 10;
	/* "*" on both sides: a dual-stack v6 socket (ss 5.x and later) */
	if (!r->family)
		r->family = pfam ? pfam : AF_INET6;
	r->state = (uint8_t)(state >= 0 ? state : one_state);
	r->rqueue = (uint32_t)rq;
	r->wqueue = (uint32_t)wq;
	r->table = r->netid == NETID_UDP ? TBL_UDP : r->netid == NETID_TCP ? TBL_TCP : TBL_MAX;
	if (r->table == TBL_TCP)
		r->protocol = IPPROTO_TCP;
	else if (r->table == TBL_UDP)
		r->protocol = IPPROTO_UDP;
	return 1;
}

/* For detection: a row with its State column. */
