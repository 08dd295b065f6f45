#ifndef NIANBAO_UTF8_H
#define NIANBAO_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Strict UTF-8 (RFC 3629): overlong forms, surrogates (U+D800..U+DFFF) and code points
 * above U+10FFFF are invalid. */

#define UTF8_MAX_BYTES 4
#define UTF8_REPLACEMENT 0xFFFDu
#define UTF8_INVALID 0xFFFFFFFFu    /* stored by utf8_decode for a bad sequence; not a code point */

/* Decodes the character at s[0]. Returns its length (1..4) and stores the code point; on a
 * bad or truncated sequence stores UTF8_INVALID and returns the length of the maximal bad
 * subpart (1..3), so that decoding resumes where the Unicode U+FFFD substitution practice
 * says. Returns 0 only when len is 0. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* utf8_decode with its common cases inline (ASCII, and three-byte forms that cannot be
 * overlong or surrogates): the same result, for loops over long texts. len > 0. */
static inline size_t
utf8_decode_fast(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (len >= 3 && u[0] >= 0xE1 && u[0] != 0xED && u[0] <= 0xEF && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
		*cp = ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (uint32_t)(u[2] & 0x3F);
		return 3;
	}
	return utf8_decode(s, len, cp);
}

/* Byte offset of the first bad sequence in s, or len when all of s is valid UTF-8
 * (a sequence cut off by the end of s is bad). */
size_t utf8_validate(const char *s, size_t len);

static inline bool utf8_is_valid(const char *s, size_t len) { return utf8_validate(s, len) == len; }

/* Next character boundary after pos (pos < len), consistent with utf8_decode on bad input;
 * pos itself when pos >= len. */
size_t utf8_next(const char *s, size_t len, size_t pos);

/* Previous character boundary before pos (0 < pos <= len), the exact inverse of utf8_next
 * on any input; 0 when pos is 0. */
size_t utf8_prev(const char *s, size_t len, size_t pos);

/* Writes cp to out and returns its length 1..4; returns 0 (nothing written) for a surrogate
 * or a value above U+10FFFF. */
size_t utf8_encode(uint32_t cp, char out[UTF8_MAX_BYTES]);

/* Number of bytes (0..3) at the end of s that are a valid but unfinished start of a
 * character: a reader of split input keeps them until more bytes arrive. */
size_t utf8_incomplete_tail(const char *s, size_t len);

#endif
