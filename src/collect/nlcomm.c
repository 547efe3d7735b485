// SPDX-License-Identifier: GPL-2.0-or-later
#include "nlcomm.h"

#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * ss 6.1 (netlink_show_one) reads PROC_ROOT/PID/stat with "%*d (%[^)])":
 * the comm up to the first ')', nothing if it is empty. A portid is a
 * pid only for the first socket a process opens; for others the file
 * usually does not exist and ss prints the number.
 */
void nlcomm_fill(struct sock_rec *s, const char *proc_root)
{
	struct sock_netlink *nl = &s->u.nl;
	char path[PATH_MAX], buf[128];
	const char *open_p, *close_p;
	ssize_t n;
	size_t len;
	int fd;

	if (s->table != TBL_NETLINK)
		return;
	nl->has_comm = false;
	nl->comm[0] = '\0';
	if (nl->portid == 0 || nl->portid > INT32_MAX)
		return;
	if ((size_t)snprintf(path, sizeof(path), "%s/%u/stat",
			     proc_root ? proc_root : "/proc",
			     nl->portid) >= sizeof(path))
		return;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	open_p = strchr(buf, '(');
	if (!open_p)
		return;
	open_p++;
	close_p = strchr(open_p, ')');
	len = close_p ? (size_t)(close_p - open_p) : strlen(open_p);
	if (!len)
		return;
	if (len > sizeof(nl->comm) - 1)
		len = sizeof(nl->comm) - 1;
	memcpy(nl->comm, open_p, len);
	nl->comm[len] = '\0';
	nl->has_comm = true;
}
