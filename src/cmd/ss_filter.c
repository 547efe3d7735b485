/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sockvet ss filter glue: parse with src/filter, print the one-line error
 * and the caret, refuse what user space cannot judge (autobound), and
 * match rows. The kernel bytecode compilation is not done yet: every
 * expression runs in user space on the decoded record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cmd.h"
#include "ss_filter.h"

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

static bool has_autobound(const struct filter *f)
{
	for (unsigned i = 0; i < f->n; i++)
		if (f->nodes[i].kind == FK_AUTOBOUND)
			return true;
	return false;
}

int ss_filter_setup(struct filter **out, int argc, char **argv,
		    const char *path, int preferred_af)
{
	struct strbuf err = STRBUF_INIT, text = STRBUF_INIT, caret = STRBUF_INIT;
	struct filter *f = NULL;
	unsigned col;
	int ret = SV_EXIT_OK;

	*out = NULL;
	if (!path && argc == 0)
		goto out;
	if (path && argc > 0) {
		ret = cmd_fail(SV_EXIT_USAGE, "-F %s and an expression on the command line "
			       "cannot be combined", path);
		goto out;
	}
	f = malloc(sizeof(*f));
	if (!f) {
		ret = cmd_fail(SV_EXIT_FAILED, "filter: out of memory");
		goto out;
	}
	filter_init(f);
	if (preferred_af == AF_UNIX)
		f->preferred_family = AF_UNIX;
	if (path && read_text(path, &text, &err) < 0) {
		ret = cmd_fail(SV_EXIT_USAGE, "%s", err.buf);
		goto out;
	}
	if (path ? filter_parse_file(f, text.buf ? text.buf : "", &err) :
		   filter_parse_argv(f, argc, argv, &err)) {
		col = error_column(err.buf);
		ret = cmd_fail(SV_EXIT_USAGE, "%s", err.buf);
		if (col) {
			struct strbuf shown = STRBUF_INIT;

			shown_text(argc, argv, path ? text.buf ? text.buf : "" : NULL, &shown);
			filter_error_caret(shown.buf ? shown.buf : "", col, &caret);
			fputs(caret.buf ? caret.buf : "", stderr);
			strbuf_release(&shown);
		}
		goto out;
	}
	if (has_autobound(f)) {
		ret = cmd_fail(SV_EXIT_USAGE, "autobound needs the kernel filter (not yet)");
		goto out;
	}
	*out = f;
	f = NULL;
out:
	free(f);
	strbuf_release(&err);
	strbuf_release(&text);
	strbuf_release(&caret);
	return ret;
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

bool ss_filter_row(const struct filter *f, const struct sock_rec *s,
		   const struct procmap *pm)
{
	return !f || filter_match(f, s, row_owners, (void *)pm);
}

void ss_filter_free(struct filter *f)
{
	free(f);
}
