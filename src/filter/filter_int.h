/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_FILTER_INT_H
#define SOCKVET_FILTER_INT_H

/* Inside src/filter only: the value parsers the grammar calls. */

#include "filter.h"

/* What a keyword takes: the operators it allows, how its value parses. */
enum filter_val {
	FV_HOST, FV_PORT, FV_DEV, FV_MARK, FV_CGROUP, FV_NONE,
	FV_COUNT, FV_USEC, FV_UID, FV_NAME, FV_PERCENT,
};

struct filter_keyword {
	const char *word;
	enum filter_kind kind;
	enum filter_val val;
	bool all_ops;            /* < > <= >= allowed, not only = != */
	bool ne_ok;              /* != allowed */
	const char *what;        /* "a port", for "expected a port after" */
};

const struct filter_keyword *filter_keyword_find(const char *word);

/* Parse t->s into n (kind and op already set); message names the column. */
int filter_value_parse(const struct filter_keyword *kw,
		       const struct filter_token *t, struct filter_node *n,
		       const struct filter *f, struct strbuf *err);

/* autobound: the kernel's ip_local_port_range, read once at parse time. */
void filter_port_range(struct filter *f);

#endif
