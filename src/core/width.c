#include "nianbao/width.h"

#include "nianbao/utf8.h"

#include "width-table.h"

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

static bool
in_table(const struct width_range *table, size_t count, uint32_t cp)
{
	if (cp < table[0].first || cp > table[count - 1].last)
		return false;
	size_t lo = 0, hi = count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp > table[mid].last)
			lo = mid + 1;
		else if (cp < table[mid].first)
			hi = mid;
		else
			return true;
	}
	return false;
}

/* East Asian Ambiguous characters as 2 columns (width_set_ambiguous_wide) */
static bool ambiguous_wide;

static bool
is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp < 0xA0);
}

int
width_of_char(uint32_t cp)
{
	if (is_control(cp))
		return 0;
	if (cp < 0xA1 || cp > 0x10FFFF)
		return 1;
	if (cp >= 0x300 && in_table(width_table_zero, COUNT(width_table_zero), cp))
		return 0;
	if (in_table(width_table_wide, COUNT(width_table_wide), cp))
		return 2;
	if (ambiguous_wide && cp != 0xAD && in_table(width_table_ambiguous, COUNT(width_table_ambiguous), cp))
		return 2;
	return 1;
}

void
width_set_ambiguous_wide(bool wide)
{
	ambiguous_wide = wide;
}

size_t
width_of_utf8(const char *s, size_t len)
{
	size_t cols = 0, pos = 0;
	while (pos < len) {
		uint32_t cp;
		pos += utf8_decode(s + pos, len - pos, &cp);
		cols += (size_t)width_of_char(cp);
	}
	return cols;
}

bool
width_is_extender(uint32_t cp)
{
	return cp >= 0x300 && cp <= 0x10FFFF
		&& in_table(width_table_extend, COUNT(width_table_extend), cp);
}

static uint32_t
char_at(const char *s, size_t len, size_t pos)
{
	uint32_t cp;
	utf8_decode(s + pos, len - pos, &cp);
	return cp;
}

bool
width_is_cluster_boundary(const char *s, size_t len, size_t pos)
{
	if (pos == 0 || pos >= len)
		return true;
	if (!width_is_extender(char_at(s, len, pos)))
		return true;
	return is_control(char_at(s, len, utf8_prev(s, len, pos)));
}

/* Like width_cluster_next, also giving the first character of the cluster. */
static size_t
cluster_next(const char *s, size_t len, size_t pos, uint32_t *base, int *cols)
{
	uint32_t cp;
	pos += utf8_decode(s + pos, len - pos, &cp);
	*base = cp;
	int w = width_of_char(cp);
	if (!is_control(cp)) {
		while (pos < len) {
			size_t n = utf8_decode(s + pos, len - pos, &cp);
			if (!width_is_extender(cp))
				break;
			w += width_of_char(cp);
			pos += n;
		}
	}
	*cols = w;
	return pos;
}

size_t
width_cluster_next(const char *s, size_t len, size_t pos, int *cols)
{
	if (pos >= len) {
		if (cols)
			*cols = 0;
		return pos;
	}
	uint32_t base;
	int w;
	size_t end = cluster_next(s, len, pos, &base, &w);
	if (cols)
		*cols = w;
	return end;
}

size_t
width_cluster_prev(const char *s, size_t len, size_t pos)
{
	if (pos > len)
		pos = len;
	if (pos == 0)
		return 0;
	pos = utf8_prev(s, len, pos);
	while (!width_is_cluster_boundary(s, len, pos))
		pos = utf8_prev(s, len, pos);
	return pos;
}

static bool
never_starts_line(uint32_t cp)
{
	switch (cp) {
	case ',': case '.': case ';': case ':': case '?': case '!': case ')': case ']': case '}':
	case 0xFF0C: case 0x3002: case 0x3001: case 0xFF1B: case 0xFF1A: case 0xFF1F: case 0xFF01:
	case 0xFF09: case 0x300D: case 0x300F: case 0x300B: case 0x3009: case 0x3011: case 0x3015:
	case 0x3017: case 0x3019: case 0xFF3D: case 0xFF5D: case 0x201D: case 0x2019:
	case 0x2026: case 0x2025: case 0xFF0E: case 0xFF61: case 0xFF64: case 0xFF63:
		return true;
	default:
		return false;
	}
}

static bool
never_ends_line(uint32_t cp)
{
	switch (cp) {
	case '(': case '[': case '{':
	case 0xFF08: case 0x300C: case 0x300E: case 0x300A: case 0x3008: case 0x3010: case 0x3014:
	case 0x3016: case 0x3018: case 0xFF3B: case 0xFF5B: case 0x201C: case 0x2018: case 0xFF62:
		return true;
	default:
		return false;
	}
}

static bool
may_break_between(uint32_t before, int before_cols, uint32_t after, int after_cols)
{
	if (never_starts_line(after) || never_ends_line(before) || after == ' ')
		return false;
	if (before == ' ' || before == 0x200B)
		return true;
	return before_cols >= 2 || after_cols >= 2;
}

void
width_wrap_init(struct width_wrap *wrap, const char *text, size_t len, int width)
{
	*wrap = (struct width_wrap){
		.text = text,
		.len = len,
		.width = width < 1 ? 1 : width,
		.pos = 0,
		.done = false,
	};
}

static bool
soft_line(struct width_wrap *wrap, struct width_line *line, size_t start, size_t end,
          size_t next, int cols)
{
	*line = (struct width_line){start, end, next, cols, false};
	wrap->pos = next;
	return true;
}

bool
width_wrap_next(struct width_wrap *wrap, struct width_line *line)
{
	if (wrap->done)
		return false;
	const char *s = wrap->text;
	size_t len = wrap->len;
	size_t start = wrap->pos, pos = start;
	int cols = 0;
	size_t content_end = start;
	int content_cols = 0;
	size_t brk = start, brk_end = start;
	int brk_cols = 0;
	size_t last_start = start, before_last_end = start;
	int before_last_cols = 0;
	uint32_t prev = 0;
	int prev_cols = 0;

	while (pos < len && s[pos] != '\n') {
		uint32_t cp;
		int cw;
		size_t cend = cluster_next(s, len, pos, &cp, &cw);
		if (pos > start && may_break_between(prev, prev_cols, cp, cw)) {
			brk = pos;
			brk_end = content_end;
			brk_cols = content_cols;
		}
		if (cp != ' ' && pos > start && cols + cw > wrap->width) {
			/* read: the cluster up to cend and the character after it */
			wrap->seen = cend + 5;
			if (brk > start)
				return soft_line(wrap, line, start, brk_end, brk, brk_cols);
			if ((never_starts_line(cp) || never_ends_line(prev))
			    && content_end == pos && last_start > start)
				return soft_line(wrap, line, start, before_last_end, last_start,
				                 before_last_cols);
			return soft_line(wrap, line, start, content_end, pos, content_cols);
		}
		cols += cw;
		if (cp != ' ') {
			before_last_end = content_end;
			before_last_cols = content_cols;
			last_start = pos;
			content_end = cend;
			content_cols = cols;
		}
		prev = cp;
		prev_cols = cw;
		pos = cend;
	}
	bool hard = pos < len;
	wrap->seen = hard ? pos + 1 : len + 1;
	*line = (struct width_line){start, content_end, hard ? pos + 1 : pos, content_cols, hard};
	wrap->pos = line->next;
	wrap->done = !hard;
	return true;
}
