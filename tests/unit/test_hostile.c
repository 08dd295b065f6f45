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

#include "nianbao/check.h"
#include "nianbao/diag.h"
#include "nianbao/draft.h"
#include "nianbao/lockfile.h"
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

/* The smaller items: a value error quotes exactly what was written. */
static void
test_quoted_as_written(void **state)
{
	(void)state;
	const char *text = HEADER
		"proactive:\n"
		"  art20_1:\n"
		"    rules: {issued: 1., repealed: 1.50, in_force: 0}\n";
	struct diag_list diags = {0};
	struct draft *d = load(text, strlen(text), &diags);
	assert_non_null(d);
	struct check_report report = {0};
	checks_run(d, NULL, &report);
	bool one = false, half = false;
	for (size_t i = 0; i < report.count; i++) {
		one |= strstr(report.items[i].message, "'1.' must be a whole number") != NULL;
		half |= strstr(report.items[i].message, "'1.50' must be a whole number") != NULL;
	}
	assert_true(one);
	assert_true(half);
	check_report_free(&report);
	/* a clone keeps it */
	struct draft *copy = draft_clone(d);
	assert_string_equal(copy->cell_written[template_find_cell(d->tpl, "proactive.art20_1.rules.issued")], "1.");
	draft_free(copy);
	draft_free(d);
	diag_free(&diags);
	const char *quoted = "nianbao: 1\ntemplate: gov-info-2021\nyear: \"2021\"\n";
	assert_refused(quoted, strlen(quoted), 3,
	               "'year' must be a number, written without quotes (year: 2021), not the quoted text \"2021\"");
	const char *bad = "nianbao: 1\ntemplate: gov-info-2021\nyear: 20x1\n";
	assert_refused(bad, strlen(bad), 3, "'year' must be a year such as 2021, not '20x1'");
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

/* ---- item 4: every draft nianbao writes loads back equal ---- */

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint32_t
next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

/* A code point from the classes that break YAML writers: every C0 and C1 control, DEL, the
 * line and paragraph separators, NEL, noncharacters, the BOM, bidi controls, lone
 * combining marks, YAML's own punctuation, CJK, emoji. */
static uint32_t
random_code_point(void)
{
	static const uint32_t specials[] = {
		0x85, 0x2028, 0x2029, 0xfeff, 0xfffe, 0xffff, 0xfdd0, 0xfdef, 0x1fffe, 0x10ffff, 0x202a,
		0x202e, 0x2066, 0x2069, 0x200b, 0x3000, 0xa0, '"', '\\', '#', ':', '-', '|', '>', '\'',
		'&', '*', '!', '%', '@', '`', '{', '}', '[', ']', ',', '?', '~', ' ', ' ', '\n', '\n', '\t', '\r',
	};
	switch (next_random() % 9) {
	case 0: return next_random() % 0x20;                       /* C0 */
	case 1: return 0x7f + next_random() % 0x21;                /* DEL, C1 */
	case 2: return specials[next_random() % (sizeof specials / sizeof specials[0])];
	case 3: return 0x300 + next_random() % 0x70;               /* combining marks */
	case 4: return 0x4e00 + next_random() % 0x5000;            /* CJK */
	case 5: return 0x1f600 + next_random() % 0x50;             /* emoji */
	case 6: {                                                  /* anything but surrogates */
		uint32_t cp = 1 + next_random() % 0x10ffff;
		return cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp;
	}
	default: return 0x20 + next_random() % 0x5f;               /* printable ASCII */
	}
}

static char *
random_text(size_t max_chars)
{
	size_t n = next_random() % (max_chars + 1);
	char *s = xmalloc(n * UTF8_MAX_BYTES + 1), *o = s;
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = random_code_point();
		if (cp == 0)
			cp = 0x1;   /* a C string cannot hold NUL; the loader refuses it in a file */
		o += utf8_encode(cp, o);
	}
	*o = '\0';
	return s;
}

static void
assert_same_draft(const struct draft *a, const struct draft *b)
{
	assert_string_equal(a->organization, b->organization);
	if (a->previous || b->previous) {
		assert_non_null(a->previous);
		assert_non_null(b->previous);
		assert_string_equal(a->previous, b->previous);
	}
	for (int i = 0; i < a->tpl->text_count; i++) {
		assert_true(!a->texts[i] == !b->texts[i]);
		if (a->texts[i])
			assert_string_equal(a->texts[i], b->texts[i]);
	}
}

/* Text from an import, a paste or a hand-written "\u2028" escape in a draft: saved,
 * loaded, it is the same text. */
static void
test_save_load_property(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	const struct template *tpl = template_cache_get(cache, "gov-info-2021", (struct srcpos){0}, &diags);
	assert_non_null(tpl);
	char dir[] = "/tmp/nianbao-test-hostile.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/d.yaml", dir);
	for (int round = 0; round < 3000; round++) {
		struct draft *d = draft_new(tpl);
		d->year = 2021;
		free(d->organization);
		d->organization = random_text(12);
		if (round % 3 == 0)
			d->previous = random_text(8);
		for (int t = 0; t < tpl->text_count; t++) {
			char *text = random_text(round % 5 == 0 ? 200 : 30);
			draft_set_text(d, t, text);
			free(text);
		}
		size_t len;
		char *yaml = draft_serialize(d, &len);
		struct draft *back = draft_load_buffer("d.yaml", yaml, len, cache, &diags);
		if (!back) {
			diag_print(&diags, stderr);
			fprintf(stderr, "round %d wrote:\n%s\n", round, yaml);
		}
		assert_non_null(back);
		assert_same_draft(d, back);
		size_t len2;
		char *again = draft_serialize(back, &len2);
		assert_int_equal(len, len2);
		assert_memory_equal(yaml, again, len);
		free(again);
		draft_free(back);
		/* the autosave and the save, through the files, every tenth round */
		if (round % 10 == 0) {
			struct lock_owner o;
			assert_int_equal(lock_acquire(path, &o, &diags), LOCK_TAKEN);
			assert_true(autosave_write(path, yaml, len, &diags));
			char *auto_path = autosave_path_for(path);
			back = draft_load(auto_path, cache, &diags);
			assert_non_null(back);
			assert_same_draft(d, back);
			draft_free(back);
			assert_true(autosave_remove(path));
			free(auto_path);
			assert_true(draft_save(d, path, &diags));
			back = draft_load(path, cache, &diags);
			assert_non_null(back);
			assert_same_draft(d, back);
			draft_free(back);
			lock_release(path);
		}
		free(yaml);
		draft_free(d);
		diag_free(&diags);
	}
	/* the characters the issue names, one by one, in the organization and a text */
	static const char *const named[] = {"\xe2\x80\xa8", "\xe2\x80\xa9", "\xc2\x85", "\xc2\x9b", "\xef\xbf\xbe",
	                                    "\xef\xbb\xbf", "\xcc\x81", "\x1b", "\x7f"};
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
		struct draft *d = draft_new(tpl);
		free(d->organization);
		d->organization = xasprintf("甲%s乙", named[i]);
		char *text = xasprintf("%s第一段%s\n第二段%s", named[i], named[i], named[i]);
		draft_set_text(d, tpl->preface, text);
		free(text);
		size_t len;
		char *yaml = draft_serialize(d, &len);
		struct draft *back = draft_load_buffer("d.yaml", yaml, len, cache, &diags);
		if (!back)
			diag_print(&diags, stderr);
		assert_non_null(back);
		assert_same_draft(d, back);
		draft_free(back);
		free(yaml);
		draft_free(d);
		diag_free(&diags);
	}
	char *backup = xasprintf("%s~", path);
	unlink(backup);
	unlink(path);
	rmdir(dir);
	free(backup);
	free(path);
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
		cmocka_unit_test(test_quoted_as_written),
		cmocka_unit_test(test_save_load_property),
	};
	return cmocka_run_group_tests_name("hostile", tests, setup, teardown);
}
