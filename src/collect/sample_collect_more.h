/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_COLLECT_SAMPLE_COLLECT_MORE_H
#define SOCKVET_COLLECT_SAMPLE_COLLECT_MORE_H

/*
 * The sample's dumps beyond TCP, each on the run's sock_diag session
 * and each through the sample builder: UNIX stream/seqpacket listeners
 * with their queues (ss -xl), and UDP sockets with skmem (ss -uanm).
 */

#include "sockdiag.h"
#include "../model/sample_build.h"
#include "../util/strbuf.h"

/* The UNIX listeners of the session's namespace; 0, or negative with
 * err set (a dump still torn after retries). */
int sample_collect_unix(struct sample_builder *b, struct diag_session *ds, struct strbuf *err);

/* The UDP sockets of the session's namespace, with skmem. */
int sample_collect_udp(struct sample_builder *b, struct diag_session *ds, struct strbuf *err);

#endif
