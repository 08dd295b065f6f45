#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "shipped.h"

#include "nianbao/draft.h"
#include "nianbao/render.h"
#include "nianbao/report.h"

static int
table_index(const struct template *tpl, const char *path)
{
	for (int i = 0; i < tpl->table_count; i++)
		if (!strcmp(tpl->tables[i].path, path))
			return i;
	fail_msg("no table %s", path);
	return -1;
}

static const struct report_cell *
find_cell(const struct report_grid *g, const char *text)
{
	for (int i = 0; i < g->count; i++)
		if (!strcmp(g->cells[i].text, text))
			return &g->cells[i];
	fail_msg("no cell %s", text);
	return NULL;
}

/* Table 三 as printed: every slot covered exactly once, the spans of the official form. */
static void
test_requests_grid(void **state)
{
	(void)state;
	struct template *tpl = load_shipped("gov-info-2021");
	struct draft *d = draft_new(tpl);
	struct report_grid g = {0};
	report_grid_table(&g, d, &tpl->tables[table_index(tpl, "requests")]);
	assert_int_equal(g.ncols, 3 + 7);
	assert_int_equal(g.caption_rows, 0);
	assert_int_equal(g.head_rows, 3);
	assert_int_equal(g.nrows, 3 + 25);
	int *owner = report_grid_owners(&g);
	int covered = 0;
	for (int i = 0; i < g.count; i++)
		covered += g.cells[i].rows * g.cells[i].cols;
	assert_int_equal(covered, g.nrows * g.ncols);   /* no overlap ... */
	for (int i = 0; i < g.nrows * g.ncols; i++)
		assert_true(owner[i] >= 0);                 /* ... and no hole */
	free(owner);
	const struct report_cell *c = find_cell(&g, "申请人情况");
	assert_int_equal(c->cols, 7);
	c = find_cell(&g, "法人或其他组织");
	assert_int_equal(c->cols, 5);
	assert_int_equal(c->row, 1);
	c = find_cell(&g, "三、本年度办理结果");
	assert_true(c->vertical);
	assert_int_equal(c->rows, 22);
	assert_int_equal(c->row, 3 + 2);
	c = find_cell(&g, "（三）不予公开");
	assert_int_equal(c->rows, 8);
	assert_int_equal(c->col, 1);
	c = find_cell(&g, "一、本年新收政府信息公开申请数量");
	assert_int_equal(c->cols, 3);
	/* blank cells are empty numbers */
	int numbers = 0;
	for (int i = 0; i < g.count; i++)
		if (g.cells[i].number) {
			numbers++;
			assert_string_equal(g.cells[i].text, "");
		}
	assert_int_equal(numbers, 25 * 7);
	struct report_layout l = {0};
	assert_int_equal(report_layout_page(&g, &l), REPORT_TYPE_5);
	assert_true(l.x[g.ncols] <= REPORT_PAGE_COLUMNS_5);
	for (int k = 3; k < g.ncols; k++)
		assert_true(l.width[k] >= 5);    /* two and a half characters a number column on paper */
	report_layout_free(&l);
	report_grid_free(&g);
	draft_free(d);
	template_free(tpl);
}

/* Table 四 as printed: one data row under a two-level header. */
static void
test_appeals_flat(void **state)
{
	(void)state;
	struct template *tpl = load_shipped("gov-info-2021");
	struct draft *d = draft_new(tpl);
	struct report_grid g = {0};
	report_grid_table(&g, d, &tpl->tables[table_index(tpl, "appeals")]);
	assert_int_equal(g.ncols, 15);
	assert_int_equal(g.nrows, g.head_rows + 1);
	assert_int_equal(find_cell(&g, "行政诉讼")->cols, 10);
	assert_int_equal(find_cell(&g, "复议后起诉")->cols, 5);
	const struct report_cell *c = find_cell(&g, "结果维持");
	assert_int_equal(c->rows, 2);   /* 行政复议's columns reach down both header levels */
	struct report_layout l = {0};
	report_layout_page(&g, &l);
	assert_true(l.x[g.ncols] <= REPORT_PAGE_COLUMNS_6);
	/* the four result columns of each group are equally wide on paper */
	for (int k = 0; k < 15; k++)
		if (k % 5 != 4)
			assert_int_equal(l.width[k], l.width[0]);
	report_layout_free(&l);
	report_grid_free(&g);
	draft_free(d);
	template_free(tpl);
}

/* The four tables of 二 line up: one label-column width on the page, shares summing to all. */
static void
test_page_shares(void **state)
{
	(void)state;
	const char *ids[] = {"gov-info-2021", "gov-info-2019"};
	for (int k = 0; k < 2; k++) {
		struct template *tpl = load_shipped(ids[k]);
		struct draft *d = draft_new(tpl);
		int first = -1, captioned = 0;
		for (int i = 0; i < tpl->table_count; i++) {
			const struct tpl_table *t = &tpl->tables[i];
			struct report_grid g = {0};
			struct report_layout l = {0};
			report_grid_table(&g, d, t);
			report_layout_page(&g, &l);
			int *share = report_page_shares(d, t, &g, &l), sum = 0;
			for (int c = 0; c < g.ncols; c++) {
				assert_true(share[c] > 0);
				sum += share[c];
			}
			assert_int_equal(sum, 10000);
			if (t->caption) {
				captioned++;
				if (first < 0)
					first = share[0];
				assert_int_equal(share[0], first);
			}
			free(share);
			report_layout_free(&l);
			report_grid_free(&g);
		}
		assert_true(captioned >= 4);
		draft_free(d);
		template_free(tpl);
	}
}

static void
test_paragraphs(void **state)
{
	(void)state;
	const char *p = "\u3000\u3000第一段\n\n  \t第二段\n末段", *body;
	size_t len;
	assert_true(report_paragraph_next(&p, &body, &len));
	assert_int_equal(len, strlen("第一段"));
	assert_memory_equal(body, "第一段", len);
	assert_true(report_paragraph_next(&p, &body, &len));
	assert_int_equal(len, 0);
	assert_true(report_paragraph_next(&p, &body, &len));
	assert_memory_equal(body, "第二段", len);
	assert_true(report_paragraph_next(&p, &body, &len));
	assert_memory_equal(body, "末段", len);
	assert_int_equal(len, strlen("末段"));
	assert_false(report_paragraph_next(&p, &body, &len));
}

static void
test_escape(void **state)
{
	(void)state;
	struct strbuf b = {0};
	const char in[] = "a<b>&\"'\t\n\x01\x7f\xc2\x85\xef\xbf\xbe\xff中";
	report_escape(&b, in, sizeof in - 1, "[T]", "<br>");
	assert_string_equal(b.s, "a&lt;b&gt;&amp;&quot;&#39;[T]<br>\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD中");
	free(b.s);
	b = (struct strbuf){0};
	report_escape(&b, "x\ty\nz", 5, NULL, NULL);
	assert_string_equal(b.s, "x\ty\nz");
	strbuf_printf(&b, "%d-%s", 42, "ok");
	assert_string_equal(b.s, "x\ty\nz42-ok");
	free(b.s);
}

static void
test_date(void **state)
{
	(void)state;
	char out[REPORT_DATE_MAX];
	assert_true(report_date_parse("2022-01-20", out));
	assert_string_equal(out, "2022年1月20日");
	assert_true(report_date_parse("2024年2月29日", out));
	assert_string_equal(out, "2024年2月29日");
	assert_false(report_date_parse("2023-02-29", out));
	assert_false(report_date_parse("2100-02-29", out));
	assert_true(report_date_parse("2000-02-29", out));
	assert_false(report_date_parse("2022-13-01", out));
	assert_false(report_date_parse("2022-01-32", out));
	assert_false(report_date_parse("2022-01-20x", out));
	assert_false(report_date_parse(" 2022-01-20", out));
	assert_false(report_date_parse("1800-01-01", out));
	assert_false(report_date_parse("", out));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requests_grid),
		cmocka_unit_test(test_appeals_flat),
		cmocka_unit_test(test_page_shares),
		cmocka_unit_test(test_paragraphs),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_date),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
