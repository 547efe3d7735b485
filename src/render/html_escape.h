/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_RENDER_HTML_ESCAPE_H
#define SOCKVET_RENDER_HTML_ESCAPE_H

/*
 * Text from outside (host and process names, kernel log lines, evidence
 * that quotes them, file names of captures) into HTML, safe both as
 * element text and inside a double- or single-quoted attribute value:
 *
 *   & < > " '              as &amp; &lt; &gt; &quot; &#39;
 *   C0 controls, DEL, NUL  as the visible text \xNN (one per byte)
 *   C1 controls            as \xNN per byte, as the text report does
 *   bytes that are not well-formed UTF-8 (RFC 3629): \xNN per byte
 *   bidirectional overrides and isolates (U+202A..U+202E, U+2066..U+2069),
 *   which could make a line read backwards: \xNN per byte
 *
 * Everything else (printable UTF-8) goes out as it is. The output is
 * therefore always valid UTF-8 with no markup of its own, whatever the
 * input was: a process named "<script>" is shown, never run.
 */

#include <stddef.h>
#include <stdio.h>

/* len bytes of s (NULs included: each is written as \x00) to fp; 0 or EOF. */
int html_escape_n(FILE *fp, const char *s, size_t len);
/* A C string; NULL writes nothing. */
int html_escape(FILE *fp, const char *s);

#endif
