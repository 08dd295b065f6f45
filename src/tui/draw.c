#include <config.h>

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "editor.h"
#include "nianbao/check.h"
#include "nianbao/i18n.h"
#include "nianbao/width.h"

/* Geometry and drawing of the main screen: it reads the editor's state and the session,
 * and changes nothing but the scroll position. */

/* ---- geometry ---- */

#define GEOM_MAX_COLS 32
#define COL_MIN 6           /* display columns for a number: 5 digits fit, and 3 CJK characters a header line */
#define COL_WANT 9
#define LABEL_MIN 16
#define LABEL_MAX 48

struct table_geom {
	int label_w;
	int n;
	int col_w[GEOM_MAX_COLS];   /* each column with its one-space gap on the left */
	int x[GEOM_MAX_COLS];       /* where each column starts */
};

/* The text a cell shows: the number being typed, its value, or "_" for blank. */
static void
cell_text(const struct editor *e, int cell, char *buf, size_t size)
{
	if (cell == session_num_cell(e->s))
		snprintf(buf, size, "%s", session_num_text(e->s));
	else if (!e->s->draft->cells[cell].set)
		snprintf(buf, size, "_");
	else
		value_format(e->s->draft->cells[cell], buf, size);
}

/* A header label: the column's short label, with its unit ("本年收费金额（万元）"). */
static char *
column_label(const struct tpl_node *n)
{
	return n->unit ? xasprintf("%s（%s）", n->short_label, n->unit) : xstrdup(n->short_label);
}

/* Widths for a table at width columns: every number column as wide as its widest value
 * (at least COL_MIN), so that a number is never cut; the row labels get what they need
 * of the rest, up to LABEL_MAX, and not less than LABEL_MIN; what is left widens the
 * columns up to COL_WANT. */
static struct table_geom
table_geom(const struct editor *e, const struct tpl_table *t, int width)
{
	struct table_geom g = {0};
	g.n = t->cols.leaf_count < GEOM_MAX_COLS ? t->cols.leaf_count : GEOM_MAX_COLS;
	int cols_total = 0;
	for (int c = 0; c < g.n; c++) {
		int w = COL_MIN;
		for (int r = 0; r < t->rows.leaf_count; r++) {
			char buf[VALUE_FORMAT_MAX + 8];
			cell_text(e, t->first_cell + r * t->cols.leaf_count + c, buf, sizeof buf);
			if ((int)strlen(buf) > w)
				w = (int)strlen(buf);
		}
		g.col_w[c] = w + 1;
		cols_total += w + 1;
	}
	int label_need = 0;
	for (int r = 0; r < t->rows.node_count; r++) {
		const struct tpl_node *n = &t->rows.nodes[r];
		int w = 2 * n->depth + (int)width_of_utf8(n->short_label, strlen(n->short_label));
		if (n->leaf >= 0 && w > label_need)
			label_need = w;
	}
	if (label_need > LABEL_MAX)
		label_need = LABEL_MAX;
	g.label_w = width - 1 - cols_total;
	if (g.label_w > label_need)
		g.label_w = label_need < LABEL_MIN ? LABEL_MIN : label_need;
	if (g.label_w < LABEL_MIN)
		g.label_w = LABEL_MIN;
	/* what is left widens the columns, evenly, up to what shows their labels on two lines
	 * (本年收费金额（万元）) */
	int want[GEOM_MAX_COLS];
	for (int c = 0; c < g.n; c++) {
		char *label = column_label(&t->cols.nodes[t->cols.leaves[c]]);
		int half = ((int)width_of_utf8(label, strlen(label)) + 1) / 2;
		half += half % 2;
		want[c] = (half > COL_WANT ? (half < 2 * COL_WANT ? half : 2 * COL_WANT) : COL_WANT) + 1;
		free(label);
	}
	for (int spare = width - 1 - g.label_w - cols_total; spare > 0;) {
		bool grew = false;
		for (int c = 0; c < g.n && spare > 0; c++)
			if (g.col_w[c] < want[c]) {
				g.col_w[c]++;
				spare--;
				grew = true;
			}
		if (!grew)
			break;
	}
	int x = g.label_w;
	for (int c = 0; c < g.n; c++) {
		g.x[c] = x;
		x += g.col_w[c];
	}
	return g;
}

/* The header lines of a table: one for each level of column groups (申请人情况,
 * 法人或其他组织), then two for the columns' labels. */
static int
header_lines(const struct tpl_table *t)
{
	return (t->cols.depth > 1 ? t->cols.depth - 1 : 0) + 2;
}

enum line_kind { LN_BLANK, LN_TEXT_LABEL, LN_TEXT_ROW, LN_CAPTION, LN_HEADER, LN_GROUP, LN_ROW };

struct line {
	enum line_kind kind;
	int item;
	int a;          /* text row index, header line, node or row leaf */
	size_t start, end;
};

struct lines {
	struct line *v;
	int count, cap;
};

static void
push(struct lines *ls, struct line l)
{
	if (ls->count == ls->cap) {
		ls->cap = ls->cap ? ls->cap * 2 : 64;
		ls->v = xrealloc(ls->v, (size_t)ls->cap * sizeof *ls->v);
	}
	ls->v[ls->count++] = l;
}

int text_width(void) { return COLS - 4; }

/* The lines of the current section from the top down to body lines past the focus (the
 * cursor's row when a text is being edited, else the current table row or text label):
 * nothing further down can be shown. Of the text being edited only the rows within body
 * of the cursor's row are laid out; the rows above them are placeholders (start = end =
 * 0) that keep the line numbers. So a key costs the screen, not the length of the text.
 * Returns the focus line. */
static int
layout(struct editor *e, struct lines *ls, int body)
{
	const struct section_items *sec = &e->sections[e->section];
	int focus = -1, stop = INT_MAX;
	ls->count = 0;
	for (int i = 0; i < sec->count && ls->count < stop; i++) {
		const struct tpl_item *it = &sec->items[i];
		bool focused = e->item == i;
		if (i > 0)
			push(ls, (struct line){LN_BLANK, i, 0, 0, 0});
		if (it->kind == ITEM_TEXT) {
			if (focused && !e->te) {
				focus = ls->count;
				stop = focus + body;
			}
			push(ls, (struct line){LN_TEXT_LABEL, i, 0, 0, 0});
			if (focused && e->te) {
				textedit_set_width(e->te, text_width());
				size_t crow;
				int ccol;
				textedit_cursor_position(e->te, &crow, &ccol);
				size_t lo = crow > (size_t)body ? crow - (size_t)body : 0;
				for (size_t r = 0; r < lo; r++)
					push(ls, (struct line){LN_TEXT_ROW, i, (int)r, 0, 0});
				focus = ls->count + (int)(crow - lo);
				stop = focus + body;
				size_t want = crow - lo + (size_t)body, first = lo, n;
				struct width_line rows[64];
				do {
					n = textedit_rows(e->te, first, rows, want < 64 ? want : 64);
					for (size_t k = 0; k < n; k++)
						push(ls, (struct line){LN_TEXT_ROW, i, (int)(first + k), rows[k].start, rows[k].end});
					first += n;
					want -= n;
				} while (n == 64 && want > 0);
			} else {
				const char *text = e->s->draft->texts[it->index];
				if (!text) {
					push(ls, (struct line){LN_TEXT_ROW, i, -1, 0, 0});
					continue;
				}
				struct width_wrap wrap;
				struct width_line row;
				width_wrap_init(&wrap, text, strlen(text), text_width() - 1);
				int k = 0;
				while (ls->count < stop && width_wrap_next(&wrap, &row))
					push(ls, (struct line){LN_TEXT_ROW, i, k++, row.start, row.end});
			}
		} else {
			const struct tpl_table *t = &e->tpl->tables[it->index];
			if (t->caption)
				push(ls, (struct line){LN_CAPTION, i, 0, 0, 0});
			for (int h = 0; h < header_lines(t); h++)
				push(ls, (struct line){LN_HEADER, i, h, 0, 0});
			for (int n = 0; n < t->rows.node_count; n++) {
				const struct tpl_node *node = &t->rows.nodes[n];
				if (node->leaf < 0) {
					push(ls, (struct line){LN_GROUP, i, n, 0, 0});
				} else {
					if (focused && node->leaf == e->row)
						focus = ls->count;
					push(ls, (struct line){LN_ROW, i, node->leaf, 0, 0});
				}
			}
		}
		if (focus >= 0 && stop == INT_MAX)
			stop = focus + body;
	}
	return focus >= 0 ? focus : 0;
}

/* ---- drawing ---- */

/* Whether a rule's comparison reads the cell (this year's value): a failing balance
 * marks every cell it adds up (一, 二, （七）总计 and 四 of the column), not only one. */
static bool
rule_reads(const struct check_result *r, int cell)
{
	if (r->check->kind != CHECK_RULE || r->instance < 0 || r->instance >= r->check->instance_count)
		return false;
	const struct rule_instance *in = &r->check->instances[r->instance];
	for (int side = 0; side < 2; side++) {
		const struct lin_expr *x = side ? &in->rhs : &in->lhs;
		for (int k = 0; k < x->term_count; k++)
			if (!x->terms[k].prev && x->terms[k].cell == cell)
				return true;
	}
	return false;
}

/* Whether a check fails on the cell (or, with cell -1, on the text field). */
static bool
failing(const struct editor *e, int cell, int text)
{
	for (size_t i = 0; i < e->s->report.count; i++) {
		const struct check_result *r = &e->s->report.items[i];
		if (cell >= 0 ? r->cell == cell || (r->severity == DIAG_ERROR && rule_reads(r, cell)) : r->text == text)
			return true;
	}
	return false;
}

static int
section_of_result(const struct editor *e, const struct check_result *r)
{
	if (r->cell >= 0)
		return e->tpl->tables[e->tpl->cells[r->cell].table].section;
	if (r->text >= 0)
		return e->tpl->texts[r->text].section;
	return -1;
}

/* What the last frame showed, for the mouse: the section names' columns on line 1, and
 * the layout line on each body line. */
#define MAX_SHOWN_SECTIONS 16
#define MAX_SHOWN_LINES 512
static int section_from[MAX_SHOWN_SECTIONS], section_to[MAX_SHOWN_SECTIONS], shown_sections;
static struct line shown_lines[MAX_SHOWN_LINES];
static int shown_top, shown_count;

static void
draw_title(struct editor *e)
{
	const struct draft *d = e->s->draft;
	char *base_copy = xstrdup(e->path);
	char *year = d->year ? xasprintf("%d", d->year) : xstrdup("----");
	char *title = xasprintf(" %s  %s年  %s  %s%s%s", d->organization[0] ? d->organization : _("(no organization)"),
	                        year, e->tpl->id, basename(base_copy), session_modified(e->s) ? " [+]" : "",
	                        e->s->readonly ? _(" [read-only]") : "");
	attron(A_REVERSE);
	move(0, 0);
	put_fit(title, COLS);
	attroff(A_REVERSE);
	free(title);
	free(year);
	free(base_copy);
}

static void
draw_sections(struct editor *e)
{
	bool *bad = xcalloc((size_t)e->tpl->section_count, sizeof *bad);
	for (size_t i = 0; i < e->s->report.count; i++) {
		const struct check_result *r = &e->s->report.items[i];
		int sec = section_of_result(e, r);
		if (sec >= 0 && r->severity == DIAG_ERROR)
			bad[sec] = true;
	}
	move(1, 0);
	int used = 0;
	shown_sections = 0;
	for (int i = 0; i < e->tpl->section_count && used < COLS; i++) {
		const char *heading = e->tpl->sections[i].heading;
		const char *mark = strstr(heading, "、");
		char *label = i == e->section || !mark ? xstrdup(heading)
		                                       : xstrndup(heading, (size_t)(mark - heading));
		char *shown = xasprintf(" %s%s", label, bad[i] ? "!" : " ");
		int w = (int)width_of_utf8(shown, strlen(shown));
		if (i == e->section)
			attron(A_REVERSE | A_BOLD);
		else if (bad[i])
			attron(COLOR_PAIR(PAIR_ERROR));
		if (i < MAX_SHOWN_SECTIONS) {
			section_from[i] = used;
			shown_sections = i + 1;
		}
		used += put_clipped(shown, strlen(shown), COLS - used);
		if (i < MAX_SHOWN_SECTIONS)
			section_to[i] = used;
		attroff(A_REVERSE | A_BOLD | COLOR_PAIR(PAIR_ERROR));
		(void)w;
		free(shown);
		free(label);
	}
	fill_line(1);
	free(bad);
}

static void
draw_cell(struct editor *e, int cell, int width, bool focused)
{
	const struct tpl_cell *c = &e->tpl->cells[cell];
	char buf[VALUE_FORMAT_MAX + 8];
	attr_t attr = 0;
	short pair = 0;
	cell_text(e, cell, buf, sizeof buf);
	if (cell != session_num_cell(e->s) && !e->s->draft->cells[cell].set) {
		attr |= A_DIM;
		pair = PAIR_BLANK;
	}
	if (c->formula >= 0) {
		attr |= A_BOLD;
		pair = PAIR_COMPUTED;
	}
	if (failing(e, cell, -1)) {
		attr |= A_UNDERLINE;
		pair = PAIR_ERROR;
	}
	if (focused)
		attr |= A_REVERSE;
	int len = (int)strlen(buf);
	if (len > width - 1) {
		/* never a cut number: a column too narrow for it shows # marks, as a spreadsheet does */
		len = width - 1 > 0 ? width - 1 : 0;
		memset(buf, '#', (size_t)len);
		buf[len] = '\0';
	}
	/* the padding stays plain, so that a changed value rewrites only its digits */
	for (int i = len; i < width; i++)
		addch(' ');
	attron(attr | COLOR_PAIR(pair));
	addnstr(buf, len);
	attroff(attr | COLOR_PAIR(pair));
}

/* One header line of a table: a level of column groups, each label over the columns it
 * spans, or one of the two lines of the columns' own labels (with their units). */
static void
draw_header(struct editor *e, const struct tpl_table *t, int line, struct table_geom g)
{
	move(getcury(stdscr), 0);
	int groups = header_lines(t) - 2;
	put_fit(line == 0 && t->stub ? t->stub : "", g.label_w);
	if (line < groups) {
		/* the groups at depth line: label over their span; a column under no group there is blank */
		int x = g.label_w;
		for (int c = 0; c < g.n;) {
			const struct tpl_node *leaf = &t->cols.nodes[t->cols.leaves[c]];
			int node = t->cols.leaves[c];
			while (node >= 0 && t->cols.nodes[node].depth > line)
				node = t->cols.nodes[node].parent;
			if (node >= 0 && t->cols.nodes[node].leaf < 0 && t->cols.nodes[node].depth == line) {
				const struct tpl_node *grp = &t->cols.nodes[node];
				int span = 0;
				for (int k = c; k < c + grp->leaf_count && k < g.n; k++)
					span += g.col_w[k];
				addch(' ');
				attron(A_BOLD);
				put_fit(grp->short_label, span - 1);
				attroff(A_BOLD);
				x += span;
				c += grp->leaf_count;
			} else {
				for (int k = 0; k < g.col_w[c]; k++)
					addch(' ');
				x += g.col_w[c];
				c++;
			}
			(void)leaf;
		}
		(void)x;
		return;
	}
	line -= groups;
	for (int c = 0; c < g.n; c++) {
		const struct tpl_node *n = &t->cols.nodes[t->cols.leaves[c]];
		char *label = column_label(n);
		struct width_wrap wrap;
		struct width_line row = {0};
		int w = g.col_w[c] - 1;
		/* a label that needs two lines is split evenly: 商业/企业, not 商业企/业 */
		int total = (int)width_of_utf8(label, strlen(label)), wrap_w = w;
		struct width_line first_line;
		width_wrap_init(&wrap, label, strlen(label), w);
		width_wrap_next(&wrap, &first_line);
		if (total > w && total <= 2 * w && total - first_line.cols <= 2) {
			wrap_w = (total + 1) / 2;
			wrap_w += wrap_w % 2;
			if (wrap_w > w)
				wrap_w = w;
		}
		width_wrap_init(&wrap, label, strlen(label), wrap_w);
		bool have = width_wrap_next(&wrap, &row);
		if (line == 1)
			have = width_wrap_next(&wrap, &row);
		/* a label longer than two lines ends with ".." on the second */
		struct width_line rest;
		bool more = line == 1 && have && width_wrap_next(&wrap, &rest);
		addch(' ');
		attron(A_BOLD);
		int used = 0;
		if (have) {
			size_t end = row.end;
			int cols = row.cols;
			if (more) {
				while (end > row.start && cols > w - 2) {
					size_t prev = width_cluster_prev(label, end, end);
					cols -= (int)width_of_utf8(label + prev, end - prev);
					end = prev;
				}
			}
			int pad = w - cols - (more ? 2 : 0);
			for (int i = 0; i < pad; i++)
				addch(' ');
			used = pad + put_clipped(label + row.start, end - row.start, w);
			if (more) {
				addstr("..");
				used += 2;
			}
		}
		for (; used < w; used++)
			addch(' ');
		attroff(A_BOLD);
		free(label);
	}
	(void)e;
}

static void
draw_line(struct editor *e, const struct line *l, int y)
{
	const struct tpl_item *it = &e->sections[e->section].items[l->item];
	bool focused_item = l->item == e->item;
	move(y, 0);
	switch (l->kind) {
	case LN_BLANK:
		break;
	case LN_TEXT_LABEL: {
		const struct tpl_text *t = &e->tpl->texts[it->index];
		attr_t a = A_BOLD | (focused_item && !e->te ? A_REVERSE : 0);
		if (failing(e, -1, it->index))
			a |= A_UNDERLINE;
		attron(a);
		char *label = xasprintf("%s%s", t->label, t->optional ? _(" (optional)") : "");
		int used = put_clipped(label, strlen(label), COLS / 2);
		free(label);
		attroff(a);
		/* the marks after the heading stay on its line: clipped, never wrapped into the text */
		if (session_text_unrevised(e->s, it->index)) {
			const char *mark = _("[last year's text, not yet revised]");
			attron(COLOR_PAIR(PAIR_UNREVISED) | A_UNDERLINE);
			if (used + 2 < COLS) {
				addstr("  ");
				used += 2 + put_clipped(mark, strlen(mark), COLS - used - 2);
			}
			attroff(COLOR_PAIR(PAIR_UNREVISED) | A_UNDERLINE);
		}
		if (focused_item && e->te) {
			const char *editing = _("  (editing: Tab keeps, Esc restores)");
			put_clipped(editing, strlen(editing), COLS - used);
		}
		break;
	}
	case LN_TEXT_ROW: {
		move(y, 2);
		if (l->a < 0) {
			const struct tpl_text *t = &e->tpl->texts[it->index];
			attron(A_DIM | COLOR_PAIR(PAIR_BLANK));
			char *empty = t->hint ? xasprintf(_("(empty: %s)"), t->hint) : xstrdup(_("(empty)"));
			put_clipped(empty, strlen(empty), text_width());
			free(empty);
			attroff(A_DIM | COLOR_PAIR(PAIR_BLANK));
			break;
		}
		const char *text = focused_item && e->te ? textedit_text(e->te, NULL) : e->s->draft->texts[it->index];
		put_clipped(text + l->start, l->end - l->start, text_width());
		break;
	}
	case LN_CAPTION:
		attron(A_BOLD);
		put_fit(e->tpl->tables[it->index].caption, COLS);
		attroff(A_BOLD);
		break;
	case LN_HEADER: {
		const struct tpl_table *t = &e->tpl->tables[it->index];
		draw_header(e, t, l->a, table_geom(e, t, COLS));
		break;
	}
	case LN_GROUP: {
		const struct tpl_table *t = &e->tpl->tables[it->index];
		const struct tpl_node *n = &t->rows.nodes[l->a];
		for (int i = 0; i < n->depth; i++)
			addstr("  ");
		put_clipped(n->short_label, strlen(n->short_label), COLS - 2 * n->depth);
		break;
	}
	case LN_ROW: {
		const struct tpl_table *t = &e->tpl->tables[it->index];
		struct table_geom g = table_geom(e, t, COLS);
		const struct tpl_node *n = &t->rows.nodes[t->rows.leaves[l->a]];
		char *label = xasprintf("%*s%s", 2 * n->depth, "", n->short_label);
		if (focused_item && l->a == e->row)
			attron(A_BOLD);
		put_fit(label, g.label_w);
		attroff(A_BOLD);
		free(label);
		for (int c = 0; c < g.n; c++) {
			int cell = template_cell_at(e->tpl, it->index, l->a, c);
			draw_cell(e, cell, g.col_w[c], focused_item && l->a == e->row && c == e->col);
		}
		break;
	}
	}
	fill_line(y);
}

static char *
node_path(const struct tpl_tree *tree, int node)
{
	char *path = xstrdup(tree->nodes[node].label);
	for (int p = tree->nodes[node].parent; p >= 0; p = tree->nodes[p].parent) {
		char *longer = xasprintf("%s › %s", tree->nodes[p].label, path);
		free(path);
		path = longer;
	}
	return path;
}

/* The full labels of the focus, on the line above the status. */
static void
draw_help_line(struct editor *e, int y)
{
	move(y, 0);
	char *text = NULL;
	const struct tpl_table *t = cur_table(e);
	int ti = cur_text(e);
	if (t) {
		/* the full paths when they fit, else the labels of the row and the column */
		char *row = node_path(&t->rows, t->rows.leaves[e->row]);
		char *col = node_path(&t->cols, t->cols.leaves[e->col]);
		int cell = cur_cell(e);
		const char *computed = e->tpl->cells[cell].formula >= 0 ? _(" (computed)") : "";
		text = xasprintf("%s%s: %s | %s", e->tpl->cells[cell].id, computed, row, col);
		if ((int)width_of_utf8(text, strlen(text)) > COLS) {
			free(text);
			text = xasprintf("%s%s: %s | %s", e->tpl->cells[cell].id, computed,
			                 t->rows.nodes[t->rows.leaves[e->row]].label,
			                 t->cols.nodes[t->cols.leaves[e->col]].label);
		}
		free(row);
		free(col);
	} else if (ti >= 0) {
		const struct tpl_text *tx = &e->tpl->texts[ti];
		text = tx->hint ? xasprintf("%s: %s: %s", tx->id, tx->label, tx->hint) : xasprintf("%s: %s", tx->id, tx->label);
	}
	attron(A_DIM);
	if (text)
		put_fit(text, COLS);
	attroff(A_DIM);
	fill_line(y);
	free(text);
}

static void
draw_status(struct editor *e, int y)
{
	move(y, 0);
	if (e->message) {
		attron(e->message_error ? A_BOLD | COLOR_PAIR(PAIR_ERROR) : A_BOLD);
		put_fit(e->message, COLS);
		attroff(A_BOLD | COLOR_PAIR(PAIR_ERROR));
		return;
	}
	char *warning = guard_autosave_warning(&e->guard);
	if (warning) {
		attron(A_BOLD | COLOR_PAIR(PAIR_ERROR));
		put_fit(warning, COLS);
		attroff(A_BOLD | COLOR_PAIR(PAIR_ERROR));
		free(warning);
		return;
	}
	const struct check_report *r = &e->s->report;
	/* the cells still to fill are counted apart from the real errors: a new draft has
	 * work to do, not 169 errors */
	int blanks = 0;
	const struct check_result *first = NULL, *first_blank = NULL;
	for (size_t i = 0; i < r->count; i++) {
		bool blank = !strcmp(r->items[i].check->id, "blank");
		blanks += blank;
		if (blank && !first_blank)
			first_blank = &r->items[i];
		else if (!blank && !first)
			first = &r->items[i];
	}
	if (!first)
		first = first_blank;
	int errors = r->errors - blanks;
	char *text;
	if (!r->count) {
		text = xstrdup(_("No problems found."));
	} else {
		char *errs = xasprintf(P_("%d error", "%d errors", errors), errors);
		char *warns = xasprintf(P_("%d warning", "%d warnings", r->warnings), r->warnings);
		if (blanks) {
			char *fill = xasprintf(P_("%d cell to fill", "%d cells to fill", blanks), blanks);
			text = xasprintf(_("%s, %s, %s: %s"), fill, errs, warns, first->message);
			free(fill);
		} else {
			text = xasprintf(_("%s, %s: %s"), errs, warns, first->message);
		}
		free(errs);
		free(warns);
	}
	if (errors)
		attron(COLOR_PAIR(PAIR_ERROR));
	put_fit(text, COLS);
	attroff(COLOR_PAIR(PAIR_ERROR));
	free(text);
}

/* The key hints for what the focus is: a question, a table cell, a text field, or a text
 * being edited; as many as fit the width, most useful first, none cut. */
static void
draw_hints(struct editor *e, int y)
{
	static const char *const table[] = {
		N_("F1 help"), N_("^S save"), N_("^Q quit"), N_("PgUp/PgDn section"), N_("Tab next"),
		N_("^Z undo"), N_("F8 problem"), N_("^G go to"), N_("^O zeros"), N_("F5 preview"), NULL,
	};
	static const char *const text[] = {
		N_("F1 help"), N_("^S save"), N_("^Q quit"), N_("PgUp/PgDn section"), N_("Enter edit"),
		N_("^E $EDITOR"), N_("^Z undo"), N_("F8 problem"), N_("^G go to"), N_("F5 preview"), NULL,
	};
	static const char *const editing[] = {
		N_("Tab keep"), N_("Esc restore"), N_("Enter new line"), N_("^K cut to line end"), N_("^Z undo"),
		N_("^E $EDITOR"), N_("F1 help"), NULL,
	};
	static const char *const prompt_line[] = {N_("Enter OK"), N_("Esc cancel"), N_("← → Home End move"), NULL};
	static const char *const yes_no[] = {N_("y yes"), N_("n no"), N_("Esc back"), NULL};
	const char *const *hints = e->prompt == PROMPT_LINE ? prompt_line : e->prompt == PROMPT_YES_NO ? yes_no
	                         : e->te ? editing : cur_table(e) ? table : text;
	char line[512] = "";
	int used = 0;
	for (int i = 0; hints[i]; i++) {
		const char *h = _(hints[i]);
		int w = (int)width_of_utf8(h, strlen(h)) + (i ? 2 : 1);
		if (used + w > COLS || strlen(line) + strlen(h) + 3 >= sizeof line)
			break;
		strcat(line, i ? "  " : " ");
		strcat(line, h);
		used += w;
	}
	move(y, 0);
	attron(A_REVERSE);
	put_fit(line, COLS);
	attroff(A_REVERSE);
}

void
draw(struct editor *e)
{
	if (too_small())
		return;
	erase();
	draw_title(e);
	draw_sections(e);
	int top = 2, body = LINES - 5;
	struct lines ls = {0};
	int f = layout(e, &ls, body);
	/* keep the focus in view, with the table's caption and header when they fit */
	int first = f;
	for (int i = f; i >= 0 && ls.v[i].item == e->item && f - i < body; i--)
		if (ls.v[i].kind == LN_CAPTION || ls.v[i].kind == LN_HEADER || ls.v[i].kind == LN_TEXT_LABEL)
			first = i;
	if (first < e->scroll)
		e->scroll = first;
	if (f >= e->scroll + body)
		e->scroll = f - body + 1;
	if (e->scroll > ls.count - 1)
		e->scroll = ls.count > 0 ? ls.count - 1 : 0;
	if (e->scroll < 0)
		e->scroll = 0;
	/* the table's column header stays on screen while its rows scroll */
	int hfirst = -1, hcount = 0;
	for (int i = 0; i < ls.count; i++)
		if (ls.v[i].item == e->item && ls.v[i].kind == LN_HEADER) {
			if (hfirst < 0)
				hfirst = i;
			hcount++;
		}
	bool sticky = false;
	if (hfirst >= 0 && hfirst < e->scroll && hcount < body) {
		if (f < e->scroll + hcount)
			e->scroll = f - hcount;
		sticky = hfirst < e->scroll;
	}
	shown_top = top;
	shown_count = 0;
	for (int y = 0; y < body && e->scroll + y < ls.count; y++) {
		const struct line *l = sticky && y < hcount ? &ls.v[hfirst + y] : &ls.v[e->scroll + y];
		draw_line(e, l, top + y);
		if (y < MAX_SHOWN_LINES)
			shown_lines[shown_count++] = *l;
	}
	draw_help_line(e, LINES - 3);
	draw_status(e, LINES - 2);
	draw_hints(e, LINES - 1);
	/* the cursor */
	int cy = top + f - e->scroll, cx = 0;
	const struct tpl_table *t = cur_table(e);
	if (e->te) {
		size_t row;
		int col;
		textedit_cursor_position(e->te, &row, &col);
		cx = 2 + col;
	} else if (t) {
		struct table_geom g = table_geom(e, t, COLS);
		cx = e->col < g.n ? g.x[e->col] + g.col_w[e->col] - 1 : 0;
	}
	if (cy >= top && cy < top + body)
		move(cy, cx);
	curs_set(t || e->te ? 1 : 0);
	free(ls.v);
	refresh();
}


/* Asks a yes/no question above the key hints: returns 'y', 'n' or 0 (Esc). */

bool
draw_hit(struct editor *e, int x, int y, struct hit *h)
{
	*h = (struct hit){HIT_NONE, -1, -1, -1, -1};
	if (y == 1) {
		for (int i = 0; i < shown_sections; i++)
			if (x >= section_from[i] && x < section_to[i]) {
				*h = (struct hit){HIT_SECTION, i, -1, -1, -1};
				return true;
			}
		return false;
	}
	int k = y - shown_top;
	if (k < 0 || k >= shown_count)
		return false;
	const struct line *l = &shown_lines[k];
	const struct tpl_item *it = &e->sections[e->section].items[l->item];
	switch (l->kind) {
	case LN_TEXT_LABEL:
	case LN_TEXT_ROW:
		*h = (struct hit){HIT_TEXT, e->section, l->item, 0, 0};
		return true;
	case LN_ROW: {
		const struct tpl_table *t = &e->tpl->tables[it->index];
		struct table_geom g = table_geom(e, t, COLS);
		int col = -1;
		for (int c = 0; c < g.n; c++)
			if (x >= g.x[c] && x < g.x[c] + g.col_w[c])
				col = c;
		if (col < 0)
			col = l->item == e->item && l->a == e->row ? e->col : 0;   /* on the label: the row */
		*h = (struct hit){HIT_CELL, e->section, l->item, l->a, col};
		return true;
	}
	default:
		return false;
	}
}
