#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nianbao/atomicio.h"
#include "nianbao/draft.h"
#include "nianbao/i18n.h"

struct buf {
	char *data;
	size_t len;
	size_t capacity;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->capacity) {
		while (b->len + n + 1 > b->capacity)
			b->capacity = b->capacity ? b->capacity * 2 : 4096;
		b->data = xrealloc(b->data, b->capacity);
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void
puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

__attribute__((format(printf, 2, 3))) static void
putf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char tmp[512];
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof tmp) {
		put(b, tmp, (size_t)n);
		return;
	}
	va_start(ap, fmt);
	char *big = xmalloc((size_t)n + 1);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	put(b, big, (size_t)n);
	free(big);
}

/* A plain scalar reads back as the same string when it has no YAML meaning of its own. */
static bool
safe_plain(const char *s)
{
	if (!s[0] || strchr("-?:,[]{}#&*!|>'\"%@` ~", s[0]))
		return false;
	static const char *const words[] = {"null", "Null", "NULL", "true", "True", "TRUE", "false", "False",
	                                    "FALSE", "yes", "Yes", "no", "No", "on", "On", "off", "Off"};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (!strcmp(s, words[i]))
			return false;
	if (strspn(s, "0123456789+-.eE") == strlen(s))
		return false;
	if (strstr(s, ": ") || strstr(s, " #") || strchr(s, '\n') || strchr(s, '\t'))
		return false;
	size_t len = strlen(s);
	if (s[len - 1] == ' ' || s[len - 1] == ':')
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static void
put_scalar(struct buf *b, const char *s)
{
	if (safe_plain(s)) {
		puts_(b, s);
		return;
	}
	puts_(b, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			putf(b, "\\%c", *p);
		else if (*p == '\n')
			puts_(b, "\\n");
		else if (*p == '\t')
			puts_(b, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			putf(b, "\\x%02x", *p);
		else
			put(b, (const char *)p, 1);
	}
	puts_(b, "\"");
}

/* A literal block, indented by two spaces; texts are stored without a final newline,
 * which `|` restores as one, and the loader strips again. */
static void
put_text(struct buf *b, const char *key, const char *text)
{
	putf(b, "%s:", key);
	if (!text) {
		puts_(b, " ~\n");
		return;
	}
	/* a first line that starts with a space needs an explicit indentation indicator */
	puts_(b, text[0] == ' ' ? " |2\n" : " |\n");
	const char *line = text;
	for (;;) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		if (n > 0) {
			puts_(b, "  ");
			put(b, line, n);
		}
		puts_(b, "\n");
		if (!end)
			break;
		line = end + 1;
	}
}

static void
put_row(struct buf *b, const struct draft *d, int table_index, int row, int indent)
{
	const struct template *tpl = d->tpl;
	const struct tpl_table *table = &tpl->tables[table_index];
	bool any = false;
	for (int c = 0; c < table->cols.leaf_count; c++)
		any |= tpl->cells[template_cell_at(tpl, table_index, row, c)].formula < 0;
	if (!any)
		return;   /* a computed row such as （七）总计 */
	putf(b, "%*s%s: {", indent, "", table->rows.nodes[table->rows.leaves[row]].id);
	bool first = true;
	for (int c = 0; c < table->cols.leaf_count; c++) {
		int cell = template_cell_at(tpl, table_index, row, c);
		if (tpl->cells[cell].formula >= 0)
			continue;
		char num[VALUE_FORMAT_MAX];
		struct value v = d->cells[cell];
		if (v.set)
			value_format(v, num, sizeof num);
		else
			strcpy(num, "~");
		putf(b, "%s%s: %s", first ? "" : ", ", table->cols.nodes[table->cols.leaves[c]].id, num);
		first = false;
	}
	puts_(b, "}\n");
}

/* Number of leading dotted components two paths share. */
static int
shared_components(const char *a, const char *b)
{
	int n = 0;
	for (;;) {
		size_t la = strcspn(a, "."), lb = strcspn(b, ".");
		if (la != lb || strncmp(a, b, la))
			return n;
		n++;
		if (!a[la] || !b[lb])
			return n;
		a += la + 1;
		b += lb + 1;
	}
}

static int
component_count(const char *path)
{
	int n = 1;
	for (; *path; path++)
		n += *path == '.';
	return n;
}

static void
put_table(struct buf *b, const struct draft *d, int table_index, const char **open_path)
{
	const char *path = d->tpl->tables[table_index].path;
	int depth = component_count(path);
	int shared = *open_path ? shared_components(*open_path, path) : 0;
	if (shared == depth)
		shared = depth - 1;
	/* open the mapping keys this table does not share with the one before */
	const char *p = path;
	for (int level = 0; level < depth; level++) {
		size_t n = strcspn(p, ".");
		if (level >= shared)
			putf(b, "%*s%.*s:\n", level * 2, "", (int)n, p);
		p += n + (p[n] ? 1 : 0);
	}
	const struct tpl_table *table = &d->tpl->tables[table_index];
	for (int r = 0; r < table->rows.leaf_count; r++)
		put_row(b, d, table_index, r, depth * 2);
	*open_path = path;
}

char *
draft_serialize(const struct draft *d, size_t *len)
{
	const struct template *tpl = d->tpl;
	struct buf b = {0};
	puts_(&b, "nianbao: 1\n");
	putf(&b, "template: %s\n", tpl->id);
	puts_(&b, "organization: ");
	put_scalar(&b, d->organization);
	puts_(&b, "\n");
	if (d->year)
		putf(&b, "year: %d\n", d->year);
	else
		puts_(&b, "year: ~\n");
	if (d->previous) {
		puts_(&b, "previous: ");
		put_scalar(&b, d->previous);
		puts_(&b, "\n");
	}
	if (tpl->preface >= 0)
		put_text(&b, tpl->texts[tpl->preface].id, d->texts[tpl->preface]);
	const char *open_path = NULL;
	for (int s = 0; s < tpl->section_count; s++) {
		const struct tpl_section *section = &tpl->sections[s];
		for (int i = 0; i < section->item_count; i++) {
			const struct tpl_item *item = &section->items[i];
			if (item->kind == ITEM_TEXT) {
				put_text(&b, tpl->texts[item->index].id, d->texts[item->index]);
				open_path = NULL;
			} else {
				put_table(&b, d, item->index, &open_path);
			}
		}
	}
	if (d->source_count) {
		puts_(&b, "sources:\n");
		for (size_t i = 0; i < d->source_count; i++) {
			const struct draft_source *src = &d->sources[i];
			puts_(&b, "  - file: ");
			put_scalar(&b, src->file);
			puts_(&b, "\n    organization: ");
			put_scalar(&b, src->organization);
			putf(&b, "\n    sha256: %s\n", src->sha256);
			if (src->errors)
				putf(&b, "    errors: %d\n", src->errors);
		}
	}
	*len = b.len;
	return b.data;
}

bool
draft_save(const struct draft *d, const char *path, struct diag_list *diags)
{
	size_t len;
	char *text = draft_serialize(d, &len);
	bool ok = atomic_write(path, text, len, true, diags);
	free(text);
	return ok;
}
