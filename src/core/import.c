#include <config.h>

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nianbao/check.h"
#include "nianbao/i18n.h"
#include "nianbao/import.h"
#include "nianbao/utf8.h"

/* ---- text helpers ---- */

struct buf {
	char *s;
	size_t len, cap;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
buf_cp(struct buf *b, uint32_t cp)
{
	char tmp[UTF8_MAX_BYTES];
	size_t n = utf8_encode(cp, tmp);
	buf_add(b, tmp, n);
}

static bool
is_space_cp(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\r' || cp == 0x3000 || cp == 0xA0 || cp == 0xFEFF ||
	       (cp >= 0x2000 && cp <= 0x200B);
}

/* The form in which labels are compared: no spaces of any kind, halfwidth punctuation as
 * fullwidth, fullwidth digits, letters, signs and full stops as ASCII. */
static char *
norm(const char *s, size_t len)
{
	struct buf b = {0};
	buf_add(&b, "", 0);
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
		buf_cp(&b, cp);
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

/* Removes inline "[bookmark: …]" and "[image: …]" markers from a line (malloc'd copy). */
static char *
strip_markers(struct line l)
{
	struct buf b = {0};
	buf_add(&b, "", 0);
	for (size_t i = 0; i < l.len;) {
		if (l.s[i] == '[' && (l.len - i > 9) &&
		    (!strncmp(l.s + i, "[bookmark:", 10) || !strncmp(l.s + i, "[image:", 7))) {
			const char *close = memchr(l.s + i, ']', l.len - i);
			if (close) {
				i = (size_t)(close - l.s) + 1;
				continue;
			}
		}
		buf_add(&b, l.s + i, 1);
		i++;
	}
	return b.s;
}

/* ---- section headings ---- */

static const char *const numerals[6] = {"一、", "二、", "三、", "四、", "五、", "六、"};
static const char *const heading_words[6][2] = {
	{"总体情况", NULL},
	{"主动公开", NULL},
	{"收到和处理", "依申请公开"},
	{"行政复议", "行政诉讼"},
	{"存在的主要问题", "问题及改进"},
	{"其他需要报告", "其他需报告"},
};

static bool
is_heading(struct line l, int section)
{
	char *n = norm(l.s, l.len);
	bool yes = starts_with(n, numerals[section]) && char_count(n) <= 40 &&
	           (strstr(n, heading_words[section][0]) ||
	            (heading_words[section][1] && strstr(n, heading_words[section][1])));
	free(n);
	return yes;
}

/* ---- table tokens ---- */

enum tok_kind { TOK_TEXT, TOK_EMPTY, TOK_BREAK };

struct token {
	enum tok_kind kind;
	char *text;       /* normalised */
	int line;         /* index into the lines */
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
	ts->v[ts->count++] = (struct token){kind, kind == TOK_TEXT ? norm(s, n) : NULL, line};
}

static void
tokens_free(struct tokens *ts)
{
	for (int i = 0; i < ts->count; i++)
		free(ts->v[i].text);
	free(ts->v);
	memset(ts, 0, sizeof *ts);
}

/* Cells of a line: split at tabs (a leading tab only indents a cell of its own line),
 * or at the bars of a rendered table. A blank line is a break. */
static void
tokenize_line(struct tokens *ts, struct line l, int index)
{
	if (is_blank_line(l) && !memchr(l.s, '\t', l.len)) {
		tok_add(ts, TOK_BREAK, NULL, 0, index);
		return;
	}
	if (is_debris(l, true))
		return;
	const char *s = l.s, *end = l.s + l.len;
	bool bars = l.len && (*s == '|' || (l.len >= 3 && !memcmp(s, "│", 3)));
	if (bars) {
		/* | cell | cell | … |: the pieces between the bars */
		while (s < end) {
			const char *next = s;
			while (next < end && *next != '|' && !(end - next >= 3 && !memcmp(next, "│", 3)))
				next++;
			if (next > l.s && s < next) {
				char *piece = norm(s, (size_t)(next - s));
				tok_add(ts, *piece ? TOK_TEXT : TOK_EMPTY, s, (size_t)(next - s), index);
				free(piece);
			}
			if (next >= end)
				break;
			s = next + (*next == '|' ? 1 : 3);
			if (s >= end)
				break;
		}
		return;
	}
	if (*s == '\t')
		s++;   /* a leading tab indents the cell of a cell-per-line extraction */
	int first = ts->count;
	for (;;) {
		const char *tab = memchr(s, '\t', (size_t)(end - s));
		const char *stop = tab ? tab : end;
		char *piece = norm(s, (size_t)(stop - s));
		tok_add(ts, *piece ? TOK_TEXT : TOK_EMPTY, s, (size_t)(stop - s), index);
		free(piece);
		if (!tab)
			break;
		s = tab + 1;
	}
	/* a tab that ends the line ends the row; it adds no empty cell */
	if (ts->count - first > 1 && l.s[l.len - 1] == '\t' && ts->v[ts->count - 1].kind == TOK_EMPTY) {
		ts->count--;
	}
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

/* A printed value: digits with an optional sign and decimals, and perhaps a unit. */
static enum cellread
read_value(const char *t, enum value_type type, struct value *out, bool *range_problem)
{
	*range_problem = false;
	if (is_dash(t))
		return READ_DASH;
	char tmp[64];
	size_t n = strlen(t);
	if (n >= sizeof tmp)
		return READ_NONE;
	memcpy(tmp, t, n + 1);
	static const char *const units[] = {"万元", "万", "元", "件", "个", "条", "项", "次"};
	for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
		size_t u = strlen(units[i]);
		if (n > u && !strcmp(tmp + n - u, units[i])) {
			n -= u;
			tmp[n] = '\0';
			break;
		}
	}
	const char *p = tmp;
	if (*p == '+')
		p++;
	if (!*p)
		return READ_NONE;
	for (const char *q = p; *q; q++)
		if (!((*q >= '0' && *q <= '9') || *q == '.' || (q == p && *q == '-')))
			return READ_NONE;
	enum value_error err = value_parse_lenient(p, strlen(p), type, out);
	if (err == VALUE_ERR_SYNTAX)
		return READ_NONE;
	*range_problem = err != VALUE_OK;
	return READ_NUMBER;
}

static bool
looks_numeric(const struct token *t)
{
	if (t->kind != TOK_TEXT)
		return false;
	struct value v;
	bool range;
	return read_value(t->text, VALUE_MONEY, &v, &range) != READ_NONE ||
	       read_value(t->text, VALUE_SIGNED, &v, &range) != READ_NONE;
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

/* Whether candidate (a normalised cell, or cells joined) is the label: the same, the
 * label with a printed note after it, or the start of a label that wrapped. */
static int
label_match(const char *candidate, const char *label)
{
	if (!strcmp(candidate, label))
		return 3;
	if (starts_with(candidate, label))
		return 2;
	if (starts_with(label, candidate) && char_count(candidate) >= 5)
		return 1;
	return 0;
}

/* Finds the label among the tokens from *pos, joining up to three cells (labels broken
 * over lines or cells). Returns the token after the label, or -1. */
static int
find_label(const struct tokens *ts, int from, int to, const char *label)
{
	for (int i = from; i < to; i++) {
		if (ts->v[i].kind != TOK_TEXT)
			continue;
		struct buf b = {0};
		buf_add(&b, "", 0);
		int best = 0, best_end = -1;
		for (int k = i; k < to && k < i + 3 && ts->v[k].kind == TOK_TEXT; k++) {
			buf_add(&b, ts->v[k].text, strlen(ts->v[k].text));
			int m = label_match(b.s, label);
			if (m > best) {
				best = m;
				best_end = k + 1;
			}
			if (m == 3)
				break;
		}
		free(b.s);
		if (best)
			return best_end;
	}
	return -1;
}

/* Reads up to n cells from token i on: numbers, dashes and empty cells; blank lines are
 * skipped; a text that is not a number ends the row. When the label's own line holds more
 * cells than the row has, the empty ones at its start are merged-cell debris. Stores the
 * tokens' indices in cells (-1 for none) and returns the index after the last one read. */
static int
read_cells(const struct tokens *ts, int i, int to, int n, int *cells)
{
	for (int c = 0; c < n; c++)
		cells[c] = -1;
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
		if (t->kind == TOK_TEXT && !looks_numeric(t))
			break;
		cells[c++] = i++;
	}
	return i;
}

static void
store(struct importer *im, int cell, const struct token *t)
{
	const struct tpl_cell *c = &im->tpl->cells[cell];
	struct value v = value_blank();
	bool range = false;
	enum cellread r = READ_NONE;
	if (t && t->kind == TOK_TEXT)
		r = read_value(t->text, c->type, &v, &range);
	if (r == READ_NONE || r == READ_DASH)
		v = value_blank();
	if (c->formula >= 0) {
		im->printed[cell] = v;
		return;
	}
	im->draft->cells[cell] = v;
	if (r != READ_NONE && t->kind == TOK_TEXT)
		im->read[cell] = true;
	if (range) {
		if (!im->draft->cell_issue)
			im->draft->cell_issue = xcalloc((size_t)im->tpl->cell_count, 1);
		im->draft->cell_issue[cell] = 1;
	}
}

/* The rows of a table in order, each found by its label; returns the position after it. */
static int
parse_rows(struct importer *im, const struct tpl_table *t, const struct tokens *ts, int pos, int to,
           bool *all_found)
{
	int table = (int)(t - im->tpl->tables), n = t->cols.leaf_count;
	int *cells = xmalloc((size_t)n * sizeof *cells);
	*all_found = true;
	for (int r = 0; r < t->rows.leaf_count; r++) {
		const struct tpl_node *node = &t->rows.nodes[t->rows.leaves[r]];
		char *label = norm_str(node->label);
		int at = find_label(ts, pos, to, label);
		free(label);
		if (at < 0) {
			*all_found = false;
			continue;
		}
		int next = read_cells(ts, at, to, n, cells);
		int got = 0;
		for (int c = 0; c < n; c++) {
			store(im, template_cell_at(im->tpl, table, r, c), cells[c] >= 0 ? &ts->v[cells[c]] : NULL);
			got += cells[c] >= 0 && ts->v[cells[c]].kind == TOK_TEXT;
		}
		if (!got)
			*all_found = false;
		pos = next;
	}
	free(cells);
	return pos;
}

/* The flat layout as published: a run of rows x columns numbers after the headers. */
static int
parse_flat(struct importer *im, const struct tpl_table *t, const struct tokens *ts, int pos, int to)
{
	int table = (int)(t - im->tpl->tables), n = t->rows.leaf_count * t->cols.leaf_count;
	while (pos < to && !looks_numeric(&ts->v[pos]))
		pos++;
	int *cells = xmalloc((size_t)n * sizeof *cells);
	int next = read_cells(ts, pos, to, n, cells);
	for (int k = 0; k < n; k++)
		store(im, template_cell_at(im->tpl, table, k / t->cols.leaf_count, k % t->cols.leaf_count),
		      cells[k] >= 0 ? &ts->v[cells[k]] : NULL);
	free(cells);
	return next;
}

/* ---- narrative ---- */

static bool
starts_with_indent(struct line l)
{
	return l.len >= 6 && !memcmp(l.s, "\u3000\u3000", 6);
}

/* The text of lines [a, b): paragraphs one a line, or, when paragraphs are indented by
 * two full-width spaces (a rendered report), wrapped lines joined back. */
static char *
make_text(const struct lines *ls, int a, int b)
{
	bool indented = false;
	for (int i = a; i < b && !indented; i++)
		indented = starts_with_indent(ls->v[i]);
	struct buf out = {0};
	buf_add(&out, "", 0);
	bool open = false;
	for (int i = a; i < b; i++) {
		struct line l = ls->v[i];
		if (is_debris(l, false))
			continue;
		if (is_blank_line(l)) {
			if (indented && open)
				buf_add(&out, "\n", 1);
			open = false;
			continue;
		}
		char *clean = strip_markers(l);
		/* trim spaces of every kind at both ends */
		size_t start = 0, end = strlen(clean);
		for (;;) {
			uint32_t cp;
			size_t k = utf8_decode(clean + start, end - start, &cp);
			if (!k || !is_space_cp(cp))
				break;
			start += k;
		}
		while (end > start) {
			size_t k = utf8_prev(clean, end, end);
			uint32_t cp;
			utf8_decode(clean + k, end - k, &cp);
			if (!is_space_cp(cp))
				break;
			end = k;
		}
		if (end > start) {
			bool continues = indented && open && !starts_with_indent(l);
			if (out.len && !continues)
				buf_add(&out, "\n", 1);
			buf_add(&out, clean + start, end - start);
			open = true;
		}
		free(clean);
	}
	return out.s;
}

/* ---- title ---- */

static bool
find_title(const struct lines *ls, int limit, char **org, int *year, int *title_line)
{
	int last_text = -1;
	for (int i = 0; i < limit; i++) {
		struct line l = ls->v[i];
		if (is_blank_line(l) || is_debris(l, false))
			continue;
		char *n = norm(l.s, l.len);
		char *at = strstr(n, "政府信息公开工作年度报告");
		if (!at)
			at = strstr(n, "年度报告");
		if (at) {
			/* the year: four digits before 年 */
			char *y = NULL;
			for (char *p = n; p + 4 < at + 1 && *p; p++)
				if (p[0] >= '1' && p[0] <= '2' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9' &&
				    p[3] >= '0' && p[3] <= '9' && starts_with(p + 4, "年")) {
					y = p;
					break;
				}
			*year = y ? atoi(y) : 0;
			const char *org_end = y ? y : at;
			if (org_end > n) {
				/* the organization as printed, spaces kept: cut the raw line where the
				 * normalised one ends */
				*org = xstrndup(n, (size_t)(org_end - n));
			} else if (last_text >= 0) {
				char *clean = strip_markers(ls->v[last_text]);
				char *o = norm_str(clean);
				free(clean);
				*org = o;
			} else {
				*org = xstrdup("");
			}
			*title_line = i;
			free(n);
			return true;
		}
		free(n);
		last_text = i;
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

struct draft *
import_report(const char *name, const char *text_in, size_t len_in, struct template_cache *cache,
              struct import_summary *sum, struct diag_list *diags)
{
	memset(sum, 0, sizeof *sum);
	struct srcpos where = {name, 0, 0};
	size_t len;
	bool converted;
	char *text = to_utf8(text_in, len_in, &len, &converted);
	if (!text) {
		diag_add(diags, DIAG_ERROR, where, _("is neither UTF-8 nor GB18030 text"));
		return NULL;
	}
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		memmove(text, text + 3, (len -= 3) + 1);
	sum->converted = converted;
	struct lines ls;
	split_lines(&ls, text, len);

	/* the six headings, in order */
	int heading[7];
	int found = 0, from = 0;
	for (int s = 0; s < 6; s++) {
		heading[s] = -1;
		for (int i = from; i < ls.count; i++)
			if (is_heading(ls.v[i], s)) {
				heading[s] = i;
				from = i + 1;
				found++;
				break;
			}
	}
	heading[6] = ls.count;
	if (found < 4 || heading[0] < 0) {
		diag_add(diags, DIAG_ERROR, where,
		         _("does not look like a government information disclosure annual report: only %d of "
		           "the six section headings (一、总体情况 … 六、其他需要报告的事项) were found"), found);
		free(ls.v);
		free(text);
		return NULL;
	}
	/* where each section ends: at the next heading found */
	int end_of[6];
	for (int s = 0; s < 6; s++) {
		end_of[s] = ls.count;
		if (heading[s] < 0)
			continue;
		for (int k = s + 1; k < 7; k++)
			if (heading[k] >= 0) {
				end_of[s] = heading[k];
				break;
			}
	}

	/* the tables' tokens, by section */
	struct tokens ts = {0};
	int sec_from[6] = {0}, sec_to[6] = {0};
	for (int s = 0; s < 6; s++) {
		sec_from[s] = ts.count;
		if (heading[s] >= 0 && s >= 1 && s <= 3)
			for (int i = heading[s] + 1; i < end_of[s]; i++)
				tokenize_line(&ts, ls.v[i], i);
		sec_to[s] = ts.count;
	}
	struct buf hay = {0};
	buf_add(&hay, "", 0);
	for (int i = 0; i < ts.count; i++)
		if (ts.v[i].kind == TOK_TEXT)
			buf_add(&hay, ts.v[i].text, strlen(ts.v[i].text));

	/* the template whose labels fit best */
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
	const struct template *tpl = best_id && best >= 0.25 ? template_cache_get(cache, best_id, where, diags) : NULL;
	free(best_id);
	if (!tpl) {
		if (!diags->count)
			diag_add(diags, DIAG_ERROR, where,
			         _("its tables do not match any installed template (best: %.0f%% of the labels)"), best * 100);
		tokens_free(&ts);
		free(ls.v);
		free(text);
		return NULL;
	}
	sum->template_id = tpl->id;
	sum->score[0] = best_found;
	sum->score[1] = other_found;

	struct importer im = {.tpl = tpl, .sum = sum};
	im.draft = draft_new(tpl);
	im.printed = xcalloc((size_t)tpl->cell_count, sizeof *im.printed);
	im.read = xcalloc((size_t)tpl->cell_count, sizeof *im.read);

	/* title, preface */
	char *org = NULL;
	int year = 0, title_line = -1;
	if (find_title(&ls, heading[0], &org, &year, &title_line)) {
		free(im.draft->organization);
		im.draft->organization = org;
		if (year && !draft_year_valid(year)) {
			note(&im, _("the title's year %d is not a report year (%d to %d); the draft's year is left blank"),
			     year, DRAFT_YEAR_MIN, DRAFT_YEAR_MAX);
			year = 0;
		}
		im.draft->year = year;
	} else {
		note(&im, _("no title with the organization and the year was found before 一、总体情况"));
	}
	if (tpl->preface >= 0 && title_line >= 0) {
		char *preface = make_text(&ls, title_line + 1, heading[0]);
		draft_set_text(im.draft, tpl->preface, preface);
		free(preface);
	}
	/* narrative fields: the text of their section */
	for (int i = 0; i < tpl->text_count; i++) {
		int s = tpl->texts[i].section;
		if (s < 0 || s >= 6 || heading[s] < 0 || (s >= 1 && s <= 3))
			continue;
		char *body = make_text(&ls, heading[s] + 1, end_of[s]);
		draft_set_text(im.draft, i, body);
		free(body);
	}
	/* tables, in order within their sections */
	int pos[6];
	for (int s = 0; s < 6; s++)
		pos[s] = sec_from[s];
	for (int t = 0; t < tpl->table_count; t++) {
		const struct tpl_table *tb = &tpl->tables[t];
		int s = tb->section;
		if (s < 0 || s >= 6 || heading[s] < 0) {
			note(&im, _("%s was not found: table %s left blank"),
			     s >= 0 && s < tpl->section_count ? tpl->sections[s].heading : "?", tb->path);
			continue;
		}
		bool all;
		int start = pos[s];
		int next = parse_rows(&im, tb, &ts, start, sec_to[s], &all);
		if (!all && tb->layout == LAYOUT_FLAT)
			next = parse_flat(&im, tb, &ts, start, sec_to[s]);
		pos[s] = next;
	}
	tokens_free(&ts);

	/* totals: computed from the parts, compared with what was printed */
	template_recompute_all(tpl, im.draft->cells);
	for (int c = 0; c < tpl->cell_count; c++) {
		if (tpl->cells[c].formula >= 0) {
			struct value p = im.printed[c], v = im.draft->cells[c];
			if (p.set && v.set && p.scaled != v.scaled) {
				char a[VALUE_FORMAT_MAX], b[VALUE_FORMAT_MAX];
				value_format(p, a, sizeof a);
				value_format(v, b, sizeof b);
				char *what = cell_describe(tpl, c);
				note(&im, _("%s: printed %s, but its parts add up to %s (%s)"), what, a, b, tpl->cells[c].id);
				free(what);
			}
			continue;
		}
		if (im.read[c])
			sum->cells_read++;
		if (!im.draft->cells[c].set) {
			sum->blank = xrealloc(sum->blank, (size_t)(sum->blank_count + 1) * sizeof *sum->blank);
			sum->blank[sum->blank_count++] = xstrdup(tpl->cells[c].id);
		}
	}
	free(im.printed);
	free(im.read);
	free(ls.v);
	free(text);
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
