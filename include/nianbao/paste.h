#ifndef NIANBAO_PASTE_H
#define NIANBAO_PASTE_H

#include <stdbool.h>
#include <stddef.h>

#include "nianbao/session.h"
#include "nianbao/value.h"

/* A block pasted from a spreadsheet (Excel, WPS, LibreOffice) or a web table into a
 * table of the form: rows by line break (LF, CRLF or CR), cells by tab.
 *
 * The clipboard shapes it takes: a line break after the last row or not; a tab at the
 * end of every row (WPS, web tables: that empty last column is dropped); empty cells
 * (blank); one column; one row; a row with its total.
 *
 * Applying it is all or nothing: the block fills from the start cell to the right and
 * down; every value is read first (numtext_parse, with the type of the column it lands
 * in), and a value that is no number, or that would land outside the table, refuses the
 * whole paste, naming that value, its row and column in the block, and the cell. Input
 * cells are written as one undo step (an empty cell blanks its cell). A computed cell
 * (a 总计) is never written: its pasted value is compared with the total after the paste,
 * and a difference is reported. */

struct paste_cell {
	const char *text;   /* into the block's own copy of the text, not NUL-terminated */
	size_t len;
};

struct paste_block {
	int rows;
	int width;          /* the longest row */
	int *row_len;       /* cells in each row */
	struct paste_cell **cells;   /* cells[row][col], col < row_len[row] */
	char *copy;
};

/* Splits text into a block (never fails: empty text is a block of 0 rows). */
struct paste_block *paste_parse(const char *text, size_t len);
void paste_block_free(struct paste_block *b);

enum paste_status {
	PASTE_OK,
	PASTE_EMPTY,        /* nothing in the block */
	PASTE_BAD_NUMBER,   /* a value is not a number for its column */
	PASTE_OUTSIDE,      /* a value lands outside the table */
	PASTE_EMPTY_LINE,   /* a block of several columns has an empty line between its rows */
};

struct paste_result {
	enum paste_status status;
	/* PASTE_BAD_NUMBER, PASTE_OUTSIDE: the first bad value (reading row by row);
	 * PASTE_EMPTY_LINE: the empty line's row */
	int row, col;               /* 1-based, in the block */
	char *value;                /* malloc'd copy of the value as pasted */
	int cell;                   /* the cell it lands in, -1 outside */
	enum value_error error;     /* PASTE_BAD_NUMBER */
	int fit_rows, fit_cols;     /* PASTE_OUTSIDE: how many fit from the start cell */
	/* PASTE_OK */
	int rows, cols;             /* the block's size */
	int changed;                /* input cells whose value changed */
	int mismatches;             /* computed cells whose pasted value differs */
	int mismatch_cell;          /* the first of them */
	int mismatch_row, mismatch_col;
	struct value mismatch_pasted, mismatch_computed;
};

/* Applies block at start_cell (any cell of a table, the top-left of the block) as
 * described above. Returns true when the paste was applied (PASTE_OK). */
bool paste_apply(struct session *s, int start_cell, const struct paste_block *b, struct paste_result *r);
void paste_result_free(struct paste_result *r);

/* One line for the status bar, translated (malloc'd): what was pasted, or why not. */
char *paste_message(const struct template *tpl, const struct paste_result *r);

#endif
