#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "nianbao/dynlib.h"
#include "nianbao/i18n.h"
#include "nianbao/render.h"
#include "nianbao/report.h"
#include "nianbao/width.h"

/* The report as a Word document under GB/T 9704-2012 (党政机关公文格式): A4, margins
 * 37/35/28/26 mm, the title in 方正小标宋简体 二号, headings in 黑体 三号, the body in
 * 仿宋_GB2312 三号 at a fixed 28.95 pt line, page numbers "— 1 —" in the footer. Sizes
 * are in half-points (w:sz) and lengths in twentieths of a point (twips). */

#define PAGE_W 11906            /* 210 mm */
#define PAGE_H 16838            /* 297 mm */
#define MARGIN_TOP 2098         /* 37 mm */
#define MARGIN_BOTTOM 1984      /* 35 mm */
#define MARGIN_LEFT 1587        /* 28 mm */
#define MARGIN_RIGHT 1474       /* 26 mm */
#define TEXT_W (PAGE_W - MARGIN_LEFT - MARGIN_RIGHT)   /* 156 mm */
#define BODY_SZ 32              /* 三号 16 pt */
#define TITLE_SZ 44             /* 二号 22 pt */
#define CHAR_TW 320             /* one 三号 character, in twips */
#define BODY_LINE 579           /* fixed line: 28.95 pt, 22 lines on the page */

/* The fonts, each with the fallback named in the font table (w:altName) and in the runs
 * (the ASCII slot), so that a machine without the official font still finds a CJK one. */
#define FONT_TITLE "方正小标宋简体"
#define FONT_HEAD "黑体"
#define FONT_BODY "仿宋_GB2312"
#define FONT_TABLE "宋体"

static const char xml_decl[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
static const char ns_w[] = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
                           "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

static void
text_run(struct strbuf *b, const char *rpr, const char *s, size_t n)
{
	strbuf_printf(b, "<w:r>%s<w:t xml:space=\"preserve\">", rpr ? rpr : "");
	report_escape(b, s, n, "</w:t><w:tab/><w:t xml:space=\"preserve\">",
	                  "</w:t><w:br/><w:t xml:space=\"preserve\">");
	strbuf_puts(b, "</w:t></w:r>");
}

static void
para(struct strbuf *b, const char *style, const char *ppr, const char *rpr, const char *s, size_t n)
{
	strbuf_printf(b, "<w:p><w:pPr><w:pStyle w:val=\"%s\"/>%s</w:pPr>", style, ppr ? ppr : "");
	if (n)
		text_run(b, rpr, s, n);
	strbuf_puts(b, "</w:p>\n");
}

static void
para_str(struct strbuf *b, const char *style, const char *s)
{
	para(b, style, NULL, NULL, s, strlen(s));
}

static void
paragraphs(struct strbuf *out, const char *text)
{
	const char *p = text, *body;
	size_t len;
	while (report_paragraph_next(&p, &body, &len))
		if (len)
			para(out, "Body", NULL, NULL, body, len);
}

/* ---- tables ---- */

static void
table(struct strbuf *out, const struct draft *d, const struct tpl_table *t)
{
	struct report_grid g = {0};
	report_grid_table(&g, d, t);
	struct report_layout l = {0};
	static const int sizes[] = {21, 18, 15};   /* 五号, 小五, 六号 */
	int sz = sizes[report_layout_page(&g, &l)];
	int *tw = xmalloc((size_t)g.ncols * sizeof *tw);
	int *share = report_page_shares(d, t, &g, &l), used = 0;
	for (int c = 0; c < g.ncols; c++) {
		tw[c] = c == g.ncols - 1 ? TEXT_W - used : (int)((long)share[c] * TEXT_W / 10000);
		used += tw[c];
	}
	free(share);
	strbuf_printf(out,
		"<w:tbl><w:tblPr><w:tblW w:w=\"%d\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>"
		"<w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
		"<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
		"<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
		"<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
		"<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
		"<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/></w:tblBorders>"
		"<w:tblLayout w:type=\"fixed\"/>"
		"<w:tblCellMar><w:left w:w=\"45\" w:type=\"dxa\"/><w:right w:w=\"45\" w:type=\"dxa\"/></w:tblCellMar>"
		"<w:tblLook w:val=\"0000\" w:firstRow=\"0\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" "
		"w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr>\n<w:tblGrid>", TEXT_W);
	for (int c = 0; c < g.ncols; c++)
		strbuf_printf(out, "<w:gridCol w:w=\"%d\"/>", tw[c]);
	strbuf_puts(out, "</w:tblGrid>\n");
	char rpr[64] = "";   /* 五号 is the style's size */
	if (sz != 21)
		snprintf(rpr, sizeof rpr, "<w:rPr><w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/></w:rPr>", sz, sz);
	int *owner = report_grid_owners(&g);
	for (int r = 0; r < g.nrows; r++) {
		/* rows of at least 0.7 cm; the caption and header repeat on every page */
		strbuf_printf(out, "<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val=\"397\" w:hRule=\"atLeast\"/>%s</w:trPr>",
		                  r < g.head_rows ? "<w:tblHeader/>" : "");
		for (int c = 0; c < g.ncols;) {
			int k = owner[(size_t)r * g.ncols + c];
			const struct report_cell *cell = k >= 0 ? &g.cells[k] : NULL;
			int cols = cell ? cell->col + cell->cols - c : 1;
			int w = 0;
			for (int i = 0; i < cols; i++)
				w += tw[c + i];
			strbuf_printf(out, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>", w);
			if (cols > 1)
				strbuf_printf(out, "<w:gridSpan w:val=\"%d\"/>", cols);
			if (cell && cell->rows > 1)
				strbuf_puts(out, cell->row == r ? "<w:vMerge w:val=\"restart\"/>" : "<w:vMerge/>");
			strbuf_puts(out, "<w:vAlign w:val=\"center\"/></w:tcPr>");
			if (cell && cell->row == r) {
				/* row labels to the left; the caption, headers and numbers centred */
				bool left = !cell->number && r >= g.head_rows && !cell->vertical;
				para(out, "TableText", left ? "<w:jc w:val=\"left\"/>" : NULL, rpr, cell->text,
				     strlen(cell->text));
			} else {
				para(out, "TableText", NULL, rpr, "", 0);
			}
			strbuf_puts(out, "</w:tc>");
			c += cols;
		}
		strbuf_puts(out, "</w:tr>\n");
	}
	strbuf_puts(out, "</w:tbl>\n");
	/* a thin paragraph after each table: two tables in a row would otherwise merge */
	para_str(out, "TableGap", "");
	free(owner);
	free(tw);
	report_layout_free(&l);
	report_grid_free(&g);
}

/* ---- the parts ---- */

struct docx_walk {
	struct strbuf *out;
	const struct draft *d;
};

static void
docx_text(void *ctx, const char *text)
{
	paragraphs(((struct docx_walk *)ctx)->out, text);
}

static void
docx_heading(void *ctx, const char *heading)
{
	para_str(((struct docx_walk *)ctx)->out, "Heading1", heading);
}

static void
docx_table(void *ctx, const struct tpl_table *t)
{
	struct docx_walk *w = ctx;
	table(w->out, w->d, t);
}

static char *
document_xml(const struct draft *d, const struct render_options *opt, size_t *len)
{
	struct strbuf out = {0};
	strbuf_puts(&out, xml_decl);
	strbuf_printf(&out, "<w:document %s><w:body>\n", ns_w);
	if (opt->draft_mark)
		para_str(&out, "DraftMark", "【草稿】");
	if (d->organization[0])
		para_str(&out, "Title", d->organization);
	char *title = report_title(d);
	para_str(&out, "Title", title);
	free(title);
	para_str(&out, "Body", "");
	struct docx_walk w = {&out, d};
	report_walk(d, &(struct report_visitor){docx_text, docx_heading, docx_table}, &w);
	/* The signature (GB/T 9704 7.3.5.1): the date four characters from the right margin,
	 * the organization centred over it. Without a date, room to write it by hand. */
	const char *date = opt->date ? opt->date : "　　　　年　　月　　日";
	int date_cols = (int)width_of_utf8(date, strlen(date));
	int org_cols = (int)width_of_utf8(d->organization, strlen(d->organization));
	int org_indent = 4 * CHAR_TW + (date_cols - org_cols) * CHAR_TW / 4;
	char ppr[96];
	para_str(&out, "Body", "");
	para_str(&out, "Body", "");
	if (d->organization[0]) {
		snprintf(ppr, sizeof ppr, "<w:ind w:right=\"%d\"/>", org_indent > 0 ? org_indent : 0);
		para(&out, "Signature", ppr, NULL, d->organization, strlen(d->organization));
	}
	snprintf(ppr, sizeof ppr, "<w:ind w:right=\"%d\"/>", 4 * CHAR_TW);
	para(&out, "Signature", ppr, NULL, date, strlen(date));
	strbuf_printf(&out,
		"<w:sectPr>%s<w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>"
		"<w:pgSz w:w=\"%d\" w:h=\"%d\"/>"
		"<w:pgMar w:top=\"%d\" w:right=\"%d\" w:bottom=\"%d\" w:left=\"%d\" w:header=\"851\" "
		"w:footer=\"1247\" w:gutter=\"0\"/>"
		"</w:sectPr>\n",
		opt->draft_mark ? "<w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>" : "",
		PAGE_W, PAGE_H, MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT);
	strbuf_puts(&out, "</w:body></w:document>\n");
	return strbuf_take(&out, len);
}

static char *
styles_xml(size_t *len)
{
	struct strbuf out = {0};
	strbuf_puts(&out, xml_decl);
	strbuf_printf(&out,
		"<w:styles %s>\n"
		"<w:docDefaults><w:rPrDefault><w:rPr>"
		"<w:rFonts w:ascii=\"" FONT_BODY "\" w:hAnsi=\"" FONT_BODY "\" w:eastAsia=\"" FONT_BODY "\" "
		"w:cs=\"" FONT_BODY "\"/><w:kern w:val=\"2\"/><w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>"
		"<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>"
		"<w:pPrDefault><w:pPr><w:autoSpaceDE w:val=\"0\"/><w:autoSpaceDN w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"%d\" w:lineRule=\"exact\"/>"
		"<w:jc w:val=\"both\"/></w:pPr></w:pPrDefault></w:docDefaults>\n",
		ns_w, BODY_SZ, BODY_SZ, BODY_LINE);
	strbuf_puts(&out,
		"<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>"
		"<w:qFormat/></w:style>\n");
	strbuf_printf(&out,
		"<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"Body\"><w:name w:val=\"Body Text Indent\"/>"
		"<w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:ind w:firstLineChars=\"200\" w:firstLine=\"%d\"/>"
		"</w:pPr></w:style>\n", 2 * CHAR_TW);
	strbuf_printf(&out,
		"<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/>"
		"<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Body\"/><w:qFormat/>"
		"<w:pPr><w:keepNext/><w:spacing w:line=\"700\" w:lineRule=\"exact\"/><w:jc w:val=\"center\"/>"
		"<w:outlineLvl w:val=\"0\"/></w:pPr>"
		"<w:rPr><w:rFonts w:ascii=\"" FONT_TITLE "\" w:hAnsi=\"" FONT_TITLE "\" w:eastAsia=\"" FONT_TITLE "\" "
		"w:cs=\"" FONT_TITLE "\"/><w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/></w:rPr></w:style>\n",
		TITLE_SZ, TITLE_SZ);
	strbuf_printf(&out,
		"<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/>"
		"<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Body\"/><w:qFormat/>"
		"<w:pPr><w:keepNext/><w:ind w:firstLineChars=\"200\" w:firstLine=\"%d\"/><w:outlineLvl w:val=\"1\"/></w:pPr>"
		"<w:rPr><w:rFonts w:ascii=\"" FONT_HEAD "\" w:hAnsi=\"" FONT_HEAD "\" w:eastAsia=\"" FONT_HEAD "\" "
		"w:cs=\"" FONT_HEAD "\"/><w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/></w:rPr></w:style>\n",
		2 * CHAR_TW, BODY_SZ, BODY_SZ);
	strbuf_puts(&out,
		"<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"TableText\"><w:name w:val=\"Table Text\"/>"
		"<w:basedOn w:val=\"Normal\"/><w:qFormat/>"
		"<w:pPr><w:spacing w:line=\"240\" w:lineRule=\"auto\"/><w:jc w:val=\"center\"/></w:pPr>"
		"<w:rPr><w:rFonts w:ascii=\"" FONT_TABLE "\" w:hAnsi=\"" FONT_TABLE "\" w:eastAsia=\"" FONT_TABLE "\" "
		"w:cs=\"" FONT_TABLE "\"/><w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/></w:rPr></w:style>\n"
		"<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"TableGap\"><w:name w:val=\"Table Gap\"/>"
		"<w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:line=\"240\" w:lineRule=\"exact\"/></w:pPr>"
		"<w:rPr><w:sz w:val=\"12\"/><w:szCs w:val=\"12\"/></w:rPr></w:style>\n"
		"<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"Signature\"><w:name w:val=\"Signature\"/>"
		"<w:basedOn w:val=\"Normal\"/><w:pPr><w:jc w:val=\"right\"/></w:pPr></w:style>\n"
		"<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"DraftMark\"><w:name w:val=\"Draft Mark\"/>"
		"<w:basedOn w:val=\"Normal\"/><w:pPr><w:jc w:val=\"center\"/></w:pPr>"
		"<w:rPr><w:rFonts w:ascii=\"" FONT_HEAD "\" w:hAnsi=\"" FONT_HEAD "\" w:eastAsia=\"" FONT_HEAD "\"/>"
		"<w:b/><w:color w:val=\"C00000\"/></w:rPr></w:style>\n"
		"<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"PageNumber\"><w:name w:val=\"Page Number Line\"/>"
		"<w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:line=\"240\" w:lineRule=\"auto\"/><w:jc w:val=\"center\"/></w:pPr>"
		"<w:rPr><w:rFonts w:ascii=\"" FONT_TABLE "\" w:hAnsi=\"" FONT_TABLE "\" w:eastAsia=\"" FONT_TABLE "\"/>"
		"<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr></w:style>\n"
		"</w:styles>\n");
	return strbuf_take(&out, len);
}

static const char font_table_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\n"
	"<w:font w:name=\"" FONT_BODY "\"><w:altName w:val=\"仿宋\"/><w:charset w:val=\"86\"/>"
	"<w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>\n"
	"<w:font w:name=\"仿宋\"><w:altName w:val=\"FangSong\"/><w:charset w:val=\"86\"/>"
	"<w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>\n"
	"<w:font w:name=\"" FONT_TITLE "\"><w:altName w:val=\"宋体\"/><w:charset w:val=\"86\"/>"
	"<w:family w:val=\"script\"/><w:pitch w:val=\"variable\"/></w:font>\n"
	"<w:font w:name=\"" FONT_HEAD "\"><w:altName w:val=\"SimHei\"/><w:charset w:val=\"86\"/>"
	"<w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>\n"
	"<w:font w:name=\"" FONT_TABLE "\"><w:altName w:val=\"SimSun\"/><w:charset w:val=\"86\"/>"
	"<w:family w:val=\"auto\"/><w:pitch w:val=\"variable\"/></w:font>\n"
	"</w:fonts>\n";

static const char footer_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
	"<w:p><w:pPr><w:pStyle w:val=\"PageNumber\"/></w:pPr>"
	"<w:r><w:t xml:space=\"preserve\">— </w:t></w:r>"
	"<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
	"<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
	"<w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>\n";

static const char header_draft_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:hdr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
	"<w:p><w:pPr><w:pStyle w:val=\"DraftMark\"/><w:spacing w:line=\"240\" w:lineRule=\"auto\"/></w:pPr>"
	"<w:r><w:t>【草稿】</w:t></w:r></w:p></w:hdr>\n";

static const char settings_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
	"<w:defaultTabStop w:val=\"640\"/><w:characterSpacingControl w:val=\"compressPunctuation\"/>"
	"<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" "
	"w:val=\"15\"/></w:compat></w:settings>\n";

static const char content_types_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"<Override PartName=\"/word/document.xml\" "
	"ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
	"<Override PartName=\"/word/styles.xml\" "
	"ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
	"<Override PartName=\"/word/settings.xml\" "
	"ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>"
	"<Override PartName=\"/word/fontTable.xml\" "
	"ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>"
	"<Override PartName=\"/word/footer1.xml\" "
	"ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>"
	"<Override PartName=\"/docProps/core.xml\" "
	"ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
	"</Types>\n";
static const char content_types_header_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Override PartName=\"/word/header1.xml\" "
	"ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>";

static const char package_rels_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" "
	"Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
	"Target=\"word/document.xml\"/>"
	"<Relationship Id=\"rId2\" "
	"Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" "
	"Target=\"docProps/core.xml\"/></Relationships>\n";

static char *
document_rels_xml(bool header, size_t *len)
{
	struct strbuf out = {0};
	strbuf_puts(&out, xml_decl);
	strbuf_puts(&out,
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rIdStyles\" "
		"Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
		"<Relationship Id=\"rIdSettings\" "
		"Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>"
		"<Relationship Id=\"rIdFonts\" "
		"Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" Target=\"fontTable.xml\"/>"
		"<Relationship Id=\"rIdFooter\" "
		"Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>");
	if (header)
		strbuf_puts(&out, "<Relationship Id=\"rIdHeader\" "
			"Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/>");
	strbuf_puts(&out, "</Relationships>\n");
	return strbuf_take(&out, len);
}

static char *
core_xml(const struct draft *d, size_t *len)
{
	struct strbuf out = {0};
	strbuf_puts(&out, xml_decl);
	strbuf_puts(&out,
		"<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
		"xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>");
	char *title = report_title(d);
	report_escape(&out, d->organization, strlen(d->organization), " ", " ");
	report_escape(&out, title, strlen(title), " ", " ");
	free(title);
	strbuf_puts(&out, "</dc:title><dc:creator>");
	report_escape(&out, d->organization, strlen(d->organization), " ", " ");
	strbuf_puts(&out, "</dc:creator><dc:language>zh-CN</dc:language></cp:coreProperties>\n");
	return strbuf_take(&out, len);
}

/* ---- the zip ---- */

struct part {
	const char *name;
	char *data;
	size_t len;
	bool owned;
};

static bool
zip_failed(struct diag_list *diags, const char *what, zip_error_t *err)
{
	diag_add(diags, DIAG_ERROR, (struct srcpos){0}, _("cannot make the Word document (%s): %s"), what,
	         dynlib_zip.zip_error_strerror(err));
	return false;
}

/* Every entry carries the same time, so that one draft always makes the same bytes. */
#define ZIP_FIXED_MTIME ((time_t)1577836800)   /* 2020-01-01 */

static bool
zip_parts(struct part *parts, int count, char **out, size_t *out_len, struct diag_list *diags)
{
	zip_error_t err;
	dynlib_zip.zip_error_init(&err);
	zip_source_t *src = dynlib_zip.zip_source_buffer_create(NULL, 0, 0, &err);
	if (!src)
		return zip_failed(diags, "buffer", &err);
	zip_t *za = dynlib_zip.zip_open_from_source(src, ZIP_TRUNCATE, &err);
	if (!za) {
		dynlib_zip.zip_source_free(src);
		return zip_failed(diags, "open", &err);
	}
	dynlib_zip.zip_source_keep(src);
	for (int i = 0; i < count; i++) {
		zip_source_t *s = dynlib_zip.zip_source_buffer(za, parts[i].data, parts[i].len, 0);
		zip_int64_t idx = s ? dynlib_zip.zip_file_add(za, parts[i].name, s, ZIP_FL_ENC_UTF_8) : -1;
		if (idx < 0) {
			dynlib_zip.zip_source_free(s);
			bool r = zip_failed(diags, parts[i].name, dynlib_zip.zip_get_error(za));
			dynlib_zip.zip_discard(za);
			dynlib_zip.zip_source_free(src);
			return r;
		}
		dynlib_zip.zip_file_set_mtime(za, (zip_uint64_t)idx, ZIP_FIXED_MTIME, 0);
	}
	if (dynlib_zip.zip_close(za) < 0) {
		bool r = zip_failed(diags, "close", dynlib_zip.zip_get_error(za));
		dynlib_zip.zip_discard(za);
		dynlib_zip.zip_source_free(src);
		return r;
	}
	zip_stat_t st;
	if (dynlib_zip.zip_source_stat(src, &st) < 0 || dynlib_zip.zip_source_open(src) < 0) {
		bool r = zip_failed(diags, "read", dynlib_zip.zip_source_error(src));
		dynlib_zip.zip_source_free(src);
		return r;
	}
	*out = xmalloc(st.size ? st.size : 1);
	zip_int64_t n = dynlib_zip.zip_source_read(src, *out, st.size);
	dynlib_zip.zip_source_close(src);
	if (n < 0 || (zip_uint64_t)n != st.size) {
		bool r = zip_failed(diags, "read", dynlib_zip.zip_source_error(src));
		free(*out);
		*out = NULL;
		dynlib_zip.zip_source_free(src);
		return r;
	}
	dynlib_zip.zip_source_free(src);
	*out_len = st.size;
	return true;
}

char *
render_docx(const struct draft *d, const struct render_options *opt, size_t *len, struct diag_list *diags)
{
	char *why = NULL;
	if (!dynlib_load_zip(&why)) {
		diag_add(diags, DIAG_ERROR, (struct srcpos){0}, _("cannot write Word files: %s"), why);
		free(why);
		return NULL;
	}
	struct part parts[10];
	int n = 0;
#define STATIC_PART(name_, text_) parts[n++] = (struct part){name_, (char *)(text_), sizeof(text_) - 1, false}
	/* with the draft mark's header, its type goes first */
	char *types = NULL;
	if (opt->draft_mark) {
		const char *rest = strstr(content_types_xml, "<Default");
		types = xasprintf("%s%s", content_types_header_xml, rest);
		parts[n++] = (struct part){"[Content_Types].xml", types, strlen(types), true};
	} else {
		STATIC_PART("[Content_Types].xml", content_types_xml);
	}
	STATIC_PART("_rels/.rels", package_rels_xml);
	parts[n].name = "word/document.xml";
	parts[n].data = document_xml(d, opt, &parts[n].len);
	parts[n++].owned = true;
	parts[n].name = "word/_rels/document.xml.rels";
	parts[n].data = document_rels_xml(opt->draft_mark, &parts[n].len);
	parts[n++].owned = true;
	parts[n].name = "word/styles.xml";
	parts[n].data = styles_xml(&parts[n].len);
	parts[n++].owned = true;
	STATIC_PART("word/settings.xml", settings_xml);
	STATIC_PART("word/fontTable.xml", font_table_xml);
	STATIC_PART("word/footer1.xml", footer_xml);
	if (opt->draft_mark)
		STATIC_PART("word/header1.xml", header_draft_xml);
	parts[n].name = "docProps/core.xml";
	parts[n].data = core_xml(d, &parts[n].len);
	parts[n++].owned = true;
#undef STATIC_PART
	char *out = NULL;
	bool ok = zip_parts(parts, n, &out, len, diags);
	for (int i = 0; i < n; i++)
		if (parts[i].owned)
			free(parts[i].data);
	return ok ? out : NULL;
}
