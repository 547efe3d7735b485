// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Text expositions merged by metric family (report.h, prom_merge_*).
 *
 * The 0.0.4 format wants each family's HELP and TYPE once with all its
 * samples after them; `sockvet exporter --all-netns` renders one part
 * per network namespace, each with its own HELP/TYPE lines, so plain
 * concatenation would repeat families (promtool and Prometheus reject
 * that). Here each rendering is cut at its `# HELP` lines; a family seen
 * before keeps its first header and gets the new samples appended.
 * Renderings come from report_prom.c, so the input is trusted to be
 * HELP, TYPE, samples per family; anything else is an error, not guessed.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

struct prom_family {
	char name[96];
	char type[16];
	struct strbuf head;      /* its HELP and TYPE lines */
	struct strbuf body;      /* its samples, every rendering's */
};

struct prom_merge {
	struct prom_family *f;
	unsigned n, cap;         /* families in use; allocated (kept over resets) */
	unsigned cur;            /* the family the next sample line belongs to; n: none */
};

struct prom_merge *prom_merge_new(void)
{
	return calloc(1, sizeof(struct prom_merge));
}

/* The word after "# HELP " / "# TYPE " (or a sample's name) into out. */
static int word(const char *s, const char *end, char *out, size_t n, const char *stop)
{
	size_t k = 0;

	while (s + k < end && !strchr(stop, s[k]))
		k++;
	if (!k || k >= n)
		return -1;
	memcpy(out, s, k);
	out[k] = '\0';
	return 0;
}

static struct prom_family *family_get(struct prom_merge *m, const char *name, bool *fresh)
{
	for (unsigned i = 0; i < m->n; i++)
		if (!strcmp(m->f[i].name, name)) {
			m->cur = i;
			*fresh = false;
			return &m->f[i];
		}
	if (m->n == m->cap) {
		unsigned cap = m->cap ? 2 * m->cap : 64;
		struct prom_family *f = realloc(m->f, cap * sizeof(*f));

		if (!f)
			return NULL;
		for (unsigned i = m->cap; i < cap; i++) {
			strbuf_init(&f[i].head, STRBUF_DEFAULT_MAX);
			strbuf_init(&f[i].body, STRBUF_DEFAULT_MAX);
		}
		m->f = f;
		m->cap = cap;
	}
	m->cur = m->n++;
	snprintf(m->f[m->cur].name, sizeof(m->f[m->cur].name), "%s", name);
	m->f[m->cur].type[0] = '\0';
	strbuf_reset(&m->f[m->cur].head);
	strbuf_reset(&m->f[m->cur].body);
	*fresh = true;
	return &m->f[m->cur];
}

/* One line (without its newline) of a rendering. */
static int merge_line(struct prom_merge *m, const char *s, const char *end, bool *fresh,
		      struct strbuf *err)
{
	char name[96], type[16];
	struct prom_family *f;

	if (end - s > 7 && !memcmp(s, "# HELP ", 7)) {
		if (word(s + 7, end, name, sizeof(name), " ") || !(f = family_get(m, name, fresh)))
			return error_set(err, "exposition: bad HELP line or out of memory");
		return *fresh && (strbuf_add(&f->head, s, (size_t)(end - s)) ||
				  strbuf_addch(&f->head, '\n')) ? error_set(err, "out of memory") : 0;
	}
	if (m->cur >= m->n)
		return error_set(err, "exposition: a line before any HELP: %.*s", (int)(end - s), s);
	f = &m->f[m->cur];
	if (end - s > 7 && !memcmp(s, "# TYPE ", 7)) {
		if (word(s + 7, end, name, sizeof(name), " ") || strcmp(name, f->name) ||
		    word(s + 8 + strlen(name), end, type, sizeof(type), " "))
			return error_set(err, "exposition: TYPE without its HELP: %.*s", (int)(end - s), s);
		if (f->type[0] && strcmp(f->type, type))
			return error_set(err, "exposition: %s typed %s and %s", name, f->type, type);
		if (!*fresh)
			return 0;
		snprintf(f->type, sizeof(f->type), "%s", type);
		return strbuf_add(&f->head, s, (size_t)(end - s)) || strbuf_addch(&f->head, '\n') ?
			error_set(err, "out of memory") : 0;
	}
	if (word(s, end, name, sizeof(name), "{ ") || strcmp(name, f->name))
		return error_set(err, "exposition: sample outside its family: %.*s", (int)(end - s), s);
	return strbuf_add(&f->body, s, (size_t)(end - s)) || strbuf_addch(&f->body, '\n') ?
		error_set(err, "out of memory") : 0;
}

int prom_merge_add(struct prom_merge *m, const char *text, size_t len, struct strbuf *err)
{
	const char *s = text, *end = text + len;
	bool fresh = false;

	m->cur = m->n;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;

		if (le > s && merge_line(m, s, le, &fresh, err))
			return -1;
		s = nl ? nl + 1 : end;
	}
	return 0;
}

int prom_merge_write(const struct prom_merge *m, FILE *fp)
{
	for (unsigned i = 0; i < m->n; i++) {
		const struct prom_family *f = &m->f[i];

		if (fwrite(f->head.buf, 1, f->head.len, fp) != f->head.len ||
		    fwrite(f->body.buf, 1, f->body.len, fp) != f->body.len)
			return -1;
	}
	return fflush(fp) || ferror(fp) ? -1 : 0;
}

void prom_merge_reset(struct prom_merge *m)
{
	m->n = 0;
	m->cur = 0;
}

void prom_merge_free(struct prom_merge *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < m->cap; i++) {
		strbuf_release(&m->f[i].head);
		strbuf_release(&m->f[i].body);
	}
	free(m->f);
	free(m);
}
