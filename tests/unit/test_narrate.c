#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nianbao/check.h"
#include "nianbao/claims.h"
#include "nianbao/narrate.h"

static struct template *tpl2021, *tpl2019;

static struct draft *
zero_draft(const struct template *t, int year)
{
	struct draft *d = draft_new(t);
	d->year = year;
	free(d->organization);
	d->organization = xstrdup("测试机关");
	for (int c = 0; c < t->cell_count; c++)
		if (t->cells[c].formula < 0)
			draft_set_cell(d, c, value_units(0));
	return d;
}

static void
set(struct draft *d, const char *id, int64_t units)
{
	int cell = template_find_cell(d->tpl, id);
	assert_true(cell >= 0);
	draft_set_cell(d, cell, value_units(units));
}

static char *
paragraph(const struct draft *d, enum narrate_section s)
{
	char *text = narrate_section(d, s, NULL);
	assert_non_null(text);
	return text;
}

static void
test_official_example(void **state)
{
	(void)state;
	struct draft *d = zero_draft(tpl2021, 2021);
	set(d, "requests.new.natural", 25);
	set(d, "requests.new.business", 2);
	set(d, "requests.carried_in.natural", 3);
	set(d, "requests.granted.natural", 13);
	set(d, "requests.partial.natural", 4);
	set(d, "requests.denied_third_party.natural", 1);
	set(d, "requests.denied_process.natural", 1);
	set(d, "requests.unavailable_not_held.natural", 5);
	set(d, "requests.unhandled_repeat.natural", 2);
	set(d, "requests.other_misc.natural", 1);
	set(d, "requests.carried_out.natural", 3);
	char *text = paragraph(d, NARRATE_REQUESTS);
	assert_string_equal(text, "2021年，共收到政府信息公开申请27件，上年结转3件。其中，予以公开13件，部分公开4件，"
	                          "不予公开2件，无法提供5件，不予处理2件，其他处理1件；结转下年度继续办理3件。");
	free(text);
	/* zero rows are left out */
	set(d, "requests.denied_third_party.natural", 0);
	set(d, "requests.denied_process.natural", 0);
	set(d, "requests.unhandled_repeat.natural", 0);
	text = paragraph(d, NARRATE_REQUESTS);
	assert_null(strstr(text, "不予公开"));
	assert_null(strstr(text, "不予处理"));
	free(text);
	draft_free(d);
}

static void
test_zeros_are_said(void **state)
{
	(void)state;
	struct draft *d = zero_draft(tpl2021, 2022);
	char *text = paragraph(d, NARRATE_REQUESTS);
	assert_string_equal(text, "2022年，未收到政府信息公开申请，无上年结转申请。");
	free(text);
	text = paragraph(d, NARRATE_APPEALS);
	assert_string_equal(text, "2022年，未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。");
	free(text);
	text = paragraph(d, NARRATE_PROACTIVE);
	assert_string_equal(text, "2022年，未制发规章和行政规范性文件，未作出行政许可、行政处罚和行政强制决定。");
	free(text);
	set(d, "proactive.art20_1.normative.issued", 5);
	set(d, "proactive.art20_1.normative.repealed", 1);
	set(d, "proactive.art20_1.normative.in_force", 25);
	set(d, "proactive.art20_5.licensing.decisions", 4020);
	text = paragraph(d, NARRATE_PROACTIVE);
	assert_string_equal(text, "2022年，制发行政规范性文件5件，废止1件，现行有效25件。作出行政许可决定4020件。");
	free(text);
	draft_free(d);
}

static void
test_blank_is_not_written(void **state)
{
	(void)state;
	struct draft *d = zero_draft(tpl2021, 2021);
	int cell = template_find_cell(tpl2021, "requests.granted.legal");
	draft_set_cell(d, cell, value_blank());
	int blank = -1;
	assert_null(narrate_section(d, NARRATE_REQUESTS, &blank));
	assert_int_equal(blank, cell);
	char *text = narrate_section(d, NARRATE_APPEALS, NULL);   /* the other tables are still written */
	assert_non_null(text);
	free(text);
	draft_free(d);
	assert_int_equal(narrate_section_by_name("依申请"), NARRATE_REQUESTS);
	assert_int_equal(narrate_section_by_name("主动公开"), NARRATE_PROACTIVE);
	assert_int_equal(narrate_section_by_name("复议诉讼"), NARRATE_APPEALS);
	assert_int_equal(narrate_section_by_name("五"), -1);
}

/* A small random number: 0 half of the time, sometimes large. */
static int64_t
pick(unsigned *seed)
{
	int r = rand_r(seed) % 100;
	if (r < 50)
		return 0;
	if (r < 90)
		return rand_r(seed) % 10;
	return rand_r(seed) % 100000;
}

static int
narrative_warnings(const struct draft *d, bool show)
{
	struct check_report r = {0};
	checks_run(d, NULL, &r);
	int n = 0;
	for (size_t i = 0; i < r.count; i++)
		if (!strcmp(r.items[i].check->id, "narrative")) {
			n++;
			if (show)
				fprintf(stderr, "# %s\n", r.items[i].message);
		}
	check_report_free(&r);
	return n;
}

/* Property: for random valid drafts, the narrative check passes on the written text, every
 * number in it is a claim that agrees with the table, and changing a figure it states makes
 * the check fail. */
static void
test_property(void **state)
{
	(void)state;
	unsigned seed = 20211231;
	for (int round = 0; round < 400; round++) {
		const struct template *t = round % 3 == 2 ? tpl2019 : tpl2021;
		int year = t == tpl2019 ? 2019 + round % 2 : 2021 + round % 5;
		struct draft *d = zero_draft(t, year);
		for (int c = 0; c < t->cell_count; c++) {
			if (t->cells[c].formula >= 0)
				continue;
			int64_t v = pick(&seed);
			if (t->cells[c].type == VALUE_MONEY && v)
				draft_set_cell(d, c, (struct value){v * VALUE_SCALE / 100, true});   /* to the hundredth */
			else
				draft_set_cell(d, c, value_units(t->cells[c].type == VALUE_SIGNED ? v - 5 : v));
		}
		char *text = xstrdup("");
		for (int s = 0; s < NARRATE_SECTION_COUNT; s++) {
			char *p = narrate_section(d, (enum narrate_section)s, NULL);
			assert_non_null(p);
			char *joined = xasprintf("%s%s\n", text, p);
			free(text);
			free(p);
			text = joined;
		}
		draft_set_text(d, template_find_text(t, "overview"), text);
		if (narrative_warnings(d, true)) {
			fprintf(stderr, "# round %d, %s %d:\n%s", round, t->id, year, text);
			fail_msg("the narrative check fails on narrate's own text");
		}
		/* every claim agrees, and there is one for each table */
		struct claim *claims;
		size_t n = claims_scan(text, year, &claims);
		bool new_claimed = false;
		for (size_t i = 0; i < n; i++) {
			struct value table;
			int cell;
			assert_int_equal(claims_verify(t, d->cells, &claims[i], &table, &cell), CLAIM_AGREES);
			new_claimed |= claims[i].quantity == CLAIM_NEW;
		}
		free(claims);
		assert_true(new_claimed);
		/* a changed figure is caught: 一、本年新收 is always stated (a count or 未收到) */
		int cell = template_find_cell(t, "requests.new.natural");
		struct value v = d->cells[cell];
		v.scaled += VALUE_SCALE;
		draft_set_cell(d, cell, v);
		assert_true(narrative_warnings(d, false) >= 1);
		free(text);
		draft_free(d);
	}
}

static int
setup(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	tpl2021 = template_load_id(getenv("NIANBAO_TEMPLATES"), "gov-info-2021", &diags);
	tpl2019 = template_load_id(getenv("NIANBAO_TEMPLATES"), "gov-info-2019", &diags);
	if (!tpl2021 || !tpl2019)
		diag_print(&diags, stderr);
	diag_free(&diags);
	return tpl2021 && tpl2019 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	template_free(tpl2021);
	template_free(tpl2019);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_official_example),
		cmocka_unit_test(test_zeros_are_said),
		cmocka_unit_test(test_blank_is_not_written),
		cmocka_unit_test(test_property),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
