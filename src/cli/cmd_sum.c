#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "nianbao/atomicio.h"
#include "nianbao/batch.h"
#include "nianbao/check.h"
#include "nianbao/i18n.h"
#include "nianbao/sha256.h"
#include "nianbao/sum.h"

/* Adds one unit; prints its problems. Returns false when the sum cannot include it. */
static bool
sum_one(struct sum *sum, const char *path, struct template_cache *cache, bool force, size_t *with_errors,
        const struct stat *out_st)
{
	struct diag_list diags = {0};
	struct stat st;
	if (out_st && stat(path, &st) == 0 && st.st_dev == out_st->st_dev && st.st_ino == out_st->st_ino) {
		diag_add(&diags, DIAG_ERROR, (struct srcpos){path, 0, 0},
		         _("this is the output file; choose an -o outside the units' files"));
		diag_print(&diags, stderr);
		diag_free(&diags);
		return false;
	}
	size_t len;
	char *bytes = read_file(path, DRAFT_MAX_BYTES, &len, &diags);
	struct draft *d = bytes ? draft_load_buffer(path, bytes, len, cache, &diags) : NULL;
	if (!d) {
		diag_print(&diags, stderr);
		diag_free(&diags);
		free(bytes);
		return false;
	}
	d->path = xstrdup(path);
	char hex[SHA256_HEX_SIZE];
	sha256_hex_of(bytes, len, hex);
	free(bytes);
	struct draft *prev = draft_load_previous(d, cache, &diags);
	struct check_report report = {0};
	checks_run(d, prev, &report);
	if (report.errors) {
		(*with_errors)++;
		for (size_t i = 0; i < report.count; i++) {
			const struct check_result *r = &report.items[i];
			if (r->severity == DIAG_ERROR)
				diag_add(&diags, force ? DIAG_WARNING : DIAG_ERROR, check_result_pos(d, r), "[%s] %s",
				         r->check->id, r->message);
		}
	}
	bool ok = sum_add(sum, d, path, hex, report.errors, &diags);
	diag_print(&diags, stderr);
	check_report_free(&report);
	diag_free(&diags);
	draft_free(prev);
	draft_free(d);
	return ok;
}

int
cmd_sum(int argc, char **argv)
{
	static const struct option options[] = {
		{"org", required_argument, NULL, 'g'},
		{"year", required_argument, NULL, 'y'},
		{"force", no_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"files-from", required_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *org = NULL, *out = NULL, *files_from = NULL;
	int year = 0;
	bool force = false;
	optind = 1;
	int opt;
	while ((opt = getopt_long(argc, argv, "g:y:fo:F:h", options, NULL)) != -1) {
		switch (opt) {
		case 'g':
			org = optarg;
			break;
		case 'y':
			year = draft_year_parse(optarg);
			if (!year)
				return cli_usage_error(_("--year must be a year such as 2021, not '%s'"), optarg);
			break;
		case 'f':
			force = true;
			break;
		case 'o':
			out = optarg;
			break;
		case 'F':
			files_from = optarg;
			break;
		case 'h':
			printf(_("Usage: %s sum [--org NAME] [--year YYYY] [--force] [--files-from FILE|-]\n"
			         "           -o LEVEL.yaml UNIT.yaml...|DIR...\n"
			         "Add up the units' drafts into the level's draft (汇总).\n"
			         "  -o, --output FILE      the level's draft to write (never one of the units)\n"
			         "      --org NAME         the level's organization, e.g. 某某区人民政府\n"
			         "      --year YYYY        the year every unit must be for\n"
			         "      --force            sum even units that have errors, and record them\n"
			         "      --files-from FILE  also the drafts listed in FILE, one a line ('-': stdin)\n"
			         "A directory means every *.yaml draft under it.\n"), program_name);
			return EXIT_OK;
		default:
			return cli_usage_error(_("unknown option for 'sum'"));
		}
	}
	if (!out)
		return cli_usage_error(_("'sum' needs -o LEVEL.yaml, the file to write"));
	if (optind >= argc && !files_from)
		return cli_usage_error(_("'sum' needs the units' drafts: files or directories"));

	struct template_cache *cache = template_cache_new(NULL);
	struct diag_list diags = {0};
	/* an existing output is kept as LEVEL.yaml~; its narrative is carried into the new sum */
	struct stat out_st;
	bool out_exists = stat(out, &out_st) == 0;
	struct draft *old = NULL;
	if (out_exists) {
		old = draft_load(out, cache, &diags);
		if (!old) {
			diag_print(&diags, stderr);
			fprintf(stderr, _("%s: %s exists and is not a draft; it is left alone\n"), program_name, out);
			diag_free(&diags);
			template_cache_free(cache);
			return EXIT_TROUBLE;
		}
	}

	struct sum *sum = sum_new(year, out);
	struct batch *batch = batch_open(argv + optind, argc - optind, files_from);
	struct batch_progress progress;
	batch_progress_init(&progress, stderr);
	size_t refused = 0, with_errors = 0;
	const char *path;
	while ((path = batch_next_shown(batch, &progress))) {
		if (!sum_one(sum, path, cache, force, &with_errors, out_exists ? &out_st : NULL))
			refused++;
		batch_progress_step(&progress, batch_count(batch));
	}
	batch_progress_end(&progress);
	diag_print(&diags, stderr);
	diag_free(&diags);
	bool list_failed = batch_failed(batch);
	batch_close(batch);

	int status = EXIT_OK;
	struct draft *d = NULL;
	if (refused) {
		fprintf(stderr, P_("%s: %zu unit could not be summed (see above); nothing was written\n",
		                   "%s: %zu units could not be summed (see above); nothing was written\n", refused),
		        program_name, refused);
		status = EXIT_TROUBLE;
	} else if (list_failed) {
		fprintf(stderr, _("%s: not every draft could be found (see above); nothing was written\n"), program_name);
		status = EXIT_TROUBLE;
	} else if (with_errors && !force) {
		fprintf(stderr, P_("%s: %zu unit has errors (see above); send it back, or sum anyway with --force\n",
		                   "%s: %zu units have errors (see above); send them back, or sum anyway with --force\n",
		                   with_errors),
		        program_name, with_errors);
		status = EXIT_PROBLEMS;
	} else {
		d = sum_finish(sum, cache, org ? org : old ? old->organization : "", &diags);
		size_t blank_errors = diag_count(&diags, DIAG_ERROR);
		diag_print(&diags, stderr);
		diag_free(&diags);
		if (!d) {
			status = EXIT_TROUBLE;
		} else {
			if (old && old->tpl == d->tpl)
				for (int x = 0; x < d->tpl->text_count; x++)
					if (old->texts[x])
						d->texts[x] = xstrdup(old->texts[x]);
			if (!draft_save(d, out, &diags)) {
				diag_print(&diags, stderr);
				diag_free(&diags);
				status = EXIT_TROUBLE;
			} else {
				char *name = diag_escape(out);
				printf(P_("%s: the sum of %zu unit, %s, %d\n", "%s: the sum of %zu units, %s, %d\n", sum_count(sum)),
				       name, sum_count(sum), d->tpl->id, d->year);
				if (old)
					printf(_("%s: the narrative and organization of the file it replaces were kept; the old file is %s~\n"),
					       name, name);
				if (with_errors)
					printf(P_("%s: %zu unit with errors was summed (--force); see 'errors:' in its sources entry\n",
					          "%s: %zu units with errors were summed (--force); see 'errors:' in their sources entries\n",
					          with_errors),
					       name, with_errors);
				if (!d->organization[0])
					printf(_("%s: no organization yet: give --org NAME, or fill it in the editor\n"), name);
				free(name);
				if (blank_errors || with_errors)
					status = EXIT_PROBLEMS;
			}
		}
	}
	draft_free(d);
	draft_free(old);
	sum_free(sum);
	template_cache_free(cache);
	if (fflush(stdout) != 0)
		return EXIT_TROUBLE;
	return status;
}
