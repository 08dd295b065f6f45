/* Loads and renders drafts in one process, as a reviewer printing a batch would.
 * Usage: render_bench FILE...; prints "drafts=N seconds=S rate=R". */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "nianbao/draft.h"
#include "nianbao/render.h"

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct template_cache *cache = template_cache_new(NULL);
	struct render_options opt = {.width = RENDER_DEFAULT_WIDTH, .borders = RENDER_BORDERS_ASCII};
	size_t bytes = 0;
	int rendered = 0;
	for (int i = 1; i < argc; i++) {
		struct diag_list diags = {0};
		struct draft *d = draft_load(argv[i], cache, &diags);
		diag_free(&diags);
		if (!d)
			continue;
		size_t len;
		char *text = render_report(d, &opt, &len);
		bytes += len;
		rendered++;
		free(text);
		draft_free(d);
	}
	template_cache_free(cache);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("drafts=%d bytes=%zu seconds=%.6f rate=%.0f\n", rendered, bytes, s, rendered / s);
	return rendered == argc - 1 ? 0 : 1;
}
