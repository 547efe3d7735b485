/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_COLLECT_SYSCTL_READ_H
#define SOCKVET_COLLECT_SYSCTL_READ_H

#include "../model/sysctl.h"
#include "../util/strbuf.h"

/*
 * Read every sysctl in sysctl_defs from PROC_ROOT/sys. A missing or
 * unreadable one is recorded (present=false, err=errno), not an error;
 * text that is not the expected numbers is an error naming the file.
 */
int sysctl_read_all(struct sysctl_set *s, const char *proc_root, struct strbuf *err);

/* "/proc/sys/net/core/somaxconn": the file of setting id under proc_root. */
void sysctl_path(char *path, size_t size, const char *proc_root, enum sysctl_id id);

/* Read one of them into s->val[id], the same way. */
int sysctl_read_one(struct sysctl_set *s, const char *proc_root, enum sysctl_id id,
		    struct strbuf *err);

/* Parse one value's text (up to SYSCTL_VALS blank-separated integers). */
int sysctl_parse(struct sysctl_val *v, const char *text, const char *fname,
		 bool numeric, struct strbuf *err);

#endif
