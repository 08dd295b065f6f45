#include <config.h>

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nianbao/docread.h"
#include "nianbao/i18n.h"
#include "nianbao/import.h"
#include "nianbao/strbuf.h"
#include "nianbao/utf8.h"
#include "nianbao/width.h"

/* ---- text helpers ---- */

static bool
is_space_cp(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\f' || cp == '\v' || cp == 0x3000 || cp == 0xA0 || cp == 0xFEFF ||
	       (cp >= 0x2000 && cp <= 0x200B);
}

/* The form in which labels are compared: no spaces of any kind, halfwidth punctuation as
 * fullwidth, fullwidth digits, letters, signs and full stops as ASCII. */
static char *
norm(const char *s, size_t len)
{
	struct strbuf b = {0};
	strbuf_add(&b, "", 0);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		i += utf8_decode(s + i, len - i, &cp);
		if (is_space_cp(cp))
			continue;
		if (cp >= 0xFF10 && cp <= 0xFF19)
			cp = '0' + (cp - 0xFF10);
		else if ((cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A))
			cp -= 0xFEE0;
		else if (cp == 0xFF0E)
			cp = '.';
		else if (cp == 0xFF0B)
			cp = '+';
		else if (cp == 0xFF0D || cp == 0x2212)
			cp = '-';
		else if (cp == 0xFF0F)
			cp = '/';
		else if (cp == '(')
			cp = 0xFF08;
		else if (cp == ')')
			cp = 0xFF09;
		else if (cp == ',')
			cp = 0xFF0C;
		else if (cp == ':')
			cp = 0xFF1A;
		else if (cp == ';')
			cp = 0xFF1B;
		strbuf_cp(&b, cp);
	}
	return b.s;
}

static char *norm_str(const char *s) { return norm(s, strlen(s)); }

static bool
starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Number of characters (not bytes) of a UTF-8 string. */
static size_t
char_count(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* ---- lines ---- */

struct line {
	const char *s;
	size_t len;
};

struct lines {
	struct line *v;
	int count;
	char *owned;
};

static void
split_lines(struct lines *ls, char *text, size_t len)
{
	ls->v = NULL;
	ls->count = 0;
	size_t start = 0;
	int cap = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n')
			continue;
		size_t end = i;
		if (end > start && text[end - 1] == '\r')
			end--;
		if (ls->count == cap) {
			cap = cap ? cap * 2 : 256;
			ls->v = xrealloc(ls->v, (size_t)cap * sizeof *ls->v);
		}
		ls->v[ls->count++] = (struct line){text + start, end - start};
		start = i + 1;
	}
}

static bool
is_blank_line(struct line l)
{
	for (size_t i = 0; i < l.len;) {
		uint32_t cp;
		i += utf8_decode(l.s + i, l.len - i, &cp);
		if (!is_space_cp(cp))
			return false;
	}
	return true;
}

/* Extraction debris that is never content: images and bookmarks on their own, page
 * numbers ("3" outside tables, "- 3 -", "第3页", "第 3 页 共 9 页"), the 草稿 mark of a
 * forced render, and table border lines of a rendered report. */
static bool
is_debris(struct line l, bool in_table)
{
	char *n = norm(l.s, l.len);
	bool debris = false;
	size_t len = strlen(n);
	if ((starts_with(n, "[image") || starts_with(n, "[bookmark") || starts_with(n, "[picture")) && n[len - 1] == ']')
		debris = true;
	else if (!strcmp(n, "【草稿】"))
		debris = true;
	else if (len > 0) {
		/* a page number, bare or with dashes, or 第N页 (共M页) */
		char *p = n;
		while (*p == '-' || starts_with(p, "—") || starts_with(p, "–"))
			p += *p == '-' ? 1 : strlen("—");
		char *digits = p;
		while (*p >= '0' && *p <= '9')
			p++;
		bool had = p > digits && p - digits <= 3;
		char *after = p;
		while (*p == '-' || starts_with(p, "—") || starts_with(p, "–"))
			p += *p == '-' ? 1 : strlen("—");
		bool dashed = digits > n && p > after;   /* "- 3 -", not "-1" */
		/* in a table a bare number is a cell, not a page number */
		if (had && !*p && (dashed || !in_table))
			debris = true;
		if (starts_with(n, "第") && strstr(n, "页") && char_count(n) <= 12) {
			debris = true;
			for (char *q = n + strlen("第"); *q && !starts_with(q, "页"); q++)
				if (!(*q >= '0' && *q <= '9'))
					debris = false;
		}
		/* a border line: only + - = | and box-drawing characters */
		bool border = true;
		for (size_t i = 0; i < len && border;) {
			uint32_t cp;
			i += utf8_decode(n + i, len - i, &cp);
			border = cp == '+' || cp == '-' || cp == '=' || cp == '|' || (cp >= 0x2500 && cp <= 0x257F);
		}
		if (border && (strchr(n, '+') || strstr(n, "─") || strstr(n, "┼") || strstr(n, "┌") || strstr(n, "└")))
			debris = true;
	}
	free(n);
	return debris;
}

/* A line without the marks that are never text: inline "[bookmark: …]" and "[image: …]"
 * markers, Markdown heading marks ("## ") and bold ("**"). Returns a malloc'd copy. */
static char *
strip_markers(struct line l)
{
	struct strbuf b = {0};
	strbuf_add(&b, "", 0);
	size_t i = 0;
	while (i < l.len && (l.s[i] == ' ' || l.s[i] == '\t'))
		strbuf_add(&b, l.s + i++, 1);
	size_t hashes = i;
	while (hashes < l.len && l.s[hashes] == '#')
		hashes++;
	if (hashes > i && hashes - i <= 6 && (hashes == l.len || l.s[hashes] == ' '))
		i = hashes;
	while (i < l.len) {
		if (l.s[i] == '[' && (l.len - i > 7) &&
		    (!strncmp(l.s + i, "[bookmark:", 10 < l.len - i ? 10 : l.len - i) || !strncmp(l.s + i, "[image:", 7))) {
			const char *close = memchr(l.s + i, ']', l.len - i);
			if (close) {
				i = (size_t)(close - l.s) + 1;
				continue;
			}
		}
		if (l.s[i] == '*' && i + 1 < l.len && l.s[i + 1] == '*') {
			i += 2;
			continue;
		}
		strbuf_add(&b, l.s + i, 1);
		i++;
	}
	return b.s;
}

static char *strip_markdown(struct line l) { return strip_markers(l); }

static char *line_norm(struct line l);

/* ---- section headings ---- */

static const char *const section_numerals[6] = {"一", "二", "三", "四", "五", "六"};
static const char *const heading_words[6][5] = {
	{"总体情况", "基本情况", "概述", NULL},
	{"主动公开", NULL},
	{"收到和处理", "依申请公开", NULL},
	{"行政复议", "行政诉讼", NULL},
	{"存在的主要问题", "问题及改进", "主要问题", "改进情况", NULL},
	{"其他需要报告", "其他需报告", "需要报告的其他", "其他事项", NULL},
};

/* Whether a line is the heading of section (0 for 一): its numeral as 一、 一. 一． 一, (a
 * space, gone once normalised) or 第一部分, in Markdown or bold or not, then words of that
 * section. loose also accepts （一）, which reports use for sub-headings too, so it is
 * tried only for a section not found otherwise. */
static bool
is_heading(struct line l, int section, bool loose)
{
	char *n = line_norm(l);
	const char *num = section_numerals[section];
	const char *p = n, *rest = NULL;
	if (starts_with(p, num)) {
		p += strlen(num);
		if (starts_with(p, "、") || starts_with(p, "，") || starts_with(p, "："))
			rest = p + 3;
		else if (*p == '.')
			rest = p + 1;
		else
			rest = p;   /* "一 总体情况" */
	} else if (starts_with(p, "第") && starts_with(p + 3, num) &&
	           (starts_with(p + 6, "部分") || starts_with(p + 6, "章") || starts_with(p + 6, "节"))) {
		rest = p + 6 + (starts_with(p + 6, "部分") ? 6 : 3);
		if (starts_with(rest, "、") || starts_with(rest, "：") || starts_with(rest, "，"))
			rest += 3;
	} else if (loose && starts_with(p, "（") && starts_with(p + 3, num) && starts_with(p + 6, "）")) {
		rest = p + 9;
	}
	bool yes = false;
	if (rest && char_count(n) <= 40) {
		/* a numeral run on with the words ("一总体情况") must start with them */
		bool direct = rest == p && !starts_with(n, "第");
		for (int w = 0; heading_words[section][w] && !yes; w++)
			yes = direct ? starts_with(rest, heading_words[section][w]) ||
			                       (starts_with(rest, "政府信息公开") && strstr(rest, heading_words[section][w]))
			             : strstr(rest, heading_words[section][w]) != NULL;
		/* the numeral must not be the start of a longer one (一 of 一二三) or a number row */
		if (yes && direct && section == 0 && starts_with(rest, "、"))
			yes = false;
	}
	free(n);
	return yes;
}

/* The six headings, in order (-1 for one not found), heading[6] = the end; returns how
 * many were found. A section missing in the strict reading is looked for, loosely,
 * between its neighbours. */
static int
find_headings(const struct lines *ls, int heading[7])
{
	int found = 0, from = 0;
	for (int s = 0; s < 6; s++) {
		heading[s] = -1;
		for (int i = from; i < ls->count; i++)
			if (is_heading(ls->v[i], s, false)) {
				heading[s] = i;
				from = i + 1;
				found++;
				break;
			}
	}
	heading[6] = ls->count;
	for (int s = 0; s < 6; s++) {
		if (heading[s] >= 0)
			continue;
		int lo = 0, hi = ls->count;
		for (int k = s - 1; k >= 0; k--)
			if (heading[k] >= 0) {
				lo = heading[k] + 1;
				break;
			}
		for (int k = s + 1; k < 6; k++)
			if (heading[k] >= 0) {
				hi = heading[k];
				break;
			}
		for (int i = lo; i < hi; i++)
			if (is_heading(ls->v[i], s, true)) {
				heading[s] = i;
				found++;
				break;
			}
	}
	return found;
}

/* ---- tokens ---- */

enum tok_kind { TOK_TEXT, TOK_EMPTY, TOK_BREAK };

struct token {
	enum tok_kind kind;
	char *text;       /* normalised */
	char *raw;        /* as printed (trimmed), for notes */
	int line;         /* index into the lines */
	bool spaced;      /* from a line whose cells are separated by spaces only */
	bool lead_tab;    /* first cell of a line that began with a tab (an indent, or an empty cell) */
	bool trail_tab;   /* last cell of a line that ended with a tab (the row's end, or an empty cell) */
	int col0, col1;   /* spaced: the display columns it takes on its line, [col0, col1) */
};

struct tokens {
	struct token *v;
	int count, cap;
};

static void
tok_add(struct tokens *ts, enum tok_kind kind, const char *s, size_t n, int line)
{
	if (ts->count == ts->cap) {
		ts->cap = ts->cap ? ts->cap * 2 : 256;
		ts->v = xrealloc(ts->v, (size_t)ts->cap * sizeof *ts->v);
	}
	ts->v[ts->count++] = (struct token){kind, kind == TOK_TEXT ? norm(s, n) : NULL,
	                                    kind == TOK_TEXT ? xstrndup(s, n) : NULL, line, false, false, false, 0, 0};
}

static void
tokens_free(struct tokens *ts)
{
	for (int i = 0; i < ts->count; i++) {
		free(ts->v[i].text);
		free(ts->v[i].raw);
	}
	free(ts->v);
	memset(ts, 0, sizeof *ts);
}

/* ---- numbers ---- */

enum cellread { READ_NONE, READ_NUMBER, READ_DASH };

static bool
is_dash(const char *t)
{
	static const char *const dashes[] = {"—", "——", "-", "--", "/", "／", "－", "–", "无", "\\", "×"};
	for (size_t i = 0; i < sizeof dashes / sizeof *dashes; i++)
		if (!strcmp(t, dashes[i]))
			return true;
	return false;
}

/* Units a printed value may carry. Money units convert to the form's 万元: value in 万元 =
 * printed * mul / div. Count units are dropped. */
enum unit { UNIT_NONE, UNIT_YUAN, UNIT_WAN, UNIT_YI, UNIT_COUNT };

static const struct {
	const char *text;
	enum unit unit;
} unit_words[] = {
	{"万元", UNIT_WAN}, {"亿元", UNIT_YI}, {"元", UNIT_YUAN}, {"万", UNIT_WAN}, {"亿", UNIT_YI},
	{"人次", UNIT_COUNT}, {"件", UNIT_COUNT}, {"个", UNIT_COUNT}, {"条", UNIT_COUNT},
	{"项", UNIT_COUNT}, {"次", UNIT_COUNT}, {"家", UNIT_COUNT}, {"起", UNIT_COUNT}, {"份", UNIT_COUNT},
};

/* Strips a unit (also in brackets: "0（件）") from the end of normalised text t (n bytes);
 * returns the new length. */
static size_t
strip_unit(const char *t, size_t n, enum unit *unit)
{
	*unit = UNIT_NONE;
	bool bracket = n > 6 && !strcmp(t + n - 3, "）");
	size_t end = bracket ? n - 3 : n;
	for (size_t i = 0; i < sizeof unit_words / sizeof *unit_words; i++) {
		size_t u = strlen(unit_words[i].text);
		if (end > u && !memcmp(t + end - u, unit_words[i].text, u)) {
			size_t start = end - u;
			if (bracket) {
				if (start < 3 || memcmp(t + start - 3, "（", 3))
					continue;
				start -= 3;
			}
			*unit = unit_words[i].unit;
			return start;
		}
	}
	return n;
}

/* Removes thousands separators ("1，234，567" once normalised) when they group digits by
 * three; returns false (text unchanged) when commas are there but misplaced. */
static bool
strip_thousands(char *t, bool *had)
{
	*had = false;
	if (!strstr(t, "，"))
		return true;
	const char *p = t;
	if (*p == '-' || *p == '+')
		p++;
	int lead = 0;
	while (p[lead] >= '0' && p[lead] <= '9')
		lead++;
	if (lead < 1 || lead > 3)
		return false;
	const char *q = p + lead;
	while (!strncmp(q, "，", 3)) {
		for (int k = 3; k < 6; k++)
			if (!(q[k] >= '0' && q[k] <= '9'))
				return false;
		q += 6;
	}
	if (*q && *q != '.')
		return false;
	for (q = q + strlen(q); *q; q++)
		;
	char *w = t;
	for (const char *r = t; *r;) {
		if (!strncmp(r, "，", 3)) {
			r += 3;
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
	*had = true;
	return true;
}

struct reading {
	enum cellread kind;
	struct value v;
	bool range;          /* well formed but out of range for the cell */
	bool bad;            /* text that looks like a value but cannot be read exactly */
	enum unit unit;      /* the unit printed with it (after a table's default) */
	bool thousands;      /* "1,234" */
};

/* Reads a printed value for a cell of type, in the form's unit (万元 for money). A value
 * whose unit is 元 or 亿元 is converted exactly, or is bad when it cannot be. */
static struct reading
read_value(const char *t, enum value_type type, enum unit table_unit)
{
	struct reading r = {READ_NONE, value_blank(), false, false, UNIT_NONE, false};
	if (is_dash(t)) {
		r.kind = READ_DASH;
		return r;
	}
	char tmp[96];
	size_t n = strlen(t);
	if (n >= sizeof tmp)
		return r;
	memcpy(tmp, t, n + 1);
	n = strip_unit(tmp, n, &r.unit);
	tmp[n] = '\0';
	if (!strip_thousands(tmp, &r.thousands)) {
		r.bad = true;
		return r;
	}
	const char *p = tmp;
	if (*p == '+')
		p++;
	if (!*p)
		return r;
	for (const char *q = p; *q; q++)
		if (!((*q >= '0' && *q <= '9') || *q == '.' || (q == p && *q == '-')))
			return r;
	enum unit unit = r.unit == UNIT_NONE ? table_unit : r.unit;
	bool money = unit == UNIT_YUAN || unit == UNIT_WAN || unit == UNIT_YI;
	if (money && type != VALUE_MONEY) {
		r.bad = true;    /* an amount of money in a count cell */
		return r;
	}
	if (type == VALUE_MONEY && (unit == UNIT_YUAN || unit == UNIT_YI)) {
		/* read in the printed unit, exactly: 元 has at most 2 decimals (the fen) */
		struct value printed;
		enum value_error err = value_parse(p, strlen(p), VALUE_MONEY, &printed);
		if (err != VALUE_OK && err != VALUE_ERR_TOO_LARGE) {
			r.bad = true;
			return r;
		}
		if (err == VALUE_ERR_TOO_LARGE && unit == UNIT_YI) {
			r.bad = true;
			return r;
		}
		if (unit == UNIT_YUAN) {
			/* the printed number may exceed the form's limit in 元 but not in 万元 */
			int64_t units = 0, frac = 0;
			int fd = 0;
			const char *q = p;
			for (; *q && *q != '.'; q++) {
				units = units * 10 + (*q - '0');
				if (units > INT64_C(99999999999999))
					break;
			}
			if (*q && *q != '.') {
				r.bad = true;
				return r;
			}
			if (*q == '.')
				for (q++; *q; q++, fd++) {
					if (fd >= 2) {
						if (*q != '0') {
							r.bad = true;   /* below the fen: cannot be exact */
							return r;
						}
						continue;
					}
					frac = frac * 10 + (*q - '0');
				}
			for (; fd < 2; fd++)
				frac *= 10;
			/* fen -> 万元 at 6 decimals: 1 fen = 0.000001 万元 */
			int64_t fen = units * 100 + frac;
			r.v = (struct value){fen, true};
		} else {
			int64_t scaled;
			if (__builtin_mul_overflow(printed.scaled, (int64_t)10000, &scaled)) {
				r.bad = true;
				return r;
			}
			r.v = (struct value){scaled, true};
		}
		r.range = value_check_range(r.v, VALUE_MONEY) != VALUE_OK;
		r.kind = READ_NUMBER;
		r.unit = unit;
		return r;
	}
	enum value_error err = value_parse_lenient(p, strlen(p), type, &r.v);
	if (err == VALUE_ERR_SYNTAX) {
		r.bad = true;
		r.v = value_blank();
		return r;
	}
	r.range = err != VALUE_OK;
	r.kind = READ_NUMBER;
	return r;
}

/* Whether normalised text is a value of some kind (a number, perhaps with a unit). */
static bool
numeric_text(const char *t)
{
	return read_value(t, VALUE_MONEY, UNIT_NONE).kind != READ_NONE ||
	       read_value(t, VALUE_SIGNED, UNIT_NONE).kind != READ_NONE;
}

/* Text that stands where a value should: it starts like a number ("1,2x4", "0（件）"
 * unreadable), but is not a row label ("1.属于国家秘密", "3、其他"). */
static bool
cell_like_text(const char *t)
{
	const char *p = t;
	if (*p == '+' || *p == '-')
		p++;
	if (!(*p >= '0' && *p <= '9') && *p != '.')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if ((*p == '.' || !strncmp(p, "、", 3)) && !(p[*p == '.' ? 1 : 3] >= '0' && p[*p == '.' ? 1 : 3] <= '9'))
		return false;    /* an ordinal */
	return true;
}

static bool
looks_numeric(const struct token *t)
{
	return t->kind == TOK_TEXT && (numeric_text(t->text) || cell_like_text(t->text));
}

/* ---- table tokens ---- */

static bool
is_unit_word(const char *s, size_t n)
{
	char *t = norm(s, n);
	bool yes = false;
	for (size_t i = 0; i < sizeof unit_words / sizeof *unit_words && !yes; i++)
		yes = !strcmp(t, unit_words[i].text);
	free(t);
	return yes;
}

static bool
is_number_word(const char *s, size_t n)
{
	char *t = norm(s, n);
	bool yes = *t && (numeric_text(t) || cell_like_text(t));
	free(t);
	return yes;
}

struct word {
	const char *s;
	size_t n;
	int gap;       /* display columns of space before it (2 for a full-width space) */
};

/* Splits s at whitespace of every kind. */
static int
split_words(const char *s, size_t len, struct word **out)
{
	int count = 0, cap = 0, gap = 0;
	*out = NULL;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, len - i, &cp);
		if (!k)
			k = 1;
		if (is_space_cp(cp)) {
			gap += cp == 0x3000 || cp == '\t' ? 2 : 1;
			i += k;
			continue;
		}
		size_t start = i;
		while (i < len) {
			size_t m = utf8_decode(s + i, len - i, &cp);
			if (!m)
				m = 1;
			if (is_space_cp(cp))
				break;
			i += m;
		}
		if (count == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, (size_t)cap * sizeof **out);
		}
		(*out)[count++] = (struct word){s + start, i - start, gap};
		gap = 0;
	}
	return count;
}

/* Adds the cells of a piece of a line. A number never crosses whitespace: every number
 * is a cell of its own (with a unit right after it: "19.7 万"), and the text between
 * numbers is one cell, or several where wide gaps separate it (space-aligned columns). */
static void
add_piece(struct tokens *ts, const char *s, size_t n, int index, bool spaced)
{
	struct word *w;
	int count = split_words(s, n, &w);
	if (!count) {
		tok_add(ts, TOK_EMPTY, NULL, 0, index);
		free(w);
		return;
	}
	int numbers = 0;
	for (int i = 0; i < count; i++)
		numbers += is_number_word(w[i].s, w[i].n);
	if (!spaced && numbers <= 1) {
		/* one cell: "19.7 万", "1. 属于国家秘密", "（二）部分公开 （区分…" */
		const char *end = w[count - 1].s + w[count - 1].n;
		tok_add(ts, TOK_TEXT, w[0].s, (size_t)(end - w[0].s), index);
		ts->v[ts->count - 1].spaced = spaced;
		free(w);
		return;
	}
	for (int i = 0; i < count;) {
		int j = i + 1;
		if (is_number_word(w[i].s, w[i].n)) {
			if (j < count && w[j].gap <= 1 && is_unit_word(w[j].s, w[j].n))
				j++;
		} else {
			while (j < count && !is_number_word(w[j].s, w[j].n) && (w[j].gap <= 1 || !spaced))
				j++;
		}
		const char *end = w[j - 1].s + w[j - 1].n;
		tok_add(ts, TOK_TEXT, w[i].s, (size_t)(end - w[i].s), index);
		struct token *t = &ts->v[ts->count - 1];
		t->spaced = spaced;
		t->col0 = (int)width_of_utf8(s, (size_t)(w[i].s - s));
		t->col1 = t->col0 + (int)width_of_utf8(w[i].s, (size_t)(end - w[i].s));
		i = j;
	}
	free(w);
}

/* A Markdown table's rule line (|---|:--|) or a line of only bars. */
static bool
is_rule_line(struct line l)
{
	bool bar = false;
	for (size_t i = 0; i < l.len; i++) {
		char c = l.s[i];
		if (c == '|')
			bar = true;
		else if (c != '-' && c != ':' && c != ' ' && c != '\t')
			return false;
	}
	return bar;
}

/* Cells of a line: split at tabs (a leading tab only indents a cell of its own line), at
 * the bars of a rendered or Markdown table, or, in a line without either, at whitespace
 * (space-aligned columns). Markdown heading marks and bold are dropped. A blank line is a
 * break. */
static void
tokenize_line(struct tokens *ts, struct line l, int index)
{
	if (is_blank_line(l) && !memchr(l.s, '\t', l.len)) {
		tok_add(ts, TOK_BREAK, NULL, 0, index);
		return;
	}
	if (is_debris(l, true) || is_rule_line(l))
		return;
	char *clean = strip_markdown(l);
	const char *s = clean, *end = clean + strlen(clean);
	const char *lead = s;
	while (lead < end && *lead == ' ')
		lead++;
	bool bars = lead < end && (*lead == '|' || (end - lead >= 3 && !memcmp(lead, "│", 3)));
	if (bars) {
		/* | cell | cell | … |: the pieces between the bars */
		s = lead;
		while (s < end) {
			const char *next = s;
			while (next < end && *next != '|' && !(end - next >= 3 && !memcmp(next, "│", 3)))
				next++;
			if (next > lead && s < next)
				add_piece(ts, s, (size_t)(next - s), index, false);
			if (next >= end)
				break;
			s = next + (*next == '|' ? 1 : 3);
			if (s >= end)
				break;
		}
		free(clean);
		return;
	}
	if (!memchr(s, '\t', (size_t)(end - s))) {
		add_piece(ts, s, (size_t)(end - s), index, true);
		free(clean);
		return;
	}
	bool lead_tab = *s == '\t';
	if (lead_tab)
		s++;   /* a leading tab indents the cell of a cell-per-line extraction */
	int first = ts->count;
	for (;;) {
		const char *tab = memchr(s, '\t', (size_t)(end - s));
		const char *stop = tab ? tab : end;
		add_piece(ts, s, (size_t)(stop - s), index, false);
		if (!tab)
			break;
		s = tab + 1;
	}
	/* a tab that ends the line ends the row; it adds no empty cell */
	if (ts->count - first > 1 && end > clean && end[-1] == '\t' && ts->v[ts->count - 1].kind == TOK_EMPTY) {
		ts->count--;
		ts->v[ts->count - 1].trail_tab = true;
	}
	if (lead_tab && ts->count > first)
		ts->v[first].lead_tab = true;
	free(clean);
}

/* ---- the parse ---- */

struct importer {
	const struct template *tpl;
	struct draft *draft;
	struct import_summary *sum;
	struct value *printed;     /* printed values of computed cells */
	bool *read;                /* input cells given a value or a dash */
};

static void
note(struct importer *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
note(struct importer *im, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (!msg)
		return;
	struct import_summary *s = im->sum;
	s->notes = xrealloc(s->notes, (size_t)(s->note_count + 1) * sizeof *s->notes);
	s->notes[s->note_count++] = msg;
}

/* The byte length of an ordinal at the start of normalised text: 一、 （一） 1. 1、 第一 */
static size_t
ordinal_len(const char *s)
{
	static const char *const cjk_digits[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
	const char *p = s;
	bool bracket = !strncmp(p, "（", 3);
	if (bracket)
		p += 3;
	const char *digits = p;
	for (;;) {
		if (*p >= '0' && *p <= '9') {
			p++;
			continue;
		}
		bool cjk = false;
		for (size_t i = 0; i < 10 && !cjk; i++)
			if (!strncmp(p, cjk_digits[i], 3)) {
				p += 3;
				cjk = true;
			}
		if (!cjk)
			break;
	}
	if (p == digits || p - digits > 6)
		return 0;
	if (bracket)
		return !strncmp(p, "）", 3) ? (size_t)(p + 3 - s) : 0;
	if (*p == '.')
		return (size_t)(p + 1 - s);
	if (!strncmp(p, "、", 3) || !strncmp(p, "，", 3))
		return (size_t)(p + 3 - s);
	return 0;
}

/* A label as compared: the ordinal apart, and 、 read as ，(OCR and PDFs mix them). */
struct label_key {
	char ord[32];
	char *rest;
};

static struct label_key
label_key(const char *s)
{
	struct label_key k = {{0}, NULL};
	size_t o = ordinal_len(s);
	if (o < sizeof k.ord) {
		memcpy(k.ord, s, o);
		k.ord[o] = '\0';
		/* 1. and 1、 are the same ordinal */
		size_t ol = strlen(k.ord);
		if (ol >= 3 && !strcmp(k.ord + ol - 3, "、"))
			strcpy(k.ord + ol - 3, ".");
		else if (ol >= 3 && !strcmp(k.ord + ol - 3, "，"))
			strcpy(k.ord + ol - 3, ".");
	} else {
		o = 0;
	}
	struct strbuf b = {0};
	strbuf_add(&b, "", 0);
	for (const char *p = s + o; *p;) {
		if (!strncmp(p, "、", 3)) {
			strbuf_add(&b, "，", 3);
			p += 3;
		} else {
			strbuf_add(&b, p, 1);
			p++;
		}
	}
	k.rest = b.s;
	return k;
}

/* Whether candidate (a normalised cell, or cells joined) is the label: 3 the same (the
 * ordinal may be missing: "予以公开" for "（一）予以公开"), 2 the label with a printed note
 * after it, 1 the start of a label that wrapped, or the same ordinal with a misprint
 * further on ("2.其他法律行政止公开"). */
static int
label_match(const char *candidate, const char *label)
{
	if (!strcmp(candidate, label))
		return 3;
	struct label_key c = label_key(candidate), l = label_key(label);
	int m = 0;
	bool ords = c.ord[0] && l.ord[0];
	if (ords && strcmp(c.ord, l.ord))
		goto out;
	if (!*c.rest || !*l.rest)
		goto out;
	if (!strcmp(c.rest, l.rest) && (ords || char_count(l.rest) >= 3)) {
		m = 3;
		goto out;
	}
	size_t ln = strlen(l.rest);
	if (starts_with(c.rest, l.rest) && (char_count(l.rest) >= 5 || starts_with(c.rest + ln, "（"))) {
		m = 2;
		goto out;
	}
	if (starts_with(l.rest, c.rest) && char_count(c.rest) >= 5) {
		m = 1;
		goto out;
	}
	if (ords) {
		size_t common = 0, chars = 0;
		while (c.rest[common] && c.rest[common] == l.rest[common])
			common++;
		while (common > 0 && ((unsigned char)c.rest[common] & 0xC0) == 0x80)
			common--;
		for (size_t i = 0; i < common; i++)
			chars += ((unsigned char)c.rest[i] & 0xC0) != 0x80;
		if (chars >= 4)
			m = 1;
	}
out:
	free(c.rest);
	free(l.rest);
	return m;
}

/* A space-aligned cell without the stray words before it: the characters of a row group's
 * label printed down the page ("三", "本", "不予公", "（四）") land, one a line, in front of
 * the row labels beside them ("三 （一）予以公开", "无法提 2.没有现成信息需要另行制作").
 * Drops up to two leading words of at most three characters each, separated by spaces
 * from the rest; returns the normalised rest (malloc'd), or NULL when there is none. */
static char *
without_strays(const struct token *t)
{
	if (!t->spaced || !t->raw)
		return NULL;
	const char *p = t->raw;
	bool dropped = false;
	for (int w = 0; w < 2; w++) {
		const char *q = p;
		int chars = 0;
		while (*q && *q != ' ' && *q != '\t') {
			chars += ((unsigned char)*q & 0xC0) != 0x80;
			q++;
		}
		if (!*q || chars > 3)
			break;
		while (*q == ' ' || *q == '\t')
			q++;
		if (!*q)
			break;
		p = q;
		dropped = true;
	}
	return dropped ? norm_str(p) : NULL;
}

/* The label's match joining up to three cells from token i: the cells as printed, or (with
 * strays set) each without its stray words. *end is the token after the best match. */
static int
match_from(const struct tokens *ts, int i, int to, const char *label, bool strays, int *end)
{
	struct strbuf b = {0};
	strbuf_add(&b, "", 0);
	int best = 0;
	bool any = false;
	*end = -1;
	for (int k = i; k < to && k < i + 3 && ts->v[k].kind == TOK_TEXT && !looks_numeric(&ts->v[k]); k++) {
		char *bare = strays ? without_strays(&ts->v[k]) : NULL;
		any |= bare != NULL;
		const char *text = bare ? bare : ts->v[k].text;
		strbuf_add(&b, text, strlen(text));
		free(bare);
		if (strays && !any)
			continue;   /* the same as without strays */
		int m = label_match(b.s, label);
		/* a label wrapped over lines: the longest run of cells that starts it, so that the
		 * values beside its second line are read ("…逾期不补正、" / "行政机关不再处理… 1 0 0") */
		if (m > best || (m == 1 && best == 1 && starts_with(label, b.s))) {
			best = m;
			*end = k + 1;
		}
		if (m == 3)
			break;
	}
	free(b.s);
	return best;
}

/* Finds the label among the tokens from `from`, joining up to three cells (labels broken
 * over lines or cells), each as printed or without stray words before it: an exact match
 * anywhere before `to` wins over a partial one. Returns the token after the label, or -1;
 * *label_at is the label's first token. */
static int
find_label(const struct tokens *ts, int from, int to, const char *label, int *label_at)
{
	int weak = -1, weak_at = -1;
	for (int i = from; i < to; i++) {
		if (ts->v[i].kind != TOK_TEXT || looks_numeric(&ts->v[i]))
			continue;
		int best_end, best = match_from(ts, i, to, label, false, &best_end);
		if (best < 3 && ts->v[i].spaced) {
			int end2, m2 = match_from(ts, i, to, label, true, &end2);
			if (m2 > best) {
				best = m2;
				best_end = end2;
			}
		}
		if (best >= 2) {
			*label_at = i;
			return best_end;
		}
		if (best == 1 && weak < 0) {
			weak = best_end;
			weak_at = i;
		}
	}
	*label_at = weak_at;
	return weak;
}

/* A cell of nothing but what a group label printed down the page leaves on a line: one or
 * two words, each a single character or a bracketed ordinal ("结", "结 （三）"), never a
 * word such as 小计 or 1. that could label values of its own. */
static bool
is_stray(const struct token *t)
{
	if (t->kind != TOK_TEXT || !t->spaced || !t->raw || looks_numeric(t))
		return false;
	int words = 0;
	for (const char *p = t->raw; *p;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		const char *q = p;
		while (*q && *q != ' ' && *q != '\t')
			q++;
		char *w = norm(p, (size_t)(q - p));
		bool ok = char_count(w) == 1 || (starts_with(w, "（") && ordinal_len(w) == strlen(w));
		free(w);
		if (!ok || ++words > 2)
			return false;
		p = q;
	}
	return words > 0;
}

/* Reads up to n cells from token i on: numbers, dashes and empty cells; blank lines are
 * skipped; a text that is not a number ends the row. When the label's own line holds more
 * cells than the row has, the empty ones at its start are merged-cell debris. Stores the
 * tokens' indices in cells (-1 for none); *count is the number read, *overflow tells that
 * the last line read holds more values than the row has room for. Returns the index after
 * the last one read. */
static int
read_cells(const struct tokens *ts, int i, int to, int n, int *cells, int *count, bool *overflow)
{
	for (int c = 0; c < n; c++)
		cells[c] = -1;
	*overflow = false;
	if (i < to && i > 0) {
		int line = ts->v[i - 1].line, same = 0, empties = 0;
		for (int k = i; k < to && ts->v[k].line == line && (ts->v[k].kind == TOK_EMPTY || looks_numeric(&ts->v[k])); k++) {
			if (ts->v[k].kind == TOK_EMPTY && same == empties)
				empties++;
			same++;
		}
		for (; same > n && empties > 0; same--, empties--)
			i++;
	}
	int c = 0;
	while (c < n && i < to) {
		const struct token *t = &ts->v[i];
		if (t->kind == TOK_BREAK) {
			i++;
			continue;
		}
		if (t->kind == TOK_TEXT && !looks_numeric(t)) {
			/* a stray of a group label printed down the page starting the line of the
			 * values ("果   0 0 0 …" under "5.要求行政机关确认或重新出具已") */
			if (c == 0 && is_stray(t) && (i == 0 || ts->v[i - 1].line != t->line) && i + 1 < to && ts->v[i + 1].line == t->line &&
			    looks_numeric(&ts->v[i + 1])) {
				i++;
				continue;
			}
			break;
		}
		cells[c++] = i++;
	}
	*count = c;
	if (c == n && c > 0 && i < to && ts->v[i].line == ts->v[i - 1].line && looks_numeric(&ts->v[i]))
		*overflow = true;
	return i;
}

/* The printed cells from token a to b, quoted for a note. */
static char *
quote_tokens(const struct tokens *ts, const int *cells, int n)
{
	struct strbuf b = {0};
	strbuf_add(&b, "", 0);
	for (int k = 0; k < n; k++) {
		if (cells[k] < 0)
			continue;
		const struct token *t = &ts->v[cells[k]];
		if (b.len)
			strbuf_add(&b, " ", 1);
		if (t->kind == TOK_TEXT)
			strbuf_add(&b, t->raw, strlen(t->raw));
		else
			strbuf_add(&b, "_", 1);
	}
	return b.s;
}

static void
store(struct importer *im, int cell, const struct token *t, enum unit table_unit)
{
	const struct tpl_cell *c = &im->tpl->cells[cell];
	struct reading r = {READ_NONE, value_blank(), false, false, UNIT_NONE, false};
	if (t && t->kind == TOK_TEXT) {
		r = read_value(t->text, c->type, c->type == VALUE_MONEY ? table_unit : UNIT_NONE);
		if (r.kind == READ_NONE) {
			note(im, _("%s: \"%s\" could not be read as a value; the cell is left blank"), c->id, t->raw);
			r.v = value_blank();
		} else if (r.kind == READ_NUMBER && r.unit != UNIT_NONE && r.unit != UNIT_COUNT && r.unit != UNIT_WAN) {
			char num[VALUE_FORMAT_MAX];
			value_format(r.v, num, sizeof num);
			note(im, _("%s: \"%s\" converted exactly to %s 万元"), c->id, t->raw, num);
		} else if (r.kind == READ_NUMBER && r.thousands) {
			char num[VALUE_FORMAT_MAX];
			value_format(r.v, num, sizeof num);
			note(im, _("%s: \"%s\" read as %s (thousands separators)"), c->id, t->raw, num);
		}
	}
	struct value v = r.kind == READ_NUMBER ? r.v : value_blank();
	if (c->formula >= 0) {
		im->printed[cell] = v;
		return;
	}
	im->draft->cells[cell] = v;
	if (r.kind != READ_NONE)
		im->read[cell] = true;
	if (r.kind == READ_NUMBER && r.range) {
		if (!im->draft->cell_issue)
			im->draft->cell_issue = xcalloc((size_t)im->tpl->cell_count, 1);
		im->draft->cell_issue[cell] = 1;
	}
}

/* The unit a table's header states for its amounts: （单位：元）, （元）, 单位：亿元. */
static enum unit
header_unit(const struct tokens *ts, int from, int to)
{
	enum unit u = UNIT_NONE;
	for (int i = from; i < to; i++) {
		const char *t = ts->v[i].text;
		if (ts->v[i].kind != TOK_TEXT)
			continue;
		if (strstr(t, "单位：元") || strstr(t, "（元）"))
			u = UNIT_YUAN;
		else if (strstr(t, "单位：亿元") || strstr(t, "（亿元）"))
			u = UNIT_YI;
		else if (strstr(t, "单位：万元") || strstr(t, "（万元）"))
			u = UNIT_WAN;
	}
	return u;
}

static void
blank_row_note(struct importer *im, const struct tpl_table *t, int r, int columns, const struct tokens *ts,
               const int *quoted, int nquoted, const char *why)
{
	int table = (int)(t - im->tpl->tables);
	for (int c = 0; c < columns; c++)
		store(im, template_cell_at(im->tpl, table, r, c), NULL, UNIT_NONE);
	char *q = quote_tokens(ts, quoted, nquoted);
	const char *row = im->tpl->cells[template_cell_at(im->tpl, table, r, 0)].id;
	const char *dot = strrchr(row, '.');
	note(im, _("%.*s: %s (\"%s\"); the row is left blank"), dot ? (int)(dot - row) : (int)strlen(row), row, why, q);
	free(q);
}

/* Places the values of one line by the columns of a full row (the n values from token
 * ref on): each value must overlap exactly one of its columns, in order. */
static bool
place_against(const struct tokens *ts, const int *cells, int got, int n, int ref, int to, int *placed)
{
	int cols[64][2], m = 0;
	for (int j = ref; j < to && m < n && ts->v[j].line == ts->v[ref].line; j++)
		if (ts->v[j].spaced && looks_numeric(&ts->v[j])) {
			cols[m][0] = ts->v[j].col0;
			cols[m][1] = ts->v[j].col1;
			m++;
		}
	if (m != n)
		return false;
	for (int c = 0; c < n; c++)
		placed[c] = -1;
	int last = -1;
	for (int k = 0; k < got; k++) {
		const struct token *v = &ts->v[cells[k]];
		int hit = -1;
		for (int c = 0; c < n; c++)
			if (v->col0 < cols[c][1] && cols[c][0] < v->col1) {
				if (hit >= 0)
					return false;   /* overlaps two columns */
				hit = c;
			}
		if (hit <= last)
			return false;
		placed[hit] = cells[k];
		last = hit;
	}
	return true;
}

/* A space-aligned row with fewer values than columns: each value goes to the column it
 * overlaps on the page in the table's full rows (n values on one line, between from and
 * to). Every full row must agree, or the columns are not known (a long label, a new
 * page, can shift a row). Fills placed[n] (token indices, -1 for an empty cell); false
 * when the columns cannot be told. */
static bool
place_by_columns(const struct tokens *ts, const int *cells, int got, int n, int from, int to, int *placed)
{
	if (n > 64)
		return false;
	int line = ts->v[cells[0]].line;
	for (int k = 1; k < got; k++)
		if (ts->v[cells[k]].line != line)
			return false;
	int refs = 0;
	int *other = xmalloc((size_t)n * sizeof *other);
	bool ok = true;
	for (int i = from; i < to && ok;) {
		int l = ts->v[i].line, count = 0, first = -1;
		int j = i;
		for (; j < to && ts->v[j].line == l; j++)
			if (ts->v[j].spaced && looks_numeric(&ts->v[j])) {
				if (first < 0)
					first = j;
				count++;
			}
		if (count == n && l != line) {
			int *into = refs ? other : placed;
			ok = place_against(ts, cells, got, n, first, to, into);
			if (ok && refs)
				ok = !memcmp(other, placed, (size_t)n * sizeof *other);
			refs++;
		}
		i = j;
	}
	free(other);
	return ok && refs > 0;
}

/* The values printed on a line of their own just above a row label that has none (the
 * label sits lower in its cell than the values: "   3 1 0 0 0 0 4" over "（四） 1.本机关不
 * 掌握相关政府信息"): exactly n space-aligned values, after at most one stray cell of a
 * group label printed down the page ("结 （三）"), the whole line after `from` (no row took any
 * of it), on the line right above the label's. Fills cells; false when there is none. */
static bool
values_above(const struct tokens *ts, int label_at, int from, int n, int *cells)
{
	int j = label_at - 1;
	if (j < from || ts->v[j].line + 1 != ts->v[label_at].line)
		return false;
	int line = ts->v[j].line, k = j;
	while (k > from && ts->v[k - 1].line == line && looks_numeric(&ts->v[k - 1]))
		k--;
	int start = k;
	if (start > from && ts->v[start - 1].line == line && is_stray(&ts->v[start - 1]))
		start--;
	if ((start > 0 && ts->v[start - 1].line == line) || start < from || j - k + 1 != n)
		return false;
	for (int c = 0; c < n; c++) {
		const struct token *v = &ts->v[k + c];
		if (v->kind != TOK_TEXT || !v->spaced || !looks_numeric(v))
			return false;
		cells[c] = k + c;
	}
	return true;
}

/* Whether the line that token i is on holds only space-aligned numbers (and strays), fewer than n: the
 * rest of a number wrapped in its cell ("9999" over "9"), or a part of another row. */
static bool
number_fragment(const struct tokens *ts, int i, int to, int n)
{
	int line = ts->v[i].line;
	while (i > 0 && ts->v[i - 1].line == line)
		i--;
	int count = 0;
	for (; i < to && ts->v[i].line == line; i++) {
		const struct token *v = &ts->v[i];
		if (is_stray(v))
			continue;   /* "开  9  16": a group label printed down the page shares the line */
		if (v->kind != TOK_TEXT || !v->spaced || !looks_numeric(v))
			return false;
		count++;
	}
	return count > 0 && count < n;
}

/* Whether a line just above or below the lines of a space-aligned row's values holds a
 * number fragment: then a value may have been cut where its cell wrapped it. */
static bool
wrapped_nearby(const struct tokens *ts, const int *cells, int n, int to)
{
	int first = -1, last = -1;
	for (int c = 0; c < n; c++)
		if (cells[c] >= 0) {
			if (first < 0)
				first = cells[c];
			last = cells[c];
		}
	if (first < 0)
		return false;
	int j = last;
	while (j < to && ts->v[j].line == ts->v[last].line)
		j++;
	if (j < to && ts->v[j].line == ts->v[last].line + 1 && number_fragment(ts, j, to, n))
		return true;
	int k = first;
	while (k > 0 && ts->v[k - 1].line == ts->v[first].line)
		k--;
	return k > 0 && ts->v[k - 1].line + 1 == ts->v[first].line && number_fragment(ts, k - 1, to, n);
}

/* The rows of a table in order, each found by its label; returns the position after it.
 * *labels tells whether every row label was found, *values whether any value was read. */
static int
parse_rows(struct importer *im, const struct tpl_table *t, const struct tokens *ts, int pos, int to,
           bool *labels, bool *values)
{
	int table = (int)(t - im->tpl->tables), n = t->cols.leaf_count;
	int *cells = xmalloc((size_t)n * sizeof *cells);
	*labels = true;
	*values = false;
	enum unit unit = UNIT_NONE;
	bool first = true, prev_full = false;
	int table_from = pos;
	for (int r = 0; r < t->rows.leaf_count; r++) {
		const struct tpl_node *node = &t->rows.nodes[t->rows.leaves[r]];
		char *label = norm_str(node->label);
		int label_at;
		int at = find_label(ts, pos, to, label, &label_at);
		free(label);
		bool after_full = prev_full;
		prev_full = false;
		if (at < 0) {
			*labels = false;
			continue;
		}
		if (first)
			unit = header_unit(ts, pos, label_at);
		first = false;
		int got;
		bool overflow;
		int next = read_cells(ts, at, to, n, cells, &got, &overflow);
		/* the label as a heading above its table ("### 一、本年新收…" then "| 本年新收… | 705 |"):
		 * the row is its next occurrence with values, before the next row's label */
		for (int tries = 0; tries < 4 && got == 0 && at < to && ts->v[at].kind == TOK_TEXT; tries++) {
			int limit = to, dummy;
			if (r + 1 < t->rows.leaf_count) {
				char *nl = norm_str(t->rows.nodes[t->rows.leaves[r + 1]].label);
				if (find_label(ts, at, to, nl, &dummy) >= 0 && dummy >= 0)
					limit = dummy;
				free(nl);
			}
			char *again = norm_str(node->label);
			int again_at, again_end = find_label(ts, at, limit, again, &again_at);
			free(again);
			if (again_end < 0)
				break;
			int g2;
			bool o2;
			int *c2 = xmalloc((size_t)n * sizeof *c2);
			int n2 = read_cells(ts, again_end, to, n, c2, &g2, &o2);
			if (g2 > 0) {
				memcpy(cells, c2, (size_t)n * sizeof *c2);
				got = g2;
				overflow = o2;
				next = n2;
			}
			at = again_end;
			free(c2);
		}
		/* no values after the label: those on the line above it, when the row before took
		 * all of its own */
		if (got == 0 && after_full && label_at >= 0 && values_above(ts, label_at, pos, n, cells))
			got = n;
		prev_full = got == n;
		bool spaced = false;
		for (int c = 0; c < n; c++)
			spaced |= cells[c] >= 0 && ts->v[cells[c]].spaced;
		/* space-aligned values read from several lines must go on from left to right: one
		 * further left than the value before it on an earlier line is another row's, or
		 * the end of a number wrapped in its cell ("1015" over "2344 1276 … 955" over "7") */
		bool disorder = false;
		for (int c = 1, last = -1; c < n && spaced; c++) {
			if (cells[c - 1] >= 0)
				last = cells[c - 1];
			const struct token *a = last >= 0 ? &ts->v[last] : NULL, *b = cells[c] >= 0 ? &ts->v[cells[c]] : NULL;
			if (a && b && a->spaced && b->spaced && a->line != b->line && b->col0 <= a->col0)
				disorder = true;
		}
		if (disorder) {
			blank_row_note(im, t, r, n, ts, cells, n,
			               _("space-aligned values on several lines out of column order (a number wrapped in its "
			                 "cell?)"));
		} else if (spaced && got > 0 && wrapped_nearby(ts, cells, n, to)) {
			blank_row_note(im, t, r, n, ts, cells, n,
			               _("a line of a few numbers next to the row's values (a number wrapped in its cell?)"));
		} else if (overflow) {
			/* more values than columns: exact only when every placement reads the same */
			int *all = xmalloc((size_t)(2 * n) * sizeof *all), m;
			bool more;
			read_cells(ts, cells[0], to, 2 * n, all, &m, &more);
			/* the extra values are those on the row's last line, not the next row's */
			int keep = n;
			while (keep < m && ts->v[all[keep]].line == ts->v[all[keep - 1]].line)
				keep++;
			more = more && keep == m;
			m = keep;
			bool same = !more;
			for (int k = 0; k < n && same; k++)
				for (int w = 1; w + n <= m && same; w++) {
					const struct token *a = &ts->v[all[k]], *b = &ts->v[all[k + w]];
					same = a->kind == b->kind && (a->kind != TOK_TEXT || !strcmp(a->text, b->text));
				}
			if (same) {
				for (int c = 0; c < n; c++) {
					store(im, template_cell_at(im->tpl, table, r, c), &ts->v[cells[c]], unit);
					*values |= ts->v[cells[c]].kind == TOK_TEXT;
				}
				next = all[m - 1] + 1;
			} else {
				blank_row_note(im, t, r, n, ts, all, m, _("more values than the row has columns"));
			}
			free(all);
		} else if (spaced && got > 0 && got < n) {
			int *placed = xmalloc((size_t)n * sizeof *placed);
			if (place_by_columns(ts, cells, got, n, table_from, to, placed)) {
				for (int c = 0; c < n; c++) {
					store(im, template_cell_at(im->tpl, table, r, c), placed[c] >= 0 ? &ts->v[placed[c]] : NULL,
					      unit);
					*values |= placed[c] >= 0;
				}
			} else {
				blank_row_note(im, t, r, n, ts, cells, n,
				               _("fewer values than columns in space-aligned text, and the table's full rows do not "
				                 "agree on their columns"));
			}
			free(placed);
		} else {
			for (int c = 0; c < n; c++) {
				store(im, template_cell_at(im->tpl, table, r, c), cells[c] >= 0 ? &ts->v[cells[c]] : NULL, unit);
				*values |= cells[c] >= 0 && ts->v[cells[c]].kind == TOK_TEXT;
			}
		}
		pos = next;
	}
	free(cells);
	return pos;
}

/* The flat layout as published: rows x columns values after the headers, in one row or
 * in several (each run of values between header texts in order). Runs without a value
 * are header debris. Placed by position only when the count is exact. */
static int
parse_flat(struct importer *im, const struct tpl_table *t, const struct tokens *ts, int pos, int to)
{
	int table = (int)(t - im->tpl->tables), n = t->rows.leaf_count * t->cols.leaf_count;
	int *cells = xmalloc((size_t)(to - pos + 1) * sizeof *cells);
	int count = 0, end = pos;
	for (int i = pos; i < to;) {
		if (ts->v[i].kind == TOK_BREAK || (ts->v[i].kind == TOK_TEXT && !looks_numeric(&ts->v[i]))) {
			i++;
			continue;
		}
		int start = count;
		bool any = false;
		int j = i;
		for (; j < to; j++) {
			const struct token *tk = &ts->v[j];
			if (tk->kind == TOK_BREAK)
				continue;
			if (tk->kind == TOK_TEXT && !looks_numeric(tk))
				break;
			any |= tk->kind == TOK_TEXT;
			cells[count++] = j;
		}
		if (!any)
			count = start;
		else
			end = j;
		i = j;
	}
	/* empty header cells just before the values */
	int skip = 0;
	while (count - skip > n && ts->v[cells[skip]].kind == TOK_EMPTY)
		skip++;
	/* a row of tabs that began or ended with an empty cell lost it as an indent or a
	 * row end: when exactly those are missing, they were empty cells */
	if (count > 0 && count - skip < n) {
		int tabs = 0;
		for (int k = skip; k < count; k++)
			tabs += ts->v[cells[k]].lead_tab + ts->v[cells[k]].trail_tab;
		if (count - skip + tabs == n) {
			int *full = xmalloc((size_t)n * sizeof *full), m = 0;
			for (int k = skip; k < count; k++) {
				if (ts->v[cells[k]].lead_tab)
					full[m++] = -1;
				full[m++] = cells[k];
				if (ts->v[cells[k]].trail_tab)
					full[m++] = -1;
			}
			for (int k = 0; k < n; k++)
				store(im, template_cell_at(im->tpl, table, k / t->cols.leaf_count, k % t->cols.leaf_count),
				      full[k] >= 0 ? &ts->v[full[k]] : NULL, UNIT_NONE);
			free(full);
			free(cells);
			return end;
		}
	}
	/* space-aligned values on several lines, one of them with fewer than a row's: a number
	 * wrapped in its cell ("9999" over "9") may make up the count */
	bool fragment = false;
	for (int k = skip, run = 0; k < count; k++) {
		const struct token *v = &ts->v[cells[k]];
		run++;
		if (k + 1 == count || ts->v[cells[k + 1]].line != v->line) {
			fragment |= v->spaced && run < t->cols.leaf_count &&
			            ts->v[cells[skip]].line != ts->v[cells[count - 1]].line;
			run = 0;
		}
	}
	if (count - skip == n && fragment) {
		for (int k = 0; k < n; k++)
			store(im, template_cell_at(im->tpl, table, k / t->cols.leaf_count, k % t->cols.leaf_count), NULL,
			      UNIT_NONE);
		char *q = quote_tokens(ts, cells + skip, count - skip);
		note(im, _("%s: space-aligned values on several lines, some with fewer than a row's (a number wrapped in "
		           "its cell?) (\"%s\"); the table is left blank"), t->path, q);
		free(q);
	} else if (count - skip == n) {
		for (int k = 0; k < n; k++)
			store(im, template_cell_at(im->tpl, table, k / t->cols.leaf_count, k % t->cols.leaf_count),
			      &ts->v[cells[skip + k]], UNIT_NONE);
	} else if (count > 0) {
		for (int k = 0; k < n; k++)
			store(im, template_cell_at(im->tpl, table, k / t->cols.leaf_count, k % t->cols.leaf_count), NULL,
			      UNIT_NONE);
		char *q = quote_tokens(ts, cells, count);
		note(im, _("%s: %d values were printed where the table has %d cells (\"%s\"), so their places are "
		           "unknown; the table is left blank"), t->path, count - skip, n, q);
		free(q);
	}
	free(cells);
	return end;
}

/* ---- narrative ---- */

static bool
starts_with_indent(struct line l)
{
	return l.len >= 6 && !memcmp(l.s, "\u3000\u3000", 6);
}

/* A paragraph of a PDF's text starts indented by ASCII spaces; its wrapped lines do not. */
static bool
starts_with_spaces(struct line l)
{
	size_t i = 0;
	while (i < l.len && l.s[i] == '\f')
		i++;   /* a page break of pdftotext */
	return l.len >= i + 2 && l.s[i] == ' ' && l.s[i + 1] == ' ';
}

/* What the narrative lost, for the import's notes. */
struct dropped {
	int pages, images, junk, running;
	char *page_example, *running_example, *junk_example;
};

static void
dropped_keep(char **slot, struct line l)
{
	if (!*slot) {
		char *n = line_norm(l);
		*slot = n;
	}
}

/* Whether text has a Han character (OCR junk around images has none). */
static bool
has_han(const char *s)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, len - i, &cp);
		if (!k)
			return false;
		if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF))
			return true;
		i += k;
	}
	return false;
}

/* Lines that repeat on many pages: the same short text three times or more (a running
 * header or footer), once at least where no table is (in_table[] by line: a table's
 * labels repeat too). Marks them in repeated[] (by line). */
static const char *const *running_sort_keys;

static int
running_cmp(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;
	int c = strcmp(running_sort_keys[a], running_sort_keys[b]);
	return c ? c : (a > b) - (a < b);
}

static void
find_running_lines(const struct lines *ls, const bool *in_table, bool *repeated)
{
	/* each candidate line's normalised text, sorted, so that equal lines are neighbours:
	 * n log n, whatever the length of the report */
	char **keys = xcalloc((size_t)ls->count + 1, sizeof *keys);
	int *order = xmalloc(((size_t)ls->count + 1) * sizeof *order), n = 0;
	for (int i = 0; i < ls->count; i++) {
		repeated[i] = false;
		if (is_blank_line(ls->v[i]) || ls->v[i].len > 400)
			continue;
		char *m = line_norm(ls->v[i]);
		size_t chars = char_count(m);
		if (chars >= 4 && chars <= 40 && has_han(m) && !is_debris(ls->v[i], false)) {
			keys[i] = m;
			order[n++] = i;
		} else {
			free(m);
		}
	}
	running_sort_keys = (const char *const *)keys;
	qsort(order, (size_t)n, sizeof *order, running_cmp);
	for (int g = 0; g < n;) {
		int e = g + 1;
		while (e < n && !strcmp(keys[order[e]], keys[order[g]]))
			e++;
		bool outside = false;
		for (int k = g; k < e; k++)
			outside |= !in_table[order[k]];
		if (e - g >= 3 && outside)
			for (int k = g; k < e; k++)
				repeated[order[k]] = true;
		g = e;
	}
	for (int i = 0; i < ls->count; i++)
		free(keys[i]);
	free(keys);
	free(order);
}

/* Whether a paragraph's line ends mid-sentence (its last character is not a closing mark):
 * a hard wrap, when the line is long. */
static bool
ends_mid_sentence(const char *s, size_t len)
{
	if (!len)
		return false;
	size_t k = utf8_prev(s, len, len);
	uint32_t cp;
	utf8_decode(s + k, len - k, &cp);
	static const uint32_t closing[] = {0x3002, 0xFF01, 0xFF1F, 0xFF1B, 0xFF1A, 0x201D, 0x2019, 0xFF09, 0x300B,
	                                   0x300D, 0x3011, 0x2026, '.', '!', '?', ';', ':', ')', ']', '"'};
	for (size_t i = 0; i < sizeof closing / sizeof *closing; i++)
		if (cp == closing[i])
			return false;
	return true;
}

static bool
is_ascii_word_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* The text of lines [a, b): one paragraph a line, with wrapped lines joined back: of a
 * rendered report (paragraphs indented by two full-width spaces; a space that ended a
 * wrapped line is kept), of a PDF (paragraphs indented by spaces, their other lines not),
 * and any long line that stops mid-sentence before the next. Page numbers, running
 * headers and footers, image markers and the OCR junk after them are dropped and
 * counted in dropped. */
static char *
make_text(const struct lines *ls, int a, int b, const bool *running, struct dropped *dropped)
{
	bool indented = false, spaced = false, flush = false;
	for (int i = a; i < b; i++) {
		indented |= starts_with_indent(ls->v[i]);
		if (!is_blank_line(ls->v[i]) && !is_debris(ls->v[i], false)) {
			if (starts_with_spaces(ls->v[i]))
				spaced = true;
			else
				flush = true;
		}
	}
	bool pdf = !indented && spaced && flush;
	struct strbuf out = {0};
	strbuf_add(&out, "", 0);
	bool open = false, gap = false, page_break = false;
	size_t trailing_spaces = 0, prev_chars = 0;
	int after_image = 0;
	for (int i = a; i < b; i++) {
		struct line l = ls->v[i];
		if (is_blank_line(l)) {
			if (indented && open)
				strbuf_add(&out, "\n", 1);
			if (indented)
				open = false;
			gap = true;
			continue;
		}
		if (is_debris(l, false)) {
			char *n = norm(l.s, l.len);
			if (starts_with(n, "[image") || starts_with(n, "[picture")) {
				dropped->images++;
				after_image = 3;
			} else if (!starts_with(n, "[bookmark") && strcmp(n, "【草稿】")) {
				dropped->pages++;
				dropped_keep(&dropped->page_example, l);
				page_break = true;
			}
			free(n);
			continue;
		}
		if (running[i]) {
			page_break = true;
			dropped->running++;
			dropped_keep(&dropped->running_example, l);
			continue;
		}
		char *clean = strip_markers(l);
		if (clean[0] && strlen(clean) < l.len && after_image == 0) {
			char *cn = norm_str(clean);
			if (!*cn)
				dropped->images++;
			free(cn);
		}
		if (after_image > 0) {
			after_image--;
			char *cn = norm_str(clean);
			bool junk = *cn && !has_han(cn) && char_count(cn) <= 20;
			if (junk) {
				dropped->junk++;
				dropped_keep(&dropped->junk_example, l);
			}
			free(cn);
			if (junk) {
				free(clean);
				continue;
			}
		}
		/* trim spaces of every kind at both ends */
		size_t start = 0, end = strlen(clean);
		for (;;) {
			uint32_t cp;
			size_t k = utf8_decode(clean + start, end - start, &cp);
			if (!k || !is_space_cp(cp))
				break;
			start += k;
		}
		size_t spaces = 0;   /* the spaces a rendered line broke at */
		while (spaces < end && clean[end - 1 - spaces] == ' ')
			spaces++;
		while (end > start) {
			size_t k = utf8_prev(clean, end, end);
			uint32_t cp;
			utf8_decode(clean + k, end - k, &cp);
			if (!is_space_cp(cp))
				break;
			end = k;
		}
		if (end > start) {
			bool continues;
			if (indented)
				continues = open && !starts_with_indent(l);
			else if (pdf)
				continues = open && (!gap || page_break) && !starts_with_spaces(l);
			else
				continues = open && prev_chars >= 20 && ends_mid_sentence(out.s, out.len) &&
				            !ordinal_len(clean + start);
			if (out.len && !continues) {
				strbuf_add(&out, "\n", 1);
			} else if (continues && indented) {
				for (size_t k = 0; k < trailing_spaces; k++)
					strbuf_add(&out, " ", 1);
			} else if (continues && is_ascii_word_char(out.s[out.len - 1]) && is_ascii_word_char(clean[start])) {
				strbuf_add(&out, " ", 1);
			}
			strbuf_add(&out, clean + start, end - start);
			size_t chars = 0;
			for (size_t k = start; k < end; k++)
				chars += ((unsigned char)clean[k] & 0xC0) != 0x80;
			prev_chars = chars;
			open = true;
			gap = page_break = false;
			trailing_spaces = spaces;
		}
		free(clean);
	}
	return out.s;
}

static void
note_dropped(struct importer *im, const struct dropped *d)
{
	if (d->pages)
		note(im, _("dropped from the narrative: %d page numbers (such as \"%s\")"), d->pages, d->page_example);
	if (d->running)
		note(im, _("dropped from the narrative: a running header or footer, %d times (\"%s\")"), d->running,
		     d->running_example);
	if (d->images)
		note(im, _("dropped from the narrative: %d image markers"), d->images);
	if (d->junk)
		note(im, _("dropped from the narrative: %d lines of text recognised in images (such as \"%s\")"), d->junk,
		     d->junk_example);
}

/* ---- title ---- */

/* A web page's navigation line ("首页 > 政务公开 > 年度报告"), not a title. */
static bool
is_breadcrumb(const char *n)
{
	return strstr(n, ">") || strstr(n, "＞") || strstr(n, "»") || strstr(n, "→") || strstr(n, "当前位置") ||
	       strstr(n, "您的位置") || strstr(n, "首页") || strstr(n, "发布日期") || strstr(n, "来源：") ||
	       strstr(n, "。");
}

/* A year written before 年: four ASCII digits, or four Chinese digits (二〇二一年). Returns
 * a pointer to its start in n and sets *year and *len (bytes, 年 included), or NULL. */
static const char *
find_year(const char *n, int *year, size_t *len)
{
	static const char *const cjk[10] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
	for (const char *p = n; *p; p++) {
		if (p[0] >= '1' && p[0] <= '2' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9' &&
		    p[3] >= '0' && p[3] <= '9' && starts_with(p + 4, "年") && (p == n || !(p[-1] >= '0' && p[-1] <= '9'))) {
			*year = atoi(p);
			*len = 4 + strlen("年");
			return p;
		}
		int y = 0, k = 0;
		const char *q = p;
		for (; k < 4; k++) {
			int d = -1;
			for (int i = 0; i < 10 && d < 0; i++)
				if (starts_with(q, cjk[i]))
					d = i;
			if (d < 0 && starts_with(q, "零"))
				d = 0;
			if (d < 0)
				break;
			y = y * 10 + d;
			q += 3;
		}
		if (k == 4 && starts_with(q, "年") && y >= 1000) {
			*year = y;
			*len = (size_t)(q - p) + strlen("年");
			return p;
		}
	}
	return NULL;
}

/* Removes 关于, 《 and 》 from a title, and a leading "[image …]"-free copy. */
static char *
clean_title(const char *n)
{
	struct strbuf b = {0};
	strbuf_add(&b, "", 0);
	const char *p = n;
	if (starts_with(p, "关于"))
		p += strlen("关于");
	for (; *p;) {
		if (starts_with(p, "《") || starts_with(p, "》")) {
			p += strlen("《");
			continue;
		}
		strbuf_add(&b, p, 1);
		p++;
	}
	return b.s;
}

static char *
line_norm(struct line l)
{
	char *clean = strip_markers(l);
	char *n = norm_str(clean);
	free(clean);
	return n;
}

/* The title: the line with 年度报告 (or a line with 政府信息公开 that the next completes),
 * the organization before its year, after its year (2019年某某厅政府信息公开…), or on the
 * one or two short lines above it (a title of two or three lines). Breadcrumbs, dates and
 * sentences are never the title. */
static bool
find_title(const struct lines *ls, int limit, char **org, int *year, int *title_line)
{
	for (int i = 0; i < limit; i++) {
		struct line l = ls->v[i];
		if (is_blank_line(l) || is_debris(l, false))
			continue;
		char *n = line_norm(l);
		if (is_breadcrumb(n) || char_count(n) > 80) {
			free(n);
			continue;
		}
		int last = i;
		if (!strstr(n, "年度报告") && !strstr(n, "年报") && strstr(n, "政府信息")) {
			/* the title wraps: 某局2021年政府信息 / 公开工作年度报告 */
			for (int k = i + 1; k < limit && k <= i + 2; k++) {
				if (is_blank_line(ls->v[k]))
					continue;
				char *m = line_norm(ls->v[k]);
				if ((strstr(m, "年度报告") || strstr(m, "年报")) && char_count(m) <= 30 && !is_breadcrumb(m)) {
					char *joined = xasprintf("%s%s", n, m);
					free(n);
					n = joined;
					last = k;
				}
				free(m);
				break;
			}
		}
		if (!strstr(n, "年度报告") && !strstr(n, "年报")) {
			free(n);
			continue;
		}
		char *t = clean_title(n);
		free(n);
		int y = 0;
		size_t ylen = 0;
		const char *at = find_year(t, &y, &ylen);
		const char *end = strstr(t, "政府信息公开");
		if (!end)
			end = strstr(t, "年度报告");
		char *o = NULL;
		if (at && at > t) {
			o = xstrndup(t, (size_t)(at - t));
		} else if (at && end && end > at + ylen) {
			o = xstrndup(at + ylen, (size_t)(end - at - ylen));
		} else if (!at && end && end > t) {
			o = xstrndup(t, (size_t)(end - t));
		}
		if (!o || !*o) {
			/* the organization on the lines above */
			free(o);
			struct strbuf b = {0};
			strbuf_add(&b, "", 0);
			int taken = 0;
			for (int k = i - 1; k >= 0 && taken < 2; k--) {
				if (is_blank_line(ls->v[k]) || is_debris(ls->v[k], false))
					continue;
				char *m = line_norm(ls->v[k]);
				if (is_breadcrumb(m) || char_count(m) > 30 || strstr(m, "年度报告")) {
					free(m);
					break;
				}
				char *c = clean_title(m);
				char *joined = xasprintf("%s%s", c, b.s);
				free(b.s);
				b.s = joined;
				b.len = strlen(joined);
				free(c);
				free(m);
				taken++;
			}
			o = b.s;
		}
		*org = o;
		*year = y;
		*title_line = last;
		free(t);
		return true;
	}
	return false;
}

/* ---- templates ---- */

/* How many of a template's table labels appear in the haystack, out of how many. */
static void
score_template(const struct template *tpl, const char *hay, int *found, int *total)
{
	*found = *total = 0;
	for (int t = 0; t < tpl->table_count; t++) {
		const struct tpl_table *tb = &tpl->tables[t];
		const struct tpl_tree *trees[2] = {&tb->rows, &tb->cols};
		for (int k = 0; k < 2; k++)
			for (int i = 0; i < trees[k]->node_count; i++) {
				char *label = norm_str(trees[k]->nodes[i].label);
				(*total)++;
				if (strstr(hay, label))
					(*found)++;
				free(label);
			}
		if (tb->caption) {
			char *cap = norm_str(tb->caption);
			(*total)++;
			if (strstr(hay, cap))
				(*found)++;
			free(cap);
		}
	}
}

/* ---- the whole report ---- */

static char *
to_utf8(const char *text, size_t len, size_t *out_len, bool *converted)
{
	*converted = false;
	if (utf8_is_valid(text, len)) {
		char *copy = xmalloc(len + 1);
		memcpy(copy, text, len);
		copy[len] = '\0';
		*out_len = len;
		return copy;
	}
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return NULL;
	size_t cap = len * 2 + 16, left = cap;
	char *out = xmalloc(cap), *o = out, *in = (char *)text;
	size_t in_left = len;
	bool ok = iconv(cd, &in, &in_left, &o, &left) != (size_t)-1;
	iconv_close(cd);
	if (!ok) {
		free(out);
		return NULL;
	}
	*out_len = cap - left;
	out = xrealloc(out, *out_len + 1);
	out[*out_len] = '\0';
	*converted = true;
	return out;
}

/* ---- the whole report, phase by phase ---- */

struct report {
	char *text;
	struct lines ls;
	int heading[7];             /* line of each section heading (-1), [6] = end */
	int end_of[6];              /* where each section ends */
	struct tokens ts;           /* the table sections' cells */
	int sec_from[6], sec_to[6]; /* each section's tokens */
	bool *running;              /* lines repeated as running headers or footers */
	char *org;
	int year, title_line;
	bool titled;
};

static void
report_free(struct report *r)
{
	tokens_free(&r->ts);
	free(r->ls.v);
	free(r->running);
	free(r->org);
	free(r->text);
}

/* Phase 1: the text as UTF-8 lines (GB18030 converted, a BOM dropped). */
static bool
read_lines(struct report *r, const char *text_in, size_t len_in, struct import_summary *sum, struct srcpos where,
           struct diag_list *diags)
{
	size_t len;
	bool converted;
	enum doc_kind kind = doc_sniff(text_in, len_in);
	char *doc = NULL;
	static const char *const kinds[] = {"text", "HTML", "DOCX", "PDF"};
	sum->format = kinds[kind];
	if (kind == DOC_PDF) {
		diag_add(diags, DIAG_ERROR, where,
		         _("is a PDF: `nianbao import` reads it through pdftotext; here only its text can be read"));
		return false;
	}
	if (kind == DOC_HTML || kind == DOC_DOCX) {
		doc = kind == DOC_HTML ? doc_html_text(where.file, text_in, len_in, diags)
		                       : doc_docx_text(where.file, text_in, len_in, diags);
		if (!doc)
			return false;
		text_in = doc;
		len_in = strlen(doc);
	}
	r->text = to_utf8(text_in, len_in, &len, &converted);
	free(doc);
	if (!r->text) {
		diag_add(diags, DIAG_ERROR, where, _("is neither UTF-8 nor GB18030 text"));
		return false;
	}
	if (len >= 3 && !memcmp(r->text, "\xEF\xBB\xBF", 3))
		memmove(r->text, r->text + 3, (len -= 3) + 1);
	sum->converted = converted;
	split_lines(&r->ls, r->text, len);
	r->running = xcalloc((size_t)r->ls.count + 1, sizeof *r->running);
	return true;
}

/* Phase 2: the six sections, and the cells of the table sections (二 to 四). */
static bool
read_sections(struct report *r, struct srcpos where, struct diag_list *diags)
{
	int found = find_headings(&r->ls, r->heading);
	if (found < 4 || r->heading[0] < 0) {
		diag_add(diags, DIAG_ERROR, where,
		         _("does not look like a government information disclosure annual report: only %d of "
		           "the six section headings (一、总体情况 … 六、其他需要报告的事项) were found"), found);
		return false;
	}
	for (int s = 0; s < 6; s++) {
		r->end_of[s] = r->ls.count;
		if (r->heading[s] < 0)
			continue;
		for (int k = s + 1; k < 7; k++)
			if (r->heading[k] >= 0) {
				r->end_of[s] = r->heading[k];
				break;
			}
	}
	bool *in_table = xcalloc((size_t)r->ls.count + 1, sizeof *in_table);
	for (int s = 1; s <= 3; s++)
		for (int i = r->heading[s] + 1; r->heading[s] >= 0 && i < r->end_of[s]; i++)
			in_table[i] = true;
	find_running_lines(&r->ls, in_table, r->running);
	free(in_table);
	for (int s = 0; s < 6; s++) {
		r->sec_from[s] = r->ts.count;
		if (r->heading[s] >= 0 && s >= 1 && s <= 3)
			for (int i = r->heading[s] + 1; i < r->end_of[s]; i++)
				if (!r->running[i])
					tokenize_line(&r->ts, r->ls.v[i], i);
		r->sec_to[s] = r->ts.count;
	}
	r->titled = find_title(&r->ls, r->heading[0], &r->org, &r->year, &r->title_line);
	return true;
}

/* Phase 3: the template whose labels fit best; when the tables are not in the text
 * (they were images), the template of the title's year. *no_tables tells which. */
static const struct template *
choose_template(const struct report *r, struct template_cache *cache, struct import_summary *sum,
                struct srcpos where, struct diag_list *diags, bool *no_tables)
{
	struct strbuf hay = {0};
	strbuf_add(&hay, "", 0);
	for (int i = 0; i < r->ts.count; i++)
		if (r->ts.v[i].kind == TOK_TEXT)
			strbuf_add(&hay, r->ts.v[i].text, strlen(r->ts.v[i].text));
	struct template **list = NULL;
	struct diag_list quiet = {0};
	int n = template_list(NULL, &list, &quiet);
	diag_free(&quiet);
	double best = -1;
	char *best_id = NULL;
	int best_found = 0, other_found = 0;
	for (int i = 0; i < n; i++) {
		int f, total;
		score_template(list[i], hay.s, &f, &total);
		double ratio = total ? (double)f / total : 0;
		if (ratio > best) {
			if (best_id)
				other_found = best_found;
			best = ratio;
			free(best_id);
			best_id = xstrdup(list[i]->id);
			best_found = f;
		} else if (f > other_found) {
			other_found = f;
		}
		template_free(list[i]);
	}
	free(list);
	free(hay.s);
	*no_tables = !best_id || best < 0.25;
	if (*no_tables) {
		free(best_id);
		best_id = NULL;
		if (r->year && draft_year_valid(r->year)) {
			struct diag_list q = {0};
			best_id = template_id_for_year(NULL, r->year, &q);
			diag_free(&q);
		}
		if (!best_id) {
			diag_add(diags, DIAG_ERROR, where,
			         _("its tables do not match any installed template (best: %.0f%% of the labels), and the "
			           "title has no year to choose one by"), best * 100);
			return NULL;
		}
		best_found = other_found = 0;
	}
	const struct template *tpl = template_cache_get(cache, best_id, where, diags);
	free(best_id);
	if (!tpl)
		return NULL;
	sum->template_id = tpl->id;
	sum->score[0] = best_found;
	sum->score[1] = other_found;
	return tpl;
}

/* Phase 4: title, preface and the narrative sections. */
static void
read_narrative(struct importer *im, struct report *r)
{
	const struct template *tpl = im->tpl;
	if (r->titled) {
		free(im->draft->organization);
		im->draft->organization = r->org;
		r->org = NULL;
		int year = r->year;
		if (year && !draft_year_valid(year)) {
			note(im, _("the title's year %d is not a report year (%d to %d); the draft's year is left blank"), year,
			     DRAFT_YEAR_MIN, DRAFT_YEAR_MAX);
			year = 0;
		}
		im->draft->year = year;
		if (!im->draft->organization[0])
			note(im, _("the title names no organization; fill it in before the report is printed"));
	} else {
		note(im, _("no title with the organization and the year was found before 一、总体情况"));
	}
	struct dropped dropped = {0};
	if (tpl->preface >= 0 && r->title_line >= 0 && r->titled) {
		char *preface = make_text(&r->ls, r->title_line + 1, r->heading[0], r->running, &dropped);
		draft_set_text(im->draft, tpl->preface, preface);
		free(preface);
	}
	for (int i = 0; i < tpl->text_count; i++) {
		int s = tpl->texts[i].section;
		if (s < 0 || s >= 6 || r->heading[s] < 0 || (s >= 1 && s <= 3))
			continue;
		char *body = make_text(&r->ls, r->heading[s] + 1, r->end_of[s], r->running, &dropped);
		draft_set_text(im->draft, i, body);
		free(body);
	}
	/* running lines are dropped from the tables' text as well */
	dropped.running = 0;
	for (int i = 0; i < r->ls.count; i++)
		if (r->running[i]) {
			dropped.running++;
			dropped_keep(&dropped.running_example, r->ls.v[i]);
		}
	note_dropped(im, &dropped);
	free(dropped.page_example);
	free(dropped.running_example);
	free(dropped.junk_example);
	for (int s = 0; s < 6; s++)
		if (r->heading[s] < 0 && s < tpl->section_count)
			note(im, _("the heading %s was not found"), tpl->sections[s].heading);
}

/* Phase 5: the tables, in order within their sections. */
static void
read_tables(struct importer *im, const struct report *r, bool no_tables)
{
	const struct template *tpl = im->tpl;
	if (no_tables) {
		note(im, _("the tables are not in the text (were they images?): every cell is left blank; the template "
		           "%s was chosen by the year"), tpl->id);
		return;
	}
	int pos[6];
	for (int s = 0; s < 6; s++)
		pos[s] = r->sec_from[s];
	for (int t = 0; t < tpl->table_count; t++) {
		const struct tpl_table *tb = &tpl->tables[t];
		int s = tb->section;
		if (s < 0 || s >= 6 || r->heading[s] < 0) {
			note(im, _("%s was not found: table %s left blank"),
			     s >= 0 && s < tpl->section_count ? tpl->sections[s].heading : "?", tb->path);
			continue;
		}
		bool labels, values;
		int start = pos[s];
		int next = parse_rows(im, tb, &r->ts, start, r->sec_to[s], &labels, &values);
		if ((!labels || !values) && tb->layout == LAYOUT_FLAT)
			next = parse_flat(im, tb, &r->ts, start, r->sec_to[s]);
		pos[s] = next;
	}
}

/* Phase 6: totals computed from the parts and compared with what was printed; the
 * summary's counts. */
static void
check_totals(struct importer *im)
{
	const struct template *tpl = im->tpl;
	struct import_summary *sum = im->sum;
	template_recompute_all(tpl, im->draft->cells);
	for (int c = 0; c < tpl->cell_count; c++) {
		if (tpl->cells[c].formula >= 0) {
			struct value p = im->printed[c], v = im->draft->cells[c];
			if (p.set && v.set && p.scaled != v.scaled) {
				char a[VALUE_FORMAT_MAX], b[VALUE_FORMAT_MAX];
				value_format(p, a, sizeof a);
				value_format(v, b, sizeof b);
				note(im, _("%s: printed %s, but its parts add up to %s"), tpl->cells[c].id, a, b);
			}
			continue;
		}
		if (im->read[c])
			sum->cells_read++;
		if (!im->draft->cells[c].set) {
			sum->blank = xrealloc(sum->blank, (size_t)(sum->blank_count + 1) * sizeof *sum->blank);
			sum->blank[sum->blank_count++] = xstrdup(tpl->cells[c].id);
		}
	}
}

struct draft *
import_report(const char *name, const char *text_in, size_t len_in, struct template_cache *cache,
              struct import_summary *sum, struct diag_list *diags)
{
	memset(sum, 0, sizeof *sum);
	struct srcpos where = {name, 0, 0};
	struct report r = {0};
	r.title_line = -1;
	bool no_tables = false;
	const struct template *tpl = NULL;
	if (!read_lines(&r, text_in, len_in, sum, where, diags) || !read_sections(&r, where, diags) ||
	    !(tpl = choose_template(&r, cache, sum, where, diags, &no_tables))) {
		report_free(&r);
		return NULL;
	}
	struct importer im = {.tpl = tpl, .sum = sum};
	im.draft = draft_new(tpl);
	im.printed = xcalloc((size_t)tpl->cell_count, sizeof *im.printed);
	im.read = xcalloc((size_t)tpl->cell_count, sizeof *im.read);
	read_narrative(&im, &r);
	read_tables(&im, &r, no_tables);
	check_totals(&im);
	free(im.printed);
	free(im.read);
	report_free(&r);
	return im.draft;
}

void
import_summary_free(struct import_summary *s)
{
	for (int i = 0; i < s->blank_count; i++)
		free(s->blank[i]);
	for (int i = 0; i < s->note_count; i++)
		free(s->notes[i]);
	free(s->blank);
	free(s->notes);
	memset(s, 0, sizeof *s);
}
