// SPDX-License-Identifier: GPL-2.0-or-later
/* The exporter's listener owners between samples: see owner_cache.h. */
#include "owner_cache.h"

#include <stdio.h>
#include <stdlib.h>

#include "../collect/sample_collect.h"

int owner_cache_mode(const struct owner_cache *c)
{
	if (!c->primed || c->since_full >= OWNERS_REFRESH)
		return SAMPLE_OWNERS_ALWAYS;
	return SAMPLE_OWNERS_AUTO;
}

static int entry_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct owner_entry *)a)->inode;
	uint32_t y = ((const struct owner_entry *)b)->inode;

	return x < y ? -1 : x > y;
}

static const struct owner_entry *cache_find(const struct owner_cache *c, uint32_t inode)
{
	struct owner_entry key = { .inode = inode };

	return bsearch(&key, c->e, c->n, sizeof(c->e[0]), entry_cmp);
}

void owner_give(struct sample *s, struct s_listener *l, uint32_t pid, const char *comm)
{
	struct s_proc *p;

	if (!pid)
		return;
	p = sample_proc(s, pid, comm);
	if (!p)
		return;
	l->owner = (int32_t)(p - s->procs);
	p->listeners++;
}

bool owner_cache_apply(struct owner_cache *c, struct sample *s, bool full)
{
	unsigned n = 0;
	bool complete = true;

	for (uint32_t i = 0; i < s->n_listeners; i++) {
		struct s_listener *l = &s->listeners[i];
		struct owner_entry *ne = &c->next[n];
		const struct owner_entry *old;

		ne->inode = l->inode;
		if (l->owner >= 0 && (uint32_t)l->owner < s->n_procs) {
			ne->pid = s->procs[l->owner].pid;
			snprintf(ne->comm, sizeof(ne->comm), "%s", s->procs[l->owner].comm);
		} else if ((old = cache_find(c, l->inode))) {
			*ne = *old;
			owner_give(s, l, old->pid, old->comm);
		} else if (full) {
			ne->pid = 0;    /* no process holds it where we can see */
			ne->comm[0] = '\0';
		} else {
			complete = false;
			continue;
		}
		n++;
	}
	if (!complete)
		return false;
	qsort(c->next, n, sizeof(c->next[0]), entry_cmp);
	for (unsigned i = 0; i < n; i++)
		c->e[i] = c->next[i];
	c->n = n;
	c->primed |= full;
	c->since_full = full ? 0 : c->since_full + 1;
	return true;
}
