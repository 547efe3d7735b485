// SPDX-License-Identifier: GPL-2.0-or-later
#include "focus.h"

#include <string.h>
#include <sys/socket.h>

/* The one table of symptom names: --symptom, the lab, the report. */
static const char *const symptom_names[SYMPTOM_MAX] = {
	[SYMPTOM_NONE] = "",
	[SYMPTOM_REFUSED] = "refused",
	[SYMPTOM_TIMEOUT] = "timeout",
	[SYMPTOM_RESET] = "reset",
	[SYMPTOM_SLOW] = "slow",
	[SYMPTOM_EXHAUSTION] = "exhaustion",
};

void focus_init(struct focus *f)
{
	memset(f, 0, sizeof(*f));
	f->port = -1;
	f->peer.port = -1;
}

bool peer_match(const struct peer *p, uint8_t family, const uint8_t daddr[16], uint16_t dport)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (!p || !p->set)
		return false;
	if (p->port >= 0 && dport != p->port)
		return false;
	if (family == p->family)
		return !memcmp(daddr, p->addr, p->family == AF_INET ? 4 : 16);
	return p->family == AF_INET && family == AF_INET6 &&
	       !memcmp(daddr, mapped, 12) && !memcmp(daddr + 12, p->addr, 4);
}

bool symptom_parse(const char *name, enum symptom *out)
{
	for (int i = SYMPTOM_NONE + 1; i < SYMPTOM_MAX; i++)
		if (!strcmp(name, symptom_names[i])) {
			*out = (enum symptom)i;
			return true;
		}
	return false;
}

const char *symptom_name(enum symptom s)
{
	return (unsigned)s < SYMPTOM_MAX ? symptom_names[s] : "";
}
