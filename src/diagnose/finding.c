// SPDX-License-Identifier: GPL-2.0-or-later
#include "finding.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rules.h"

struct finding *rule_finding(struct findings *out, const struct rule *self, unsigned k,
			     enum severity sev, enum side side)
{
	struct finding *f;

	if (k >= RULE_IDS_MAX || !self->ids[k])
		return NULL;
	if (out->n == FINDINGS_MAX) {
		out->dropped++;
		return NULL;
	}
	f = &out->f[out->n++];
	memset(f, 0, sizeof(*f));
	f->id = self->ids[k];
	f->rule = self;
	f->severity = sev;
	f->side = side;
	return f;
}

struct finding *rule_one_sample_note(struct findings *out, const struct rule *self,
				     const char *subject, const char *evidence,
				     const char *explanation)
{
	struct finding *f = rule_finding(out, self, 0, SEV_INFO, SIDE_NONE);

	if (!f)
		return NULL;
	snprintf(f->subject, sizeof(f->subject), "%s", subject);
	finding_evidence(f, "%s", evidence);
	snprintf(f->explanation, sizeof(f->explanation), "%s", explanation);
	return f;
}

/* Append to a fixed buffer, cutting rather than overflowing. */
static void text_add(char *buf, size_t size, const char *s)
{
	size_t at = strnlen(buf, size);

	if (at + 1 < size)
		snprintf(buf + at, size - at, "%s", s);
}

void finding_one_sample(struct finding *f, const char *what, int port)
{
	char cmd[32], sentence[320];

	if (port >= 0)
		snprintf(cmd, sizeof(cmd), "sockvet --port %d", port);
	else
		snprintf(cmd, sizeof(cmd), "sockvet");
	snprintf(sentence, sizeof(sentence),
		 "%sOnly one sample (--once): %s could not be confirmed. Take a second look "
		 "before changing anything: %s (without --once: 3 samples, 1 s between them; "
		 "the Verify line shows it as it must be run).",
		 f->explanation[0] && f->explanation[strlen(f->explanation) - 1] != ' ' ? " " : "",
		 what, cmd);
	text_add(f->explanation, sizeof(f->explanation), sentence);
	text_add(f->verify_command, sizeof(f->verify_command), f->verify_command[0] ? "; " : "");
	text_add(f->verify_command, sizeof(f->verify_command), cmd);
}

const char *finding_span(char *buf, const char *prep, double span_s)
{
	if (span_s > 0)
		snprintf(buf, FINDING_SPAN_MAX, "%s %.1f s", prep, span_s);
	else
		snprintf(buf, FINDING_SPAN_MAX, "between samples taken at unknown times");
	return buf;
}

void finding_evidence_rise(struct finding *f, const char *name, uint64_t delta, double span_s,
			   const char *note)
{
	char n[32], sp[FINDING_SPAN_MAX];

	if (delta)
		finding_evidence(f, "%s rose by %s %s%s%s (nstat -az %s)", name,
				 fmt_thousands(n, delta), finding_span(sp, "in", span_s),
				 note && note[0] ? ", " : "", note ? note : "", name);
	else
		finding_evidence(f, "%s did not rise %s%s%s (nstat -az %s)", name,
				 finding_span(sp, "in", span_s), note && note[0] ? ", " : "",
				 note ? note : "", name);
}

void finding_evidence_rise2(struct finding *f, const char *a, uint64_t da, const char *b,
			    uint64_t db, double span_s, const char *note)
{
	char na[32], nb[32], sp[FINDING_SPAN_MAX];

	finding_evidence(f, "%s rose by %s and %s by %s %s%s%s (nstat -az %s %s)", a,
			 fmt_thousands(na, da), b, fmt_thousands(nb, db), finding_span(sp, "in", span_s),
			 note && note[0] ? ", " : "", note ? note : "", a, b);
}

void finding_evidence(struct finding *f, const char *fmt, ...)
{
	va_list ap;

	if (f->n_evidence == FINDING_EVIDENCE_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(f->evidence[f->n_evidence++], FINDING_TEXT, fmt, ap);
	va_end(ap);
}

struct change *finding_change_sysctl(struct finding *f, const char *name, int64_t cur,
				     int64_t want)
{
	struct change *c = finding_change(f);

	if (!c)
		return NULL;
	snprintf(c->setting, sizeof(c->setting), "%s", name);
	snprintf(c->current, sizeof(c->current), "%lld", (long long)cur);
	snprintf(c->proposed, sizeof(c->proposed), "%lld", (long long)want);
	snprintf(c->backout, sizeof(c->backout), "sysctl -w %s=%lld", name, (long long)cur);
	return c;
}

void finding_change_backlog(struct finding *f, const struct s_proc *owner, uint32_t cur,
			    uint64_t want, int64_t somaxconn)
{
	struct change *c = finding_change(f);

	if (!c)
		return;
	if (owner)
		snprintf(c->setting, sizeof(c->setting), "listen() backlog of %s[%u]",
			 owner->comm, owner->pid);
	else
		snprintf(c->setting, sizeof(c->setting), "listen() backlog (app config)");
	snprintf(c->current, sizeof(c->current), "%u", cur);
	snprintf(c->proposed, sizeof(c->proposed), "%llu", (unsigned long long)want);
	snprintf(c->backout, sizeof(c->backout),
		 "set the backlog back to %u in the app's config and restart it", cur);
	if (somaxconn >= 0)
		snprintf(c->effective, sizeof(c->effective),
			 "at the next listen(): restart the service; net.core.somaxconn (%lld) caps it",
			 (long long)somaxconn);
	else
		snprintf(c->effective, sizeof(c->effective),
			 "at the next listen(): restart the service; net.core.somaxconn caps it");
}

void finding_kevents(struct finding *f, const struct kev_scan *k, int64_t now_us,
		     const char *line)
{
	if (!k->events)
		return;
	if (k->newest_us >= 0 && now_us >= k->newest_us)
		finding_evidence(f, "dmesg: \"%s\" %u time%s, the last %.0f s ago", line,
				 k->events, k->events == 1 ? "" : "s", (now_us - k->newest_us) / 1e6);
	else
		finding_evidence(f, "dmesg: \"%s\" %u time%s", line,
				 k->events, k->events == 1 ? "" : "s");
}

struct change *finding_change(struct finding *f)
{
	struct change *c;

	if (f->n_changes == FINDING_CHANGES_MAX)
		return NULL;
	c = &f->changes[f->n_changes++];
	memset(c, 0, sizeof(*c));
	return c;
}
