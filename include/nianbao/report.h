#ifndef NIANBAO_REPORT_H
#define NIANBAO_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "nianbao/draft.h"
#include "nianbao/strbuf.h"

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

/* A signing date as a report prints it, "2022年1月20日", from "2022-01-20" or
 * "2022年1月20日" (a real calendar day of a year 1990..2200). Returns false when s is
 * not one. */
#define REPORT_DATE_MAX 32
bool report_date_parse(const char *s, char out[REPORT_DATE_MAX]);

/* What a format writer draws, in printed order (report_walk). */
struct report_visitor {
	void (*text)(void *ctx, const char *text);        /* a filled-in text field: its paragraphs */
	void (*heading)(void *ctx, const char *heading);  /* a section's heading, "一、总体情况" */
	void (*table)(void *ctx, const struct tpl_table *table);
};

/* Walks the body of the report under the title: the preface when there is one, then each
 * section's heading and its items (text fields that are filled in, and tables). */
void report_walk(const struct draft *draft, const struct report_visitor *v, void *ctx);

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

/* The sizes of table type on an A4 page under GB/T 9704 (156 mm of text width): 五号
 * (10.5 pt), 小五 (9 pt), 六号 (7.5 pt), and how many half-width columns of each fit. */
enum report_type_size { REPORT_TYPE_5, REPORT_TYPE_S5, REPORT_TYPE_6 };
#define REPORT_PAGE_COLUMNS_5 84
#define REPORT_PAGE_COLUMNS_S5 98
#define REPORT_PAGE_COLUMNS_6 117

/* Lays g out for the page in the largest type size it fits at (REPORT_PAGE_COLUMNS_*);
 * a table too wide even in 六号 is laid out as wide as it needs and set in 六号, the
 * writer scaling its columns to the page. Returns the type size. */
enum report_type_size report_layout_page(const struct report_grid *g, struct report_layout *l);

/* The width of each column of table t on the page, in ten-thousandths of the text width
 * (summing to 10000), from its page layout l of grid g: the layout scaled to the page,
 * and the captioned tables of one section (二's four) given one label-column width, the
 * widest they need, so that their columns line up as in the printed form. Malloc'd. */
int *report_page_shares(const struct draft *d, const struct tpl_table *t, const struct report_grid *g,
                        const struct report_layout *l);

/* ---- markup ---- */

/* Appends n bytes of s as HTML or XML text or attribute value: & < > " ' as references;
 * whatever no XML 1.0 or HTML5 document may hold (a control character other than tab and
 * line feed, a noncharacter, a bad UTF-8 sequence) as U+FFFD, visibly; tabs as
 * tab (NULL: kept) and line feeds as line_break (NULL: kept). */
void report_escape(struct strbuf *b, const char *s, size_t n, const char *tab, const char *line_break);

#endif
