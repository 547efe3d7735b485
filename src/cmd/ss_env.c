// SPDX-License-Identifier: GPL-2.0-or-later
/* What `sockvet ss` reads from its surroundings (ss_env.h). */
#include "ss_env.h"

#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../collect/sockstat.h"
#include "../collect/sysctl_read.h"
#include "../render/ss_summary.h"

/*
 * ss never names a port inside the ephemeral range (57000 prints as a
 * number though /etc/services knows it), so the renderer needs the range
 * of the namespace being listed.
 */
void ss_env_ephemeral(struct ss_view *v)
{
	struct sysctl_set *s = calloc(1, sizeof(*s));
	const struct sysctl_val *r;

	if (!s)
		return;
	if (!sysctl_read_one(s, "/proc", SYSCTL_IP_LOCAL_PORT_RANGE, NULL)) {
		r = &s->val[SYSCTL_IP_LOCAL_PORT_RANGE];
		if (r->present && r->n == 2) {
			v->eph_lo = (int)r->v[0];
			v->eph_hi = (int)r->v[1];
		}
	}
	free(s);
}

void ss_env_terminal(struct ss_view *v)
{
	struct winsize ws;

	v->tty = isatty(STDOUT_FILENO);
	v->screen_width = 80;
	if (v->tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		v->screen_width = ws.ws_col;
}

int ss_env_summary(struct strbuf *err)
{
	struct sockstat_counts st;

	if (sockstat_read(&st, "/proc", err) || ss_summary_print(stdout, &st, err))
		return -1;
	return 0;
}
