// SPDX-License-Identifier: GPL-2.0-or-later
#include "textesc.h"

#include <stdbool.h>

size_t text_utf8_len(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (avail < n)
		return 0;
	/* Second-byte ranges exclude overlongs, surrogates and > U+10FFFF. */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/*
 * How many bytes at s go out as they are (0: the byte at s is escaped).
 * C1 controls are the two-byte sequences 0xc2 0x80..0x9f.
 */
static size_t plain_len(const unsigned char *s, size_t avail)
{
	size_t n;

	if (s[0] < 0x20 || s[0] == 0x7f)
		return 0;
	n = text_utf8_len(s, avail);
	if (n == 2 && s[0] == 0xc2 && s[1] < 0xa0)
		return 0;
	return n;
}

static const char hex[] = "0123456789abcdef";

/* Walks s, handing each plain run or \xNN escape to put(); stops when put fails. */
static bool walk(const char *str, bool (*put)(void *ctx, const char *p, size_t len), void *ctx)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t avail = 0, i = 0, n;

	while (s[avail])
		avail++;
	while (i < avail) {
		n = plain_len(s + i, avail - i);
		if (n) {
			if (!put(ctx, (const char *)s + i, n))
				return false;
			i += n;
			continue;
		}
		char e[4] = { '\\', 'x', hex[s[i] >> 4], hex[s[i] & 0xf] };

		if (!put(ctx, e, sizeof(e)))
			return false;
		i++;
	}
	return true;
}

struct mem_ctx {
	char *out;
	size_t n, len;
};

static bool put_mem(void *ctx, const char *p, size_t len)
{
	struct mem_ctx *m = ctx;

	if (m->len + len >= m->n)
		return false;
	for (size_t i = 0; i < len; i++)
		m->out[m->len++] = p[i];
	return true;
}

char *text_escape(char *out, size_t n, const char *s)
{
	struct mem_ctx m = { out, n, 0 };

	walk(s, put_mem, &m);
	out[m.len] = '\0';
	return out;
}

static bool put_file(void *ctx, const char *p, size_t len)
{
	return fwrite(p, 1, len, (FILE *)ctx) == len;
}

int text_fputs(const char *s, FILE *fp)
{
	return walk(s, put_file, fp) ? 0 : EOF;
}
