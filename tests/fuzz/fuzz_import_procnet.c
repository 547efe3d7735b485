// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the procnet importer (src/import/procnet_text.c): see
 * import_fuzz.h for the input layout (a command line, then the text)
 * and what is checked.
 */
#include "import_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_import_run(&import_procnet, data, size);
	return 0;
}
