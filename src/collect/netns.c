// SPDX-License-Identifier: GPL-2.0-or-later
#include "netns.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Where `ip netns add` keeps its bind mounts (iproute2's NETNS_RUN_DIR). */
#define NETNS_RUN_DIR "/var/run/netns"

int netns_open(const char *name, struct strbuf *err)
{
	char path[PATH_MAX];
	int fd;

	if (!name || !*name)
		return error_set(err, "empty network namespace name");
	if (strchr(name, '/')) {
		if (strlen(name) >= sizeof(path))
			return error_set(err, "network namespace path too long");
		strcpy(path, name);
	} else {
		/* "." and ".." would name the directory, not a namespace. */
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			return error_set(err, "invalid network namespace name '%s'",
					 name);
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR,
				     name) >= sizeof(path))
			return error_set(err, "network namespace name too long");
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error_set(err, "cannot open network namespace '%s': %s", path,
				 strerror(errno));
	return fd;
}

int netns_enter_fd(int fd, const char *name, struct strbuf *err)
{
	if (setns(fd, CLONE_NEWNET) < 0)
		return error_set(err, "cannot enter network namespace '%s': %s", name,
				 errno == EINVAL ? "not a network namespace" :
				 strerror(errno));
	return 0;
}

int netns_enter(const char *name, struct strbuf *err)
{
	int fd = netns_open(name, err), ret;

	if (fd < 0)
		return -1;
	ret = netns_enter_fd(fd, name, err);
	close(fd);
	return ret;
}
