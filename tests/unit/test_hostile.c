/* Hostile drafts and text (issue 13): nesting, huge mappings, a cell given twice,
 * characters that must never reach a terminal raw, and text that must survive a save. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "nianbao/diag.h"
#include "nianbao/draft.h"
#include "nianbao/utf8.h"
#include "nianbao/ynode.h"

static struct template_cache *cache;

#define HEADER "nianbao: 1\ntemplate: gov-info-2021\norganization: 测试局\nyear: 2021\n"

static struct draft *
load(const char *text, size_t len, struct diag_list *diags)
{
	return draft_load_buffer("t.yaml", text, len, cache, diags);
}

/* The first error of refusing text contains needle, at line (0: any). */
static void
assert_refused(const char *text, size_t len, int line, const char *needle)
{
	struct diag_list diags = {0};
	struct draft *d = load(text, len, &diags);
	bool found = false;
	for (size_t i = 0; i < diags.count; i++)
		found |= strstr(diags.items[i].message, needle) && (!line || diags.items[i].pos.line == line);
	if (d || !found)
		diag_print(&diags, stderr);
	assert_null(d);
	assert_true(found);
	diag_free(&diags);
}

static double
seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Item 9: 60 000 nested brackets are refused with an error, not a crash. */
static void
test_deep_nesting(void **state)
{
	(void)state;
	for (int kind = 0; kind < 3; kind++) {
		size_t n = 60000;
		char *text = xmalloc(n * 4 + 64);
		size_t len = 0;
		for (size_t i = 0; i < n; i++)
			len += (size_t)sprintf(text + len, kind == 0 ? "[" : kind == 1 ? "{a: " : "- ");
		if (kind == 2)
			len += (size_t)sprintf(text + len, "x");
		text[len++] = '\n';
		text[len] = '\0';
		assert_refused(text, len, 1, "nested deeper than 32 levels");
		free(text);
	}
	/* 32 levels are still read */
	char text[256] = "";
	for (int i = 0; i < YNODE_MAX_DEPTH; i++)
		strcat(text, "[");
	for (int i = 0; i < YNODE_MAX_DEPTH; i++)
		strcat(text, "]");
	struct diag_list diags = {0};
	struct ynode *root = ynode_load_buffer("t.yaml", text, strlen(text), &diags);
	assert_non_null(root);
	ynode_free(root);
	diag_free(&diags);
}

/* Item 10: duplicate keys are found in time linear in the mapping's size. */
static void
test_many_keys(void **state)
{
	(void)state;
	size_t n = 200000;
	char *text = xmalloc(n * 16 + 64);
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "k%zu: 1\n", i);
	len += (size_t)sprintf(text + len, "k17: 2\n");
	double start = seconds();
	struct diag_list diags = {0};
	struct ynode *root = ynode_load_buffer("t.yaml", text, len, &diags);
	double took = seconds() - start;
	assert_null(root);
	assert_int_equal(diags.count, 1);
	assert_string_equal(diags.items[0].message, "duplicate key 'k17' (first at line 18)");
	assert_int_equal(diags.items[0].pos.line, (int)n + 1);
	diag_free(&diags);
	/* the quadratic search took 115 s for this; allow for a slow sanitizer build */
	assert_true(took < 20.0);
	/* every key distinct: read whole */
	len -= strlen("k17: 2\n");
	root = ynode_load_buffer("t.yaml", text, len, &diags);
	assert_non_null(root);
	assert_int_equal(root->count, 2 * n);
	assert_string_equal(ynode_get(root, "k199999")->scalar, "1");
	ynode_free(root);
	diag_free(&diags);
	free(text);
}

/* Item 11: a cell reached twice, through the nested and the dotted form, is an error
 * naming both places. */
static void
test_cell_twice(void **state)
{
	(void)state;
	const char *text = HEADER
		"proactive:\n"
		"  art20_1:\n"
		"    rules: {issued: 1, repealed: 0, in_force: 0}\n"
		"proactive.art20_1:\n"
		"  rules: {issued: 5}\n";
	assert_refused(text, strlen(text), 9, "proactive.art20_1.rules.issued is given twice (first at line 7, column 21)");
	/* different cells of one table through the two forms are fine */
	const char *fine = HEADER
		"proactive:\n"
		"  art20_1:\n"
		"    rules: {issued: 1}\n"
		"proactive.art20_1:\n"
		"  rules: {repealed: 5}\n";
	struct diag_list diags = {0};
	struct draft *d = load(fine, strlen(fine), &diags);
	assert_non_null(d);
	draft_free(d);
	diag_free(&diags);
}

/* Item 8: the one escaping function shows every control character visibly. */
static void
test_escape(void **state)
{
	(void)state;
	char *s = diag_escape("a\x1b]0;owned\x07" "b\nc\td\x7f" "e\xc2\x9b" "f\xe2\x80\xae" "g\xe2\x81\xa6"
	                      "h\xe2\x80\xa8" "i\xff" "j 中文");
	assert_string_equal(s, "a\\x1b]0;owned\\x07b\\nc\\td\\x7fe\\x9bf\\u202eg\\u2066h\\u2028i\\xffj 中文");
	free(s);
	s = diag_escape_text("l1\n\tl2\x1b[2J", 10, true);
	assert_string_equal(s, "l1\n\tl2\\x1b[2J");
	free(s);
	/* a diagnostic quoting a hostile value prints on one line with no control character */
	struct diag_list diags = {0};
	diag_add(&diags, DIAG_ERROR, (struct srcpos){"x\x1b[2J.yaml", 3, 1}, "'%s' is bad", "\x1b]0;t\x07\nx.yaml:1:1: error: forged");
	char *out = NULL;
	size_t out_len = 0;
	FILE *f = open_memstream(&out, &out_len);
	diag_print(&diags, f);
	fclose(f);
	assert_string_equal(out, "x\\x1b[2J.yaml:3:1: error: '\\x1b]0;t\\x07\\nx.yaml:1:1: error: forged' is bad\n");
	free(out);
	diag_free(&diags);
	/* report text: controls removed, newlines kept */
	char text[] = "甲\x1b[31m乙\n\xe2\x80\xae丙\t丁\xc2\x85";
	size_t len = strlen(text);
	assert_int_equal(diag_strip_controls(text, &len), 3);
	assert_string_equal(text, "甲[31m乙\n丙 丁");
	assert_int_equal(len, strlen(text));
}

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_cell_twice),
		cmocka_unit_test(test_escape),
	};
	return cmocka_run_group_tests_name("hostile", tests, setup, teardown);
}
