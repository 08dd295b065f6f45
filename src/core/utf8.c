#include "nianbao/utf8.h"

static bool
is_continuation(unsigned char b)
{
	return (b & 0xC0) == 0x80;
}

/* Length of a sequence led by b, and the allowed range of its second byte (which is what
 * excludes overlongs, surrogates and values above U+10FFFF); 0 for a byte that cannot lead. */
static size_t
sequence_shape(unsigned char b, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xBF;
	if (b < 0x80)
		return 1;
	if (b >= 0xC2 && b <= 0xDF)
		return 2;
	if (b >= 0xE0 && b <= 0xEF) {
		if (b == 0xE0)
			*lo = 0xA0;
		else if (b == 0xED)
			*hi = 0x9F;
		return 3;
	}
	if (b >= 0xF0 && b <= 0xF4) {
		if (b == 0xF0)
			*lo = 0x90;
		else if (b == 0xF4)
			*hi = 0x8F;
		return 4;
	}
	return 0;
}

size_t
utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	if (len == 0)
		return 0;
	const unsigned char *u = (const unsigned char *)s;
	unsigned char lo, hi;
	size_t need = sequence_shape(u[0], &lo, &hi);
	if (need == 1) {
		*cp = u[0];
		return 1;
	}
	*cp = UTF8_INVALID;
	if (need == 0)
		return 1;
	uint32_t value = u[0] & (0x7F >> need);
	for (size_t i = 1; i < need; i++) {
		if (i >= len)
			return i;
		unsigned char b = u[i];
		if (i == 1 ? (b < lo || b > hi) : !is_continuation(b))
			return i;
		value = (value << 6) | (b & 0x3F);
	}
	*cp = value;
	return need;
}

size_t
utf8_validate(const char *s, size_t len)
{
	size_t pos = 0;
	while (pos < len) {
		if ((unsigned char)s[pos] < 0x80) {
			pos++;
			continue;
		}
		uint32_t cp;
		size_t n = utf8_decode(s + pos, len - pos, &cp);
		if (cp == UTF8_INVALID)
			return pos;
		pos += n;
	}
	return len;
}

size_t
utf8_next(const char *s, size_t len, size_t pos)
{
	if (pos >= len)
		return pos;
	uint32_t cp;
	return pos + utf8_decode(s + pos, len - pos, &cp);
}

size_t
utf8_prev(const char *s, size_t len, size_t pos)
{
	if (pos == 0)
		return 0;
	if (pos > len)
		pos = len;
	const unsigned char *u = (const unsigned char *)s;
	size_t start = pos - 1;
	while (start > 0 && is_continuation(u[start]) && pos - start < UTF8_MAX_BYTES)
		start--;
	uint32_t cp;
	if (start + utf8_decode(s + start, len - start, &cp) == pos)
		return start;
	return pos - 1;
}

size_t
utf8_encode(uint32_t cp, char out[UTF8_MAX_BYTES])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp > 0x10FFFF)
		return 0;
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t
utf8_incomplete_tail(const char *s, size_t len)
{
	size_t back = len < UTF8_MAX_BYTES - 1 ? len : UTF8_MAX_BYTES - 1;
	for (size_t n = 1; n <= back; n++) {
		size_t start = len - n;
		unsigned char lo, hi;
		if (is_continuation((unsigned char)s[start]))
			continue;
		size_t need = sequence_shape((unsigned char)s[start], &lo, &hi);
		if (need <= n)
			return 0;
		uint32_t cp;
		return utf8_decode(s + start, n, &cp) == n ? n : 0;
	}
	return 0;
}
