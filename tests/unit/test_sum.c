/* nianbao sum: exact totals, money, blanks, mismatched template or year, duplicates,
 * and the sum-sources check after a unit changes. */
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

#include "nianbao/atomicio.h"
#include "nianbao/sha256.h"
#include "nianbao/sum.h"

static char tmpdir[] = "/tmp/nianbao-test-sum.XXXXXX";
static struct template_cache *cache;

static int
setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	cache = template_cache_new(NULL);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	template_cache_free(cache);
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	int rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static const struct template *
tpl_of(const char *id)
{
	struct diag_list diags = {0};
	const struct template *t = template_cache_get(cache, id, (struct srcpos){0}, &diags);
	assert_non_null(t);
	diag_free(&diags);
	return t;
}

/* A unit whose input cell c holds base + c (money: plus 0.0001 * c), written to NAME. */
static char *
make_unit(const char *name, const char *tpl_id, const char *org, int year, int base)
{
	const struct template *t = tpl_of(tpl_id);
	struct draft *d = draft_new(t);
	free(d->organization);
	d->organization = xstrdup(org);
	d->year = year;
	for (int c = 0; c < t->cell_count; c++) {
		if (t->cells[c].formula >= 0)
			continue;
		struct value v = value_units(base + c % 7);
		if (t->cells[c].type == VALUE_MONEY)
			v.scaled += c % 10;   /* 0.000c 万元 */
		d->cells[c] = v;
	}
	template_recompute_all(t, d->cells);
	char *path = xasprintf("%s/%s", tmpdir, name);
	struct diag_list diags = {0};
	assert_true(draft_save(d, path, &diags));
	diag_free(&diags);
	draft_free(d);
	return path;
}

static struct draft *
load(const char *path)
{
	struct diag_list diags = {0};
	struct draft *d = draft_load(path, cache, &diags);
	if (!d)
		diag_print(&diags, stderr);
	assert_non_null(d);
	diag_free(&diags);
	return d;
}

/* Adds a file as the CLI does (hash of its bytes); returns sum_add's answer. */
static bool
add(struct sum *s, const char *path, struct diag_list *diags)
{
	char hex[SHA256_HEX_SIZE];
	assert_true(sum_hash_file(path, hex, diags));
	struct draft *d = load(path);
	bool ok = sum_add(s, d, path, hex, 0, diags);
	draft_free(d);
	return ok;
}

static bool
has_message(const struct diag_list *diags, const char *a, const char *b)
{
	for (size_t i = 0; i < diags->count; i++)
		if (strstr(diags->items[i].message, a) && (!b || strstr(diags->items[i].message, b)))
			return true;
	return false;
}

static void
test_sha256(void **state)
{
	(void)state;
	char hex[SHA256_HEX_SIZE];
	sha256_hex_of("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_hex_of("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	sha256_hex_of(m, strlen(m), hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* fed in pieces that straddle the 64-byte blocks */
	struct sha256 ctx;
	sha256_init(&ctx);
	char a[1000];
	memset(a, 'a', sizeof a);
	for (int i = 0; i < 1000; i++)
		sha256_update(&ctx, a, 1000);
	/* 1 000 000 bytes of 'a' (the FIPS 180-2 vector), fed 1000 at a time */
	sha256_hex(&ctx, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void
test_exact_sum_and_money(void **state)
{
	(void)state;
	char *a = make_unit("a.yaml", "gov-info-2021", "甲局", 2021, 1);
	char *b = make_unit("b.yaml", "gov-info-2021", "乙局", 2021, 100);
	char *level = xasprintf("%s/level.yaml", tmpdir);
	struct sum *s = sum_new(0, level);
	struct diag_list diags = {0};
	assert_true(add(s, a, &diags));
	assert_true(add(s, b, &diags));
	struct draft *d = sum_finish(s, cache, "某区人民政府", &diags);
	assert_non_null(d);
	assert_int_equal(diags.count, 0);
	struct draft *da = load(a), *db = load(b);
	const struct template *t = d->tpl;
	for (int c = 0; c < t->cell_count; c++) {
		assert_true(d->cells[c].set);
		assert_true(d->cells[c].scaled == da->cells[c].scaled + db->cells[c].scaled);
	}
	/* money: 0.000x 万元 amounts add without any rounding */
	int fee = template_find_cell(t, "proactive.art20_8.fees.amount");
	assert_true(fee >= 0);
	char buf[VALUE_FORMAT_MAX];
	value_format(d->cells[fee], buf, sizeof buf);
	struct value expect = {da->cells[fee].scaled + db->cells[fee].scaled, true};
	char want[VALUE_FORMAT_MAX];
	value_format(expect, want, sizeof want);
	assert_string_equal(buf, want);
	assert_true(d->cells[fee].scaled % VALUE_SCALE != 0);
	/* 二's 本年制发, 本年废止, 现行有效 are summed like any cell */
	int in_force = template_find_cell(t, "proactive.art20_1.normative.in_force");
	assert_true(in_force >= 0 && d->cells[in_force].scaled == da->cells[in_force].scaled + db->cells[in_force].scaled);
	/* the narrative is empty, the header is the level's, the sources are recorded */
	for (int x = 0; x < t->text_count; x++)
		assert_null(d->texts[x]);
	assert_string_equal(d->organization, "某区人民政府");
	assert_int_equal(d->year, 2021);
	assert_int_equal(d->source_count, 2);
	assert_string_equal(d->sources[0].file, "a.yaml");
	assert_string_equal(d->sources[0].organization, "甲局");
	char hex[SHA256_HEX_SIZE];
	assert_true(sum_hash_file(a, hex, &diags));
	assert_string_equal(d->sources[0].sha256, hex);
	/* saved and loaded back: the same sources, and the check finds nothing */
	assert_true(draft_save(d, level, &diags));
	struct draft *back = load(level);
	assert_int_equal(back->source_count, 2);
	assert_string_equal(back->sources[1].file, "b.yaml");
	assert_string_equal(back->sources[1].sha256, d->sources[1].sha256);
	sum_check_sources(back, cache, &diags);
	assert_int_equal(diags.count, 0);
	draft_free(back);
	draft_free(da);
	draft_free(db);
	draft_free(d);
	diag_free(&diags);
	sum_free(s);
	free(a);
	free(b);
	free(level);
}

static void
test_blank_stays_blank(void **state)
{
	(void)state;
	char *a = make_unit("blank-a.yaml", "gov-info-2021", "甲局", 2021, 1);
	char *b = make_unit("blank-b.yaml", "gov-info-2021", "乙局", 2021, 2);
	char *c = make_unit("blank-c.yaml", "gov-info-2021", "丙局", 2021, 3);
	/* b and c leave 自然人 of 一 blank */
	for (char **p = (char *[]){b, c, NULL}; *p; p++) {
		struct draft *d = load(*p);
		draft_set_cell(d, template_find_cell(d->tpl, "requests.new.natural"), value_blank());
		struct diag_list diags = {0};
		assert_true(draft_save(d, *p, &diags));
		draft_free(d);
	}
	char *level = xasprintf("%s/level.yaml", tmpdir);
	struct sum *s = sum_new(0, level);
	struct diag_list diags = {0};
	assert_true(add(s, a, &diags) && add(s, b, &diags) && add(s, c, &diags));
	struct draft *d = sum_finish(s, cache, "", &diags);
	assert_non_null(d);
	int cell = template_find_cell(d->tpl, "requests.new.natural");
	assert_false(d->cells[cell].set);
	/* the row's total depends on it, so it is blank too; the next column is summed */
	assert_false(d->cells[template_find_cell(d->tpl, "requests.new.total")].set);
	assert_true(d->cells[template_find_cell(d->tpl, "requests.new.business")].set);
	assert_int_equal(diag_count(&diags, DIAG_ERROR), 1);
	assert_true(has_message(&diags, "requests.new.natural", "2 units"));
	assert_true(has_message(&diags, "乙局", "丙局"));
	assert_false(has_message(&diags, "甲局", NULL));
	draft_free(d);
	diag_free(&diags);
	sum_free(s);
	free(a);
	free(b);
	free(c);
	free(level);
}

static void
test_mismatched_template(void **state)
{
	(void)state;
	char *a = make_unit("t-a.yaml", "gov-info-2021", "甲局", 2021, 1);
	char *b = make_unit("t-b.yaml", "gov-info-2019", "乙局", 2021, 1);
	char *c = make_unit("t-c.yaml", "gov-info-2021", "丙局", 2021, 1);
	struct sum *s = sum_new(0, a);
	struct diag_list diags = {0};
	/* the odd one out comes first: it is still the one named */
	assert_true(add(s, b, &diags) && add(s, a, &diags) && add(s, c, &diags));
	assert_null(sum_finish(s, cache, "", &diags));
	assert_true(has_message(&diags, "乙局", "template gov-info-2019"));
	assert_true(has_message(&diags, "2 units have template gov-info-2021", NULL));
	assert_false(has_message(&diags, "甲局", NULL));
	diag_free(&diags);
	sum_free(s);
	free(a);
	free(b);
	free(c);
}

static void
test_mismatched_year(void **state)
{
	(void)state;
	char *a = make_unit("y-a.yaml", "gov-info-2021", "甲局", 2021, 1);
	char *b = make_unit("y-b.yaml", "gov-info-2021", "乙局", 2022, 1);
	char *c = make_unit("y-c.yaml", "gov-info-2021", "丙局", 2021, 1);
	struct sum *s = sum_new(0, a);
	struct diag_list diags = {0};
	assert_true(add(s, a, &diags) && add(s, b, &diags) && add(s, c, &diags));
	assert_null(sum_finish(s, cache, "", &diags));
	assert_true(has_message(&diags, "乙局", "year 2022"));
	assert_true(has_message(&diags, "2 units are for 2021", NULL));
	diag_free(&diags);
	sum_free(s);
	/* --year: every unit must be for it */
	s = sum_new(2022, a);
	assert_true(add(s, a, &diags) && add(s, b, &diags) && add(s, c, &diags));
	assert_null(sum_finish(s, cache, "", &diags));
	assert_true(has_message(&diags, "甲局", "year 2021"));
	assert_true(has_message(&diags, "丙局", "year 2021"));
	diag_free(&diags);
	sum_free(s);
	s = sum_new(2020, a);
	assert_true(add(s, a, &diags));
	assert_null(sum_finish(s, cache, "", &diags));
	assert_true(has_message(&diags, "2020", NULL));
	diag_free(&diags);
	sum_free(s);
	free(a);
	free(b);
	free(c);
}

static void
test_duplicates(void **state)
{
	(void)state;
	char *a = make_unit("d-a.yaml", "gov-info-2021", "甲局", 2021, 1);
	char *b = make_unit("d-b.yaml", "gov-info-2021", "甲局", 2021, 5);
	char *dots = xasprintf("%s/./d-a.yaml", tmpdir);
	struct sum *s = sum_new(0, a);
	struct diag_list diags = {0};
	assert_true(add(s, a, &diags));
	/* the same organization in another file */
	assert_false(add(s, b, &diags));
	assert_true(has_message(&diags, "甲局", "d-a.yaml"));
	diag_free(&diags);
	/* the same file under another name */
	assert_false(add(s, dots, &diags));
	assert_true(has_message(&diags, "same file", "d-a.yaml"));
	diag_free(&diags);
	sum_free(s);
	free(a);
	free(b);
	free(dots);
}

static void
test_overflow_is_blank(void **state)
{
	(void)state;
	char *a = make_unit("o-a.yaml", "gov-info-2021", "甲局", 2021, 0);
	char *b = make_unit("o-b.yaml", "gov-info-2021", "乙局", 2021, 0);
	for (char **p = (char *[]){a, b, NULL}; *p; p++) {
		struct draft *d = load(*p);
		draft_set_cell(d, template_find_cell(d->tpl, "requests.new.legal"), value_units(999999999));
		struct diag_list diags = {0};
		assert_true(draft_save(d, *p, &diags));
		draft_free(d);
	}
	struct sum *s = sum_new(0, a);
	struct diag_list diags = {0};
	assert_true(add(s, a, &diags) && add(s, b, &diags));
	struct draft *d = sum_finish(s, cache, "", &diags);
	assert_non_null(d);
	assert_false(d->cells[template_find_cell(d->tpl, "requests.new.legal")].set);
	assert_true(has_message(&diags, "requests.new.legal", "more than a cell can hold"));
	draft_free(d);
	diag_free(&diags);
	sum_free(s);
	free(a);
	free(b);
}

static void
test_sources_changed(void **state)
{
	(void)state;
	char *a = make_unit("s-a.yaml", "gov-info-2021", "甲局", 2021, 1);
	char *b = make_unit("s-b.yaml", "gov-info-2021", "乙局", 2021, 2);
	char *level = xasprintf("%s/s-level.yaml", tmpdir);
	struct sum *s = sum_new(0, level);
	struct diag_list diags = {0};
	assert_true(add(s, a, &diags) && add(s, b, &diags));
	struct draft *d = sum_finish(s, cache, "某区", &diags);
	assert_true(draft_save(d, level, &diags));
	draft_free(d);
	sum_free(s);
	d = load(level);
	sum_check_sources(d, cache, &diags);
	assert_int_equal(diags.count, 0);

	/* a unit's figure changes after summing: changed, and the sum no longer adds up */
	struct draft *u = load(b);
	int cell = template_find_cell(u->tpl, "requests.granted.business");
	draft_set_cell(u, cell, value_units(u->cells[cell].scaled / VALUE_SCALE + 3));
	assert_true(draft_save(u, b, &diags));
	sum_check_sources(d, cache, &diags);
	assert_true(has_message(&diags, "s-b.yaml", "changed since"));
	assert_true(has_message(&diags, "requests.granted.business", "add up to"));
	assert_false(has_message(&diags, "s-a.yaml", NULL));
	for (size_t i = 0; i < diags.count; i++)
		assert_int_equal(diags.items[i].severity, DIAG_WARNING);
	diag_free(&diags);

	/* only its narrative changes: changed, but the figures still add up */
	draft_set_cell(u, cell, value_units(u->cells[cell].scaled / VALUE_SCALE - 3));
	draft_set_text(u, template_find_text(u->tpl, "overview"), "改过的总体情况。");
	assert_true(draft_save(u, b, &diags));
	sum_check_sources(d, cache, &diags);
	assert_int_equal(diags.count, 1);
	assert_true(has_message(&diags, "s-b.yaml", "changed since"));
	diag_free(&diags);

	/* the clerk edits the level's figure instead */
	struct draft *edited = draft_clone(d);
	int level_cell = template_find_cell(d->tpl, "requests.new.natural");
	draft_set_cell(edited, level_cell, value_units(edited->cells[level_cell].scaled / VALUE_SCALE + 1));
	sum_check_sources(edited, cache, &diags);
	assert_true(has_message(&diags, "requests.new.natural", "add up to"));
	diag_free(&diags);
	draft_free(edited);

	/* a unit gone */
	assert_int_equal(unlink(a), 0);
	sum_check_sources(d, cache, &diags);
	assert_true(has_message(&diags, "s-a.yaml", "cannot be read"));
	diag_free(&diags);
	draft_free(u);
	draft_free(d);
	free(a);
	free(b);
	free(level);
}

static void
test_sources_schema(void **state)
{
	(void)state;
	static const char good[] =
		"nianbao: 1\ntemplate: gov-info-2021\norganization: 某区\nyear: 2021\n"
		"sources:\n  - file: units/a.yaml\n    organization: 甲局\n"
		"    sha256: 0000000000000000000000000000000000000000000000000000000000000000\n    errors: 2\n";
	struct diag_list diags = {0};
	struct draft *d = draft_load_buffer("good.yaml", good, sizeof good - 1, cache, &diags);
	assert_non_null(d);
	assert_int_equal(d->source_count, 1);
	assert_int_equal(d->sources[0].errors, 2);
	assert_int_equal(d->sources[0].pos.line, 6);
	size_t len;
	char *text = draft_serialize(d, &len);
	assert_non_null(strstr(text, "sources:\n  - file: units/a.yaml\n    organization: 甲局\n    sha256: 0000"));
	assert_non_null(strstr(text, "    errors: 2\n"));
	free(text);
	draft_free(d);
	static const char *const bad[][2] = {
		{"sources: 3\n", "must be a list"},
		{"sources:\n  - x\n", "must be a mapping"},
		{"sources:\n  - {file: a.yaml}\n", "needs 'sha256:'"},
		{"sources:\n  - {sha256: 0000000000000000000000000000000000000000000000000000000000000000}\n", "needs 'file:'"},
		{"sources:\n  - {file: a.yaml, sha256: xyz}\n", "64 lowercase"},
		{"sources:\n  - {file: a.yaml, sha256: 0000000000000000000000000000000000000000000000000000000000000000, "
		 "colour: red}\n", "unknown key 'colour'"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *buf = xasprintf("nianbao: 1\ntemplate: gov-info-2021\norganization: x\nyear: 2021\n%s", bad[i][0]);
		assert_null(draft_load_buffer("bad.yaml", buf, strlen(buf), cache, &diags));
		if (!has_message(&diags, bad[i][1], NULL)) {
			diag_print(&diags, stderr);
			fail_msg("case %zu: no '%s'", i, bad[i][1]);
		}
		diag_free(&diags);
		free(buf);
	}
}

static void
test_relative_path(void **state)
{
	(void)state;
	char *sub = xasprintf("%s/units/x", tmpdir);
	char *cmd = xasprintf("mkdir -p '%s'", sub);
	assert_int_equal(system(cmd), 0);
	char *file = xasprintf("%s/a.yaml", sub);
	char *rel = sum_relative_path(tmpdir, file);
	assert_string_equal(rel, "units/x/a.yaml");
	free(rel);
	char *up = xasprintf("%s/b.yaml", tmpdir);
	rel = sum_relative_path(sub, up);
	assert_string_equal(rel, "../../b.yaml");
	free(rel);
	free(up);
	rel = sum_relative_path("/", "/etc/hostname");
	assert_string_equal(rel, "/etc/hostname");
	free(rel);
	/* nothing shared but the root: the absolute path */
	rel = sum_relative_path(tmpdir, "/etc/hostname");
	assert_string_equal(rel, "/etc/hostname");
	free(rel);
	free(sub);
	free(cmd);
	free(file);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_exact_sum_and_money),
		cmocka_unit_test(test_blank_stays_blank),
		cmocka_unit_test(test_mismatched_template),
		cmocka_unit_test(test_mismatched_year),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_overflow_is_blank),
		cmocka_unit_test(test_sources_changed),
		cmocka_unit_test(test_sources_schema),
		cmocka_unit_test(test_relative_path),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
