#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "nianbao/atomicio.h"
#include "nianbao/draft.h"
#include "nianbao/value.h"
#include "textgen.h"

static struct template_cache *cache;
static char tmpdir[] = "/tmp/nianbao-test-draft.XXXXXX";

static const char good[] =
	"nianbao: 1\n"
	"template: gov-info-2021\n"
	"organization: 济宁经济技术开发区党工委组织部\n"
	"year: 2021\n"
	"overview: |\n"
	"  2021年，区组织部认真贯彻落实《中华人民共和国政府信息公开条例》。\n"
	"\n"
	"  全年共收到政府信息公开申请3件。\n"
	"proactive:\n"
	"  art20_1:\n"
	"    rules: {issued: 0, repealed: 0, in_force: 0}\n"
	"    normative: {issued: 24, repealed: 0, in_force: 24}\n"
	"  art20_8:\n"
	"    fees: {amount: 19.7}\n"
	"requests:\n"
	"  new: {natural: 2, business: 1, research: 0, nonprofit: 0, legal: 0, other: 0}\n"
	"  carried_out: {natural: ~, business: 0, research: 0, nonprofit: 0, legal: 0, other: 0}\n"
	"problems: 无。\n";

static struct draft *
load(const char *text, struct diag_list *diags)
{
	return draft_load_buffer("t.yaml", text, strlen(text), cache, diags);
}

static void
assert_error(const char *text, int line, int col, const char *needle)
{
	struct diag_list diags = {0};
	struct draft *d = load(text, &diags);
	assert_null(d);
	bool found = false;
	for (size_t i = 0; i < diags.count; i++)
		if (strstr(diags.items[i].message, needle) && diags.items[i].pos.line == line &&
		    (!col || diags.items[i].pos.col == col))
			found = true;
	if (!found) {
		diag_print(&diags, stderr);
		fail_msg("expected '%s' at %d:%d", needle, line, col);
	}
	diag_free(&diags);
}

static char *
with(const char *from, const char *to)
{
	const char *at = strstr(good, from);
	assert_non_null(at);
	return xasprintf("%.*s%s%s", (int)(at - good), good, to, at + strlen(from));
}

static void
test_load_values(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	struct draft *d = load(good, &diags);
	if (!d)
		diag_print(&diags, stderr);
	assert_non_null(d);
	const struct template *t = d->tpl;
	assert_string_equal(t->id, "gov-info-2021");
	assert_string_equal(d->organization, "济宁经济技术开发区党工委组织部");
	assert_int_equal(d->year, 2021);
	int normative = template_find_cell(t, "proactive.art20_1.normative.issued");
	assert_int_equal(d->cells[normative].scaled, 24 * VALUE_SCALE);
	assert_int_equal(d->cell_pos[normative].line, 12);
	assert_int_equal(d->cells[template_find_cell(t, "proactive.art20_8.fees.amount")].scaled, 19700000);
	/* blank is not zero; absent cells are blank too */
	assert_false(d->cells[template_find_cell(t, "requests.carried_out.natural")].set);
	assert_true(d->cells[template_find_cell(t, "requests.carried_out.business")].set);
	assert_false(d->cells[template_find_cell(t, "requests.granted.natural")].set);
	/* totals are computed on load */
	assert_int_equal(d->cells[template_find_cell(t, "requests.new.total")].scaled, 3 * VALUE_SCALE);
	assert_false(d->cells[template_find_cell(t, "requests.carried_out.total")].set);
	const char *overview = d->texts[template_find_text(t, "overview")];
	assert_string_equal(overview, "2021年，区组织部认真贯彻落实《中华人民共和国政府信息公开条例》。\n\n"
	                              "全年共收到政府信息公开申请3件。");
	assert_string_equal(d->texts[template_find_text(t, "problems")], "无。");
	assert_null(d->texts[template_find_text(t, "other_matters")]);
	draft_free(d);
	diag_free(&diags);
}

static void
test_round_trip(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	struct draft *d = load(good, &diags);
	assert_non_null(d);
	draft_set_text(d, template_find_text(d->tpl, "other_matters"),
	               "  leading spaces\r\n第二行\t \r\n\r\n\n第三段 \n\n");
	draft_set_text(d, d->tpl->preface, "organization: \"quoted\" # not a comment");
	free(d->organization);
	d->organization = xstrdup("- 某局: 办公室");
	/* money to the fen: 75394432.52元 = 7539.443252 万元, kept through save and load */
	d->cells[template_find_cell(d->tpl, "proactive.art20_8.fees.amount")] = (struct value){7539443252LL, true};
	size_t len1, len2;
	char *first = draft_serialize(d, &len1);
	struct draft *again = draft_load_buffer("again.yaml", first, len1, cache, &diags);
	if (!again) {
		diag_print(&diags, stderr);
		fprintf(stderr, "%s", first);
	}
	assert_non_null(again);
	/* load -> save -> load gives the same model */
	assert_string_equal(again->organization, d->organization);
	assert_int_equal(again->year, d->year);
	for (int c = 0; c < d->tpl->cell_count; c++) {
		assert_int_equal(again->cells[c].set, d->cells[c].set);
		assert_int_equal(again->cells[c].scaled, d->cells[c].scaled);
	}
	for (int x = 0; x < d->tpl->text_count; x++) {
		if (!d->texts[x])
			assert_null(again->texts[x]);
		else
			assert_string_equal(again->texts[x], d->texts[x]);
	}
	assert_string_equal(d->texts[template_find_text(d->tpl, "other_matters")], "  leading spaces\n第二行\n\n\n第三段");
	/* save -> load -> save gives the same bytes */
	char *second = draft_serialize(again, &len2);
	assert_int_equal(len1, len2);
	assert_memory_equal(first, second, len1);
	/* every cell is written, computed cells never, CJK as-is */
	assert_non_null(strstr(first, "  granted: {natural: ~, business: ~"));
	assert_null(strstr(first, "total"));
	assert_non_null(strstr(first, "organization: \"- 某局: 办公室\"\n"));
	assert_non_null(strstr(first, "other_matters: |2\n    leading spaces\n  第二行\n\n\n  第三段\n"));
	free(first);
	free(second);
	draft_free(again);
	draft_free(d);
	diag_free(&diags);
}

static void
test_bad_inputs(void **state)
{
	(void)state;
	char *s;
	assert_error("nianbao: 1\ntemplate: gov-info-2021\nyear: [2021\n", 4, 1, "malformed YAML");
	s = with("  art20_8:", "  art20_9:");
	assert_error(s, 13, 3, "unknown key 'proactive.art20_9'");
	free(s);
	s = with("problems:", "problemz:");
	assert_error(s, 18, 1, "unknown key 'problemz'");
	free(s);
	s = with("new: {natural: 2,", "new: {total: 3, natural: 2,");
	assert_error(s, 16, 9, "requests.new.total is computed by the template");
	free(s);
	s = with("new: {natural: 2,", "new: {natural: \"2\",");
	assert_error(s, 16, 18, "requests.new.natural must be a number, not text");
	free(s);
	s = with("new: {natural: 2,", "new: {natural: two,");
	assert_error(s, 16, 18, "'two' is not a number");
	free(s);
	s = with("new: {natural: 2,", "new: {natural: 1e3,");
	assert_error(s, 16, 18, "'1e3' is not a number");
	free(s);
	s = with("new: {natural: 2,", "new: {natural: -0,");
	assert_error(s, 16, 18, "'-0' is not a valid number; write 0");
	free(s);
	s = with("new: {natural: 2,", "new: {natural: 99999999999999999999999,");
	assert_error(s, 16, 18, "far too large");
	free(s);
	s = with("new: {natural: 2,", "new: {natural: 2, natural: 3,");
	assert_error(s, 16, 21, "duplicate key 'natural' (first at line 16)");
	free(s);
	s = with("template: gov-info-2021", "template: gov-info-2099");
	assert_error(s, 2, 11, "template 'gov-info-2099' is not installed");
	free(s);
	s = with("organization: 济宁", "organization: \xff\xfe济宁");
	assert_error(s, 3, 15, "not UTF-8 (byte 0xFF)");
	free(s);
	assert_error("nianbao: 1\ntemplate: gov-info-2021\nx: &a [1]\ny: *a\n", 3, 4, "anchors");
	assert_error("nianbao: 1\ntemplate: gov-info-2021\ny: *a\n", 3, 4, "aliases");
	assert_error("", 1, 1, "the file is empty");
	assert_error("\n  \n", 1, 1, "the file is empty");
	assert_error("nianbao: 1\ntemplate: gov-info-2021\nrequests:\n\tnew: {}\n", 4, 0, "tabs are not allowed");
	s = with("year: 2021", "year: 二〇二一");
	assert_error(s, 4, 7, "'year' must be a year");
	free(s);
	/* a NUL byte, with its position */
	char nul[] = "nianbao: 1\ntemplate: gov-info-2021\norgan\0ization: x\n";
	struct diag_list diags = {0};
	assert_null(draft_load_buffer("t.yaml", nul, sizeof nul - 1, cache, &diags));
	assert_non_null(strstr(diags.items[0].message, "NUL byte"));
	assert_int_equal(diags.items[0].pos.line, 3);
	assert_int_equal(diags.items[0].pos.col, 6);
	diag_free(&diags);
}

/* Bad UTF-8 anywhere gives the one plain message at the first bad byte, and nothing from
 * libyaml: whether it sits in a value, a key, a comment at the end, after a syntax error,
 * or is an overlong form, a surrogate, beyond U+10FFFF or cut off by the end of the file. */
static void
assert_only_utf8_error(const char *text, size_t len, int line, int col, unsigned byte)
{
	struct diag_list diags = {0};
	assert_null(draft_load_buffer("t.yaml", text, len, cache, &diags));
	if (diags.count != 1)
		diag_print(&diags, stderr);
	assert_int_equal(diags.count, 1);
	char *want = xasprintf("the file is not UTF-8 (byte 0x%02X); save it as UTF-8", byte);
	assert_string_equal(diags.items[0].message, want);
	assert_int_equal(diags.items[0].pos.line, line);
	assert_int_equal(diags.items[0].pos.col, col);
	free(want);
	diag_free(&diags);
}

static void
test_bad_utf8_anywhere(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int line, col;
		unsigned byte;
	} cases[] = {
		{"nianbao: 1\ntemplate: gov-info-2021\norganization: 济宁\xff\n", 3, 17, 0xFF},
		{"nianbao: 1\ntemplate: gov-info-2021\nor\xc0\x80g: x\n", 3, 3, 0xC0},
		{"nianbao: 1\ntemplate: gov-info-2021\n# 注释 \xed\xa0\x80\n", 3, 6, 0xED},
		{"nianbao: 1\ntemplate: [gov-info-2021\nyear: 2021 \xf5\x80\x80\x80\n", 3, 12, 0xF5},
		{"nianbao: 1\ntemplate: gov-info-2021\nyear: 2021\n\xe4\xb8", 4, 1, 0xE4},
		{"\xef\xbb\xbfnianbao: 1\ntemplate: gov-info-2021\nproblems: \"无\x80\"\n", 3, 13, 0x80},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		assert_only_utf8_error(cases[i].text, strlen(cases[i].text), cases[i].line, cases[i].col,
		                       cases[i].byte);
}

/* draft_set_text(d, 0, text) stores what draft_normalize_text makes of text. */
static void
set_text_is_normalize(struct draft *d, const char *text)
{
	char *want = draft_normalize_text(text);
	draft_set_text(d, 0, text);
	if (want[0])
		assert_string_equal(d->texts[0], want);
	else
		assert_null(d->texts[0]);
	free(want);
}

/* draft_set_text stores exactly what draft_normalize_text makes of a text, whether it
 * takes the short way (the text is already normal) or not. */
static void
test_set_text_is_normalize(void **state)
{
	(void)state;
	static const char *const pieces[] = {"a", "中文", " ", "\t", "\n", "\r", "\r\n", "\x01", "\x7f", "，"};
	struct diag_list diags = {0};
	struct draft *d = load(good, &diags);
	assert_non_null(d);
	unsigned long seed = 7;
	char text[64];
	for (int round = 0; round < 20000; round++) {
		size_t n = 0;
		seed = seed * 6364136223846793005ul + 1442695040888963407ul;
		int count = (int)((seed >> 33) % 9);
		for (int k = 0; k < count; k++) {
			seed = seed * 6364136223846793005ul + 1442695040888963407ul;
			const char *p = pieces[(seed >> 33) % (sizeof pieces / sizeof *pieces)];
			memcpy(text + n, p, strlen(p));
			n += strlen(p);
		}
		text[n] = '\0';
		set_text_is_normalize(d, text);
	}
	draft_free(d);
	diag_free(&diags);
}

/* The same on long texts, where the check for a normal text goes word by word (bytescan.h):
 * random report text with CR, tabs, trailing spaces and control characters anywhere, each
 * in a block of its own size so that a read past its end is caught; and each piece of
 * those placed at every offset of a long clean line. */
static void
test_set_text_long(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	struct draft *d = load(good, &diags);
	assert_non_null(d);
	uint64_t seed = 11;
	static char buf[4096];
	for (int round = 0; round < 4000; round++) {
		size_t len = textgen_fill(&seed, buf, sizeof buf, (int)(textgen_next(&seed) % 400));
		/* mostly clean texts, so that the short way is taken and checked too */
		if (round % 2)
			for (size_t i = 0; i < len; i++)
				if ((unsigned char)buf[i] < ' ' && buf[i] != '\n')
					buf[i] = 'x';
		char *text = textgen_exact(buf, len);
		set_text_is_normalize(d, text);
		free(text);
	}
	static const char *const bad[] = {" \n", "\t\n", "\r", "\x01", "\x7f", "\x1f", " ", "\n\n", "\n"};
	for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++)
		for (size_t at = 0; at <= 70; at++) {
			char line[128];
			for (size_t i = 0; i < 70; i++)
				line[i] = "\xe4\xb8\xad"[i % 3];
			size_t bl = strlen(bad[b]);
			memmove(line + at + bl, line + at, 70 - at);
			memcpy(line + at, bad[b], bl);
			char *text = textgen_exact(line, 70 + bl);
			set_text_is_normalize(d, text);
			free(text);
		}
	draft_free(d);
	diag_free(&diags);
}

static void
test_bom_and_crlf(void **state)
{
	(void)state;
	char *crlf = xstrdup("\xEF\xBB\xBFnianbao: 1\r\ntemplate: gov-info-2021\r\nproblems: |\r\n  一行\r\n  二行\r\n");
	struct diag_list diags = {0};
	struct draft *d = draft_load_buffer("t.yaml", crlf, strlen(crlf), cache, &diags);
	if (!d)
		diag_print(&diags, stderr);
	assert_non_null(d);
	assert_string_equal(d->texts[template_find_text(d->tpl, "problems")], "一行\n二行");
	draft_free(d);
	free(crlf);
}

static void
test_range_kept_for_check(void **state)
{
	(void)state;
	char *s = with("new: {natural: 2,", "new: {natural: -2,");
	struct diag_list diags = {0};
	struct draft *d = load(s, &diags);
	assert_non_null(d);
	int cell = template_find_cell(d->tpl, "requests.new.natural");
	assert_int_equal(d->cells[cell].scaled, -2 * VALUE_SCALE);
	assert_non_null(d->cell_issue);
	assert_int_equal(d->cell_issue[cell], VALUE_ERR_NEGATIVE);
	draft_free(d);
	free(s);
}

static void
test_carry_over(void **state)
{
	(void)state;
	static const char last_text[] =
		"nianbao: 1\ntemplate: gov-info-2019\norganization: 某区数据资源局\nyear: 2020\n"
		"overview: 去年的总体情况。\n"
		"requests:\n"
		"  carried_out: {natural: 3, business: 1, research: 0, nonprofit: 0, legal: ~, other: 0}\n";
	struct diag_list diags = {0};
	struct draft *last = draft_load_buffer("2020.yaml", last_text, strlen(last_text), cache, &diags);
	assert_non_null(last);
	const struct template *t2021 = template_cache_get(cache, "gov-info-2021", (struct srcpos){0}, &diags);
	assert_non_null(t2021);
	struct draft *d = draft_carry_over(last, t2021, "2020.yaml");
	assert_string_equal(d->organization, "某区数据资源局");
	assert_int_equal(d->year, 2021);
	assert_string_equal(d->previous, "2020.yaml");
	assert_int_equal(d->cells[template_find_cell(t2021, "requests.carried_in.natural")].scaled, 3 * VALUE_SCALE);
	assert_int_equal(d->cells[template_find_cell(t2021, "requests.carried_in.business")].scaled, VALUE_SCALE);
	assert_false(d->cells[template_find_cell(t2021, "requests.carried_in.legal")].set);
	assert_false(d->cells[template_find_cell(t2021, "requests.carried_out.natural")].set);
	assert_false(d->cells[template_find_cell(t2021, "requests.new.natural")].set);
	assert_string_equal(d->texts[template_find_text(t2021, "overview")], "去年的总体情况。");
	draft_free(d);
	draft_free(last);
	diag_free(&diags);
}

static void
test_atomic_save(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	struct draft *d = load(good, &diags);
	char *path = xasprintf("%s/d.yaml", tmpdir);
	assert_true(draft_save(d, path, &diags));
	size_t len;
	char *v1 = read_file(path, 1 << 20, &len, &diags);
	draft_set_cell(d, template_find_cell(d->tpl, "requests.new.natural"), value_units(9));
	assert_true(draft_save(d, path, &diags));
	char *backup_path = xasprintf("%s~", path);
	size_t blen;
	char *backup = read_file(backup_path, 1 << 20, &blen, &diags);
	assert_non_null(backup);
	assert_int_equal(blen, len);
	assert_memory_equal(backup, v1, len);   /* the previous version is kept as FILE~ */
	struct draft *back = draft_load(path, cache, &diags);
	assert_int_equal(back->cells[template_find_cell(d->tpl, "requests.new.natural")].scaled, 9 * VALUE_SCALE);
	/* saving through a symlink replaces the target and keeps the link */
	char *link_path = xasprintf("%s/link.yaml", tmpdir);
	assert_int_equal(symlink("d.yaml", link_path), 0);
	assert_true(draft_save(d, link_path, &diags));
	struct stat st;
	assert_int_equal(lstat(link_path, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	/* a directory that cannot be written leaves the file alone and says why */
	if (geteuid() != 0) {
		chmod(tmpdir, 0555);
		assert_false(draft_save(d, path, &diags));
		chmod(tmpdir, 0755);
		assert_true(diags.count > 0);
	}
	/* no temporary file is left behind */
	char *cmd = xasprintf("test -z \"$(ls -A %s | grep -v -e '^d.yaml$' -e '^d.yaml~$' -e '^link.yaml$')\"", tmpdir);
	assert_int_equal(system(cmd), 0);
	unlink(link_path);
	unlink(backup_path);
	unlink(path);
	free(cmd);
	free(link_path);
	free(backup_path);
	free(backup);
	free(v1);
	free(path);
	draft_free(back);
	draft_free(d);
	diag_free(&diags);
}

static int
setup(void **state)
{
	(void)state;
	cache = template_cache_new(getenv("NIANBAO_TEMPLATES"));
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	template_cache_free(cache);
	return rmdir(tmpdir);
}

/* a cell's value read from a draft is what value_parse_lenient makes of the text, for a
 * count and for money (the reader parses most cells itself) */
static void
test_cell_values_as_value_parse(void **state)
{
	(void)state;
	static const char *const texts[] = {"0", "7", "007", "12", "999999999", "1000000000", "123456789012",
	                                    "12.5", "0.000001", "-3", "+4", "-0", "1e3", "1_000", "0x10", "12 5"};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		for (int money = 0; money < 2; money++) {
			char *text = xasprintf("nianbao: 1\ntemplate: gov-info-2021\norganization: x\nyear: 2021\n%s%s}\n",
			                       money ? "proactive.art20_8:\n  fees: {amount: " : "requests:\n  new: {natural: ",
			                       texts[i]);
			struct diag_list diags = {0};
			struct draft *d = load(text, &diags);
			const char *id = money ? "proactive.art20_8.fees.amount" : "requests.new.natural";
			const struct template *tpl = template_cache_get(cache, "gov-info-2021", (struct srcpos){0}, &diags);
			int cell = template_find_cell(tpl, id);
			assert_true(cell >= 0);
			struct value want = {0};
			enum value_error err = value_parse_lenient(texts[i], strlen(texts[i]), tpl->cells[cell].type, &want);
			if (err == VALUE_ERR_SYNTAX) {
				assert_null(d);
			} else {
				assert_non_null(d);
				assert_true(d->cells[cell].set == want.set && d->cells[cell].scaled == want.scaled);
				assert_int_equal(d->cell_issue ? d->cell_issue[cell] : VALUE_OK, err);
			}
			draft_free(d);
			diag_free(&diags);
			free(text);
		}
	}
}

/* ---- the body read from events and from a tree agree ---- */

/* diagnostics as one string, positions left out and each number as N (moving a line
 * shifts the line numbers some messages quote) */
static char *
messages_of(const struct diag_list *diags)
{
	size_t len = 1;
	for (size_t i = 0; i < diags->count; i++)
		len += strlen(diags->items[i].message) + 1;
	char *out = malloc(len), *o = out;
	for (size_t i = 0; i < diags->count; i++) {
		for (const char *m = diags->items[i].message; *m; m++)
			if (*m < '0' || *m > '9')
				*o++ = *m;
			else if (m[1] < '0' || m[1] > '9')
				*o++ = 'N';
		*o++ = '\n';
	}
	*o = '\0';
	return out;
}

static unsigned rng_state = 12345;
static unsigned
rng(unsigned n)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return (rng_state >> 16) % n;
}

/* good, with a few lines changed the way hand edits and hostile files change them */
static size_t
mutate(char lines[][200], size_t count)
{
	static const char *const values[] = {
		"&a 1", "*a", "[1, 2]", "{x: 1}", "\"12\"", "~", "null", "\"\"", "-0", "1e3", "12.5", "9999999999999",
		"abc", "-3", "007", "|\n    x", "{}", "[]", "{natural: [1]}", "{natural: 1, natural: 2}", "{bogus: 1}",
		"{total: 1}", "{natural: {a: 1}}", "{? [a] : 1}"};
	static const char *const keys[] = {"bogus", "[a]", "\"new\"", "&k new", "total", "natural", "new", "art20_1",
	                                   "proactive.art20_1", "requests.new", "overview", "year", "sources",
	                                   "previous", "nianbao", "problems", "rules"};
	for (int n = 1 + (int)rng(3); n > 0; n--) {
		size_t i = 2 + rng((unsigned)count - 2);   /* keep line 2, `template:` */
		char *line = lines[i];
		char *colon = strchr(line, ':');
		switch (rng(5)) {
		case 0:
			if (count < 60) {
				memmove(lines[i + 1], lines[i], (count - i) * sizeof lines[0]);
				count++;
			}
			break;
		case 1:
			if (colon)
				snprintf(colon + 1, (size_t)(line + 200 - colon - 1), " %s", values[rng(sizeof values / sizeof values[0])]);
			break;
		case 2:
			if (colon) {
				char rest[200];
				snprintf(rest, sizeof rest, "%s", colon);
				size_t indent = strspn(line, " ");
				snprintf(line + indent, 200 - indent, "%s%s", keys[rng(sizeof keys / sizeof keys[0])], rest);
			}
			break;
		case 3:
			if (count < 60) {
				memmove(lines[i + 1], lines[i], (count - i) * sizeof lines[0]);
				count++;
				static const char *const inserts[] = {"  bogus: 1", "    x: {natural: 1}", "requests.new: {natural: 1}",
				                                      "proactive.art20_1: ~", "deep: [[[[[[[[[[1]]]]]]]]]]", "overview: [x]"};
				snprintf(lines[i], 200, "%s", inserts[rng(sizeof inserts / sizeof inserts[0])]);
			}
			break;
		default:
			if (count > 4) {
				memmove(lines[i], lines[i + 1], (count - i - 1) * sizeof lines[0]);
				count--;
			}
		}
	}
	return count;
}

static void
test_events_and_tree_agree(void **state)
{
	(void)state;
	char base[60][200];
	size_t base_count = 0;
	for (const char *p = good; *p; base_count++) {
		const char *eol = strchr(p, '\n');
		snprintf(base[base_count], 200, "%.*s", (int)(eol - p), p);
		p = eol + 1;
	}
	assert_string_equal(base[1], "template: gov-info-2021");
	int compared = 0, loaded = 0;
	char path[] = "/tmp/nianbao-test-agree.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	for (int round = 0; round < 3000; round++) {
		char lines[61][200];
		memcpy(lines, base, sizeof base);
		size_t count = mutate(lines, base_count);
		/* as written (template second: the body is read from events), and with the
		 * template line last (the body is read before the template: from a tree) */
		char first[61 * 201] = "", last[61 * 201] = "";
		for (size_t i = 0; i < count; i++) {
			strcat(first, lines[i]);
			strcat(first, "\n");
			if (i != 1) {
				strcat(last, lines[i]);
				strcat(last, "\n");
			}
		}
		strcat(last, lines[1]);
		strcat(last, "\n");
		struct diag_list da = {0}, db = {0}, dc = {0};
		struct draft *a = load(first, &da), *b = load(last, &db);
		char *ma = messages_of(&da), *mb = messages_of(&db);
		if (strcmp(ma, mb) || !a != !b)
			fail_msg("the two readers differ on\n%s---\n%s---\n%s", first, ma, mb);
		/* and the same file read straight from disk says exactly the same, at the same places */
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs(first, f);
		fclose(f);
		struct draft *c = draft_load(path, cache, &dc);
		assert_int_equal(!a, !c);
		assert_int_equal(da.count, dc.count);
		for (size_t i = 0; i < da.count; i++) {
			assert_string_equal(da.items[i].message, dc.items[i].message);
			assert_int_equal(da.items[i].pos.line, dc.items[i].pos.line);
			assert_int_equal(da.items[i].pos.col, dc.items[i].pos.col);
		}
		if (c)
			for (int k = 0; k < c->tpl->cell_count; k++)
				assert_true(a->cells[k].set == c->cells[k].set && a->cells[k].scaled == c->cells[k].scaled);
		diag_free(&dc);
		draft_free(c);
		if (a) {
			for (int k = 0; k < a->tpl->cell_count; k++)
				assert_true(a->cells[k].set == b->cells[k].set && a->cells[k].scaled == b->cells[k].scaled);
			for (int t = 0; t < a->tpl->text_count; t++)
				assert_true(!a->texts[t] == !b->texts[t] && (!a->texts[t] || !strcmp(a->texts[t], b->texts[t])));
			loaded++;
		}
		compared++;
		free(ma);
		free(mb);
		diag_free(&da);
		diag_free(&db);
		draft_free(a);
		draft_free(b);
	}
	unlink(path);
	/* the mutations make both kinds of file */
	assert_true(loaded > 300 && compared - loaded > 300);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_values),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_bad_utf8_anywhere),
		cmocka_unit_test(test_set_text_is_normalize),
		cmocka_unit_test(test_set_text_long),
		cmocka_unit_test(test_bom_and_crlf),
		cmocka_unit_test(test_range_kept_for_check),
		cmocka_unit_test(test_carry_over),
		cmocka_unit_test(test_atomic_save),
		cmocka_unit_test(test_cell_values_as_value_parse),
		cmocka_unit_test(test_events_and_tree_agree),
	};
	return cmocka_run_group_tests_name("draft", tests, setup, teardown);
}
