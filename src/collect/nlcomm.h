/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_COLLECT_NLCOMM_H
#define SOCKVET_COLLECT_NLCOMM_H

/*
 * The process name ss prints beside a netlink socket's portid
 * ("rtnl:systemd/1"), looked up in this host's /proc. An enrichment, not
 * part of decoding: only a live listing of this host may call it; a
 * replayed dump from elsewhere must not get this host's names.
 */

#include "../model/sock.h"

/*
 * For a netlink record (anything else is left alone): fill u.nl.comm and
 * set u.nl.has_comm from PROC_ROOT/PORTID/stat when that file exists.
 * proc_root NULL means "/proc".
 */
void nlcomm_fill(struct sock_rec *s, const char *proc_root);

#endif
