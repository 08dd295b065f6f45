#ifndef NIANBAO_VALUE_H
#define NIANBAO_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A cell value is a fixed-point integer scaled by VALUE_SCALE (6 decimal places: money in 万元 exact to the fen),
 * or blank. Blank is "not filled in yet" and is never the same as 0. */
#define VALUE_SCALE 1000000
#define VALUE_DECIMALS 6
#define VALUE_MAX_UNITS 999999999LL

enum value_type {
	VALUE_COUNT,   /* integer 0 .. 999 999 999 */
	VALUE_SIGNED,  /* integer -999 999 999 .. 999 999 999 */
	VALUE_MONEY,   /* decimal 0 .. 999 999 999.999999 */
};

struct value {
	int64_t scaled;
	bool set;
};

enum value_error {
	VALUE_OK,
	VALUE_ERR_SYNTAX,      /* not a number at all */
	VALUE_ERR_NEGATIVE,    /* a minus sign where the type forbids it (including -0) */
	VALUE_ERR_FRACTION,    /* a decimal point in an integer cell */
	VALUE_ERR_DECIMALS,    /* more than 6 decimal places */
	VALUE_ERR_TOO_LARGE,   /* magnitude above 999 999 999 */
};

static inline struct value value_blank(void) { return (struct value){0, false}; }
static inline struct value value_units(int64_t units) { return (struct value){units * VALUE_SCALE, true}; }

/* Parses plain decimal text ("12", "-3", "+2", "19.7"): no exponent, no spaces, no
 * thousands separators, ASCII digits only. On success stores a set value. */
enum value_error value_parse(const char *text, size_t len, enum value_type type, struct value *out);

/* Reads a number as a draft file may hold it, keeping well-formed values that are out of
 * range for type so that the `range` check can report them: returns VALUE_OK, or the
 * range problem (NEGATIVE, FRACTION, DECIMALS, TOO_LARGE) with *out set (decimals beyond
 * 6 cut off), or VALUE_ERR_SYNTAX with *out unchanged for text that is not a plain
 * number, "-0", or a magnitude beyond 10^12 that no cell could hold. */
enum value_error value_parse_lenient(const char *text, size_t len, enum value_type type, struct value *out);

/* Range check of a value already held (e.g. a computed sum). */
enum value_error value_check_range(struct value v, enum value_type type);

/* Formats without useless trailing zeros ("19.7", "0", "-1"); blank gives "".
 * Returns the length written (excluding NUL); buf of VALUE_FORMAT_MAX always suffices. */
#define VALUE_FORMAT_MAX 32
size_t value_format(struct value v, char *buf, size_t size);

/* English message for an error, untranslated msgid (callers wrap in gettext). */
const char *value_error_msgid(enum value_error err);

#endif
