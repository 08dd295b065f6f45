/* The distinct-value generator: every reference report's form gets a distinct value in
 * every input cell (totals computed, so they are right), is flattened again the ways
 * reports reach us (tab-separated, one cell per line, space-aligned, a Markdown pipe
 * table, a browser's copy with amounts in 元, a portal's web page and a Word file, their
 * tables with rowspan/colspan or vMerge/gridSpan), and imported. No cell may come back wrong:
 * each is exact or blank. A second pass leaves some cells empty, among them the first
 * cells of rows and of the 四 table. Prints, per report and style, the cells right,
 * blank and wrong. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nianbao/atomicio.h"
#include "nianbao/import.h"
#include "nianbao/width.h"

#include "docx_write.h"

static struct template_cache *cache;

static int
setup(void **state)
{
	(void)state;
	cache = template_cache_new(getenv("NIANBAO_TEMPLATES"));
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	template_cache_free(cache);
	return 0;
}

enum style { STYLE_TAB, STYLE_CELL_PER_LINE, STYLE_SPACED, STYLE_PIPE, STYLE_BROWSER, STYLE_HTML, STYLE_DOCX, STYLE_COUNT };
static const char *const style_names[STYLE_COUNT] = {"tab", "cell-per-line", "space-aligned", "pipe", "browser",
                                                     "html", "docx"};

struct out {
	char *s;
	size_t len, cap;
};

static void
put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *piece;
	assert_true(vasprintf(&piece, fmt, ap) >= 0);
	va_end(ap);
	size_t n = strlen(piece);
	if (o->len + n + 1 > o->cap) {
		o->cap = (o->len + n + 1) * 2;
		o->s = xrealloc(o->s, o->cap);
	}
	memcpy(o->s + o->len, piece, n + 1);
	o->len += n;
	free(piece);
}

/* Pads s with spaces to cols display columns (at least two spaces after it). */
static void
put_padded(struct out *o, const char *s, int cols)
{
	int w = (int)width_of_utf8(s, strlen(s));
	put(o, "%s", s);
	for (int i = w; i < cols || i < w + 2; i++)
		put(o, " ");
}

/* The printed form of a cell: its value (in 元 with the unit in the browser style, which
 * is how portals print amounts), or empty. */
static char *
cell_text(const struct draft *d, int cell, enum style style)
{
	struct value v = d->cells[cell];
	if (!v.set)
		return xstrdup("");
	char num[VALUE_FORMAT_MAX];
	if (style == STYLE_BROWSER && d->tpl->cells[cell].type == VALUE_MONEY) {
		/* 万元 at 6 decimals is 元 at 2: the same digits, the point 4 places right */
		int64_t fen = v.scaled;
		return xasprintf("%lld.%02lld元", (long long)(fen / 100), (long long)(fen % 100));
	}
	value_format(v, num, sizeof num);
	return xstrdup(num);
}

/* The row label as printed before the cells: the labels of the groups this row opens,
 * then its own. */
static void
row_labels(const struct tpl_table *t, int r, const char **labels, int *count)
{
	int node = t->rows.leaves[r];
	const char *chain[8];
	int n = 0;
	chain[n++] = t->rows.nodes[node].label;
	for (int p = t->rows.nodes[node].parent; p >= 0 && n < 8; p = t->rows.nodes[p].parent)
		if (t->rows.nodes[p].first_leaf == r)
			chain[n++] = t->rows.nodes[p].label;
	*count = n;
	for (int i = 0; i < n; i++)
		labels[i] = chain[n - 1 - i];
}

static void
put_row(struct out *o, const struct draft *d, const struct tpl_table *t, int table, int r, enum style style)
{
	const char *labels[8];
	int nl;
	row_labels(t, r, labels, &nl);
	int ncols = t->cols.leaf_count;
	switch (style) {
	case STYLE_TAB:
	case STYLE_BROWSER:
		for (int i = 0; i < nl; i++)
			put(o, "%s\t", labels[i]);
		for (int c = 0; c < ncols; c++) {
			char *v = cell_text(d, template_cell_at(d->tpl, table, r, c), style);
			put(o, "%s%s", *v ? v : (style == STYLE_BROWSER ? "\u00a0" : ""), c + 1 < ncols ? "\t" : "\n");
			free(v);
		}
		break;
	case STYLE_CELL_PER_LINE:
		for (int i = 0; i < nl; i++)
			put(o, "\t%s\n", labels[i]);
		for (int c = 0; c < ncols; c++) {
			char *v = cell_text(d, template_cell_at(d->tpl, table, r, c), style);
			put(o, "\t%s\n", v);
			free(v);
		}
		put(o, "\n");
		break;
	case STYLE_SPACED: {
		struct out label = {0};
		put(&label, "%s", "");
		for (int i = 0; i < nl; i++)
			put(&label, "%s%s", i ? "   " : "", labels[i]);
		put_padded(o, label.s, 60);
		free(label.s);
		for (int c = 0; c < ncols; c++) {
			char *v = cell_text(d, template_cell_at(d->tpl, table, r, c), style);
			put(o, "%14s", v);
			free(v);
		}
		put(o, "\n");
		break;
	}
	case STYLE_PIPE:
		put(o, "| %s |", labels[nl - 1]);
		for (int c = 0; c < ncols; c++) {
			char *v = cell_text(d, template_cell_at(d->tpl, table, r, c), style);
			put(o, " %s |", v);
			free(v);
		}
		put(o, "\n");
		break;
	case STYLE_COUNT:
		break;
	}
}

static void
put_header(struct out *o, const struct tpl_table *t, enum style style)
{
	if (t->caption)
		put(o, "%s\n", t->caption);
	const char *stub = t->stub ? t->stub : (t->corner ? t->corner : "项目");
	switch (style) {
	case STYLE_TAB:
	case STYLE_BROWSER:
		put(o, "%s", stub);
		for (int c = 0; c < t->cols.leaf_count; c++)
			put(o, "\t%s", t->cols.nodes[t->cols.leaves[c]].label);
		put(o, "\n");
		break;
	case STYLE_CELL_PER_LINE:
		put(o, "\t%s\n", stub);
		for (int c = 0; c < t->cols.leaf_count; c++)
			put(o, "\t%s\n", t->cols.nodes[t->cols.leaves[c]].label);
		put(o, "\n");
		break;
	case STYLE_SPACED:
		put_padded(o, stub, 60);
		for (int c = 0; c < t->cols.leaf_count; c++)
			put(o, "  %s", t->cols.nodes[t->cols.leaves[c]].short_label);
		put(o, "\n\n");
		break;
	case STYLE_PIPE:
		put(o, "| %s |", stub);
		for (int c = 0; c < t->cols.leaf_count; c++)
			put(o, " %s |", t->cols.nodes[t->cols.leaves[c]].label);
		put(o, "\n|---|");
		for (int c = 0; c < t->cols.leaf_count; c++)
			put(o, "---|");
		put(o, "\n");
		break;
	case STYLE_COUNT:
		break;
	}
}

/* The 四 table as published: headers, then all its cells in one row. */
static void
put_flat(struct out *o, const struct draft *d, const struct tpl_table *t, int table, enum style style)
{
	for (int r = 0; r < t->rows.node_count; r++)
		put(o, style == STYLE_CELL_PER_LINE ? "\t%s\n" : "%s  ", t->rows.nodes[r].label);
	put(o, "\n");
	for (int r = 0; r < t->rows.leaf_count; r++)
		for (int c = 0; c < t->cols.leaf_count; c++)
			put(o, style == STYLE_CELL_PER_LINE ? "\t%s\n" : "%s  ", t->cols.nodes[t->cols.leaves[c]].label);
	put(o, "\n");
	int n = t->rows.leaf_count * t->cols.leaf_count;
	if (style == STYLE_PIPE) {
		put(o, "|");
		for (int k = 0; k < n; k++)
			put(o, " 列%d |", k + 1);
		put(o, "\n|");
		for (int k = 0; k < n; k++)
			put(o, "---|");
		put(o, "\n|");
	}
	for (int k = 0; k < n; k++) {
		char *v = cell_text(d, template_cell_at(d->tpl, table, k / t->cols.leaf_count, k % t->cols.leaf_count), style);
		switch (style) {
		case STYLE_TAB:
			put(o, "%s%s", v, k + 1 < n ? "\t" : "\n");
			break;
		case STYLE_BROWSER:
			put(o, "%s%s", *v ? v : "\u00a0", k + 1 < n ? "\t" : "\n");
			break;
		case STYLE_CELL_PER_LINE:
			put(o, "\t%s\n", v);
			break;
		case STYLE_SPACED:
			put(o, "%8s%s", v, k + 1 < n ? "" : "\n");
			break;
		case STYLE_PIPE:
			put(o, " %s |%s", v, k + 1 < n ? "" : "\n");
			break;
		case STYLE_COUNT:
			break;
		}
		free(v);
	}
}

static char *
flatten(const struct draft *d, enum style style)
{
	const struct template *tpl = d->tpl;
	struct out o = {0};
	if (style == STYLE_BROWSER)
		put(&o, "%d年%s政府信息公开工作年度报告\n发布日期：%d-01-31\n", d->year, d->organization, d->year + 1);
	else if (style == STYLE_PIPE)
		put(&o, "# %s %d 年 政府信息公开工作年度报告\n\n", d->organization, d->year);
	else
		put(&o, "%s\n%d年政府信息公开工作年度报告\n\n", d->organization, d->year);
	for (int s = 0; s < tpl->section_count; s++) {
		put(&o, style == STYLE_PIPE ? "## %s\n\n" : "%s\n", tpl->sections[s].heading);
		for (int i = 0; i < tpl->sections[s].item_count; i++) {
			const struct tpl_item *item = &tpl->sections[s].items[i];
			if (item->kind == ITEM_TEXT) {
				const char *text = d->texts[item->index];
				put(&o, "%s\n", text && *text ? text : "无。");
				continue;
			}
			const struct tpl_table *t = &tpl->tables[item->index];
			if (t->layout == LAYOUT_FLAT) {
				put_flat(&o, d, t, item->index, style);
				continue;
			}
			put_header(&o, t, style);
			for (int r = 0; r < t->rows.leaf_count; r++)
				put_row(&o, d, t, item->index, r, style);
			put(&o, "\n");
		}
	}
	return o.s;
}

/* ---- HTML and DOCX: a grid of cells with spans, written as either ---- */

/* Text as markup: & < > escaped (a malloc'd copy). */
static char *
esc(const char *s)
{
	struct out o = {0};
	put(&o, "%s", "");
	for (; *s; s++)
		put(&o, "%s", *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : (char[2]){*s, 0});
	return o.s;
}

struct gcell {
	char *text;
	int rowspan, colspan;
	bool covered;    /* under another cell's span */
};

struct ggrid {
	struct gcell *cells;
	int rows, cols;
};

static struct gcell *
gat(struct ggrid *g, int r, int c)
{
	return &g->cells[r * g->cols + c];
}

static void
gset(struct ggrid *g, int r, int c, int rs, int cs, char *text)
{
	*gat(g, r, c) = (struct gcell){text, rs, cs, false};
	for (int dr = 0; dr < rs; dr++)
		for (int dc = 0; dc < cs; dc++)
			if (dr || dc)
				*gat(g, r + dr, c + dc) = (struct gcell){NULL, 1, 1, true};
}

/* The table as printed: column headers over the leaf columns (groups spanning theirs),
 * row labels left of the cells (groups spanning their rows). */
static struct ggrid
table_grid(const struct draft *d, const struct tpl_table *t, int table)
{
	int hdr = t->cols.depth, lab = t->rows.depth, nr = t->rows.leaf_count, nc = t->cols.leaf_count;
	struct ggrid g = {NULL, hdr + nr, lab + nc};
	g.cells = xcalloc((size_t)(g.rows * g.cols), sizeof *g.cells);
	for (int k = 0; k < g.rows * g.cols; k++)
		g.cells[k] = (struct gcell){NULL, 1, 1, false};
	gset(&g, 0, 0, hdr, lab, xstrdup(t->stub ? t->stub : (t->corner ? t->corner : "")));
	for (int i = 0; i < t->cols.node_count; i++) {
		const struct tpl_node *n = &t->cols.nodes[i];
		int rs = n->leaf >= 0 ? hdr - n->depth : 1;
		gset(&g, n->depth, lab + n->first_leaf, rs, n->leaf_count, xstrdup(n->label));
	}
	for (int i = 0; i < t->rows.node_count; i++) {
		const struct tpl_node *n = &t->rows.nodes[i];
		int cs = n->leaf >= 0 ? lab - n->depth : 1;
		gset(&g, hdr + n->first_leaf, n->depth, n->leaf_count, cs, xstrdup(n->label));
	}
	for (int r = 0; r < nr; r++)
		for (int c = 0; c < nc; c++)
			gset(&g, hdr + r, lab + c, 1, 1, cell_text(d, template_cell_at(d->tpl, table, r, c), STYLE_TAB));
	return g;
}

/* The 四 table as published: three header rows, then its fifteen cells in one row. */
static struct ggrid
flat_grid(const struct draft *d, const struct tpl_table *t, int table)
{
	int nc = t->cols.leaf_count, n = t->rows.leaf_count * nc;
	struct ggrid g = {NULL, 4, n};
	g.cells = xcalloc((size_t)(g.rows * g.cols), sizeof *g.cells);
	for (int k = 0; k < g.rows * g.cols; k++)
		g.cells[k] = (struct gcell){NULL, 1, 1, false};
	for (int i = 0; i < t->rows.node_count; i++) {
		const struct tpl_node *rn = &t->rows.nodes[i];
		int rs = rn->leaf >= 0 && rn->depth == 0 ? 2 : 1;
		gset(&g, rn->depth, rn->first_leaf * nc, rs, rn->leaf_count * nc, xstrdup(rn->label));
	}
	for (int k = 0; k < n; k++) {
		gset(&g, 2, k, 1, 1, xstrdup(t->cols.nodes[t->cols.leaves[k % nc]].label));
		gset(&g, 3, k, 1, 1, cell_text(d, template_cell_at(d->tpl, table, k / nc, k % nc), STYLE_TAB));
	}
	return g;
}

static void
grid_html(struct out *o, struct ggrid *g)
{
	put(o, "<table border=\"1\">\n<tbody>\n");
	for (int r = 0; r < g->rows; r++) {
		put(o, "<tr>");
		for (int c = 0; c < g->cols; c++) {
			struct gcell *x = gat(g, r, c);
			if (x->covered)
				continue;
			put(o, "<td");
			if (x->rowspan > 1)
				put(o, " rowspan=\"%d\"", x->rowspan);
			if (x->colspan > 1)
				put(o, " colspan=\"%d\"", x->colspan);
			char *e = esc(x->text ? x->text : "");
			put(o, ">%s</td>", *e ? e : "&nbsp;");
			free(e);
		}
		put(o, "</tr>\n");
	}
	put(o, "</tbody>\n</table>\n");
}

/* Word: gridSpan for a colspan, vMerge restart and continue for a rowspan (a continued
 * cell is written in every row it covers, with the span of its origin). */
static void
grid_docx(struct out *o, struct ggrid *g)
{
	put(o, "<w:tbl>");
	for (int r = 0; r < g->rows; r++) {
		put(o, "<w:tr>");
		for (int c = 0; c < g->cols;) {
			struct gcell *x = gat(g, r, c);
			int span = 1;
			bool cont = false;
			if (x->covered) {
				/* under a span from above (vMerge) or from the left (skip) */
				int or = r, oc = c;
				while (or > 0 && gat(g, or, oc)->covered)
					or--;
				struct gcell *origin = gat(g, or, oc);
				if (!origin->covered && origin->rowspan > r - or && or < r) {
					cont = true;
					span = origin->colspan;
				} else {
					c++;
					continue;
				}
			} else {
				span = x->colspan;
			}
			put(o, "<w:tc><w:tcPr>");
			if (span > 1)
				put(o, "<w:gridSpan w:val=\"%d\"/>", span);
			if (cont)
				put(o, "<w:vMerge/>");
			else if (x->rowspan > 1)
				put(o, "<w:vMerge w:val=\"restart\"/>");
			put(o, "</w:tcPr><w:p>");
			if (!cont && x->text && *x->text) {
				char *e = esc(x->text);
				put(o, "<w:r><w:t>%s</w:t></w:r>", e);
				free(e);
			}
			put(o, "</w:p></w:tc>");
			c += span;
		}
		put(o, "</w:tr>");
	}
	put(o, "</w:tbl>");
}

static void
grid_free(struct ggrid *g)
{
	for (int k = 0; k < g->rows * g->cols; k++)
		free(g->cells[k].text);
	free(g->cells);
}

/* The report as a portal page or a Word file. */
static char *
flatten_doc(const struct draft *d, bool docx, size_t *len)
{
	const struct template *tpl = d->tpl;
	struct out o = {0};
	const char *p0 = docx ? "<w:p><w:r><w:t>" : "<p>", *p1 = docx ? "</w:t></w:r></w:p>" : "</p>\n";
	if (!docx)
		put(&o, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>年报</title></head><body>\n"
		        "<div class=\"nav\">首页 &gt; 政务公开 &gt; 年度报告</div>\n");
	char *org = esc(d->organization);
	put(&o, "%s%s%s%s%d年政府信息公开工作年度报告%s", p0, org, p1, p0, d->year, p1);
	free(org);
	for (int s = 0; s < tpl->section_count; s++) {
		put(&o, "%s%s%s", p0, tpl->sections[s].heading, p1);
		for (int i = 0; i < tpl->sections[s].item_count; i++) {
			const struct tpl_item *item = &tpl->sections[s].items[i];
			if (item->kind == ITEM_TEXT) {
				char *text = esc(d->texts[item->index] && *d->texts[item->index] ? d->texts[item->index] : "无。");
				/* a paragraph per line */
				for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
					put(&o, "%s%s%s", p0, line, p1);
				free(text);
				continue;
			}
			const struct tpl_table *t = &tpl->tables[item->index];
			if (t->caption)
				put(&o, "%s%s%s", p0, t->caption, p1);
			struct ggrid g = t->layout == LAYOUT_FLAT ? flat_grid(d, t, item->index) : table_grid(d, t, item->index);
			if (docx)
				grid_docx(&o, &g);
			else
				grid_html(&o, &g);
			grid_free(&g);
		}
	}
	if (!docx) {
		put(&o, "</body></html>\n");
		*len = o.len;
		return o.s;
	}
	char *bytes = docx_write(o.s, len);
	free(o.s);
	return bytes;
}

struct tally {
	int right, blank, wrong;
};

/* Distinct values in every input cell (signed cells negative now and then, money with
 * fen); with gaps, every eleventh cell and the first of every third row left empty. */
static void
fill(struct draft *d, bool gaps)
{
	const struct template *tpl = d->tpl;
	int k = 0;
	for (int c = 0; c < tpl->cell_count; c++) {
		if (tpl->cells[c].formula >= 0)
			continue;
		k++;
		int64_t units = 11 + 7 * k;
		struct value v = value_units(units);
		if (tpl->cells[c].type == VALUE_SIGNED && k % 2)
			v = value_units(-units);
		if (tpl->cells[c].type == VALUE_MONEY)
			v = (struct value){units * VALUE_SCALE + 123457 + k, true};
		if (gaps && (k % 11 == 0 || (tpl->cells[c].col == 0 && tpl->cells[c].row % 3 == 1)))
			v = value_blank();
		d->cells[c] = v;
	}
	template_recompute_all(tpl, d->cells);
}

static struct tally
run_one(const struct draft *src, enum style style, const char *name, bool gaps)
{
	size_t len;
	char *text = style == STYLE_HTML || style == STYLE_DOCX ? flatten_doc(src, style == STYLE_DOCX, &len)
	                                                        : flatten(src, style);
	if (style < STYLE_HTML)
		len = strlen(text);
	struct import_summary sum;
	struct diag_list diags = {0};
	struct draft *back = import_report(name, text, len, cache, &sum, &diags);
	if (!back) {
		diag_print(&diags, stderr);
		if (style != STYLE_DOCX)
			fprintf(stderr, "%s", text);
	}
	assert_non_null(back);
	assert_string_equal(back->tpl->id, src->tpl->id);
	struct tally t = {0, 0, 0};
	const struct template *tpl = src->tpl;
	for (int c = 0; c < tpl->cell_count; c++) {
		if (tpl->cells[c].formula >= 0)
			continue;
		struct value a = src->cells[c], b = back->cells[c];
		if (a.set == b.set && (!a.set || a.scaled == b.scaled)) {
			t.right++;
		} else if (!b.set) {
			t.blank++;
		} else {
			t.wrong++;
			char x[VALUE_FORMAT_MAX], y[VALUE_FORMAT_MAX];
			value_format(a, x, sizeof x);
			value_format(b, y, sizeof y);
			print_message("WRONG %s %s%s %s: %s imported as %s\n", name, style_names[style], gaps ? " (gaps)" : "",
			              tpl->cells[c].id, x, y);
		}
	}
	if (t.wrong && style != STYLE_DOCX)
		fprintf(stderr, "%s", text);
	if (getenv("STYLES_NOTES"))
		for (int i = 0; i < sum.note_count; i++)
			fprintf(stderr, "%s %s%s: %s\n", name, style_names[style], gaps ? " (gaps)" : "", sum.notes[i]);
	import_summary_free(&sum);
	diag_free(&diags);
	draft_free(back);
	free(text);
	return t;
}

static void
test_distinct_values(void **state)
{
	(void)state;
	static const char *const reports[] = {
		"2021-haiyang-bicheng.txt", "2021-shanhaiguan-fgj.txt", "2021-jining-jkq-zzb.txt",
		"2019-shanghai-bgt.txt",    "2024-hongze-qzf-layout.txt", "2025-shuyang-xzf-ocr.txt",
	};
	const char *top = getenv("top_srcdir");
	int wrong = 0;
	print_message("%-28s %-14s %13s %13s\n", "report", "style", "right/blank/wrong", "with gaps");
	for (size_t r = 0; r < sizeof reports / sizeof *reports; r++) {
		char *path = xasprintf("%s/tests/data/reports/%s", top ? top : ".", reports[r]);
		struct diag_list diags = {0};
		size_t len;
		char *text = read_file(path, 1 << 24, &len, &diags);
		assert_non_null(text);
		struct import_summary sum;
		struct draft *d = import_report(path, text, len, cache, &sum, &diags);
		assert_non_null(d);
		import_summary_free(&sum);
		for (int s = 0; s < STYLE_COUNT; s++) {
			struct tally t[2];
			for (int g = 0; g < 2; g++) {
				fill(d, g);
				t[g] = run_one(d, (enum style)s, reports[r], g);
				wrong += t[g].wrong;
			}
			print_message("%-28s %-14s %4d/%3d/%d      %4d/%3d/%d\n", reports[r], style_names[s], t[0].right,
			              t[0].blank, t[0].wrong, t[1].right, t[1].blank, t[1].wrong);
		}
		draft_free(d);
		free(text);
		free(path);
		diag_free(&diags);
	}
	assert_int_equal(wrong, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distinct_values),
	};
	return cmocka_run_group_tests_name("import_styles", tests, setup, teardown);
}
