// SPDX-License-Identifier: GPL-2.0-or-later
#include "mib.h"

#include <stdlib.h>
#include <string.h>

void mib_init(struct mib *m)
{
	m->n = 0;
	m->sorted = true;
}

static int ent_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mib_ent *)a)->name, ((const struct mib_ent *)b)->name);
}

void mib_sort(struct mib *m)
{
	qsort(m->ent, m->n, sizeof(m->ent[0]), ent_cmp);
	m->sorted = true;
}

static struct mib_ent *find(const struct mib *m, const char *name)
{
	size_t lo = 0, hi = m->n;

	if (!m->sorted) {
		for (size_t i = 0; i < m->n; i++)
			if (!strcmp(m->ent[i].name, name))
				return (struct mib_ent *)&m->ent[i];
		return NULL;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->ent[mid].name, name);

		if (!c)
			return (struct mib_ent *)&m->ent[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int mib_set(struct mib *m, const char *name, size_t name_len, uint64_t value)
{
	char key[MIB_NAME_MAX];
	struct mib_ent *e;

	if (!name_len || name_len >= MIB_NAME_MAX)
		return -1;
	memcpy(key, name, name_len);
	key[name_len] = '\0';
	e = find(m, key);
	if (e) {
		e->value = value;
		return 0;
	}
	if (m->n >= MIB_MAX)
		return -1;
	e = &m->ent[m->n++];
	memcpy(e->name, key, name_len + 1);
	e->value = value;
	m->sorted = m->n == 1;
	return 0;
}

bool mib_get(const struct mib *m, const char *name, uint64_t *value)
{
	const struct mib_ent *e = find(m, name);

	if (!e)
		return false;
	*value = e->value;
	return true;
}

const char *const mib_watched[] = {
	"TcpExtListenOverflows", "TcpExtListenDrops", "TcpExtTCPReqQFullDrop",
	"TcpExtTCPReqQFullDoCookies", "TcpExtSyncookiesSent", "TcpRetransSegs",
	"TcpOutSegs", "TcpExtTCPSynRetrans", "TcpEstabResets", "TcpOutRsts",
	"TcpAttemptFails", "TcpExtTCPAbortOnData", "TcpExtTCPAbortOnClose",
	"TcpExtTCPAbortOnTimeout", "TcpExtTCPAbortOnMemory", "TcpExtTCPTimeWaitOverflow",
	"TcpExtTCPMemoryPressures", "TcpExtTCPRetransFail", "TcpExtTCPBacklogDrop",
	"UdpRcvbufErrors", "Udp6RcvbufErrors", "UdpSndbufErrors", "Udp6SndbufErrors",
};

const unsigned mib_watched_n = sizeof(mib_watched) / sizeof(mib_watched[0]);

_Static_assert(sizeof(mib_watched) / sizeof(mib_watched[0]) <= MIB_WATCHED_MAX,
	       "MIB_WATCHED_MAX holds every watched counter");
