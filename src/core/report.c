#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nianbao/report.h"
#include "nianbao/utf8.h"
#include "nianbao/width.h"

char *
report_title(const struct draft *d)
{
	return d->year > 0 ? xasprintf("%d年%s", d->year, d->tpl->title) : xstrdup(d->tpl->title);
}

static bool
is_indent_char(const char *s, size_t len, size_t *n)
{
	uint32_t cp;
	*n = utf8_decode(s, len, &cp);
	return cp == ' ' || cp == 0x3000 || cp == '\t';
}

bool
report_paragraph_next(const char **p, const char **start, size_t *len)
{
	const char *s = *p;
	if (!s || !*s)
		return false;
	const char *eol = strchr(s, '\n');
	size_t n = eol ? (size_t)(eol - s) : strlen(s);
	size_t skip = 0, k;
	while (skip < n && is_indent_char(s + skip, n - skip, &k))
		skip += k;
	*start = s + skip;
	*len = n - skip;
	*p = eol ? eol + 1 : s + n;
	return true;
}

bool
report_date_parse(const char *s, char out[REPORT_DATE_MAX])
{
	int y, m, d, n = -1;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n < 0 || s[n])
		if (n = -1, sscanf(s, "%4d年%2d月%2d日%n", &y, &m, &d, &n) != 3 || n < 0 || s[n])
			return false;
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (!draft_year_valid(y) || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return false;
	for (const char *p = s; *p; p++)
		if (*p == ' ' || *p == '+')
			return false;
	snprintf(out, REPORT_DATE_MAX, "%d年%d月%d日", y, m, d);
	return true;
}

void
report_walk(const struct draft *d, const struct report_visitor *v, void *ctx)
{
	const struct template *tpl = d->tpl;
	if (tpl->preface >= 0 && d->texts[tpl->preface])
		v->text(ctx, d->texts[tpl->preface]);
	for (int s = 0; s < tpl->section_count; s++) {
		const struct tpl_section *sec = &tpl->sections[s];
		v->heading(ctx, sec->heading);
		for (int i = 0; i < sec->item_count; i++) {
			const struct tpl_item *it = &sec->items[i];
			if (it->kind == ITEM_TABLE)
				v->table(ctx, &tpl->tables[it->index]);
			else if (d->texts[it->index])
				v->text(ctx, d->texts[it->index]);
		}
	}
}

/* ---- tables: a grid of cells, some merged ---- */

static void
grid_add(struct report_grid *g, int row, int col, int rows, int cols, const char *text, bool number)
{
	if (rows < 1 || cols < 1)
		return;
	if (g->count == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		g->cells = xrealloc(g->cells, (size_t)g->cap * sizeof *g->cells);
	}
	g->cells[g->count++] = (struct report_cell){row, col, rows, cols, xstrdup(text ? text : ""), number, false};
	if (row + rows > g->nrows)
		g->nrows = row + rows;
	if (col + cols > g->ncols)
		g->ncols = col + cols;
}

void
report_grid_free(struct report_grid *g)
{
	for (int i = 0; i < g->count; i++)
		free(g->cells[i].text);
	free(g->cells);
	memset(g, 0, sizeof *g);
}

static void
cell_text(const struct draft *d, int cell, char buf[VALUE_FORMAT_MAX])
{
	value_format(d->cells[cell], buf, VALUE_FORMAT_MAX);
}

/* The part [lo, hi) of a node's leaf range that falls in the window; 0 when none. */
static int
clip(const struct tpl_node *n, int lo, int hi, int *first)
{
	int a = n->first_leaf > lo ? n->first_leaf : lo;
	int b = n->first_leaf + n->leaf_count < hi ? n->first_leaf + n->leaf_count : hi;
	*first = a;
	return b > a ? b - a : 0;
}

/* Column headers of the tree for the leaf window [lo, hi), from grid row top, the leaves
 * reaching down to row bottom (exclusive); column x of leaf lo is col0. */
static void
add_col_headers(struct report_grid *g, const struct tpl_tree *cols, int lo, int hi, int top, int bottom, int col0)
{
	for (int i = 0; i < cols->node_count; i++) {
		const struct tpl_node *n = &cols->nodes[i];
		int first, span = clip(n, lo, hi, &first);
		if (!span)
			continue;
		int row = top + n->depth;
		int rows = n->leaf >= 0 ? bottom - row : 1;
		grid_add(g, row, col0 + first - lo, rows, span, n->label, false);
	}
}

/* The usual layout: label columns for the row tree, one column per column leaf in
 * [lo, hi), header rows for the column tree. */
void
report_grid_columns(struct report_grid *g, const struct draft *d, const struct tpl_table *t, int lo, int hi)
{
	int label_cols = t->rows.depth > 0 ? t->rows.depth : 1;
	int top = 0;
	int ncols = label_cols + (hi - lo);
	if (t->caption) {
		grid_add(g, 0, 0, 1, ncols, t->caption, false);
		top = 1;
	}
	int head = t->cols.depth > 0 ? t->cols.depth : 1;
	const char *corner = t->corner ? t->corner : t->stub;
	grid_add(g, top, 0, head, label_cols, corner, false);
	add_col_headers(g, &t->cols, lo, hi, top, top + head, label_cols);
	int body = top + head;
	g->caption_rows = top;
	g->head_rows = body;
	char buf[VALUE_FORMAT_MAX];
	for (int i = 0; i < t->rows.node_count; i++) {
		const struct tpl_node *n = &t->rows.nodes[i];
		int row = body + n->first_leaf;
		if (n->leaf < 0) {
			grid_add(g, row, n->depth, n->leaf_count, 1, n->label, false);
			g->cells[g->count - 1].vertical = true;
		}
		else
			grid_add(g, row, n->depth, 1, label_cols - n->depth, n->label, false);
	}
	for (int r = 0; r < t->rows.leaf_count; r++)
		for (int c = lo; c < hi; c++) {
			cell_text(d, template_cell_at(d->tpl, (int)(t - d->tpl->tables), r, c), buf);
			grid_add(g, body + r, label_cols + c - lo, 1, 1, buf, true);
		}
}

/* The flat layout (section 四 as printed): one data row of rows x columns cells, the row
 * tree and then the column tree as header rows. */
static void
build_flat(struct report_grid *g, const struct draft *d, const struct tpl_table *t)
{
	int ncols = t->cols.leaf_count;
	int head = t->rows.depth + t->cols.depth;
	int top = 0;
	if (t->caption) {
		grid_add(g, 0, 0, 1, ncols * t->rows.leaf_count, t->caption, false);
		top = 1;
	}
	for (int i = 0; i < t->rows.node_count; i++) {
		const struct tpl_node *n = &t->rows.nodes[i];
		grid_add(g, top + n->depth, n->first_leaf * ncols, 1, n->leaf_count * ncols, n->label, false);
		if (n->leaf >= 0)
			add_col_headers(g, &t->cols, 0, ncols, top + n->depth + 1, top + head, n->leaf * ncols);
	}
	g->caption_rows = top;
	g->head_rows = top + head;
	char buf[VALUE_FORMAT_MAX];
	int table = (int)(t - d->tpl->tables);
	for (int r = 0; r < t->rows.leaf_count; r++)
		for (int c = 0; c < ncols; c++) {
			cell_text(d, template_cell_at(d->tpl, table, r, c), buf);
			grid_add(g, top + head, r * ncols + c, 1, 1, buf, true);
		}
}

void
report_grid_table(struct report_grid *g, const struct draft *d, const struct tpl_table *t)
{
	if (t->layout == LAYOUT_FLAT)
		build_flat(g, d, t);
	else
		report_grid_columns(g, d, t, 0, t->cols.leaf_count);
}

int *
report_grid_owners(const struct report_grid *g)
{
	size_t n = (size_t)g->nrows * (size_t)g->ncols;
	int *owner = xmalloc((n ? n : 1) * sizeof *owner);
	for (size_t i = 0; i < n; i++)
		owner[i] = -1;
	for (int i = 0; i < g->count; i++) {
		const struct report_cell *c = &g->cells[i];
		for (int r = c->row; r < c->row + c->rows; r++)
			for (int k = c->col; k < c->col + c->cols; k++)
				owner[(size_t)r * g->ncols + k] = i;
	}
	return owner;
}

/* ---- layout ---- */

/* Widest run of narrow non-space characters (a Latin word or a number), which wrapping
 * would rather not split. */
static int
longest_narrow_run(const char *s)
{
	size_t len = strlen(s), pos = 0;
	int best = 0, run = 0;
	while (pos < len) {
		int cols;
		size_t next = width_cluster_next(s, len, pos, &cols);
		if (cols == 1 && s[pos] != ' ') {
			run++;
		} else {
			run = 0;
			if (cols > best)
				best = cols;
		}
		if (run > best)
			best = run;
		pos = next;
	}
	return best;
}

int
report_lines_at(const char *text, int width)
{
	struct width_wrap wrap;
	struct width_line line;
	int n = 0;
	width_wrap_init(&wrap, text, strlen(text), width);
	while (width_wrap_next(&wrap, &line))
		n++;
	return n;
}

static int
widest_line(const char *text)
{
	int best = 0;
	const char *p = text;
	for (;;) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		int w = (int)width_of_utf8(p, n);
		if (w > best)
			best = w;
		if (!eol)
			return best;
		p = eol + 1;
	}
}

/* The narrowest a cell may be, and the width it would like. */
static void
cell_widths(const struct report_cell *c, int number_min, int *min, int *natural)
{
	int tw = widest_line(c->text);
	if (c->number) {
		*min = *natural = tw > number_min ? tw : number_min;
		return;
	}
	int run = longest_narrow_run(c->text);
	if (run > 12)
		run = 12;
	int m = run > 4 ? run : 4;
	if (c->vertical) {
		/* a label merged down over several rows reads well narrow, even one character
		 * a line, as in the printed form */
		m = run > 2 ? run : 2;
		int lines = 2 * c->rows - 1;
		int w = (tw + lines - 1) / lines;
		w += w & 1;
		/* on paper, a group numbered like "（三）不予公开" keeps its number on one line */
		static const char open[] = "\xEF\xBC\x88", close[] = "\xEF\xBC\x89";   /* （ ） */
		const char *end;
		if (number_min > 0 && !strncmp(c->text, open, 3) && (end = strstr(c->text, close)) &&
		    end - c->text <= 12) {
			int prefix = (int)width_of_utf8(c->text, (size_t)(end - c->text) + 3);
			if (w < prefix)
				w = prefix;
		}
		*natural = w > m ? w : m;
	} else {
		*natural = tw;
	}
	*min = m < tw ? m : tw;
	if (*natural < *min)
		*natural = *min;
}

void
report_layout_free(struct report_layout *l)
{
	free(l->width);
	free(l->height);
	free(l->x);
	free(l->y);
}

/* Column widths within total display columns (borders included), then row heights.
 * Returns false when even the narrowest columns do not fit. */
/* number_min: the least width of a column of numbers. */
static bool
layout_grid(const struct report_grid *g, int total, int number_min, struct report_layout *l)
{
	int n = g->ncols;
	int *min = xcalloc((size_t)n, sizeof *min);
	int *nat = xcalloc((size_t)n, sizeof *nat);
	bool *has_number = xcalloc((size_t)n, sizeof *has_number);
	for (int i = 0; i < g->count; i++) {
		const struct report_cell *c = &g->cells[i];
		if (c->cols != 1)
			continue;
		if (c->number)
			has_number[c->col] = true;
		int m, w;
		cell_widths(c, number_min, &m, &w);
		if (m > min[c->col])
			min[c->col] = m;
		if (w > nat[c->col])
			nat[c->col] = w;
	}
	for (int i = 0; i < n; i++) {
		if (min[i] < 1)
			min[i] = 1;
		if (nat[i] < min[i])
			nat[i] = min[i];
	}
	/* merged cells: widen their columns evenly until they fit at their minimum */
	for (int i = 0; i < g->count; i++) {
		const struct report_cell *c = &g->cells[i];
		if (c->cols == 1)
			continue;
		int m, w;
		cell_widths(c, number_min, &m, &w);
		int have = c->cols - 1;
		for (int k = 0; k < c->cols; k++)
			have += min[c->col + k];
		for (int k = 0; have < m; k = (k + 1) % c->cols) {
			min[c->col + k]++;
			if (nat[c->col + k] < min[c->col + k])
				nat[c->col + k] = min[c->col + k];
			have++;
		}
	}
	int avail = total - (n + 1);
	long sum_min = 0;
	for (int i = 0; i < n; i++)
		sum_min += min[i];
	if (sum_min > avail) {
		free(min);
		free(nat);
		free(has_number);
		return false;
	}
	/* Start every column at its minimum; the label columns grow first towards their
	 * natural width, then the number columns, whose headers read well wrapped two
	 * characters a line as in the printed form; the narrowest column grows first. */
	l->width = xcalloc((size_t)n, sizeof *l->width);
	memcpy(l->width, min, (size_t)n * sizeof *min);
	long extra = avail - sum_min;
	for (int tier = 0; tier < 2; tier++)
		while (extra > 0) {
			int pick = -1;
			for (int i = 0; i < n; i++)
				if (has_number[i] == tier && l->width[i] < nat[i] &&
				    (pick < 0 || l->width[i] < l->width[pick]))
					pick = i;
			if (pick < 0)
				break;
			l->width[pick]++;
			extra--;
		}
	free(has_number);
	free(min);
	free(nat);

	l->x = xcalloc((size_t)n + 1, sizeof *l->x);
	for (int i = 0; i < n; i++)
		l->x[i + 1] = l->x[i] + l->width[i] + 1;
	l->height = xcalloc((size_t)g->nrows, sizeof *l->height);
	for (int r = 0; r < g->nrows; r++)
		l->height[r] = 1;
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < g->count; i++) {
			const struct report_cell *c = &g->cells[i];
			if ((c->rows == 1) != (pass == 0))
				continue;
			int w = l->x[c->col + c->cols] - l->x[c->col] - 1;
			int need = c->number ? 1 : report_lines_at(c->text, w);
			int have = c->rows - 1;
			for (int k = 0; k < c->rows; k++)
				have += l->height[c->row + k];
			if (need > have)
				l->height[c->row + c->rows - 1] += need - have;
		}
	l->y = xcalloc((size_t)g->nrows + 1, sizeof *l->y);
	for (int r = 0; r < g->nrows; r++)
		l->y[r + 1] = l->y[r] + l->height[r] + 1;
	return true;
}

bool
report_layout_grid(const struct report_grid *g, int total, struct report_layout *l)
{
	return layout_grid(g, total, 0, l);
}

/* On paper, a column of numbers is at least two and a half characters wide, as in the
 * printed form (its header in lines of two, room for a five-digit count), unless the table
 * then does not fit in that type size. */
#define PAGE_NUMBER_MIN 5

/* True when the columns holding numbers differ in width by exactly one: the remainder of
 * the room shared out, which on paper (where the writer scales the columns to the page)
 * only makes equal columns look uneven. */
static bool
numbers_uneven(const struct report_grid *g, const struct report_layout *l)
{
	int lo = -1, hi = -1;
	for (int i = 0; i < g->count; i++) {
		const struct report_cell *c = &g->cells[i];
		if (!c->number)
			continue;
		int w = l->width[c->col];
		if (lo < 0 || w < lo)
			lo = w;
		if (w > hi)
			hi = w;
	}
	return hi - lo == 1;
}

/* Lays g out in total columns, or a little fewer when that makes the number columns even. */
static bool
layout_even(const struct report_grid *g, int total, int number_min, struct report_layout *l)
{
	if (!layout_grid(g, total, number_min, l))
		return false;
	for (int t = total - 1; t > total - g->ncols && numbers_uneven(g, l); t--) {
		struct report_layout k = {0};
		if (!layout_grid(g, t, number_min, &k))
			break;
		if (!numbers_uneven(g, &k)) {
			report_layout_free(l);
			*l = k;
			break;
		}
		report_layout_free(&k);
	}
	return true;
}

enum report_type_size
report_layout_page(const struct report_grid *g, struct report_layout *l)
{
	static const int columns[] = {REPORT_PAGE_COLUMNS_5, REPORT_PAGE_COLUMNS_S5, REPORT_PAGE_COLUMNS_6};
	for (int size = REPORT_TYPE_5; size <= REPORT_TYPE_6; size++)
		if (layout_even(g, columns[size], PAGE_NUMBER_MIN, l) || layout_even(g, columns[size], 0, l))
			return (enum report_type_size)size;
	for (int total = REPORT_PAGE_COLUMNS_6 * 2;; total *= 2)
		if (layout_grid(g, total, 0, l))
			return REPORT_TYPE_6;
}

/* The share of the page (in ten-thousandths) the label columns of a grid table take. */
static int
label_share(const struct tpl_table *t, const struct report_layout *l)
{
	int label_cols = t->rows.depth > 0 ? t->rows.depth : 1;
	return (int)((long)l->x[label_cols] * 10000 / l->x[label_cols + t->cols.leaf_count]);
}

/* Columns [a, b) get room between them, each in proportion to its width in the layout;
 * the rounding goes to the last. */
static void
scale_columns(int *share, const struct report_layout *l, int a, int b, int room)
{
	int used = 0, span = l->x[b] - l->x[a];
	for (int c = a; c < b; c++) {
		share[c] = c == b - 1 ? room - used : (int)((long)(l->x[c + 1] - l->x[c]) * room / span);
		used += share[c];
	}
}

int *
report_page_shares(const struct draft *d, const struct tpl_table *t, const struct report_grid *g,
                   const struct report_layout *l)
{
	int n = g->ncols;
	int *share = xmalloc((size_t)n * sizeof *share);
	int label_cols = 0, labels = 0;
	if (t->caption && t->layout == LAYOUT_GRID) {
		label_cols = t->rows.depth > 0 ? t->rows.depth : 1;
		labels = label_share(t, l);
		const struct template *tpl = d->tpl;
		for (int i = 0; i < tpl->table_count; i++) {
			const struct tpl_table *o = &tpl->tables[i];
			if (o == t || o->section != t->section || !o->caption || o->layout != LAYOUT_GRID)
				continue;
			struct report_grid og = {0};
			struct report_layout ol = {0};
			report_grid_table(&og, d, o);
			report_layout_page(&og, &ol);
			int s = label_share(o, &ol);
			if (s > labels)
				labels = s;
			report_layout_free(&ol);
			report_grid_free(&og);
		}
	}
	/* the label columns share `labels`, the others the rest */
	scale_columns(share, l, 0, label_cols, labels);
	scale_columns(share, l, label_cols, n, 10000 - labels);
	return share;
}

/* ---- markup escaping ---- */

/* Characters an XML 1.0 or HTML5 document must not hold as text. */
static bool
unwritable(uint32_t cp)
{
	if (cp == UTF8_INVALID)
		return true;
	if (cp < 0x20)
		return cp != '\t' && cp != '\n';
	if (cp >= 0x7F && cp <= 0x9F)
		return true;
	if (cp >= 0xFDD0 && cp <= 0xFDEF)
		return true;
	return (cp & 0xFFFE) == 0xFFFE;
}

void
report_escape(struct strbuf *b, const char *s, size_t n, const char *tab, const char *line_break)
{
	size_t pos = 0, run = 0;
	while (pos < n) {
		uint32_t cp;
		size_t k = utf8_decode(s + pos, n - pos, &cp);
		const char *rep = NULL;
		switch (cp) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '\t': rep = tab; break;
		case '\n': rep = line_break; break;
		default:
			if (unwritable(cp))
				rep = "\xEF\xBF\xBD";
		}
		if (rep) {
			strbuf_add(b, s + run, pos - run);
			strbuf_puts(b, rep);
			run = pos + k;
		}
		pos += k;
	}
	strbuf_add(b, s + run, pos - run);
}
