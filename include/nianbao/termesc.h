#ifndef NIANBAO_TERMESC_H
#define NIANBAO_TERMESC_H

/* Text from a draft made safe to print on a terminal (or into a CSV or HTML cell): C0 and
 * C1 controls, DEL and the bidirectional overrides and isolates (U+202A..U+202E,
 * U+2066..U+2069) become visible escapes such as "\x1b" or "<U+202E>"; a bad UTF-8 byte
 * becomes "\xNN". Other text, Chinese included, is kept. Returns a malloc'd string. */
char *term_escape(const char *text);

#endif
