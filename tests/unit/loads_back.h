/* Shared by the unit tests: asserts that a draft, serialised, loads back. */
#ifndef NIANBAO_TESTS_LOADS_BACK_H
#define NIANBAO_TESTS_LOADS_BACK_H

#include <stdio.h>
#include <stdlib.h>

#include "nianbao/draft.h"

static void
assert_loads_back(const struct draft *d, struct template_cache *cache)
{
	size_t len;
	char *yaml = draft_serialize(d, &len);
	struct diag_list diags = {0};
	struct draft *back = draft_load_buffer("again.yaml", yaml, len, cache, &diags);
	if (!back)
		diag_print(&diags, stderr);
	assert_non_null(back);
	draft_free(back);
	diag_free(&diags);
	free(yaml);
}

#endif
