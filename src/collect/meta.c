// SPDX-License-Identifier: GPL-2.0-or-later
#include "meta.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

int meta_collect(struct snap_meta *m, const char *proc_root, struct strbuf *err)
{
	struct utsname u;
	struct timespec ts;
	char path[4096];
	ssize_t n;

	memset(m, 0, sizeof(*m));
	if (uname(&u))
		return error_set(err, "uname: %s", strerror(errno));
	snprintf(m->host, sizeof(m->host), "%s", u.nodename);
	snprintf(m->kernel, sizeof(m->kernel), "%s", u.release);
	snprintf(path, sizeof(path), "%s/self/ns/net", proc_root);
	n = readlink(path, m->netns, sizeof(m->netns) - 1);
	m->netns[n > 0 ? n : 0] = '\0';
	m->time_unix = (int64_t)time(NULL);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	m->mono_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	return 0;
}
