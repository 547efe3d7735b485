/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sockvet ss filter glue: parse with src/filter, print the one-line error
 * and the caret, compile the kernel's part for a live listing, and match
 * rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cmd.h"
#include "ss_filter.h"

_Static_assert(FILTER_BC_MAX <= SOCKDIAG_BYTECODE_MAX, "a filter program fits a request");

/* Bigger than FILTER_MAX_TEXT so an oversized file is seen as such. */
#define SS_FILTER_FILE_MAX (FILTER_MAX_TEXT + 2)

/* "... (column N)" at the end of a filter error: N, or 0. */
static unsigned error_column(const char *msg)
{
	const char *p = strstr(msg, "(column ");
	const char *last = NULL;

	while (p) {
		last = p;
		p = strstr(p + 1, "(column ");
	}
	return last ? (unsigned)strtoul(last + 8, NULL, 10) : 0;
}

static int read_text(const char *path, struct strbuf *text, struct strbuf *err)
{
	FILE *fp = strcmp(path, "-") ? fopen(path, "re") : stdin;
	char buf[512];
	size_t n;
	int ret = 0;

	if (!fp)
		return error_set(err, "cannot open filter file %s: %m", path);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		if (text->len + n > SS_FILTER_FILE_MAX || strbuf_add(text, buf, n) < 0) {
			ret = error_set(err, "filter: file %s longer than %u characters",
					path, FILTER_MAX_TEXT);
			goto out;
		}
	}
	if (ferror(fp))
		ret = error_set(err, "cannot read filter file %s: %m", path);
out:
	if (fp != stdin)
		fclose(fp);
	return ret;
}

/* The text the parser saw, for the caret: words joined, file lines joined. */
static void shown_text(int argc, char **argv, const char *file_text, struct strbuf *out)
{
	if (file_text) {
		for (const char *p = file_text; *p; p++)
			strbuf_addch(out, *p == '\n' ? ' ' : *p);
		return;
	}
	for (int i = 0; i < argc; i++) {
		if (i)
			strbuf_addch(out, ' ');
		strbuf_addstr(out, argv[i]);
	}
}

/* Print the error, with the caret under its column when it names one. */
static int parse_failed(int argc, char **argv, const char *file_text, const char *msg)
{
	struct strbuf shown = STRBUF_INIT, caret = STRBUF_INIT;
	unsigned col = error_column(msg);
	int ret = cmd_fail(SV_EXIT_USAGE, "%s", msg);

	if (col) {
		shown_text(argc, argv, file_text, &shown);
		filter_error_caret(shown.buf ? shown.buf : "", col, &caret);
		fputs(caret.buf ? caret.buf : "", stderr);
	}
	strbuf_release(&shown);
	strbuf_release(&caret);
	return ret;
}

/*
 * The kernel reports marks and runs a mark condition only for
 * CAP_NET_ADMIN; without it (not root) fwmark stays in user space.
 */
static unsigned compile_flags(void)
{
	return geteuid() == 0 ? FILTER_BC_MARK : 0;
}

int ss_filter_setup(struct ss_filter **out, int argc, char **argv,
		    const char *path, int preferred_af, unsigned svc_protos, bool live)
{
	struct strbuf err = STRBUF_INIT, text = STRBUF_INIT;
	struct ss_filter *sf = NULL;
	struct filter *f;
	int ret = SV_EXIT_OK;

	*out = NULL;
	if (!path && argc == 0)
		goto out;
	if (path && argc > 0) {
		ret = cmd_fail(SV_EXIT_USAGE, "-F %s and an expression on the command line "
			       "cannot be combined", path);
		goto out;
	}
	sf = malloc(sizeof(*sf));
	if (!sf) {
		ret = cmd_fail(SV_EXIT_FAILED, "filter: out of memory");
		goto out;
	}
	f = &sf->f;
	filter_init(f);
	f->preferred_family = (uint8_t)preferred_af;
	f->svc_protos = (uint8_t)svc_protos;
	if (path && read_text(path, &text, &err) < 0) {
		ret = cmd_fail(SV_EXIT_USAGE, "%s", err.buf);
		goto out;
	}
	if (path ? filter_parse_file(f, text.buf ? text.buf : "", &err) :
		   filter_parse_argv(f, argc, argv, &err)) {
		ret = parse_failed(argc, argv, path ? text.buf ? text.buf : "" : NULL, err.buf);
		goto out;
	}
	sf->bc.len = 0;
	if (live && filter_compile(f, compile_flags(), &sf->bc, &err)) {
		ret = cmd_fail(SV_EXIT_USAGE, "%s", err.buf);
		goto out;
	}
	*out = sf;
	sf = NULL;
out:
	free(sf);
	strbuf_release(&err);
	strbuf_release(&text);
	return ret;
}

unsigned ss_filter_needs(const struct ss_filter *f)
{
	return f ? f->f.needs : 0;
}

void ss_filter_query(const struct ss_filter *f, struct diag_query *q)
{
	if (!f || !f->bc.len)
		return;
	q->bytecode = f->bc.code;
	q->bytecode_len = f->bc.len;
}

bool ss_filter_user_part(const struct ss_filter *f)
{
	return f && !filter_kernel_only(&f->f);
}

static unsigned row_owners(void *ctx, const struct sock_rec *s,
			   struct filter_owner *out, unsigned max)
{
	const struct procmap *pm = ctx;
	const struct sock_owner *o;
	size_t n, i;

	if (!pm || !s->inode)
		return 0;
	n = procmap_lookup(pm, s->inode, &o);
	for (i = 0; i < n && i < max; i++) {
		out[i].pid = o[i].pid;
		snprintf(out[i].comm, sizeof(out[i].comm), "%s", o[i].comm ? o[i].comm : "");
	}
	return (unsigned)i;
}

bool ss_filter_row(const struct ss_filter *f, const struct sock_rec *s,
		   const struct procmap *pm)
{
	return !f || filter_match(&f->f, s, row_owners, (void *)pm);
}

void ss_filter_free(struct ss_filter *f)
{
	free(f);
}
