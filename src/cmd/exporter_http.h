/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_CMD_EXPORTER_HTTP_H
#define SOCKVET_CMD_EXPORTER_HTTP_H

/*
 * The exporter's HTTP side (libmicrohttpd): GET/HEAD /metrics serves the
 * last exposition the sampler published, / a small index page; other
 * paths 404, other methods 405. A scrape never samples: it takes a
 * reference to the published buffer under a mutex, so 1,000 parallel
 * scrapes cost 1,000 memory copies to sockets and no dump.
 */

#include <stddef.h>

#include "../util/strbuf.h"

struct exporter_http;

/* Parse "ADDR:PORT" ("127.0.0.1:9813", "[::1]:9813", ":9813" = every
 * IPv4 address), then bind and listen in the current network namespace.
 * Returns the listening fd, or negative with a message in err. */
int exporter_http_listen(const char *spec, struct strbuf *err);

/* Serve on fd (taken over; closed by exporter_http_stop). Signals should
 * be blocked by the caller around this call, so that the server's thread
 * never takes the caller's SIGTERM. 0, or negative with a message. */
int exporter_http_start(struct exporter_http **h, int fd, struct strbuf *err);

/* Publish a new exposition (copied); scrapes in flight keep the old one. */
int exporter_http_publish(struct exporter_http *h, const char *data, size_t len);

void exporter_http_stop(struct exporter_http *h);

#endif
