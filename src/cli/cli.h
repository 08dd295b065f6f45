#ifndef NIANBAO_CLI_H
#define NIANBAO_CLI_H

#include "nianbao/diag.h"

/* Exit statuses shared by every subcommand (doc/DESIGN.md §2). */
enum {
	EXIT_OK = 0,
	EXIT_PROBLEMS = 1,   /* the draft has errors, or render refused */
	EXIT_TROUBLE = 2,    /* usage error, unreadable or malformed input */
};

/* Each subcommand takes argv with argv[0] the subcommand name. */
int cmd_templates(int argc, char **argv);
int cmd_new(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_import(int argc, char **argv);
/* The text of a PDF as `pdftotext -layout` lays it out (at most max bytes), or NULL with
 * an error in diags (pdftotext missing, the PDF unreadable). */
char *pdf_to_text(const char *path, size_t max, size_t *len, struct diag_list *diags);
int cmd_edit(int argc, char **argv);
int cmd_sum(int argc, char **argv);
int cmd_review(int argc, char **argv);
int cmd_narrate(int argc, char **argv);

/* Creates a new draft at path (refusing an existing file); year 0 means "from --from or
 * last year". Prints what it did; returns an exit status. Shared by `new` and `edit`. */
int draft_create(const char *path, const char *template_id, const char *org, int year, const char *from);

/* Prints "nianbao: MESSAGE" plus a hint to --help on stderr; returns EXIT_TROUBLE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

extern const char *program_name;

/* s escaped for the terminal (diag_escape): every path that prints a file name or draft or
 * template text goes through it. The string stays valid for the next 15 calls. */
const char *cli_safe(const char *s);

#endif
