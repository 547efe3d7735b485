// SPDX-License-Identifier: GPL-2.0-or-later
#include "services.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

/* Marks a slot that was looked up and had no name. */
static const char svc_none[] = "";

#define SVC_PORTS 65536u

struct services {
	/* One lazily allocated table per protocol kind: 512 KiB each. */
	const char **port[SVC_PROTO_MAX];
	const char *ipproto[256];
	bool servent_open;
};

int services_new(struct services **out, struct strbuf *err)
{
	struct services *s = calloc(1, sizeof(*s));

	if (!s)
		return error_set(err, "cannot allocate the service name cache");
	*out = s;
	return 0;
}

void services_free(struct services *s)
{
	if (!s)
		return;
	for (int p = 0; p < SVC_PROTO_MAX; p++) {
		if (!s->port[p])
			continue;
		for (size_t i = 0; i < SVC_PORTS; i++)
			if (s->port[p][i] && s->port[p][i] != svc_none)
				free((void *)s->port[p][i]);
		free(s->port[p]);
	}
	for (int i = 0; i < 256; i++)
		if (s->ipproto[i] && s->ipproto[i] != svc_none)
			free((void *)s->ipproto[i]);
	if (s->servent_open)
		endservent();
	free(s);
}

static const char *const svc_proto_name[SVC_PROTO_MAX] = {
	[SVC_TCP] = "tcp",
	[SVC_UDP] = "udp",
	[SVC_ANY] = NULL,
};

const char *services_port(struct services *s, enum svc_proto p, uint16_t port)
{
	const char **slot;
	struct servent *se;
	char *name;

	if (!s->port[p]) {
		s->port[p] = calloc(SVC_PORTS, sizeof(*s->port[p]));
		if (!s->port[p])
			return NULL;  /* no cache: print the number, as ss on ENOMEM */
	}
	slot = &s->port[p][port];
	if (*slot)
		return *slot == svc_none ? NULL : *slot;
	if (!s->servent_open) {
		/* ss keeps the services file open across lookups too. */
		setservent(1);
		s->servent_open = true;
	}
	se = getservbyport(htons(port), svc_proto_name[p]);
	name = se ? strdup(se->s_name) : NULL;
	*slot = name ? name : svc_none;
	return name;
}

const char *services_ipproto(struct services *s, uint8_t proto)
{
	struct protoent *pe;
	char *name;

	if (s->ipproto[proto])
		return s->ipproto[proto] == svc_none ? NULL : s->ipproto[proto];
	pe = getprotobynumber(proto);
	name = pe ? strdup(pe->p_name) : NULL;
	s->ipproto[proto] = name ? name : svc_none;
	return name;
}
