// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for `sockvet analyze`'s whole input path: any bytes
 * as one pasted capture go through the section cutter, detection and
 * every importer into a sample. It must never crash or read out of
 * bounds; every section is listed with a known status, and a used one
 * says what it was.
 */
#include "../../src/import/import_run.h"

#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct import_series is;
	static struct capture_list cl;
	struct sample_build_opts bo = { .want_port = -1 };
	struct strbuf err = STRBUF_INIT;
	FILE *fp;
	int used;

	bo.peer.port = -1;
	fp = fmemopen((void *)data, size ? size : 1, "r");
	if (!fp)
		return 0;
	used = import_run_stream(fp, "fuzz", &bo, &is, &cl, &err);
	fclose(fp);
	if (used > (int)cl.n || (used >= 0 && (is.n < 1 || is.n > IMPORT_SAMPLES_MAX ||
					       is.ser.n != is.n)))
		abort();
	for (uint32_t i = 0; i < cl.n; i++) {
		if (cl.r[i].status > CAPTURE_ERROR)
			abort();
		if (cl.r[i].status == CAPTURE_USED && !cl.r[i].what[0])
			abort();
		if (cl.r[i].sample >= (int)is.n)
			abort();
	}
	import_series_release(&is);
	strbuf_release(&err);
	return 0;
}
