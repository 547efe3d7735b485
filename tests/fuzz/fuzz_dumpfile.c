// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the dump-file importer (src/import/dumpfile.c):
 * the framing of a file into whole netlink messages, then the decoder.
 * The first input byte sets the replay filter (bits 0-1: families, bit 2:
 * LISTEN only) and when the callback says STOP (bits 4-7: after that many
 * records, 0 never); the rest is the file. The callback reads every byte
 * a record points at, so a pointer past a message shows up under
 * AddressSanitizer.
 */
#include "../../src/import/dumpfile.h"

#include <stdio.h>
#include <string.h>

static volatile uint32_t sink;

struct fz {
	unsigned n, stop_after;
};

static int touch(const struct sock_rec *s, void *ctx)
{
	struct fz *f = ctx;
	uint32_t acc = 0, i;

	for (i = 0; i < s->tcpi_len; i++)
		acc += s->tcpi[i];
	acc += (uint32_t)strlen(s->cong) + (uint32_t)strlen(s->ulp) + s->sport;
	sink += acc;
	if (f->stop_after && ++f->n >= f->stop_after)
		return SOCK_CB_STOP;
	return SOCK_CB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf err = STRBUF_INIT;
	struct dumpfile_filter filter;
	struct fz f = { 0, 0 };
	FILE *fp;

	if (size < 1)
		return 0;
	filter.families = data[0] & 3u;
	filter.states = data[0] & 4u ? 1u << SS_LISTEN : 0;
	f.stop_after = data[0] >> 4;
	/* fmemopen refuses a zero-length buffer; an empty file is "-" here. */
	if (size == 1)
		return 0;
	fp = fmemopen((void *)(uintptr_t)(data + 1), size - 1, "rb");
	if (!fp)
		return 0;
	dumpfile_replay_stream(fp, "fuzz", &filter, touch, &f, &err);
	fclose(fp);
	strbuf_release(&err);
	return 0;
}
