// SPDX-License-Identifier: GPL-2.0-or-later
#include "html_escape.h"

#include <stdbool.h>
#include <string.h>

#include "../util/textesc.h"

/* The entity for a byte HTML gives meaning to, or NULL. */
static const char *entity(unsigned char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	default: return NULL;
	}
}

/* U+202A..U+202E (E2 80 AA..AE) and U+2066..U+2069 (E2 81 A6..A9). */
static bool is_bidi(const unsigned char *s, size_t n)
{
	if (n != 3 || s[0] != 0xe2)
		return false;
	return (s[1] == 0x80 && s[2] >= 0xaa && s[2] <= 0xae) ||
	       (s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9);
}

/* Bytes at s that go out as they are; 0: escape the byte at s. */
static size_t plain_len(const unsigned char *s, size_t avail)
{
	size_t n;

	if (s[0] < 0x20 || s[0] == 0x7f)
		return 0;
	n = text_utf8_len(s, avail);
	if (n == 2 && s[0] == 0xc2 && s[1] < 0xa0)
		return 0;
	if (is_bidi(s, n))
		return 0;
	return n;
}

int html_escape_n(FILE *fp, const char *str, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		const char *e = entity(s[i]);
		size_t n = e ? 0 : plain_len(s + i, len - i);

		if (e) {
			fputs(e, fp);
			i++;
		} else if (n) {
			fwrite(s + i, 1, n, fp);
			i += n;
		} else {
			fprintf(fp, "\\x%c%c", hex[s[i] >> 4], hex[s[i] & 0xf]);
			i++;
		}
	}
	return ferror(fp) ? EOF : 0;
}

int html_escape(FILE *fp, const char *s)
{
	return s ? html_escape_n(fp, s, strlen(s)) : 0;
}
