#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "nianbao/atomicio.h"
#include "nianbao/draft.h"
#include "nianbao/i18n.h"

int
draft_create(const char *path, const char *template_id, const char *org, int year, const char *from)
{
	struct stat st;
	if (lstat(path, &st) == 0) {
		fprintf(stderr, _("%s: %s already exists; nothing was written\n"), program_name, cli_safe(path));
		return EXIT_TROUBLE;
	}
	if (!year && !from) {
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		year = tm.tm_year + 1900 - 1;   /* reports are written in January for the year before */
	}
	struct diag_list diags = {0};
	struct template_cache *cache = template_cache_new(NULL);
	int status = EXIT_TROUBLE;
	struct draft *d = draft_start(path, from, year, template_id, org, cache, &diags);
	if (d && draft_save_new(d, path, &diags)) {
		status = EXIT_OK;
		printf(_("%s: new %d draft for %s, template %s\n"), cli_safe(path), d->year,
		       d->organization[0] ? cli_safe(d->organization) : _("(organization not set)"), cli_safe(d->tpl->id));
	}
	diag_print(&diags, stderr);
	diag_free(&diags);
	draft_free(d);
	template_cache_free(cache);
	return status;
}

int
cmd_new(int argc, char **argv)
{
	static const struct option options[] = {
		{"template", required_argument, NULL, 't'},
		{"org", required_argument, NULL, 'o'},
		{"year", required_argument, NULL, 'y'},
		{"from", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *template_id = NULL, *org = NULL, *from = NULL;
	int year = 0;
	optind = 1;
	int opt;
	while ((opt = getopt_long(argc, argv, "t:o:y:f:h", options, NULL)) != -1) {
		switch (opt) {
		case 't':
			template_id = optarg;
			break;
		case 'o':
			org = optarg;
			break;
		case 'y':
			year = draft_year_parse(optarg);
			if (!year)
				return cli_usage_error(_("--year needs a year such as 2021, not '%s'"), optarg);
			break;
		case 'f':
			from = optarg;
			break;
		case 'h':
			printf(_("Usage: %s new [--template ID] [--org NAME] [--year YYYY] [--from LASTYEAR.yaml] FILE\n"
			         "Start a new draft. The template follows the year unless --template is given;\n"
			         "--from starts from last year's draft (carry-over, narrative copied).\n"), program_name);
			return EXIT_OK;
		default:
			return cli_usage_error(_("unknown option for 'new'"));
		}
	}
	if (optind != argc - 1)
		return cli_usage_error(_("'new' needs exactly one FILE"));
	return draft_create(argv[optind], template_id, org, year, from);
}
