#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "nianbao/textedit.h"

static struct textedit *
field(const char *text)
{
	struct textedit *te = textedit_new(text, strlen(text));
	assert_non_null(te);
	return te;
}

static void
text_is(const struct textedit *te, const char *expected)
{
	size_t len;
	const char *text = textedit_text(te, &len);
	assert_int_equal(len, strlen(expected));
	assert_string_equal(text, expected);
}

static void
type(struct textedit *te, const char *s)
{
	assert_true(textedit_type(te, s, strlen(s)));
}

static void
cursor_at(struct textedit *te, size_t row, int col)
{
	size_t r = 99;
	int c = 99;
	textedit_cursor_position(te, &r, &c);
	assert_int_equal(r, row);
	assert_int_equal(c, col);
}

static void
test_normalize(void **state)
{
	(void)state;
	char out[64];
	const char in[] = "a\r\nb\rc\td\x01" "e\x7f" "f\x1b[0m";
	size_t n = textedit_normalize(in, strlen(in), out);
	assert_int_equal(n, textedit_normalize(in, strlen(in), NULL));
	assert_int_equal(n, strlen("a\nb\nc def[0m"));
	assert_memory_equal(out, "a\nb\nc def[0m", n);
	n = textedit_normalize("x\xFFy\xE4\xB8", 6, out);
	assert_int_equal(n, 8);
	assert_memory_equal(out, "x\xEF\xBF\xBDy\xEF\xBF\xBD", 8);
	n = textedit_normalize("1\xC2\x85" "2\xE2\x80\xA8" "3\x0B" "4\xC2\x9B", 12, out);
	assert_int_equal(n, 7);
	assert_memory_equal(out, "1\n2\n3\n4", 7);
	n = textedit_normalize("\r\r\n\n", 4, out);
	assert_memory_equal(out, "\n\n\n", 3);
	assert_int_equal(n, 3);
	n = textedit_normalize("年报\xCC\x81", 8, out);
	assert_int_equal(n, 8);
}

static void
test_new_normalizes_entry(void **state)
{
	(void)state;
	struct textedit *te = field("第一行\r\n第二行\t完");
	text_is(te, "第一行\n第二行 完");
	assert_int_equal(textedit_cursor(te), 0);
	assert_false(textedit_modified(te));
	assert_false(textedit_undo(te));
	textedit_free(te);
	te = textedit_new(NULL, 0);
	assert_non_null(te);
	text_is(te, "");
	assert_false(textedit_delete_backward(te));
	assert_false(textedit_delete_forward(te));
	cursor_at(te, 0, 0);
	textedit_free(te);
}

static void
test_moves_over_wide_chars(void **state)
{
	(void)state;
	struct textedit *te = field("中a文");
	assert_false(textedit_move_left(te));
	assert_true(textedit_move_right(te));
	assert_int_equal(textedit_cursor(te), 3);
	cursor_at(te, 0, 2);
	assert_true(textedit_move_right(te));
	assert_int_equal(textedit_cursor(te), 4);
	cursor_at(te, 0, 3);
	assert_true(textedit_move_right(te));
	assert_int_equal(textedit_cursor(te), 7);
	cursor_at(te, 0, 5);
	assert_false(textedit_move_right(te));
	assert_true(textedit_move_left(te));
	assert_int_equal(textedit_cursor(te), 4);
	assert_true(textedit_move_text_start(te));
	assert_int_equal(textedit_cursor(te), 0);
	assert_true(textedit_move_text_end(te));
	assert_int_equal(textedit_cursor(te), 7);
	/* a position inside a character snaps back to its start */
	textedit_set_cursor(te, 5);
	assert_int_equal(textedit_cursor(te), 4);
	textedit_set_cursor(te, 2);
	assert_int_equal(textedit_cursor(te), 0);
	textedit_set_cursor(te, 1000);
	assert_int_equal(textedit_cursor(te), 7);
	textedit_free(te);
}

static void
test_combining_marks_are_one_unit(void **state)
{
	(void)state;
	struct textedit *te = field("e\xCC\x81x");
	assert_true(textedit_move_right(te));
	assert_int_equal(textedit_cursor(te), 3);
	cursor_at(te, 0, 1);
	textedit_set_cursor(te, 1);
	assert_int_equal(textedit_cursor(te), 0);
	textedit_set_cursor(te, 3);
	assert_true(textedit_delete_backward(te));
	text_is(te, "x");
	assert_int_equal(textedit_cursor(te), 0);
	assert_true(textedit_undo(te));
	text_is(te, "e\xCC\x81x");
	assert_int_equal(textedit_cursor(te), 3);
	textedit_set_cursor(te, 0);
	assert_true(textedit_delete_forward(te));
	text_is(te, "x");
	textedit_free(te);

	/* a base typed before an orphan mark takes it; the cursor goes after both */
	te = field("\xCC\x81z");
	type(te, "a");
	text_is(te, "a\xCC\x81z");
	assert_int_equal(textedit_cursor(te), 3);
	textedit_free(te);
}

static void
test_type_and_delete(void **state)
{
	(void)state;
	struct textedit *te = field("年报");
	textedit_move_right(te);
	type(te, "度");
	text_is(te, "年度报");
	assert_int_equal(textedit_cursor(te), 6);
	assert_true(textedit_modified(te));
	assert_true(textedit_delete_forward(te));
	text_is(te, "年度");
	assert_false(textedit_delete_forward(te));
	assert_true(textedit_delete_backward(te));
	text_is(te, "年");
	assert_int_equal(textedit_cursor(te), 3);
	/* controls are dropped; a tab is one space; invalid UTF-8 is U+FFFD */
	type(te, "\x07\t");
	text_is(te, "年 ");
	type(te, "\xC0");
	text_is(te, "年 \xEF\xBF\xBD");
	assert_false(textedit_type(te, "\x1b", 1));
	textedit_free(te);
}

static void
test_delete_to_line_end(void **state)
{
	(void)state;
	struct textedit *te = field("abc\ndef");
	textedit_set_cursor(te, 1);
	assert_true(textedit_delete_to_line_end(te));
	text_is(te, "a\ndef");
	assert_int_equal(textedit_cursor(te), 1);
	assert_true(textedit_delete_to_line_end(te));
	text_is(te, "adef");
	assert_true(textedit_delete_to_line_end(te));
	text_is(te, "a");
	assert_false(textedit_delete_to_line_end(te));
	assert_true(textedit_undo(te));
	text_is(te, "adef");
	textedit_free(te);
}

static void
test_paste_crlf(void **state)
{
	(void)state;
	struct textedit *te = field("前言");
	textedit_move_text_end(te);
	const char paste[] = "第一段，\r\n第二段。\r\n\r\n第三段\r";
	assert_true(textedit_paste(te, paste, strlen(paste)));
	text_is(te, "前言第一段，\n第二段。\n\n第三段\n");
	assert_int_equal(textedit_cursor(te), strlen("前言第一段，\n第二段。\n\n第三段\n"));
	cursor_at(te, 4, 0);
	/* the whole paste is one step */
	assert_true(textedit_undo(te));
	text_is(te, "前言");
	assert_int_equal(textedit_cursor(te), 6);
	assert_true(textedit_redo(te));
	text_is(te, "前言第一段，\n第二段。\n\n第三段\n");
	/* typing right after a paste is a step of its own */
	type(te, "x");
	assert_true(textedit_undo(te));
	text_is(te, "前言第一段，\n第二段。\n\n第三段\n");
	textedit_free(te);
}

static void
test_wrap_wide_char_at_edge(void **state)
{
	(void)state;
	struct textedit *te = field("一二三四");
	/* width 6: rows hold 5 columns, so the third character cannot fit half */
	textedit_set_width(te, 6);
	assert_int_equal(textedit_width(te), 6);
	struct width_line rows[8];
	assert_int_equal(textedit_rows(te, 0, rows, 8), 2);
	assert_int_equal(rows[0].start, 0);
	assert_int_equal(rows[0].end, 6);
	assert_int_equal(rows[0].cols, 4);
	assert_int_equal(rows[1].start, 6);
	assert_int_equal(rows[1].end, 12);
	textedit_move_right(te);
	textedit_move_right(te);
	assert_int_equal(textedit_cursor(te), 6);
	cursor_at(te, 1, 0);
	textedit_move_text_end(te);
	cursor_at(te, 1, 4);
	/* width 7: three per row, the cursor after a full row still has its column */
	textedit_set_width(te, 7);
	assert_int_equal(textedit_rows(te, 0, rows, 8), 2);
	assert_int_equal(rows[0].cols, 6);
	textedit_set_cursor(te, 9);
	cursor_at(te, 1, 0);
	textedit_set_cursor(te, 6);
	cursor_at(te, 0, 4);
	assert_int_equal(textedit_rows(te, 1, rows, 8), 1);
	assert_int_equal(rows[0].start, 9);
	assert_int_equal(textedit_rows(te, 2, rows, 8), 0);
	textedit_free(te);
}

static void
test_layout_hard_lines(void **state)
{
	(void)state;
	struct textedit *te = field("甲\n\n乙丙丁戊己\n");
	textedit_set_width(te, 5);
	struct width_line rows[10];
	size_t n = textedit_rows(te, 0, rows, 10);
	assert_int_equal(n, 6);
	assert_true(rows[0].hard);
	assert_int_equal(rows[1].start, rows[1].end);
	assert_int_equal(rows[2].cols, 4);
	assert_int_equal(rows[4].cols, 2);
	assert_true(rows[4].hard);
	assert_int_equal(rows[5].start, strlen("甲\n\n乙丙丁戊己\n"));
	/* asking from the middle gives the same rows */
	assert_int_equal(textedit_rows(te, 3, rows, 2), 2);
	assert_int_equal(rows[0].start, strlen("甲\n\n乙丙"));
	textedit_move_text_end(te);
	cursor_at(te, 5, 0);
	assert_int_equal(textedit_rows(te, 0, rows, 1), 1);
	assert_int_equal(rows[0].start, 0);
	textedit_free(te);
}

static void
test_up_down_keep_column(void **state)
{
	(void)state;
	struct textedit *te = field("abcdef\n中文字\nxy\nabcdef");
	textedit_set_cursor(te, 3);
	cursor_at(te, 0, 3);
	/* column 3 falls inside 文: land on its left */
	assert_true(textedit_move_down(te));
	assert_int_equal(textedit_cursor(te), 7 + 3);
	cursor_at(te, 1, 2);
	/* a shorter line: its end */
	assert_true(textedit_move_down(te));
	assert_int_equal(textedit_cursor(te), 17 + 2);
	cursor_at(te, 2, 2);
	/* the goal column 3 comes back on a longer line */
	assert_true(textedit_move_down(te));
	assert_int_equal(textedit_cursor(te), 20 + 3);
	cursor_at(te, 3, 3);
	assert_false(textedit_move_down(te));
	assert_true(textedit_move_up(te));
	assert_true(textedit_move_up(te));
	assert_true(textedit_move_up(te));
	assert_int_equal(textedit_cursor(te), 3);
	assert_false(textedit_move_up(te));
	/* a horizontal move sets a new goal column */
	textedit_move_right(te);
	textedit_move_right(te);
	cursor_at(te, 0, 5);
	assert_true(textedit_move_down(te));
	assert_int_equal(textedit_cursor(te), 7 + 6);
	cursor_at(te, 1, 4);
	textedit_free(te);
}

static void
test_up_down_across_wrapped_rows(void **state)
{
	(void)state;
	/* width 8 wraps at 7 columns: "ab一二" | "三四五" | "六" (hard) | "x" */
	struct textedit *te = field("ab一二三四五六\nx");
	textedit_set_width(te, 8);
	struct width_line rows[5];
	assert_int_equal(textedit_rows(te, 0, rows, 5), 4);
	assert_int_equal(rows[0].cols, 6);
	assert_int_equal(rows[1].start, 8);
	assert_int_equal(rows[2].start, 17);
	/* column 1 falls inside 三 and 六: land on their left; "x" is shorter */
	textedit_set_cursor(te, 1);
	assert_true(textedit_move_down(te));
	assert_int_equal(textedit_cursor(te), 8);
	cursor_at(te, 1, 0);
	assert_true(textedit_move_down(te));
	assert_int_equal(textedit_cursor(te), 17);
	cursor_at(te, 2, 0);
	assert_true(textedit_move_down(te));
	assert_int_equal(textedit_cursor(te), 22);
	cursor_at(te, 3, 1);
	assert_false(textedit_move_down(te));
	assert_true(textedit_move_up(te));
	assert_true(textedit_move_up(te));
	assert_true(textedit_move_up(te));
	assert_int_equal(textedit_cursor(te), 1);
	/* column 4 exists on row 0 (after 一) and row 1 (after 四) */
	textedit_set_cursor(te, 5);
	cursor_at(te, 0, 4);
	assert_true(textedit_move_down(te));
	assert_int_equal(textedit_cursor(te), 14);
	cursor_at(te, 1, 4);
	assert_true(textedit_move_down(te));
	assert_int_equal(textedit_cursor(te), 20);
	cursor_at(te, 2, 2);
	assert_true(textedit_move_up(te));
	assert_int_equal(textedit_cursor(te), 14);
	/* the last position of a soft-wrapped row is before its last character */
	assert_true(textedit_move_up(te));
	assert_int_equal(textedit_cursor(te), 5);
	assert_true(textedit_move_row_start(te));
	assert_int_equal(textedit_cursor(te), 0);
	assert_true(textedit_move_row_end(te));
	assert_int_equal(textedit_cursor(te), 5);
	cursor_at(te, 0, 4);
	textedit_free(te);
}

static void
test_row_start_end(void **state)
{
	(void)state;
	struct textedit *te = field("hello world again\n中");
	textedit_set_width(te, 9);
	textedit_set_cursor(te, 8);
	cursor_at(te, 1, 2);
	assert_true(textedit_move_row_start(te));
	assert_int_equal(textedit_cursor(te), 6);
	assert_true(textedit_move_row_end(te));
	assert_int_equal(textedit_cursor(te), 11);
	cursor_at(te, 1, 5);
	textedit_set_cursor(te, 13);
	assert_true(textedit_move_row_end(te));
	assert_int_equal(textedit_cursor(te), 17);
	textedit_move_text_end(te);
	assert_true(textedit_move_row_start(te));
	assert_int_equal(textedit_cursor(te), 18);
	assert_true(textedit_move_row_end(te));
	assert_int_equal(textedit_cursor(te), 21);
	textedit_free(te);
}

static void
test_undo_coalescing(void **state)
{
	(void)state;
	struct textedit *te = field("");
	const char *keys[] = {"h", "e", "l", "l", "o", " ", "w", "o"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		type(te, keys[i]);
	text_is(te, "hello wo");
	assert_true(textedit_undo(te));
	text_is(te, "hello ");
	assert_int_equal(textedit_cursor(te), 6);
	assert_true(textedit_undo(te));
	text_is(te, "");
	assert_int_equal(textedit_cursor(te), 0);
	assert_false(textedit_undo(te));
	assert_true(textedit_redo(te));
	text_is(te, "hello ");
	assert_int_equal(textedit_cursor(te), 6);
	assert_true(textedit_redo(te));
	text_is(te, "hello wo");
	assert_int_equal(textedit_cursor(te), 8);
	assert_false(textedit_redo(te));
	textedit_free(te);

	/* input-method bursts coalesce up to the Chinese comma */
	te = field("");
	type(te, "我们");
	type(te, "今天");
	type(te, "，");
	type(te, "明天");
	type(te, "再来");
	assert_true(textedit_undo(te));
	text_is(te, "我们今天，");
	assert_true(textedit_undo(te));
	text_is(te, "");
	textedit_free(te);
}

static void
test_undo_breaks(void **state)
{
	(void)state;
	/* a cursor move ends the step */
	struct textedit *te = field("");
	type(te, "a");
	type(te, "b");
	textedit_move_left(te);
	type(te, "c");
	text_is(te, "acb");
	assert_true(textedit_undo(te));
	text_is(te, "ab");
	assert_int_equal(textedit_cursor(te), 1);
	textedit_free(te);

	/* a newline is a step of its own */
	te = field("");
	type(te, "a");
	type(te, "\n");
	type(te, "b");
	type(te, "c");
	assert_true(textedit_undo(te));
	text_is(te, "a\n");
	assert_true(textedit_undo(te));
	text_is(te, "a");
	assert_true(textedit_undo(te));
	text_is(te, "");
	textedit_free(te);

	/* a deletion ends the step, and is undone by itself */
	te = field("");
	type(te, "ab");
	textedit_delete_backward(te);
	type(te, "c");
	assert_true(textedit_undo(te));
	text_is(te, "a");
	assert_true(textedit_undo(te));
	text_is(te, "ab");
	/* a new change drops the redo branch */
	type(te, "z");
	assert_false(textedit_redo(te));
	text_is(te, "abz");
	textedit_free(te);
}

static void
test_undo_restores_cursor(void **state)
{
	(void)state;
	struct textedit *te = field("一二三四");
	textedit_set_cursor(te, 6);
	assert_true(textedit_delete_backward(te));
	textedit_move_text_end(te);
	assert_true(textedit_undo(te));
	text_is(te, "一二三四");
	assert_int_equal(textedit_cursor(te), 6);
	assert_true(textedit_redo(te));
	assert_int_equal(textedit_cursor(te), 3);
	textedit_move_text_start(te);
	textedit_move_text_end(te);
	type(te, "五");
	textedit_move_text_start(te);
	assert_true(textedit_undo(te));
	assert_int_equal(textedit_cursor(te), 9);
	textedit_free(te);
}

static void
test_revert(void **state)
{
	(void)state;
	struct textedit *te = field("原文");
	textedit_move_text_end(te);
	type(te, "加上");
	textedit_move_text_start(te);
	textedit_delete_forward(te);
	text_is(te, "文加上");
	assert_true(textedit_modified(te));
	assert_true(textedit_revert(te));
	text_is(te, "原文");
	assert_int_equal(textedit_cursor(te), 0);
	assert_false(textedit_modified(te));
	assert_false(textedit_revert(te));
	/* the revert itself can be undone */
	assert_true(textedit_undo(te));
	text_is(te, "文加上");
	assert_true(textedit_modified(te));
	/* editing back to the entry text is "not modified" */
	assert_true(textedit_undo(te));
	assert_true(textedit_undo(te));
	text_is(te, "原文");
	assert_false(textedit_modified(te));
	textedit_free(te);
}

static void
test_history_is_bounded(void **state)
{
	(void)state;
	struct textedit *te = field("");
	for (int i = 0; i < TEXTEDIT_HISTORY_STEPS + 500; i++)
		type(te, "\n");
	int undone = 0;
	while (textedit_undo(te))
		undone++;
	assert_true(undone >= 1 && undone <= TEXTEDIT_HISTORY_STEPS);
	size_t len;
	textedit_text(te, &len);
	assert_int_equal(len, (size_t)(TEXTEDIT_HISTORY_STEPS + 500 - undone));
	textedit_free(te);
}

static void
test_large_paste(void **state)
{
	(void)state;
	const char unit[] = "各级行政机关主动公开政府信息，annual report 2021。\r\n";
	size_t unit_len = strlen(unit), count = (20u << 20) / unit_len;
	char *big = malloc(unit_len * count);
	assert_non_null(big);
	for (size_t i = 0; i < count; i++)
		memcpy(big + i * unit_len, unit, unit_len);
	clock_t begin = clock();
	struct textedit *te = field("开头");
	textedit_move_text_end(te);
	textedit_set_width(te, 60);
	assert_true(textedit_paste(te, big, unit_len * count));
	size_t len;
	textedit_text(te, &len);
	assert_int_equal(len, 6 + (unit_len - 1) * count);
	size_t row;
	int col;
	textedit_cursor_position(te, &row, &col);
	assert_true(row >= count);
	assert_int_equal(col, 0);
	assert_true(textedit_move_up(te));
	type(te, "字");
	textedit_cursor_position(te, &row, &col);
	assert_true(textedit_delete_backward(te));
	struct width_line rows[24];
	assert_int_equal(textedit_rows(te, row - 30, rows, 24), 24);
	assert_int_equal(textedit_rows(te, 0, rows, 24), 24);
	assert_true(textedit_undo(te));
	assert_true(textedit_undo(te));
	assert_true(textedit_undo(te));
	text_is(te, "开头");
	assert_true(textedit_redo(te));
	textedit_text(te, &len);
	assert_int_equal(len, 6 + (unit_len - 1) * count);
	double seconds = (double)(clock() - begin) / CLOCKS_PER_SEC;
	assert_true(seconds < 30);
	textedit_free(te);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_new_normalizes_entry),
		cmocka_unit_test(test_moves_over_wide_chars),
		cmocka_unit_test(test_combining_marks_are_one_unit),
		cmocka_unit_test(test_type_and_delete),
		cmocka_unit_test(test_delete_to_line_end),
		cmocka_unit_test(test_paste_crlf),
		cmocka_unit_test(test_wrap_wide_char_at_edge),
		cmocka_unit_test(test_layout_hard_lines),
		cmocka_unit_test(test_up_down_keep_column),
		cmocka_unit_test(test_up_down_across_wrapped_rows),
		cmocka_unit_test(test_row_start_end),
		cmocka_unit_test(test_undo_coalescing),
		cmocka_unit_test(test_undo_breaks),
		cmocka_unit_test(test_undo_restores_cursor),
		cmocka_unit_test(test_revert),
		cmocka_unit_test(test_history_is_bounded),
		cmocka_unit_test(test_large_paste),
	};
	return cmocka_run_group_tests_name("textedit", tests, NULL, NULL);
}
