#include <config.h>

#include "nianbao/numtext.h"

#include "nianbao/utf8.h"

char
numtext_ascii(uint32_t cp)
{
	if (cp < 0x80)
		return (char)cp;
	if (cp >= 0xff10 && cp <= 0xff19)
		return (char)('0' + (cp - 0xff10));
	switch (cp) {
	case 0xff0d: case 0x2212: return '-';
	case 0xff0b: return '+';
	case 0xff0e: return '.';
	}
	return 0;
}

static bool
is_space(uint32_t cp)
{
	return cp == ' ' || cp == 0xa0 || cp == 0x3000;
}

/* Whether commas in s (ASCII, n bytes) group the integer part by exactly three digits. */
static bool
commas_well_placed(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	size_t end = i;
	while (end < n && s[end] != '.')
		end++;
	/* from the right: groups of 3 digits separated by single commas, first group 1..3 */
	int digits = 0;
	bool any_comma = false;
	for (size_t k = end; k > i; k--) {
		char c = s[k - 1];
		if (c == ',') {
			if (digits != 3)
				return false;
			any_comma = true;
			digits = 0;
		} else if (c >= '0' && c <= '9') {
			digits++;
		} else {
			return false;
		}
	}
	if (any_comma && (digits < 1 || digits > 3))
		return false;
	for (size_t k = end; k < n; k++)
		if (s[k] == ',')
			return false;
	return true;
}

enum value_error
numtext_parse(const char *text, size_t len, enum value_type type, struct value *out, bool *empty)
{
	/* trim */
	size_t start = 0, stop = len;
	for (;;) {
		uint32_t cp;
		size_t k = start < stop ? utf8_decode(text + start, stop - start, &cp) : 0;
		if (!k || !is_space(cp))
			break;
		start += k;
	}
	while (stop > start) {
		size_t p = utf8_prev(text, stop, stop);
		uint32_t cp;
		utf8_decode(text + p, stop - p, &cp);
		if (!is_space(cp))
			break;
		stop = p;
	}
	*empty = start == stop;
	if (*empty) {
		*out = value_blank();
		return VALUE_OK;
	}
	char ascii[64];
	size_t n = 0;
	bool commas = false;
	for (size_t i = start; i < stop;) {
		uint32_t cp;
		size_t k = utf8_decode(text + i, stop - i, &cp);
		char c = cp == UTF8_INVALID ? 0 : numtext_ascii(cp);
		if (!c || c == ' ' || c == '\t' || c == '\n' || c == '\r' || n + 1 >= sizeof ascii)
			return VALUE_ERR_SYNTAX;
		if (c == ',')
			commas = true;
		ascii[n++] = c;
		i += k;
	}
	if (commas) {
		if (!commas_well_placed(ascii, n))
			return VALUE_ERR_SYNTAX;
		size_t w = 0;
		for (size_t r = 0; r < n; r++)
			if (ascii[r] != ',')
				ascii[w++] = ascii[r];
		n = w;
	}
	return value_parse(ascii, n, type, out);
}
