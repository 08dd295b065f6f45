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

static struct template *tpl2021, *tpl2019;

/* The single claim in text, which must exist. */
static struct claim
one_claim(const char *text, int year)
{
	struct claim *c;
	size_t n = claims_scan(text, year, &c);
	if (n != 1)
		fail_msg("%s: %zu claims, expected 1", text, n);
	struct claim out = c[0];
	free(c);
	return out;
}

static size_t
count_claims(const char *text)
{
	struct claim *c;
	size_t n = claims_scan(text, 2021, &c);
	free(c);
	return n;
}

static void
expect(const char *text, enum claim_quantity q, enum claim_column col, const char *stated)
{
	struct claim c = one_claim(text, 2021);
	char buf[VALUE_FORMAT_MAX];
	claims_format_stated(&c, buf, sizeof buf);
	if (c.quantity != q || c.column != col || strcmp(buf, stated))
		fail_msg("%s: quantity %d column %d stated %s, expected %d %d %s", text, c.quantity, c.column, buf, q, col,
		         stated);
}

static void
test_numbers(void **state)
{
	(void)state;
	expect("收到政府信息公开申请27件", CLAIM_NEW, CLAIM_COL_TOTAL, "27");
	expect("收到政府信息公开申请２７件", CLAIM_NEW, CLAIM_COL_TOTAL, "27");
	expect("收到政府信息公开申请1,234件", CLAIM_NEW, CLAIM_COL_TOTAL, "1234");
	expect("收到政府信息公开申请一件", CLAIM_NEW, CLAIM_COL_TOTAL, "1");
	expect("收到政府信息公开申请两件", CLAIM_NEW, CLAIM_COL_TOTAL, "2");
	expect("收到政府信息公开申请十二件", CLAIM_NEW, CLAIM_COL_TOTAL, "12");
	expect("收到政府信息公开申请二十三件", CLAIM_NEW, CLAIM_COL_TOTAL, "23");
	expect("收到政府信息公开申请一百零五件", CLAIM_NEW, CLAIM_COL_TOTAL, "105");
	expect("收到政府信息公开申请 17 件", CLAIM_NEW, CLAIM_COL_TOTAL, "17");
	/* approximate, ordinal or per-item numbers are not claims */
	assert_int_equal(count_claims("收到政府信息公开申请200余件"), 0);
	assert_int_equal(count_claims("收到政府信息公开申请约20件"), 0);
	assert_int_equal(count_claims("收到的第3件政府信息公开申请"), 0);
}

static void
test_units(void **state)
{
	(void)state;
	static const char *const units[] = {"件", "次", "宗", "个", "份", "条", "篇", "起"};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		char *text = xasprintf("共受理政府信息公开申请3%s", units[i]);
		expect(text, CLAIM_NEW, CLAIM_COL_TOTAL, "3");
		free(text);
	}
	struct claim c = one_claim("行政事业性收费12.5万元", 2021);
	assert_int_equal(c.unit, CLAIM_UNIT_MONEY);
	assert_int_equal(c.quantity, CLAIM_FEES);
	char buf[VALUE_FORMAT_MAX];
	claims_format_stated(&c, buf, sizeof buf);
	assert_string_equal(buf, "12.5");
	c = one_claim("行政事业性收费3000元", 2021);   /* 元 in 万元 */
	claims_format_stated(&c, buf, sizeof buf);
	assert_string_equal(buf, "0.3");
	assert_int_equal(count_claims("收到政府信息公开申请3年"), 0);
	assert_int_equal(count_claims("予以公开12件，占48%"), 2);   /* the count and the share */
}

static void
test_quantities(void **state)
{
	(void)state;
	expect("上年结转3件", CLAIM_CARRIED_IN, CLAIM_COL_TOTAL, "3");
	expect("予以公开13件", CLAIM_GRANTED, CLAIM_COL_TOTAL, "13");
	expect("部分公开4件", CLAIM_PARTIAL, CLAIM_COL_TOTAL, "4");
	expect("不予公开2件", CLAIM_DENIED, CLAIM_COL_TOTAL, "2");
	expect("无法提供5件", CLAIM_UNAVAILABLE, CLAIM_COL_TOTAL, "5");
	expect("不予处理2件", CLAIM_UNHANDLED, CLAIM_COL_TOTAL, "2");
	expect("其他处理1件", CLAIM_OTHER, CLAIM_COL_TOTAL, "1");
	expect("结转下年度继续办理3件", CLAIM_CARRIED_OUT, CLAIM_COL_TOTAL, "3");
	expect("制发行政规范性文件60件", CLAIM_NORMATIVE, CLAIM_COL_ISSUED, "60");
	expect("废止规章1件", CLAIM_RULES, CLAIM_COL_REPEALED, "1");
	expect("现行有效规范性文件24件", CLAIM_NORMATIVE, CLAIM_COL_IN_FORCE, "24");
	expect("行政许可处理决定4020件", CLAIM_LICENSING, CLAIM_COL_TOTAL, "4020");
	expect("作出行政处罚决定27件", CLAIM_PENALTY, CLAIM_COL_TOTAL, "27");
	expect("实施行政强制3起", CLAIM_COERCION, CLAIM_COL_TOTAL, "3");
	expect("被申请行政复议2件", CLAIM_REVIEW, CLAIM_COL_TOTAL, "2");
	expect("行政诉讼案件1件", CLAIM_LITIGATION, CLAIM_COL_TOTAL, "1");
	/* number before the noun */
	expect("受理36件政府信息公开申请", CLAIM_NEW, CLAIM_COL_TOTAL, "36");
	expect("共接到3次政府信息公开申请", CLAIM_NEW, CLAIM_COL_TOTAL, "3");
	/* a column of the row the sentence is about */
	struct claim *c;
	size_t n = claims_scan("收到政府信息公开申请9件，其中自然人申请8件，法人或其他组织申请1件。", 2021, &c);
	assert_int_equal(n, 3);
	assert_int_equal(c[1].column, CLAIM_COL_NATURAL);
	assert_int_equal(c[2].column, CLAIM_COL_LEGAL_PERSONS);
	free(c);
}

static void
test_negation_and_scope(void **state)
{
	(void)state;
	struct claim c = one_claim("本年度未收到政府信息公开申请。", 2021);
	assert_true(c.negation);
	assert_int_equal(c.quantity, CLAIM_NEW);
	assert_int_equal(c.mantissa, 0);
	c = one_claim("本年度无依申请公开事项。", 2021);
	assert_int_equal(c.quantity, CLAIM_NEW);
	assert_int_equal(count_claims("未发生政府信息公开行政复议和行政诉讼。"), 2);
	/* 无法提供, 无正当理由 are not negations */
	assert_int_equal(count_claims("对无正当理由大量反复申请的，不予处理。"), 0);
	/* training, documents, meetings, web posts */
	assert_int_equal(count_claims("开展行政复议业务培训2次。"), 0);
	assert_int_equal(count_claims("予以公开的规范性文件2件。"), 0);
	assert_int_equal(count_claims("召开依申请公开工作会议3次。"), 0);
	assert_int_equal(count_claims("在门户网站发布信息356条。"), 0);
	assert_int_equal(count_claims("主动公开规范性文件5件。"), 0 + 1);   /* a claim, but of 本年新公开 (2019 only) */
	/* another year, a change */
	assert_int_equal(count_claims("2020年收到政府信息公开申请7件。"), 0);
	assert_int_equal(count_claims("收到政府信息公开申请较上年增加5件。"), 0);
	/* line breaks inside a sentence are joined; a blank line ends it */
	expect("共收到政府信息\n公开申请3件。", CLAIM_NEW, CLAIM_COL_TOTAL, "3");
	assert_int_equal(count_claims("依申请公开方面\n\n开展培训3次。"), 0);
}

/* ---- the labelled corpus ---- */

static const struct {
	const char *name;
	const char *cell2021;
	const char *cell2019;
} names[] = {
	{"new", "requests.new.natural", "requests.new.natural"},
	{"new_natural", "requests.new.natural", "requests.new.natural"},
	{"new_business", "requests.new.business", "requests.new.business"},
	{"carried_in", "requests.carried_in.natural", "requests.carried_in.natural"},
	{"granted", "requests.granted.natural", "requests.granted.natural"},
	{"partial", "requests.partial.natural", "requests.partial.natural"},
	{"denied", "requests.denied_state_secret.natural", "requests.denied_state_secret.natural"},
	{"unavailable", "requests.unavailable_not_held.natural", "requests.unavailable_not_held.natural"},
	{"unhandled", "requests.unhandled_repeat.natural", "requests.unhandled_repeat.natural"},
	{"other", "requests.other_misc.natural", "requests.other_handling.natural"},
	{"carried_out", "requests.carried_out.natural", "requests.carried_out.natural"},
	{"review", "appeals.review.upheld", "appeals.review.upheld"},
	{"lit_direct", "appeals.litigation_direct.upheld", "appeals.litigation_direct.upheld"},
	{"lit_after", "appeals.litigation_after_review.upheld", "appeals.litigation_after_review.upheld"},
	{"rules_issued", "proactive.art20_1.rules.issued", "proactive.art20_1.rules.made"},
	{"rules_repealed", "proactive.art20_1.rules.repealed", NULL},
	{"normative_issued", "proactive.art20_1.normative.issued", "proactive.art20_1.normative.made"},
	{"normative_repealed", "proactive.art20_1.normative.repealed", NULL},
	{"normative_in_force", "proactive.art20_1.normative.in_force", NULL},
	{"rules_published", NULL, "proactive.art20_1.rules.published"},
	{"normative_published", NULL, "proactive.art20_1.normative.published"},
	{"licensing", "proactive.art20_5.licensing.decisions", "proactive.art20_5.licensing.decisions"},
	{"penalty", "proactive.art20_6.penalty.decisions", "proactive.art20_6.penalty.decisions"},
	{"coercion", "proactive.art20_6.coercion.decisions", "proactive.art20_6.coercion.decisions"},
	{"fees", "proactive.art20_8.fees.amount", NULL},
};

/* How many narrative warnings check gives for sentence in overview, with values. */
static int
warnings_for(int year, char *values, const char *sentence, int line)
{
	const struct template *t = year >= 2021 ? tpl2021 : tpl2019;
	struct draft *d = draft_new(t);
	d->year = year;
	free(d->organization);
	d->organization = xstrdup("测试机关");
	for (int c = 0; c < t->cell_count; c++)
		if (t->cells[c].formula < 0 && t->cells[c].type != VALUE_SIGNED)
			draft_set_cell(d, c, value_units(0));
	for (char *tok = strtok(values, " "); tok; tok = strtok(NULL, " ")) {
		char *eq = strchr(tok, '=');
		if (!eq)
			fail_msg("corpus line %d: bad value '%s'", line, tok);
		*eq = 0;
		const char *id = NULL;
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
			if (!strcmp(names[i].name, tok))
				id = year >= 2021 ? names[i].cell2021 : names[i].cell2019;
		int cell = id ? template_find_cell(t, id) : -1;
		if (cell < 0)
			fail_msg("corpus line %d: unknown value name '%s' for %d", line, tok, year);
		struct value v;
		if (value_parse(eq + 1, strlen(eq + 1), t->cells[cell].type, &v) != VALUE_OK)
			fail_msg("corpus line %d: bad number '%s'", line, eq + 1);
		draft_set_cell(d, cell, v);
	}
	/* "\n" in the corpus is a line break */
	char *text = xstrdup(sentence);
	char *w = text;
	for (const char *r = sentence; *r; r++) {
		if (r[0] == '\\' && r[1] == 'n') {
			*w++ = '\n';
			r++;
		} else {
			*w++ = *r;
		}
	}
	*w = 0;
	draft_set_text(d, template_find_text(t, "overview"), text);
	free(text);
	struct check_report r = {0};
	checks_run(d, NULL, &r);
	int n = 0;
	for (size_t i = 0; i < r.count; i++)
		if (!strcmp(r.items[i].check->id, "narrative")) {
			n++;
			if (getenv("CLAIMS_VERBOSE"))
				fprintf(stderr, "  line %d: %s\n", line, r.items[i].message);
		}
	check_report_free(&r);
	draft_free(d);
	return n;
}

static void
test_corpus(void **state)
{
	(void)state;
	const char *srcdir = getenv("top_srcdir") ? getenv("top_srcdir") : NIANBAO_SRCDIR;
	char *path = xasprintf("%s/tests/data/claims/corpus.tsv", srcdir);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char buf[4096];
	int line = 0, contradicted = 0, caught = 0, unrelated = 0, unrelated_warned = 0, agreeing = 0,
	    agreeing_warned = 0;
	while (fgets(buf, sizeof buf, f)) {
		line++;
		buf[strcspn(buf, "\n")] = 0;
		if (!buf[0] || buf[0] == '#')
			continue;
		char *label = strtok(buf, "\t"), *year = strtok(NULL, "\t"), *values = strtok(NULL, "\t"),
		     *sentence = strtok(NULL, "\t");
		if (!label || !year || !values || !sentence)
			fail_msg("corpus line %d: expected four tab-separated columns", line);
		char *vals = xstrdup(values);
		int n = warnings_for(atoi(year), vals, sentence, line);
		free(vals);
		if (!strcmp(label, "C")) {
			contradicted++;
			caught += n > 0;
			if (!n)
				fprintf(stderr, "# missed (line %d): %s\n", line, sentence);
		} else if (!strcmp(label, "U")) {
			unrelated++;
			unrelated_warned += n > 0;
			if (n)
				fprintf(stderr, "# false warning (line %d): %s\n", line, sentence);
		} else if (!strcmp(label, "T")) {
			agreeing++;
			agreeing_warned += n > 0;
			if (n)
				fprintf(stderr, "# false warning on a true claim (line %d): %s\n", line, sentence);
		} else {
			fail_msg("corpus line %d: unknown label '%s'", line, label);
		}
	}
	fclose(f);
	free(path);
	int false_warnings = unrelated_warned + agreeing_warned;
	double recall = contradicted ? (double)caught / contradicted : 1;
	double precision = caught + false_warnings ? (double)caught / (caught + false_warnings) : 1;
	double false_rate = unrelated ? (double)unrelated_warned / unrelated : 0;
	fprintf(stderr,
	        "# corpus: %d contradicted, %d caught (recall %.1f%%); %d unrelated, %d warned (%.1f%%); "
	        "%d true claims, %d warned; precision %.1f%%\n",
	        contradicted, caught, 100 * recall, unrelated, unrelated_warned, 100 * false_rate, agreeing,
	        agreeing_warned, 100 * precision);
	assert_true(contradicted + unrelated + agreeing >= 80);
	assert_true(recall >= 0.95);
	assert_true(false_rate <= 0.02);
	assert_true(agreeing_warned * 50 <= agreeing);
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
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_quantities),
		cmocka_unit_test(test_negation_and_scope),
		cmocka_unit_test(test_corpus),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
