// SPDX-License-Identifier: GPL-2.0-or-later
#include "cmd_netns.h"

#include <stdio.h>
#include <string.h>

int cmd_netns_each(netns_each_fn cb, void *ctx, struct strbuf *err)
{
	struct netns_list l;
	char label[NETNS_LABEL_MAX];
	int ret;

	memset(&l, 0, sizeof(l));
	ret = netns_list_scan(&l, "/proc", NETNS_RUN_DIR_DEFAULT, err);
	if (!ret)
		ret = netns_each(&l, cb, ctx, err);
	for (unsigned i = 0; i < l.n && !ret; i++)
		if (l.e[i].skipped[0])
			fprintf(stderr, "sockvet: note: netns %llu %s skipped: %s\n",
				(unsigned long long)l.e[i].ino,
				netns_label(&l.e[i], label, sizeof(label)), l.e[i].skipped);
	if (l.dropped && !ret)
		fprintf(stderr, "sockvet: note: %u more namespaces past the limit of %u skipped\n",
			l.dropped, NETNS_MAX);
	netns_list_free(&l);
	return ret;
}
