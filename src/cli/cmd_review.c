#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "nianbao/batch.h"
#include "nianbao/i18n.h"
#include "nianbao/review.h"

int
cmd_review(int argc, char **argv)
{
	static const struct option options[] = {
		{"format", required_argument, NULL, 'f'},
		{"previous", required_argument, NULL, 'p'},
		{"files-from", required_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	enum review_format format = REVIEW_TEXT;
	const char *previous = NULL, *files_from = NULL;
	optind = 1;
	int opt;
	while ((opt = getopt_long(argc, argv, "f:p:F:h", options, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (!strcmp(optarg, "text"))
				format = REVIEW_TEXT;
			else if (!strcmp(optarg, "csv"))
				format = REVIEW_CSV;
			else if (!strcmp(optarg, "html"))
				format = REVIEW_HTML;
			else
				return cli_usage_error(_("--format must be text, csv or html, not '%s'"), optarg);
			break;
		case 'p':
			previous = optarg;
			break;
		case 'F':
			files_from = optarg;
			break;
		case 'h':
			printf(_("Usage: %s review [--format text|csv|html] [--previous DIR] [--files-from FILE|-]\n"
			         "           DRAFT...|DIR...\n"
			         "A roster of the units' drafts: status, problems by check, key figures, summary.\n"
			         "  -f, --format FORMAT    text (default), csv (for Excel and WPS) or html\n"
			         "      --previous DIR     last year's drafts: their figures, the change, and\n"
			         "                         the units missing this year\n"
			         "      --files-from FILE  also the drafts listed in FILE, one a line ('-': stdin)\n"
			         "A directory means every *.yaml draft under it. The exit status is as for check.\n"),
			       program_name);
			return EXIT_OK;
		default:
			return cli_usage_error(_("unknown option for 'review'"));
		}
	}
	if (optind >= argc && !files_from)
		return cli_usage_error(_("'review' needs drafts: files or directories"));

	struct template_cache *cache = template_cache_new(NULL);
	struct review *review = review_new();
	struct diag_list diags = {0};
	struct batch_progress progress;
	batch_progress_init(&progress, stderr);
	bool list_failed = false;
	if (previous) {
		char *dirs[1] = {(char *)previous};
		struct batch *batch = batch_open(dirs, 1, NULL);
		const char *path;
		while ((path = batch_next(batch, &diags)))
			review_add_previous(review, path, cache);
		list_failed |= batch_failed(batch);
		batch_close(batch);
	}
	struct batch *batch = batch_open(argv + optind, argc - optind, files_from);
	const char *path;
	while ((path = batch_next(batch, &diags))) {
		review_add(review, path, cache);
		batch_progress_step(&progress, batch_count(batch));
	}
	batch_progress_end(&progress);
	list_failed |= batch_failed(batch);
	batch_close(batch);
	diag_print(&diags, stderr);
	diag_free(&diags);
	bool written = review_write(review, format, stdout);
	int status = review_exit_status(review);
	review_free(review);
	template_cache_free(cache);
	if (!written || list_failed)
		return EXIT_TROUBLE;
	return status;
}
