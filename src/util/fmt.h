/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_UTIL_FMT_H
#define SOCKVET_UTIL_FMT_H

#include <stdint.h>

/* 12345678 -> "12,345,678" in buf: counts are read by tired people. */
const char *fmt_thousands(char buf[32], uint64_t v);

#endif
