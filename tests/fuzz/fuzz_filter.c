// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the filter parser: the input is -F file text.
 * Parsing must stay within its bounds (node pool, nesting, text length)
 * whatever the bytes; an accepted filter must be a well-formed tree
 * (children before parents, within the pool) that the matcher can run
 * on a socket, and an error must be one line naming a column. Its
 * bytecode, with and without fwmark, must pass the kernel's audit
 * (tests/unit/bc_ref.h): a program the kernel refuses would fail the
 * listing instead of filtering it.
 */
#include "../../src/filter/filter.h"
#include "../unit/bc_ref.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_check_tree(const struct filter *f)
{
	for (unsigned i = 0; i < f->n; i++) {
		const struct filter_node *n = &f->nodes[i];

		if (n->left >= (int)i || n->right >= (int)i || n->kind >= FK_MAX)
			abort();
	}
	if (f->root >= (int)f->n)
		abort();
}

static void fuzz_check_bytecode(const struct filter *f)
{
	static struct filter_bc bc;
	struct strbuf err = STRBUF_INIT;

	for (unsigned flags = 0; flags <= FILTER_BC_MARK; flags += FILTER_BC_MARK) {
		if (filter_compile(f, flags, &bc, &err) ||
		    bc_ref_audit(bc.code, (int)bc.len))
			abort();
	}
	strbuf_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct filter f;
	struct strbuf err = STRBUF_INIT;
	struct sock_rec s;
	char *text;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (filter_parse_file(&f, text, &err) == 0) {
		fuzz_check_tree(&f);
		memset(&s, 0, sizeof(s));
		s.family = AF_INET;
		s.state = SS_LISTEN;
		s.wqueue = 128;
		(void)filter_match(&f, &s, NULL, NULL);
		s.family = AF_INET6;
		s.state = SS_ESTABLISHED;
		(void)filter_match(&f, &s, NULL, NULL);
		fuzz_check_bytecode(&f);
	} else if (!strstr(err.buf, "filter: ") || strchr(err.buf, '\n')) {
		abort();
	}
	strbuf_release(&err);
	free(text);
	return 0;
}
