/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_CMD_CMD_NETNS_H
#define SOCKVET_CMD_CMD_NETNS_H

/*
 * --all-netns for a command that just visits: list every network
 * namespace (netns_list.h), call cb inside each, come back, and note on
 * stderr the ones that could not be entered and those past NETNS_MAX.
 * For `sockvet ss --all-netns`; meant for watch and the exporter too.
 * 0, or negative with err (the listing failed, cb stopped, or the
 * thread could not return to its namespace).
 */

#include "../collect/netns_list.h"

int cmd_netns_each(netns_each_fn cb, void *ctx, struct strbuf *err);

#endif
