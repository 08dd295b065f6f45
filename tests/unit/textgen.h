/* Random narrative text for the differential tests of the fast byte scans (test_bytescan,
 * test_scan_diff): report Chinese with numbers, units, negations and punctuation, mixed with
 * what copies and bad files bring (CR, tabs, trailing spaces, control characters, bad and
 * truncated UTF-8 sequences). Deterministic for a seed. Header-only, for tests. */
#ifndef TEXTGEN_H
#define TEXTGEN_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline uint32_t
textgen_next(uint64_t *seed)
{
	*seed = *seed * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
	return (uint32_t)(*seed >> 33);
}

/* The pieces: words of the reports, the claims' units and negations, digits, marks. */
static const char *const textgen_pieces[] = {
	/* words and phrases of the reports */
	"本机关", "政府信息公开", "申请", "收到", "受理", "办结", "予以公开", "部分公开", "不予公开", "无法提供",
	"不予处理", "其他处理", "结转下年度继续办理", "上年结转", "行政复议", "行政诉讼", "规章", "规范性文件",
	"行政许可", "行政处罚", "行政事业性收费", "自然人", "法人或其他组织", "商业企业", "较上年", "同比增长",
	"累计", "培训", "会议", "统计", "统计期限", "所列数据", "统计数据", "数据统计", "年", "月", "日", "相比",
	"与", "较", "共", "其中", "均为", "为", "是", "余", "多", "约", "第", "本年度", "《条例》", "〔2021〕",
	"【", "】", "（一）", "一、", "二、", "情况", "方面",
	/* units, negations, numerals */
	"件", "次", "宗", "个", "份", "条", "篇", "起", "例", "元", "万元", "万", "％", "%", "未", "无", "没", "暂", "不",
	"不存在", "未收到", "没有", "暂无", "无法", "一", "二", "三", "十", "百", "千", "两", "零", "〇", "二〇二一",
	"二〇二〇", "０", "１", "２", "９",
	/* digits and numbers */
	"0", "1", "2", "3", "9", "10", "27", "100", "2020", "2021", "2022", "1990", "2019", "3.5", "1,234", "0.5",
	/* marks and spaces */
	"。", "，", "；", "！", "？", "：", "、", "｡", ".", ",", ";", "!", "?", ":", "-", "/", " ", "  ", "\t", "\r",
	"\r\n", "\n", "\n\n", " \n", "\t\n", "\u3000", "\u00a0", "\u200b", "\ufeff",
	/* Latin, other widths of UTF-8 */
	"a", "PDF", "http://", "é", "—", "…", "😀", "\xef\xbc\x85",
	/* control characters and bad bytes */
	"\x01", "\x1f", "\x7f", "\x80", "\xbf", "\xe4", "\xe4\xb8", "\xed\xa0\x80", "\xff", "\xfe", "\xc3", "\xf0\x9f",
	"\xe4" "0", "\xe4\xb8" "%", "\xe6\x9c" "\xe6\x9c\xaa", "\xe3",
};

/* Appends count random pieces to buf (room for size bytes with the NUL); returns the length.
 * Sometimes ends on a truncated sequence. */
static inline size_t
textgen_fill(uint64_t *seed, char *buf, size_t size, int count)
{
	size_t n = 0;
	const size_t np = sizeof textgen_pieces / sizeof textgen_pieces[0];
	for (int k = 0; k < count; k++) {
		const char *p = textgen_pieces[textgen_next(seed) % np];
		size_t l = strlen(p);
		if (n + l + 3 >= size)
			break;
		memcpy(buf + n, p, l);
		n += l;
	}
	switch (textgen_next(seed) % 8) {
	case 0:
		buf[n++] = '\xe4';
		break;
	case 1:
		buf[n++] = '\xe4';
		buf[n++] = '\xb8';
		break;
	case 2:
		buf[n++] = '\xe6';
		buf[n++] = '\x9c';   /* the start of 未 */
		break;
	default:
		break;
	}
	buf[n] = '\0';
	return n;
}

/* A heap copy of s[0, len) in a block of exactly len + 1 bytes, so that a read past the end
 * is caught by the sanitizers and valgrind. */
static inline char *
textgen_exact(const char *s, size_t len)
{
	char *c = malloc(len + 1);
	if (!c)
		abort();
	memcpy(c, s, len);
	c[len] = '\0';
	return c;
}

/* The contents of a file, NULL if it cannot be read. */
static inline char *
textgen_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 == cap) {
			char *grown = realloc(buf, cap *= 2);
			if (!grown)
				free(buf);
			buf = grown;
		}
	}
	fclose(f);
	if (buf) {
		buf[n] = '\0';
		*len = n;
	}
	return buf;
}

/* The contents of tests/data/name (top_srcdir from the environment, as make check sets it,
 * else the source tree this was built from); aborts when it cannot be read. */
static inline char *
textgen_data(const char *name, size_t *len)
{
	const char *srcdir = getenv("top_srcdir") ? getenv("top_srcdir") : NIANBAO_SRCDIR;
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/data/%s", srcdir, name);
	char *text = textgen_slurp(path, len);
	if (!text) {
		fprintf(stderr, "cannot read %s\n", path);
		abort();
	}
	return text;
}

#endif
