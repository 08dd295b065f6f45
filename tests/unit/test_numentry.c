#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "nianbao/numentry.h"

/* Types each character of s; returns the status of the last. */
static enum numentry_status
type_all(struct numentry *n, const char *s, struct value *v, enum value_error *err)
{
	enum numentry_status st = NUMENTRY_TAKEN;
	for (; *s; s++)
		st = numentry_type(n, (unsigned char)*s, v, err);
	return st;
}

static void
test_allowed_characters(void **state)
{
	(void)state;
	for (uint32_t c = '0'; c <= '9'; c++) {
		assert_true(numentry_allows(VALUE_COUNT, c));
		assert_true(numentry_allows(VALUE_SIGNED, c));
		assert_true(numentry_allows(VALUE_MONEY, c));
	}
	assert_false(numentry_allows(VALUE_COUNT, '.'));
	assert_false(numentry_allows(VALUE_COUNT, '-'));
	assert_false(numentry_allows(VALUE_SIGNED, '.'));
	assert_true(numentry_allows(VALUE_SIGNED, '-'));
	assert_true(numentry_allows(VALUE_MONEY, '.'));
	assert_false(numentry_allows(VALUE_MONEY, '-'));
	assert_false(numentry_allows(VALUE_MONEY, '+'));
	assert_false(numentry_allows(VALUE_COUNT, 'a'));
	/* an input method's full-width digits, minus and point are digits */
	assert_true(numentry_allows(VALUE_COUNT, 0xFF11));
	assert_true(numentry_allows(VALUE_SIGNED, 0xFF0D));
	assert_true(numentry_allows(VALUE_MONEY, 0xFF0E));
	assert_false(numentry_allows(VALUE_COUNT, 0xFF0E));
	assert_false(numentry_allows(VALUE_COUNT, 0x4E00));
	assert_false(numentry_allows(VALUE_COUNT, ' '));
}

static void
test_first_key_replaces_and_digits_append(void **state)
{
	(void)state;
	struct numentry n;
	numentry_start(&n, 7, VALUE_COUNT, value_units(99));
	assert_true(n.active);
	assert_int_equal(n.cell, 7);
	assert_string_equal(n.text, "");
	struct value v;
	enum value_error err;
	assert_int_equal(numentry_type(&n, '4', &v, &err), NUMENTRY_TAKEN);
	assert_int_equal(err, VALUE_OK);
	assert_true(v.set);
	assert_int_equal(v.scaled, 4 * VALUE_SCALE);   /* 99 is gone: the first key replaced it */
	assert_int_equal(numentry_type(&n, '2', &v, &err), NUMENTRY_TAKEN);
	assert_int_equal(v.scaled, 42 * VALUE_SCALE);
	assert_string_equal(n.text, "42");
	assert_int_equal(n.before.scaled, 99 * VALUE_SCALE);   /* kept for cancel */
	assert_int_equal(numentry_type(&n, 'x', &v, &err), NUMENTRY_NOT_ALLOWED);
	assert_string_equal(n.text, "42");
}

static void
test_range_and_placement(void **state)
{
	(void)state;
	struct numentry n;
	struct value v;
	enum value_error err;
	numentry_start(&n, 0, VALUE_COUNT, value_blank());
	assert_int_equal(type_all(&n, "999999999", &v, &err), NUMENTRY_TAKEN);
	assert_int_equal(numentry_type(&n, '9', &v, &err), NUMENTRY_RANGE);
	assert_int_equal(err, VALUE_ERR_TOO_LARGE);
	assert_string_equal(n.text, "999999999");   /* nothing changed */

	numentry_start(&n, 0, VALUE_MONEY, value_blank());
	assert_int_equal(type_all(&n, "19.7", &v, &err), NUMENTRY_TAKEN);
	assert_int_equal(v.scaled, 19700000);   /* exact: 19.7 万元 */
	assert_int_equal(numentry_type(&n, '.', &v, &err), NUMENTRY_SECOND_POINT);
	assert_int_equal(type_all(&n, "00001", &v, &err), NUMENTRY_TAKEN);
	assert_int_equal(v.scaled, 19700001);   /* to the fen */
	assert_int_equal(numentry_type(&n, '1', &v, &err), NUMENTRY_RANGE);
	assert_int_equal(err, VALUE_ERR_DECIMALS);
	assert_string_equal(n.text, "19.700001");

	/* a point first is taken, but is not a value yet */
	numentry_start(&n, 0, VALUE_MONEY, value_units(3));
	assert_int_equal(numentry_type(&n, '.', &v, &err), NUMENTRY_TAKEN);
	assert_int_not_equal(err, VALUE_OK);
	assert_false(v.set);
	assert_int_not_equal(numentry_value(&n, &v), VALUE_OK);
	assert_int_equal(numentry_type(&n, '5', &v, &err), NUMENTRY_TAKEN);
	assert_int_equal(v.scaled, VALUE_SCALE / 2);

	numentry_start(&n, 0, VALUE_SIGNED, value_blank());
	assert_int_equal(numentry_type(&n, '-', &v, &err), NUMENTRY_TAKEN);
	assert_false(v.set);   /* "-" alone is not a value */
	assert_int_equal(type_all(&n, "3", &v, &err), NUMENTRY_TAKEN);
	assert_int_equal(v.scaled, -3 * VALUE_SCALE);
	assert_int_equal(numentry_type(&n, '-', &v, &err), NUMENTRY_MINUS_NOT_FIRST);
	assert_string_equal(n.text, "-3");
}

static void
test_backspace_value_and_full(void **state)
{
	(void)state;
	struct numentry n;
	struct value v;
	enum value_error err;
	numentry_start(&n, 0, VALUE_SIGNED, value_units(5));
	type_all(&n, "-12", &v, &err);
	v = numentry_backspace(&n);
	assert_int_equal(v.scaled, -1 * VALUE_SCALE);
	v = numentry_backspace(&n);
	assert_false(v.set);   /* "-": not a value, shown blank */
	assert_string_equal(n.text, "-");
	v = numentry_backspace(&n);
	assert_false(v.set);
	assert_string_equal(n.text, "");
	v = numentry_backspace(&n);   /* nothing left: still blank */
	assert_false(v.set);
	assert_int_equal(numentry_value(&n, &v), VALUE_OK);   /* an empty text commits as blank */
	assert_false(v.set);

	/* a long money text: the buffer stops, silently */
	numentry_start(&n, 0, VALUE_MONEY, value_blank());
	type_all(&n, "1.00000000000000000000000000", &v, &err);
	assert_int_equal(strlen(n.text), NUMENTRY_MAX);
	assert_int_equal(numentry_type(&n, '0', &v, &err), NUMENTRY_FULL);
	assert_int_equal(numentry_value(&n, &v), VALUE_OK);
	assert_int_equal(v.scaled, VALUE_SCALE);
}

/* A number never spans a space: "12 345" is kept as typed, and is no value. */
static void
test_space_and_full_width(void **state)
{
	(void)state;
	struct numentry n;
	struct value v;
	enum value_error err;
	numentry_start(&n, 0, VALUE_COUNT, value_units(7));
	assert_int_equal(numentry_type(&n, ' ', &v, &err), NUMENTRY_NOT_ALLOWED);   /* nothing typed yet */
	assert_int_equal(numentry_type(&n, 0xFF11, &v, &err), NUMENTRY_TAKEN);      /* １ */
	assert_int_equal(numentry_type(&n, '2', &v, &err), NUMENTRY_TAKEN);
	assert_int_equal(v.scaled, 12 * VALUE_SCALE);
	assert_int_equal(numentry_type(&n, ' ', &v, &err), NUMENTRY_SPACED);
	assert_int_equal(err, VALUE_ERR_SYNTAX);
	assert_int_equal(numentry_type(&n, '3', &v, &err), NUMENTRY_SPACED);
	assert_false(v.set);
	assert_string_equal(n.text, "12 3");
	assert_int_equal(numentry_value(&n, &v), VALUE_ERR_SYNTAX);
	numentry_backspace(&n);
	numentry_backspace(&n);
	assert_int_equal(numentry_value(&n, &v), VALUE_OK);
	assert_int_equal(v.scaled, 12 * VALUE_SCALE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allowed_characters),
		cmocka_unit_test(test_space_and_full_width),
		cmocka_unit_test(test_first_key_replaces_and_digits_append),
		cmocka_unit_test(test_range_and_placement),
		cmocka_unit_test(test_backspace_value_and_full),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
