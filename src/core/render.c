#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nianbao/render.h"
#include "nianbao/utf8.h"
#include "nianbao/width.h"

/* ---- output buffer ---- */

struct sbuf {
	char *s;
	size_t len, cap;
};

static void
sbuf_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (b->len + n + 1 > cap)
			cap *= 2;
		b->s = xrealloc(b->s, cap);
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sbuf_str(struct sbuf *b, const char *s) { sbuf_add(b, s, strlen(s)); }

static void
sbuf_spaces(struct sbuf *b, int n)
{
	for (int i = 0; i < n; i++)
		sbuf_add(b, " ", 1);
}

/* ---- paragraphs and centred lines ---- */

static bool
is_indent_char(const char *s, size_t len, size_t *n)
{
	uint32_t cp;
	*n = utf8_decode(s, len, &cp);
	return cp == ' ' || cp == 0x3000 || cp == '\t';
}

/* Each line of text is a paragraph: indented by two full-width spaces (whatever indent the
 * clerk typed is replaced) and wrapped at width. Empty lines are kept. */
static void
render_paragraphs(struct sbuf *out, const char *text, int width)
{
	const char *p = text;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		size_t skip = 0, n;
		while (skip < len && is_indent_char(p + skip, len - skip, &n))
			skip += n;
		if (skip < len) {
			size_t body = len - skip;
			char *para = xmalloc(sizeof RENDER_INDENT + body);
			memcpy(para, RENDER_INDENT, sizeof RENDER_INDENT - 1);
			memcpy(para + sizeof RENDER_INDENT - 1, p + skip, body);
			size_t plen = sizeof RENDER_INDENT - 1 + body;
			struct width_wrap wrap;
			struct width_line line;
			width_wrap_init(&wrap, para, plen, width);
			while (width_wrap_next(&wrap, &line)) {
				sbuf_add(out, para + line.start, line.end - line.start);
				sbuf_add(out, "\n", 1);
			}
			free(para);
		} else {
			sbuf_add(out, "\n", 1);
		}
		if (!eol)
			break;
		p = eol + 1;
	}
}

static void
render_centred(struct sbuf *out, const char *text, int width)
{
	struct width_wrap wrap;
	struct width_line line;
	width_wrap_init(&wrap, text, strlen(text), width);
	while (width_wrap_next(&wrap, &line)) {
		sbuf_spaces(out, (width - line.cols) / 2);
		sbuf_add(out, text + line.start, line.end - line.start);
		sbuf_add(out, "\n", 1);
	}
}

/* ---- tables: a grid of cells, some merged ---- */

struct gcell {
	int row, col, rows, cols;   /* top-left and span */
	char *text;                 /* owned */
	bool number;                /* right-aligned, never wrapped */
	bool vertical;              /* a row group's label, merged down its rows */
};

struct grid {
	struct gcell *cells;
	int count, cap;
	int nrows, ncols;
};

static void
grid_add(struct grid *g, int row, int col, int rows, int cols, const char *text, bool number)
{
	if (rows < 1 || cols < 1)
		return;
	if (g->count == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		g->cells = xrealloc(g->cells, (size_t)g->cap * sizeof *g->cells);
	}
	g->cells[g->count++] = (struct gcell){row, col, rows, cols, xstrdup(text ? text : ""), number, false};
	if (row + rows > g->nrows)
		g->nrows = row + rows;
	if (col + cols > g->ncols)
		g->ncols = col + cols;
}

static void
grid_free(struct grid *g)
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
add_col_headers(struct grid *g, const struct tpl_tree *cols, int lo, int hi, int top, int bottom, int col0)
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
static void
build_grid(struct grid *g, const struct draft *d, const struct tpl_table *t, int lo, int hi)
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
build_flat(struct grid *g, const struct draft *d, const struct tpl_table *t)
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
	char buf[VALUE_FORMAT_MAX];
	int table = (int)(t - d->tpl->tables);
	for (int r = 0; r < t->rows.leaf_count; r++)
		for (int c = 0; c < ncols; c++) {
			cell_text(d, template_cell_at(d->tpl, table, r, c), buf);
			grid_add(g, top + head, r * ncols + c, 1, 1, buf, true);
		}
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

static int
lines_at(const char *text, int width)
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
cell_widths(const struct gcell *c, int *min, int *natural)
{
	int tw = widest_line(c->text);
	if (c->number) {
		*min = *natural = tw;
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
		*natural = w > m ? w : m;
	} else {
		*natural = tw;
	}
	*min = m < tw ? m : tw;
	if (*natural < *min)
		*natural = *min;
}

struct layout {
	int *width;    /* per column */
	int *height;   /* per row */
	int *x;        /* border left of column c; x[ncols] is the right edge */
	int *y;        /* border above row r; y[nrows] is the bottom */
};

static void
layout_free(struct layout *l)
{
	free(l->width);
	free(l->height);
	free(l->x);
	free(l->y);
}

/* Column widths within total display columns (borders included), then row heights.
 * Returns false when even the narrowest columns do not fit. */
static bool
layout_grid(const struct grid *g, int total, struct layout *l)
{
	int n = g->ncols;
	int *min = xcalloc((size_t)n, sizeof *min);
	int *nat = xcalloc((size_t)n, sizeof *nat);
	bool *has_number = xcalloc((size_t)n, sizeof *has_number);
	for (int i = 0; i < g->count; i++) {
		const struct gcell *c = &g->cells[i];
		if (c->cols != 1)
			continue;
		if (c->number)
			has_number[c->col] = true;
		int m, w;
		cell_widths(c, &m, &w);
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
		const struct gcell *c = &g->cells[i];
		if (c->cols == 1)
			continue;
		int m, w;
		cell_widths(c, &m, &w);
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
			const struct gcell *c = &g->cells[i];
			if ((c->rows == 1) != (pass == 0))
				continue;
			int w = l->x[c->col + c->cols] - l->x[c->col] - 1;
			int need = c->number ? 1 : lines_at(c->text, w);
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

/* ---- drawing ---- */

enum { EDGE_UP = 1, EDGE_DOWN = 2, EDGE_LEFT = 4, EDGE_RIGHT = 8 };

struct glyph {
	const char *s;      /* NULL: empty, or the right half of a wide character */
	unsigned short len;
	bool cont;
};

struct canvas {
	int w, h;
	unsigned char *edge;
	struct glyph *glyph;
};

static void
hline(struct canvas *cv, int y, int x0, int x1)
{
	unsigned char *e = cv->edge + (size_t)y * cv->w;
	e[x0] |= EDGE_RIGHT;
	e[x1] |= EDGE_LEFT;
	for (int x = x0 + 1; x < x1; x++)
		e[x] |= EDGE_LEFT | EDGE_RIGHT;
}

static void
vline(struct canvas *cv, int x, int y0, int y1)
{
	cv->edge[(size_t)y0 * cv->w + x] |= EDGE_DOWN;
	cv->edge[(size_t)y1 * cv->w + x] |= EDGE_UP;
	for (int y = y0 + 1; y < y1; y++)
		cv->edge[(size_t)y * cv->w + x] |= EDGE_UP | EDGE_DOWN;
}

static void
put_text(struct canvas *cv, int y, int x, const char *s, size_t len)
{
	size_t pos = 0;
	while (pos < len) {
		int cols;
		size_t next = width_cluster_next(s, len, pos, &cols);
		if (cols > 0 && x + cols <= cv->w) {
			struct glyph *gl = &cv->glyph[(size_t)y * cv->w + x];
			gl->s = s + pos;
			gl->len = (unsigned short)(next - pos);
			for (int k = 1; k < cols; k++)
				gl[k].cont = true;
			x += cols;
		}
		pos = next;
	}
}

static const char *
border_char(unsigned char e, enum render_borders style)
{
	if (style == RENDER_BORDERS_ASCII) {
		bool h = e & (EDGE_LEFT | EDGE_RIGHT), v = e & (EDGE_UP | EDGE_DOWN);
		return h && v ? "+" : h ? "-" : "|";
	}
	static const char *const box[16] = {
		[0] = " ",
		[EDGE_LEFT | EDGE_RIGHT] = "─", [EDGE_LEFT] = "─", [EDGE_RIGHT] = "─",
		[EDGE_UP | EDGE_DOWN] = "│", [EDGE_UP] = "│", [EDGE_DOWN] = "│",
		[EDGE_DOWN | EDGE_RIGHT] = "┌", [EDGE_DOWN | EDGE_LEFT] = "┐",
		[EDGE_UP | EDGE_RIGHT] = "└", [EDGE_UP | EDGE_LEFT] = "┘",
		[EDGE_UP | EDGE_DOWN | EDGE_RIGHT] = "├", [EDGE_UP | EDGE_DOWN | EDGE_LEFT] = "┤",
		[EDGE_LEFT | EDGE_RIGHT | EDGE_DOWN] = "┬", [EDGE_LEFT | EDGE_RIGHT | EDGE_UP] = "┴",
		[EDGE_UP | EDGE_DOWN | EDGE_LEFT | EDGE_RIGHT] = "┼",
	};
	return box[e & 15];
}

static void
draw_grid(struct sbuf *out, const struct grid *g, const struct layout *l, enum render_borders style)
{
	struct canvas cv = {.w = l->x[g->ncols] + 1, .h = l->y[g->nrows] + 1};
	cv.edge = xcalloc((size_t)cv.w * cv.h, 1);
	cv.glyph = xcalloc((size_t)cv.w * cv.h, sizeof *cv.glyph);
	for (int i = 0; i < g->count; i++) {
		const struct gcell *c = &g->cells[i];
		int x0 = l->x[c->col], x1 = l->x[c->col + c->cols];
		int y0 = l->y[c->row], y1 = l->y[c->row + c->rows];
		hline(&cv, y0, x0, x1);
		hline(&cv, y1, x0, x1);
		vline(&cv, x0, y0, y1);
		vline(&cv, x1, y0, y1);
		int w = x1 - x0 - 1;
		size_t tlen = strlen(c->text);
		if (c->number) {
			put_text(&cv, y0 + 1, x1 - (int)tlen, c->text, tlen);
			continue;
		}
		struct width_wrap wrap;
		struct width_line line;
		width_wrap_init(&wrap, c->text, tlen, w);
		for (int y = y0 + 1; y < y1 && width_wrap_next(&wrap, &line); y++)
			put_text(&cv, y, x0 + 1, c->text + line.start, line.end - line.start);
	}
	for (int y = 0; y < cv.h; y++) {
		for (int x = 0; x < cv.w; x++) {
			size_t k = (size_t)y * cv.w + x;
			if (cv.edge[k])
				sbuf_str(out, border_char(cv.edge[k], style));
			else if (cv.glyph[k].cont)
				continue;
			else if (cv.glyph[k].s)
				sbuf_add(out, cv.glyph[k].s, cv.glyph[k].len);
			else
				sbuf_add(out, " ", 1);
		}
		sbuf_add(out, "\n", 1);
	}
	free(cv.edge);
	free(cv.glyph);
}

static bool
try_grid(struct sbuf *out, struct grid *g, int width, enum render_borders style)
{
	struct layout l = {0};
	bool ok = layout_grid(g, width, &l);
	if (ok)
		draw_grid(out, g, &l, style);
	layout_free(&l);
	grid_free(g);
	return ok;
}

/* The columns [lo, hi) of a table in the grid layout, split into parts side by side when
 * they do not fit. A column that cannot fit alone is drawn anyway (it cannot happen
 * with the minimum width and the largest values a cell holds). */
static void
render_columns(struct sbuf *out, const struct draft *d, const struct tpl_table *t, int lo, int hi,
               const struct render_options *opt)
{
	struct grid g = {0};
	build_grid(&g, d, t, lo, hi);
	if (try_grid(out, &g, opt->width, opt->borders))
		return;
	if (hi - lo == 1) {
		build_grid(&g, d, t, lo, hi);
		try_grid(out, &g, RENDER_MAX_WIDTH, opt->borders);
		return;
	}
	int mid = lo + (hi - lo + 1) / 2;
	render_columns(out, d, t, lo, mid, opt);
	sbuf_add(out, "\n", 1);
	render_columns(out, d, t, mid, hi, opt);
}

static void
render_table(struct sbuf *out, const struct draft *d, const struct tpl_table *t, const struct render_options *opt)
{
	if (t->layout == LAYOUT_FLAT) {
		struct grid g = {0};
		build_flat(&g, d, t);
		if (try_grid(out, &g, opt->width, opt->borders))
			return;
	}
	render_columns(out, d, t, 0, t->cols.leaf_count, opt);
}

/* ---- the report ---- */

char *
render_report(const struct draft *d, const struct render_options *opt_in, size_t *len)
{
	struct render_options opt = *opt_in;
	if (opt.width < RENDER_MIN_WIDTH)
		opt.width = RENDER_MIN_WIDTH;
	if (opt.width > RENDER_MAX_WIDTH)
		opt.width = RENDER_MAX_WIDTH;
	const struct template *tpl = d->tpl;
	struct sbuf out = {0};
	sbuf_add(&out, "", 0);

	if (opt.draft_mark) {
		render_centred(&out, "【草稿】", opt.width);
		sbuf_add(&out, "\n", 1);
	}
	if (d->organization[0])
		render_centred(&out, d->organization, opt.width);
	char *title = d->year > 0 ? xasprintf("%d年%s", d->year, tpl->title) : xstrdup(tpl->title);
	render_centred(&out, title, opt.width);
	free(title);

	if (tpl->preface >= 0 && d->texts[tpl->preface]) {
		sbuf_add(&out, "\n", 1);
		render_paragraphs(&out, d->texts[tpl->preface], opt.width);
	}
	for (int s = 0; s < tpl->section_count; s++) {
		const struct tpl_section *sec = &tpl->sections[s];
		sbuf_add(&out, "\n", 1);
		sbuf_str(&out, sec->heading);
		sbuf_add(&out, "\n", 1);
		for (int i = 0; i < sec->item_count; i++) {
			const struct tpl_item *it = &sec->items[i];
			if (it->kind == ITEM_TEXT) {
				const char *text = d->texts[it->index];
				if (!text)
					continue;
				sbuf_add(&out, "\n", 1);
				render_paragraphs(&out, text, opt.width);
			} else {
				sbuf_add(&out, "\n", 1);
				render_table(&out, d, &tpl->tables[it->index], &opt);
			}
		}
	}
	*len = out.len;
	return out.s;
}
