#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nianbao/bytescan.h"
#include "textgen.h"

/* ---- the plain loops the header gives ---- */

static size_t
plain_control(const char *s, size_t from, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = from; i < len; i++)
		if (u[i] < 0x20 || u[i] == 0x7F)
			return i;
	return len;
}

/* the set as a list, looked up by code point the way claims.c's class table did */
struct plainset {
	uint32_t cp[64];
	int n;
};

static int
plain_has(const struct plainset *p, uint32_t c)
{
	for (int k = 0; k < p->n; k++)
		if (p->cp[k] == c)
			return 1;
	return 0;
}

static size_t
plain_next(const struct plainset *p, const char *s, size_t from, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = from; i < len; i++) {
		unsigned char b = u[i];
		if (b < 0x80) {
			if (plain_has(p, b))
				return i;
		} else if (b >= 0xE3 && b <= 0xEF && i + 2 < len) {
			uint32_t c = ((uint32_t)(b & 0x0F) << 12) | ((uint32_t)(u[i + 1] & 0x3F) << 6) | (u[i + 2] & 0x3F);
			if (plain_has(p, c))
				return i;
			i += 2;
		}
	}
	return len;
}

/* ---- bytescan_control ---- */

static void
check_control_all(const char *s, size_t len)
{
	char *c = textgen_exact(s, len);
	for (size_t from = 0; from <= len; from++) {
		size_t want = plain_control(c, from, len), got = bytescan_control(c, from, len);
		if (want != got)
			fail_msg("control from %zu of %zu bytes: %zu, expected %zu", from, len, got, want);
	}
	free(c);
}

/* Every byte value at every place of blocks longer than the words, on ASCII and on Chinese. */
static void
test_control_every_byte(void **state)
{
	(void)state;
	char buf[70];
	for (int fill = 0; fill < 3; fill++) {
		for (unsigned b = 0; b < 256; b++) {
			for (size_t at = 0; at < 40; at++) {
				size_t len = 40;
				for (size_t i = 0; i < len; i++)
					buf[i] = fill == 0 ? 'x' : fill == 1 ? "\xe4\xb8\xad"[i % 3] : (char)(0x80 + (i * 37) % 0x80);
				buf[at] = (char)b;
				char *c = textgen_exact(buf, len);
				for (size_t from = 0; from <= at + 1 && from <= len; from++)
					assert_int_equal(bytescan_control(c, from, len), plain_control(c, from, len));
				free(c);
			}
		}
	}
	/* two hits in one word, the second first in memory order */
	static const char two[] = "abcdefg\x01hijklmn opqrstuvwxyz\x7f", edges[] = "\x21\x7e\x80\xff\x20\x1f";
	check_control_all(two, sizeof two - 1);
	check_control_all("", 0);
	check_control_all(edges, sizeof edges - 1);
}

static void
test_control_random(void **state)
{
	(void)state;
	uint64_t seed = 1;
	static char buf[4096];
	for (int round = 0; round < 3000; round++) {
		size_t len = textgen_fill(&seed, buf, sizeof buf, (int)(textgen_next(&seed) % 300));
		char *c = textgen_exact(buf, len);
		/* the way text_is_normal walks: from each stop to the next */
		size_t i = 0;
		for (;;) {
			size_t want = plain_control(c, i, len), got = bytescan_control(c, i, len);
			assert_int_equal(got, want);
			if (got >= len)
				break;
			i = got + 1 + textgen_next(&seed) % 3;
			if (i > len)
				break;
		}
		free(c);
	}
}

/* ---- bytescan_set_next ---- */

static void
check_next_all(const struct bytescan_set *set, const struct plainset *p, const char *s, size_t len)
{
	char *c = textgen_exact(s, len);
	for (size_t from = 0; from <= len; from++) {
		size_t want = plain_next(p, c, from, len), got = bytescan_set_next(set, c, from, len);
		if (want != got)
			fail_msg("next from %zu of %zu bytes: %zu, expected %zu", from, len, got, want);
	}
	free(c);
}

/* the set claims.c looks for: units, 万, negations, %, 0 */
static void
claims_like(struct bytescan_set *set, struct plainset *p)
{
	static const uint32_t cps[] = {0x4EF6, 0x6B21, 0x5B97, 0x4E2A, 0x4EFD, 0x6761, 0x7BC7, 0x8D77, 0x4F8B, 0x5143,
	                               0xFF05, 0x4E07, 0x672A, 0x65E0, 0x6CA1, 0x6682, 0x4E0D, '%', '0'};
	memset(set, 0, sizeof *set);
	p->n = 0;
	for (size_t k = 0; k < sizeof cps / sizeof cps[0]; k++) {
		assert_int_equal(bytescan_set_add(set, cps[k]), 0);
		p->cp[p->n++] = cps[k];
	}
}

static struct bytescan_set set;

static void
test_next_random(void **state)
{
	(void)state;
	struct plainset p;
	claims_like(&set, &p);
	uint64_t seed = 2;
	static char buf[2048];
	for (int round = 0; round < 3000; round++) {
		size_t len = textgen_fill(&seed, buf, sizeof buf, (int)(textgen_next(&seed) % 200));
		char *c = textgen_exact(buf, len);
		/* the way claims_scan walks: from each stop to the next */
		size_t i = 0;
		while (i <= len) {
			size_t want = plain_next(&p, c, i, len), got = bytescan_set_next(&set, c, i, len);
			if (want != got)
				fail_msg("round %d: next from %zu of %zu bytes: %zu, expected %zu", round, i, len, got, want);
			if (got >= len)
				break;
			i = got + 1;
		}
		if (round % 50 == 0)
			check_next_all(&set, &p, buf, len);
		free(c);
	}
}

/* Every three-byte character, and every spelling of its continuation bytes the walk does
 * not check, against random sets. */
static void
test_next_every_character(void **state)
{
	(void)state;
	uint64_t seed = 3;
	for (int round = 0; round < 6; round++) {
		struct plainset p = {.n = 0};
		memset(&set, 0, sizeof set);
		/* members near each other, in one page of 64, and far apart */
		uint32_t base = 0x3000 + textgen_next(&seed) % 0xCFC0;
		for (int k = 0; k < 40; k++) {
			uint32_t c = k < 20 ? base + textgen_next(&seed) % 64 : 0x3000 + textgen_next(&seed) % 0xD000;
			if (k % 13 == 0)
				c = textgen_next(&seed) % 128;
			assert_int_equal(bytescan_set_add(&set, c), 0);
			p.cp[p.n++] = c;
		}
		assert_int_equal(bytescan_set_add(&set, 0x2FFF), -1);
		assert_int_equal(bytescan_set_add(&set, 0x10000), -1);
		assert_int_equal(bytescan_set_add(&set, 0x80), -1);
		for (uint32_t c = 0x3000; c <= 0xFFFF; c++) {
			unsigned char s[5] = {(unsigned char)(0xE0 | c >> 12), (unsigned char)(0x80 | ((c >> 6) & 0x3F)),
			                      (unsigned char)(0x80 | (c & 0x3F)), 'x', 'y'};
			unsigned spell = textgen_next(&seed);
			s[1] ^= (unsigned char)((spell & 3) << 6);
			s[2] ^= (unsigned char)(((spell >> 2) & 3) << 6);
			for (size_t len = 3; len <= 5; len++)
				if (bytescan_set_next(&set, (const char *)s, 0, len) != plain_next(&p, (const char *)s, 0, len))
					fail_msg("U+%04X spelled %02x %02x %02x, %zu bytes", (unsigned)c, s[0], s[1], s[2], len);
		}
		for (unsigned b = 0; b < 256; b++) {
			char s[4] = {(char)b, 'a', 'b', 'c'};
			for (size_t len = 1; len <= 4; len++)
				assert_int_equal(bytescan_set_next(&set, s, 0, len), plain_next(&p, s, 0, len));
		}
	}
}

/* The real reports, whole and cut at every kind of place. */
static void
test_next_reports(void **state)
{
	(void)state;
	static const char *const files[] = {"reports/2019-shanghai-bgt.txt", "reports/2021-haiyang-bicheng.txt", "reports/2021-jining-jkq-zzb.txt",
	                                    "reports/2021-shanhaiguan-fgj.txt", "reports/2024-hongze-qzf-layout.txt",
	                                    "reports/2025-shuyang-xzf-ocr.txt"};
	struct plainset p;
	claims_like(&set, &p);
	uint64_t seed = 4;
	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		size_t len = 0;
		char *text = textgen_data(files[f], &len);
		check_next_all(&set, &p, text, len);
		char *c = textgen_exact(text, len);
		size_t want = 0;
		for (size_t i = 0; i < len; i++) {
			want = plain_control(c, i, len);
			assert_int_equal(bytescan_control(c, i, len), want);
		}
		free(c);
		for (int k = 0; k < 200; k++) {
			size_t a = textgen_next(&seed) % (len + 1), b = textgen_next(&seed) % (len + 1);
			if (a > b) {
				size_t t = a;
				a = b;
				b = t;
			}
			if (b - a > 600)
				b = a + 600;
			check_next_all(&set, &p, text + a, b - a);
			check_control_all(text + a, b - a);
		}
		free(text);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_control_every_byte),
		cmocka_unit_test(test_control_random),
		cmocka_unit_test(test_next_random),
		cmocka_unit_test(test_next_every_character),
		cmocka_unit_test(test_next_reports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
