/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_IMPORT_IMPORT_DUMP_H
#define SOCKVET_IMPORT_IMPORT_DUMP_H

/* Raw sock_diag recordings given to analyze (import_dump.c). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../model/capture.h"
#include "../model/sample_build.h"

/* Do the first n bytes look like a SOCK_DIAG_BY_FAMILY recording? */
bool import_dump_shaped(const uint8_t *b, size_t n);

/*
 * If fp (a seekable file, at its start) is a recording, replay it into b
 * and list it in cl (used or in error), adding what it filled to *prior
 * and 1 to *used when used; returns 1. Otherwise rewinds fp and returns
 * 0 (the text path reads it).
 */
int import_dump(FILE *fp, const char *name, struct sample_builder *b, struct capture_list *cl,
		uint32_t *prior, int *used);

#endif
