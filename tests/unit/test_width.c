#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nianbao/utf8.h"
#include "nianbao/width.h"

/* The visible text of each line, joined with '|'. */
static char *
wrapped(const char *text, int width)
{
	size_t len = strlen(text);
	char *out = malloc(2 * len + 64);
	size_t n = 0;
	struct width_wrap wrap;
	struct width_line line;
	width_wrap_init(&wrap, text, len, width);
	bool first = true;
	while (width_wrap_next(&wrap, &line)) {
		if (!first)
			out[n++] = '|';
		first = false;
		assert_true(line.start <= line.end && line.end <= line.next && line.next <= len);
		assert_int_equal((size_t)line.cols, width_of_utf8(text + line.start, line.end - line.start));
		memcpy(out + n, text + line.start, line.end - line.start);
		n += line.end - line.start;
	}
	out[n] = '\0';
	return out;
}

static void
wraps_to(const char *text, int width, const char *expected)
{
	char *got = wrapped(text, width);
	bool same = strcmp(got, expected) == 0;
	if (!same)
		print_error("width %d: \"%s\" != \"%s\"\n", width, got, expected);
	free(got);
	assert_true(same);
}

static void
test_char_widths(void **state)
{
	(void)state;
	assert_int_equal(width_of_char('a'), 1);
	assert_int_equal(width_of_char(' '), 1);
	assert_int_equal(width_of_char(0x4E2D), 2);     /* 中 */
	assert_int_equal(width_of_char(0x3400), 2);     /* CJK extension A */
	assert_int_equal(width_of_char(0x20000), 2);    /* extension B */
	assert_int_equal(width_of_char(0x2FFF0), 2);    /* unassigned, plane 2 defaults to W */
	assert_int_equal(width_of_char(0xAC00), 2);     /* 가 */
	assert_int_equal(width_of_char(0x3042), 2);     /* あ */
	assert_int_equal(width_of_char(0x1F600), 2);    /* emoji, W */
	assert_int_equal(width_of_char(0x3000), 2);     /* ideographic space, F */
	assert_int_equal(width_of_char(0xFF21), 2);     /* fullwidth A */
	assert_int_equal(width_of_char(0xFF71), 1);     /* halfwidth katakana */
	assert_int_equal(width_of_char(0x0416), 1);     /* Ж */
	assert_int_equal(width_of_char(0xFFFD), 1);
	assert_int_equal(width_of_char(UTF8_INVALID), 1);
	assert_int_equal(width_of_char(0x110000), 1);
	assert_int_equal(width_of_char(0x00AD), 1);     /* soft hyphen is shown */
}

static void
test_fullwidth_punctuation(void **state)
{
	(void)state;
	static const uint32_t wide[] = {0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01,
	                                0xFF08, 0xFF09, 0x300C, 0x300D, 0x300A, 0x300B, 0x3010,
	                                0x3011, 0x3014, 0x3015};
	for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
		assert_int_equal(width_of_char(wide[i]), 2);
	/* East Asian Ambiguous counts 1: curly quotes, ellipsis, em dash, middle dot */
	assert_int_equal(width_of_char(0x201C), 1);
	assert_int_equal(width_of_char(0x201D), 1);
	assert_int_equal(width_of_char(0x2026), 1);
	assert_int_equal(width_of_char(0x2014), 1);
	assert_int_equal(width_of_char(0x00B7), 1);
	assert_int_equal(width_of_char(0x2500), 1);     /* box drawing */
}

static void
test_zero_width_and_controls(void **state)
{
	(void)state;
	assert_int_equal(width_of_char(0x0301), 0);     /* combining acute */
	assert_int_equal(width_of_char(0x20DD), 0);     /* enclosing circle, Me */
	assert_int_equal(width_of_char(0x3099), 0);     /* combining kana voiced mark, W but Mn */
	assert_int_equal(width_of_char(0x200B), 0);
	assert_int_equal(width_of_char(0x200D), 0);
	assert_int_equal(width_of_char(0xFEFF), 0);
	assert_int_equal(width_of_char(0xFE0F), 0);
	assert_int_equal(width_of_char(0xE0100), 0);
	assert_int_equal(width_of_char(0x1160), 0);     /* Hangul jungseong filler */
	assert_int_equal(width_of_char('\n'), 0);
	assert_int_equal(width_of_char('\t'), 0);
	assert_int_equal(width_of_char(0x00), 0);
	assert_int_equal(width_of_char(0x1B), 0);
	assert_int_equal(width_of_char(0x7F), 0);
	assert_int_equal(width_of_char(0x85), 0);
	assert_int_equal(width_of_char(0x9F), 0);
	assert_int_equal(width_of_char(0xA0), 1);
}

static void
test_string_width(void **state)
{
	(void)state;
	assert_int_equal(width_of_utf8("", 0), 0);
	assert_int_equal(width_of_utf8("中文abc", strlen("中文abc")), 7);
	assert_int_equal(width_of_utf8("，。", strlen("，。")), 4);
	assert_int_equal(width_of_utf8("e\xCC\x81", 3), 1);
	assert_int_equal(width_of_utf8("\xFF\xFE", 2), 2);
	assert_int_equal(width_of_utf8("\xE4\xB8", 2), 1);
	assert_int_equal(width_of_utf8("年\n", 4), 2);
}

static void
test_clusters(void **state)
{
	(void)state;
	const char s[] = "e\xCC\x81\xCC\xA3x中\n\xCC\x81";   /* e + 2 marks, x, 中, LF, orphan mark */
	size_t len = strlen(s);
	int cols = -1;
	assert_true(width_is_extender(0x0301));
	assert_true(width_is_extender(0x0903));         /* Mc */
	assert_true(width_is_extender(0x200D));
	assert_false(width_is_extender('a'));
	assert_false(width_is_extender(0x200B));
	assert_int_equal(width_cluster_next(s, len, 0, &cols), 5);
	assert_int_equal(cols, 1);
	assert_int_equal(width_cluster_next(s, len, 5, &cols), 6);
	assert_int_equal(width_cluster_next(s, len, 6, &cols), 9);
	assert_int_equal(cols, 2);
	assert_int_equal(width_cluster_next(s, len, 9, &cols), 10);   /* the LF alone */
	assert_int_equal(width_cluster_next(s, len, 10, &cols), 12);
	assert_int_equal(cols, 0);
	assert_int_equal(width_cluster_prev(s, len, 12), 10);
	assert_int_equal(width_cluster_prev(s, len, 10), 9);
	assert_int_equal(width_cluster_prev(s, len, 9), 6);
	assert_int_equal(width_cluster_prev(s, len, 6), 5);
	assert_int_equal(width_cluster_prev(s, len, 5), 0);
	assert_false(width_is_cluster_boundary(s, len, 1));
	assert_false(width_is_cluster_boundary(s, len, 3));
	assert_true(width_is_cluster_boundary(s, len, 5));
	assert_true(width_is_cluster_boundary(s, len, 10));
	assert_true(width_is_cluster_boundary(s, len, len));
}

static void
test_wrap_cjk(void **state)
{
	(void)state;
	wraps_to("一二三四五六七", 6, "一二三|四五六|七");
	wraps_to("一二三四五六七", 14, "一二三四五六七");
	/* odd width: a wide character never straddles the edge */
	wraps_to("一二三", 5, "一二|三");
	wraps_to("一二三", 3, "一|二|三");
}

static void
test_wrap_kinsoku_close(void **state)
{
	(void)state;
	/* "。" would start line 2: "五" is carried down with it */
	wraps_to("一二三四五。六", 10, "一二三四|五。六");
	wraps_to("一二三四五，六七", 10, "一二三四|五，六七");
	wraps_to("一二三四五）六", 10, "一二三四|五）六");
	wraps_to("一二三四五」。", 10, "一二三四|五」。");
	wraps_to("一二三四五,六", 10, "一二三四|五,六");
	wraps_to("一二三四五”六", 10, "一二三四|五”六");
	/* when it fits, the punctuation just stays at the end */
	wraps_to("一二三四。五六", 10, "一二三四。|五六");
}

static void
test_wrap_kinsoku_open(void **state)
{
	(void)state;
	/* "（" would end line 1: it moves down with what it opens */
	wraps_to("一二三四（五）", 10, "一二三四|（五）");
	wraps_to("一二三（四五", 8, "一二三|（四五");
	wraps_to("他说“你好”。", 6, "他说|“你|好”。");
	wraps_to("他说“你好”。", 8, "他说“你|好”。");
	wraps_to("一二三四(五)", 9, "一二三四|(五)");
}

static void
test_wrap_latin(void **state)
{
	(void)state;
	wraps_to("hello world foo", 8, "hello|world|foo");
	wraps_to("hello world foo", 11, "hello world|foo");
	/* a word longer than the line is cut at the width */
	wraps_to("abcdefghij", 4, "abcd|efgh|ij");
	/* ...but not so that a line starts with closing punctuation */
	wraps_to("abcdefgh.", 4, "abcd|efg|h.");
	wraps_to("ab (cd", 3, "ab|(cd");
}

static void
test_wrap_mixed(void **state)
{
	(void)state;
	/* the number is not split; breaks between CJK and Latin are allowed */
	wraps_to("共收到申请12345件", 12, "共收到申请|12345件");
	wraps_to("2021年共收到申请", 8, "2021年共|收到申请");
	wraps_to("2021年共收到申请", 5, "2021|年共|收到|申请");
	wraps_to("使用GB18030编码输出", 10, "使用|GB18030编|码输出");
	wraps_to("达到95.5%。同比", 8, "达到|95.5%。|同比");
}

static void
test_wrap_spaces_hang(void **state)
{
	(void)state;
	const char *text = "ab   cd";
	struct width_wrap wrap;
	struct width_line line;
	width_wrap_init(&wrap, text, strlen(text), 3);
	assert_true(width_wrap_next(&wrap, &line));
	assert_int_equal(line.start, 0);
	assert_int_equal(line.end, 2);
	assert_int_equal(line.next, 5);
	assert_int_equal(line.cols, 2);
	assert_false(line.hard);
	assert_true(width_wrap_next(&wrap, &line));
	assert_int_equal(line.start, 5);
	assert_int_equal(line.end, 7);
	assert_int_equal(line.next, 7);
	assert_false(width_wrap_next(&wrap, &line));
	wraps_to("abc d", 3, "abc|d");
}

static void
test_wrap_hard_breaks(void **state)
{
	(void)state;
	wraps_to("a\n\nb", 10, "a||b");
	wraps_to("ab\n", 10, "ab|");
	wraps_to("一二三\n四", 4, "一二|三|四");
	const char *text = "甲\n乙";
	struct width_wrap wrap;
	struct width_line line;
	width_wrap_init(&wrap, text, strlen(text), 10);
	assert_true(width_wrap_next(&wrap, &line));
	assert_true(line.hard);
	assert_int_equal(line.end, 3);
	assert_int_equal(line.next, 4);
	assert_true(width_wrap_next(&wrap, &line));
	assert_false(line.hard);
	assert_int_equal(line.start, 4);
	assert_false(width_wrap_next(&wrap, &line));

	width_wrap_init(&wrap, "", 0, 10);
	assert_true(width_wrap_next(&wrap, &line));
	assert_int_equal(line.start, 0);
	assert_int_equal(line.next, 0);
	assert_int_equal(line.cols, 0);
	assert_false(width_wrap_next(&wrap, &line));
}

static void
test_wrap_tiny_widths(void **state)
{
	(void)state;
	/* a character wider than the line goes alone on its own line */
	wraps_to("中a", 1, "中|a");
	wraps_to("ab", 1, "a|b");
	wraps_to("中。", 1, "中|。");
	wraps_to("中。", 2, "中|。");
	wraps_to("a中b", 0, "a|中|b");
	struct width_wrap wrap;
	struct width_line line;
	width_wrap_init(&wrap, "中", 3, 1);
	assert_true(width_wrap_next(&wrap, &line));
	assert_int_equal(line.cols, 2);
	assert_int_equal(line.next, 3);
}

static void
test_wrap_keeps_clusters(void **state)
{
	(void)state;
	wraps_to("e\xCC\x81" "e\xCC\x81" "e\xCC\x81", 2, "e\xCC\x81" "e\xCC\x81|e\xCC\x81");
	wraps_to("一\xCC\x81二三", 4, "一\xCC\x81二|三");
}

static bool
is_close(uint32_t cp)
{
	return cp == 0x3002 || cp == 0xFF0C || cp == 0x3001 || cp == 0xFF09 || cp == 0x300B;
}

static bool
is_open(uint32_t cp)
{
	return cp == 0xFF08 || cp == 0x300A;
}

static void
test_wrap_paragraph_properties(void **state)
{
	(void)state;
	const char *text =
		"　　2021年，我部深入贯彻落实《中华人民共和国政府信息公开条例》（以下简称《条例》），"
		"坚持以公开为常态、不公开为例外，全年主动公开政府信息123条，收到申请4件，"
		"均已按时答复。see https://www.example.gov.cn/xxgk for details，谢谢。";
	size_t len = strlen(text);
	for (int width = 4; width <= 40; width++) {
		struct width_wrap wrap;
		struct width_line line;
		size_t expected_start = 0, lines = 0;
		width_wrap_init(&wrap, text, len, width);
		while (width_wrap_next(&wrap, &line)) {
			lines++;
			assert_int_equal(line.start, expected_start);
			assert_true(line.cols <= width);
			assert_true(line.end > line.start);
			uint32_t first, last;
			utf8_decode(text + line.start, len - line.start, &first);
			size_t last_at = utf8_prev(text, len, line.end);
			utf8_decode(text + last_at, len - last_at, &last);
			if (width >= 8) {
				assert_false(is_close(first));
				if (line.next < len)
					assert_false(is_open(last));
			}
			expected_start = line.next;
		}
		assert_int_equal(expected_start, len);
		assert_true(lines >= width_of_utf8(text, len) / (size_t)width);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_char_widths),
		cmocka_unit_test(test_fullwidth_punctuation),
		cmocka_unit_test(test_zero_width_and_controls),
		cmocka_unit_test(test_string_width),
		cmocka_unit_test(test_clusters),
		cmocka_unit_test(test_wrap_cjk),
		cmocka_unit_test(test_wrap_kinsoku_close),
		cmocka_unit_test(test_wrap_kinsoku_open),
		cmocka_unit_test(test_wrap_latin),
		cmocka_unit_test(test_wrap_mixed),
		cmocka_unit_test(test_wrap_spaces_hang),
		cmocka_unit_test(test_wrap_hard_breaks),
		cmocka_unit_test(test_wrap_tiny_widths),
		cmocka_unit_test(test_wrap_keeps_clusters),
		cmocka_unit_test(test_wrap_paragraph_properties),
	};
	return cmocka_run_group_tests_name("width", tests, NULL, NULL);
}
