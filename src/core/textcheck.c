#include <config.h>

#include "nianbao/textcheck.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nianbao/diag.h"
#include "nianbao/utf8.h"

static bool
is_blank(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x3000 || c == 0xA0 || c == 0x200B ||
	       c == 0xFEFF;
}

/* The code points of s without blanks (and without bad bytes). */
static uint32_t *
squeeze(const char *s, size_t *n)
{
	size_t len = strlen(s), at = 0;
	uint32_t *out = xmalloc((len + 1) * sizeof *out);
	*n = 0;
	while (at < len) {
		uint32_t c;
		at += utf8_decode_fast(s + at, len - at, &c);
		if (c != UTF8_INVALID && !is_blank(c))
			out[(*n)++] = c;
	}
	return out;
}

static uint64_t
shingle_hash(const uint32_t *c)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (int i = 0; i < TEXTCHECK_SHINGLE; i++) {
		h ^= c[i];
		h *= UINT64_C(1099511628211);
	}
	return h | 1;   /* 0 marks an empty slot */
}

int
textcheck_repeated_share(const char *text, const char *old)
{
	if (!text || !old)
		return -1;
	size_t n, m;
	uint32_t *a = squeeze(text, &n);
	uint32_t *b = squeeze(old, &m);
	int share = -1;
	if (n >= 4 * TEXTCHECK_SHINGLE && m >= TEXTCHECK_SHINGLE) {
		/* last year's shingles in an open-addressing set, at most half full */
		size_t count = m - TEXTCHECK_SHINGLE + 1, cap = 16;
		while (cap < 2 * count)
			cap *= 2;
		uint64_t *set = xcalloc(cap, sizeof *set);
		for (size_t i = 0; i < count; i++) {
			uint64_t h = shingle_hash(b + i);
			size_t slot = (size_t)(h ^ (h >> 29)) & (cap - 1);
			while (set[slot] && set[slot] != h)
				slot = (slot + 1) & (cap - 1);
			set[slot] = h;
		}
		/* this year's characters covered by a shingle found there */
		size_t covered = 0, covered_to = 0;
		for (size_t i = 0; i + TEXTCHECK_SHINGLE <= n; i++) {
			uint64_t h = shingle_hash(a + i);
			size_t slot = (size_t)(h ^ (h >> 29)) & (cap - 1);
			while (set[slot] && set[slot] != h)
				slot = (slot + 1) & (cap - 1);
			if (set[slot] != h)
				continue;
			size_t from = i > covered_to ? i : covered_to;
			covered += i + TEXTCHECK_SHINGLE - from;
			covered_to = i + TEXTCHECK_SHINGLE;
		}
		free(set);
		share = (int)(covered * 100 / n);
	}
	free(a);
	free(b);
	return share;
}

static int
digit_of(uint32_t c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	if (c >= 0xFF10 && c <= 0xFF19)
		return (int)(c - 0xFF10);
	static const uint32_t chinese[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
	for (int i = 0; i < 10; i++)
		if (c == chinese[i])
			return i + 100;   /* a Chinese digit */
	if (c == 0x96F6)   /* 零 */
		return 100;
	return -1;
}

static bool
ends_sentence(uint32_t c)
{
	return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?' || c == '\n' || c == 0xFF1B || c == ';';
}

static bool
has_word(const uint32_t *c, size_t from, size_t to, const char *word)
{
	uint32_t w[8];
	size_t wl = 0, len = strlen(word), at = 0;
	while (at < len && wl < 8)
		at += utf8_decode_fast(word + at, len - at, &w[wl++]);
	for (size_t i = from; i + wl <= to; i++) {
		size_t k = 0;
		while (k < wl && c[i + k] == w[k])
			k++;
		if (k == wl)
			return true;
	}
	return false;
}

/* Is the year at [i, i+4) preceded by a comparison (较 比 与 同 相比 对比 …)? */
static bool
compared(const uint32_t *c, size_t from, size_t i, size_t end, size_t to)
{
	/* 较 比 与 同 和 跟 对比 相比 */
	static const uint32_t before[] = {0x8F83, 0x6BD4, 0x4E0E, 0x540C, 0x548C, 0x8DDF};
	for (size_t k = 0; k < sizeof before / sizeof before[0]; k++)
		if (i > from && c[i - 1] == before[k])
			return true;
	/* 2021年同期, 2021年相比 after */
	return has_word(c, end, end + 4 < to ? end + 4 : to, "相比") || has_word(c, end, end + 4 < to ? end + 4 : to, "同期") ||
	       has_word(c, end, end + 4 < to ? end + 4 : to, "对比");
}

/* The rule of textcheck_stale_year over text[0, tlen): every sentence when opening is false
 * is checked only if it gives the statistics period; with opening, its first two too. */
static int
stale_in(const char *text, size_t tlen, int year, bool opening, size_t *at, size_t *len)
{
	uint32_t *c = xmalloc((tlen + 1) * sizeof *c);
	size_t *off = xmalloc((tlen + 2) * sizeof *off);
	size_t n = 0, pos = 0;
	while (pos < tlen) {
		uint32_t cp;
		size_t step = utf8_decode_fast(text + pos, tlen - pos, &cp);
		if (cp != UTF8_INVALID && (cp == '\n' || !is_blank(cp))) {
			/* a line break inside a sentence is not its end */
			if (cp == '\n' && n && !ends_sentence(c[n - 1]) && pos + 1 < tlen && text[pos + 1] != '\n') {
				pos += step;
				continue;
			}
			c[n] = cp;
			off[n++] = pos;
		}
		pos += step;
	}
	off[n] = tlen;
	static const char *const period_words[] = {"统计期", "统计时", "统计区间", "统计周期", "所列数据", "数据统计",
	                                           "统计数据", "统计截止", "统计范围"};
	/* the first characters of the words, each once */
	uint32_t firsts[sizeof period_words / sizeof period_words[0]];
	size_t nfirsts = 0;
	for (size_t w = 0; w < sizeof period_words / sizeof period_words[0]; w++) {
		uint32_t first;
		utf8_decode(period_words[w], strlen(period_words[w]), &first);
		size_t f = 0;
		while (f < nfirsts && firsts[f] != first)
			f++;
		if (f == nfirsts)
			firsts[nfirsts++] = first;
	}
	int stale = 0, sentence_no = 0;
	size_t start = 0;
	for (size_t i = 0; i <= n && !stale; i++) {
		if (i < n && !ends_sentence(c[i]))
			continue;
		size_t end = i;
		if (end > start) {
			bool check = opening && sentence_no < 2;
			/* look for the words only in a sentence holding the first character of one */
			bool named = false;
			for (size_t k = start; k < end && !check && !named; k++)
				for (size_t f = 0; f < nfirsts && !named; f++)
					named = c[k] == firsts[f];
			for (size_t w = 0; w < sizeof period_words / sizeof period_words[0] && !check && named; w++)
				check = has_word(c, start, end, period_words[w]);
			int depth = 0;
			for (size_t k = start; check && k < end && !stale; k++) {
				if (c[k] == 0x300A || c[k] == 0x3014 || c[k] == 0x3010 || c[k] == '[')   /* 《 〔 【 */
					depth++;
				else if ((c[k] == 0x300B || c[k] == 0x3015 || c[k] == 0x3011 || c[k] == ']') && depth)
					depth--;
				if (depth || k + 4 > end)
					continue;
				int d[4];
				bool ok = true, chinese = false;
				for (int j = 0; j < 4 && ok; j++) {
					d[j] = digit_of(c[k + j]);
					ok = d[j] >= 0;
					if (d[j] >= 100) {
						chinese = true;
						d[j] -= 100;
					}
				}
				if (!ok || (k > start && digit_of(c[k - 1]) >= 0) || (k + 4 < end && digit_of(c[k + 4]) >= 0))
					continue;
				bool mixed = false;
				for (int j = 0; j < 4; j++)
					mixed |= (digit_of(c[k + j]) >= 100) != chinese;
				if (mixed)
					continue;
				/* 2021年, 2021-01-01, 2021.1.1, 2021/1/1 */
				uint32_t next = k + 4 < end ? c[k + 4] : 0;
				if (!(next == 0x5E74 || (!chinese && (next == '-' || next == '.' || next == '/'))))
					continue;
				int y = d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3];
				if (y < 1990 || y > 2200 || y == year)
					continue;
				if (compared(c, start, k, k + 5, end))
					continue;
				stale = y;
				*at = off[start];
				size_t last = end - 1;
				uint32_t lc;
				*len = off[last] + utf8_decode_fast(text + off[last], tlen - off[last], &lc) - off[start];
			}
			sentence_no++;
		}
		start = i + 1;
	}
	free(c);
	free(off);
	return stale;
}

/* Every word of period_words contains one of these. With each, how to find it: strstr, or
 * memchr for its byte at rare, which is rare in report text (列 E5 88 97: in about 0.3% of
 * the bytes), and a comparison there; memchr passes over the other bytes many times faster
 * than strstr, but each stop costs as much as some hundred bytes. */
#define BY_STRSTR ((size_t)-1)
static const struct {
	const char *word;
	size_t rare;
} period_words_raw[] = {{"统计", BY_STRSTR}, {"所列数据", 5}};

/* Where word (wlen bytes) first starts at or after from in text[0, tlen), NULL if nowhere:
 * strstr(text + from, word). */
static const char *
find_word(const char *text, size_t tlen, size_t from, const char *word, size_t wlen, size_t rare)
{
	if (tlen < wlen || from > tlen - wlen)
		return NULL;
	if (rare == BY_STRSTR)
		return strstr(text + from, word);
	const char *p = text + from + rare, *last = text + tlen - wlen + rare;
	while ((p = memchr(p, word[rare], (size_t)(last - p) + 1))) {
		if (p[-(ptrdiff_t)rare] == word[0] && !memcmp(p - rare, word, wlen))
			return p - rare;
		if (p == last)
			break;
		p++;
	}
	return NULL;
}

static bool
raw_sentence_end(const char *text, size_t i, size_t tlen)
{
	unsigned char c = (unsigned char)text[i];
	if (c == ';' || c == '!' || c == '?')
		return true;
	if (c == '\n') {
		/* a line break ends a sentence after a full stop or at a blank line */
		size_t k = i;
		while (k > 0 && (text[k - 1] == ' ' || text[k - 1] == '\t' || text[k - 1] == '\r'))
			k--;
		if (k == 0 || (i + 1 < tlen && text[i + 1] == '\n'))
			return true;
		static const char *const stops[] = {"。", "！", "？", "；"};
		for (size_t s = 0; s < sizeof stops / sizeof stops[0]; s++)
			if (k >= 3 && !memcmp(text + k - 3, stops[s], 3))
				return true;
		return text[k - 1] == ';' || text[k - 1] == '!' || text[k - 1] == '?' || text[k - 1] == '\n';
	}
	if (c == 0xE3 && i + 2 < tlen && (unsigned char)text[i + 1] == 0x80 && (unsigned char)text[i + 2] == 0x82)
		return true;   /* 。 */
	if (c == 0xEF && i + 2 < tlen && (unsigned char)text[i + 1] == 0xBC &&
	    ((unsigned char)text[i + 2] == 0x81 || (unsigned char)text[i + 2] == 0x9F || (unsigned char)text[i + 2] == 0x9B))
		return true;   /* ！ ？ ； */
	return false;
}

int
textcheck_stale_year(const char *text, int year, bool opening, size_t *at, size_t *len)
{
	if (!text || !year)
		return 0;
	size_t tlen = strlen(text);
	/* the opening: up to the end of the second sentence */
	if (opening) {
		size_t i = 0;
		for (int ends = 0; i < tlen && ends < 2; i++)
			if (raw_sentence_end(text, i, tlen))
				ends++;
		int y = stale_in(text, i, year, true, at, len);
		if (y)
			return y;
	}
	/* the statistics period: only the sentences that name it */
	for (size_t w = 0; w < sizeof period_words_raw / sizeof period_words_raw[0]; w++) {
		const char *word = period_words_raw[w].word;
		size_t wlen = strlen(word), rare = period_words_raw[w].rare, done = 0;
		for (const char *hit = find_word(text, tlen, 0, word, wlen, rare); hit;
		     hit = find_word(text, tlen, (size_t)(hit - text) + 1, word, wlen, rare)) {
			size_t pos = (size_t)(hit - text), from = pos, to = pos;
			if (pos < done)
				continue;   /* in the sentence just read */
			while (from > 0 && !raw_sentence_end(text, from - 1, tlen))
				from--;
			while (to < tlen && !raw_sentence_end(text, to, tlen))
				to++;
			if (to < tlen)
				to++;
			done = to;
			int y = stale_in(text + from, to - from, year, false, at, len);
			if (y) {
				*at += from;
				return y;
			}
		}
	}
	return 0;
}

size_t
textcheck_content_chars(const char *text, size_t enough)
{
	if (!text)
		return 0;
	size_t len = strlen(text), at = 0, count = 0;
	while (at < len && count < enough) {
		uint32_t c;
		at += utf8_decode_fast(text + at, len - at, &c);
		if (c == UTF8_INVALID)
			continue;
		bool meaningful = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		                  (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF) ||
		                  (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A) ||
		                  (c >= 0xC0 && c <= 0x24F);
		count += meaningful;
	}
	return count;
}
