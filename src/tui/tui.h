#ifndef NIANBAO_TUI_H
#define NIANBAO_TUI_H

#include <stdbool.h>

#include "nianbao/draft.h"

/* The editor (doc/DESIGN.md §7). The command line has already loaded the draft (or found the
 * file missing: draft NULL); the editor takes the terminal, and gives it back restored on
 * every way out. Key scripts (NIANBAO_KEYSCRIPT) drive it without a terminal. */
struct tui_options {
	const char *path;
	struct draft *draft;            /* owned by the editor; NULL: the file does not exist */
	struct template_cache *cache;   /* not owned */
	bool recover;                   /* take a newer autosave without asking */
	const char *keyscript;          /* NULL for the terminal */
};

/* Returns the exit status: 0, or 2 when the editor could not run. */
int tui_run(struct tui_options *opt);

#endif
