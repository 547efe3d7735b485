/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_CMD_SS_ENV_H
#define SOCKVET_CMD_SS_ENV_H

/*
 * What `sockvet ss` reads from its surroundings rather than its command
 * line: the terminal, the current namespace's ephemeral port range (read
 * again in each namespace with --all-netns), and ss -s's counts.
 */

#include "../render/ss_view.h"
#include "../util/strbuf.h"

/* Whether stdout is a terminal, and its width (80 when not). */
void ss_env_terminal(struct ss_view *v);
/* v's eph_lo/eph_hi from this namespace's ip_local_port_range (unchanged when unreadable). */
void ss_env_ephemeral(struct ss_view *v);
/* ss -s from /proc/net/sockstat; 0, or -1 with err. */
int ss_env_summary(struct strbuf *err);

#endif
