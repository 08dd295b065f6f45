/* libFuzzer target: the template loader, which must refuse a broken template with a
 * diagnostic and never crash; a template it accepts must give a usable blank draft. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nianbao/check.h"
#include "nianbao/draft.h"
#include "nianbao/template.h"

static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!path[0]) {
		char dir[] = "/tmp/nianbao-fuzz-template.XXXXXX";
		if (!mkdtemp(dir))
			abort();
		snprintf(path, sizeof path, "%s/t.yaml", dir);
	}
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	struct diag_list diags = {0};
	struct template *t = template_load(path, &diags);
	if (!t) {
		if (!diags.count)
			abort();
		diag_free(&diags);
		return 0;
	}
	struct draft *d = draft_new(t);
	template_recompute_all(t, d->cells);
	struct check_report report = {0};
	checks_run(d, NULL, &report);
	check_report_free(&report);
	size_t len;
	free(draft_serialize(d, &len));
	draft_free(d);
	template_free(t);
	diag_free(&diags);
	return 0;
}
