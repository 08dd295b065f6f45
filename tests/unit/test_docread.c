#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <zip.h>

#include "nianbao/atomicio.h"
#include "nianbao/docread.h"

#include "docx_write.h"

static void
test_sniff(void **state)
{
	(void)state;
	assert_int_equal(doc_sniff("%PDF-1.7\n", 9), DOC_PDF);
	const char *html = "\xEF\xBB\xBF\n  <!DOCTYPE html><html><body></body></html>";
	assert_int_equal(doc_sniff(html, strlen(html)), DOC_HTML);
	assert_int_equal(doc_sniff("<TABLE><tr><td>1</td></tr></TABLE>", 34), DOC_HTML);
	const char *text = "某局\n2021年政府信息公开工作年度报告\n一、总体情况\n| a | b |\n";
	assert_int_equal(doc_sniff(text, strlen(text)), DOC_TEXT);
	assert_int_equal(doc_sniff("PK\x03\x04 other.xml", 15), DOC_TEXT);
	assert_int_equal(doc_sniff("", 0), DOC_TEXT);
}

/* rowspan and colspan keep every value in its column; empty cells are no-break spaces. */
static void
test_html_spans(void **state)
{
	(void)state;
	const char *html =
		"<html><head><title>x</title><style>p{}</style><script>var a='<td>';</script></head><body>\n"
		"<nav>首页 &gt; 政务公开</nav>\n"
		"<h1>某局2021年政府信息公开<br>工作年度报告</h1>\n"
		"<p>一、总体情况</p><p>  本年度  公开了\n信息。</p>\n"
		"<table><tbody>\n"
		"<tr><td rowspan=\"2\">三、本年度办理结果</td><td>（一）予以公开</td><td>1</td><td></td><td>3</td></tr>\n"
		"<tr><td>（二）部分公开</td><td colspan=\"2\">&nbsp;</td><td>6</td></tr>\n"
		"<tr><td colspan=2>四、结转</td><td>7</td><td>8<br/></td><td><p>9</p></td></tr>\n"
		"</tbody></table><p>二、</p></body></html>";
	struct diag_list diags = {0};
	char *text = doc_html_text("page.html", html, strlen(html), &diags);
	assert_non_null(text);
	assert_string_equal(text, "某局2021年政府信息公开\n工作年度报告\n一、总体情况\n本年度 公开了 信息。\n"
	                          "三、本年度办理结果\t（一）予以公开\t1\t\xC2\xA0\t3\n"
	                          "\xC2\xA0\t（二）部分公开\t\xC2\xA0\t\xC2\xA0\t6\n"
	                          "四、结转\t\xC2\xA0\t7\t8\t9\n"
	                          "二、\n");
	free(text);
	diag_free(&diags);
}

/* gridSpan and vMerge as Word writes them, paragraphs for the narrative. */
static void
test_docx_tables(void **state)
{
	(void)state;
	const char *body =
		"<w:p><w:r><w:t>某局</w:t></w:r></w:p>"
		"<w:p><w:r><w:t xml:space=\"preserve\">一、总体情况 </w:t></w:r><w:del><w:r><w:delText>删</w:delText></w:r></w:del>"
		"<w:ins><w:r><w:t>好</w:t></w:r></w:ins></w:p>"
		"<w:tbl><w:tr>"
		"<w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr><w:p><w:r><w:t>三、本年度办理结果</w:t></w:r></w:p></w:tc>"
		"<w:tc><w:p><w:r><w:t>（一）予以公开</w:t></w:r></w:p></w:tc>"
		"<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr>"
		"<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>"
		"<w:tc><w:p><w:r><w:t>（二）部分</w:t></w:r></w:p><w:p><w:r><w:t>公开</w:t></w:r></w:p></w:tc>"
		"<w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr><w:p><w:r><w:t>6</w:t></w:r></w:p></w:tc></w:tr>"
		"</w:tbl>"
		"<w:p><w:r><w:t>二、</w:t><w:tab/><w:t>完</w:t></w:r></w:p>";
	size_t len;
	char *docx = docx_write(body, &len);
	assert_int_equal(doc_sniff(docx, len), DOC_DOCX);
	struct diag_list diags = {0};
	char *text = doc_docx_text("a.docx", docx, len, &diags);
	if (!text)
		diag_print(&diags, stderr);
	assert_non_null(text);
	assert_string_equal(text, "某局\n一、总体情况 好\n"
	                          "三、本年度办理结果\t（一）予以公开\t1\t\xC2\xA0\n"
	                          "\xC2\xA0\t（二）部分 公开\t6\t\xC2\xA0\n"
	                          "二、 完\n");
	free(text);
	free(docx);
	/* not a zip, or a zip without a document */
	text = doc_docx_text("b.docx", "PK\x03\x04garbage", 11, &diags);
	assert_null(text);
	assert_true(diags.count > 0);
	diag_free(&diags);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_html_spans),
		cmocka_unit_test(test_docx_tables),
	};
	return cmocka_run_group_tests_name("docread", tests, NULL, NULL);
}
