// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The process a pasted per-process command is about (proc_pid.h):
 * `cat /proc/4116/limits`, `ls -l /proc/4116/fd | wc -l`,
 * `lsof -p 4116 | wc -l`, with an optional `# nginx` naming it.
 */
#include "proc_pid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/sample.h"
#include "ss_text.h"

/* "4116" of "/proc/4116/<what>[/]"; false for anything else. */
static bool path_pid(const char *a, const char *what, struct proc_pid *p)
{
	const char *d = a + 6, *e;
	uint64_t v;

	if (strncmp(a, "/proc/", 6))
		return false;
	e = strchr(d, '/');
	if (!e || strncmp(e + 1, what, strlen(what)) ||
	    (e[1 + strlen(what)] != '\0' && strcmp(e + 1 + strlen(what), "/")))
		return false;
	if ((size_t)(e - d) == 4 && !strncmp(d, "self", 4)) {
		p->self = true;
		return true;
	}
	if (ss_parse_u64(d, (size_t)(e - d), UINT32_MAX, &v) == 0 && v > 0) {
		p->given = true;
		p->pid = (uint32_t)v;
	}
	return true;   /* a /proc/X/what path, X maybe $(pidof x): no PID */
}

/* "# nginx" after the command (outside quotes is enough here). */
static void comment_comm(struct proc_pid *p, const char *cmd)
{
	const char *h = cmd ? strstr(cmd, " #") : NULL;
	size_t n;

	if (!h)
		return;
	h += 2;
	h += strspn(h, " \t");
	n = strcspn(h, " \t");
	if (n && n < sizeof(p->comm))
		snprintf(p->comm, sizeof(p->comm), "%.*s", (int)n, h);
}

void proc_pid_from_cmd(struct proc_pid *p, const struct import_cmd *c, const char *cmd,
		       const char *what)
{
	uint64_t v;

	memset(p, 0, sizeof(*p));
	comment_comm(p, cmd);
	for (unsigned i = 0; i < c->argc; i++) {
		const char *a = c->argv[i];

		if (what && path_pid(a, what, p))
			return;
		if (!what && !strcmp(a, "-p") && i + 1 < c->argc &&
		    ss_parse_u64(c->argv[i + 1], strlen(c->argv[i + 1]), UINT32_MAX, &v) == 0 && v) {
			p->given = true;
			p->pid = (uint32_t)v;
			return;
		}
	}
}

struct s_proc *proc_pid_entry(struct sample_builder *b, const struct proc_pid *p)
{
	struct s_proc *e = sample_proc(b->s, p->pid, p->comm[0] ? p->comm : NULL);

	sample_build_mark(b, HAVE_FDS);
	if (e && !e->comm[0] && p->comm[0])
		snprintf(e->comm, sizeof(e->comm), "%s", p->comm);
	return e;
}
