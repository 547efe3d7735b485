/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_MODEL_CAPTURE_H
#define SOCKVET_MODEL_CAPTURE_H

/*
 * What `sockvet analyze` read: one entry per section of its inputs (a
 * whole file, or one command's output in a pasted transcript), filled
 * by src/import and shown by the report's "Read" header, so a verdict
 * says what it rests on and what was left out.
 */

#include <stdint.h>

#define CAPTURE_READ_MAX 64

enum capture_status {
	CAPTURE_USED,            /* imported */
	CAPTURE_UNKNOWN,         /* no importer recognised it */
	CAPTURE_REPEAT,          /* beyond the last sample kept: not read */
	CAPTURE_ERROR,           /* recognised, then broken (error says where) */
};

struct capture_read {
	char file[128];          /* as given ("<stdin>" for -) */
	uint32_t line;           /* where the section starts */
	char cmd[128];           /* the transcript's command line, "" when none */
	enum capture_status status;
	char what[96];           /* the importer's description, or what was tried */
	uint32_t have;           /* HAVE_* bits it filled */
	uint64_t rows, skipped;
	char note[200];          /* caveats; the error for CAPTURE_ERROR */
	int sample;              /* the sample it went to (0: oldest), -1 none */
	int64_t time_ns;         /* that sample's wall-clock time, 0 unknown */
};

struct capture_list {
	uint32_t n;
	uint32_t dropped;        /* sections beyond CAPTURE_READ_MAX */
	unsigned samples;        /* samples in time the sections made */
	bool by_time;            /* ordered by their timestamps (else as given) */
	struct capture_read r[CAPTURE_READ_MAX];
};

#endif
