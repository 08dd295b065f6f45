#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "nianbao/check.h"
#include "nianbao/i18n.h"
#include "nianbao/narrate.h"

static void
print_help(void)
{
	printf(_("Usage: %s narrate [--section 主动公开|依申请|复议诉讼] FILE\n"
	         "Print the standard sentences about the tables, written from the draft's cells,\n"
	         "ready to paste into 一、总体情况. Rows that are 0 are left out or said as 未收到….\n"
	         "\n"
	         "  -s, --section NAME     only this paragraph: 主动公开 (table 二), 依申请\n"
	         "                         (table 三) or 复议诉讼 (table 四); default all three\n"
	         "\n"
	         "A paragraph whose cells are not all filled in is not written (exit status 1).\n"),
	       program_name);
}

int
cmd_narrate(int argc, char **argv)
{
	static const struct option options[] = {
		{"section", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int only = -1;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, "s:h", options, NULL)) != -1) {
		switch (c) {
		case 's':
			only = narrate_section_by_name(optarg);
			if (only < 0)
				return cli_usage_error(_("--section must be 主动公开, 依申请 or 复议诉讼, not '%s'"),
				                       cli_safe(optarg));
			break;
		case 'h':
			print_help();
			return EXIT_OK;
		default:
			return cli_usage_error(_("unknown option for 'narrate'"));
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error(_("'narrate' needs exactly one FILE"));
	const char *path = argv[optind];
	struct diag_list diags = {0};
	struct template_cache *cache = template_cache_new(NULL);
	struct draft *d = draft_load(path, cache, &diags);
	int status = EXIT_TROUBLE;
	if (!d)
		goto out;
	status = EXIT_OK;
	for (int s = 0; s < NARRATE_SECTION_COUNT; s++) {
		if (only >= 0 && s != only)
			continue;
		int blank = -1;
		char *text = narrate_section(d, (enum narrate_section)s, &blank);
		if (!text) {
			char *where = cell_describe(d->tpl, blank);
			diag_add(&diags, DIAG_ERROR, draft_cell_pos(d, blank),
			         _("%s is blank (%s): the paragraph about this table is not written, since a number "
			           "is never guessed"),
			         where, d->tpl->cells[blank].id);
			free(where);
			status = EXIT_PROBLEMS;
			continue;
		}
		if (printf("%s\n", text) < 0) {
			fprintf(stderr, _("%s: cannot write: %s\n"), program_name, strerror(errno));
			status = EXIT_TROUBLE;
		}
		free(text);
	}
	if (fflush(stdout) != 0 && status != EXIT_TROUBLE) {
		fprintf(stderr, _("%s: cannot write: %s\n"), program_name, strerror(errno));
		status = EXIT_TROUBLE;
	}
out:
	diag_print(&diags, stderr);
	diag_free(&diags);
	draft_free(d);
	template_cache_free(cache);
	return status;
}
