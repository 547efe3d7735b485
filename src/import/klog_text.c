// SPDX-License-Identifier: GPL-2.0-or-later
/* Placeholder: the klog importer is being written (recognises nothing yet). */
#include "import.h"

static int stub_detect(const char *cmd, const char *const *head, unsigned n)
{
	(void)cmd;
	(void)head;
	(void)n;
	return 0;
}

const struct importer import_klog = { .name = "klog", .detect = stub_detect };
