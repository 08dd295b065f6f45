#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nianbao/session.h"

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

static struct value cell(struct session *s, const char *id) { return s->draft->cells[template_find_cell(tpl, id)]; }
static void set(struct session *s, const char *id, int64_t v) { session_set_cell(s, template_find_cell(tpl, id), value_units(v)); }

/* A blank draft whose 一 row holds zeros, so that its total is not blank. */
static struct draft *
zero_row_draft(void)
{
	struct draft *d = draft_new(tpl);
	static const char *const cols[] = {"natural", "business", "research", "nonprofit", "legal", "other"};
	for (size_t i = 0; i < 6; i++) {
		char *id = xasprintf("requests.new.%s", cols[i]);
		draft_set_cell(d, template_find_cell(tpl, id), value_units(0));
		free(id);
	}
	return d;
}

static void
test_cells_undo_redo(void **state)
{
	(void)state;
	struct session *s = session_new(zero_row_draft(), NULL);
	assert_false(session_modified(s));
	int blanks = s->report.errors;
	set(s, "requests.new.natural", 3);
	assert_true(session_modified(s));
	assert_int_equal(cell(s, "requests.new.total").scaled, 3 * VALUE_SCALE);   /* totals follow */
	assert_int_equal(s->report.errors, blanks);                               /* checks follow */
	set(s, "requests.carried_in.natural", 0);
	assert_int_equal(s->report.errors, blanks - 1);
	set(s, "requests.new.legal", 2);
	assert_int_equal(cell(s, "requests.new.total").scaled, 5 * VALUE_SCALE);
	set(s, "requests.new.legal", 2);                                          /* no-op: no step */
	assert_int_equal(s->undo_count, 3);

	int c, t;
	assert_true(session_undo(s, &c, &t));
	assert_int_equal(c, template_find_cell(tpl, "requests.new.legal"));
	assert_int_equal(t, -1);
	assert_int_equal(cell(s, "requests.new.legal").scaled, 0);
	assert_int_equal(cell(s, "requests.new.total").scaled, 3 * VALUE_SCALE);
	assert_true(session_undo(s, &c, &t));
	assert_true(session_undo(s, &c, &t));
	assert_false(session_modified(s));        /* back to the state as loaded */
	assert_false(session_undo(s, &c, &t));
	assert_true(session_redo(s, &c, &t));
	assert_true(session_redo(s, &c, &t));
	assert_true(session_redo(s, &c, &t));
	assert_false(session_redo(s, &c, &t));
	assert_int_equal(cell(s, "requests.new.total").scaled, 5 * VALUE_SCALE);
	session_mark_saved(s);
	assert_false(session_modified(s));
	assert_true(session_undo(s, &c, &t));
	assert_true(session_modified(s));
	/* a new change drops what could have been redone */
	set(s, "requests.new.other", 1);
	assert_false(session_redo(s, &c, &t));
	session_free(s);
}

static void
test_group_and_preview(void **state)
{
	(void)state;
	struct session *s = session_new(zero_row_draft(), NULL);
	session_begin(s);
	set(s, "requests.carried_in.natural", 0);
	set(s, "requests.carried_in.business", 0);
	set(s, "requests.carried_in.research", 0);
	session_end(s);
	assert_int_equal(s->undo_count, 1);
	int c, t;
	assert_true(session_undo(s, &c, &t));
	assert_false(cell(s, "requests.carried_in.natural").set);
	assert_false(cell(s, "requests.carried_in.research").set);
	assert_true(session_redo(s, &c, &t));
	assert_true(cell(s, "requests.carried_in.research").set);

	/* preview: live values while typing, one step on commit */
	int id = template_find_cell(tpl, "requests.new.other");
	struct value before = s->draft->cells[id];
	session_preview_cell(s, id, value_units(4));
	session_preview_cell(s, id, value_units(42));
	assert_int_equal(cell(s, "requests.new.total").scaled, 42 * VALUE_SCALE);
	assert_int_equal(s->undo_count, 1);
	session_commit_cell(s, id, before);
	assert_int_equal(s->undo_count, 2);
	assert_true(session_undo(s, &c, &t));
	assert_int_equal(cell(s, "requests.new.other").scaled, 0);
	assert_int_equal(cell(s, "requests.new.total").scaled, 0);
	session_free(s);
}

static void
test_text_and_differences(void **state)
{
	(void)state;
	struct draft *last = draft_new(tpl);
	last->year = 2021;
	draft_set_text(last, template_find_text(tpl, "overview"), "去年的文字。");
	struct draft *d = draft_carry_over(last, tpl, "last.yaml");
	struct session *s = session_new(d, draft_clone(last));
	int overview = template_find_text(tpl, "overview");
	assert_true(session_text_unrevised(s, overview));
	session_set_text(s, overview, "今年的文字。\r\n");
	assert_string_equal(s->draft->texts[overview], "今年的文字。");
	assert_false(session_text_unrevised(s, overview));
	session_set_text(s, overview, "今年的文字。");   /* same text: no step */
	assert_int_equal(s->undo_count, 1);
	int c, t;
	assert_true(session_undo(s, &c, &t));
	assert_int_equal(t, overview);
	assert_string_equal(s->draft->texts[overview], "去年的文字。");

	int cells, texts;
	struct draft *other = draft_clone(s->draft);
	draft_set_cell(other, template_find_cell(tpl, "requests.new.natural"), value_units(1));
	draft_set_text(other, overview, "不同");
	session_count_differences(s->draft, other, &cells, &texts);
	assert_int_equal(cells, 1);   /* the total that follows is not counted */
	assert_int_equal(texts, 1);
	draft_free(other);
	session_free(s);
	draft_free(last);
}

static int cid(const char *id) { return template_find_cell(tpl, id); }

/* Types each character of keys into cell; returns the refusal of the last. */
static enum session_refusal
type(struct session *s, const char *id, const char *keys)
{
	enum session_refusal r = SESSION_OK;
	for (; *keys; keys++)
		r = session_num_type(s, cid(id), (unsigned char)*keys, NULL);
	return r;
}

static void
test_typing_a_number(void **state)
{
	(void)state;
	struct session *s = session_new(zero_row_draft(), NULL);
	int natural = cid("requests.new.natural");
	set(s, "requests.new.natural", 7);
	long steps = s->undo_count;
	/* the first digit replaces the value; totals and checks follow at once, without a step */
	int errors = s->report.errors;
	assert_int_equal(type(s, "requests.new.natural", "4"), SESSION_OK);
	assert_true(session_num_active(s));
	assert_int_equal(session_num_cell(s), natural);
	assert_string_equal(session_num_text(s), "4");
	assert_int_equal(cell(s, "requests.new.natural").scaled, 4 * VALUE_SCALE);
	assert_int_equal(cell(s, "requests.new.total").scaled, 4 * VALUE_SCALE);
	assert_int_equal(s->report.errors, errors);
	assert_int_equal(s->undo_count, steps);
	type(s, "requests.new.natural", "2");
	assert_int_equal(cell(s, "requests.new.total").scaled, 42 * VALUE_SCALE);
	/* a refused key changes nothing */
	assert_int_equal(type(s, "requests.new.natural", "a"), SESSION_NOT_ALLOWED);
	assert_int_equal(type(s, "requests.new.natural", "."), SESSION_NOT_ALLOWED);
	assert_int_equal(type(s, "requests.new.natural", "-"), SESSION_NOT_ALLOWED);
	assert_string_equal(session_num_text(s), "42");
	/* backspace shows the shorter value */
	session_num_backspace(s);
	assert_int_equal(cell(s, "requests.new.natural").scaled, 4 * VALUE_SCALE);
	type(s, "requests.new.natural", "3");
	/* commit: one undo step from the value before the typing */
	assert_int_equal(session_num_commit(s, NULL), SESSION_OK);
	assert_false(session_num_active(s));
	assert_int_equal(session_num_cell(s), -1);
	assert_int_equal(s->undo_count, steps + 1);
	int c, t;
	assert_true(session_undo(s, &c, &t));
	assert_int_equal(c, natural);
	assert_int_equal(cell(s, "requests.new.natural").scaled, 7 * VALUE_SCALE);

	/* cancel puts the old value back, with no step */
	type(s, "requests.new.natural", "55");
	session_num_cancel(s);
	assert_false(session_num_active(s));
	assert_int_equal(cell(s, "requests.new.natural").scaled, 7 * VALUE_SCALE);
	assert_int_equal(cell(s, "requests.new.total").scaled, 7 * VALUE_SCALE);
	assert_int_equal(s->undo_count, steps);

	/* an empty text commits as blank */
	type(s, "requests.new.natural", "5");
	session_num_backspace(s);
	assert_false(cell(s, "requests.new.natural").set);
	assert_int_equal(session_num_commit(s, NULL), SESSION_OK);
	assert_false(cell(s, "requests.new.natural").set);
	assert_int_equal(s->undo_count, steps + 1);

	/* typing the same value again is no step */
	set(s, "requests.new.natural", 7);
	steps = s->undo_count;
	type(s, "requests.new.natural", "7");
	session_num_commit(s, NULL);
	assert_int_equal(s->undo_count, steps);

	/* a space never joins two numbers: 12 345 is refused at commit, the cell keeps 7 */
	type(s, "requests.new.natural", "12");
	assert_int_equal(type(s, "requests.new.natural", " "), SESSION_SPACED);
	assert_int_equal(type(s, "requests.new.natural", "345"), SESSION_SPACED);
	assert_int_equal(session_num_commit(s, NULL), SESSION_NOT_A_VALUE);
	session_num_cancel(s);
	assert_int_equal(cell(s, "requests.new.natural").scaled, 7 * VALUE_SCALE);

	/* Backspace on a saved value edits it: 402 becomes 40 */
	set(s, "requests.new.natural", 402);
	assert_int_equal(session_num_edit(s, natural), SESSION_OK);
	assert_string_equal(session_num_text(s), "402");
	session_num_backspace(s);
	assert_int_equal(session_num_commit(s, NULL), SESSION_OK);
	assert_int_equal(cell(s, "requests.new.natural").scaled, 40 * VALUE_SCALE);
	assert_int_equal(session_num_edit(s, cid("requests.new.total")), SESSION_COMPUTED);
	session_free(s);
}

static void
test_typing_guards(void **state)
{
	(void)state;
	struct session *s = session_new(zero_row_draft(), NULL);
	enum value_error err = VALUE_OK;
	/* a total is computed, never typed */
	int total = cid("requests.new.total");
	assert_int_equal(session_num_type(s, total, '1', &err), SESSION_COMPUTED);
	assert_false(session_num_active(s));
	assert_int_equal(session_blank_cell(s, total), SESSION_COMPUTED);
	char *msg = session_refusal_message(s, SESSION_COMPUTED, total, VALUE_OK);
	assert_non_null(strstr(msg, "computed from other cells"));
	free(msg);
	/* money takes a point, to the fen */
	int amount = cid("proactive.art20_8.fees.amount");
	assert_int_equal(type(s, "proactive.art20_8.fees.amount", "0.01"), SESSION_OK);
	assert_int_equal(s->draft->cells[amount].scaled, 10000);
	assert_int_equal(type(s, "proactive.art20_8.fees.amount", "."), SESSION_SECOND_POINT);
	assert_int_equal(type(s, "proactive.art20_8.fees.amount", "0000"), SESSION_OK);
	assert_int_equal(session_num_type(s, amount, '1', &err), SESSION_OUT_OF_RANGE);
	assert_int_equal(err, VALUE_ERR_DECIMALS);
	msg = session_refusal_message(s, SESSION_OUT_OF_RANGE, amount, err);
	assert_string_equal(msg, value_error_msgid(VALUE_ERR_DECIMALS));
	free(msg);
	msg = session_refusal_message(s, SESSION_NOT_ALLOWED, amount, VALUE_OK);
	assert_non_null(strstr(msg, "decimal point"));
	free(msg);
	session_num_cancel(s);
	/* a count is at most 999 999 999 */
	assert_int_equal(type(s, "requests.new.legal", "9999999999"), SESSION_OUT_OF_RANGE);
	assert_int_equal(cell(s, "requests.new.legal").scaled, 999999999LL * VALUE_SCALE);
	/* a text that is not a value is not committed, and the typing goes on */
	session_num_cancel(s);
	assert_int_equal(type(s, "proactive.art20_8.fees.amount", "."), SESSION_OK);
	assert_int_equal(session_num_commit(s, &err), SESSION_NOT_A_VALUE);
	assert_true(session_num_active(s));
	msg = session_refusal_message(s, SESSION_NOT_A_VALUE, amount, err);
	assert_non_null(strstr(msg, "\".\" is not a value"));
	free(msg);
	session_num_cancel(s);
	/* typing into another cell cancels the first */
	type(s, "requests.new.legal", "3");
	type(s, "requests.new.other", "4");
	assert_int_equal(session_num_cell(s), cid("requests.new.other"));
	assert_int_equal(cell(s, "requests.new.legal").scaled, 0);
	session_num_cancel(s);
	/* read-only refuses every change */
	s->readonly = true;
	assert_int_equal(type(s, "requests.new.legal", "1"), SESSION_READONLY);
	assert_int_equal(session_blank_cell(s, cid("requests.new.legal")), SESSION_READONLY);
	int filled = -1;
	assert_int_equal(session_fill_zeros(s, s->draft->tpl->cells[cid("requests.new.legal")].table, &filled),
	                 SESSION_READONLY);
	assert_int_equal(filled, 0);
	assert_int_equal(cell(s, "requests.new.legal").scaled, 0);
	assert_false(session_modified(s));
	session_free(s);
}

static void
test_blank_and_zeros(void **state)
{
	(void)state;
	struct session *s = session_new(zero_row_draft(), NULL);
	int table = tpl->cells[cid("requests.new.natural")].table;
	int filled;
	assert_int_equal(session_fill_zeros(s, table, &filled), SESSION_OK);
	/* every blank input cell of 三: 7 columns less the total, over the rows, less 一's six */
	const struct tpl_table *t = &tpl->tables[table];
	int inputs = 0;
	for (int r = 0; r < t->rows.leaf_count; r++)
		for (int c = 0; c < t->cols.leaf_count; c++)
			inputs += tpl->cells[template_cell_at(tpl, table, r, c)].formula < 0;
	assert_int_equal(filled, inputs - 6);
	assert_int_equal(s->undo_count, 1);   /* one step */
	assert_int_equal(cell(s, "requests.results_total.natural").scaled, 0);
	assert_true(cell(s, "requests.carried_out.legal").set);
	/* again: nothing left to fill, no step */
	assert_int_equal(session_fill_zeros(s, table, &filled), SESSION_OK);
	assert_int_equal(filled, 0);
	assert_int_equal(s->undo_count, 1);
	/* Delete blanks a cell as a step, and cancels typing first */
	type(s, "requests.new.legal", "8");
	assert_int_equal(session_blank_cell(s, cid("requests.new.legal")), SESSION_OK);
	assert_false(session_num_active(s));
	assert_false(cell(s, "requests.new.legal").set);
	assert_int_equal(s->undo_count, 2);
	int c, t2;
	assert_true(session_undo(s, &c, &t2));
	assert_int_equal(cell(s, "requests.new.legal").scaled, 0);
	assert_true(session_undo(s, &c, &t2));
	assert_false(cell(s, "requests.carried_out.legal").set);
	session_free(s);
}

static void
test_undo_while_typing(void **state)
{
	(void)state;
	struct session *s = session_new(zero_row_draft(), NULL);
	set(s, "requests.new.legal", 2);
	set(s, "requests.new.other", 3);
	int c, t;
	assert_true(session_undo(s, &c, &t));   /* other back to 0 */
	/* undo while typing only cancels the typing */
	type(s, "requests.new.legal", "9");
	assert_true(session_undo(s, &c, &t));
	assert_int_equal(c, cid("requests.new.legal"));
	assert_false(session_num_active(s));
	assert_int_equal(cell(s, "requests.new.legal").scaled, 2 * VALUE_SCALE);
	assert_int_equal(s->undo_count, 1);
	/* redo while typing cancels it, then redoes */
	type(s, "requests.new.legal", "9");
	assert_true(session_redo(s, &c, &t));
	assert_false(session_num_active(s));
	assert_int_equal(cell(s, "requests.new.legal").scaled, 2 * VALUE_SCALE);
	assert_int_equal(cell(s, "requests.new.other").scaled, 3 * VALUE_SCALE);
	session_free(s);
}

static void
test_text_cancel(void **state)
{
	(void)state;
	struct session *s = session_new(zero_row_draft(), NULL);
	int overview = template_find_text(tpl, "overview");
	session_set_text(s, overview, "原来的文字。");
	session_mark_saved(s);
	/* Esc after typing: the entry text stays, the draft is still as saved... */
	assert_true(session_text_cancel(s, overview, "打了一半的字"));
	assert_string_equal(s->draft->texts[overview], "原来的文字。");
	assert_false(session_modified(s));
	/* ...and Ctrl-Z brings back what was typed */
	int c, t;
	assert_true(session_undo(s, &c, &t));
	assert_int_equal(t, overview);
	assert_string_equal(s->draft->texts[overview], "打了一半的字");
	assert_true(session_modified(s));
	/* typing that normalises to the entry text leaves nothing to bring back */
	session_set_text(s, overview, "原来的文字。");
	long steps = s->undo_count;
	assert_false(session_text_cancel(s, overview, "原来的文字。  \n"));
	assert_int_equal(s->undo_count, steps);
	/* an unsaved draft stays unsaved */
	assert_true(session_modified(s));
	assert_true(session_text_cancel(s, overview, "别的"));
	assert_true(session_modified(s));
	session_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cells_undo_redo),
		cmocka_unit_test(test_group_and_preview),
		cmocka_unit_test(test_text_and_differences),
		cmocka_unit_test(test_typing_a_number),
		cmocka_unit_test(test_typing_guards),
		cmocka_unit_test(test_blank_and_zeros),
		cmocka_unit_test(test_undo_while_typing),
		cmocka_unit_test(test_text_cancel),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
