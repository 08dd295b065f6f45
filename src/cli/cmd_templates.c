#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "nianbao/i18n.h"
#include "nianbao/paths.h"
#include "nianbao/template.h"

int
cmd_templates(int argc, char **argv)
{
	if (argc > 1)
		return cli_usage_error(_("'templates' takes no arguments"));
	(void)argv;
	struct diag_list diags = {0};
	struct template **all;
	int count = template_list(NULL, &all, &diags);
	for (int i = 0; i < count; i++) {
		const struct template *t = all[i];
		char years[32];
		if (t->year_from && t->year_to)
			snprintf(years, sizeof years, "%d-%d", t->year_from, t->year_to);
		else if (t->year_from)
			snprintf(years, sizeof years, "%d-", t->year_from);
		else if (t->year_to)
			snprintf(years, sizeof years, "-%d", t->year_to);
		else
			strcpy(years, "-");
		printf("%-16s %-10s %s %s\n", cli_safe(t->id), years, cli_safe(t->basis ? t->basis : ""), cli_safe(t->name));
		template_free(all[i]);
	}
	free(all);
	diag_print(&diags, stderr);
	int status = diags.count ? EXIT_TROUBLE : EXIT_OK;
	if (count == 0 && diags.count == 0) {
		fprintf(stderr, _("%s: no templates found in %s\n"), program_name, cli_safe(paths_templates_dir()));
		status = EXIT_TROUBLE;
	}
	diag_free(&diags);
	return status;
}
