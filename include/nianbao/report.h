#ifndef NIANBAO_REPORT_H
#define NIANBAO_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "nianbao/draft.h"

/* The report model shared by every output format (text, HTML, DOCX): the title, the
 * paragraphs of a text field, and each table of the official form as a grid of cells with
 * their merges, exactly as printed. The format writers only draw it. */

/* The title line under the organization: "2021年政府信息公开工作年度报告" (the template's
 * title alone when the year is unknown). Malloc'd. */
char *report_title(const struct draft *draft);

/* The paragraphs of a text field, one per line. Steps *p over the next line and returns
 * false at the end of text; the line's body (its leading spaces, tabs and U+3000 the clerk
 * typed as an indent removed) is [*start, *start + *len); *len is 0 for an empty line. */
bool report_paragraph_next(const char **p, const char **start, size_t *len);

/* One cell of a table grid: its top-left slot and its span. */
struct report_cell {
	int row, col, rows, cols;
	char *text;      /* owned; "" for a blank value; label text may hold line breaks */
	bool number;     /* a value cell (input or computed): right-aligned, never wrapped */
	bool vertical;   /* a row group's label merged down its rows */
};

struct report_grid {
	struct report_cell *cells;   /* in no particular order */
	int count, cap;
	int nrows, ncols;
	int caption_rows;            /* rows at the top holding the caption (0 or 1) */
	int head_rows;               /* caption and column-header rows at the top (repeat on a new page) */
};

/* The columns [lo, hi) of table t in the grid layout: label columns for the row tree, one
 * column per column leaf, header rows for the column tree, the caption above. */
void report_grid_columns(struct report_grid *g, const struct draft *d, const struct tpl_table *t,
                         int lo, int hi);
/* Table t as printed on paper, whole: the flat layout (section 四: one data row under a
 * two-level header) for LAYOUT_FLAT tables, else every column in the grid layout. */
void report_grid_table(struct report_grid *g, const struct draft *d, const struct tpl_table *t);
void report_grid_free(struct report_grid *g);

/* For every slot (row * ncols + col), the index of the cell covering it, or -1 for a hole.
 * Malloc'd. */
int *report_grid_owners(const struct report_grid *g);

/* Column widths and row heights of a grid in a monospace raster where a CJK character is
 * two columns wide and each border takes one. */
struct report_layout {
	int *width;    /* per column, borders excluded */
	int *height;   /* per row, in lines */
	int *x;        /* border left of column c; x[ncols] is the right edge */
	int *y;        /* border above row r; y[nrows] is the bottom */
};

/* Lays g out within total columns (borders included): every column at least its narrowest
 * readable width, label columns then number columns grown towards their natural width.
 * Returns false (l untouched) when even the narrowest columns do not fit. */
bool report_layout_grid(const struct report_grid *g, int total, struct report_layout *l);
void report_layout_free(struct report_layout *l);

/* Lines of text wrapped at width display columns. */
int report_lines_at(const char *text, int width);

#endif
