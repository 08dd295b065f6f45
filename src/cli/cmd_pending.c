#include <config.h>

#include <stdio.h>

#include "cli.h"
#include "nianbao/i18n.h"

/* Subcommands whose modules have not landed yet say so plainly. */
static int
not_built(const char *name)
{
	fprintf(stderr, _("%s: '%s' is not available in this build yet\n"), program_name, name);
	return EXIT_TROUBLE;
}

int cmd_import(int argc, char **argv) { (void)argc; return not_built(argv[0]); }
