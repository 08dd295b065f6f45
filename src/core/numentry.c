#include <config.h>

#include <string.h>

#include "nianbao/numentry.h"
#include "nianbao/numtext.h"

/* Full-width digits, minus and point from an input method are digits. */
static uint32_t
ascii_of(uint32_t ch)
{
	char a = ch >= 0x80 ? numtext_ascii(ch) : 0;
	return a ? (uint32_t)a : ch;
}

bool
numentry_allows(enum value_type type, uint32_t ch)
{
	ch = ascii_of(ch);
	return (ch >= '0' && ch <= '9') || (ch == '.' && type == VALUE_MONEY) || (ch == '-' && type == VALUE_SIGNED);
}

void
numentry_start(struct numentry *n, int cell, enum value_type type, struct value before)
{
	n->active = true;
	n->cell = cell;
	n->type = type;
	n->before = before;
	n->text[0] = '\0';
}

enum numentry_status
numentry_type(struct numentry *n, uint32_t ch, struct value *value, enum value_error *err)
{
	*value = value_blank();
	*err = VALUE_OK;
	ch = ascii_of(ch);
	size_t len = strlen(n->text);
	/* a space after a digit is kept, and the text is then no value: "12 345" is refused
	 * at commit, never read as 12345 */
	bool spaced = strchr(n->text, ' ') != NULL;
	if (!numentry_allows(n->type, ch) && !(ch == ' ' && len > 0))
		return NUMENTRY_NOT_ALLOWED;
	if (len >= NUMENTRY_MAX)
		return NUMENTRY_FULL;
	if (ch == ' ' || spaced) {
		n->text[len] = (char)ch;
		n->text[len + 1] = '\0';
		*err = VALUE_ERR_SYNTAX;
		return NUMENTRY_SPACED;
	}
	char next[NUMENTRY_MAX + 1];
	memcpy(next, n->text, len);
	next[len] = (char)ch;
	next[len + 1] = '\0';
	struct value v = value_blank();
	enum value_error e = value_parse(next, len + 1, n->type, &v);
	if (e == VALUE_ERR_TOO_LARGE || e == VALUE_ERR_DECIMALS) {
		*err = e;
		return NUMENTRY_RANGE;
	}
	if (ch == '-' && len > 0)
		return NUMENTRY_MINUS_NOT_FIRST;
	if (ch == '.' && strchr(n->text, '.'))
		return NUMENTRY_SECOND_POINT;
	memcpy(n->text, next, len + 2);
	*err = e;
	if (e == VALUE_OK)
		*value = v;
	return NUMENTRY_TAKEN;
}

struct value
numentry_backspace(struct numentry *n)
{
	size_t len = strlen(n->text);
	if (len)
		n->text[len - 1] = '\0';
	struct value v = value_blank();
	if (numentry_value(n, &v) != VALUE_OK)
		v = value_blank();
	return v;
}

enum value_error
numentry_value(const struct numentry *n, struct value *value)
{
	*value = value_blank();
	if (!n->text[0])
		return VALUE_OK;
	struct value v = value_blank();
	enum value_error e = value_parse(n->text, strlen(n->text), n->type, &v);
	if (e == VALUE_OK)
		*value = v;
	return e;
}
