/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_IMPORT_PROC_PID_H
#define SOCKVET_IMPORT_PROC_PID_H

/*
 * What the per-process importers (limits_text.c, count_text.c) share:
 * the process a pasted command is about, read from its /proc/PID/ path
 * or lsof's -p, and the name a comment after it gives (`# nginx`, as
 * `sockvet capture` writes it).
 */

#include <stdbool.h>
#include <stdint.h>

#include "import_cmd.h"

struct proc_pid {
	bool given;              /* a numeric PID */
	bool self;               /* /proc/self: the command's own process, a shell's child */
	uint32_t pid;
	char comm[16];           /* from "# name" after the command; "" */
};

/* The PID of the first /proc/N/<what> argument (what: "fd", "limits"),
 * or lsof's -p N when what is NULL. */
void proc_pid_from_cmd(struct proc_pid *p, const struct import_cmd *c, const char *cmd,
		       const char *what);

/* The process entry for p, its name filled when the sample's has none;
 * NULL when the table is full. Marks HAVE_FDS. */
struct s_proc *proc_pid_entry(struct sample_builder *b, const struct proc_pid *p);

#endif
