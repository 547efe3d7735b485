// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The exporter's HTTP server, on libmicrohttpd (Debian's
 * libmicrohttpd12): read-only, two pages, bounded in every direction.
 *
 * Threading: MHD_USE_EPOLL_INTERNAL_THREAD, one event-loop thread over
 * non-blocking sockets. A slow or silent client (half-open, slowloris,
 * a reader that never reads) only keeps its own connection, and only
 * until EXP_CONN_TIMEOUT_S: no call in the loop waits on one client, so
 * it cannot stall the others. Thread-per-connection would give the same
 * isolation at the cost of a thread (and its stack) per connection; the
 * response is a buffer in memory, so there is no blocking work a thread
 * would hide.
 *
 * Bounds (each one an option below):
 *  - EXP_CONN_LIMIT connections at once. A fleet scrapes a target from
 *    one or two Prometheus servers; 256 leaves room for a test's burst
 *    and keeps fds (256 of the default 1024 soft limit) and memory
 *    (256 x EXP_CONN_MEMORY = 8 MiB) small. Past it MHD stops taking
 *    connections off the kernel's accept queue until one ends.
 *  - EXP_PER_IP_LIMIT from one address: one client cannot take every
 *    slot; a Prometheus server uses one connection per target.
 *  - EXP_CONN_TIMEOUT_S idle seconds per connection: Prometheus's
 *    default scrape_timeout is 10 s and a scrape takes milliseconds, so
 *    a connection idle that long is a client that is not going to send.
 *  - EXP_CONN_MEMORY bytes per connection for the request line and
 *    headers (a GET has no body): an oversized header gets 431 and the
 *    connection is closed; the response is not in this pool (it points
 *    at the published buffer).
 *  - EXP_BACKLOG: the listen backlog, the burst the kernel queues while
 *    the loop is at its connection limit.
 */
#include "exporter_http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define EXP_CONN_LIMIT 256
#define EXP_PER_IP_LIMIT 128
#define EXP_CONN_TIMEOUT_S 10
#define EXP_CONN_MEMORY (32 * 1024)
#define EXP_BACKLOG 512

#define PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

static const char index_page[] =
	"<!DOCTYPE html>\n<html><head><title>sockvet exporter</title></head><body>\n"
	"<h1>sockvet exporter</h1>\n"
	"<p>Listener queues, socket states, limits and the triage verdict of this host.</p>\n"
	"<p><a href=\"/metrics\">/metrics</a> (metric names: docs/exporter.md; "
	"alerts: contrib/prometheus/sockvet-rules.yml)</p>\n</body></html>\n";

/* A published exposition, shared by the scrapes serving it. */
struct snap {
	atomic_uint refs;
	size_t len;
	char data[];
};

struct exporter_http {
	struct MHD_Daemon *d;
	pthread_mutex_t lock;
	struct snap *cur;        /* NULL until the first publish */
};

static void snap_put(void *cls)
{
	struct snap *s = cls;

	if (s && atomic_fetch_sub(&s->refs, 1) == 1)
		free(s);
}

static struct snap *snap_get(struct exporter_http *h)
{
	struct snap *s;

	pthread_mutex_lock(&h->lock);
	s = h->cur;
	if (s)
		atomic_fetch_add(&s->refs, 1);
	pthread_mutex_unlock(&h->lock);
	return s;
}

int exporter_http_publish(struct exporter_http *h, const char *data, size_t len)
{
	struct snap *s = malloc(sizeof(*s) + len), *old;

	if (!s)
		return -1;
	atomic_init(&s->refs, 1);
	s->len = len;
	memcpy(s->data, data, len);
	pthread_mutex_lock(&h->lock);
	old = h->cur;
	h->cur = s;
	pthread_mutex_unlock(&h->lock);
	snap_put(old);
	return 0;
}

static enum MHD_Result queue_static(struct MHD_Connection *c, unsigned status, const char *body,
				    const char *type, bool allow)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body,
								 MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result queue_metrics(struct exporter_http *h, struct MHD_Connection *c)
{
	struct snap *s = snap_get(h);
	struct MHD_Response *r;
	enum MHD_Result ret;

	if (!s)
		return queue_static(c, MHD_HTTP_SERVICE_UNAVAILABLE, "no sample yet\n",
				    "text/plain; charset=utf-8", false);
	r = MHD_create_response_from_buffer_with_free_callback_cls(s->len, s->data, snap_put, s);
	if (!r) {
		snap_put(s);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, PROM_CONTENT_TYPE);
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **req_cls)
{
	(void)version;
	(void)upload;
	(void)req_cls;
	/* A body (POST, PUT) is refused before it is read: the 405 is
	 * queued at once and MHD closes the connection after it. */
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return queue_static(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n",
				    "text/plain; charset=utf-8", true);
	if (*upload_size)
		return queue_static(c, MHD_HTTP_BAD_REQUEST, "a GET has no body\n",
				    "text/plain; charset=utf-8", false);
	if (!strcmp(url, "/metrics"))
		return queue_metrics(cls, c);
	if (!strcmp(url, "/"))
		return queue_static(c, MHD_HTTP_OK, index_page, "text/html; charset=utf-8", false);
	return queue_static(c, MHD_HTTP_NOT_FOUND, "not found: try /metrics\n",
			    "text/plain; charset=utf-8", false);
}

static int parse_listen(const char *spec, struct sockaddr_storage *ss, socklen_t *len,
			struct strbuf *err)
{
	const char *colon = strrchr(spec, ':');
	char host[64];
	size_t hl;
	char *end;
	unsigned long port;

	if (!colon)
		return error_set(err, "--listen: '%s' is not ADDR:PORT", spec);
	port = strtoul(colon + 1, &end, 10);
	hl = (size_t)(colon - spec);
	if (!colon[1] || *end || port == 0 || port > 65535 || hl >= sizeof(host))
		return error_set(err, "--listen: '%s' is not ADDR:PORT (port 1-65535)", spec);
	memcpy(host, spec, hl);
	host[hl] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

		host[hl - 1] = '\0';
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*a6);
		if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) == 1)
			return 0;
	} else {
		struct sockaddr_in *a4 = (struct sockaddr_in *)ss;

		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		*len = sizeof(*a4);
		if (!hl || inet_pton(AF_INET, host, &a4->sin_addr) == 1)
			return 0;
	}
	return error_set(err, "--listen: '%s' is not an IPv4 address or [IPv6] address", host);
}

int exporter_http_listen(const char *spec, struct strbuf *err)
{
	struct sockaddr_storage ss;
	socklen_t len = 0;
	int fd, one = 1;

	if (parse_listen(spec, &ss, &len, err))
		return -1;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return error_set(err, "socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) || listen(fd, EXP_BACKLOG)) {
		error_set(err, "cannot listen on %s: %s", spec, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int exporter_http_start(struct exporter_http **hp, int fd, struct strbuf *err)
{
	struct exporter_http *h = calloc(1, sizeof(*h));

	if (!h) {
		close(fd);
		return error_set(err, "out of memory");
	}
	pthread_mutex_init(&h->lock, NULL);
	h->d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD, 0, NULL, NULL, handle, h,
				MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned)EXP_CONN_LIMIT,
				MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)EXP_PER_IP_LIMIT,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)EXP_CONN_TIMEOUT_S,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)EXP_CONN_MEMORY,
				MHD_OPTION_END);
	if (!h->d) {
		close(fd);
		pthread_mutex_destroy(&h->lock);
		free(h);
		return error_set(err, "cannot start the HTTP server (libmicrohttpd)");
	}
	*hp = h;
	return 0;
}

void exporter_http_stop(struct exporter_http *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->d);   /* closes the listening socket too */
	snap_put(h->cur);
	pthread_mutex_destroy(&h->lock);
	free(h);
}
