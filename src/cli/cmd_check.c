#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "nianbao/batch.h"
#include "nianbao/check.h"
#include "nianbao/i18n.h"
#include "nianbao/sum.h"

/* Checks one file; prints its problems and (unless quiet) a summary line.
 * Returns its exit status. */
static int
check_one(const char *path, int fd, const struct stat *st, struct template_cache *cache, bool quiet,
          struct batch_progress *progress)
{
	struct diag_list diags = {0};
	struct draft *d = draft_load_open(path, fd, st, cache, &diags);
	if (!d) {
		batch_progress_end(progress);
		diag_print(&diags, stderr);
		diag_free(&diags);
		if (!quiet)
			printf(_("%s: cannot be checked\n"), cli_safe(path));
		return EXIT_TROUBLE;
	}
	struct draft *prev = draft_load_previous(d, cache, &diags);
	sum_check_sources(d, cache, &diags);
	struct check_report report = {0};
	checks_run(d, prev, &report);
	for (size_t i = 0; i < report.count; i++) {
		const struct check_result *r = &report.items[i];
		diag_add(&diags, r->severity, check_result_pos(d, r), "[%s] %s", r->check->id, r->message);
	}
	if (diags.count)
		batch_progress_end(progress);
	diag_print(&diags, stderr);
	if (!quiet) {
		size_t errors = diag_count(&diags, DIAG_ERROR), warnings = diag_count(&diags, DIAG_WARNING);
		if (errors == 0 && warnings == 0) {
			printf(_("%s: ok\n"), cli_safe(path));
		} else {
			char *e = xasprintf(P_("%zu error", "%zu errors", errors), errors);
			char *w = xasprintf(P_("%zu warning", "%zu warnings", warnings), warnings);
			printf(_("%s: %s, %s\n"), cli_safe(path), e, w);
			free(e);
			free(w);
		}
	}
	int status = report.errors ? EXIT_PROBLEMS : EXIT_OK;
	check_report_free(&report);
	diag_free(&diags);
	draft_free(prev);
	draft_free(d);
	return status;
}

int
cmd_check(int argc, char **argv)
{
	static const struct option options[] = {
		{"quiet", no_argument, NULL, 'q'},
		{"files-from", required_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool quiet = false;
	const char *files_from = NULL;
	optind = 1;
	int opt;
	while ((opt = getopt_long(argc, argv, "qF:h", options, NULL)) != -1) {
		switch (opt) {
		case 'q':
			quiet = true;
			break;
		case 'F':
			files_from = optarg;
			break;
		case 'h':
			printf(_("Usage: %s check [--quiet] [--files-from FILE|-] FILE...|DIR...\n"
			         "Check drafts: totals, cross-checks, blank cells and the narrative.\n"
			         "  -q, --quiet            print only the problems\n"
			         "      --files-from FILE  also the drafts listed in FILE, one a line ('-': stdin)\n"
			         "A directory means every *.yaml draft under it.\n"), program_name);
			return EXIT_OK;
		default:
			return cli_usage_error(_("unknown option for 'check'"));
		}
	}
	if (optind >= argc && !files_from)
		return cli_usage_error(_("'check' needs at least one FILE"));
	struct template_cache *cache = template_cache_new(NULL);
	struct batch *batch = batch_open(argv + optind, argc - optind, files_from);
	struct batch_progress progress;
	batch_progress_init(&progress, stderr);
	int worst = EXIT_OK;
	const char *path;
	while ((path = batch_next_shown(batch, &progress))) {
		struct stat st;
		int fd = batch_take_file(batch, &st);
		int status = check_one(path, fd, &st, cache, quiet, &progress);
		if (status == EXIT_TROUBLE || (status == EXIT_PROBLEMS && worst == EXIT_OK))
			worst = status;
		batch_progress_step(&progress, batch_count(batch));
	}
	batch_progress_end(&progress);
	if (batch_failed(batch))
		worst = EXIT_TROUBLE;
	batch_close(batch);
	template_cache_free(cache);
	if (fflush(stdout) != 0)
		return EXIT_TROUBLE;
	return worst;
}
