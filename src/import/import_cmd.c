// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Command lines as people paste them before an output:
 *
 *   sudo /usr/sbin/sysctl -a 2>/dev/null | grep -E 'somaxconn|tcp_mem'
 *   dmesg -T | tail -50
 *   cat /proc/sys/net/core/somaxconn
 *
 * The first stage names the program and its arguments; a later stage
 * that drops lines (grep and its kin, head, tail, awk, sed) makes the
 * output a subset, so an importer must not read an absent row as zero.
 * `sort`, `less`, `more`, `cat` keep every line.
 */
#include "import_cmd.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const subset_progs[] = {
	"grep", "egrep", "fgrep", "rg", "zgrep", "head", "tail", "awk", "gawk", "sed",
};

static const char *base_name(const char *w)
{
	const char *slash = strrchr(w, '/');

	return slash ? slash + 1 : w;
}

static unsigned add_pipe(const char **w, unsigned n, unsigned max, unsigned *first_pipe)
{
	if (*first_pipe > max)
		*first_pipe = n;
	if (n < max)
		w[n++] = "|";
	return n;
}

/* Cut buf into words in place; a '|' outside quotes ends a stage. */
static unsigned split_words(char *buf, const char **w, unsigned max, unsigned *first_pipe)
{
	unsigned n = 0;
	char *p = buf, *o;

	*first_pipe = max + 1;
	while (*p) {
		char q = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (*p == '|') {
			n = add_pipe(w, n, max, first_pipe);
			p++;
			continue;
		}
		o = p;
		if (n < max)
			w[n++] = o;
		while (*p && (q || (*p != ' ' && *p != '\t' && *p != '|'))) {
			if (!q && (*p == '\'' || *p == '"'))
				q = *p++;
			else if (q && *p == q)
				q = 0, p++;
			else
				*o++ = *p++;
		}
		char stop = *p;

		*o = '\0';
		if (stop)
			p++;
		if (stop == '|')
			n = add_pipe(w, n, max, first_pipe);
	}
	return n;
}

static bool is_redirect(const char *w)
{
	while (*w >= '0' && *w <= '9')
		w++;
	return *w == '>' || *w == '<';
}

static void find_subset(struct import_cmd *c, const char **w, unsigned n, unsigned from)
{
	for (unsigned i = from; i < n; i++) {
		if (strcmp(w[i], "|") || i + 1 >= n)
			continue;
		const char *b = base_name(w[i + 1]);

		for (size_t k = 0; k < sizeof(subset_progs) / sizeof(subset_progs[0]); k++)
			if (!strcmp(b, subset_progs[k])) {
				c->subset = subset_progs[k];
				return;
			}
	}
}

void import_cmd_parse(struct import_cmd *c, const char *cmd)
{
	const char *w[IMPORT_CMD_WORDS * 2];
	unsigned n, pipe, i = 0;

	memset(c, 0, sizeof(*c));
	c->prog = "";
	if (!cmd)
		return;
	snprintf(c->buf, sizeof(c->buf), "%s", cmd);
	n = split_words(c->buf, w, IMPORT_CMD_WORDS * 2, &pipe);
	if (pipe > n)
		pipe = n;
	while (i < pipe && (!strcmp(w[i], "sudo") || !strcmp(w[i], "env") || strchr(w[i], '=') ||
			    (i && w[i][0] == '-' && !strcmp(w[i - 1], "sudo"))))
		i++;
	if (i < pipe)
		c->prog = base_name(w[i++]);
	for (; i < pipe && c->argc < IMPORT_CMD_WORDS; i++)
		if (!is_redirect(w[i]))
			c->argv[c->argc++] = w[i];
	if (pipe + 1 < n && strcmp(w[pipe + 1], "|"))
		c->piped = base_name(w[pipe + 1]);
	find_subset(c, w, n, pipe);
}

int import_cmd_runs(const struct import_cmd *c, const char *prog)
{
	if (!strcmp(c->prog, prog))
		return 0;
	for (unsigned i = 0; i < c->argc; i++)
		if (!strcmp(base_name(c->argv[i]), prog))
			return (int)i + 1;
	return -1;
}

bool import_cmd_flag(const struct import_cmd *c, char letter)
{
	for (unsigned i = 0; i < c->argc; i++)
		if (c->argv[i][0] == '-' && c->argv[i][1] != '-' && strchr(c->argv[i] + 1, letter))
			return true;
	return false;
}

bool import_cmd_word(const struct import_cmd *c, const char *w)
{
	for (unsigned i = 0; i < c->argc; i++)
		if (!strcmp(c->argv[i], w))
			return true;
	return false;
}

const char *import_cmd_arg_prefix(const struct import_cmd *c, const char *prefix)
{
	for (unsigned i = 0; i < c->argc; i++)
		if (!strncmp(c->argv[i], prefix, strlen(prefix)))
			return c->argv[i];
	return NULL;
}

void import_cmd_label(const struct import_cmd *c, const char *fallback, char *buf, size_t size)
{
	size_t o;

	if (!c->prog[0]) {
		snprintf(buf, size, "%s", fallback);
		return;
	}
	o = (size_t)snprintf(buf, size, "%s", c->prog);
	for (unsigned i = 0; i < c->argc && o < size; i++)
		if (c->argv[i][0] == '-')
			o += (size_t)snprintf(buf + o, size - o, " %s", c->argv[i]);
}

int import_head_score(const char *const *head, unsigned n,
		      bool (*shaped)(const char *line, size_t len))
{
	unsigned k = 0, other = 0;

	for (unsigned i = 0; i < n; i++) {
		size_t len = strlen(head[i]);

		if (strspn(head[i], " \t\r") == len)
			continue;
		if (shaped(head[i], len))
			k++;
		else
			other++;
	}
	return k ? 40 + (int)(50 * k / (k + other)) : 0;
}

void import_note_add(struct import_summary *sum, const char *fmt, ...)
{
	size_t o = strlen(sum->note);
	va_list ap;

	if (o && o + 2 < sizeof(sum->note)) {
		memcpy(sum->note + o, "; ", 3);
		o += 2;
	}
	if (o + 1 >= sizeof(sum->note))
		return;
	va_start(ap, fmt);
	vsnprintf(sum->note + o, sizeof(sum->note) - o, fmt, ap);
	va_end(ap);
}
