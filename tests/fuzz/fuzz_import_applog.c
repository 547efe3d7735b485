// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the application-log importer
 * (src/import/applog_text.c): see import_fuzz.h for the input layout (a
 * command line, then the text) and what is checked; the groups it fills
 * are checked here too.
 */
#include "import_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_import_run(&import_applog, data, size);
	return 0;
}
