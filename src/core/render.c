#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nianbao/render.h"
#include "nianbao/report.h"
#include "nianbao/strbuf.h"
#include "nianbao/utf8.h"
#include "nianbao/width.h"

/* ---- paragraphs and centred lines ---- */

/* Each line of text is a paragraph: indented by two full-width spaces (whatever indent the
 * clerk typed is replaced) and wrapped at width, a wrapped line keeping the spaces it
 * broke at. Empty lines are kept. */
static void
render_paragraphs(struct strbuf *out, const char *text, int width)
{
	const char *p = text, *body;
	size_t blen;
	while (report_paragraph_next(&p, &body, &blen)) {
		if (!blen) {
			strbuf_add(out, "\n", 1);
			continue;
		}
		char *para = xmalloc(sizeof RENDER_INDENT + blen);
		memcpy(para, RENDER_INDENT, sizeof RENDER_INDENT - 1);
		memcpy(para + sizeof RENDER_INDENT - 1, body, blen);
		size_t plen = sizeof RENDER_INDENT - 1 + blen;
		struct width_wrap wrap;
		struct width_line line;
		width_wrap_init(&wrap, para, plen, width);
		while (width_wrap_next(&wrap, &line)) {
			/* the spaces a line broke at stay at its end (invisible), so that `import`
			 * can tell "0 件" from "0件" when it joins the lines again */
			size_t end = line.hard || line.next >= plen ? line.end : line.next;
			strbuf_add(out, para + line.start, end - line.start);
			strbuf_add(out, "\n", 1);
		}
		free(para);
	}
}

static void
render_centred(struct strbuf *out, const char *text, int width)
{
	struct width_wrap wrap;
	struct width_line line;
	width_wrap_init(&wrap, text, strlen(text), width);
	while (width_wrap_next(&wrap, &line)) {
		strbuf_spaces(out, (width - line.cols) / 2);
		strbuf_add(out, text + line.start, line.end - line.start);
		strbuf_add(out, "\n", 1);
	}
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
draw_grid(struct strbuf *out, const struct report_grid *g, const struct report_layout *l, enum render_borders style)
{
	struct canvas cv = {.w = l->x[g->ncols] + 1, .h = l->y[g->nrows] + 1};
	cv.edge = xcalloc((size_t)cv.w * cv.h, 1);
	cv.glyph = xcalloc((size_t)cv.w * cv.h, sizeof *cv.glyph);
	for (int i = 0; i < g->count; i++) {
		const struct report_cell *c = &g->cells[i];
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
				strbuf_puts(out, border_char(cv.edge[k], style));
			else if (cv.glyph[k].cont)
				continue;
			else if (cv.glyph[k].s)
				strbuf_add(out, cv.glyph[k].s, cv.glyph[k].len);
			else
				strbuf_add(out, " ", 1);
		}
		strbuf_add(out, "\n", 1);
	}
	free(cv.edge);
	free(cv.glyph);
}

static bool
try_grid(struct strbuf *out, struct report_grid *g, int width, enum render_borders style)
{
	struct report_layout l = {0};
	bool ok = report_layout_grid(g, width, &l);
	if (ok)
		draw_grid(out, g, &l, style);
	report_layout_free(&l);
	report_grid_free(g);
	return ok;
}

/* The columns [lo, hi) of a table in the grid layout, split into parts side by side when
 * they do not fit. A column that cannot fit alone is drawn anyway (it cannot happen
 * with the minimum width and the largest values a cell holds). */
static void
render_columns(struct strbuf *out, const struct draft *d, const struct tpl_table *t, int lo, int hi,
               const struct render_options *opt)
{
	struct report_grid g = {0};
	report_grid_columns(&g, d, t, lo, hi);
	if (try_grid(out, &g, opt->width, opt->borders))
		return;
	if (hi - lo == 1) {
		report_grid_columns(&g, d, t, lo, hi);
		try_grid(out, &g, RENDER_MAX_WIDTH, opt->borders);
		return;
	}
	int mid = lo + (hi - lo + 1) / 2;
	render_columns(out, d, t, lo, mid, opt);
	strbuf_add(out, "\n", 1);
	render_columns(out, d, t, mid, hi, opt);
}

static void
render_table(struct strbuf *out, const struct draft *d, const struct tpl_table *t, const struct render_options *opt)
{
	if (t->layout == LAYOUT_FLAT) {
		struct report_grid g = {0};
		report_grid_table(&g, d, t);
		if (try_grid(out, &g, opt->width, opt->borders))
			return;
	}
	render_columns(out, d, t, 0, t->cols.leaf_count, opt);
}

/* ---- the report ---- */

struct text_walk {
	struct strbuf *out;
	const struct draft *d;
	const struct render_options *opt;
};

static void
text_text(void *ctx, const char *text)
{
	struct text_walk *w = ctx;
	strbuf_add(w->out, "\n", 1);
	render_paragraphs(w->out, text, w->opt->width);
}

static void
text_heading(void *ctx, const char *heading)
{
	struct text_walk *w = ctx;
	strbuf_add(w->out, "\n", 1);
	strbuf_puts(w->out, heading);
	strbuf_add(w->out, "\n", 1);
}

static void
text_table(void *ctx, const struct tpl_table *t)
{
	struct text_walk *w = ctx;
	strbuf_add(w->out, "\n", 1);
	render_table(w->out, w->d, t, w->opt);
}

char *
render_report(const struct draft *d, const struct render_options *opt_in, size_t *len)
{
	struct render_options opt = *opt_in;
	if (opt.width < RENDER_MIN_WIDTH)
		opt.width = RENDER_MIN_WIDTH;
	if (opt.width > RENDER_MAX_WIDTH)
		opt.width = RENDER_MAX_WIDTH;
	struct strbuf out = {0};
	strbuf_add(&out, "", 0);

	if (opt.draft_mark) {
		render_centred(&out, "【草稿】", opt.width);
		strbuf_add(&out, "\n", 1);
	}
	if (d->organization[0])
		render_centred(&out, d->organization, opt.width);
	char *title = report_title(d);
	render_centred(&out, title, opt.width);
	free(title);

	struct text_walk w = {&out, d, &opt};
	report_walk(d, &(struct report_visitor){text_text, text_heading, text_table}, &w);
	if (opt.date) {
		/* the signature: the date four characters from the right, the organization
		 * centred over it (GB/T 9704 7.3.5.1) */
		int date_cols = (int)width_of_utf8(opt.date, strlen(opt.date));
		int org_cols = (int)width_of_utf8(d->organization, strlen(d->organization));
		int right = opt.width - 8;
		strbuf_add(&out, "\n\n", 2);
		int at = right - date_cols + (date_cols - org_cols) / 2;
		if (at + org_cols > opt.width)
			at = opt.width - org_cols;
		if (org_cols > opt.width) {
			render_centred(&out, d->organization, opt.width);
		} else if (org_cols) {
			strbuf_spaces(&out, at > 0 ? at : 0);
			strbuf_puts(&out, d->organization);
			strbuf_add(&out, "\n", 1);
		}
		strbuf_spaces(&out, right - date_cols > 0 ? right - date_cols : 0);
		strbuf_puts(&out, opt.date);
		strbuf_add(&out, "\n", 1);
	}
	return strbuf_take(&out, len);
}
