#include <config.h>

#include "nianbao/claims.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nianbao/bytescan.h"
#include "nianbao/check.h"
#include "nianbao/diag.h"
#include "nianbao/utf8.h"

/* ---- the lexicon ----
 *
 * Every word the matcher knows, with its role. Matching is leftmost-longest, so a longer
 * word hides the shorter ones inside it ("无法提供" is a row, not the negation "无"; "上年结转"
 * is a row, not the other-year marker "上年"). */

enum role {
	R_ROW,        /* names a quantity (q) */
	R_COL,        /* names a column (col) */
	R_RECV,       /* a verb of receiving: 申请 counts as 本年新收 only with one in the clause */
	R_ACT,        /* a verb of deciding/handling: 行政许可/处罚/强制 need one */
	R_NEG,        /* states zero for what follows (未发生 …) */
	R_NEG_RECV,   /* states zero, including 本年新收 (未收到, 无 …) */
	R_BLOCK,      /* the number is about something else (培训 会议 文件 …) */
	R_NOUN,       /* a counted noun other than ours after the unit (工作日 部门 …) */
	R_OTHERYEAR,  /* numbers after it in the clause are about another year or a change */
	R_CUMULATIVE, /* the whole clause counts more than this year */
	R_EACH,       /* 均 各: every quantity listed before the number has it */
	R_TOPIC,      /* 方面 情况: the clause names the topic of the sentence */
	R_NONE,       /* a word that only hides shorter ones (无法 无论 …) */
};

struct lex {
	const char *text;
	unsigned char role;
	signed char q;    /* R_ROW, R_NEG*: the quantity (-1 none) */
	signed char col;  /* R_COL, R_NEG*: the column (-1 none) */
};

/* in col of a 本年新收 row: the words say 本年新收 without a verb of receiving */
#define NEW_WITHOUT_VERB 1
#define ROW(t, q) {t, R_ROW, q, -1}
#define COL(t, c) {t, R_COL, -1, c}
#define MARK(t, r) {t, r, -1, -1}

static const struct lex lexicon[] = {
	/* 三、本年新收: 申请 with a verb of receiving */
	ROW("申请", CLAIM_NEW), ROW("依申请公开", CLAIM_NEW), ROW("依申请", CLAIM_NEW),
	ROW("申请公开", CLAIM_NEW),
	{"申请数量", R_ROW, CLAIM_NEW, NEW_WITHOUT_VERB}, {"新收申请", R_ROW, CLAIM_NEW, NEW_WITHOUT_VERB},
	MARK("今年以来", R_NONE), MARK("本年以来", R_NONE), MARK("年初以来", R_NONE), MARK("本年度以来", R_NONE),
	ROW("上年结转", CLAIM_CARRIED_IN), ROW("上年度结转", CLAIM_CARRIED_IN), ROW("上一年度结转", CLAIM_CARRIED_IN),
	ROW("上一年结转", CLAIM_CARRIED_IN), ROW("结转上年", CLAIM_CARRIED_IN), ROW("上年度转入", CLAIM_CARRIED_IN),
	ROW("上年遗留", CLAIM_CARRIED_IN), ROW("往年结转", CLAIM_CARRIED_IN), ROW("上年未办结", CLAIM_CARRIED_IN),
	ROW("上年度未办结", CLAIM_CARRIED_IN), ROW("从上年结转", CLAIM_CARRIED_IN),
	ROW("予以公开", CLAIM_GRANTED), ROW("同意公开", CLAIM_GRANTED), ROW("准予公开", CLAIM_GRANTED),
	ROW("全部公开", CLAIM_GRANTED),
	ROW("部分公开", CLAIM_PARTIAL), ROW("予以部分公开", CLAIM_PARTIAL),
	ROW("不予公开", CLAIM_DENIED),
	ROW("无法提供", CLAIM_UNAVAILABLE),
	ROW("不予处理", CLAIM_UNHANDLED),
	ROW("其他处理", CLAIM_OTHER),
	ROW("结转下年", CLAIM_CARRIED_OUT), ROW("结转至下年", CLAIM_CARRIED_OUT), ROW("结转到下年", CLAIM_CARRIED_OUT),
	ROW("结转下一年", CLAIM_CARRIED_OUT), ROW("结转至下一年", CLAIM_CARRIED_OUT), ROW("结转到下一年", CLAIM_CARRIED_OUT),
	ROW("结转至次年", CLAIM_CARRIED_OUT), ROW("结转次年", CLAIM_CARRIED_OUT), ROW("转下年", CLAIM_CARRIED_OUT),
	ROW("转入下年", CLAIM_CARRIED_OUT), ROW("下年度继续办理", CLAIM_CARRIED_OUT), ROW("结转下年度", CLAIM_CARRIED_OUT),
	ROW("结转至下年度", CLAIM_CARRIED_OUT), ROW("结转到下年度", CLAIM_CARRIED_OUT), ROW("结转至", CLAIM_CARRIED_OUT),
	ROW("结转办理", CLAIM_CARRIED_OUT),
	/* 二 */
	ROW("规章", CLAIM_RULES), ROW("政府规章", CLAIM_RULES), ROW("部门规章", CLAIM_RULES),
	MARK("规章制度", R_NONE),
	ROW("规范性文件", CLAIM_NORMATIVE), ROW("行政规范性文件", CLAIM_NORMATIVE),
	ROW("行政许可", CLAIM_LICENSING), ROW("行政处罚", CLAIM_PENALTY), ROW("行政强制", CLAIM_COERCION),
	ROW("行政事业性收费", CLAIM_FEES), ROW("事业性收费", CLAIM_FEES),
	/* 四 */
	ROW("行政复议", CLAIM_REVIEW), ROW("复议案件", CLAIM_REVIEW), ROW("复议申请", CLAIM_REVIEW),
	ROW("行政诉讼", CLAIM_LITIGATION), ROW("诉讼案件", CLAIM_LITIGATION), ROW("行政应诉", CLAIM_LITIGATION),
	ROW("起诉", CLAIM_LITIGATION),
	ROW("直接起诉", CLAIM_LIT_DIRECT), ROW("未经复议直接起诉", CLAIM_LIT_DIRECT),
	ROW("直接提起行政诉讼", CLAIM_LIT_DIRECT),
	ROW("复议后起诉", CLAIM_LIT_AFTER), ROW("行政复议后起诉", CLAIM_LIT_AFTER), ROW("经复议后起诉", CLAIM_LIT_AFTER),
	/* columns of 三 */
	COL("自然人", CLAIM_COL_NATURAL), COL("法人或其他组织", CLAIM_COL_LEGAL_PERSONS),
	COL("法人和其他组织", CLAIM_COL_LEGAL_PERSONS), COL("法人及其他组织", CLAIM_COL_LEGAL_PERSONS),
	COL("法人", CLAIM_COL_LEGAL_PERSONS), COL("商业企业", CLAIM_COL_BUSINESS), COL("企业", CLAIM_COL_BUSINESS),
	COL("科研机构", CLAIM_COL_RESEARCH), COL("社会公益组织", CLAIM_COL_NONPROFIT),
	COL("法律服务机构", CLAIM_COL_LEGAL),
	/* columns of 二 */
	COL("制发", CLAIM_COL_ISSUED), COL("印发", CLAIM_COL_ISSUED), COL("出台", CLAIM_COL_ISSUED),
	COL("制定", CLAIM_COL_ISSUED), COL("新制定", CLAIM_COL_ISSUED), COL("制作", CLAIM_COL_ISSUED),
	COL("新制作", CLAIM_COL_ISSUED), COL("起草", CLAIM_COL_ISSUED),
	COL("废止", CLAIM_COL_REPEALED), COL("宣布失效", CLAIM_COL_REPEALED), COL("清理废止", CLAIM_COL_REPEALED),
	COL("现行有效", CLAIM_COL_IN_FORCE),
	COL("总数", CLAIM_COL_PUBLIC_TOTAL), COL("总数量", CLAIM_COL_PUBLIC_TOTAL),
	COL("公开", CLAIM_COL_PUBLISHED), COL("主动公开", CLAIM_COL_PUBLISHED), COL("新公开", CLAIM_COL_PUBLISHED),
	/* verbs */
	MARK("收到", R_RECV), MARK("受理", R_RECV), MARK("接到", R_RECV), MARK("接收", R_RECV), MARK("新收", R_RECV),
	MARK("收悉", R_RECV), MARK("共收", R_RECV), MARK("登记", R_RECV), MARK("新增", R_RECV), MARK("收件", R_RECV),
	MARK("决定", R_ACT), MARK("办理", R_ACT), MARK("办结", R_ACT), MARK("作出", R_ACT), MARK("做出", R_ACT),
	MARK("审批", R_ACT), MARK("处理", R_ACT), MARK("实施", R_ACT), MARK("查处", R_ACT), MARK("案件", R_ACT),
	MARK("处罚决定", R_ACT), MARK("许可决定", R_ACT), MARK("办件", R_ACT), MARK("立案", R_ACT),
	/* zero */
	{"未收到", R_NEG_RECV, -1, -1}, {"未受理", R_NEG_RECV, -1, -1}, {"未接到", R_NEG_RECV, -1, -1},
	{"未接收", R_NEG_RECV, -1, -1}, {"没有收到", R_NEG_RECV, -1, -1}, {"没有接到", R_NEG_RECV, -1, -1},
	{"没收到", R_NEG_RECV, -1, -1}, {"未有", R_NEG_RECV, -1, -1}, {"无", R_NEG_RECV, -1, -1},
	{"没有", R_NEG_RECV, -1, -1}, {"暂无", R_NEG_RECV, -1, -1},
	{"未发生", R_NEG, -1, -1}, {"没有发生", R_NEG, -1, -1}, {"未出现", R_NEG, -1, -1}, {"未产生", R_NEG, -1, -1},
	{"未作出", R_NEG, -1, -1}, {"未做出", R_NEG, -1, -1}, {"不存在", R_NEG, -1, -1},
	{"未制发", R_NEG, -1, CLAIM_COL_ISSUED}, {"未印发", R_NEG, -1, CLAIM_COL_ISSUED},
	{"未出台", R_NEG, -1, CLAIM_COL_ISSUED}, {"未制定", R_NEG, -1, CLAIM_COL_ISSUED},
	{"未废止", R_NEG, -1, CLAIM_COL_REPEALED},
	MARK("无法", R_NONE), MARK("无正当", R_NONE), MARK("无论", R_NONE), MARK("无需", R_NONE), MARK("无须", R_NONE),
	MARK("无纸", R_NONE), MARK("无死角", R_NONE), MARK("无缝", R_NONE), MARK("无偿", R_NONE), MARK("无疑", R_NONE),
	MARK("无异", R_NONE), MARK("无误", R_NONE), MARK("无效", R_NONE), MARK("无关", R_NONE), MARK("无障碍", R_NONE),
	MARK("无力", R_NONE), MARK("无差别", R_NONE), MARK("无盲区", R_NONE), MARK("无遗漏", R_NONE),
	MARK("无缝隙", R_NONE), MARK("无纸化", R_NONE), MARK("无条件", R_NONE), MARK("没有问题", R_NONE),
	MARK("申请人", R_NONE), MARK("申请书", R_NONE), MARK("申请表", R_NONE), MARK("申请材料", R_NONE),
	MARK("没有现成", R_NONE), MARK("无现成", R_NONE),
	MARK("一次性", R_NONE), MARK("一件事", R_NONE), MARK("一站式", R_NONE),
	/* numbers about something else */
	MARK("培训", R_BLOCK), MARK("会议", R_BLOCK), MARK("会上", R_BLOCK), MARK("讲座", R_BLOCK),
	MARK("学习", R_BLOCK), MARK("宣传", R_BLOCK), MARK("稿件", R_BLOCK), MARK("网站", R_BLOCK),
	MARK("网页", R_BLOCK), MARK("新媒体", R_BLOCK), MARK("微信", R_BLOCK), MARK("微博", R_BLOCK),
	MARK("公众号", R_BLOCK), MARK("专栏", R_BLOCK), MARK("栏目", R_BLOCK), MARK("解读", R_BLOCK),
	MARK("活动", R_BLOCK), MARK("征集", R_BLOCK), MARK("检查", R_BLOCK), MARK("督查", R_BLOCK),
	MARK("考核", R_BLOCK), MARK("指南", R_BLOCK), MARK("目录", R_BLOCK), MARK("通知", R_BLOCK),
	MARK("公告", R_BLOCK), MARK("简报", R_BLOCK), MARK("专题", R_BLOCK), MARK("座谈", R_BLOCK),
	MARK("演练", R_BLOCK), MARK("文件", R_BLOCK), MARK("信息处理费", R_BLOCK), MARK("讲解", R_BLOCK),
	MARK("课", R_BLOCK), MARK("业务知识", R_BLOCK), MARK("评查", R_BLOCK), MARK("提案", R_BLOCK),
	MARK("建议", R_BLOCK), MARK("发布会", R_BLOCK), MARK("政务信息", R_BLOCK), MARK("条信息", R_BLOCK),
	MARK("信息", R_NONE), MARK("政府信息", R_NONE), MARK("人员", R_BLOCK), MARK("人次", R_BLOCK),
	MARK("工作日", R_NOUN), MARK("部门", R_NOUN), MARK("单位", R_NOUN), MARK("乡镇", R_NOUN),
	MARK("街道", R_NOUN), MARK("项目", R_NOUN), MARK("账号", R_NOUN), MARK("平台", R_NOUN),
	MARK("窗口", R_NOUN), MARK("百分点", R_NOUN), MARK("月", R_NOUN), MARK("小时", R_NOUN),
	MARK("工作", R_NOUN), MARK("环节", R_NOUN), MARK("领域", R_NOUN),
	/* other years, changes */
	MARK("上年", R_OTHERYEAR), MARK("上年度", R_OTHERYEAR), MARK("上一年", R_OTHERYEAR),
	MARK("上一年度", R_OTHERYEAR), MARK("去年", R_OTHERYEAR), MARK("同比", R_OTHERYEAR),
	MARK("环比", R_OTHERYEAR), MARK("增加", R_OTHERYEAR), MARK("减少", R_OTHERYEAR), MARK("增长", R_OTHERYEAR),
	MARK("下降", R_OTHERYEAR), MARK("提高", R_OTHERYEAR), MARK("降低", R_OTHERYEAR), MARK("增幅", R_OTHERYEAR),
	MARK("前年", R_OTHERYEAR),
	MARK("累计", R_CUMULATIVE), MARK("历年", R_CUMULATIVE), MARK("以来", R_CUMULATIVE),
	MARK("累积", R_CUMULATIVE), MARK("近三年", R_CUMULATIVE), MARK("近年", R_CUMULATIVE),
	MARK("方面", R_TOPIC), MARK("情况", R_TOPIC),
	MARK("均", R_EACH), MARK("各", R_EACH), MARK("都", R_EACH), MARK("全部为", R_EACH),
};

#define LEX_MAX_CP 12
#define LEX_BUCKETS 256

struct lex_cp {
	const struct lex *lex;
	uint32_t cp[LEX_MAX_CP];
	int len;
};

static struct lex_cp lex_cps[sizeof lexicon / sizeof lexicon[0]];
static int lex_bucket[LEX_BUCKETS][24];   /* indices, longest first; -1 ends */
static bool lex_ready;
static void may_end_init(void);

/* What each code point of the Basic Multilingual Plane can be, for the scan's inner loops. */
enum {
	K_SENTENCE = 1,   /* ends a sentence */
	K_CLAUSE = 2,     /* ends a clause (， , ： :) */
	K_DIGIT = 4,      /* 0-9, ０-９ */
	K_NUMERAL = 8,    /* 一 … 九 零 〇 两 十 百 千 */
	K_FIRST = 16,     /* starts a word of the lexicon */
	K_SPACE = 32,
	K_TRIGGER = 64,   /* a sentence without one states nothing: digits, numerals, 未 无 没 暂 不 */
	K_CANDIDATE = 128, /* a unit (件 … 元 ％), 万, or a negation (未 无 没 暂 不): look closer */
};
static uint8_t kind[65536];
/* where claims_scan looks closer: the K_CANDIDATE characters, % and 0 */
static struct bytescan_set look;

static inline unsigned
kind_of(uint32_t c)
{
	return c < 65536 ? kind[c] : 0;
}

static void
lex_init(void)
{
	if (lex_ready)
		return;
	int fill[LEX_BUCKETS] = {0};
	size_t n = sizeof lexicon / sizeof lexicon[0];
	for (size_t i = 0; i < n; i++) {
		struct lex_cp *e = &lex_cps[i];
		e->lex = &lexicon[i];
		size_t len = strlen(lexicon[i].text), at = 0;
		while (at < len && e->len < LEX_MAX_CP) {
			uint32_t cp;
			at += utf8_decode(lexicon[i].text + at, len - at, &cp);
			e->cp[e->len++] = cp;
		}
		if (e->cp[0] < 65536)
			kind[e->cp[0]] |= K_FIRST;
		int b = (int)(e->cp[0] % LEX_BUCKETS);
		if (fill[b] < 23) {
			/* insertion, longest first */
			int k = fill[b]++;
			while (k > 0 && lex_cps[lex_bucket[b][k - 1]].len < e->len) {
				lex_bucket[b][k] = lex_bucket[b][k - 1];
				k--;
			}
			lex_bucket[b][k] = (int)i;
		}
	}
	for (int b = 0; b < LEX_BUCKETS; b++)
		lex_bucket[b][fill[b]] = -1;
	static const uint32_t sentence[] = {0x3002, 0xFF1B, ';', 0xFF01, 0xFF1F, '!', '?', '\n', 0xFF61};
	for (size_t i = 0; i < sizeof sentence / sizeof sentence[0]; i++)
		kind[sentence[i]] |= K_SENTENCE;
	static const uint32_t clause[] = {0xFF0C, ',', 0xFF1A, ':'};
	for (size_t i = 0; i < sizeof clause / sizeof clause[0]; i++)
		kind[clause[i]] |= K_CLAUSE;
	for (uint32_t c = '0'; c <= '9'; c++)
		kind[c] |= K_DIGIT | K_TRIGGER;
	for (uint32_t c = 0xFF10; c <= 0xFF19; c++)
		kind[c] |= K_DIGIT | K_TRIGGER;
	static const uint32_t numerals[] = {0x96F6, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B,
	                                    0x4E5D, 0x3007, 0x4E24, 0x5341, 0x767E, 0x5343};
	for (size_t i = 0; i < sizeof numerals / sizeof numerals[0]; i++)
		kind[numerals[i]] |= K_NUMERAL | K_TRIGGER;
	static const uint32_t negations[] = {0x672A /* 未 */, 0x65E0 /* 无 */, 0x6CA1 /* 没 */, 0x6682 /* 暂 */,
	                                     0x4E0D /* 不 */};
	for (size_t i = 0; i < sizeof negations / sizeof negations[0]; i++)
		kind[negations[i]] |= K_TRIGGER;
	static const uint32_t candidates[] = {0x4EF6, 0x6B21, 0x5B97, 0x4E2A, 0x4EFD, 0x6761, 0x7BC7, 0x8D77, 0x4F8B,
	                                      0x5143, 0xFF05, 0x4E07, 0x672A, 0x65E0, 0x6CA1, 0x6682, 0x4E0D};
	for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
		kind[candidates[i]] |= K_CANDIDATE;
		bytescan_set_add(&look, candidates[i]);
	}
	bytescan_set_add(&look, '%');
	bytescan_set_add(&look, '0');
	static const uint32_t spaces[] = {' ', '\t', '\r', 0x3000, 0xA0, 0x2002, 0x2003, 0x200B, 0xFEFF};
	for (size_t i = 0; i < sizeof spaces / sizeof spaces[0]; i++)
		kind[spaces[i]] |= K_SPACE;
	may_end_init();
	lex_ready = true;
}

/* ---- the text as code points ---- */

struct cptext {
	const char *text;
	uint32_t *cp;
	uint32_t *start; /* byte offset of cp[i] in the original */
	int n;
};

/* The byte offset just after cp[i]. */
static size_t
cp_end(const struct cptext *t, int i)
{
	unsigned char lead = (unsigned char)t->text[t->start[i]];
	size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
	return t->start[i] + len;
}

static inline bool
is_space(uint32_t c)
{
	return kind_of(c) & K_SPACE;
}

static inline bool
ends_sentence(uint32_t c)
{
	return kind_of(c) & K_SENTENCE;
}

static inline bool
ends_clause(uint32_t c)
{
	return kind_of(c) & (K_SENTENCE | K_CLAUSE);
}

static inline bool
is_digit(uint32_t c)
{
	return kind_of(c) & K_DIGIT;
}

static int
digit_value(uint32_t c)
{
	return c <= '9' ? (int)(c - '0') : (int)(c - 0xFF10);
}

static int
chinese_digit(uint32_t c)
{
	if (!(kind_of(c) & K_NUMERAL))
		return -1;
	static const uint32_t digits[] = {0x96F6, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
	for (int i = 0; i < 10; i++)
		if (c == digits[i])
			return i;
	if (c == 0x3007)   /* 〇 */
		return 0;
	if (c == 0x4E24)   /* 两 */
		return 2;
	return -1;
}

static int
chinese_unit(uint32_t c)
{
	if (!(kind_of(c) & K_NUMERAL))
		return 0;
	return c == 0x5341 ? 10 : c == 0x767E ? 100 : c == 0x5343 ? 1000 : 0;
}

/* A line that is a heading on its own: （一）… 一、… 1. … # … short and without a full stop. */
static bool
heading_line(const uint32_t *cp, int n)
{
	int i = 0;
	while (i < n && is_space(cp[i]))
		i++;
	if (i >= n)
		return false;
	int len = n - i;
	if (len > 30)
		return false;
	uint32_t c = cp[i];
	if (c == '#' || c == 0xFF08 || c == '(' || c == 0x7B2C /* 第 */)
		return true;
	if ((chinese_digit(c) >= 0 || chinese_unit(c)) && i + 1 < n) {
		int k = i;
		while (k < n && (chinese_digit(cp[k]) >= 0 || chinese_unit(cp[k])))
			k++;
		if (k < n && (cp[k] == 0x3001 || cp[k] == 0x662F /* 是 */))
			return true;
	}
	if (is_digit(c)) {
		int k = i;
		while (k < n && is_digit(cp[k]))
			k++;
		if (k < n && (cp[k] == '.' || cp[k] == 0xFF0E || cp[k] == 0x3001))
			return true;
	}
	return false;
}

/* Decodes text, dropping spaces, and joins lines broken inside a sentence: a line break
 * stays (as '\n', a sentence end) only after a sentence end, at a blank line, or after a
 * heading line. */
static void
cptext_build(const char *text, size_t len, struct cptext *t)
{
	if (len > UINT32_MAX - 1)
		len = UINT32_MAX - 1;   /* a text field is far smaller; never wrap an offset */
	t->text = text;
	t->cp = xmalloc((len + 1) * sizeof *t->cp);
	t->start = xmalloc((len + 1) * sizeof *t->start);
	t->n = 0;
	int line_start = 0;   /* where the current line's code points begin in cp */
	bool blank_line = true;
	size_t at = 0;
	while (at < len) {
		uint32_t c;
		size_t step = utf8_decode_fast(text + at, len - at, &c);
		size_t here = at;
		at += step;
		if (c == UTF8_INVALID)
			continue;
		if (c == '\n') {
			bool keep = blank_line || t->n == 0 || ends_sentence(t->cp[t->n - 1]) ||
			            heading_line(t->cp + line_start, t->n - line_start);
			if (keep && (t->n == 0 || t->cp[t->n - 1] != '\n')) {
				t->cp[t->n] = '\n';
				t->start[t->n] = (uint32_t)here;
				t->n++;
			}
			line_start = t->n;
			blank_line = true;
			continue;
		}
		if (is_space(c))
			continue;
		blank_line = false;
		t->cp[t->n] = c;
		t->start[t->n] = (uint32_t)here;
		t->n++;
	}
	t->cp[t->n] = 0;
	t->start[t->n] = (uint32_t)len;
}

static void
cptext_free(struct cptext *t)
{
	free(t->cp);
	free(t->start);
}

/* ---- marks and amounts in a clause ---- */

struct mark {
	int pos, end;
	const struct lex *lex;
};

struct amount {
	int pos, end;       /* the number's first code point .. after the unit */
	enum claim_unit unit;
	int64_t mantissa;
	int decimals;
	bool usable;        /* not approximate, ordinal, or followed by another noun */
};

static const struct lex *
match_at(const struct cptext *t, int i, int limit, int *len)
{
	if (!(kind_of(t->cp[i]) & K_FIRST))
		return NULL;
	int b = (int)(t->cp[i] % LEX_BUCKETS);
	for (int k = 0; lex_bucket[b][k] >= 0; k++) {
		const struct lex_cp *e = &lex_cps[lex_bucket[b][k]];
		if (i + e->len > limit)
			continue;
		int j = 0;
		while (j < e->len && t->cp[i + j] == e->cp[j])
			j++;
		if (j == e->len) {
			*len = e->len;
			return e->lex;
		}
	}
	return NULL;
}

static bool
is_count_unit(uint32_t c)
{
	/* 件 次 宗 个 份 条 篇 起 例 */
	return c == 0x4EF6 || c == 0x6B21 || c == 0x5B97 || c == 0x4E2A || c == 0x4EFD || c == 0x6761 ||
	       c == 0x7BC7 || c == 0x8D77 || c == 0x4F8B;
}

static bool
is_cjk_numeral_context_bad(uint32_t before)
{
	/* 统一 唯一 之一 进一步 单一 第一 逐一 每一 专一 同一 某一 任一 这 那 哪 几 */
	static const uint32_t bad[] = {0x7EDF, 0x552F, 0x4E4B, 0x8FDB, 0x5355, 0x7B2C, 0x9010, 0x6BCF, 0x4E13,
	                               0x540C, 0x67D0, 0x4EFB, 0x8FD9, 0x90A3, 0x54EA, 0x51E0, 0x4E07, 0x5343, 0x767E};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (before == bad[i])
			return true;
	return false;
}

/* Reads a number with its unit at i; returns false when there is none. */
static bool
read_amount(const struct cptext *t, int i, int limit, struct amount *a)
{
	const uint32_t *cp = t->cp;
	uint32_t before = i > 0 ? cp[i - 1] : 0;
	int p = i;
	int64_t mant = 0;
	int dec = 0;
	bool arabic = is_digit(cp[i]);
	if (arabic) {
		if (i > 0 && (is_digit(before) || before == '.' || before == '-' || before == 0x2014))
			return false;
		bool point = false;
		int digits = 0;
		while (p < limit) {
			if (is_digit(cp[p])) {
				if (mant < INT64_C(100000000000000)) {
					mant = mant * 10 + digit_value(cp[p]);
					if (point)
						dec++;
				}
				digits++;
				p++;
			} else if ((cp[p] == ',' || cp[p] == 0xFF0C) && !point && digits && p + 3 < limit && is_digit(cp[p + 1]) &&
			           is_digit(cp[p + 2]) && is_digit(cp[p + 3]) && (p + 4 >= limit || !is_digit(cp[p + 4]))) {
				p++;   /* 1,234 */
			} else if ((cp[p] == '.' || cp[p] == 0xFF0E) && !point && p + 1 < limit && is_digit(cp[p + 1])) {
				point = true;
				p++;
			} else {
				break;
			}
		}
		/* a year, a date or a phone number is not a count */
		if (p < limit && (cp[p] == 0x5E74 || cp[p] == 0x6708 || cp[p] == 0x65E5 || cp[p] == '-' || cp[p] == '/'))
			return false;
	} else {
		if (chinese_digit(cp[i]) < 0 && !chinese_unit(cp[i]))
			return false;
		if (i > 0 && (chinese_digit(before) >= 0 || chinese_unit(before) || is_cjk_numeral_context_bad(before)))
			return false;
		int64_t section = 0, pending = 0;
		bool any = false, zero_seen = false;
		while (p < limit) {
			int d = chinese_digit(cp[p]), u = chinese_unit(cp[p]);
			if (d >= 0) {
				if (d == 0)
					zero_seen = true;
				pending = d;
			} else if (u) {
				section += (pending || any ? pending : 1) * u;
				if (!pending && !any)
					section = u;
				pending = 0;
			} else {
				break;
			}
			any = true;
			p++;
		}
		(void)zero_seen;
		mant = section + pending;
	}
	if (p == i)
		return false;
	a->pos = i;
	a->mantissa = mant;
	a->decimals = dec;
	a->usable = true;
	bool approx = false;
	/* 200余件 200多件 */
	if (p < limit && (cp[p] == 0x4F59 || cp[p] == 0x591A)) {
		approx = true;
		p++;
	}
	if (p >= limit) {
		/* "均为0": a bare zero after 为 */
		if (mant == 0 && arabic && i > 0 && (before == 0x4E3A || before == 0x662F)) {
			a->unit = CLAIM_UNIT_COUNT;
			a->end = p;
			return true;
		}
		return false;
	}
	uint32_t u = cp[p];
	if (u == '%' || u == 0xFF05) {
		a->unit = CLAIM_UNIT_PERCENT;
		p++;
	} else if (u == 0x4E07 && p + 1 < limit && cp[p + 1] == 0x5143) {   /* 万元 */
		a->unit = CLAIM_UNIT_MONEY;
		p += 2;
	} else if (u == 0x5143) {   /* 元: to 万元 */
		a->unit = CLAIM_UNIT_MONEY;
		a->decimals += 4;
		p++;
	} else if (is_count_unit(u) && !dec) {
		a->unit = CLAIM_UNIT_COUNT;
		p++;
		if (p < limit && cp[p] == 0x6B21)   /* 件次 */
			p++;
		if (p < limit && cp[p] == 0x6027)   /* 一次性 */
			return false;
	} else if (mant == 0 && arabic && (before == 0x4E3A || before == 0x662F) && ends_clause(u)) {
		a->unit = CLAIM_UNIT_COUNT;
	} else {
		return false;
	}
	a->end = p;
	/* 约 近 超 逾 超过 不足 before; 左右 以上 以下 以内 after */
	static const uint32_t approx_before[] = {0x7EA6, 0x8FD1, 0x8D85, 0x903E, 0x8FC7, 0x8DB3, 0x5230};
	for (size_t k = 0; k < sizeof approx_before / sizeof approx_before[0]; k++)
		if (before == approx_before[k] && !(before == 0x5230 && i > 1 && cp[i - 2] != 0x4E0D) &&
		    !(before == 0x8FC7 && i > 1 && cp[i - 2] != 0x8D85))
			approx = true;
	if (before == 0x7B2C || before == 0x6BCF)   /* 第 每 */
		approx = true;
	if (p + 1 < limit && ((cp[p] == 0x5DE6 && cp[p + 1] == 0x53F3) || (cp[p] == 0x4EE5 && (cp[p + 1] == 0x4E0A ||
	                      cp[p + 1] == 0x4E0B || cp[p + 1] == 0x5185))))
		approx = true;
	if (approx)
		a->usable = false;
	return true;
}

/* ---- the scan ---- */

enum family { FAM_REQ, FAM_DOC, FAM_OTHER };

static enum family
family_of(int q)
{
	if (q <= CLAIM_CARRIED_OUT)
		return FAM_REQ;
	if (q == CLAIM_RULES || q == CLAIM_NORMATIVE)
		return FAM_DOC;
	return FAM_OTHER;
}

static enum family
col_family(int col)
{
	if (col >= CLAIM_COL_NATURAL && col <= CLAIM_COL_LEGAL)
		return FAM_REQ;
	if (col >= CLAIM_COL_ISSUED)
		return FAM_DOC;
	return FAM_OTHER;
}

static bool
needs_act(int q)
{
	return q == CLAIM_LICENSING || q == CLAIM_PENALTY || q == CLAIM_COERCION;
}

struct scanner {
	const struct cptext *t;
	int year;
	struct claim *out;
	size_t count, cap;
	/* the sentence so far */
	int topic_req;      /* the last 三 row claimed or named, -1 */
	int topic_doc;      /* the last 二 document row, -1 */
	int topic_doc_col;  /* the last 二 column, -1 */
	int pending;        /* a row named in an earlier clause without a number, -1 */
	int clause_from, clause_to;
	bool pending_recv;
};

static void
emit(struct scanner *s, int q, int col, const struct amount *a, bool negation, int from, int to)
{
	if (s->count == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->out = xrealloc(s->out, s->cap * sizeof *s->out);
	}
	struct claim *c = &s->out[s->count++];
	*c = (struct claim){
		.quantity = (enum claim_quantity)q, .column = (enum claim_column)col,
		.unit = a ? a->unit : CLAIM_UNIT_COUNT, .mantissa = a ? a->mantissa : 0, .decimals = a ? a->decimals : 0,
		.negation = negation, .start = s->t->start[from], .end = cp_end(s->t, to - 1),
	};
	/* quote the whole clause when it is short */
	if (s->clause_to - s->clause_from <= 40) {
		c->start = s->t->start[s->clause_from];
		c->end = cp_end(s->t, s->clause_to - 1);
	}
}

/* A 4-digit year other than the report's, written as 2021年, in [from, to). */
static bool
other_year_in(const struct scanner *s, int from, int to)
{
	if (!s->year)
		return false;
	const uint32_t *cp = s->t->cp;
	for (int i = from; i + 4 < to; i++) {
		if (!is_digit(cp[i]) || (i > from && is_digit(cp[i - 1])))
			continue;
		if (!is_digit(cp[i + 1]) || !is_digit(cp[i + 2]) || !is_digit(cp[i + 3]) || cp[i + 4] != 0x5E74)
			continue;
		int y = digit_value(cp[i]) * 1000 + digit_value(cp[i + 1]) * 100 + digit_value(cp[i + 2]) * 10 +
		        digit_value(cp[i + 3]);
		if (y != s->year)
			return true;
	}
	return false;
}

static bool
role_in(const struct mark *m, int nm, int role, int from, int to)
{
	for (int k = 0; k < nm; k++)
		if (m[k].lex->role == role && m[k].pos >= from && m[k].end <= to)
			return true;
	return false;
}

static bool
unit_fits(int q, int col, enum claim_unit unit)
{
	if (unit == CLAIM_UNIT_MONEY)
		return q == CLAIM_FEES;
	if (q == CLAIM_FEES)
		return false;
	if (unit == CLAIM_UNIT_PERCENT)
		return family_of(q) == FAM_REQ && q != CLAIM_NEW && q != CLAIM_CARRIED_IN && col == CLAIM_COL_TOTAL;
	return true;
}

/* Doubles an array that starts in a stack buffer. */
static void *
grow(void *array, void *stack, int *cap, size_t size)
{
	void *bigger = xmalloc((size_t)*cap * 2 * size);
	memcpy(bigger, array, (size_t)*cap * size);
	if (array != stack)
		free(array);
	*cap *= 2;
	return bigger;
}

/* 申请 is not a request for information in 被申请行政复议, 申请复议, 申请诉讼. */
static bool
weak_new_ok(const struct cptext *t, int pos, int end, int limit)
{
	if (pos > 0 && t->cp[pos - 1] == 0x88AB)   /* 被 */
		return false;
	static const uint32_t after[][2] = {{0x884C, 0x653F} /* 行政 */, {0x590D, 0x8BAE} /* 复议 */,
	                                    {0x8BC9, 0x8BBC} /* 诉讼 */};
	for (size_t k = 0; k < sizeof after / sizeof after[0]; k++)
		if (end + 1 < limit && t->cp[end] == after[k][0] && t->cp[end + 1] == after[k][1])
			return false;
	return true;
}

static void
scan_clause(struct scanner *s, int from, int to)
{
	const struct cptext *t = s->t;
	s->clause_from = from;
	s->clause_to = to;
	int cap = 16, nm = 0, na = 0, acap = 8;
	/* on the stack while the clause is ordinary, on the heap beyond */
	struct mark mbuf[16];
	struct amount abuf[8];
	struct mark *m = mbuf;
	struct amount *am = abuf;
	for (int i = from; i < to;) {
		struct amount a;
		if ((kind_of(t->cp[i]) & (K_DIGIT | K_NUMERAL)) && read_amount(t, i, to, &a)) {
			if (na == acap)
				am = grow(am, abuf, &acap, sizeof *am);
			am[na++] = a;
			i = a.end > i ? a.end : i + 1;
			continue;
		}
		int len;
		const struct lex *lex = match_at(t, i, to, &len);
		if (!lex) {
			i++;
			continue;
		}
		if (lex->role == R_ROW && lex->q == CLAIM_NEW && !weak_new_ok(t, i, i + len, to))
			lex = NULL;
		if (lex && lex->role != R_NONE) {
			if (nm == cap)
				m = grow(m, mbuf, &cap, sizeof *m);
			m[nm++] = (struct mark){i, i + len, lex};
		}
		i += len;
	}
	bool cumulative = false, recv = s->pending_recv, act = false;
	for (int k = 0; k < nm; k++) {
		cumulative |= m[k].lex->role == R_CUMULATIVE;
		recv |= m[k].lex->role == R_RECV;
		act |= m[k].lex->role == R_ACT;
	}
	if (cumulative)
		goto done;

	if (na == 0) {
		/* zero stated outright, or a topic for the clauses that follow */
		for (int k = 0; k < nm; k++) {
			int role = m[k].lex->role;
			if (role != R_NEG && role != R_NEG_RECV)
				continue;
			int strong[CLAIM_QUANTITY_COUNT], ns = 0, weak = -1, last = -1;
			for (int j = k + 1; j < nm && m[j].pos - m[k].end <= 30; j++) {
				const struct lex *l = m[j].lex;
				if (l->role == R_BLOCK || l->role == R_OTHERYEAR)
					break;
				if (l->role != R_ROW)
					continue;
				if (l->q == CLAIM_NEW) {
					if (weak < 0)
						weak = j;
					continue;
				}
				bool seen = false;
				for (int x = 0; x < ns; x++)
					seen |= strong[x] == l->q;
				if (!seen)
					strong[ns++] = l->q;
				last = j;
			}
			if (ns) {
				for (int x = 0; x < ns; x++) {
					int q = strong[x], col = CLAIM_COL_TOTAL;
					if (family_of(q) == FAM_DOC) {
						col = m[k].lex->col;
						for (int j = k + 1; j < nm && col < 0; j++)
							if (m[j].lex->role == R_COL && col_family(m[j].lex->col) == FAM_DOC)
								col = m[j].lex->col;
						if (col < 0)
							continue;
					}
					if (needs_act(q) && !act && m[k].lex->role != R_NEG)
						continue;
					emit(s, q, col, NULL, true, m[k].pos, m[last].end);
				}
			} else if (weak >= 0 && role == R_NEG_RECV) {
				emit(s, CLAIM_NEW, CLAIM_COL_TOTAL, NULL, true, m[k].pos, m[weak].end);
				s->topic_req = CLAIM_NEW;
			}
			goto done;
		}
		int rows = 0, row = -1;
		for (int k = 0; k < nm; k++)
			if (m[k].lex->role == R_ROW && m[k].lex->q != row) {
				row = m[k].lex->q;
				rows++;
			}
		/* only a topic clause: 依申请公开方面 / 关于行政复议 — short, no verb of its own */
		if (rows == 1 && (to - from <= 12 || role_in(m, nm, R_TOPIC, from, to)))
			s->pending = row;
		else if (rows > 1)
			s->pending = -1;
		s->pending_recv |= recv;
		for (int k = 0; k < nm; k++)
			if (m[k].lex->role == R_COL && col_family(m[k].lex->col) == FAM_DOC)
				s->topic_doc_col = m[k].lex->col;
		goto done;
	}

	for (int k = 0; k < na; k++) {
		const struct amount *a = &am[k];
		if (!a->usable)
			continue;
		int pre = k ? am[k - 1].end : from;
		int post = k + 1 < na ? am[k + 1].pos : to;
		/* inside （…）: only a row named inside the same brackets ("含上年度结转申请18件"),
		 * never the sentence's topic ("其中网上申请3件" is a part, not the whole) */
		int open = -1;
		for (int x = from; x < a->pos; x++) {
			if (t->cp[x] == 0xFF08 || t->cp[x] == '(')
				open = x;
			else if ((t->cp[x] == 0xFF09 || t->cp[x] == ')') && open >= 0)
				open = -1;
		}
		if (open >= 0 && pre <= open)
			pre = open + 1;
		/* another year or a change, before the number in this clause */
		bool other = other_year_in(s, from, a->pos);
		for (int j = 0; j < nm && !other; j++)
			if (m[j].lex->role == R_OTHERYEAR && m[j].pos < a->pos)
				other = true;
		if (other)
			continue;
		/* the counted noun right after the unit is something else */
		bool noun_after = false;
		for (int j = 0; j < nm; j++)
			if ((m[j].lex->role == R_NOUN || m[j].lex->role == R_BLOCK) && m[j].pos >= a->end && m[j].pos <= a->end + 1)
				noun_after = true;
		int limit = a->unit == CLAIM_UNIT_PERCENT ? 40 : 24;
		/* rows named before the number (since the previous number) */
		int chosen = -1, nstrong = 0, weak = -1, col_req = -1, col_doc = -1;
		int strongs[CLAIM_QUANTITY_COUNT];
		bool each = false;
		for (int j = 0; j < nm; j++) {
			const struct mark *mk = &m[j];
			if (mk->pos < pre || mk->end > a->pos)
				continue;
			const struct lex *l = mk->lex;
			if (l->role == R_ROW) {
				if (l->q == CLAIM_NEW) {
					weak = j;
					continue;
				}
				bool seen = false;
				for (int x = 0; x < nstrong; x++)
					seen |= strongs[x] == l->q;
				if (!seen)
					strongs[nstrong++] = l->q;
				chosen = j;
			} else if (l->role == R_COL) {
				if (col_family(l->col) == FAM_REQ)
					col_req = l->col;
			} else if (l->role == R_EACH && chosen >= 0) {
				each = true;
			}
		}
		for (int j = 0; j < nm; j++)
			if (m[j].lex->role == R_COL && col_family(m[j].lex->col) == FAM_DOC && m[j].pos < a->pos)
				col_doc = m[j].lex->col;
		if (col_doc < 0)
			col_doc = s->topic_doc_col;
		int q = -1, near_from = a->pos, near_to = a->end;
		bool after = false;
		if (chosen >= 0) {
			q = m[chosen].lex->q;
			near_from = m[chosen].pos;
		} else if (weak >= 0 && (recv || m[weak].lex->col == NEW_WITHOUT_VERB) && open < 0) {
			chosen = weak;
			q = CLAIM_NEW;
			near_from = m[weak].pos;
		}
		if (q < 0 && weak < 0 && open < 0) {
			/* the row after the number: 受理36件政府信息公开申请 */
			int strong_after = -1, weak_after = -1;
			for (int k2 = a->end; k2 < post; k2++)
				if (t->cp[k2] == 0xFF08 || t->cp[k2] == '(') {
					post = k2;   /* （含…） is an aside */
					break;
				}
			for (int j = 0; j < nm; j++) {
				if (m[j].pos < a->end || m[j].end > post)
					continue;
				if (m[j].lex->role == R_ROW) {
					if (m[j].lex->q == CLAIM_NEW) {
						if (weak_after < 0)
							weak_after = j;
					} else if (strong_after < 0) {
						strong_after = j;
					}
				}
			}
			/* 受理36件…申请: the verb comes before the number (not 50个…申请受理点) */
			bool recv_before = s->pending_recv;
			for (int x = 0; x < nm && !recv_before; x++)
				recv_before = m[x].lex->role == R_RECV && m[x].pos < a->pos;
			int j = strong_after >= 0 ? strong_after : recv_before ? weak_after : -1;
			if (j >= 0 && m[j].pos - a->end <= 16 && !role_in(m, nm, R_BLOCK, a->end, post)) {
				chosen = j;
				q = m[j].lex->q;
				near_to = m[j].end;
				after = true;
				nstrong = q == CLAIM_NEW ? 0 : 1;
				strongs[0] = q;
			}
		}
		bool via_topic = false;
		if (q < 0 && a->unit == CLAIM_UNIT_PERCENT && s->topic_req >= 0) {
			/* 予以公开8件，占48% */
			q = s->topic_req;
			nstrong = 1;
			strongs[0] = q;
			near_from = pre;
			chosen = -2;
			via_topic = true;
		}
		if (q < 0 && col_req >= 0 && s->topic_req >= 0) {
			/* 其中自然人申请741件: a column of the row the sentence is about */
			q = s->topic_req;
			nstrong = 1;
			strongs[0] = q;
			via_topic = true;
			for (int j = 0; j < nm; j++)
				if (m[j].lex->role == R_COL && m[j].pos >= pre && m[j].end <= a->pos) {
					chosen = j;
					near_from = m[j].pos;
					break;
				}
		}
		if (q < 0 && col_doc >= 0 && s->topic_doc >= 0 && !noun_after) {
			/* 制发规范性文件3件，废止1件 */
			bool col_here = false;
			for (int j = 0; j < nm; j++)
				if (m[j].lex->role == R_COL && col_family(m[j].lex->col) == FAM_DOC && m[j].pos >= pre &&
				    m[j].end <= a->pos) {
					col_here = true;
					chosen = j;
					near_from = m[j].pos;
				}
			if (col_here) {
				q = s->topic_doc;
				nstrong = 1;
				strongs[0] = q;
			}
		}
		if (q < 0 && s->pending >= 0 && open < 0) {
			q = s->pending;
			nstrong = q == CLAIM_NEW ? 0 : 1;
			strongs[0] = q;
			near_from = pre;
			chosen = -2;
		}
		if (q < 0)
			continue;
		if (!after && noun_after)
			continue;
		/* what lies between the row and the number must not be about something else */
		int gap_from = after ? a->end : chosen >= 0 ? m[chosen].end : pre;
		int gap_to = after ? m[chosen].pos : a->pos;
		if (gap_to - gap_from > limit || role_in(m, nm, R_BLOCK, gap_from, gap_to))
			continue;
		if (q == CLAIM_NEW && !recv && !via_topic && !(chosen >= 0 && m[chosen].lex->col == NEW_WITHOUT_VERB))
			continue;
		if (needs_act(q) && !act)
			continue;
		if (nstrong > 1 && !each && !after && chosen >= 0) {
			/* 予以公开及部分公开258件: a sum of rows, not the nearest one */
			bool listed = false;
			for (int j = 0; j < nm; j++)
				if (m[j].lex->role == R_ROW && m[j].lex->q != q && m[j].end <= m[chosen].pos &&
				    m[chosen].pos - m[j].end <= 2)
					listed = true;
			if (listed)
				continue;
		}
		int targets[CLAIM_QUANTITY_COUNT], nt = 0;
		if (nstrong > 1 && each)
			for (int x = 0; x < nstrong; x++)
				targets[nt++] = strongs[x];
		else
			targets[nt++] = q;
		for (int x = 0; x < nt; x++) {
			int tq = targets[x];
			int col = CLAIM_COL_TOTAL;
			enum family fam = family_of(tq);
			if (fam == FAM_REQ && col_req >= 0)
				col = col_req;
			if (fam == FAM_DOC) {
				if (col_doc < 0)
					continue;
				col = col_doc;
			}
			if (!unit_fits(tq, col, a->unit))
				continue;
			emit(s, tq, col, a, false, near_from < a->pos ? near_from : a->pos, near_to > a->end ? near_to : a->end);
			if (fam == FAM_REQ)
				s->topic_req = tq;
			if (fam == FAM_DOC) {
				s->topic_doc = tq;
				s->topic_doc_col = col;
			}
		}
	}
	/* a row named after the last number stays the topic for a column that follows */
	for (int k = 0; k < nm; k++)
		if (m[k].lex->role == R_ROW && family_of(m[k].lex->q) == FAM_DOC)
			s->topic_doc = m[k].lex->q;
done:
	if (m != mbuf)
		free(m);
	if (am != abuf)
		free(am);
}

/* The claims of one stretch of whole sentences, text[0, len). */
static void
scan_span(struct scanner *s, const char *text, size_t len)
{
	struct cptext t;
	cptext_build(text, len, &t);
	s->t = &t;
	int from = 0;
	for (int i = 0; i <= t.n; i++) {
		if (i < t.n && !(kind_of(t.cp[i]) & K_SENTENCE))
			continue;
		/* the sentence [from, i), clause by clause */
		int clause = from;
		bool clause_trigger = false, topic = false;
		for (int j = from; j <= i; j++) {
			unsigned kj = kind_of(t.cp[j]);
			if (j < i && !(kj & K_CLAUSE)) {
				clause_trigger |= (kj & K_TRIGGER) != 0;
				/* 方面 情况: a topic clause */
				topic |= j > from && ((t.cp[j - 1] == 0x65B9 && t.cp[j] == 0x9762) ||
				                      (t.cp[j - 1] == 0x60C5 && t.cp[j] == 0x51B5));
				continue;
			}
			if (j < i && t.cp[j] == ',' && j > 0 && is_digit(t.cp[j - 1]) && j + 1 < t.n && is_digit(t.cp[j + 1]))
				continue;   /* 1,234 */
			/* a clause that states nothing matters only as the topic of the next ones */
			if (j > clause && (clause_trigger || topic || j - clause <= 12))
				scan_clause(s, clause, j);
			clause = j + 1;
			clause_trigger = topic = false;
		}
		from = i + 1;
		s->topic_req = s->topic_doc = s->topic_doc_col = s->pending = -1;
		s->pending_recv = false;
	}
	cptext_free(&t);
	s->t = NULL;
}

/* ---- finding the sentences worth reading, on the bytes ---- */

static uint32_t
cp3(const unsigned char *u)
{
	return ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (uint32_t)(u[2] & 0x3F);
}

/* Does the character ending just before byte i end a sentence? (。！？；｡ ; ! ?, or a blank line) */
static bool
sentence_ends_before(const unsigned char *u, size_t i)
{
	if (i == 0)
		return true;
	unsigned char b = u[i - 1];
	if (b == ';' || b == '!' || b == '?')
		return true;
	if (i >= 3 && (u[i - 3] == 0xE3 || u[i - 3] == 0xEF)) {
		uint32_t c = cp3(u + i - 3);
		if (c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0xFF1B || c == 0xFF61)
			return true;
	}
	if (b == '\n') {
		/* a blank line */
		size_t k = i - 1;
		while (k > 0 && (u[k - 1] == ' ' || u[k - 1] == '\t' || u[k - 1] == '\r'))
			k--;
		return k == 0 || u[k - 1] == '\n';
	}
	return false;
}

/* may_end[b]: can a sentence end just after a byte b (sentence_ends_before)? ; ! ? or a line
 * end, or the last byte of 。！？；｡, whose top two bits cp3 does not look at. A byte this says
 * no to needs no closer look: the sentences around a claim are found several times faster. */
static bool may_end[256];

static void
may_end_init(void)
{
	static const uint32_t marks[] = {0x3002, 0xFF01, 0xFF1F, 0xFF1B, 0xFF61};
	for (unsigned b = 0; b < 256; b++)
		for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++)
			may_end[b] |= (b & 0x3F) == (marks[k] & 0x3F);
	may_end[';'] = may_end['!'] = may_end['?'] = may_end['\n'] = true;
}

static inline bool
ends_before(const unsigned char *u, size_t i)
{
	return may_end[u[i - 1]] && sentence_ends_before(u, i);
}

/* The code point of the character that ends just before byte i, 0 if none or not BMP. */
static uint32_t
cp_before(const unsigned char *u, size_t i)
{
	if (i == 0)
		return 0;
	if (u[i - 1] < 0x80)
		return u[i - 1];
	if (i >= 3 && u[i - 3] >= 0xE0 && u[i - 3] < 0xF0)
		return cp3(u + i - 3);
	if (i >= 2 && u[i - 2] >= 0xC0 && u[i - 2] < 0xE0)
		return ((uint32_t)(u[i - 2] & 0x1F) << 6) | (u[i - 1] & 0x3F);
	return 0;
}

static bool
is_unit_cp(uint32_t c)
{
	/* 件 次 宗 个 份 条 篇 起 例 元 ％ */
	return c == 0x4EF6 || c == 0x6B21 || c == 0x5B97 || c == 0x4E2A || c == 0x4EFD || c == 0x6761 || c == 0x7BC7 ||
	       c == 0x8D77 || c == 0x4F8B || c == 0x5143 || c == 0xFF05;
}

/* Could a claim be stated at byte i: a number right before a unit, or a negation? */
static bool
claim_candidate(const unsigned char *u, size_t i, size_t len)
{
	unsigned char b = u[i];
	uint32_t c;
	if (b == '%') {
		c = '%';
	} else if (b >= 0xE3 && b <= 0xEF && i + 2 < len) {
		c = cp3(u + i);
		/* 未 无 没 暂, 不存在 */
		if (c == 0x672A || c == 0x65E0 || c == 0x6CA1 || c == 0x6682)
			return true;
		if (c == 0x4E0D && i + 8 < len && cp3(u + i + 3) == 0x5B58 && cp3(u + i + 6) == 0x5728)
			return true;
		if (c == 0x4E07 && i + 5 < len && cp3(u + i + 3) == 0x5143)
			c = 0x5143;   /* 万元 */
		if (!is_unit_cp(c))
			return false;
	} else if (b == '0' && (i + 1 >= len || u[i + 1] < '0' || u[i + 1] > '9')) {
		/* 均为0 */
		uint32_t p = cp_before(u, i);
		return p == 0x4E3A || p == 0x662F;
	} else {
		return false;
	}
	/* back over spaces and one 余 or 多 to the number */
	size_t k = i;
	for (int guard = 0; guard < 8 && k > 0; guard++) {
		uint32_t p = cp_before(u, k);
		size_t w = p < 0x80 ? 1 : p < 0x800 ? 2 : 3;
		if (p == ' ' || p == '\t' || p == 0x3000 || p == 0xA0 || p == 0x4F59 || p == 0x591A)
			k -= w;
		else
			break;
	}
	uint32_t p = cp_before(u, k);
	return (p >= '0' && p <= '9') || (p >= 0xFF10 && p <= 0xFF19) || (p < 65536 && (kind[p] & K_NUMERAL));
}

size_t
claims_scan(const char *text, int year, struct claim **out)
{
	*out = NULL;
	if (!text || !*text)
		return 0;
	lex_init();
	const unsigned char *u = (const unsigned char *)text;
	size_t len = strlen(text);
	if (len > UINT32_MAX - 1)
		len = UINT32_MAX - 1;
	struct scanner s = {.year = year, .topic_req = -1, .topic_doc = -1, .topic_doc_col = -1, .pending = -1};
	/* only the sentences around a number with a unit or a negation are read closely: the
	 * bytes are looked at once, and a sentence ends at 。！？；, or at a blank line */
	size_t done = 0;
	for (size_t i = 0; (i = bytescan_set_next(&look, text, i, len)) < len; i++) {
		/* a character at a time, ASCII or three bytes (bytescan.h), to the next in look */
		if (!claim_candidate(u, i, len))
			continue;
		size_t from = i, to = i + 1;
		while (from > done && !ends_before(u, from))
			from--;
		while (to < len && !ends_before(u, to))
			to++;
		/* whole sentences up to the next end */
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

/* ---- against the table ---- */

struct qdef {
	const char *table;      /* the table's path */
	const char *row;        /* the row id, or the start of the row ids when star */
	bool star;              /* every row whose id starts with row */
	const char *col;        /* the column for a quantity without column choices, else NULL */
	const char *name;       /* for sums of several rows */
};

static const struct qdef qdefs[CLAIM_QUANTITY_COUNT] = {
	[CLAIM_NEW] = {"requests", "new", false, NULL, NULL},
	[CLAIM_CARRIED_IN] = {"requests", "carried_in", false, NULL, NULL},
	[CLAIM_GRANTED] = {"requests", "granted", false, NULL, NULL},
	[CLAIM_PARTIAL] = {"requests", "partial", false, NULL, NULL},
	[CLAIM_DENIED] = {"requests", "denied_", true, NULL, "（三）不予公开"},
	[CLAIM_UNAVAILABLE] = {"requests", "unavailable_", true, NULL, "（四）无法提供"},
	[CLAIM_UNHANDLED] = {"requests", "unhandled_", true, NULL, "（五）不予处理"},
	[CLAIM_OTHER] = {"requests", "other_", true, NULL, "（六）其他处理"},
	[CLAIM_CARRIED_OUT] = {"requests", "carried_out", false, NULL, NULL},
	[CLAIM_RULES] = {"proactive.art20_1", "rules", false, NULL, NULL},
	[CLAIM_NORMATIVE] = {"proactive.art20_1", "normative", false, NULL, NULL},
	[CLAIM_LICENSING] = {"proactive.art20_5", "licensing", false, "decisions", NULL},
	[CLAIM_PENALTY] = {"proactive.art20_6", "penalty", false, "decisions", NULL},
	[CLAIM_COERCION] = {"proactive.art20_6", "coercion", false, "decisions", NULL},
	[CLAIM_FEES] = {"proactive.art20_8", "fees", false, "amount", NULL},
	[CLAIM_REVIEW] = {"appeals", "review", false, "total", NULL},
	[CLAIM_LITIGATION] = {"appeals", "litigation_", true, "total", "行政诉讼"},
	[CLAIM_LIT_DIRECT] = {"appeals", "litigation_direct", false, "total", NULL},
	[CLAIM_LIT_AFTER] = {"appeals", "litigation_after_review", false, "total", NULL},
};

/* Column ids, alternatives separated by '|' (the first the template has wins), summed
 * columns by '+'. */
static const char *const col_ids[CLAIM_COLUMN_COUNT] = {
	[CLAIM_COL_TOTAL] = "total",
	[CLAIM_COL_NATURAL] = "natural",
	[CLAIM_COL_LEGAL_PERSONS] = "business+research+nonprofit+legal+other",
	[CLAIM_COL_BUSINESS] = "business",
	[CLAIM_COL_RESEARCH] = "research",
	[CLAIM_COL_NONPROFIT] = "nonprofit",
	[CLAIM_COL_LEGAL] = "legal",
	[CLAIM_COL_ISSUED] = "issued|made",
	[CLAIM_COL_REPEALED] = "repealed",
	[CLAIM_COL_IN_FORCE] = "in_force",
	[CLAIM_COL_PUBLISHED] = "published",
	[CLAIM_COL_PUBLIC_TOTAL] = "public_total",
};

/* The leaf of tree whose id is id[0, len), -1 if none. */
static int
leaf_of(const struct tpl_tree *tree, const char *id, size_t len)
{
	for (int i = 0; i < tree->leaf_count; i++) {
		const char *leaf = tree->nodes[tree->leaves[i]].id;
		if (leaf && !strncmp(leaf, id, len) && !leaf[len])
			return i;
	}
	return -1;
}

/* The cells of (q, col), up to max; returns how many, 0 when the template lacks them. */
static int
quantity_cells(const struct template *tpl, int q, int col, int *cells, int max)
{
	const struct qdef *d = &qdefs[q];
	if (d->col && col != CLAIM_COL_TOTAL)
		return 0;
	int tb = template_find_table(tpl, d->table);
	if (tb < 0)
		return 0;
	const struct tpl_table *table = &tpl->tables[tb];
	const char *choices = d->col ? d->col : col_ids[col];
	for (const char *alt = choices; alt;) {
		const char *bar = strchr(alt, '|');
		const char *alt_end = bar ? bar : alt + strlen(alt);
		int n = 0;
		bool missing = false;
		for (const char *part = alt; part < alt_end && !missing;) {
			const char *plus = memchr(part, '+', (size_t)(alt_end - part));
			const char *part_end = plus ? plus : alt_end;
			int c = leaf_of(&table->cols, part, (size_t)(part_end - part));
			if (c < 0) {
				missing = true;
				break;
			}
			int found = 0;
			if (d->star) {
				size_t plen = strlen(d->row);
				for (int r = 0; r < table->rows.leaf_count; r++) {
					const char *row = table->rows.nodes[table->rows.leaves[r]].id;
					if (!row || strncmp(row, d->row, plen))
						continue;
					if (n < max)
						cells[n++] = template_cell_at(tpl, tb, r, c);
					found++;
				}
			} else {
				int r = leaf_of(&table->rows, d->row, strlen(d->row));
				if (r >= 0 && n < max) {
					cells[n++] = template_cell_at(tpl, tb, r, c);
					found++;
				}
			}
			if (!found)
				missing = true;
			part = plus ? plus + 1 : alt_end;
		}
		if (!missing && n)
			return n;
		alt = bar ? bar + 1 : NULL;
	}
	return 0;
}

static bool
sum_cells(const struct value *cells, const int *ids, int n, struct value *sum)
{
	*sum = value_units(0);
	for (int i = 0; i < n; i++) {
		if (!cells[ids[i]].set)
			return false;
		sum->scaled += cells[ids[i]].scaled;
	}
	return true;
}

static int64_t
pow10i(int n)
{
	int64_t p = 1;
	while (n-- > 0)
		p *= 10;
	return p;
}

/* The stated count or amount as a cell value; false when a cell cannot hold it exactly. */
static bool
stated_value(const struct claim *claim, struct value *v)
{
	int64_t scale = VALUE_SCALE, div = pow10i(claim->decimals);
	if (claim->mantissa > INT64_MAX / scale)
		return false;
	int64_t x = claim->mantissa * scale;
	if (x % div)
		return false;
	*v = (struct value){x / div, true};
	return true;
}

enum claim_verdict
claims_verify(const struct template *tpl, const struct value *cells, const struct claim *claim, struct value *table,
              int *cell)
{
	int ids[64];
	int n = quantity_cells(tpl, claim->quantity, claim->column, ids, 64);
	if (!n || n == 64)
		return CLAIM_UNKNOWN;
	struct value sum;
	if (!sum_cells(cells, ids, n, &sum))
		return CLAIM_UNKNOWN;
	*cell = ids[0];
	if (claim->unit != CLAIM_UNIT_PERCENT) {
		struct value stated;
		if (!stated_value(claim, &stated))
			return CLAIM_UNKNOWN;
		*table = sum;
		return stated.scaled == sum.scaled ? CLAIM_AGREES : CLAIM_CONTRADICTS;
	}
	/* a share: of the results (（七）总计), of the new requests, or of all to handle */
	int bases[3][8], nb[3];
	nb[0] = quantity_cells(tpl, CLAIM_NEW, CLAIM_COL_TOTAL, bases[0], 8);
	int results = -1;
	int rt = template_find_table(tpl, "requests");
	if (rt >= 0) {
		int r = leaf_of(&tpl->tables[rt].rows, "results_total", strlen("results_total"));
		int c = leaf_of(&tpl->tables[rt].cols, "total", strlen("total"));
		if (r >= 0 && c >= 0)
			results = template_cell_at(tpl, rt, r, c);
	}
	bases[1][0] = results;
	nb[1] = results >= 0;
	nb[2] = nb[0];
	memcpy(bases[2], bases[0], sizeof bases[0]);
	int ci[8];
	int nci = quantity_cells(tpl, CLAIM_CARRIED_IN, CLAIM_COL_TOTAL, ci, 8);
	if (nci == 1 && nb[2] < 8)
		bases[2][nb[2]++] = ci[0];
	int64_t div = pow10i(claim->decimals);
	bool any = false;
	int64_t best = -1, best_diff = INT64_MAX;
	for (int b = 0; b < 3; b++) {
		struct value base;
		if (!nb[b] || !sum_cells(cells, bases[b], nb[b], &base) || base.scaled <= 0)
			continue;
		any = true;
		/* share in units of 10^-decimals percent, rounded half up */
		int64_t share = (sum.scaled * 100 * div * 2 + base.scaled) / (base.scaled * 2);
		/* accept rounding or truncation of the exact share */
		int64_t trunc = sum.scaled * 100 * div / base.scaled;
		int64_t diff = claim->mantissa > share ? claim->mantissa - share : share - claim->mantissa;
		if (claim->mantissa == share || claim->mantissa == trunc)
			diff = 0;
		if (diff < best_diff) {
			best_diff = diff;
			best = share;
		}
	}
	if (!any)
		return CLAIM_UNKNOWN;
	/* the share as a value: best / 10^decimals percent */
	int64_t scale = VALUE_SCALE;
	table->set = true;
	table->scaled = best * scale / div;
	return best_diff == 0 ? CLAIM_AGREES : CLAIM_CONTRADICTS;
}

char *
claims_describe(const struct template *tpl, const struct claim *claim)
{
	int ids[64];
	int n = quantity_cells(tpl, claim->quantity, claim->column, ids, 64);
	if (n <= 0)
		return xstrdup("?");
	const struct tpl_cell *c = &tpl->cells[ids[0]];
	const struct tpl_table *table = &tpl->tables[c->table];
	const char *col = table->cols.nodes[table->cols.leaves[c->col]].label;
	if (claim->column == CLAIM_COL_LEGAL_PERSONS)
		col = "法人或其他组织";
	const struct qdef *d = &qdefs[claim->quantity];
	if (n == 1 || !d->name) {
		if (n == 1)
			return cell_describe(tpl, ids[0]);
		const char *row = table->rows.nodes[table->rows.leaves[c->row]].label;
		return xasprintf("%s / %s", row, col);
	}
	return xasprintf("%s / %s", d->name, col);
}

void
claims_format_stated(const struct claim *claim, char *buf, size_t size)
{
	int64_t div = pow10i(claim->decimals);
	int64_t whole = claim->mantissa / div, frac = claim->mantissa % div;
	int dec = claim->decimals;
	while (dec > 0 && frac % 10 == 0) {
		frac /= 10;
		dec--;
	}
	const char *pct = claim->unit == CLAIM_UNIT_PERCENT ? "%" : "";
	if (dec)
		snprintf(buf, size, "%lld.%0*lld%s", (long long)whole, dec, (long long)frac, pct);
	else
		snprintf(buf, size, "%lld%s", (long long)whole, pct);
}
