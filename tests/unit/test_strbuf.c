#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nianbao/strbuf.h"

static void
test_build_and_take(void **state)
{
	(void)state;
	struct strbuf b = {0};
	size_t len = 99;
	char *empty = strbuf_take(&b, &len);   /* nothing added: "" */
	assert_string_equal(empty, "");
	assert_int_equal(len, 0);
	free(empty);

	strbuf_puts(&b, "year: ");
	strbuf_printf(&b, "%d", 2021);
	strbuf_add(&b, "\nxyz", 2);
	strbuf_spaces(&b, 3);
	strbuf_spaces(&b, -1);
	strbuf_cp(&b, 0x5E74);   /* 年 */
	strbuf_cp(&b, 'a');
	assert_string_equal(b.s, "year: 2021\nx   年a");
	char *s = strbuf_take(&b, &len);
	assert_int_equal(len, strlen("year: 2021\nx   年a"));
	assert_null(b.s);
	assert_int_equal(b.len, 0);
	free(s);
	strbuf_free(&b);
}

static void
test_growth(void **state)
{
	(void)state;
	struct strbuf b = {0};
	/* past the first 4 KiB, and a formatted piece longer than printf's scratch space */
	for (int i = 0; i < 10000; i++)
		strbuf_add(&b, "0123456789", 10);
	char *long_arg = malloc(2001);
	memset(long_arg, 'x', 2000);
	long_arg[2000] = '\0';
	strbuf_printf(&b, "<%s>", long_arg);
	strbuf_spaces(&b, 100);
	assert_int_equal(b.len, 100000 + 2002 + 100);
	assert_int_equal(strlen(b.s), b.len);
	assert_memory_equal(b.s + 99990, "0123456789<xx", 13);
	assert_int_equal(b.s[b.len - 101], '>');
	free(long_arg);
	strbuf_free(&b);
	assert_null(b.s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_and_take),
		cmocka_unit_test(test_growth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
