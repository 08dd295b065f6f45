#include <config.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "nianbao/docread.h"
#include "nianbao/dynlib.h"
#include "nianbao/i18n.h"
#include "nianbao/strbuf.h"

#define NBSP "\xC2\xA0"
#define MAX_SPAN 1000            /* a rowspan or colspan beyond this is a mistake */
#define MAX_GRID_CELLS 1000000   /* cells of one table, spans expanded */
#define MAX_DOCX_XML ((zip_uint64_t)64 << 20)

/* ---- output ---- */


/* Ends the current line, unless it is empty already. */
static void
out_break(struct strbuf *o)
{
	if (o->len && o->s[o->len - 1] != '\n')
		strbuf_add(o, "\n", 1);
}

/* Text with every run of whitespace (spaces, tabs, line breaks) as one space, as a browser
 * shows it; no-break spaces are kept. */
static void
out_collapsed(struct strbuf *o, const char *s)
{
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f') {
			if (o->len && o->s[o->len - 1] != ' ' && o->s[o->len - 1] != '\n')
				strbuf_add(o, " ", 1);
			continue;
		}
		strbuf_add(o, s, 1);
	}
}

/* A cell's text on one line: trimmed, no tabs or line breaks; "" for an empty cell. */
static char *
cell_clean(const char *s)
{
	struct strbuf o = {0};
	strbuf_add(&o, "", 0);
	out_collapsed(&o, s);
	for (size_t i = 0; i < o.len; i++)
		if (o.s[i] == '\n' || o.s[i] == '\t')
			o.s[i] = ' ';
	size_t start = 0, end = o.len;
	while (start < end && (o.s[start] == ' ' || !strncmp(o.s + start, NBSP, 2) ||
	                       !strncmp(o.s + start, "\xE3\x80\x80", 3)))
		start += o.s[start] == ' ' ? 1 : (unsigned char)o.s[start] == 0xC2 ? 2 : 3;
	for (;;) {
		if (end > start && o.s[end - 1] == ' ')
			end--;
		else if (end >= start + 2 && !strncmp(o.s + end - 2, NBSP, 2))
			end -= 2;
		else if (end >= start + 3 && !strncmp(o.s + end - 3, "\xE3\x80\x80", 3))
			end -= 3;
		else
			break;
	}
	char *r = xstrndup(o.s + start, end - start);
	free(o.s);
	return r;
}

/* ---- tables: a grid that spans fill ---- */

struct grid {
	char ***rows;     /* rows[r][c]: the text, "" for an empty or covered cell, NULL unused */
	int *width;
	int count, cap;
	long cells;
	bool too_big;
};

static void
grid_ensure(struct grid *g, int r, int c)
{
	while (g->count <= r) {
		if (g->count == g->cap) {
			g->cap = g->cap ? g->cap * 2 : 16;
			g->rows = xrealloc(g->rows, (size_t)g->cap * sizeof *g->rows);
			g->width = xrealloc(g->width, (size_t)g->cap * sizeof *g->width);
		}
		g->rows[g->count] = NULL;
		g->width[g->count] = 0;
		g->count++;
	}
	if (c >= g->width[r]) {
		int w = c + 1;
		g->rows[r] = xrealloc(g->rows[r], (size_t)w * sizeof *g->rows[r]);
		for (int k = g->width[r]; k < w; k++)
			g->rows[r][k] = NULL;
		g->cells += w - g->width[r];
		g->width[r] = w;
	}
}

static bool
grid_taken(const struct grid *g, int r, int c)
{
	return r < g->count && c < g->width[r] && g->rows[r][c];
}

/* Puts text at the first free column from *col of row r, spanning rs rows and cs columns
 * (the covered cells empty). */
static void
grid_put(struct grid *g, int r, int *col, int rs, int cs, char *text)
{
	if (rs < 1 || rs > MAX_SPAN)
		rs = 1;
	if (cs < 1 || cs > MAX_SPAN)
		cs = 1;
	while (grid_taken(g, r, *col))
		(*col)++;
	if (g->cells + (long)rs * cs > MAX_GRID_CELLS) {
		g->too_big = true;
		free(text);
		return;
	}
	for (int dr = 0; dr < rs; dr++)
		for (int dc = 0; dc < cs; dc++) {
			grid_ensure(g, r + dr, *col + dc);
			free(g->rows[r + dr][*col + dc]);
			g->rows[r + dr][*col + dc] = dr || dc ? xstrdup("") : NULL;
		}
	g->rows[r][*col] = text;
	*col += cs;
}

/* One line per row, cells separated by tabs, empty cells as a no-break space. */
static void
grid_write(struct grid *g, struct strbuf *o)
{
	out_break(o);
	for (int r = 0; r < g->count; r++) {
		int w = g->width[r];
		while (w > 0 && !g->rows[r][w - 1])
			w--;
		for (int c = 0; c < w; c++) {
			const char *t = g->rows[r][c];
			if (c)
				strbuf_add(o, "\t", 1);
			strbuf_puts(o, t && *t ? t : NBSP);
		}
		if (w)
			strbuf_add(o, "\n", 1);
	}
	for (int r = 0; r < g->count; r++) {
		for (int c = 0; c < g->width[r]; c++)
			free(g->rows[r][c]);
		free(g->rows[r]);
	}
	free(g->rows);
	free(g->width);
	memset(g, 0, sizeof *g);
}

static int
attr_int(xmlNodePtr node, const char *name)
{
	xmlChar *v = dynlib_xml.xmlGetProp(node, (const xmlChar *)name);
	int n = v ? atoi((const char *)v) : 1;
	dynlib_xml.free(v);
	return n;
}

/* ---- HTML ---- */

static bool
is_name(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcasecmp((const char *)n->name, name);
}

static bool
html_skipped(xmlNodePtr n)
{
	static const char *const skip[] = {"script", "style", "noscript", "head", "select", "button",
	                                   "iframe", "nav", "template", "svg", "object"};
	for (size_t i = 0; i < sizeof skip / sizeof *skip; i++)
		if (is_name(n, skip[i]))
			return true;
	return false;
}

static bool
html_block(xmlNodePtr n)
{
	static const char *const blocks[] = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
	                                     "section", "article", "blockquote", "pre", "dt", "dd", "dl",
	                                     "center", "header", "footer", "main", "aside", "form", "hr",
	                                     "address", "caption", "figure", "figcaption", "body", "html"};
	for (size_t i = 0; i < sizeof blocks / sizeof *blocks; i++)
		if (is_name(n, blocks[i]))
			return true;
	return false;
}

static void html_walk(xmlNodePtr n, struct strbuf *o);

/* The text of a cell, on one line. */
static void
html_cell_text(xmlNodePtr n, struct strbuf *o)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			out_collapsed(o, (const char *)c->content);
		} else if (c->type == XML_ELEMENT_NODE && !html_skipped(c)) {
			bool space = is_name(c, "br") || html_block(c) || is_name(c, "td") || is_name(c, "th");
			if (space)
				strbuf_add(o, " ", 1);
			html_cell_text(c, o);
			if (space)
				strbuf_add(o, " ", 1);
		}
	}
}

static void
html_rows(xmlNodePtr n, struct grid *g, int *row)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (is_name(c, "thead") || is_name(c, "tbody") || is_name(c, "tfoot")) {
			html_rows(c, g, row);
		} else if (is_name(c, "tr")) {
			int col = 0;
			for (xmlNodePtr td = c->children; td; td = td->next) {
				if (!is_name(td, "td") && !is_name(td, "th"))
					continue;
				struct strbuf t = {0};
				strbuf_add(&t, "", 0);
				html_cell_text(td, &t);
				char *text = cell_clean(t.s);
				free(t.s);
				grid_ensure(g, *row, 0);
				grid_put(g, *row, &col, attr_int(td, "rowspan"), attr_int(td, "colspan"), text);
			}
			(*row)++;
		}
	}
}

static void
html_walk(xmlNodePtr n, struct strbuf *o)
{
	for (xmlNodePtr c = n; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			out_collapsed(o, (const char *)c->content);
			continue;
		}
		if (c->type != XML_ELEMENT_NODE || html_skipped(c))
			continue;
		if (is_name(c, "br")) {
			strbuf_add(o, "\n", 1);
			continue;
		}
		if (is_name(c, "table")) {
			struct grid g = {0};
			int row = 0;
			html_rows(c, &g, &row);
			if (g.too_big) {
				/* cannot be laid out: its text as lines, every cell its own */
				grid_write(&g, o);
				continue;
			}
			grid_write(&g, o);
			out_break(o);
			continue;
		}
		bool block = html_block(c);
		if (block)
			out_break(o);
		html_walk(c->children, o);
		if (block)
			out_break(o);
	}
}

/* Drops spaces at the starts and ends of lines (the markup's indentation). */
static char *
trim_lines(char *s)
{
	struct strbuf o = {0};
	strbuf_add(&o, "", 0);
	for (char *p = s; *p;) {
		char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		size_t a = 0, b = n;
		while (a < b && p[a] == ' ')
			a++;
		while (b > a && p[b - 1] == ' ')
			b--;
		strbuf_add(&o, p + a, b - a);
		if (nl)
			strbuf_add(&o, "\n", 1);
		p = nl ? nl + 1 : p + n;
	}
	free(s);
	return o.s;
}

char *
doc_html_text(const char *name, const char *bytes, size_t len, struct diag_list *diags)
{
	struct srcpos where = {name, 0, 0};
	if (len > INT32_MAX) {
		diag_add(diags, DIAG_ERROR, where, _("the web page is too large"));
		return NULL;
	}
	char *why = NULL;
	if (!dynlib_load_xml(&why)) {
		diag_add(diags, DIAG_ERROR, where, _("cannot read web pages: %s"), why);
		free(why);
		return NULL;
	}
	int flags = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET;
	htmlDocPtr doc = dynlib_xml.htmlReadMemory(bytes, (int)len, NULL, NULL, flags);
	if (!doc) {
		diag_add(diags, DIAG_ERROR, where, _("cannot be read as a web page (HTML)"));
		return NULL;
	}
	struct strbuf o = {0};
	strbuf_add(&o, "", 0);
	xmlNodePtr root = dynlib_xml.xmlDocGetRootElement(doc);
	if (root)
		html_walk(root, &o);
	dynlib_xml.xmlFreeDoc(doc);
	return trim_lines(o.s);
}

/* ---- DOCX ---- */

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

static bool
is_w(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns && !strcmp((const char *)n->ns->href, W_NS) &&
	       !strcmp((const char *)n->name, name);
}

static xmlChar *
w_val(xmlNodePtr n)
{
	return dynlib_xml.xmlGetNsProp(n, (const xmlChar *)"val", (const xmlChar *)W_NS);
}

static xmlNodePtr
w_child(xmlNodePtr n, const char *name)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
		if (is_w(c, name))
			return c;
	return NULL;
}

/* The text of runs: w:t, tabs and breaks as spaces (in_cell) or as they are. */
static void
docx_runs(xmlNodePtr n, struct strbuf *o, bool in_cell)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is_w(c, "t")) {
			xmlChar *t = dynlib_xml.xmlNodeGetContent(c);
			if (t)
				strbuf_puts(o, (const char *)t);
			dynlib_xml.free(t);
		} else if (is_w(c, "tab")) {
			strbuf_add(o, " ", 1);
		} else if (is_w(c, "br") || is_w(c, "cr")) {
			strbuf_add(o, in_cell ? " " : "\n", 1);
		} else if (is_w(c, "del") || is_w(c, "instrText") || is_w(c, "delText") || is_w(c, "rPr") ||
		           is_w(c, "pPr")) {
			continue;   /* deleted text, field codes, properties */
		} else {
			docx_runs(c, o, in_cell);   /* w:r, w:hyperlink, w:ins, w:smartTag, w:sdt… */
		}
	}
}

static void docx_body(xmlNodePtr n, struct strbuf *o);

static void
docx_cell_text(xmlNodePtr tc, struct strbuf *o)
{
	for (xmlNodePtr c = tc->children; c; c = c->next) {
		if (is_w(c, "p")) {
			docx_runs(c, o, true);
			strbuf_add(o, " ", 1);
		} else if (is_w(c, "tbl") || is_w(c, "sdt") || is_w(c, "sdtContent")) {
			docx_cell_text(c, o);
		} else if (is_w(c, "tr") || is_w(c, "tc")) {
			docx_cell_text(c, o);
		}
	}
}

static void
docx_table(xmlNodePtr tbl, struct strbuf *o)
{
	struct grid g = {0};
	int row = 0;
	for (xmlNodePtr tr = tbl->children; tr; tr = tr->next) {
		xmlNodePtr rows = tr;
		if (is_w(tr, "sdt"))
			rows = w_child(w_child(tr, "sdtContent"), "tr");
		if (!rows || !is_w(rows, "tr"))
			continue;
		int col = 0;
		grid_ensure(&g, row, 0);
		xmlNodePtr before = w_child(w_child(rows, "trPr"), "gridBefore");
		if (before) {
			xmlChar *v = w_val(before);
			int n = v ? atoi((const char *)v) : 0;
			dynlib_xml.free(v);
			for (int k = 0; k < n && k < MAX_SPAN; k++)
				grid_put(&g, row, &col, 1, 1, xstrdup(""));
		}
		for (xmlNodePtr tc = rows->children; tc; tc = tc->next) {
			if (!is_w(tc, "tc"))
				continue;
			xmlNodePtr pr = w_child(tc, "tcPr");
			int span = 1;
			xmlNodePtr gs = w_child(pr, "gridSpan");
			if (gs) {
				xmlChar *v = w_val(gs);
				span = v ? atoi((const char *)v) : 1;
				dynlib_xml.free(v);
			}
			bool continued = false;
			xmlNodePtr vm = w_child(pr, "vMerge");
			if (vm) {
				xmlChar *v = w_val(vm);
				continued = !v || strcmp((const char *)v, "restart");
				dynlib_xml.free(v);
			}
			struct strbuf t = {0};
			strbuf_add(&t, "", 0);
			if (!continued)
				docx_cell_text(tc, &t);
			char *text = cell_clean(t.s);
			free(t.s);
			grid_put(&g, row, &col, 1, span, text);
		}
		row++;
	}
	grid_write(&g, o);
}

static void
docx_body(xmlNodePtr n, struct strbuf *o)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (is_w(c, "p")) {
			out_break(o);
			docx_runs(c, o, false);
			strbuf_add(o, "\n", 1);
		} else if (is_w(c, "tbl")) {
			docx_table(c, o);
		} else if (is_w(c, "sdt") || is_w(c, "sdtContent") || is_w(c, "customXml")) {
			docx_body(c, o);
		}
	}
}

char *
doc_docx_text(const char *name, const char *bytes, size_t len, struct diag_list *diags)
{
	struct srcpos where = {name, 0, 0};
	char *why = NULL;
	if (!dynlib_load_zip(&why) || !dynlib_load_xml(&why)) {
		diag_add(diags, DIAG_ERROR, where, _("cannot read Word files: %s"), why);
		free(why);
		return NULL;
	}
	zip_error_t zerr;
	dynlib_zip.zip_error_init(&zerr);
	zip_source_t *src = dynlib_zip.zip_source_buffer_create(bytes, len, 0, &zerr);
	zip_t *z = src ? dynlib_zip.zip_open_from_source(src, ZIP_RDONLY, &zerr) : NULL;
	if (!z) {
		if (src)
			dynlib_zip.zip_source_free(src);
		dynlib_zip.zip_error_fini(&zerr);
		diag_add(diags, DIAG_ERROR, where, _("cannot be read as a Word file (DOCX): not a readable zip archive"));
		return NULL;
	}
	dynlib_zip.zip_error_fini(&zerr);
	zip_stat_t st;
	zip_file_t *f = NULL;
	char *xml = NULL;
	zip_int64_t got = -1;
	if (dynlib_zip.zip_stat(z, "word/document.xml", 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
	    st.size <= MAX_DOCX_XML &&
	    (f = dynlib_zip.zip_fopen(z, "word/document.xml", 0)) != NULL) {
		xml = xmalloc((size_t)st.size + 1);
		got = dynlib_zip.zip_fread(f, xml, st.size);
		dynlib_zip.zip_fclose(f);
	}
	dynlib_zip.zip_close(z);
	if (got < 0 || (zip_uint64_t)got != st.size) {
		free(xml);
		diag_add(diags, DIAG_ERROR, where,
		         _("cannot be read as a Word file (DOCX): word/document.xml is missing, damaged or too large"));
		return NULL;
	}
	xmlDocPtr doc = dynlib_xml.xmlReadMemory(xml, (int)got, "document.xml", NULL,
	                                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	free(xml);
	xmlNodePtr root = doc ? dynlib_xml.xmlDocGetRootElement(doc) : NULL;
	xmlNodePtr body = root ? w_child(root, "body") : NULL;
	if (!body) {
		if (doc)
			dynlib_xml.xmlFreeDoc(doc);
		diag_add(diags, DIAG_ERROR, where, _("cannot be read as a Word file (DOCX): its document has no body"));
		return NULL;
	}
	struct strbuf o = {0};
	strbuf_add(&o, "", 0);
	docx_body(body, &o);
	dynlib_xml.xmlFreeDoc(doc);
	return o.s;
}

/* ---- which ---- */

enum doc_kind
doc_sniff(const char *bytes, size_t len)
{
	if (len >= 5 && !memcmp(bytes, "%PDF-", 5))
		return DOC_PDF;
	if (len >= 4 && !memcmp(bytes, "PK\x03\x04", 4) && memmem(bytes, len, "word/document.xml", 17))
		return DOC_DOCX;
	size_t i = 0;
	if (len >= 3 && !memcmp(bytes, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' || bytes[i] == '\n'))
		i++;
	size_t head = len - i < 4096 ? len - i : 4096;
	static const char *const marks[] = {"<!doctype html", "<html", "<body", "<table", "<head"};
	for (size_t m = 0; m < sizeof marks / sizeof *marks; m++) {
		size_t ml = strlen(marks[m]);
		for (size_t k = i; k + ml <= i + head; k++)
			if (!strncasecmp(bytes + k, marks[m], ml))
				return DOC_HTML;
	}
	return DOC_TEXT;
}
