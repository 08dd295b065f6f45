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

#include "shipped.h"

#include "nianbao/draft.h"
#include "nianbao/render.h"
#include "nianbao/width.h"

/* Every input cell a different value (by its index), computed cells recomputed. */
static struct draft *
distinct_draft(const struct template *tpl, int64_t base)
{
	struct draft *d = draft_new(tpl);
	free(d->organization);
	d->organization = xstrdup("示例市数据局");
	d->year = 2021;
	for (int i = 0; i < tpl->cell_count; i++) {
		if (tpl->cells[i].formula >= 0)
			continue;
		int64_t units = base + i;
		d->cells[i] = value_units(units);
		if (tpl->cells[i].type == VALUE_MONEY)
			d->cells[i].scaled += 2500;   /* .25 */
	}
	template_recompute_all(tpl, d->cells);
	for (int i = 0; i < tpl->text_count; i++)
		draft_set_text(d, i, "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，全年共收到申请3件。");
	return d;
}

/* The largest value every cell can hold (computed cells can exceed it). */
static struct draft *
widest_draft(const struct template *tpl)
{
	struct draft *d = draft_new(tpl);
	for (int i = 0; i < tpl->cell_count; i++) {
		struct value v = value_units(VALUE_MAX_UNITS);
		if (tpl->cells[i].type == VALUE_MONEY)
			v.scaled += VALUE_SCALE - 1;
		if (tpl->cells[i].type == VALUE_SIGNED)
			v.scaled = -v.scaled;
		d->cells[i] = v;
	}
	template_recompute_all(tpl, d->cells);
	return d;
}

static char *
render(const struct draft *d, int width, enum render_borders borders, bool mark)
{
	struct render_options opt = {.width = width, .borders = borders, .draft_mark = mark};
	size_t len;
	char *text = render_report(d, &opt, &len);
	assert_non_null(text);
	assert_int_equal(strlen(text), len);
	return text;
}

static void
assert_fits(const char *text, int width)
{
	const char *p = text;
	int line = 1;
	while (*p) {
		const char *eol = strchr(p, '\n');
		assert_non_null(eol);   /* every line ends with a newline */
		int w = (int)width_of_utf8(p, (size_t)(eol - p));
		if (w > width)
			fail_msg("line %d is %d columns wide (limit %d): %.*s", line, w, width, (int)(eol - p), p);
		p = eol + 1;
		line++;
	}
}

static void
test_fits_width(void **state)
{
	(void)state;
	static const char *const ids[] = {"gov-info-2021", "gov-info-2019"};
	static const int widths[] = {60, 61, 67, 79, 80, 100, 132};
	for (size_t t = 0; t < 2; t++) {
		struct template *tpl = load_shipped(ids[t]);
		struct draft *wide = widest_draft(tpl), *plain = distinct_draft(tpl, 1);
		for (size_t w = 0; w < sizeof widths / sizeof *widths; w++)
			for (int b = 0; b < 2; b++) {
				char *text = render(wide, widths[w], b, true);
				assert_fits(text, widths[w]);
				free(text);
				text = render(plain, widths[w], b, false);
				assert_fits(text, widths[w]);
				free(text);
			}
		draft_free(wide);
		draft_free(plain);
		template_free(tpl);
	}
}

static bool
is_number(const char *s, size_t n)
{
	if (n && *s == '-') {
		s++;
		n--;
	}
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] >= '0' && s[i] <= '9') && s[i] != '.')
			return false;
	return true;
}

/* Reads the numbers of an ASCII table back, row by row: on each line, the run of numeric
 * cells that ends the line. */
static int
parse_numbers(const char *block, size_t len, char out[][VALUE_FORMAT_MAX], int max)
{
	int count = 0;
	const char *p = block, *end = block + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if (*p == '|') {
			/* segments between bars, right to left */
			char found[32][VALUE_FORMAT_MAX];
			int n = 0;
			const char *right = eol - 1;   /* the closing bar */
			while (right > p && n < 32) {
				const char *left = right - 1;
				while (left >= p && *left != '|')
					left--;
				const char *a = left + 1, *b = right;
				while (a < b && *a == ' ')
					a++;
				while (b > a && b[-1] == ' ')
					b--;
				if (!is_number(a, (size_t)(b - a)))
					break;
				snprintf(found[n++], VALUE_FORMAT_MAX, "%.*s", (int)(b - a), a);
				right = left;
			}
			for (int i = n - 1; i >= 0 && count < max; i--)
				strcpy(out[count++], found[i]);
		}
		p = eol + 1;
	}
	return count;
}

/* Each table of the report is a block of lines that start with a border. */
static const char *
next_table(const char *p, size_t *len)
{
	while (*p && *p != '+') {
		const char *eol = strchr(p, '\n');
		p = eol + 1;
	}
	if (!*p)
		return NULL;
	const char *q = p;
	while (*q == '+' || *q == '|')
		q = strchr(q, '\n') + 1;
	*len = (size_t)(q - p);
	return p;
}

static void
assert_numbers_in_place(const struct template *tpl, int width)
{
	struct draft *d = distinct_draft(tpl, 101);
	char *text = render(d, width, RENDER_BORDERS_ASCII, false);
	const char *p = text;
	for (int t = 0; t < tpl->table_count; t++) {
		const struct tpl_table *table = &tpl->tables[t];
		int cells = table->rows.leaf_count * table->cols.leaf_count;
		char (*got)[VALUE_FORMAT_MAX] = calloc((size_t)cells + 1, VALUE_FORMAT_MAX);
		size_t len = 0;
		p = next_table(p, &len);
		assert_non_null(p);
		int n = parse_numbers(p, len, got, cells + 1);
		assert_int_equal(n, cells);
		/* row-major, as the grid prints them; the flat layout prints the rows side by side,
		 * which is the same order */
		for (int i = 0; i < cells; i++) {
			char want[VALUE_FORMAT_MAX];
			value_format(d->cells[table->first_cell + i], want, sizeof want);
			if (strcmp(got[i], want))
				fail_msg("%s at width %d: cell %s printed %s, expected %s", table->path, width,
				         tpl->cells[table->first_cell + i].id, got[i], want);
		}
		free(got);
		p += len;
	}
	free(text);
	draft_free(d);
}

static void
test_numbers_in_place(void **state)
{
	(void)state;
	struct template *t21 = load_shipped("gov-info-2021"), *t19 = load_shipped("gov-info-2019");
	for (int w = 60; w <= 120; w += 20) {
		assert_numbers_in_place(t21, w);
		assert_numbers_in_place(t19, w);
	}
	/* money prints without useless zeros */
	struct draft *d = distinct_draft(t21, 1);
	int fee = template_find_cell(t21, "proactive.art20_8.fees.amount");
	d->cells[fee] = (struct value){19700000, true};
	char *text = render(d, 80, RENDER_BORDERS_ASCII, false);
	assert_non_null(strstr(text, " 19.7|"));
	assert_null(strstr(text, "19.70"));
	free(text);
	draft_free(d);
	template_free(t21);
	template_free(t19);
}

static void
test_layout_details(void **state)
{
	(void)state;
	struct template *tpl = load_shipped("gov-info-2021");
	struct draft *d = distinct_draft(tpl, 1);
	char *text = render(d, 80, RENDER_BORDERS_ASCII, false);
	/* title block, centred */
	assert_non_null(strstr(text, "\n                         2021年政府信息公开工作年度报告\n"));
	assert_int_equal(strncmp(text, "                                  示例市数据局\n", 47), 0);
	/* the six headings in order, each at the start of a line */
	const char *p = text;
	for (int s = 0; s < tpl->section_count; s++) {
		char *needle = xasprintf("\n%s\n", tpl->sections[s].heading);
		const char *q = strstr(p, needle);
		assert_non_null(q);
		p = q + 1;
		free(needle);
	}
	/* the printed notes verbatim (the corner note wraps: look for its pieces) */
	assert_non_null(strstr(text, "（本列数据的勾稽关系为"));
	assert_non_null(strstr(text, "（二）部分公开（区分处理的"));
	/* merged header cells */
	assert_non_null(strstr(text, "|申请人情况"));
	assert_non_null(strstr(text, "|法人或其他组织"));
	assert_non_null(strstr(text, "|行政复议"));
	assert_non_null(strstr(text, "|未经复议直接起诉"));
	assert_null(strstr(text, "【草稿】"));
	free(text);

	text = render(d, 80, RENDER_BORDERS_UNICODE, true);
	assert_non_null(strstr(text, "┌"));
	assert_non_null(strstr(text, "┼"));
	assert_null(strchr(text, '+'));
	assert_non_null(strstr(text, "【草稿】"));
	free(text);
	draft_free(d);
	template_free(tpl);
}

static void
test_paragraphs(void **state)
{
	(void)state;
	struct template *tpl = load_shipped("gov-info-2021");
	struct draft *d = distinct_draft(tpl, 1);
	int overview = template_find_text(tpl, "overview");
	/* the clerk's own indents are replaced; paragraph breaks and blank lines are kept;
	 * a closing mark that would start a line is carried with the character before it */
	draft_set_text(d, overview,
	               "  （一）主动公开\n"
	               "\u3000\u3000本机关共主动公开政府信息一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四，共计。\n"
	               "\n"
	               "第三段。");
	char *text = render(d, 80, RENDER_BORDERS_ASCII, false);
	const char *want =
		"一、总体情况\n"
		"\n"
		"\u3000\u3000（一）主动公开\n"
		"\u3000\u3000本机关共主动公开政府信息一二三四五六七八九十一二三四五六七八九十一二三四五六\n"
		"七八九十一二三四，共计。\n"
		"\n"
		"\u3000\u3000第三段。\n";
	if (!strstr(text, want))
		fail_msg("paragraphs not as expected:\n%s", strstr(text, "一、总体情况"));
	free(text);

	/* at 60 columns the 30th character would be the comma: it moves down with one more */
	draft_set_text(d, overview, "一二三四五六七八九十一二三四五六七八九十一二三四五六七八，九十");
	text = render(d, 60, RENDER_BORDERS_ASCII, false);
	assert_non_null(strstr(text, "\u3000\u3000一二三四五六七八九十一二三四五六七八九十一二三四五六七\n八，九十\n"));
	free(text);
	draft_free(d);
	template_free(tpl);
}

static char tmpdir[] = "/tmp/nianbao-test-render.XXXXXX";

/* A very long label, a five-digit count and more must still fit. */
static void
test_long_labels(void **state)
{
	(void)state;
	char label[4000] = "";
	for (int i = 0; i < 120; i++)
		strcat(label, "很长");
	char *yaml = xasprintf(
		"nianbao-template: 1\nid: long\nname: test\ntitle: 报告\nyears: {from: 2021}\n"
		"sections:\n"
		"  - heading: 一、总体情况\n"
		"    items:\n"
		"      - {text: overview, label: 总体情况}\n"
		"  - heading: 二、表\n"
		"    items:\n"
		"      - table: t\n"
		"        caption: %s\n"
		"        stub: %s\n"
		"        columns:\n"
		"          - {id: a, label: %s}\n"
		"          - {id: b, label: https://example.org/a/very/long/address/without/any/space/at/all}\n"
		"          - {id: c, label: 乙}\n"
		"          - {id: d, label: 丙}\n"
		"          - {id: e, label: 丁}\n"
		"          - {id: f, label: 戊}\n"
		"          - {id: g, label: 己}\n"
		"          - {id: h, label: 庚}\n"
		"          - {id: total, label: 总计, formula: \"sum(a..h)\"}\n"
		"        rows:\n"
		"          - {id: r1, label: %s}\n"
		"          - group: %s\n"
		"            rows:\n"
		"              - {id: r2, label: %s}\n",
		label, label, label, label, label, label);
	char *path = xasprintf("%s/long.yaml", tmpdir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(yaml, f);
	fclose(f);
	struct diag_list diags = {0};
	struct template *tpl = template_load(path, &diags);
	if (!tpl)
		diag_print(&diags, stderr);
	assert_non_null(tpl);
	struct draft *d = draft_new(tpl);
	for (int i = 0; i < tpl->cell_count; i++)
		d->cells[i] = value_units(i % 2 ? 99999 : 123456789);
	template_recompute_all(tpl, d->cells);
	draft_set_text(d, 0, label);
	for (int w = 60; w <= 90; w++) {
		char *text = render(d, w, RENDER_BORDERS_ASCII, false);
		assert_fits(text, w);
		assert_non_null(strstr(text, "123456789"));
		assert_non_null(strstr(text, "99999"));
		free(text);
	}
	draft_free(d);
	template_free(tpl);
	unlink(path);
	free(path);
	free(yaml);
	diag_free(&diags);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	return rmdir(tmpdir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fits_width),
		cmocka_unit_test(test_numbers_in_place),
		cmocka_unit_test(test_layout_details),
		cmocka_unit_test(test_paragraphs),
		cmocka_unit_test(test_long_labels),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
