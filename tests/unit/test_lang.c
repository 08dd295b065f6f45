#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "nianbao/lang.h"

static void
test_chinese_unless_asked(void **state)
{
	(void)state;
	/* a locale that names no language: Chinese, the form's language */
	assert_true(lang_wants_chinese(NULL, NULL, NULL, NULL));
	assert_true(lang_wants_chinese("", "", "", ""));
	assert_true(lang_wants_chinese(NULL, "C", NULL, NULL));
	assert_true(lang_wants_chinese(NULL, "POSIX", NULL, NULL));
	assert_true(lang_wants_chinese(NULL, "C.UTF-8", NULL, NULL));
	assert_true(lang_wants_chinese(NULL, NULL, NULL, "C.utf8"));
	assert_true(lang_wants_chinese(NULL, NULL, "C", "en_US.UTF-8"));   /* LC_MESSAGES before LANG */
	/* a Chinese locale, even one the machine lacks */
	assert_true(lang_wants_chinese(NULL, NULL, NULL, "zh_CN.UTF-8"));
	assert_true(lang_wants_chinese(NULL, NULL, NULL, "zh_TW.UTF-8"));
	/* English (or any language) when asked for */
	assert_false(lang_wants_chinese("en", NULL, NULL, NULL));
	assert_false(lang_wants_chinese("en", "C.UTF-8", NULL, NULL));
	assert_false(lang_wants_chinese(NULL, NULL, NULL, "en_US.UTF-8"));
	assert_false(lang_wants_chinese(NULL, "en_GB.UTF-8", NULL, "zh_CN.UTF-8"));   /* LC_ALL first */
	assert_false(lang_wants_chinese(NULL, NULL, "de_DE.UTF-8", NULL));
	/* LANGUAGE names the language itself; gettext takes it from there */
	assert_false(lang_wants_chinese("zh_CN", NULL, NULL, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chinese_unless_asked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
