#ifndef NIANBAO_BYTESCAN_H
#define NIANBAO_BYTESCAN_H

#include <stddef.h>
#include <stdint.h>

/* Fast scans over the bytes of long narrative texts, for the checks that look at every byte
 * (check reads megabytes of them). Each function returns exactly what the plain loop in its
 * comment returns, on any bytes, valid UTF-8 or not, and reads only s[0, len). Portable C:
 * whole words are read with memcpy, inside the bounds; bytescan_control uses SSE2 where the
 * compiler has it (x86-64), and the portable C elsewhere (test_bytescan_portable runs the
 * tests on that). Curses-free. */

/* The first i in [from, len) where s[i] is a control character: below 0x20 (a tab, a line
 * end, NUL …) or 0x7F; len if there is none. The plain loop:
 *   for (i = from; i < len; i++) if (s[i] < 0x20 || s[i] == 0x7F) return i; return len; */
size_t bytescan_control(const char *s, size_t from, size_t len);

/* A set of ASCII characters and of three-byte characters with a lead byte 0xE3..0xEF
 * (U+3000..U+FFFF: CJK, fullwidth forms), for bytescan_set_next. A zeroed struct is the
 * empty set. It is large (about 70 KB), and mostly zero: make it static. */
struct bytescan_set {
	uint64_t ascii[2];        /* bit b: ASCII byte b is in the set */
	uint64_t wide[13 * 64];   /* [(lead - 0xE3) * 64 + (b1 & 0x3F)], bit (b2 & 0x3F) */
	uint8_t tail[65536];      /* by the last two bytes of a character, read in the machine's
	                           * order: 1 when some member ends with them (any top bits) */
};

/* Adds cp; returns 0, or -1 (nothing added) when cp is neither ASCII nor U+3000..U+FFFF. */
int bytescan_set_add(struct bytescan_set *set, uint32_t cp);

/* The first position at or after from where this walk stops, len if none: at a lead byte
 * 0xE3..0xEF with two more bytes before len, the three bytes are one character
 *   c = (s[i] & 0x0F) << 12 | (s[i+1] & 0x3F) << 6 | (s[i+2] & 0x3F)
 * (their continuation bits are not checked), the walk stops at i when c is in the set and
 * else goes on at i + 3; at an ASCII byte it stops when the byte is in the set, else goes on
 * at i + 1; at any other byte it goes on at i + 1. */
size_t bytescan_set_next(const struct bytescan_set *set, const char *s, size_t from, size_t len);

#endif
