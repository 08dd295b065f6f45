/* textcheck_stale_year against the plain search it replaced, on real and random texts: the
 * words naming the statistics period used to be found by strstr, one pass each, and every
 * hit read its sentence again. Both must find the same year in the same sentence. The file
 * includes textcheck.c to reach the check's own steps. */
#include "../../src/core/textcheck.c"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "textgen.h"

static int
plain_stale_year(const char *text, int year, bool opening, size_t *at, size_t *len)
{
	if (!text || !year)
		return 0;
	size_t tlen = strlen(text);
	if (opening) {
		size_t i = 0;
		for (int ends = 0; i < tlen && ends < 2; i++)
			if (raw_sentence_end(text, i, tlen))
				ends++;
		int y = stale_in(text, i, year, true, at, len);
		if (y)
			return y;
	}
	static const char *const words[] = {"统计", "所列数据"};
	for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
		for (const char *hit = strstr(text, words[w]); hit; hit = strstr(hit + 1, words[w])) {
			size_t pos = (size_t)(hit - text), from = pos, to = pos;
			while (from > 0 && !raw_sentence_end(text, from - 1, tlen))
				from--;
			while (to < tlen && !raw_sentence_end(text, to, tlen))
				to++;
			if (to < tlen)
				to++;
			int y = stale_in(text + from, to - from, year, false, at, len);
			if (y) {
				*at += from;
				return y;
			}
		}
	}
	return 0;
}

static size_t stale_found;

static void
same_year(const char *s, size_t len, int year)
{
	char *text = textgen_exact(s, len);
	for (int opening = 0; opening < 2; opening++) {
		size_t at_a = 0, len_a = 0, at_b = 0, len_b = 0;
		int a = textcheck_stale_year(text, year, opening, &at_a, &len_a);
		int b = plain_stale_year(text, year, opening, &at_b, &len_b);
		if (a != b || (a && (at_a != at_b || len_a != len_b)))
			fail_msg("stale year %d at %zu+%zu, the plain search %d at %zu+%zu, in: %s", a, at_a, len_a, b, at_b,
			         len_b, text);
		stale_found += a != 0;
	}
	free(text);
}

/* the pieces of a statistics period, years and what hides them, for half of the texts */
static const char *const period_pieces[] = {
	"统计期限", "统计期间", "统计时限", "所列数据", "统计数据", "统计", "所列", "数据", "本报告", "2020", "2021",
	"2022", "1989", "二〇二〇", "二〇二一", "年", "1月1日", "-01-01", ".", "/", "至", "。", "，", "；", "！", "\n",
	"\n\n", " ", "\r", "较", "与", "相比", "同期", "对比", "《", "》", "〔", "〕", "【", "】", "[", "]", "\xe7\xbb",
	"\x9f", "\xe8\xae\xa1", "\x97\xe6\x95\xb0",
};

static void
test_random(void **state)
{
	(void)state;
	uint64_t seed = 8;
	static char buf[8192];
	stale_found = 0;
	for (int round = 0; round < 6000; round++) {
		size_t len;
		if (round % 2) {
			len = textgen_fill(&seed, buf, sizeof buf, (int)(textgen_next(&seed) % 300));
		} else {
			len = 0;
			int count = (int)(textgen_next(&seed) % 200);
			for (int k = 0; k < count; k++) {
				const char *p = period_pieces[textgen_next(&seed) % (sizeof period_pieces / sizeof period_pieces[0])];
				memcpy(buf + len, p, strlen(p));
				len += strlen(p);
			}
		}
		same_year(buf, len, round % 3 ? 2022 : 2021);
	}
	assert_true(stale_found > 500);
}

/* The words right at the ends of the text, cut short, and many in one sentence. */
static void
test_edges(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"所列数据", "所列数", "统计", "统", "\xe7\xbb", "所列数据2021年。", "2021年所列数据", "本报告所列数据的统计期限自2021年1月1日起。",
		"所列数据所列数据所列数据统计2020年。统计期限2019年。", "统计期2021年。所列数据2019年。统计数据2018年。",
		"\xe5\x88\x97\xe6\x95\xb0\xe6\x8d\xae", "\x97\xe6\x95\xb0\xe6\x8d\xae所列数据2020年",
	};
	for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
		for (int year = 2018; year <= 2022; year++)
			same_year(texts[k], strlen(texts[k]), year);
}

static void
test_real(void **state)
{
	(void)state;
	static const char *const files[] = {"reports/2019-shanghai-bgt.txt", "reports/2021-haiyang-bicheng.txt",
	                                    "reports/2021-haiyang-bicheng-pdf-layout.txt", "reports/2021-jining-jkq-zzb.txt",
	                                    "reports/2021-shanhaiguan-fgj.txt", "reports/2024-hongze-qzf-layout.txt",
	                                    "reports/2025-shuyang-xzf-ocr.txt", "reports/demo-2021-pdf-layout.txt"};
	uint64_t seed = 9;
	stale_found = 0;
	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		size_t len = 0;
		char *text = textgen_data(files[f], &len);
		for (int year = 2018; year <= 2026; year++)
			same_year(text, len, year);
		for (int k = 0; k < 300; k++) {
			size_t a = textgen_next(&seed) % (len + 1), b = a + textgen_next(&seed) % 3000;
			if (b > len)
				b = len;
			same_year(text + a, b - a, 2019 + k % 7);
		}
		free(text);
	}
	assert_true(stale_found > 100);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_real),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
