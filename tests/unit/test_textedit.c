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

/* ---- the windowed layout against the whole-text layout ---- */

static unsigned long prop_seed = 20261129;

static unsigned
prop_rand(unsigned n)
{
	prop_seed = prop_seed * 6364136223846793005ul + 1442695040888963407ul;
	return (unsigned)((prop_seed >> 33) % n);
}

/* Pieces a clerk's text is made of: Chinese with its punctuation (opening and closing,
 * which the wrap carries over), Latin words and numbers, runs of spaces, combining marks,
 * zero-width characters, wide characters that do not fit narrow fields, and newlines. */
static const char *const prop_pieces[] = {
	"政", "府", "信", "息", "公", "开", "，", "。", "、", "（", "）", "“", "”", "《", "》",
	"report", "2021", "3.5%", "a", "annual", " ", "   ", "\n", "\n\n", "e\xCC\x81",
	"\xCC\x81", "\xE2\x80\x8B", "\xE2\x80\x8D", "(", ")", ",", "x", "한\xE1\x85\xA1",
	"\xF0\x9F\x98\x80", "\xEF\xBC\xA1", "1234567890123",
};

static size_t
prop_text(char *out, size_t max)
{
	size_t n = 0, pieces = prop_rand(200);
	for (size_t i = 0; i < pieces; i++) {
		const char *p = prop_pieces[prop_rand(sizeof prop_pieces / sizeof *prop_pieces)];
		size_t len = strlen(p);
		if (n + len > max)
			break;
		memcpy(out + n, p, len);
		n += len;
	}
	return n;
}

/* The reference: every row of the text wrapped from its start. */
static size_t
reference_rows(const char *text, size_t len, int width, struct width_line *rows, size_t max)
{
	struct width_wrap wrap;
	width_wrap_init(&wrap, text, len, width - 1);
	size_t n = 0;
	while (n < max && width_wrap_next(&wrap, &rows[n]))
		n++;
	return n;
}

static void
rows_equal(const struct width_line *a, const struct width_line *b)
{
	assert_int_equal(a->start, b->start);
	assert_int_equal(a->end, b->end);
	assert_int_equal(a->next, b->next);
	assert_int_equal(a->cols, b->cols);
	assert_int_equal(a->hard, b->hard);
}

static void
check_against_reference(struct textedit *te)
{
	static struct width_line ref[4096], got[4096];
	size_t len;
	const char *text = textedit_text(te, &len);
	int width = textedit_width(te);
	size_t n = reference_rows(text, len, width, ref, 4096);
	assert_true(n < 4096);
	/* windows in a random order, as a screen scrolling about asks for them */
	for (int k = 0; k < 4; k++) {
		size_t first = prop_rand((unsigned)n + 2), max = 1 + prop_rand(30);
		size_t got_n = textedit_rows(te, first, got, max);
		size_t want = first >= n ? 0 : (n - first < max ? n - first : max);
		assert_int_equal(got_n, want);
		for (size_t i = 0; i < got_n; i++)
			rows_equal(&got[i], &ref[first + i]);
	}
	/* the cursor's row and column */
	size_t cur = textedit_cursor(te), row = 0;
	int col;
	textedit_cursor_position(te, &row, &col);
	size_t want = 0;
	while (want + 1 < n && cur >= ref[want].next)
		want++;
	assert_int_equal(row, want);
	int c = (int)width_of_utf8(text + ref[want].start, cur - ref[want].start);
	assert_int_equal(col, c < width - 1 ? c : width - 1);
	if (prop_rand(4) == 0)
		assert_int_equal(textedit_row_count(te), n);
}

static void
test_windowed_layout_matches_whole(void **state)
{
	(void)state;
	char text[4096], piece[64];
	for (int round = 0; round < 300; round++) {
		size_t len = prop_text(text, sizeof text);
		struct textedit *te = textedit_new(text, len);
		assert_non_null(te);
		textedit_set_width(te, 2 + (int)prop_rand(round % 3 ? 40 : 8));
		for (int op = 0; op < 40; op++) {
			size_t tlen;
			textedit_text(te, &tlen);
			switch (prop_rand(10)) {
			case 0: case 1: {
				size_t n = prop_text(piece, 1 + prop_rand(sizeof piece - 1));
				textedit_set_cursor(te, prop_rand((unsigned)tlen + 1));
				if (n)
					textedit_type(te, piece, n);
				break;
			}
			case 2:
				textedit_set_cursor(te, prop_rand((unsigned)tlen + 1));
				textedit_delete_backward(te);
				break;
			case 3:
				textedit_delete_forward(te);
				break;
			case 4: {
				size_t before, after;
				int col_before, col_after;
				textedit_cursor_position(te, &before, &col_before);
				if (textedit_move_up(te)) {
					textedit_cursor_position(te, &after, &col_after);
					assert_int_equal(after + 1, before);
				} else {
					assert_int_equal(before, 0);
				}
				break;
			}
			case 5: {
				size_t before, after;
				int col_before, col_after;
				textedit_cursor_position(te, &before, &col_before);
				if (textedit_move_down(te)) {
					textedit_cursor_position(te, &after, &col_after);
					assert_int_equal(after, before + 1);
				} else {
					assert_int_equal(before + 1, textedit_row_count(te));
				}
				break;
			}
			case 6:
				if (!textedit_undo(te))
					textedit_redo(te);
				break;
			case 7:
				textedit_delete_to_line_end(te);
				break;
			case 8:
				if (prop_rand(4) == 0)
					textedit_set_width(te, 2 + (int)prop_rand(60));
				else
					textedit_move_row_end(te);
				break;
			default:
				textedit_set_cursor(te, prop_rand((unsigned)tlen + 1));
				break;
			}
			check_against_reference(te);
		}
		textedit_free(te);
	}
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
		cmocka_unit_test(test_windowed_layout_matches_whole),
	};
	return cmocka_run_group_tests_name("textedit", tests, NULL, NULL);
}
