#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nianbao/numtext.h"
#include "nianbao/paste.h"

static struct template *tpl;

static int
setup(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	tpl = template_load_id(getenv("NIANBAO_TEMPLATES"), "gov-info-2021", &diags);
	diag_free(&diags);
	return tpl ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	template_free(tpl);
	return 0;
}

static int id(const char *cell_id) { int c = template_find_cell(tpl, cell_id); assert_true(c >= 0); return c; }

/* The cell's value as text: "" for blank. */
static const char *
shown(struct session *s, const char *cell_id)
{
	static char buf[VALUE_FORMAT_MAX];
	value_format(s->draft->cells[id(cell_id)], buf, sizeof buf);
	return buf;
}

static enum value_error
num(const char *text, enum value_type type, int64_t *units, bool *empty)
{
	struct value v = {0};
	enum value_error e = numtext_parse(text, strlen(text), type, &v, empty);
	*units = v.set ? v.scaled / VALUE_SCALE : -1;
	return e;
}

static void
test_numbers(void **state)
{
	(void)state;
	int64_t u;
	bool empty;
	assert_int_equal(num("12", VALUE_COUNT, &u, &empty), VALUE_OK);
	assert_int_equal(u, 12);
	assert_false(empty);
	assert_int_equal(num(" 12\xc2\xa0", VALUE_COUNT, &u, &empty), VALUE_OK);   /* spaces around */
	assert_int_equal(u, 12);
	assert_int_equal(num("\xe3\x80\x80" "7", VALUE_COUNT, &u, &empty), VALUE_OK);  /* ideographic space */
	assert_int_equal(u, 7);
	/* a number never crosses a space */
	assert_int_equal(num("12 345", VALUE_COUNT, &u, &empty), VALUE_ERR_SYNTAX);
	assert_int_equal(num("12\xe3\x80\x80" "345", VALUE_COUNT, &u, &empty), VALUE_ERR_SYNTAX);
	/* full-width digits, minus and point from an input method */
	assert_int_equal(num("\xef\xbc\x91\xef\xbc\x92", VALUE_COUNT, &u, &empty), VALUE_OK);   /* １２ */
	assert_int_equal(u, 12);
	assert_int_equal(num("\xef\xbc\x8d" "3", VALUE_SIGNED, &u, &empty), VALUE_OK);           /* －3 */
	assert_int_equal(u, -3);
	assert_int_equal(num("\xe2\x88\x92" "4", VALUE_SIGNED, &u, &empty), VALUE_OK);           /* −4 */
	assert_int_equal(u, -4);
	struct value v;
	assert_int_equal(numtext_parse("19\xef\xbc\x8e" "7", 6, VALUE_MONEY, &v, &empty), VALUE_OK);  /* 19．7 */
	assert_int_equal(v.scaled, 19 * VALUE_SCALE + 7 * VALUE_SCALE / 10);
	/* thousands separators only where they group three digits */
	assert_int_equal(num("1,234,567", VALUE_COUNT, &u, &empty), VALUE_OK);
	assert_int_equal(u, 1234567);
	assert_int_equal(num("12,34", VALUE_COUNT, &u, &empty), VALUE_ERR_SYNTAX);
	assert_int_equal(num("1,2345", VALUE_COUNT, &u, &empty), VALUE_ERR_SYNTAX);
	assert_int_equal(num(",123", VALUE_COUNT, &u, &empty), VALUE_ERR_SYNTAX);
	assert_int_equal(num("1,,234", VALUE_COUNT, &u, &empty), VALUE_ERR_SYNTAX);
	assert_int_equal(num("1.2,3", VALUE_MONEY, &u, &empty), VALUE_ERR_SYNTAX);
	/* the rest of value_parse's rules */
	assert_int_equal(num("-1", VALUE_COUNT, &u, &empty), VALUE_ERR_NEGATIVE);
	assert_int_equal(num("1.5", VALUE_COUNT, &u, &empty), VALUE_ERR_FRACTION);
	assert_int_equal(num("1e3", VALUE_COUNT, &u, &empty), VALUE_ERR_SYNTAX);
	assert_int_equal(num("12%", VALUE_COUNT, &u, &empty), VALUE_ERR_SYNTAX);
	assert_int_equal(num("(12)", VALUE_COUNT, &u, &empty), VALUE_ERR_SYNTAX);
	assert_int_equal(num("—", VALUE_COUNT, &u, &empty), VALUE_ERR_SYNTAX);
	assert_int_equal(num("\xff", VALUE_COUNT, &u, &empty), VALUE_ERR_SYNTAX);
	assert_int_equal(num("", VALUE_COUNT, &u, &empty), VALUE_OK);
	assert_true(empty);
	assert_int_equal(u, -1);
	assert_int_equal(num(" \xe3\x80\x80 ", VALUE_COUNT, &u, &empty), VALUE_OK);
	assert_true(empty);
	assert_int_equal(numtext_ascii(0xff15), '5');
	assert_int_equal(numtext_ascii(0x4e00), 0);
}

static void
block_is(const char *text, int rows, int width, const char *cells)
{
	struct paste_block *b = paste_parse(text, strlen(text));
	char got[256] = "";
	size_t n = 0;
	for (int r = 0; r < b->rows; r++) {
		for (int c = 0; c < b->row_len[r]; c++)
			n += (size_t)snprintf(got + n, sizeof got - n, "%s%.*s", c ? "|" : "", (int)b->cells[r][c].len,
			                      b->cells[r][c].text);
		n += (size_t)snprintf(got + n, sizeof got - n, "/");
	}
	if (b->rows != rows || b->width != width || strcmp(got, cells))
		fail_msg("paste '%s': %d×%d '%s', expected %d×%d '%s'", text, b->rows, b->width, got, rows, width, cells);
	paste_block_free(b);
}

static void
test_clipboard_shapes(void **state)
{
	(void)state;
	/* Excel: CRLF after every row, the last included */
	block_is("1\t2\t3\r\n4\t5\t6\r\n", 2, 3, "1|2|3/4|5|6/");
	/* LibreOffice: LF, the last row with or without one */
	block_is("1\t2\n3\t4", 2, 2, "1|2/3|4/");
	block_is("1\t2\n3\t4\n", 2, 2, "1|2/3|4/");
	/* WPS and web tables: a tab at the end of every row is no column */
	block_is("1\t2\t\r\n3\t4\t\r\n", 2, 2, "1|2/3|4/");
	block_is("7\t", 1, 1, "7/");
	/* empty cells */
	block_is("1\t\t3\r\n\t5\t\r\n", 2, 3, "1||3/|5|/");
	/* one column, with an empty cell */
	block_is("1\r\n\r\n3\r\n", 3, 1, "1//3/");
	/* one row; one cell; old Mac CR rows */
	block_is("1\t2\t3\t4\t5\t6", 1, 6, "1|2|3|4|5|6/");
	block_is("42\r\n", 1, 1, "42/");
	block_is("1\r2\r", 2, 1, "1/2/");
	block_is("", 0, 0, "");
}

static struct session *
blank_session(void)
{
	return session_new(draft_new(tpl), NULL);
}

static bool
paste(struct session *s, const char *at, const char *text, struct paste_result *r)
{
	struct paste_block *b = paste_parse(text, strlen(text));
	bool ok = paste_apply(s, id(at), b, r);
	paste_block_free(b);
	return ok;
}

static void
test_row_with_total(void **state)
{
	(void)state;
	struct session *s = blank_session();
	struct paste_result r;
	/* a row and its total, as copied from Excel: the total is compared, not written */
	assert_true(paste(s, "requests.new.natural", "12\t3\t0\t1\t2\t0\t18\r\n", &r));
	assert_int_equal(r.status, PASTE_OK);
	assert_int_equal(r.changed, 6);
	assert_int_equal(r.mismatches, 0);
	assert_string_equal(shown(s, "requests.new.natural"), "12");
	assert_string_equal(shown(s, "requests.new.business"), "3");
	assert_string_equal(shown(s, "requests.new.other"), "0");
	assert_string_equal(shown(s, "requests.new.total"), "18");
	/* one undo step takes the whole paste back */
	int cell, text;
	assert_true(session_undo(s, &cell, &text));
	assert_string_equal(shown(s, "requests.new.natural"), "");
	assert_string_equal(shown(s, "requests.new.legal"), "");
	assert_false(session_undo(s, &cell, &text));
	assert_true(session_redo(s, &cell, &text));
	assert_string_equal(shown(s, "requests.new.legal"), "2");
	/* a total that does not add up is reported */
	assert_true(paste(s, "requests.carried_in.natural", "1\t1\t1\t1\t1\t1\t7", &r));
	assert_int_equal(r.mismatches, 1);
	assert_int_equal(r.mismatch_cell, id("requests.carried_in.total"));
	assert_int_equal(r.mismatch_row, 1);
	assert_int_equal(r.mismatch_col, 7);
	assert_int_equal(r.mismatch_computed.scaled, 6 * VALUE_SCALE);
	char *msg = paste_message(tpl, &r);
	assert_non_null(strstr(msg, "the pasted total 7"));
	assert_non_null(strstr(msg, "sum 6"));
	free(msg);
	session_free(s);
}

static void
test_short_row_is_cells_not_one_number(void **state)
{
	(void)state;
	struct session *s = blank_session();
	struct paste_result r;
	/* 1⇥2⇥3 into the middle of a row: three cells, never 123 */
	assert_true(paste(s, "requests.granted.research", "1\t2\t3", &r));
	assert_string_equal(shown(s, "requests.granted.research"), "1");
	assert_string_equal(shown(s, "requests.granted.nonprofit"), "2");
	assert_string_equal(shown(s, "requests.granted.legal"), "3");
	assert_string_equal(shown(s, "requests.granted.natural"), "");
	char *msg = paste_message(tpl, &r);
	assert_string_equal(msg, "Pasted a block of 1×3: 3 cells changed");
	free(msg);
	session_free(s);
}

static void
test_column_and_blocks(void **state)
{
	(void)state;
	struct session *s = blank_session();
	struct paste_result r;
	/* a column with an empty cell: blank */
	session_set_cell(s, id("requests.carried_in.natural"), value_units(9));
	assert_true(paste(s, "requests.new.natural", "4\r\n\r\n5\r\n", &r));
	assert_string_equal(shown(s, "requests.new.natural"), "4");
	assert_string_equal(shown(s, "requests.carried_in.natural"), "");
	assert_string_equal(shown(s, "requests.granted.natural"), "5");
	/* a block over the computed row （七）总计 and into 四 */
	assert_true(paste(s, "requests.other_misc.natural", "1\t2\r\n0\t0\r\n3\t4\r\n", &r));
	assert_string_equal(shown(s, "requests.carried_out.natural"), "3");
	assert_string_equal(shown(s, "requests.carried_out.business"), "4");
	assert_int_equal(r.mismatches, 2);   /* 总计 pasted 0 and 0, the columns sum to 6 and 2 */
	session_free(s);
}

static void
test_refused_whole(void **state)
{
	(void)state;
	struct session *s = blank_session();
	struct paste_result r;
	session_set_cell(s, id("requests.new.natural"), value_units(8));
	long before = session_state(s);
	/* a non-number: nothing changes, the value, its place and the cell are named */
	assert_false(paste(s, "requests.new.natural", "1\t2\r\n3\t12 345\r\n", &r));
	assert_int_equal(r.status, PASTE_BAD_NUMBER);
	assert_int_equal(r.row, 2);
	assert_int_equal(r.col, 2);
	assert_string_equal(r.value, "12 345");
	assert_int_equal(r.cell, id("requests.carried_in.business"));
	assert_string_equal(shown(s, "requests.new.natural"), "8");
	assert_string_equal(shown(s, "requests.new.business"), "");
	assert_int_equal(session_state(s), before);
	char *msg = paste_message(tpl, &r);
	assert_non_null(strstr(msg, "'12 345' (row 2, column 2 of the block"));
	assert_non_null(strstr(msg, "商业企业"));
	free(msg);
	paste_result_free(&r);
	/* a negative count */
	assert_false(paste(s, "requests.new.natural", "-1", &r));
	assert_int_equal(r.error, VALUE_ERR_NEGATIVE);
	paste_result_free(&r);
	/* a block that does not fit: 7 values from 商业企业 run past 总计 */
	assert_false(paste(s, "requests.new.business", "1\t2\t3\t4\t5\t6\t7", &r));
	assert_int_equal(r.status, PASTE_OUTSIDE);
	assert_int_equal(r.row, 1);
	assert_int_equal(r.col, 7);
	assert_int_equal(r.fit_cols, 6);
	assert_string_equal(shown(s, "requests.new.business"), "");
	paste_result_free(&r);
	/* too many rows for 四 */
	assert_false(paste(s, "requests.carried_out.natural", "1\n2\n", &r));
	assert_int_equal(r.status, PASTE_OUTSIDE);
	assert_int_equal(r.row, 2);
	assert_int_equal(r.fit_rows, 1);
	msg = paste_message(tpl, &r);
	assert_non_null(strstr(msg, "falls outside the table"));
	free(msg);
	paste_result_free(&r);
	/* empty cells past the edge are no harm (a ragged trailing tab) */
	assert_true(paste(s, "requests.new.other", "5\t\t", &r));
	assert_string_equal(shown(s, "requests.new.other"), "5");
	assert_int_equal(session_state(s) != before, 1);
	/* rows of six with CR LF pasted as CR CR (tmux's paste-buffer): the second row would
	 * land in 三（一） instead of 二; refused, naming the empty line */
	before = session_state(s);
	assert_false(paste(s, "requests.new.natural", "12\t3\t0\t1\t2\t0\r\r4\t5\t6\t7\t8\t9\r\r", &r));
	assert_int_equal(r.status, PASTE_EMPTY_LINE);
	assert_int_equal(r.row, 2);
	assert_int_equal(session_state(s), before);
	assert_string_equal(shown(s, "requests.carried_in.natural"), "");
	msg = paste_message(tpl, &r);
	assert_non_null(strstr(msg, "row 2 of the block is an empty line between rows of 6 columns"));
	free(msg);
	paste_result_free(&r);
	/* one trailing empty line is harmless, and so is an empty cell in one column */
	assert_true(paste(s, "requests.new.natural", "12\t3\r\r", &r));
	assert_string_equal(shown(s, "requests.new.business"), "3");
	assert_true(paste(s, "requests.new.natural", "1\r\n\r\n3", &r));
	assert_string_equal(shown(s, "requests.carried_in.natural"), "");
	/* an empty clipboard */
	assert_false(paste(s, "requests.new.other", "", &r));
	assert_int_equal(r.status, PASTE_EMPTY);
	session_free(s);
}

static void
test_money_and_full_width(void **state)
{
	(void)state;
	struct session *s = blank_session();
	struct paste_result r;
	assert_true(paste(s, "proactive.art20_8.fees.amount", "\xef\xbc\x91\xef\xbc\x99\xef\xbc\x8e\xef\xbc\x97\r\n", &r));
	assert_string_equal(shown(s, "proactive.art20_8.fees.amount"), "19.7");
	assert_false(paste(s, "proactive.art20_1.rules.issued", "1.5", &r));
	assert_int_equal(r.error, VALUE_ERR_FRACTION);
	paste_result_free(&r);
	session_free(s);
}

/* Every shape into a dense table 三: 23 rows × 6 columns of 2-digit numbers in one paste
 * (the keystroke count in the note: one paste fills 138 cells). */
static void
test_whole_table(void **state)
{
	(void)state;
	struct session *s = blank_session();
	char text[4096];
	size_t n = 0;
	for (int r = 0; r < 24; r++) {
		for (int c = 0; c < 6; c++)
			n += (size_t)snprintf(text + n, sizeof text - n, "%s%d", c ? "\t" : "", 10 + (r * 6 + c) % 90);
		n += (size_t)snprintf(text + n, sizeof text - n, "\t\r\n");   /* WPS: trailing tab */
	}
	/* 一, 二, 21 result rows, （七）总计 and 四 are 25 rows; paste the first two ... */
	struct paste_result r;
	struct paste_block *b = paste_parse(text, n);
	assert_int_equal(b->width, 6);
	assert_int_equal(b->rows, 24);
	assert_false(paste_apply(s, id("requests.carried_out.natural"), b, &r));   /* 24 rows from 四 do not fit */
	paste_result_free(&r);
	assert_true(paste_apply(s, id("requests.new.natural"), b, &r));
	/* the 24th block row landed on （七）总计 (computed: compared) */
	assert_int_equal(r.changed, 23 * 6);
	assert_int_equal(r.mismatches, 6);
	paste_block_free(b);
	assert_string_equal(shown(s, "requests.new.natural"), "10");
	assert_string_equal(shown(s, "requests.other_misc.other"), "57");
	session_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_clipboard_shapes),
		cmocka_unit_test(test_row_with_total),
		cmocka_unit_test(test_short_row_is_cells_not_one_number),
		cmocka_unit_test(test_column_and_blocks),
		cmocka_unit_test(test_refused_whole),
		cmocka_unit_test(test_money_and_full_width),
		cmocka_unit_test(test_whole_table),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
