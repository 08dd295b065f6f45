#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "nianbao/value.h"

static struct value
parse_ok(const char *text, enum value_type type)
{
	struct value v = value_blank();
	assert_int_equal(value_parse(text, strlen(text), type, &v), VALUE_OK);
	assert_true(v.set);
	return v;
}

static void
parse_error(const char *text, enum value_type type, enum value_error expected)
{
	struct value v = value_blank();
	assert_int_equal(value_parse(text, strlen(text), type, &v), expected);
	assert_false(v.set);
}

static void
test_counts(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("0", VALUE_COUNT).scaled, 0);
	assert_int_equal(parse_ok("24", VALUE_COUNT).scaled, 24 * VALUE_SCALE);
	assert_int_equal(parse_ok("999999999", VALUE_COUNT).scaled, 999999999LL * VALUE_SCALE);
	parse_error("1000000000", VALUE_COUNT, VALUE_ERR_TOO_LARGE);
	parse_error("99999999999999999999999", VALUE_COUNT, VALUE_ERR_TOO_LARGE);
	parse_error("-1", VALUE_COUNT, VALUE_ERR_NEGATIVE);
	parse_error("-0", VALUE_COUNT, VALUE_ERR_SYNTAX);
	parse_error("1.5", VALUE_COUNT, VALUE_ERR_FRACTION);
	parse_error("1e3", VALUE_COUNT, VALUE_ERR_SYNTAX);
	parse_error("", VALUE_COUNT, VALUE_ERR_SYNTAX);
	parse_error("12 ", VALUE_COUNT, VALUE_ERR_SYNTAX);
	parse_error("1,000", VALUE_COUNT, VALUE_ERR_SYNTAX);
}

static void
test_signed(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("-1", VALUE_SIGNED).scaled, -VALUE_SCALE);
	assert_int_equal(parse_ok("+2", VALUE_SIGNED).scaled, 2 * VALUE_SCALE);
	parse_error("-0", VALUE_SIGNED, VALUE_ERR_SYNTAX);
	parse_error("-", VALUE_SIGNED, VALUE_ERR_SYNTAX);
	parse_error("-1000000000", VALUE_SIGNED, VALUE_ERR_TOO_LARGE);
}

static void
test_money(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("19.7", VALUE_MONEY).scaled, 19700000);
	assert_int_equal(parse_ok("0.000001", VALUE_MONEY).scaled, 1);     /* one fen, in 万元 */
	assert_int_equal(parse_ok("3.1000000", VALUE_MONEY).scaled, 3100000);
	assert_int_equal(parse_ok(".5", VALUE_MONEY).scaled, 500000);
	assert_int_equal(parse_ok("5949.088667", VALUE_MONEY).scaled, 5949088667LL);
	assert_int_equal(parse_ok("999999999.999999", VALUE_MONEY).scaled, 999999999999999LL);
	parse_error("0.0000001", VALUE_MONEY, VALUE_ERR_DECIMALS);
	parse_error("-19.7", VALUE_MONEY, VALUE_ERR_NEGATIVE);
	parse_error("1.2.3", VALUE_MONEY, VALUE_ERR_SYNTAX);
	parse_error(".", VALUE_MONEY, VALUE_ERR_SYNTAX);
}

static void
test_lenient(void **state)
{
	(void)state;
	struct value v = value_blank();
	assert_int_equal(value_parse_lenient("-3", 2, VALUE_COUNT, &v), VALUE_ERR_NEGATIVE);
	assert_true(v.set);
	assert_int_equal(v.scaled, -3 * VALUE_SCALE);
	assert_int_equal(value_parse_lenient("1.5", 3, VALUE_COUNT, &v), VALUE_ERR_FRACTION);
	assert_int_equal(v.scaled, 1500000);
	assert_int_equal(value_parse_lenient("0.12345678", 10, VALUE_MONEY, &v), VALUE_ERR_DECIMALS);
	assert_int_equal(v.scaled, 123456);
	assert_int_equal(value_parse_lenient("1000000000", 10, VALUE_COUNT, &v), VALUE_ERR_TOO_LARGE);
	assert_int_equal(v.scaled, 1000000000LL * VALUE_SCALE);
	v = value_blank();
	assert_int_equal(value_parse_lenient("99999999999999999999", 20, VALUE_COUNT, &v), VALUE_ERR_SYNTAX);
	assert_int_equal(value_parse_lenient("-0", 2, VALUE_COUNT, &v), VALUE_ERR_SYNTAX);
	assert_int_equal(value_parse_lenient("1e3", 3, VALUE_COUNT, &v), VALUE_ERR_SYNTAX);
	assert_false(v.set);
	assert_int_equal(value_parse_lenient("7", 1, VALUE_COUNT, &v), VALUE_OK);
	assert_int_equal(v.scaled, 7 * VALUE_SCALE);
}

static void
test_format(void **state)
{
	(void)state;
	char buf[VALUE_FORMAT_MAX];
	assert_int_equal(value_format(parse_ok("19.7", VALUE_MONEY), buf, sizeof buf), 4);
	assert_string_equal(buf, "19.7");
	value_format(parse_ok("0.000001", VALUE_MONEY), buf, sizeof buf);
	assert_string_equal(buf, "0.000001");
	value_format(parse_ok("7539.443252", VALUE_MONEY), buf, sizeof buf);
	assert_string_equal(buf, "7539.443252");
	value_format(parse_ok("999999999.999999", VALUE_MONEY), buf, sizeof buf);
	assert_string_equal(buf, "999999999.999999");
	value_format(parse_ok("-1", VALUE_SIGNED), buf, sizeof buf);
	assert_string_equal(buf, "-1");
	value_format(value_units(316441), buf, sizeof buf);
	assert_string_equal(buf, "316441");
	assert_int_equal(value_format(value_blank(), buf, sizeof buf), 0);
	assert_string_equal(buf, "");
}

static void
test_range(void **state)
{
	(void)state;
	assert_int_equal(value_check_range(value_units(-1), VALUE_COUNT), VALUE_ERR_NEGATIVE);
	assert_int_equal(value_check_range(value_units(-1), VALUE_SIGNED), VALUE_OK);
	assert_int_equal(value_check_range(value_units(1000000000), VALUE_COUNT), VALUE_ERR_TOO_LARGE);
	assert_int_equal(value_check_range((struct value){5, true}, VALUE_COUNT), VALUE_ERR_FRACTION);
	assert_int_equal(value_check_range(value_blank(), VALUE_COUNT), VALUE_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_lenient),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_range),
	};
	return cmocka_run_group_tests_name("value", tests, NULL, NULL);
}
