#ifndef NIANBAO_NUMENTRY_H
#define NIANBAO_NUMENTRY_H

#include <stdbool.h>
#include <stdint.h>

#include "nianbao/value.h"

/* A number being typed into a cell (doc/DESIGN.md §7): the text so far, the cell's type, and
 * the value the cell had before, to put back on cancel. The model beside textedit for
 * number cells; it knows no cells or drafts: the session drives it (session_num_*). */

#define NUMENTRY_MAX 23   /* characters of text; more are ignored */

struct numentry {
	bool active;
	int cell;
	enum value_type type;
	struct value before;
	char text[NUMENTRY_MAX + 1];
};

enum numentry_status {
	NUMENTRY_TAKEN,            /* the character was added */
	NUMENTRY_FULL,             /* no room: ignored, without a message */
	NUMENTRY_NOT_ALLOWED,      /* a character this type never takes */
	NUMENTRY_RANGE,            /* the number would be out of range or too precise (*err says which) */
	NUMENTRY_MINUS_NOT_FIRST,  /* a minus sign after the first character */
	NUMENTRY_SECOND_POINT,     /* a second decimal point */
	NUMENTRY_SPACED,           /* added, but the text holds a space: it is no value */
};

/* Whether ch may be typed into a cell of type at all: digits; '.' for money; '-' for signed;
 * the full-width forms of these (an input method's １２) count as them. A space is taken
 * only after something (numentry_type), and makes the text no value. */
bool numentry_allows(enum value_type type, uint32_t ch);

/* Starts typing into cell, whose value is before: the text is empty (the first key
 * replaces the value). */
void numentry_start(struct numentry *n, int cell, enum value_type type, struct value before);

/* Adds ch to the text. With NUMENTRY_TAKEN, *err is VALUE_OK and *value the value of the
 * text so far, or *err says why the text is not a value yet ("-", "."). With
 * NUMENTRY_RANGE, *err is VALUE_ERR_TOO_LARGE or VALUE_ERR_DECIMALS and nothing changed. */
enum numentry_status numentry_type(struct numentry *n, uint32_t ch, struct value *value, enum value_error *err);

/* Removes the last character; returns the value of what is left (blank when nothing is
 * left, or while it is not a value). */
struct value numentry_backspace(struct numentry *n);

/* The value of the text: VALUE_OK with *value (blank for an empty text), or why the text is
 * not a value for the cell. */
enum value_error numentry_value(const struct numentry *n, struct value *value);

#endif
