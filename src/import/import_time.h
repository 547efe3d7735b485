/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_IMPORT_IMPORT_TIME_H
#define SOCKVET_IMPORT_IMPORT_TIME_H

/* A capture's own time, from its text (import_time.c says which shapes). */

#include <stdbool.h>
#include <stdint.h>

/* One line of `date` output (any common option or locale): ns since the epoch. */
bool import_time_date(const char *line, int64_t *ns);

/* A `sockvet capture N: ..., TIME, sample K of N` header (the command
 * after the prompt sign): its time in ns since the epoch. */
bool import_time_header(const char *cmd, int64_t *ns);

#endif
