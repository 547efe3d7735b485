/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_IMPORT_IMPORT_H
#define SOCKVET_IMPORT_IMPORT_H

/*
 * Text captures into the sample builder (`sockvet analyze`).
 *
 * An input (a file, each file of a directory, stdin) is cut into
 * sections: a terminal transcript's prompt lines (`$ ss -tan`,
 * `# nstat -az`, `root@web1:~# sysctl -a`) start a new section and name
 * what follows; text without prompts is one section. Each section's
 * format is detected from its command line, when it has one, and its
 * first lines (IMPORT_HEAD_LINES), by asking every importer how sure it
 * is; the surest above IMPORT_MIN_SCORE wins. Then the section streams
 * through that importer line by line, so memory does not grow with the
 * input: an importer keeps aggregates, never the lines.
 *
 * An importer pushes what it reads into the builder it is given (socket
 * records as they come, counters/sysctls/events at the end) and marks
 * the HAVE_* bits it filled; it never prints and never exits. Errors are
 * "FILE:LINE:COLUMN: what" in err; a line it does not understand is
 * counted in the summary (skipped), not an error, because pasted text
 * has prose and cut rows in it. An error is for input that claims to be
 * the format and is broken in a way that would make a verdict wrong.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/sample_build.h"
#include "../util/strbuf.h"

#define IMPORT_HEAD_LINES 32      /* lines detection sees */
#define IMPORT_MIN_SCORE 30       /* below: "not recognised" */
#define IMPORT_LINE_MAX 65536     /* longer lines are cut (and counted) */
#define IMPORT_CMD_MAX 512        /* a prompt's command line, kept for the report */

/* Where a line came from, for messages: "FILE:LINE:COL". */
struct import_pos {
	const char *file;        /* as given; "<stdin>" for - */
	unsigned line;           /* 1-based, in the file */
};

/* What one section gave, for the report's "Read" header. */
struct import_summary {
	char what[96];           /* "ss -tan: TCP socket table" */
	uint32_t have;           /* HAVE_* bits it filled */
	uint64_t rows;           /* lines used */
	uint64_t skipped;        /* lines not understood (prose, cut rows) */
	char note[160];          /* optional: why lines were skipped, caveats */
};

struct importer {
	const char *name;        /* short, for messages: "ss", "nstat" */
	/*
	 * How sure (0..100) the section is this format. cmd: the prompt's
	 * command line without the prompt (NULL: none); head: its first n
	 * lines (n <= IMPORT_HEAD_LINES), NUL-terminated, without newlines.
	 */
	int (*detect)(const char *cmd, const char *const *head, unsigned n);
	/*
	 * Start a section. prior: HAVE_* bits the sample already holds from
	 * earlier sections (a listeners-only table after a full one should
	 * not add its rows twice). Allocates *st.
	 */
	int (*begin)(void **st, struct sample_builder *b, const char *cmd, uint32_t prior,
		     struct strbuf *err);
	/* One line: len bytes at s (NUL-terminated; may hold NULs, bad UTF-8). */
	int (*line)(void *st, const char *s, size_t len, const struct import_pos *pos,
		    struct strbuf *err);
	/* The section ended: push what is left into the builder, fill sum. */
	int (*end)(void *st, struct import_summary *sum, struct strbuf *err);
	void (*free)(void *st);
};

/* The importers, in the order ties are broken. */
extern const struct importer import_ss;        /* ss_text.c: ss tables and ss -s */
extern const struct importer import_netstat;   /* netstat_text.c: netstat -tan/-an/-lntp tables */
extern const struct importer import_counters;  /* counters_text.c: nstat, netstat -s, /proc/net/{snmp,netstat,sockstat} */
extern const struct importer import_sysctl;    /* sysctl_text.c: sysctl -a, name = value */
extern const struct importer import_klog;      /* klog_text.c: dmesg, journalctl -k, syslog */
extern const struct importer import_applog;    /* applog_text.c: services' logs with socket errnos */
extern const struct importer import_procnet;   /* procnet_text.c: /proc/net/tcp, /proc/net/tcp6 */
extern const struct importer import_limits;    /* limits_text.c: /proc/PID/limits */
extern const struct importer import_count;     /* count_text.c: `| wc -l`, `grep -c` counts */

#endif
