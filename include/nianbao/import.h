#ifndef NIANBAO_IMPORT_H
#define NIANBAO_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "nianbao/draft.h"

/* Reading a published report back into a draft (`nianbao import`): the text as copied out
 * of Word, WPS, a web page or a PDF viewer, or as `nianbao render` printed it; or the web
 * page (HTML) or Word file (DOCX) itself, recognised by content (docread.h). */

struct import_summary {
	const char *template_id;     /* the template the labels matched best */
	const char *format;          /* what was read: "text", "HTML" or "DOCX" */
	int score[2];                /* labels found for the chosen template and the other */
	bool converted;              /* the text was GB18030 and was converted */
	int cells_read;              /* input cells with a number (or a dash) read */
	char **blank;                /* ids of input cells left blank */
	int blank_count;
	char **notes;                /* what could not be placed, printed totals that disagree */
	int note_count;
};

/* Parses a report (text copied out of a web page, Word, WPS or a PDF viewer in any of the
 * ways that flattens its tables, a rendered report, an HTML page or a DOCX file) into a
 * new draft: template detected from the labels (from the year when the tables were
 * images), organization and year
 * from the title, narrative sections as text fields, table cells by their row labels.
 * Cells the report leaves empty, or marks "—" or "/", are blank, never 0. Computed cells
 * are not stored; printed totals that disagree with their parts are noted. Returns NULL
 * with an error in diags when the text is not recognisable as an annual report. */
struct draft *import_report(const char *name, const char *text, size_t len, struct template_cache *cache,
                            struct import_summary *summary, struct diag_list *diags);
void import_summary_free(struct import_summary *summary);

#endif
