#ifndef NIANBAO_RENDER_H
#define NIANBAO_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "nianbao/draft.h"

/* The text report as published (doc/DESIGN.md §9). */

#define RENDER_DEFAULT_WIDTH 80
#define RENDER_MIN_WIDTH 60
#define RENDER_MAX_WIDTH 1000

enum render_borders { RENDER_BORDERS_ASCII, RENDER_BORDERS_UNICODE };

struct render_options {
	int width;                   /* display columns, clamped to MIN..MAX */
	enum render_borders borders;
	bool draft_mark;             /* a 草稿 mark at the top (render --force of a failing draft) */
	const char *date;            /* the date signed under the report ("2022年1月20日", see
	                              * report_date_parse), NULL for none */
};

/* The report as UTF-8 text with LF line ends, every line at most width display columns
 * (width.h, CJK counting two), the same bytes under every locale. Computed cells are
 * taken from draft->cells as held (the caller keeps them recomputed); blank cells print
 * empty. Returns a malloc'd NUL-terminated string and its length in *len. */
char *render_report(const struct draft *draft, const struct render_options *opt, size_t *len);

/* The report as one self-contained HTML5 page for a portal (no script, no external
 * resource, print CSS for A4): the same tables with rowspan/colspan as printed, every text
 * escaped. Width and borders do not apply. Returns a malloc'd string and its length. */
char *render_html(const struct draft *draft, const struct render_options *opt, size_t *len);

/* The report as a Word document (WordprocessingML in a zip) laid out under GB/T 9704, the
 * tables as Word tables with the printed merges. Returns the malloc'd bytes and their
 * length, or NULL with an error in diags when the zip cannot be made. */
char *render_docx(const struct draft *draft, const struct render_options *opt, size_t *len,
                  struct diag_list *diags);

/* The two-full-width-space paragraph indent. */
#define RENDER_INDENT "\u3000\u3000"

#endif
