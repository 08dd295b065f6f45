#include <config.h>

#include "nianbao/bytescan.h"

#include <stdbool.h>
#include <string.h>

/* SSE2 (every x86-64 has it) looks at 16 bytes with one instruction; elsewhere, or with
 * BYTESCAN_PORTABLE defined (a test builds both), the same in portable C. */
#if defined __SSE2__ && !defined BYTESCAN_PORTABLE
#include <emmintrin.h>
#define BYTESCAN_SSE2 1
#endif

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS (ONES * 0x80)

/* Eight bytes from p, in the machine's order (only tests on every byte alike use it). */
static inline uint64_t
load64(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, sizeof w);
	return w;
}

/* With the high bit of each byte of w clear (~w & HIGHS, below), the high bit of each byte
 * that may be a control character (below 0x20, or 0x7F). Below 0x80, t = (b + 1) & 0x7F is
 * below 0x21 exactly for those bytes (0x7F wraps to 0), and t - 0x21 sets the high bit of the
 * lowest such byte; a borrow only goes up from a byte that already answered yes, so the
 * answer is exact as a yes/no. Bytes from 0x80 up are masked out by ~w. */
static inline uint64_t
maybe_control(uint64_t w)
{
	uint64_t t = ((w & (ONES * 0x7F)) + ONES) & (ONES * 0x7F);
	return (t - ONES * 0x21) & ~w;
}

size_t
bytescan_control(const char *s, size_t from, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = from;
#ifdef BYTESCAN_SSE2
	const __m128i below = _mm_set1_epi8(0x1F), del = _mm_set1_epi8(0x7F);
	while (i + 32 <= len) {
		__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(u + i + 16));
		/* b <= 0x1F: min(b, 0x1F) == b, unsigned */
		unsigned m = (unsigned)_mm_movemask_epi8(
			_mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(a, below), a), _mm_cmpeq_epi8(a, del)));
		m |= (unsigned)_mm_movemask_epi8(
			     _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(b, below), b), _mm_cmpeq_epi8(b, del)))
		     << 16;
		if (m)
			return i + (size_t)__builtin_ctz(m);   /* bit k is byte i + k */
		i += 32;
	}
#endif
	/* 32 bytes a turn: on Chinese text a line end is about as far */
	while (i + 32 <= len) {
		if ((maybe_control(load64(u + i)) | maybe_control(load64(u + i + 8)) | maybe_control(load64(u + i + 16)) |
		     maybe_control(load64(u + i + 24))) & HIGHS)
			break;
		i += 32;
	}
	while (i + 8 <= len) {
		if (maybe_control(load64(u + i)) & HIGHS)
			break;
		i += 8;
	}
	for (; i < len; i++)
		if (u[i] < 0x20 || u[i] == 0x7F)
			return i;
	return len;
}

#if defined __GNUC__
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define LIKELY(x) (x)
#define UNLIKELY(x) (x)
#endif

static inline bool
wide_has(const struct bytescan_set *set, unsigned lead, unsigned b1, unsigned b2)
{
	return (set->wide[(lead - 0xE3) * 64 + (b1 & 0x3F)] >> (b2 & 0x3F)) & 1;
}

static inline bool
ascii_has(const struct bytescan_set *set, unsigned b)
{
	return (set->ascii[b >> 6] >> (b & 63)) & 1;
}

/* The two bytes at p as an index of tail: one 16-bit load, in the machine's order, the same
 * when the table is filled and when it is read. */
static inline unsigned
pair_at(const unsigned char *p)
{
	uint16_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

int
bytescan_set_add(struct bytescan_set *set, uint32_t cp)
{
	if (cp < 0x80) {
		set->ascii[cp >> 6] |= UINT64_C(1) << (cp & 63);
		return 0;
	}
	if (cp < 0x3000 || cp > 0xFFFF)
		return -1;
	unsigned lead = 0xE0 | (cp >> 12), b1 = (cp >> 6) & 0x3F, b2 = cp & 0x3F;
	set->wide[(lead - 0xE3) * 64 + b1] |= UINT64_C(1) << b2;
	/* the walk does not check continuation bits: every spelling of the last two bytes */
	for (unsigned hi = 0; hi < 4; hi++) {
		for (unsigned hi2 = 0; hi2 < 4; hi2++) {
			unsigned char last[2] = {(unsigned char)(b1 | hi << 6), (unsigned char)(b2 | hi2 << 6)};
			set->tail[pair_at(last)] = 1;
		}
	}
	return 0;
}

size_t
bytescan_set_next(const struct bytescan_set *set, const char *s, size_t from, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = from;
	/* while three bytes remain, a lead needs no check of the end */
	if (len > 2 && i < len - 2) {
		const unsigned char *p = u + i, *end = u + len - 2;
		do {
			if (LIKELY((unsigned char)(*p - 0xE3u) <= 0xEFu - 0xE3u)) {
				/* the common case, on both branches: a three-byte character no member ends like */
				if (UNLIKELY(set->tail[pair_at(p + 1)]) && wide_has(set, p[0], p[1], p[2]))
					return (size_t)(p - u);
				p += 3;
			} else {
				if (*p < 0x80 && ascii_has(set, *p))
					return (size_t)(p - u);
				p++;
			}
		} while (p < end);
		i = (size_t)(p - u);
	}
	/* the last one or two bytes: no three-byte character fits */
	for (; i < len; i++)
		if (u[i] < 0x80 && ascii_has(set, u[i]))
			return i;
	return len;
}
