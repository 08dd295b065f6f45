#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "nianbao/i18n.h"
#include "nianbao/lang.h"
#include "nianbao/paths.h"

const char *program_name = "nianbao";

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
	{"edit", cmd_edit},
	{"new", cmd_new},
	{"check", cmd_check},
	{"render", cmd_render},
	{"import", cmd_import},
	{"sum", cmd_sum},
	{"review", cmd_review},
	{"narrate", cmd_narrate},
	{"templates", cmd_templates},
};

static void
print_help(void)
{
	printf(_("Usage: %s [FILE]\n"
	         "   or: %s COMMAND [OPTION]... FILE...\n"), program_name, program_name);
	fputs(_("Fill in, check and print the government information disclosure annual report\n"
	        "(政府信息公开工作年度报告).\n"), stdout);
	fputs("\n", stdout);
	fputs(_("Commands:\n"
	        "  edit FILE          open the editor (asks to create FILE if it is missing)\n"
	        "  new [--template ID] [--org NAME] [--year YYYY] [--from LASTYEAR.yaml] FILE\n"
	        "                     start a new draft\n"
	        "  check [--quiet] [--files-from FILE|-] FILE...|DIR...\n"
	        "                     validate drafts; report errors and warnings\n"
	        "  render [--width N] [--borders ascii|unicode] [--encoding UTF-8|GB18030]\n"
	        "         [--force] [-o OUT] FILE\n"
	        "                     print the final text report\n"
	        "  import REPORT.txt DRAFT.yaml\n"
	        "                     turn a published report's text into a draft\n"
	        "  sum [--org NAME] [--year YYYY] [--force] -o LEVEL.yaml UNIT.yaml...|DIR...\n"
	        "                     add up the units' drafts into the level's draft\n"
	        "  review [--format text|csv|html] [--previous DIR] DRAFT...|DIR...\n"
	        "                     a roster of many drafts: status, problems, key figures\n"
	        "  narrate [--section 主动公开|依申请|复议诉讼] FILE\n"
	        "                     the standard sentences written from the tables\n"
	        "  templates          list the installed templates\n"), stdout);
	fputs("\n", stdout);
	fputs(_("  -h, --help         display this help and exit\n"
	        "  -V, --version      output version information and exit\n"), stdout);
	fputs("\n", stdout);
	fputs(_("Exit status: 0 success (warnings allowed), 1 the draft has errors or render\n"
	        "refused, 2 the command could not do its job.\n"), stdout);
	fputs("\n", stdout);
	printf(_("Templates are read from %s (set NIANBAO_TEMPLATES to change).\n"),
	       paths_templates_dir());
}

static void
print_version(void)
{
	printf("%s (%s) %s\n", program_name, PACKAGE_NAME, PACKAGE_VERSION);
	fputs(_("License: GPL-3.0-or-later <https://gnu.org/licenses/gpl.html>.\n"
	        "This is free software: you are free to change and redistribute it.\n"
	        "There is NO WARRANTY, to the extent permitted by law.\n"), stdout);
}

const char *
cli_safe(const char *s)
{
	static char *ring[16];
	static unsigned next;
	unsigned i = next++ % 16;
	free(ring[i]);
	ring[i] = diag_escape(s ? s : "");
	return ring[i];
}

int
cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", program_name);
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	diag_fputs(msg, stderr);
	free(msg);
	fputc('\n', stderr);
	fprintf(stderr, _("Try '%s --help' for more information.\n"), program_name);
	return EXIT_TROUBLE;
}

int
main(int argc, char **argv)
{
	lang_init(paths_locale_dir());
	if (argc < 2)
		return cli_usage_error(_("missing a command or a FILE"));

	const char *first = argv[1];
	if (!strcmp(first, "--help") || !strcmp(first, "-h")) {
		print_help();
		return ferror(stdout) ? EXIT_TROUBLE : EXIT_OK;
	}
	if (!strcmp(first, "--version") || !strcmp(first, "-V")) {
		print_version();
		return ferror(stdout) ? EXIT_TROUBLE : EXIT_OK;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(first, commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	if (first[0] == '-')
		return cli_usage_error(_("unknown option '%s'"), first);
	/* `nianbao FILE` is `nianbao edit FILE`. */
	return cmd_edit(argc, argv);
}
