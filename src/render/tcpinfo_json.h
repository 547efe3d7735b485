/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_RENDER_TCPINFO_JSON_H
#define SOCKVET_RENDER_TCPINFO_JSON_H

/*
 * The one JSON form of tcp_info, for every document that has one (ss
 * --json's sockets, the triage report's connections): an object
 * "tcp_info" whose keys are the kernel's names without "tcpi_", in
 * struct order, with the kernel's raw values in the kernel's units
 * (docs/json-keys.md, "Units"). Only present fields are written, so an
 * absent key means "not reported" and 0 means "reported as zero".
 */

#include "json_writer.h"
#include "../model/tcpinfo.h"

void tcpinfo_json_write(struct json_writer *w, const struct tcpinfo_vals *v);

#endif
