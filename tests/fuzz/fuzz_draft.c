/* libFuzzer target: the draft loader. Whatever it is given, it either refuses with a
 * diagnostic or yields a draft that checks, serialises, and loads back to the same text. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nianbao/check.h"
#include "nianbao/draft.h"
#include "nianbao/render.h"

static struct template_cache *cache;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!cache)
		cache = template_cache_new(getenv("NIANBAO_TEMPLATES"));
	struct diag_list diags = {0};
	struct draft *d = draft_load_buffer("fuzz.yaml", (const char *)data, size, cache, &diags);
	if (!d) {
		if (!diags.count)
			abort();   /* a refusal must say why */
		diag_free(&diags);
		return 0;
	}
	struct check_report report = {0};
	checks_run(d, NULL, &report);
	check_report_free(&report);
	struct render_options opt = {.width = 60, .borders = RENDER_BORDERS_ASCII, .draft_mark = true};
	size_t rlen;
	free(render_report(d, &opt, &rlen));
	size_t len;
	char *yaml = draft_serialize(d, &len);
	struct diag_list again = {0};
	struct draft *back = draft_load_buffer("again.yaml", yaml, len, cache, &again);
	if (!back) {
		diag_print(&again, stderr);
		abort();   /* what we write, we must read */
	}
	size_t len2;
	char *yaml2 = draft_serialize(back, &len2);
	if (len != len2 || memcmp(yaml, yaml2, len))
		abort();   /* and it must be stable */
	free(yaml2);
	free(yaml);
	draft_free(back);
	draft_free(d);
	diag_free(&again);
	diag_free(&diags);
	return 0;
}
