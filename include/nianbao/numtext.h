#ifndef NIANBAO_NUMTEXT_H
#define NIANBAO_NUMTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nianbao/value.h"

/* Numbers as people paste or type them: from a spreadsheet cell, a web table or a Chinese
 * input method. Stricter than it is kind: a number never spans a space, a tab or a line
 * break ("12 345" is refused, not read as 12345). */

/* The ASCII character a number may use for cp: full-width digits ０..９, full-width
 * minus, plus and point (－ ＋ ．) and the minus sign U+2212 become 0..9 - + .; an ASCII
 * character is itself; anything else gives 0. */
char numtext_ascii(uint32_t cp);

/* Reads the text of one cell: spaces (ASCII, no-break, ideographic) around it are
 * ignored, full-width characters are read as numtext_ascii says, and commas are allowed
 * as thousands separators only where they group exactly three digits ("1,234,567").
 * Empty text (or only spaces) sets *empty and a blank value. Otherwise returns what
 * value_parse says of the ASCII form (VALUE_ERR_SYNTAX for anything that is not one
 * plain number). */
enum value_error numtext_parse(const char *text, size_t len, enum value_type type,
                               struct value *out, bool *empty);

#endif
