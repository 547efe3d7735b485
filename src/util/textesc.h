/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_UTIL_TEXTESC_H
#define SOCKVET_UTIL_TEXTESC_H

/*
 * Text that came from outside (process names, host names, kernel log
 * lines) made safe for a terminal: every C0 control byte, DEL, the C1
 * controls (U+0080..U+009F, which some terminals obey as CSI and
 * friends) and every byte that is not part of well-formed UTF-8 are
 * written as \xNN, one escape per byte. Everything else, printable
 * UTF-8 included, goes out as it is. A newline in a name becomes \x0a,
 * so it cannot break a report line; ESC becomes \x1b, so it cannot
 * repaint the terminal. Backslashes are kept: the text of commands a
 * report asks the user to run must stay runnable.
 *
 * Used by every human-facing output that is not an ss-compatible
 * listing (ss prints names raw, and so must `sockvet ss`).
 */

#include <stddef.h>
#include <stdio.h>

/* Length of the well-formed UTF-8 sequence at s (RFC 3629), 0 if none. */
size_t text_utf8_len(const unsigned char *s, size_t avail);

/*
 * s escaped into out (size n >= 1), always NUL-terminated; cut before
 * an escape that would not fit, never inside one. Returns out.
 */
char *text_escape(char *out, size_t n, const char *s);

/* s escaped to fp; returns what fputs would (EOF on error). */
int text_fputs(const char *s, FILE *fp);

#endif
