// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the count importer (src/import/count_text.c): see
 * import_fuzz.h for the input layout (a command line, then the text)
 * and what is checked.
 */
#include "import_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_import_run(&import_count, data, size);
	return 0;
}
