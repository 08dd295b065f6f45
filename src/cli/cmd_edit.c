#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "nianbao/draft.h"
#include "nianbao/i18n.h"
#include "../tui/tui.h"

int
cmd_edit(int argc, char **argv)
{
	static const struct option options[] = {
		{"recover", no_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool recover = false;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, "rh", options, NULL)) != -1) {
		switch (c) {
		case 'r':
			recover = true;
			break;
		case 'h':
			printf(_("Usage: %s edit [--recover] FILE\n"
			         "Open the editor on a draft; a missing FILE is created after asking.\n"
			         "  -r, --recover   take a newer autosave of FILE without asking\n"
			         "Press F1 in the editor for its keys.\n"), program_name);
			return EXIT_OK;
		default:
			return cli_usage_error(_("unknown option for 'edit'"));
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error(_("'edit' needs exactly one FILE"));
	struct tui_options opt = {.path = argv[optind], .recover = recover,
	                          .keyscript = getenv("NIANBAO_KEYSCRIPT")};
	if (opt.keyscript && !*opt.keyscript)
		opt.keyscript = NULL;
	opt.cache = template_cache_new(NULL);
	struct stat st;
	if (lstat(opt.path, &st) == 0 || errno != ENOENT) {
		/* a malformed draft is reported before the screen is taken */
		struct diag_list diags = {0};
		opt.draft = draft_load(opt.path, opt.cache, &diags);
		diag_print(&diags, stderr);
		diag_free(&diags);
		if (!opt.draft) {
			template_cache_free(opt.cache);
			return EXIT_TROUBLE;
		}
	}
	int status = tui_run(&opt);
	template_cache_free(opt.cache);
	return status;
}
