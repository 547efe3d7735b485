/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_MODEL_OWNER_H
#define SOCKVET_MODEL_OWNER_H

/*
 * struct sock_owner: one (process or thread, fd) that holds a socket
 * inode open. A socket can have many (fork()ed listeners, dup()ed fds,
 * and with -T one per thread). Filled by the process map (collect), read
 * by renderers and rules.
 */

#include <stdint.h>

struct sock_owner {
	const char *comm;   /* as in /proc/PID/stat, at most 15 bytes, NUL-terminated */
	uint32_t pid;
	uint32_t tid;       /* 0 unless threads were walked */
	int32_t fd;
	/*
	 * The whole name when ss's cut at the first ')' shortened it (JSON
	 * prints this one); NULL where the source only has the cut.
	 */
	const char *comm_true;
};

#endif
