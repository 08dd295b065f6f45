#ifndef NIANBAO_REVIEW_H
#define NIANBAO_REVIEW_H

#include <stdbool.h>
#include <stdio.h>

#include "nianbao/draft.h"

/* The reviewer's roster (`nianbao review`): one row per draft with its status, its
 * problems counted by check id and its key figures, then a summary. Each draft is loaded,
 * checked and freed at once; a row keeps only a few short strings and numbers. */

enum review_status { REVIEW_OK, REVIEW_WARNINGS, REVIEW_ERRORS, REVIEW_UNREADABLE };
enum review_format { REVIEW_TEXT, REVIEW_CSV, REVIEW_HTML };

/* The key figures, by cell id; a figure the template lacks is "not applicable". */
enum { REVIEW_RECEIVED, REVIEW_CARRIED, REVIEW_APPEALS, REVIEW_FEES, REVIEW_FIGURES };

struct review;
struct review *review_new(void);
void review_free(struct review *review);

/* Loads and checks one draft (as `check` does, with last year's draft and the
 * sum-sources check) and adds its row. Returns its status. */
enum review_status review_add(struct review *review, const char *path, struct template_cache *cache);
/* Adds last year's draft of a unit (--previous), matched to this year's by organization. */
void review_add_previous(struct review *review, const char *path, struct template_cache *cache);

/* Writes the roster sorted by organization (then file). Text is escaped for a terminal;
 * csv is UTF-8 with a byte-order mark and CRLF line ends for Excel and WPS, text cells
 * that a spreadsheet would take for a formula are prefixed with "'"; html is one
 * self-contained page. Returns false when writing failed. */
bool review_write(struct review *review, enum review_format format, FILE *out);

/* The exit status as for check: 2 when a draft was unreadable, 1 when one had errors. */
int review_exit_status(const struct review *review);

#endif
