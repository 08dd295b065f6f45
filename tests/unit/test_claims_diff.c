/* claims_scan against the plain loop it replaced, on real and random texts: the scan finds
 * the places worth a closer look with bytescan_set_next (a table on the raw bytes), where it
 * used to decode every three-byte character and look its class up. Both must find the same
 * claims, byte for byte. The file includes claims.c to reach the scan's own steps. */
#include "../../src/core/claims.c"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "textgen.h"

/* claims_scan as it was: a character at a time, its class from the kind table */
static size_t
plain_scan(const char *text, int year, struct claim **out)
{
	*out = NULL;
	if (!text || !*text)
		return 0;
	lex_init();
	const unsigned char *u = (const unsigned char *)text;
	size_t len = strlen(text);
	struct scanner s = {.year = year, .topic_req = -1, .topic_doc = -1, .topic_doc_col = -1, .pending = -1};
	size_t done = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char b = u[i];
		if (b < 0x80) {
			if (b != '%' && b != '0')
				continue;
		} else if (b >= 0xE3 && b <= 0xEF && i + 2 < len) {
			if (!(kind[cp3(u + i)] & K_CANDIDATE)) {
				i += 2;
				continue;
			}
		} else {
			continue;
		}
		if (!claim_candidate(u, i, len))
			continue;
		size_t from = i, to = i + 1;
		while (from > done && !sentence_ends_before(u, from))
			from--;
		while (to < len && !sentence_ends_before(u, to))
			to++;
		size_t first = s.count;
		scan_span(&s, text + from, to - from);
		for (size_t k = first; k < s.count; k++) {
			s.out[k].start += from;
			s.out[k].end += from;
		}
		done = to;
		i = to - 1;
	}
	*out = s.out;
	return s.count;
}

static size_t total_claims;

static void
same_claims(const char *s, size_t len, int year)
{
	char *text = textgen_exact(s, len);
	struct claim *a, *b;
	size_t na = claims_scan(text, year, &a), nb = plain_scan(text, year, &b);
	if (na != nb)
		fail_msg("%zu claims, the plain scan %zu, in: %s", na, nb, text);
	for (size_t k = 0; k < na; k++)
		if (a[k].quantity != b[k].quantity || a[k].column != b[k].column || a[k].unit != b[k].unit ||
		    a[k].mantissa != b[k].mantissa || a[k].decimals != b[k].decimals || a[k].negation != b[k].negation ||
		    a[k].start != b[k].start || a[k].end != b[k].end)
			fail_msg("claim %zu differs from the plain scan's in: %s", k, text);
	total_claims += na;
	free(a);
	free(b);
	free(text);
}

static void
test_random(void **state)
{
	(void)state;
	uint64_t seed = 5;
	static char buf[8192];
	total_claims = 0;
	for (int round = 0; round < 6000; round++) {
		size_t len = textgen_fill(&seed, buf, sizeof buf, (int)(textgen_next(&seed) % 300));
		same_claims(buf, len, round % 3 ? 2021 : 0);
	}
	/* the texts make claims, or the comparison proves little */
	assert_true(total_claims > 1000);
}

/* The real reports, whole and cut anywhere (inside a character too), and the corpus of
 * labelled sentences, alone and run together. */
static void
test_real(void **state)
{
	(void)state;
	static const char *const files[] = {"reports/2019-shanghai-bgt.txt", "reports/2021-haiyang-bicheng.txt",
	                                    "reports/2021-haiyang-bicheng-pdf-layout.txt", "reports/2021-jining-jkq-zzb.txt",
	                                    "reports/2021-shanhaiguan-fgj.txt", "reports/2024-hongze-qzf-layout.txt",
	                                    "reports/2025-shuyang-xzf-ocr.txt", "reports/demo-2021-pdf-layout.txt",
	                                    "claims/corpus.tsv"};
	uint64_t seed = 6;
	total_claims = 0;
	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		size_t len = 0;
		char *text = textgen_data(files[f], &len);
		same_claims(text, len, 2021);
		for (int k = 0; k < 300; k++) {
			size_t a = textgen_next(&seed) % (len + 1), b = a + textgen_next(&seed) % 3000;
			if (b > len)
				b = len;
			same_claims(text + a, b - a, k % 2 ? 2021 : 2019);
		}
		/* line by line: the corpus's sentences one at a time */
		for (char *line = text; *line;) {
			size_t l = strcspn(line, "\n");
			same_claims(line, l, 2021);
			line += l + (line[l] != '\0');
		}
		free(text);
	}
	assert_true(total_claims > 500);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_real),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
