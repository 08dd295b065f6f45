#ifndef NIANBAO_CHECK_H
#define NIANBAO_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "nianbao/diag.h"
#include "nianbao/draft.h"

/* One failing check (doc/DESIGN.md §5). */
struct check_result {
	const struct tpl_check *check;   /* check->id is the stable id */
	enum diag_severity severity;
	int instance;                    /* rule instance, -1 for other kinds */
	int cell;                        /* the cell to show/jump to, -1 if none */
	int text;                        /* the text field concerned, -1 if none */
	struct value lhs;                /* the two sides, where the check compares numbers */
	struct value rhs;
	char *message;                   /* translated; names the cells and the numbers */
};

struct check_report {
	struct check_result *items;      /* errors first, then warnings; template order within */
	size_t count;
	size_t capacity;
	int errors;
	int warnings;
};

/* Runs every check of the draft's template. prev is last year's draft or NULL. */
void checks_run(const struct draft *draft, const struct draft *prev, struct check_report *out);
void check_report_clear(struct check_report *report);
void check_report_free(struct check_report *report);

/* What the check with this id compares, in one translated sentence (doc/DESIGN.md §5), for
 * the help; NULL for an id the program does not know (a template's own). */
const char *check_id_help(const char *id);

/* A human name for a cell: "一、本年新收政府信息公开申请数量 / 自然人" (template labels). */
char *cell_describe(const struct template *tpl, int cell);

/* Where a result points in the draft's file, for FILE:LINE:COL diagnostics: the cell or
 * text concerned, the year for a template-year result, else the `template:` line. */
struct srcpos check_result_pos(const struct draft *d, const struct check_result *r);

#endif
