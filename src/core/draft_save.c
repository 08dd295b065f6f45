#include <config.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nianbao/atomicio.h"
#include "nianbao/draft.h"
#include "nianbao/i18n.h"
#include "nianbao/strbuf.h"
#include "nianbao/utf8.h"

/* Whether the character at s (n bytes, code point cp) cannot be written raw in a YAML
 * scalar and read back as itself: control characters (C0 but newline and tab, DEL, C1 -
 * U+0085 included, which YAML reads as a line break), the line and paragraph separators,
 * the byte-order mark and the noncharacters U+FFFE and U+FFFF, which libyaml refuses. */
static bool
needs_escape(uint32_t cp)
{
	return (cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 ||
	       cp == 0x2029 || cp == 0xfeff || cp == 0xfffe || cp == 0xffff;
}

static bool
any_needs_escape(const char *s)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		i += utf8_decode(s + i, len - i, &cp);
		if (cp == UTF8_INVALID || needs_escape(cp))
			return true;
	}
	return false;
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
	return !any_needs_escape(s);
}

/* A double-quoted scalar, which can carry any text: every character a YAML reader would
 * not give back as itself is escaped (\n, \t, \xNN, \uNNNN). */
static void
put_quoted(struct strbuf *b, const char *s)
{
	strbuf_puts(b, "\"");
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (cp == '"' || cp == '\\')
			strbuf_printf(b, "\\%c", (char)cp);
		else if (cp == '\n')
			strbuf_puts(b, "\\n");
		else if (cp == '\t')
			strbuf_puts(b, "\\t");
		else if (cp == UTF8_INVALID)
			strbuf_puts(b, "\\uFFFD");   /* never in a loaded draft: the loader refuses bad UTF-8 */
		else if (cp < 0x100 && needs_escape(cp))
			strbuf_printf(b, "\\x%02X", (unsigned)cp);
		else if (needs_escape(cp))
			strbuf_printf(b, "\\u%04X", (unsigned)cp);
		else
			strbuf_add(b, s + i, n);
		i += n;
	}
	strbuf_puts(b, "\"");
}

static void
put_scalar(struct strbuf *b, const char *s)
{
	if (safe_plain(s))
		strbuf_puts(b, s);
	else
		put_quoted(b, s);
}

/* Whether a literal block would not give text back as it is: a first line that starts with
 * a tab, trailing spaces or tabs on a line, leading or trailing blank lines (a text set
 * through draft_set_text never has these, but a text is written as it is held). */
static bool
text_needs_quotes(const char *text)
{
	size_t len = strlen(text);
	if (!len || text[0] == '\t' || text[0] == '\n' || text[len - 1] == '\n')
		return true;
	for (size_t i = 0; i < len; i++)
		if ((text[i] == ' ' || text[i] == '\t') && (text[i + 1] == '\n' || text[i + 1] == '\0'))
			return true;
	return false;
}

/* A literal block, indented by two spaces; texts are stored without a final newline,
 * which `|` restores as one, and the loader strips again. */
static void
put_text(struct strbuf *b, const char *key, const char *text)
{
	strbuf_printf(b, "%s:", key);
	if (!text) {
		strbuf_puts(b, " ~\n");
		return;
	}
	if (any_needs_escape(text) || text_needs_quotes(text)) {
		/* a literal block cannot carry it: a double-quoted scalar can */
		strbuf_puts(b, " ");
		put_quoted(b, text);
		strbuf_puts(b, "\n");
		return;
	}
	/* a first line that starts with a space needs an explicit indentation indicator */
	strbuf_puts(b, text[0] == ' ' ? " |2\n" : " |\n");
	const char *line = text;
	for (;;) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		if (n > 0) {
			strbuf_puts(b, "  ");
			strbuf_add(b, line, n);
		}
		strbuf_puts(b, "\n");
		if (!end)
			break;
		line = end + 1;
	}
}

static void
put_row(struct strbuf *b, const struct draft *d, int table_index, int row, int indent)
{
	const struct template *tpl = d->tpl;
	const struct tpl_table *table = &tpl->tables[table_index];
	bool any = false;
	for (int c = 0; c < table->cols.leaf_count; c++)
		any |= tpl->cells[template_cell_at(tpl, table_index, row, c)].formula < 0;
	if (!any)
		return;   /* a computed row such as （七）总计 */
	strbuf_printf(b, "%*s%s: {", indent, "", table->rows.nodes[table->rows.leaves[row]].id);
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
		strbuf_printf(b, "%s%s: %s", first ? "" : ", ", table->cols.nodes[table->cols.leaves[c]].id, num);
		first = false;
	}
	strbuf_puts(b, "}\n");
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
put_table(struct strbuf *b, const struct draft *d, int table_index, const char **open_path)
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
			strbuf_printf(b, "%*s%.*s:\n", level * 2, "", (int)n, p);
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
	struct strbuf b = {0};
	strbuf_puts(&b, "nianbao: 1\n");
	strbuf_printf(&b, "template: %s\n", tpl->id);
	strbuf_puts(&b, "organization: ");
	put_scalar(&b, d->organization);
	strbuf_puts(&b, "\n");
	if (d->year)
		strbuf_printf(&b, "year: %d\n", d->year);
	else
		strbuf_puts(&b, "year: ~\n");
	if (d->previous) {
		strbuf_puts(&b, "previous: ");
		put_scalar(&b, d->previous);
		strbuf_puts(&b, "\n");
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
		strbuf_puts(&b, "sources:\n");
		for (size_t i = 0; i < d->source_count; i++) {
			const struct draft_source *src = &d->sources[i];
			strbuf_puts(&b, "  - file: ");
			put_scalar(&b, src->file);
			strbuf_puts(&b, "\n    organization: ");
			put_scalar(&b, src->organization);
			strbuf_printf(&b, "\n    sha256: %s\n", src->sha256);
			if (src->errors)
				strbuf_printf(&b, "    errors: %d\n", src->errors);
		}
	}
	return strbuf_take(&b, len);
}

static bool
save(const struct draft *d, const char *path, unsigned flags, struct diag_list *diags)
{
	size_t len;
	char *text = draft_serialize(d, &len);
	bool ok = atomic_write_ex(path, text, len, flags, diags);
	free(text);
	return ok;
}

bool
draft_save(const struct draft *d, const char *path, struct diag_list *diags)
{
	return save(d, path, ATOMIC_BACKUP, diags);
}

bool
draft_save_new(const struct draft *d, const char *path, struct diag_list *diags)
{
	return save(d, path, ATOMIC_CREATE, diags);
}
