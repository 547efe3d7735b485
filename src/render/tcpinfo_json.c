// SPDX-License-Identifier: GPL-2.0-or-later
#include "tcpinfo_json.h"

void tcpinfo_json_write(struct json_writer *w, const struct tcpinfo_vals *v)
{
	json_kv_obj_begin(w, "tcp_info");
	for (unsigned f = 0; f < TCPINFO_FIELD_MAX; f++)
		if (v->present[f])
			json_kv_u64(w, tcpinfo_def(f)->name, v->v[f]);
	json_obj_end(w);
}
