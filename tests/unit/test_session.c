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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cells_undo_redo),
		cmocka_unit_test(test_group_and_preview),
		cmocka_unit_test(test_text_and_differences),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
