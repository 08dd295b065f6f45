#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "nianbao/render.h"
#include "nianbao/report.h"
#include "nianbao/width.h"

/* The report as one HTML5 page. Screen: a readable column; print: A4 with the GB/T 9704
 * margins and type sizes, so that a portal's "print" or "open in Word" looks like the
 * official document. Nothing is loaded from elsewhere and nothing runs. */

static const char style[] =
	"body{margin:0;background:#fff;color:#000}\n"
	".report{max-width:46em;margin:0 auto;padding:1.5em 1em 3em;"
	"font-family:\"FangSong_GB2312\",\"仿宋_GB2312\",\"FangSong\",\"仿宋\",\"STFangsong\",serif;"
	"font-size:16px;line-height:1.8}\n"
	".draft-mark{text-align:center;color:#c00;font-weight:bold;font-size:1.4em;margin:0 0 .5em}\n"
	"h1{text-align:center;font-family:\"方正小标宋简体\",\"FZXiaoBiaoSong-B05S\",\"SimSun\",\"宋体\",serif;"
	"font-weight:normal;font-size:1.6em;line-height:1.4;margin:0 0 1em}\n"
	"h1 span{display:block}\n"
	"h2{font-family:\"SimHei\",\"黑体\",sans-serif;font-weight:normal;font-size:1em;"
	"text-indent:2em;margin:.6em 0 0}\n"
	"p{text-indent:2em;margin:0;overflow-wrap:anywhere}\n"
	"table{width:100%;table-layout:fixed;border-collapse:collapse;margin:.6em 0 .8em;"
	"font-family:\"SimSun\",\"宋体\",serif;font-size:14px;line-height:1.35}\n"
	"table.s5{font-size:12px}table.s6{font-size:10px}\n"
	"th,td{border:1px solid #000;padding:.2em .25em;overflow-wrap:anywhere;word-break:break-word}\n"
	"th{font-weight:normal;text-align:center;vertical-align:middle}\n"
	"th.label{text-align:left}\n"
	"th.caption{font-weight:bold}\n"
	"td{text-align:center;vertical-align:middle;white-space:nowrap}\n"
	"thead{display:table-header-group}\n"
	"tr{break-inside:avoid}\n"
	".signature{text-align:right;text-indent:0;margin-top:2em}\n"
	".signature span{display:block}\n"
	"@page{size:A4;margin:37mm 26mm 35mm 28mm}\n"
	"@media print{.report{max-width:none;padding:0;font-size:16pt;line-height:28.95pt}"
	"h1{font-size:22pt;line-height:35pt}"
	"table{font-size:10.5pt}table.s5{font-size:9pt}table.s6{font-size:7.5pt}}\n";

static void
esc(struct strbuf *b, const char *s)
{
	report_escape(b, s, strlen(s), NULL, NULL);
}

static void
paragraphs(struct strbuf *out, const char *text)
{
	const char *p = text, *body;
	size_t len;
	while (report_paragraph_next(&p, &body, &len)) {
		if (!len)
			continue;
		strbuf_puts(out, "<p>");
		report_escape(out, body, len, NULL, NULL);
		strbuf_puts(out, "</p>\n");
	}
}

static void
table(struct strbuf *out, const struct draft *d, const struct tpl_table *t)
{
	struct report_grid g = {0};
	report_grid_table(&g, d, t);
	struct report_layout l = {0};
	enum report_type_size size = report_layout_page(&g, &l);
	static const char *const size_class[] = {"", " class=\"s5\"", " class=\"s6\""};
	strbuf_printf(out, "<table%s>\n<colgroup>", size_class[size]);
	int *share = report_page_shares(d, t, &g, &l);   /* hundredths of a percent */
	for (int c = 0; c < g.ncols; c++)
		strbuf_printf(out, "<col style=\"width:%d.%02d%%\">", share[c] / 100, share[c] % 100);
	free(share);
	strbuf_puts(out, "</colgroup>\n");
	int *owner = report_grid_owners(&g);
	for (int r = 0; r < g.nrows; r++) {
		if (r == 0 && g.head_rows > 0)
			strbuf_puts(out, "<thead>\n");
		if (r == g.head_rows)
			strbuf_puts(out, "<tbody>\n");
		strbuf_puts(out, "<tr>");
		for (int c = 0; c < g.ncols; c++) {
			int k = owner[(size_t)r * g.ncols + c];
			if (k < 0) {
				strbuf_puts(out, r < g.head_rows ? "<th></th>" : "<td></td>");
				continue;
			}
			const struct report_cell *cell = &g.cells[k];
			if (cell->row != r || cell->col != c)
				continue;
			const char *tag = cell->number ? "td" : "th";
			strbuf_printf(out, "<%s", tag);
			if (r < g.caption_rows)
				strbuf_puts(out, " class=\"caption\"");
			else if (!cell->number && r >= g.head_rows && !cell->vertical)
				strbuf_puts(out, " class=\"label\" scope=\"row\"");
			else if (!cell->number && r >= g.head_rows)
				strbuf_puts(out, " scope=\"rowgroup\"");
			else if (!cell->number && r >= g.caption_rows && cell->cols > 1)
				strbuf_puts(out, " scope=\"colgroup\"");
			else if (!cell->number && r >= g.caption_rows)
				strbuf_puts(out, " scope=\"col\"");
			if (cell->rows > 1)
				strbuf_printf(out, " rowspan=\"%d\"", cell->rows);
			if (cell->cols > 1)
				strbuf_printf(out, " colspan=\"%d\"", cell->cols);
			strbuf_puts(out, ">");
			report_escape(out, cell->text, strlen(cell->text), NULL, "<br>");
			strbuf_printf(out, "</%s>", tag);
		}
		strbuf_puts(out, "</tr>\n");
		if (r == g.head_rows - 1)
			strbuf_puts(out, "</thead>\n");
	}
	if (g.nrows > g.head_rows)
		strbuf_puts(out, "</tbody>\n");
	strbuf_puts(out, "</table>\n");
	free(owner);
	report_layout_free(&l);
	report_grid_free(&g);
}

struct html_walk {
	struct strbuf *out;
	const struct draft *d;
};

static void
html_text(void *ctx, const char *text)
{
	paragraphs(((struct html_walk *)ctx)->out, text);
}

static void
html_heading(void *ctx, const char *heading)
{
	struct strbuf *out = ((struct html_walk *)ctx)->out;
	strbuf_puts(out, "<h2>");
	esc(out, heading);
	strbuf_puts(out, "</h2>\n");
}

static void
html_table(void *ctx, const struct tpl_table *t)
{
	struct html_walk *w = ctx;
	table(w->out, w->d, t);
}

char *
render_html(const struct draft *d, const struct render_options *opt, size_t *len)
{
	struct strbuf out = {0};
	char *title = report_title(d);
	strbuf_puts(&out, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
	                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	if (opt->draft_mark)
		strbuf_puts(&out, "【草稿】");
	esc(&out, d->organization);
	esc(&out, title);
	strbuf_puts(&out, "</title>\n<style>\n");
	strbuf_puts(&out, style);
	strbuf_puts(&out, "</style>\n</head>\n<body>\n<main class=\"report\">\n");
	if (opt->draft_mark)
		strbuf_puts(&out, "<p class=\"draft-mark\">【草稿】</p>\n");
	strbuf_puts(&out, "<h1>");
	if (d->organization[0]) {
		strbuf_puts(&out, "<span>");
		esc(&out, d->organization);
		strbuf_puts(&out, "</span>");
	}
	strbuf_puts(&out, "<span>");
	esc(&out, title);
	strbuf_puts(&out, "</span></h1>\n");
	free(title);
	struct html_walk w = {&out, d};
	report_walk(d, &(struct report_visitor){html_text, html_heading, html_table}, &w);
	if (d->organization[0] || opt->date) {
		strbuf_puts(&out, "<p class=\"signature\">");
		if (d->organization[0]) {
			strbuf_puts(&out, "<span>");
			esc(&out, d->organization);
			strbuf_puts(&out, "</span>");
		}
		if (opt->date) {
			strbuf_puts(&out, "<span>");
			esc(&out, opt->date);
			strbuf_puts(&out, "</span>");
		}
		strbuf_puts(&out, "</p>\n");
	}
	strbuf_puts(&out, "</main>\n</body>\n</html>\n");
	return strbuf_take(&out, len);
}
