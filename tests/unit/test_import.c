#include <config.h>

#include <iconv.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nianbao/atomicio.h"
#include "nianbao/check.h"
#include "nianbao/import.h"
#include "nianbao/render.h"
#include "nianbao/ynode.h"

#include "loads_back.h"

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

static char *
slurp(const char *rel, size_t *len)
{
	const char *top = getenv("top_srcdir");
	char *path = xasprintf("%s/%s", top ? top : ".", rel);
	struct diag_list diags = {0};
	char *text = read_file(path, 1 << 24, len, &diags);
	if (!text)
		diag_print(&diags, stderr);
	assert_non_null(text);
	diag_free(&diags);
	free(path);
	return text;
}

/* Replaces the first occurrence of from (which must be there). */
static char *
replace(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	if (!at)
		fail_msg("test text lacks: %s", from);
	return xasprintf("%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
}

static struct draft *
import_text(const char *text, struct import_summary *sum)
{
	struct diag_list diags = {0};
	struct draft *d = import_report("report.txt", text, strlen(text), cache, sum, &diags);
	if (!d)
		diag_print(&diags, stderr);
	assert_non_null(d);
	diag_free(&diags);
	return d;
}

static struct value
cell(const struct draft *d, const char *id)
{
	int c = template_find_cell(d->tpl, id);
	if (c < 0)
		fail_msg("no cell %s", id);
	return d->cells[c];
}

#define assert_cell(d, id, units) assert_int_equal(cell(d, id).scaled, (int64_t)(units) * VALUE_SCALE); \
	assert_true(cell(d, id).set)
#define assert_blank(d, id) assert_false(cell(d, id).set)

static bool
has_note(const struct import_summary *sum, const char *needle)
{
	for (int i = 0; i < sum->note_count; i++)
		if (strstr(sum->notes[i], needle))
			return true;
	return false;
}

static void
test_reference_reports(void **state)
{
	(void)state;
	size_t len;
	struct import_summary sum;

	/* one cell a line, tab-indented */
	char *text = slurp("tests/data/reports/2021-jining-jkq-zzb.txt", &len);
	struct draft *d = import_text(text, &sum);
	assert_string_equal(sum.template_id, "gov-info-2021");
	assert_string_equal(d->organization, "济宁经济技术开发区党工委组织部");
	assert_int_equal(d->year, 2021);
	assert_cell(d, "proactive.art20_1.normative.issued", 24);
	assert_cell(d, "proactive.art20_1.normative.in_force", 24);
	assert_cell(d, "proactive.art20_6.penalty.decisions", 1);
	assert_cell(d, "requests.new.natural", 0);
	assert_cell(d, "appeals.litigation_after_review.pending", 0);
	assert_int_equal(sum.blank_count, 0);
	assert_int_equal(sum.cells_read, 166);
	const char *overview = d->texts[template_find_text(d->tpl, "overview")];
	assert_non_null(strstr(overview, "（二）依申请公开情况\n2021年度无依申请公开事项。"));
	assert_null(strstr(d->texts[template_find_text(d->tpl, "other_matters")], "\t"));
	import_summary_free(&sum);
	draft_free(d);
	free(text);

	/* one row a line, tab-separated, group labels at odd places */
	text = slurp("tests/data/reports/2021-haiyang-bicheng.txt", &len);
	d = import_text(text, &sum);
	assert_string_equal(sum.template_id, "gov-info-2021");
	assert_string_equal(d->organization, "海阳市碧城工业区管理服务中心");
	assert_int_equal(d->year, 2021);
	assert_cell(d, "requests.new.natural", 0);
	assert_cell(d, "requests.denied_internal.other", 0);
	assert_cell(d, "appeals.review.upheld", 0);
	assert_int_equal(sum.blank_count, 0);
	assert_non_null(strstr(d->texts[template_find_text(d->tpl, "overview")], "共收到政府信息公开申请 0 件"));
	import_summary_free(&sum);
	draft_free(d);
	free(text);

	/* a bookmark in the preface; labels broken over lines ("商业" / "企业") */
	text = slurp("tests/data/reports/2021-shanhaiguan-fgj.txt", &len);
	d = import_text(text, &sum);
	assert_string_equal(d->organization, "山海关区发展和改革局");
	assert_int_equal(sum.blank_count, 0);
	const char *preface = d->texts[d->tpl->preface];
	assert_non_null(preface);
	assert_int_equal(strncmp(preface, "根据《中华人民共和国政府信息公开条例》", strlen("根据《中华人民共和国政府信息公开条例》")), 0);
	import_summary_free(&sum);
	draft_free(d);
	free(text);
}

/* Compares every cell of d with an expected-cells file (tests/data/expected/*.cells.yaml:
 * ids as nested keys; `null` blank, `na` a cell the printed table lacks, which must be
 * blank too: an import never invents a value). Counts right and wrong cells. */
static void
compare_node(const struct draft *d, const struct ynode *node, const char *prefix, int *right, int *wrong)
{
	if (node->kind == YNODE_MAPPING) {
		for (size_t i = 0; i + 1 < node->count; i += 2) {
			char *id = *prefix ? xasprintf("%s.%s", prefix, node->items[i]->scalar) : xstrdup(node->items[i]->scalar);
			compare_node(d, node->items[i + 1], id, right, wrong);
			free(id);
		}
		return;
	}
	assert_int_equal(node->kind, YNODE_SCALAR);
	int c = template_find_cell(d->tpl, prefix);
	if (c < 0)
		fail_msg("expected cell %s is not in %s", prefix, d->tpl->id);
	struct value got = d->cells[c], want = value_blank();
	if (!ynode_is_null(node) && strcmp(node->scalar, "na"))
		assert_int_equal(value_parse(node->scalar, strlen(node->scalar), VALUE_MONEY, &want), VALUE_OK);
	if (got.set == want.set && (!got.set || got.scaled == want.scaled)) {
		(*right)++;
	} else {
		(*wrong)++;
		char a[VALUE_FORMAT_MAX], b[VALUE_FORMAT_MAX];
		value_format(got, a, sizeof a);
		value_format(want, b, sizeof b);
		print_message("%s: imported \"%s\", expected \"%s\"\n", prefix, a, b);
	}
}

static void
assert_expected_cells(const char *report, const char *expected, const char *template_id, const char *org, int year)
{
	size_t len;
	struct import_summary sum;
	char *text = slurp(report, &len);
	struct draft *d = import_text(text, &sum);
	assert_string_equal(sum.template_id, template_id);
	assert_string_equal(d->organization, org);
	assert_int_equal(d->year, year);
	const char *top = getenv("top_srcdir");
	char *path = xasprintf("%s/%s", top ? top : ".", expected);
	struct diag_list diags = {0};
	struct ynode *root = ynode_load_file(path, &diags);
	if (!root)
		diag_print(&diags, stderr);
	assert_non_null(root);
	int right = 0, wrong = 0;
	compare_node(d, root, "", &right, &wrong);
	assert_int_equal(wrong, 0);
	assert_true(right > 100);
	ynode_free(root);
	diag_free(&diags);
	free(path);
	import_summary_free(&sum);
	draft_free(d);
	free(text);
}

/* The three reports that once came back wrong: a browser's copy with amounts in 元, a
 * `pdftotext -layout` text, and an OCR conversion to Markdown. */
static void
test_expected_cells(void **state)
{
	(void)state;
	assert_expected_cells("tests/data/reports/2019-shanghai-bgt.txt", "tests/data/expected/2019-shanghai-bgt.cells.yaml",
	                      "gov-info-2019", "上海市人民政府办公厅", 2019);
	assert_expected_cells("tests/data/reports/2024-hongze-qzf-layout.txt",
	                      "tests/data/expected/2024-hongze-qzf.cells.yaml", "gov-info-2021", "淮安市洪泽区人民政府", 2024);
	assert_expected_cells("tests/data/reports/2025-shuyang-xzf-ocr.txt",
	                      "tests/data/expected/2025-shuyang-xzf.cells.yaml", "gov-info-2021", "沐阳县人民政府", 2025);
}

/* A number never crosses a separator; what cannot be read exactly is blank with a note
 * that names the cell and quotes the text; amounts in 元 or 亿元 are converted exactly. */
static void
test_units_and_separators(void **state)
{
	(void)state;
	size_t len;
	struct import_summary sum;
	char *text = slurp("tests/data/reports/2021-jining-jkq-zzb.txt", &len);
	char *a = replace(text, "一、本年新收政府信息公开申请数量\n\t0\n\t0\n\t0\n",
	                  "一、本年新收政府信息公开申请数量\n\t1,234\n\t0（件）\n\t12,34\n");
	char *b = replace(a, "\t行政事业性收费\n\t0", "\t行政事业性收费\n\t75394432.52元");
	struct draft *d = import_text(b, &sum);
	assert_cell(d, "requests.new.natural", 1234);
	assert_true(has_note(&sum, "requests.new.natural: \"1,234\""));
	assert_cell(d, "requests.new.business", 0);
	assert_blank(d, "requests.new.research");
	assert_true(has_note(&sum, "requests.new.research: \"12,34\""));
	assert_cell(d, "requests.new.nonprofit", 0);    /* the rest of the row is still read */
	assert_int_equal(cell(d, "proactive.art20_8.fees.amount").scaled, 7539443252LL);
	assert_true(has_note(&sum, "75394432.52元"));
	import_summary_free(&sum);
	draft_free(d);
	free(a);
	free(b);

	/* below the fen, 亿元, and money in a count cell */
	a = replace(text, "\t行政事业性收费\n\t0", "\t行政事业性收费\n\t1.234元");
	d = import_text(a, &sum);
	assert_blank(d, "proactive.art20_8.fees.amount");
	assert_true(has_note(&sum, "proactive.art20_8.fees.amount: \"1.234元\""));
	import_summary_free(&sum);
	draft_free(d);
	free(a);
	a = replace(text, "\t行政事业性收费\n\t0", "\t行政事业性收费\n\t2.51亿元");
	d = import_text(a, &sum);
	assert_cell(d, "proactive.art20_8.fees.amount", 25100);
	import_summary_free(&sum);
	draft_free(d);
	free(a);
	a = replace(text, "\t行政处罚\n\t1", "\t行政处罚\n\t5元");
	d = import_text(a, &sum);
	assert_blank(d, "proactive.art20_6.penalty.decisions");
	assert_true(has_note(&sum, "proactive.art20_6.penalty.decisions: \"5元\""));
	import_summary_free(&sum);
	draft_free(d);
	free(a);
	free(text);

	/* space-aligned: a row with a value missing cannot be placed, so it is blank */
	text = slurp("tests/data/reports/2024-hongze-qzf-layout.txt", &len);
	a = replace(text, "50    0         0     0   0   0     50", "50    0         0         0   0     50");
	d = import_text(a, &sum);
	assert_blank(d, "requests.granted.natural");
	assert_blank(d, "requests.granted.other");
	assert_true(has_note(&sum, "requests.granted: "));
	assert_cell(d, "requests.partial.natural", 9);
	import_summary_free(&sum);
	draft_free(d);
	free(a);
	/* a wrong printed total is reported, also when a 0 follows it */
	a = replace(text, "1    1      0   0    2   1    0   0   0    1   2   0     1   0   3",
	            "1    1      0   0    2   1    0   0   0    7   0   0     1   0   1");
	d = import_text(a, &sum);
	assert_true(has_note(&sum, "appeals.litigation_direct.total: printed 7, but its parts add up to 1"));
	assert_cell(d, "appeals.litigation_after_review.upheld", 0);
	assert_cell(d, "appeals.litigation_after_review.other", 1);
	import_summary_free(&sum);
	draft_free(d);
	free(a);
	/* a header stating 元 converts a bare amount */
	a = replace(text, "本年收费金额（单位：万元）", "本年收费金额（单位：元）");
	char *c = replace(a, "7545\n", "75394432.52\n");
	d = import_text(c, &sum);
	assert_int_equal(cell(d, "proactive.art20_8.fees.amount").scaled, 7539443252LL);
	import_summary_free(&sum);
	draft_free(d);
	free(a);
	free(c);
	free(text);
}

/* pdftotext -layout of our Word output printed to PDF by LibreOffice: the group labels
 * printed down the page land in front of the row labels ("三 （一）予以公开", "无法提 2.没有
 * 现成…"), and labels wrap with the values beside their second line. */
static void
test_pdf_layout(void **state)
{
	(void)state;
	size_t len;
	struct import_summary sum;
	char *text = slurp("tests/data/reports/demo-2021-pdf-layout.txt", &len);
	struct draft *d = import_text(text, &sum);
	/* "三 （一）予以公开  8 2 1 0 2 0 13" */
	assert_cell(d, "requests.granted.natural", 8);
	assert_cell(d, "requests.granted.legal", 2);
	/* "、 （二）部分公开（区分处理的，只计这一" / "本 情形，不计其他情形）  3 1 0 0 0 0 4" */
	assert_cell(d, "requests.partial.natural", 3);
	assert_cell(d, "requests.partial.business", 1);
	/* "无法提 2.没有现成信息需要另行制作  0 0 0 0 1 0 1" */
	assert_cell(d, "requests.unavailable_needs_making.legal", 1);
	assert_cell(d, "requests.unavailable_needs_making.natural", 0);
	/* "1.申请人无正当理由逾期不补正、" / "行政机关不再处理其政府信息公开  1 0 0 0 0 0 1" */
	assert_cell(d, "requests.other_no_correction.natural", 1);
	/* "其他处 2.申请人逾期未按收费通知要求缴" / "理 纳费用、行政机关不再处理其政府  0 0 …" */
	assert_cell(d, "requests.other_no_fee.natural", 0);
	/* values printed on the line above their label ("3 1 0 0 0 0 4" / "（四） 1.本机关不掌握
	 * …"), also after a stray ("结  0 0 …" / "理 4.无正当理由大量反复申请") */
	assert_cell(d, "requests.unavailable_not_held.natural", 3);
	assert_cell(d, "requests.unavailable_not_held.business", 1);
	assert_cell(d, "requests.unavailable_not_held.legal", 0);
	assert_cell(d, "requests.unhandled_excessive.natural", 0);
	assert_cell(d, "requests.unhandled_repeat.natural", 1);
	assert_cell(d, "requests.unavailable_unclear.natural", 0);
	assert_cell(d, "requests.carried_out.legal", 1);
	import_summary_free(&sum);
	draft_free(d);
	/* values above a label after a word that could label them itself: blank, never taken */
	char *a = replace(text, "                         3    1    0     0     0   0    4\n",
	                  "小计                       3    1    0     0     0   0    4\n");
	d = import_text(a, &sum);
	assert_blank(d, "requests.unavailable_not_held.natural");
	assert_cell(d, "requests.unavailable_needs_making.legal", 1);
	import_summary_free(&sum);
	draft_free(d);
	free(a);
	/* nor when the row before did not take its own values */
	a = replace(text, "     8.属于行政查询事项          0    0    0     0     0   0    0\n", "");
	d = import_text(a, &sum);
	assert_blank(d, "requests.unavailable_not_held.natural");
	import_summary_free(&sum);
	draft_free(d);
	free(a);
	/* a number wrapped in its cell ("1015" over "7"): the row is blank, never 1015 */
	a = replace(text, "三 （一）予以公开                8    2     1     0     2   0    13\n",
	            "三 （一）予以公开                8    2     1     0     2   0    1015\n"
	            "                                                  7\n");
	d = import_text(a, &sum);
	assert_blank(d, "requests.granted.natural");
	assert_true(has_note(&sum, "a number wrapped in its cell?"));
	assert_cell(d, "requests.new.natural", 18);
	import_summary_free(&sum);
	draft_free(d);
	free(a);
	/* its first part on the label's line, the other values on the next: out of order */
	a = replace(text, "三 （一）予以公开                8    2     1     0     2   0    13\n",
	            "三 （一）予以公开                                               1015\n"
	            "                          8    2     1     0     2   0\n"
	            "                                                            7\n");
	d = import_text(a, &sum);
	assert_blank(d, "requests.granted.natural");
	assert_blank(d, "requests.granted.other");
	import_summary_free(&sum);
	draft_free(d);
	free(a);
	free(text);
	/* the flat table of appeals with a cell wrapped ("1" over "2") and one empty: 15 values
	 * as the table has 15 cells, but not in their places: blank, not shifted */
	text = slurp("tests/data/reports/demo-2021-pdf-layout.txt", &len);
	a = replace(text, "1   0    0     0   1   1   0    0    0   1   0   0   0   0   0\n",
	            "                                                             1\n"
	            "1   0    0     0   1   1   0    0    0   1   0   0   0\n"
	            "                                                             2\n");
	d = import_text(a, &sum);
	assert_blank(d, "appeals.review.upheld");
	assert_blank(d, "appeals.litigation_after_review.pending");
	assert_true(has_note(&sum, "space-aligned values on several lines, some with fewer than a row's"));
	import_summary_free(&sum);
	draft_free(d);
	free(a);
	free(text);
	/* "果   0 0 …": a stray starting the line of the values under a wrapped label */
	text = slurp("tests/data/reports/2021-haiyang-bicheng-pdf-layout.txt", &len);
	d = import_text(text, &sum);
	assert_cell(d, "requests.unhandled_confirmation.natural", 0);
	assert_cell(d, "requests.unhandled_repeat.natural", 0);
	assert_cell(d, "requests.unavailable_not_held.natural", 0);
	assert_int_equal(sum.blank_count, 0);
	import_summary_free(&sum);
	draft_free(d);
	free(text);
}

/* Section headings as reports print them, and a title that starts with the year. */
static void
test_heading_variants(void **state)
{
	(void)state;
	size_t len;
	struct import_summary sum;
	char *text = slurp("tests/data/reports/2021-jining-jkq-zzb.txt", &len);
	static const char *const from[] = {"一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
	                                   "四、政府信息公开行政复议", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"};
	static const char *const variants[][6] = {
		{"一．总体情况", "二.主动公开政府信息情况", "三 收到和处理政府信息公开申请情况", "四、政府信息公开行政复议",
		 "第五部分 存在的主要问题及改进情况", "六、需要报告的其他事项"},
		{"# 一、总体情况", "## 二、主动公开政府信息情况", "**三、收到和处理政府信息公开申请情况**",
		 "### 四、政府信息公开行政复议", "## 五、存在的主要问题及改进情况", "六、其他事项"},
		{"（一）总体情况", "（二）主动公开政府信息情况", "（三）收到和处理政府信息公开申请情况", "（四）政府信息公开行政复议",
		 "（五）存在的主要问题及改进情况", "（六）其他需要报告的事项"},
	};
	for (size_t v = 0; v < sizeof variants / sizeof *variants; v++) {
		char *t = xstrdup(text);
		for (int s = 0; s < 6; s++) {
			char *n = replace(t, from[s], variants[v][s]);
			free(t);
			t = n;
		}
		struct draft *d = import_text(t, &sum);
		assert_int_equal(sum.blank_count, 0);
		const char *other = d->texts[template_find_text(d->tpl, "other_matters")];
		assert_non_null(other);
		assert_string_equal(other, "无");        /* 六 found, not merged into 五 */
		import_summary_free(&sum);
		draft_free(d);
		free(t);
	}
	/* titles: year first, 关于《…》, Chinese digits, a breadcrumb, three lines */
	static const struct {
		const char *title, *org;
		int year;
	} titles[] = {
		{"2019年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅", 2019},
		{"关于《某某县教育局二〇二一年政府信息公开工作年度报告》", "某某县教育局", 2021},
		{"首页 > 政务公开 > 年度报告\n某某市某某局\n2021年政府信息公开工作年度报告", "某某市某某局", 2021},
		{"中共某某县委\n组织部\n2021年政府信息公开工作年度报告", "中共某某县委组织部", 2021},
	};
	const char *title_end = strstr(text, "本报告由");
	assert_non_null(title_end);
	for (size_t i = 0; i < sizeof titles / sizeof *titles; i++) {
		char *t = xasprintf("%s\n\n%s", titles[i].title, title_end);
		struct draft *d = import_text(t, &sum);
		assert_string_equal(d->organization, titles[i].org);
		assert_int_equal(d->year, titles[i].year);
		import_summary_free(&sum);
		draft_free(d);
		free(t);
	}
	free(text);
}

/* Tables that were images: the text is kept, the template comes from the year, the
 * cells are blank with a note. */
static void
test_tables_as_images(void **state)
{
	(void)state;
	struct import_summary sum;
	const char *text = "某某县某某局\n2022年政府信息公开工作年度报告\n一、总体情况\n本年度公开了信息。\n"
	                   "二、主动公开政府信息情况\n[image: 表一]\n三、收到和处理政府信息公开申请情况\n[image: 表二]\n"
	                   "四、政府信息公开行政复议、行政诉讼情况\n[image: 表三]\n五、存在的主要问题及改进情况\n"
	                   "问题不少。\n六、其他需要报告的事项\n无。\n";
	struct draft *d = import_text(text, &sum);
	assert_string_equal(sum.template_id, "gov-info-2021");
	assert_string_equal(d->organization, "某某县某某局");
	assert_int_equal(sum.cells_read, 0);
	assert_true(has_note(&sum, "the tables are not in the text"));
	assert_string_equal(d->texts[template_find_text(d->tpl, "overview")], "本年度公开了信息。");
	assert_string_equal(d->texts[template_find_text(d->tpl, "problems")], "问题不少。");
	import_summary_free(&sum);
	draft_free(d);
	/* 2019 and before: the older form */
	char *old = replace(text, "2022年", "2019年");
	d = import_text(old, &sum);
	assert_string_equal(sum.template_id, "gov-info-2019");
	import_summary_free(&sum);
	draft_free(d);
	free(old);
}

/* A PDF's text: hard-wrapped paragraphs joined, real breaks kept, page numbers, running
 * headers, image markers and OCR junk dropped and listed. */
static void
test_narrative_debris(void **state)
{
	(void)state;
	struct import_summary sum;
	const char *text =
		"某某市人民政府办公室\n2021年政府信息公开工作年度报告\n"
		"  一、总体情况\n"
		"  2021 年，我市坚持以公开为常态、不公开为例外，全面推进\n"
		"政务公开工作，取得了明显成效。\n"
		"  （一）主动公开情况。全年主动公开政府信息 2428 条，公开政\n"
		"                                 -1-\n"
		"\f某某市政府信息公开年报\n"
		"府常务会议 7 期。\n"
		"[image: 图表]\n"
		"Il1 ::\n"
		"  （二）依申请公开情况。全年受理申请 17 件。\n"
		"某某市政府信息公开年报\n"
		"二、主动公开政府信息情况\n某某市政府信息公开年报\n"
		"三、收到和处理政府信息公开申请情况\n"
		"四、政府信息公开行政复议、行政诉讼情况\n"
		"  五、存在的主要问题及改进情况\n  问题是解读不够丰富。\n"
		"  六、其他需要报告的事项\n  无。\n                          — 5 —\n";
	struct draft *d = import_text(text, &sum);
	assert_string_equal(d->texts[template_find_text(d->tpl, "overview")],
	                    "2021 年，我市坚持以公开为常态、不公开为例外，全面推进政务公开工作，取得了明显成效。\n"
	                    "（一）主动公开情况。全年主动公开政府信息 2428 条，公开政府常务会议 7 期。\n"
	                    "（二）依申请公开情况。全年受理申请 17 件。");
	assert_string_equal(d->texts[template_find_text(d->tpl, "other_matters")], "无。");
	assert_true(has_note(&sum, "2 page numbers"));
	assert_true(has_note(&sum, "a running header or footer, 3 times (\"某某市政府信息公开年报\")"));
	assert_true(has_note(&sum, "1 image markers"));
	assert_true(has_note(&sum, "1 lines of text recognised in images (such as \"Il1：：\")"));
	import_summary_free(&sum);
	draft_free(d);
	/* a title without an organization is said */
	d = import_text("2021年政府信息公开工作年度报告\n一、总体情况\n好。\n二、主动公开政府信息情况\n"
	                "三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n"
	                "五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n", &sum);
	assert_string_equal(d->organization, "");
	assert_true(has_note(&sum, "the title names no organization"));
	import_summary_free(&sum);
	draft_free(d);
}

static void
test_values_and_dashes(void **state)
{
	(void)state;
	size_t len;
	char *text = slurp("tests/data/reports/2021-jining-jkq-zzb.txt", &len);
	/* the first cells of 行政规范性文件 are 24, 0, 24; of 行政处罚 1 */
	char *a = replace(text, "\t行政规范性文件\n\t24\n\t0\n\t24", "\t行政规范性文件\n\t２４\n\t—\n\t");
	char *b = replace(a, "\t行政处罚\n\t1", "\t行政处罚\n\t+2");
	char *c = replace(b, "\t行政事业性收费\n\t0", "\t行政事业性收费\n\t19.7 万");
	struct import_summary sum;
	struct draft *d = import_text(c, &sum);
	assert_cell(d, "proactive.art20_1.normative.issued", 24);       /* fullwidth digits */
	assert_blank(d, "proactive.art20_1.normative.repealed");          /* a dash is not 0 */
	assert_blank(d, "proactive.art20_1.normative.in_force");          /* an empty cell is not 0 */
	assert_cell(d, "proactive.art20_6.penalty.decisions", 2);         /* +2 */
	assert_int_equal(cell(d, "proactive.art20_8.fees.amount").scaled, 19700000);   /* 19.7 万 */
	assert_int_equal(sum.blank_count, 2);
	assert_string_equal(sum.blank[0], "proactive.art20_1.normative.repealed");
	import_summary_free(&sum);
	draft_free(d);

	/* -1 in a count is kept, so that check reports it */
	char *e = replace(text, "\t行政处罚\n\t1", "\t行政处罚\n\t-1");
	d = import_text(e, &sum);
	assert_int_equal(cell(d, "proactive.art20_6.penalty.decisions").scaled, -VALUE_SCALE);
	struct check_report report = {0};
	checks_run(d, NULL, &report);
	bool range = false;
	for (size_t i = 0; i < report.count; i++)
		range |= !strcmp(report.items[i].check->id, "range");
	assert_true(range);
	check_report_free(&report);
	import_summary_free(&sum);
	draft_free(d);
	free(a);
	free(b);
	free(c);
	free(e);
	free(text);
}

static void
test_mutilated(void **state)
{
	(void)state;
	size_t len;
	char *text = slurp("tests/data/reports/2021-haiyang-bicheng.txt", &len);
	struct import_summary sum;

	/* a row line lost: its cells are blank, the rows around it are still right */
	char *a = replace(text, "\t2. 重复申请\t0\t0\t0\t0\t0\t0\t0\t0\n", "");
	struct draft *d = import_text(a, &sum);
	assert_blank(d, "requests.unhandled_repeat.natural");
	assert_blank(d, "requests.unhandled_repeat.other");
	assert_cell(d, "requests.unhandled_publication.natural", 0);
	assert_int_equal(sum.blank_count, 6);
	import_summary_free(&sum);
	draft_free(d);

	/* labels spaced out and with halfwidth parentheses; a label broken over two cells */
	char *b = replace(text, "规章\t0\t0\t0", "规 章\t3\t0\t0");
	char *c = replace(b, "(二) 部分公开", "( 二 ) 部 分 公 开");
	char *e = replace(c, "二、\t上年结转政府信息公开申请数量\t0", "二、上年结转\t政府信息公开申请数量\t5");
	d = import_text(e, &sum);
	assert_cell(d, "proactive.art20_1.rules.issued", 3);
	assert_cell(d, "requests.partial.natural", 0);
	assert_cell(d, "requests.carried_in.natural", 5);
	/* the printed totals now disagree with the parts: said, not stored */
	assert_true(has_note(&sum, "printed 0, but its parts add up to 5"));
	import_summary_free(&sum);
	draft_free(d);

	/* page-break debris inside the tables and the narrative */
	char *f = replace(text, "行政处罚\t0", "行政处罚\t0\n- 3 -\n[image: page.png]\n第 3 页 共 9 页");
	char *g = replace(f, "五、存在的主要问题及改进情况\n", "五、存在的主要问题及改进情况\n[image: seal.png]\n12\n");
	d = import_text(g, &sum);
	assert_cell(d, "proactive.art20_6.coercion.decisions", 0);
	assert_int_equal(sum.blank_count, 0);
	const char *problems = d->texts[template_find_text(d->tpl, "problems")];
	assert_null(strstr(problems, "image"));
	assert_int_equal(strncmp(problems, "2021年", strlen("2021年")), 0);
	import_summary_free(&sum);
	draft_free(d);

	free(a);
	free(b);
	free(c);
	free(e);
	free(f);
	free(g);
	free(text);
}

/* A title whose year no draft may carry: the year stays blank, and the draft loads back. */
static void
test_title_year_out_of_range(void **state)
{
	(void)state;
	size_t len;
	char *text = slurp("tests/data/reports/2021-haiyang-bicheng.txt", &len);
	char *odd = replace(text, "2021 年政府信息公开工作年度报告", "2437 年政府信息公开工作年度报告");
	struct import_summary sum;
	struct draft *d = import_text(odd, &sum);
	assert_int_equal(d->year, 0);
	assert_true(has_note(&sum, "2437"));
	assert_string_equal(d->organization, "海阳市碧城工业区管理服务中心");
	assert_loads_back(d, cache);
	import_summary_free(&sum);
	draft_free(d);
	free(odd);
	free(text);
}

static void
test_not_a_report(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	struct import_summary sum;
	const char *text = "会议纪要\n一、会议情况\n今天开会。\n";
	assert_null(import_report("notes.txt", text, strlen(text), cache, &sum, &diags));
	assert_int_equal(diags.count, 1);
	assert_non_null(strstr(diags.items[0].message, "of the six section headings"));
	assert_string_equal(diags.items[0].pos.file, "notes.txt");
	diag_free(&diags);
	import_summary_free(&sum);
}

static void
test_gb18030(void **state)
{
	(void)state;
	size_t len;
	char *text = slurp("tests/data/reports/2021-jining-jkq-zzb.txt", &len);
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	assert_true(cd != (iconv_t)-1);
	size_t cap = len * 2, left = cap, in_left = len;
	char *gb = xmalloc(cap), *in = text, *out = gb;
	assert_true(iconv(cd, &in, &in_left, &out, &left) != (size_t)-1);
	iconv_close(cd);
	struct diag_list diags = {0};
	struct import_summary sum;
	struct draft *d = import_report("gb.txt", gb, cap - left, cache, &sum, &diags);
	assert_non_null(d);
	assert_true(sum.converted);
	assert_string_equal(d->organization, "济宁经济技术开发区党工委组织部");
	assert_cell(d, "proactive.art20_1.normative.issued", 24);
	import_summary_free(&sum);
	draft_free(d);
	diag_free(&diags);
	free(gb);
	free(text);
}

/* render, then import: the same draft back, at any width and border style */
static void
round_trip(const char *example, int year_override, const char *want_template, bool hard)
{
	const char *top = getenv("top_srcdir");
	char *path = xasprintf("%s/examples/%s", top ? top : ".", example);
	struct diag_list diags = {0};
	struct draft *d = draft_load(path, cache, &diags);
	assert_non_null(d);
	if (year_override)
		d->year = year_override;
	if (hard) {
		/* spaces that a line may break at, English words, and a blank 四 row and cell */
		struct buf_text {
			char *s;
		} t = {xstrdup("")};
		for (int i = 0; i < 40; i++) {
			char *n = xasprintf("%s全年共收到申请 %d 件，at the end of 第%d季度 we had 0 件 left; ", t.s, i, i % 4 + 1);
			free(t.s);
			t.s = n;
		}
		draft_set_text(d, template_find_text(d->tpl, "problems"), t.s);
		free(t.s);
		static const char *const cols[] = {"upheld", "corrected", "other", "pending"};
		for (int c = 0; c < 4; c++) {
			char *id = xasprintf("appeals.litigation_direct.%s", cols[c]);
			d->cells[template_find_cell(d->tpl, id)] = value_blank();
			free(id);
		}
		d->cells[template_find_cell(d->tpl, "appeals.review.upheld")] = value_blank();
		template_recompute_all(d->tpl, d->cells);
	}
	free(d->previous);
	d->previous = NULL;
	size_t want_len;
	char *want = draft_serialize(d, &want_len);
	for (int width = 60; width <= 200; width++)
		for (int b = 0; b < 2; b++) {
			struct render_options opt = {.width = width, .borders = b};
			size_t len;
			char *text = render_report(d, &opt, &len);
			struct import_summary sum;
			struct draft *back = import_text(text, &sum);
			assert_string_equal(back->tpl->id, want_template);
			size_t got_len;
			char *got = draft_serialize(back, &got_len);
			if (strcmp(want, got))
				fail_msg("%s at %d columns, borders %d: the draft read back differs:\n%s", example, width, b, got);
			if (!hard)
				assert_int_equal(sum.note_count, 0);
			free(got);
			import_summary_free(&sum);
			draft_free(back);
			free(text);
		}
	free(want);
	draft_free(d);
	free(path);
	diag_free(&diags);
}

static void
test_round_trip(void **state)
{
	(void)state;
	round_trip("demo-2021.yaml", 0, "gov-info-2021", false);
	round_trip("demo-2020.yaml", 0, "gov-info-2019", false);
	/* a 2021 report in the 2019 layout is imported as gov-info-2019, so check can say so */
	round_trip("demo-2020.yaml", 2021, "gov-info-2019", false);
	round_trip("demo-2021.yaml", 0, "gov-info-2021", true);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_reports),
		cmocka_unit_test(test_expected_cells),
		cmocka_unit_test(test_units_and_separators),
		cmocka_unit_test(test_heading_variants),
		cmocka_unit_test(test_pdf_layout),
		cmocka_unit_test(test_tables_as_images),
		cmocka_unit_test(test_narrative_debris),
		cmocka_unit_test(test_values_and_dashes),
		cmocka_unit_test(test_mutilated),
		cmocka_unit_test(test_title_year_out_of_range),
		cmocka_unit_test(test_not_a_report),
		cmocka_unit_test(test_gb18030),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
