#include <config.h>

#include "nianbao/value.h"

#include <inttypes.h>
#include <stdio.h>

#include "nianbao/i18n.h"

enum value_error
value_parse(const char *text, size_t len, enum value_type type, struct value *out)
{
	/* the usual cell: a few digits */
	if (len - 1 < 9) {
		int64_t units = 0;
		size_t k = 0;
		while (k < len && text[k] >= '0' && text[k] <= '9')
			units = units * 10 + (text[k++] - '0');
		if (k == len) {
			*out = (struct value){units * VALUE_SCALE, true};
			return VALUE_OK;
		}
	}
	size_t i = 0;
	bool negative = false;
	if (i < len && (text[i] == '-' || text[i] == '+')) {
		negative = text[i] == '-';
		i++;
	}
	size_t int_start = i;
	int64_t units = 0;
	bool too_large = false;
	while (i < len && text[i] >= '0' && text[i] <= '9') {
		if (units <= VALUE_MAX_UNITS)
			units = units * 10 + (text[i] - '0');
		if (units > VALUE_MAX_UNITS)
			too_large = true;
		i++;
	}
	size_t int_digits = i - int_start;
	int64_t fraction = 0;
	size_t frac_digits = 0;
	bool has_point = false;
	bool any_frac_digit = false;
	if (i < len && text[i] == '.') {
		has_point = true;
		i++;
		bool excess = false;
		while (i < len && text[i] >= '0' && text[i] <= '9') {
			if (frac_digits < VALUE_DECIMALS) {
				fraction = fraction * 10 + (text[i] - '0');
				frac_digits++;
			} else if (text[i] != '0') {
				excess = true;
			}
			any_frac_digit = true;
			i++;
		}
		if (excess)
			frac_digits = VALUE_DECIMALS + 1;
	}
	if (i != len || (int_digits == 0 && !any_frac_digit))
		return VALUE_ERR_SYNTAX;
	if (has_point && type != VALUE_MONEY)
		return VALUE_ERR_FRACTION;
	if (frac_digits > VALUE_DECIMALS)
		return VALUE_ERR_DECIMALS;
	if (negative && units == 0 && fraction == 0 && !too_large)
		return VALUE_ERR_SYNTAX;   /* "-0" */
	if (negative && type != VALUE_SIGNED)
		return VALUE_ERR_NEGATIVE;
	if (too_large)
		return VALUE_ERR_TOO_LARGE;
	for (size_t d = frac_digits; d < VALUE_DECIMALS; d++)
		fraction *= 10;
	int64_t scaled = units * VALUE_SCALE + fraction;
	out->scaled = negative ? -scaled : scaled;
	out->set = true;
	return VALUE_OK;
}

enum value_error
value_parse_lenient(const char *text, size_t len, enum value_type type, struct value *out)
{
	enum value_error strict = value_parse(text, len, type, out);
	if (strict != VALUE_ERR_NEGATIVE && strict != VALUE_ERR_FRACTION &&
	    strict != VALUE_ERR_DECIMALS && strict != VALUE_ERR_TOO_LARGE)
		return strict;
	/* well formed: read it as a signed decimal with the magnitude limit of a held value */
	size_t i = 0;
	bool negative = false;
	if (i < len && (text[i] == '-' || text[i] == '+'))
		negative = text[i++] == '-';
	int64_t units = 0;
	for (; i < len && text[i] != '.'; i++) {
		units = units * 10 + (text[i] - '0');
		if (units > INT64_C(1000000000000))
			return VALUE_ERR_SYNTAX;
	}
	int64_t fraction = 0;
	int digits = 0;
	if (i < len)
		for (i++; i < len; i++)
			if (digits < VALUE_DECIMALS) {
				fraction = fraction * 10 + (text[i] - '0');
				digits++;
			}
	for (; digits < VALUE_DECIMALS; digits++)
		fraction *= 10;
	int64_t scaled = units * VALUE_SCALE + fraction;
	*out = (struct value){negative ? -scaled : scaled, true};
	return strict;
}

enum value_error
value_check_range(struct value v, enum value_type type)
{
	if (!v.set)
		return VALUE_OK;
	if (v.scaled < 0 && type != VALUE_SIGNED)
		return VALUE_ERR_NEGATIVE;
	if (type != VALUE_MONEY && v.scaled % VALUE_SCALE != 0)
		return VALUE_ERR_FRACTION;
	int64_t magnitude = v.scaled < 0 ? -v.scaled : v.scaled;
	if (magnitude / VALUE_SCALE > VALUE_MAX_UNITS)
		return VALUE_ERR_TOO_LARGE;
	return VALUE_OK;
}

size_t
value_format(struct value v, char *buf, size_t size)
{
	if (size == 0)
		return 0;
	if (!v.set) {
		buf[0] = '\0';
		return 0;
	}
	uint64_t magnitude = v.scaled < 0 ? (uint64_t)0 - (uint64_t)v.scaled : (uint64_t)v.scaled;
	uint64_t units = magnitude / VALUE_SCALE;
	unsigned fraction = (unsigned)(magnitude % VALUE_SCALE);
	const char *sign = v.scaled < 0 ? "-" : "";
	int n;
	if (fraction == 0) {
		n = snprintf(buf, size, "%s%" PRIu64, sign, units);
	} else {
		int decimals = VALUE_DECIMALS;
		while (fraction % 10 == 0) {
			fraction /= 10;
			decimals--;
		}
		n = snprintf(buf, size, "%s%" PRIu64 ".%0*u", sign, units, decimals, fraction);
	}
	if (n < 0)
		return 0;
	return (size_t)n < size ? (size_t)n : size - 1;
}

const char *
value_error_msgid(enum value_error err)
{
	switch (err) {
	case VALUE_OK: return "";
	case VALUE_ERR_SYNTAX: return N_("not a number (write digits only, such as 12)");
	case VALUE_ERR_NEGATIVE: return N_("must not be negative");
	case VALUE_ERR_FRACTION: return N_("must be a whole number");
	case VALUE_ERR_DECIMALS: return N_("has more than 6 decimal places");
	case VALUE_ERR_TOO_LARGE: return N_("is larger than 999999999");
	}
	return "";
}
