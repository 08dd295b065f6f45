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

#include "nianbao/check.h"

static char tmpdir[] = "/tmp/nianbao-test-check.XXXXXX";
static struct template *tpl;
static struct template *tpl_other;

static const char form[] =
	"nianbao-template: 1\nid: t\nname: test\nbasis: 测试〔2021〕1号\ntitle: 报告\nyears: {from: 2021}\n"
	"sections:\n"
	"  - heading: 一、总体情况\n"
	"    items:\n"
	"      - {text: overview, label: 总体情况}\n"
	"  - heading: 三、申请\n"
	"    items:\n"
	"      - table: requests\n"
	"        columns:\n"
	"          - {id: natural, label: 自然人}\n"
	"          - {id: legal, label: 法律服务机构}\n"
	"          - {id: total, label: 总计, formula: \"sum(natural..legal)\"}\n"
	"        rows:\n"
	"          - {id: new, label: 一、本年新收}\n"
	"          - {id: carried_in, label: 二、上年结转}\n"
	"          - {id: granted, label: （一）予以公开}\n"
	"          - {id: denied, label: （二）不予公开}\n"
	"          - {id: results_total, label: （七）总计, formula: \"sum(granted..denied)\"}\n"
	"          - {id: carried_out, label: 四、结转}\n"
	"      - table: items\n"
	"        columns:\n"
	"          - {id: prev_items, label: 上一年项目数量}\n"
	"          - {id: change, label: 本年增/减, type: signed}\n"
	"          - {id: amount, label: 金额, type: money}\n"
	"        rows:\n"
	"          - {id: licensing, label: 行政许可}\n"
	"  - heading: 六、其他需要报告的事项\n"
	"    items:\n"
	"      - {text: other_matters, label: 其他}\n"
	"checks:\n"
	"  - {id: balance, severity: error, kind: rule, table: requests, per: column,\n"
	"     rule: \"new + carried_in = results_total + carried_out\", lhs: 一+二, rhs: 三+四}\n"
	"  - {id: range, severity: error, kind: rule, table: items, per: row, rule: \"prev_items + change >= 0\"}\n"
	"  - {id: carry-over, severity: warning, kind: rule, table: requests, per: column,\n"
	"     rule: \"carried_in = prev(carried_out)\"}\n"
	"  - {id: blank, severity: error, kind: blank}\n"
	"  - {id: range, severity: error, kind: range}\n"
	"  - {id: template-year, severity: error, kind: template-year}\n"
	"  - {id: empty-section, severity: error, kind: required-text, fields: [overview, other_matters]}\n"
	"  - {id: fee-mention, severity: warning, kind: mention, field: other_matters, text: 信息处理费}\n"
	"  - id: narrative\n"
	"    severity: warning\n"
	"    kind: narrative\n"
	"    fields: [overview]\n";

static struct template *
load_form(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	struct diag_list diags = {0};
	struct template *t = template_load(path, &diags);
	if (!t)
		diag_print(&diags, stderr);
	assert_non_null(t);
	diag_free(&diags);
	unlink(path);
	free(path);
	return t;
}

static struct draft *
make_draft(const struct template *t)
{
	struct draft *d = calloc(1, sizeof *d);
	d->tpl = t;
	d->organization = "测试机关";
	d->year = 2021;
	d->cells = calloc((size_t)t->cell_count, sizeof *d->cells);
	d->texts = calloc((size_t)t->text_count, sizeof *d->texts);
	return d;
}

static void
free_draft(struct draft *d)
{
	free(d->cells);
	free(d->texts);
	free(d->cell_issue);
	free(d);
}

static void
set(struct draft *d, const char *id, int64_t units)
{
	int cell = template_find_cell(d->tpl, id);
	assert_true(cell >= 0);
	d->cells[cell] = value_units(units);
	template_recompute_from(d->tpl, d->cells, cell);
}

/* A complete, consistent draft: 一 3+2, 二 1+0; 三 granted 2+1, denied 1+1; 四 1+0 (total 5+1 = 5+1). */
static struct draft *
good_draft(void)
{
	struct draft *d = make_draft(tpl);
	static const struct { const char *id; int64_t v; } cells[] = {
		{"requests.new.natural", 3}, {"requests.new.legal", 2},
		{"requests.carried_in.natural", 1}, {"requests.carried_in.legal", 0},
		{"requests.granted.natural", 2}, {"requests.granted.legal", 1},
		{"requests.denied.natural", 1}, {"requests.denied.legal", 1},
		{"requests.carried_out.natural", 1}, {"requests.carried_out.legal", 0},
		{"items.licensing.prev_items", 5}, {"items.licensing.change", -2}, {"items.licensing.amount", 0},
	};
	for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++)
		set(d, cells[i].id, cells[i].v);
	d->texts[template_find_text(tpl, "overview")] = "本年度共收到政府信息公开申请5件，其中予以公开3件，上年结转1件。";
	d->texts[template_find_text(tpl, "other_matters")] = "本年度未收取信息处理费。";
	return d;
}

static const struct check_result *
find(const struct check_report *r, const char *id, size_t nth)
{
	for (size_t i = 0; i < r->count; i++)
		if (!strcmp(r->items[i].check->id, id) && nth-- == 0)
			return &r->items[i];
	return NULL;
}

static size_t
count_id(const struct check_report *r, const char *id)
{
	size_t n = 0;
	for (size_t i = 0; i < r->count; i++)
		n += !strcmp(r->items[i].check->id, id);
	return n;
}

static void
test_clean_draft_passes(void **state)
{
	(void)state;
	struct draft *d = good_draft();
	struct check_report r = {0};
	checks_run(d, NULL, &r);
	for (size_t i = 0; i < r.count; i++)
		fprintf(stderr, "unexpected: [%s] %s\n", r.items[i].check->id, r.items[i].message);
	assert_int_equal(r.count, 0);
	assert_int_equal(r.errors, 0);
	check_report_free(&r);
	free_draft(d);
}

static void
test_balance_fails_per_column(void **state)
{
	(void)state;
	struct draft *d = good_draft();
	set(d, "requests.new.legal", 3);   /* 法律服务机构: 一+二 = 3, 三+四 = 2 */
	struct check_report r = {0};
	checks_run(d, NULL, &r);
	/* the legal column and the total column fail; the natural column holds */
	assert_int_equal(count_id(&r, "balance"), 2);
	const struct check_result *res = find(&r, "balance", 0);
	assert_non_null(res);
	assert_int_equal(res->severity, DIAG_ERROR);
	assert_string_equal(res->message, "法律服务机构 column: 一+二=3, 三+四=2");
	assert_int_equal(res->lhs.scaled, 3 * VALUE_SCALE);
	assert_int_equal(res->rhs.scaled, 2 * VALUE_SCALE);
	assert_string_equal(tpl->cells[res->cell].id, "requests.new.legal");
	assert_string_equal(find(&r, "balance", 1)->message, "总计 column: 一+二=7, 三+四=6");
	check_report_free(&r);
	free_draft(d);
}

static void
test_blank_is_not_zero(void **state)
{
	(void)state;
	struct draft *d = good_draft();
	int cell = template_find_cell(tpl, "requests.denied.legal");
	d->cells[cell] = value_blank();
	template_recompute_from(tpl, d->cells, cell);
	struct check_report r = {0};
	checks_run(d, NULL, &r);
	assert_int_equal(count_id(&r, "blank"), 1);
	assert_non_null(strstr(find(&r, "blank", 0)->message, "（二）不予公开 / 法律服务机构 is blank"));
	assert_int_equal(find(&r, "blank", 0)->cell, cell);
	/* rules reading the blank cell are skipped, not failed */
	assert_int_equal(count_id(&r, "balance"), 0);
	check_report_free(&r);
	free_draft(d);
}

static void
test_range_rule_and_values(void **state)
{
	(void)state;
	struct draft *d = good_draft();
	set(d, "items.licensing.change", -6);
	d->cells[template_find_cell(tpl, "items.licensing.amount")] = (struct value){-5, true};
	d->cell_issue = calloc((size_t)tpl->cell_count, 1);
	d->cell_issue[template_find_cell(tpl, "requests.granted.natural")] = VALUE_ERR_DECIMALS;
	struct check_report r = {0};
	checks_run(d, NULL, &r);
	const struct check_result *rule = find(&r, "range", 0);
	assert_non_null(rule);
	assert_string_equal(rule->message, "行政许可 row: 上一年项目数量+本年增/减=-1, 0=0 (expected 上一年项目数量+本年增/减 ≥ 0)");
	assert_int_equal(count_id(&r, "range"), 3);
	check_report_free(&r);
	free_draft(d);
}

static void
test_template_year_and_texts(void **state)
{
	(void)state;
	struct draft *d = good_draft();
	d->year = 2020;
	d->texts[template_find_text(tpl, "overview")] = "　　 \n";
	d->texts[template_find_text(tpl, "other_matters")] = "无。";
	struct check_report r = {0};
	checks_run(d, NULL, &r);
	const struct check_result *year = find(&r, "template-year", 0);
	assert_non_null(year);
	assert_string_equal(year->message, "the report is for 2020, but template t (测试〔2021〕1号) is for the years 2021 and later");
	assert_string_equal(find(&r, "empty-section", 0)->message, "一、总体情况 is empty");
	assert_int_equal(count_id(&r, "empty-section"), 1);
	assert_string_equal(find(&r, "fee-mention", 0)->message, "六、其他需要报告的事项 does not mention 信息处理费");
	assert_int_equal(find(&r, "fee-mention", 0)->severity, DIAG_WARNING);
	/* errors come before warnings */
	assert_int_equal(r.items[0].severity, DIAG_ERROR);
	assert_int_equal(r.items[r.count - 1].severity, DIAG_WARNING);
	check_report_free(&r);

	/* no year at all: the title would lack it */
	d->year = 0;
	checks_run(d, NULL, &r);
	year = find(&r, "template-year", 0);
	assert_non_null(year);
	assert_int_equal(year->severity, DIAG_ERROR);
	assert_non_null(strstr(year->message, "has no year"));
	check_report_free(&r);
	free_draft(d);
}

static void
test_carry_over(void **state)
{
	(void)state;
	struct draft *d = good_draft();
	struct draft *last = make_draft(tpl_other);   /* another template: matched by cell id */
	struct check_report r = {0};
	checks_run(d, last, &r);   /* last year's cells are blank: skipped */
	assert_int_equal(count_id(&r, "carry-over"), 0);
	check_report_clear(&r);
	last->cells[template_find_cell(tpl_other, "requests.carried_out.natural")] = value_units(4);
	last->cells[template_find_cell(tpl_other, "requests.carried_out.legal")] = value_units(0);
	checks_run(d, last, &r);
	assert_int_equal(count_id(&r, "carry-over"), 1);
	const struct check_result *res = find(&r, "carry-over", 0);
	assert_int_equal(res->severity, DIAG_WARNING);
	assert_string_equal(res->message, "自然人 column: 二、上年结转=1, last year's 四、结转=4");
	check_report_clear(&r);
	last->cells[template_find_cell(tpl_other, "requests.carried_out.natural")] = value_units(1);
	checks_run(d, last, &r);
	assert_int_equal(count_id(&r, "carry-over"), 0);
	check_report_free(&r);
	free_draft(last);
	free_draft(d);
}

static void
narrative_case(const char *text, size_t expected, const char *message)
{
	struct draft *d = good_draft();
	d->texts[template_find_text(tpl, "overview")] = (char *)text;
	struct check_report r = {0};
	checks_run(d, NULL, &r);
	if (count_id(&r, "narrative") != expected) {
		for (size_t i = 0; i < r.count; i++)
			fprintf(stderr, "[%s] %s\n", r.items[i].check->id, r.items[i].message);
		fail_msg("%s: expected %zu narrative warnings", text, expected);
	}
	if (message)
		assert_string_equal(find(&r, "narrative", 0)->message, message);
	check_report_free(&r);
	free_draft(d);
}

static void
test_narrative(void **state)
{
	(void)state;
	/* consistent statements in several phrasings: no false alarm */
	narrative_case("全年共收到政府信息公开申请5件。", 0, NULL);
	narrative_case("全年新收政府信息公开申请共计５件，予以公开3件。", 0, NULL);
	narrative_case("收到政府信息公开申请五件，予以公开三件。", 0, NULL);
	narrative_case("2021年收到政府信息公开申请的情况如下。", 0, NULL);   /* no count stated */
	narrative_case("收到政府信息公开申请较上年增长。全年6件。", 0, NULL);  /* sentence ends first */
	/* contradictions */
	narrative_case("本年度共收到政府信息公开申请3件。", 1,
	               "一、总体情况 says \"本年度共收到政府信息公开申请3件\" (3), but the table has 5 (一、本年新收 / 总计)");
	narrative_case("未收到政府信息公开申请。", 1,
	               "一、总体情况 says \"未收到政府信息公开申请\" (0), but the table has 5 (一、本年新收 / 总计)");
	narrative_case("收到政府信息公开申请十二件，予以公开3件。", 1, NULL);
	narrative_case("收到政府信息公开申请5件，予以公开2件，上年结转2件。", 2, NULL);
}

static int
setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	tpl = load_form("t.yaml", form);
	char *other = xasprintf("%.*sid: other%s", (int)(strstr(form, "id: t\n") - form), form,
	                        strstr(form, "id: t\n") + strlen("id: t"));
	tpl_other = load_form("other.yaml", other);
	free(other);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	template_free(tpl);
	template_free(tpl_other);
	return rmdir(tmpdir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_draft_passes),
		cmocka_unit_test(test_balance_fails_per_column),
		cmocka_unit_test(test_blank_is_not_zero),
		cmocka_unit_test(test_range_rule_and_values),
		cmocka_unit_test(test_template_year_and_texts),
		cmocka_unit_test(test_carry_over),
		cmocka_unit_test(test_narrative),
	};
	return cmocka_run_group_tests_name("check", tests, setup, teardown);
}
