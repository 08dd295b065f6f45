#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "nianbao/utf8.h"

static void
decode_is(const char *s, size_t len, uint32_t cp, size_t n)
{
	uint32_t got = 0;
	assert_int_equal(utf8_decode(s, len, &got), n);
	assert_int_equal(got, cp);
}

static void
test_decode_valid(void **state)
{
	(void)state;
	decode_is("A", 1, 'A', 1);
	decode_is("\x00", 1, 0, 1);
	decode_is("\xC2\x80", 2, 0x80, 2);
	decode_is("\xDF\xBF", 2, 0x7FF, 2);
	decode_is("\xE0\xA0\x80", 3, 0x800, 3);
	decode_is("中", 3, 0x4E2D, 3);
	decode_is("\xED\x9F\xBF", 3, 0xD7FF, 3);
	decode_is("\xEE\x80\x80", 3, 0xE000, 3);
	decode_is("\xEF\xBF\xBF", 3, 0xFFFF, 3);
	decode_is("\xF0\x90\x80\x80", 4, 0x10000, 4);
	decode_is("\xF0\xA0\x80\x80", 4, 0x20000, 4);
	decode_is("\xF4\x8F\xBF\xBF", 4, 0x10FFFF, 4);
	uint32_t cp = 7;
	assert_int_equal(utf8_decode("", 0, &cp), 0);
}

static void
test_decode_invalid(void **state)
{
	(void)state;
	/* overlong forms */
	decode_is("\xC0\x80", 2, UTF8_INVALID, 1);
	decode_is("\xC1\xBF", 2, UTF8_INVALID, 1);
	decode_is("\xE0\x80\x80", 3, UTF8_INVALID, 1);
	decode_is("\xE0\x9F\xBF", 3, UTF8_INVALID, 1);
	decode_is("\xF0\x8F\xBF\xBF", 4, UTF8_INVALID, 1);
	/* surrogates */
	decode_is("\xED\xA0\x80", 3, UTF8_INVALID, 1);
	decode_is("\xED\xBF\xBF", 3, UTF8_INVALID, 1);
	/* above U+10FFFF */
	decode_is("\xF4\x90\x80\x80", 4, UTF8_INVALID, 1);
	decode_is("\xF5\x80\x80\x80", 4, UTF8_INVALID, 1);
	decode_is("\xFF", 1, UTF8_INVALID, 1);
	/* stray continuation, truncated sequences: the maximal bad subpart */
	decode_is("\x80", 1, UTF8_INVALID, 1);
	decode_is("\xE4\xB8", 2, UTF8_INVALID, 2);
	decode_is("\xE4\xB8" "A", 3, UTF8_INVALID, 2);
	decode_is("\xF0\x9F\x98", 3, UTF8_INVALID, 3);
	decode_is("\xF0\x9F\x98\x41", 4, UTF8_INVALID, 3);
	decode_is("\xE4\xB8\xAD", 2, UTF8_INVALID, 2);
}

static void
test_validate(void **state)
{
	(void)state;
	const char ok[] = "年报 annual report 2021 \xF0\x9F\x98\x80";
	assert_int_equal(utf8_validate(ok, strlen(ok)), strlen(ok));
	assert_true(utf8_is_valid(ok, strlen(ok)));
	assert_int_equal(utf8_validate("", 0), 0);
	assert_int_equal(utf8_validate("abc中\xE4\xB8", 8), 6);
	assert_int_equal(utf8_validate("ab\xC0\x80", 4), 2);
	assert_int_equal(utf8_validate("中\xED\xA0\x80", 6), 3);
	assert_int_equal(utf8_validate("x\xF4\x90\x80\x80", 5), 1);
	assert_int_equal(utf8_validate("\x80", 1), 0);
	assert_false(utf8_is_valid("a\xFE", 2));
	/* a NUL byte is a valid character */
	assert_int_equal(utf8_validate("a\0b", 3), 3);
}

static void
test_next_prev(void **state)
{
	(void)state;
	const char s[] = "a中\xF0\x9F\x98\x80" "b";
	size_t len = strlen(s);
	assert_int_equal(utf8_next(s, len, 0), 1);
	assert_int_equal(utf8_next(s, len, 1), 4);
	assert_int_equal(utf8_next(s, len, 4), 8);
	assert_int_equal(utf8_next(s, len, 8), 9);
	assert_int_equal(utf8_next(s, len, 9), 9);
	assert_int_equal(utf8_prev(s, len, 9), 8);
	assert_int_equal(utf8_prev(s, len, 8), 4);
	assert_int_equal(utf8_prev(s, len, 4), 1);
	assert_int_equal(utf8_prev(s, len, 1), 0);
	assert_int_equal(utf8_prev(s, len, 0), 0);
}

static void
test_prev_inverts_next_on_bad_input(void **state)
{
	(void)state;
	const char s[] = "\x80\x80" "a\xE4\xB8" "b\xE4\xB8\xAD\xAD\xC0\x80\xF0\x9F\x98" "\xE0\x80"
	                 "中\xED\xA0\x80\xF4\x90\x80\x80\xFF";
	size_t len = sizeof s - 1;
	size_t forward[sizeof s], count = 0;
	for (size_t pos = 0; pos < len; pos = utf8_next(s, len, pos))
		forward[count++] = pos;
	assert_true(count > 10);
	size_t pos = len;
	while (count > 0) {
		pos = utf8_prev(s, len, pos);
		assert_int_equal(pos, forward[--count]);
	}
	assert_int_equal(pos, 0);
}

static void
test_encode(void **state)
{
	(void)state;
	static const uint32_t cps[] = {0, 0x41, 0x7F, 0x80, 0x7FF, 0x800, 0x4E2D, 0xD7FF, 0xE000,
	                               0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF};
	for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		char buf[UTF8_MAX_BYTES];
		size_t n = utf8_encode(cps[i], buf);
		assert_true(n >= 1 && n <= 4);
		assert_int_equal(utf8_validate(buf, n), n);
		decode_is(buf, n, cps[i], n);
	}
	char buf[UTF8_MAX_BYTES];
	assert_int_equal(utf8_encode(0x4E2D, buf), 3);
	assert_memory_equal(buf, "中", 3);
	assert_int_equal(utf8_encode(0xD800, buf), 0);
	assert_int_equal(utf8_encode(0xDFFF, buf), 0);
	assert_int_equal(utf8_encode(0x110000, buf), 0);
	assert_int_equal(utf8_encode(UTF8_INVALID, buf), 0);
}

static void
test_incomplete_tail(void **state)
{
	(void)state;
	assert_int_equal(utf8_incomplete_tail("", 0), 0);
	assert_int_equal(utf8_incomplete_tail("abc", 3), 0);
	assert_int_equal(utf8_incomplete_tail("a中", 4), 0);
	assert_int_equal(utf8_incomplete_tail("a\xE4", 2), 1);
	assert_int_equal(utf8_incomplete_tail("a\xE4\xB8", 3), 2);
	assert_int_equal(utf8_incomplete_tail("\xF0\x9F\x98", 3), 3);
	assert_int_equal(utf8_incomplete_tail("\xC0", 1), 0);
	assert_int_equal(utf8_incomplete_tail("\xED\xA0", 2), 0);
	assert_int_equal(utf8_incomplete_tail("\x80\x80", 2), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_valid),
		cmocka_unit_test(test_decode_invalid),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_next_prev),
		cmocka_unit_test(test_prev_inverts_next_on_bad_input),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_incomplete_tail),
	};
	return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
