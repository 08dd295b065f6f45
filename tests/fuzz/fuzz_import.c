/* libFuzzer target: the report importer, which reads whatever a clerk pastes. It must
 * refuse with a diagnostic or yield a draft that serialises and loads back. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nianbao/import.h"

static struct template_cache *cache;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!cache)
		cache = template_cache_new(getenv("NIANBAO_TEMPLATES"));
	struct diag_list diags = {0};
	struct import_summary sum;
	struct draft *d = import_report("fuzz.txt", (const char *)data, size, cache, &sum, &diags);
	if (!d) {
		if (!diags.count)
			abort();
	} else {
		size_t len;
		char *yaml = draft_serialize(d, &len);
		struct diag_list again = {0};
		struct draft *back = draft_load_buffer("again.yaml", yaml, len, cache, &again);
		if (!back) {
			diag_print(&again, stderr);
			abort();
		}
		draft_free(back);
		diag_free(&again);
		free(yaml);
		draft_free(d);
	}
	import_summary_free(&sum);
	diag_free(&diags);
	return 0;
}
