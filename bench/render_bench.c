/* Loads and renders drafts in one process, as a reviewer printing a batch would.
 * Usage: render_bench [--format text|html|docx] FILE...;
 * prints "drafts=N bytes=B seconds=S rate=R". */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nianbao/draft.h"
#include "nianbao/render.h"

int
main(int argc, char **argv)
{
	const char *format = "text";
	int first = 1;
	if (argc > 2 && !strcmp(argv[1], "--format")) {
		format = argv[2];
		first = 3;
	}
	if (strcmp(format, "text") && strcmp(format, "html") && strcmp(format, "docx")) {
		fprintf(stderr, "render_bench: --format must be text, html or docx\n");
		return 2;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct template_cache *cache = template_cache_new(NULL);
	struct render_options opt = {.width = RENDER_DEFAULT_WIDTH, .borders = RENDER_BORDERS_ASCII};
	size_t bytes = 0;
	int rendered = 0;
	for (int i = first; i < argc; i++) {
		struct diag_list diags = {0};
		struct draft *d = draft_load(argv[i], cache, &diags);
		if (!d) {
			diag_free(&diags);
			continue;
		}
		size_t len;
		char *out = format[0] == 'h' ? render_html(d, &opt, &len)
		          : format[0] == 'd' ? render_docx(d, &opt, &len, &diags)
		          : render_report(d, &opt, &len);
		diag_free(&diags);
		if (out) {
			bytes += len;
			rendered++;
		}
		free(out);
		draft_free(d);
	}
	template_cache_free(cache);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("drafts=%d bytes=%zu seconds=%.6f rate=%.0f\n", rendered, bytes, s, rendered / s);
	return rendered == argc - first ? 0 : 1;
}
