#include <config.h>

#include "nianbao/paste.h"

#include <stdlib.h>
#include <string.h>

#include "nianbao/check.h"
#include "nianbao/i18n.h"
#include "nianbao/numtext.h"

struct paste_block *
paste_parse(const char *text, size_t len)
{
	struct paste_block *b = xcalloc(1, sizeof *b);
	b->copy = xmalloc(len + 1);
	memcpy(b->copy, text, len);
	b->copy[len] = '\0';
	const char *s = b->copy;
	size_t pos = 0;
	while (pos < len) {
		size_t end = pos;
		while (end < len && s[end] != '\n' && s[end] != '\r')
			end++;
		int row = b->rows++;
		b->row_len = xrealloc(b->row_len, (size_t)b->rows * sizeof *b->row_len);
		b->cells = xrealloc(b->cells, (size_t)b->rows * sizeof *b->cells);
		b->row_len[row] = 0;
		b->cells[row] = NULL;
		for (size_t c = pos;;) {
			size_t tab = c;
			while (tab < end && s[tab] != '\t')
				tab++;
			int col = b->row_len[row]++;
			b->cells[row] = xrealloc(b->cells[row], (size_t)b->row_len[row] * sizeof **b->cells);
			b->cells[row][col] = (struct paste_cell){s + c, tab - c};
			if (tab == end)
				break;
			c = tab + 1;
		}
		/* the line break: CRLF, LF or CR */
		pos = end;
		if (pos < len && s[pos] == '\r')
			pos++;
		if (pos < len && s[pos] == '\n' && (pos == end || s[pos - 1] == '\r'))
			pos++;
	}
	/* a tab at the end of every row (WPS, web tables) is not a column */
	bool all_trailing = b->rows > 0;
	for (int r = 0; r < b->rows && all_trailing; r++)
		all_trailing = b->row_len[r] >= 2 && b->cells[r][b->row_len[r] - 1].len == 0;
	for (int r = 0; r < b->rows; r++) {
		if (all_trailing)
			b->row_len[r]--;
		if (b->row_len[r] > b->width)
			b->width = b->row_len[r];
	}
	return b;
}

void
paste_block_free(struct paste_block *b)
{
	if (!b)
		return;
	for (int r = 0; r < b->rows; r++)
		free(b->cells[r]);
	free(b->cells);
	free(b->row_len);
	free(b->copy);
	free(b);
}

void
paste_result_free(struct paste_result *r)
{
	free(r->value);
	r->value = NULL;
}

static void
bad(struct paste_result *r, enum paste_status status, int row, int col, const struct paste_cell *pc, int cell)
{
	r->status = status;
	r->row = row + 1;
	r->col = col + 1;
	r->value = xstrndup(pc->text, pc->len);
	r->cell = cell;
}

bool
paste_apply(struct session *s, int start_cell, const struct paste_block *b, struct paste_result *r)
{
	const struct template *tpl = s->draft->tpl;
	*r = (struct paste_result){.cell = -1, .mismatch_cell = -1};
	const struct tpl_cell *start = &tpl->cells[start_cell];
	const struct tpl_table *t = &tpl->tables[start->table];
	int rows = t->rows.leaf_count, cols = t->cols.leaf_count;
	/* A spreadsheet's empty row still holds its tabs, so a line with nothing at all between
	 * the rows of a wider block is a doubled line break (CR LF pasted as CR CR, as tmux
	 * does): every later row would land one row too low. Refused; one trailing is harmless. */
	if (b->width > 1)
		for (int i = 0; i < b->rows; i++) {
			if (b->row_len[i] != 1 || b->cells[i][0].len != 0)
				continue;
			bool later = false;
			for (int k = i + 1; k < b->rows && !later; k++)
				later = b->row_len[k] > 1 || b->cells[k][0].len != 0;
			if (later) {
				bad(r, PASTE_EMPTY_LINE, i, 0, &b->cells[i][0], -1);
				r->rows = b->rows;
				r->cols = b->width;
				return false;
			}
		}
	struct value *values = xcalloc((size_t)b->rows * (size_t)(b->width ? b->width : 1), sizeof *values);
	/* read everything first: nothing changes unless all of it is good */
	for (int i = 0; i < b->rows; i++)
		for (int j = 0; j < b->row_len[i]; j++) {
			const struct paste_cell *pc = &b->cells[i][j];
			int row = start->row + i, col = start->col + j;
			bool inside = row < rows && col < cols;
			int cell = inside ? t->first_cell + row * cols + col : -1;
			bool empty;
			struct value v;
			enum value_error err = numtext_parse(pc->text, pc->len, inside ? tpl->cells[cell].type : VALUE_SIGNED, &v, &empty);
			if (empty)
				continue;   /* an empty cell outside the table is no harm */
			if (!inside) {
				bad(r, PASTE_OUTSIDE, i, j, pc, -1);
				r->fit_rows = rows - start->row;
				r->fit_cols = cols - start->col;
				goto refused;
			}
			if (err != VALUE_OK) {
				bad(r, PASTE_BAD_NUMBER, i, j, pc, cell);
				r->error = err;
				goto refused;
			}
			values[i * b->width + j] = v;
		}
	if (b->rows == 0) {
		r->status = PASTE_EMPTY;
		free(values);
		return false;
	}
	r->status = PASTE_OK;
	r->rows = b->rows;
	r->cols = b->width;
	session_begin(s);
	for (int i = 0; i < b->rows; i++)
		for (int j = 0; j < b->row_len[i]; j++) {
			int cell = t->first_cell + (start->row + i) * cols + start->col + j;
			if (tpl->cells[cell].formula >= 0)
				continue;
			struct value before = s->draft->cells[cell], v = values[i * b->width + j];
			if (before.set != v.set || before.scaled != v.scaled)
				r->changed++;
			session_set_cell(s, cell, v);
		}
	session_end(s);
	/* totals in the block are compared with what they add up to now */
	for (int i = 0; i < b->rows; i++)
		for (int j = 0; j < b->row_len[i]; j++) {
			int cell = t->first_cell + (start->row + i) * cols + start->col + j;
			struct value v = values[i * b->width + j];
			if (tpl->cells[cell].formula < 0 || !v.set)
				continue;
			struct value now = s->draft->cells[cell];
			if (now.set && now.scaled == v.scaled)
				continue;
			if (r->mismatches++ == 0) {
				r->mismatch_cell = cell;
				r->mismatch_row = i + 1;
				r->mismatch_col = j + 1;
				r->mismatch_pasted = v;
				r->mismatch_computed = now;
			}
		}
	free(values);
	return true;
refused:
	free(values);
	return false;
}

char *
paste_message(const struct template *tpl, const struct paste_result *r)
{
	switch (r->status) {
	case PASTE_EMPTY:
		return xstrdup(_("Nothing to paste: the clipboard holds no values"));
	case PASTE_OUTSIDE:
		return xasprintf(_("Nothing was pasted: '%s' (row %d, column %d of the block) falls outside "
		                   "the table; from this cell %d rows and %d columns fit"),
		                 r->value, r->row, r->col, r->fit_rows, r->fit_cols);
	case PASTE_EMPTY_LINE:
		return xasprintf(_("Nothing was pasted: row %d of the block is an empty line between rows of %d "
		                   "columns, so the rows after it cannot be placed (a doubled line break?)"),
		                 r->row, r->cols);
	case PASTE_BAD_NUMBER: {
		char *where = cell_describe(tpl, r->cell);
		char *msg = xasprintf(_("Nothing was pasted: '%s' (row %d, column %d of the block, for %s) %s"),
		                      r->value, r->row, r->col, where, _(value_error_msgid(r->error)));
		free(where);
		return msg;
	}
	case PASTE_OK:
		break;
	}
	char *msg = xasprintf(P_("Pasted a block of %d×%d: %d cell changed",
	                         "Pasted a block of %d×%d: %d cells changed", r->changed),
	                      r->rows, r->cols, r->changed);
	if (r->mismatches) {
		char *where = cell_describe(tpl, r->mismatch_cell);
		char pasted[VALUE_FORMAT_MAX], computed[VALUE_FORMAT_MAX];
		value_format(r->mismatch_pasted, pasted, sizeof pasted);
		value_format(r->mismatch_computed, computed, sizeof computed);
		char *more = r->mismatches == 1
			? xasprintf(_("; the pasted total %s for %s differs from the sum %s"),
			            pasted, where, computed[0] ? computed : "~")
			: xasprintf(_("; the pasted total %s for %s differs from the sum %s, and %d more totals differ"),
			            pasted, where, computed[0] ? computed : "~", r->mismatches - 1);
		char *both = xasprintf("%s%s", msg, more);
		free(where);
		free(more);
		free(msg);
		msg = both;
	}
	return msg;
}
