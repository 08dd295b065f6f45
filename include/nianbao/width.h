#ifndef NIANBAO_WIDTH_H
#define NIANBAO_WIDTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Display width in terminal columns, from the Unicode tables built into the program
 * (src/core/gen-width-table.sh), the same under every locale; wcwidth is never used. */

/* 2 for East Asian Wide and Fullwidth; 0 for combining marks (Mn, Me), format characters
 * (Cf, e.g. U+200B, U+200D, U+FEFF; except U+00AD, 1), conjoining Hangul vowels and finals,
 * and for control characters (C0, DEL, C1: they have no glyph; callers drop them or,
 * for '\n', break the line); 1 otherwise, including East Asian Ambiguous, unassigned code
 * points outside the CJK blocks, and UTF8_INVALID / values above U+10FFFF (shown as U+FFFD);
 * East Asian Ambiguous counts 2 after width_set_ambiguous_wide(true). */
int width_of_char(uint32_t cp);

/* Counts East Asian Ambiguous characters (curly quotes, ·, ×, №, box drawing, Greek ...)
 * as 2 columns from now on, as GBK fonts draw them: for output in GB18030 or GBK, read in
 * Notepad or WPS (render --encoding). One setting for the process; off by default. */
void width_set_ambiguous_wide(bool wide);

/* Sum of width_of_char over the characters of s; a bad UTF-8 sequence counts 1. */
size_t width_of_utf8(const char *s, size_t len);

/* Whether cp belongs to the character before it (combining marks Mn/Mc/Me, ZWNJ, ZWJ,
 * conjoining Hangul, tag characters) rather than standing alone. */
bool width_is_extender(uint32_t cp);

/* A cluster is a character with the extenders that follow it, unless that character is a
 * control (so a mark after '\n' starts a cluster of its own); it is the unit that a cursor
 * moves over and that a line break never splits. */

/* End of the cluster starting at pos (pos < len); stores its display width in *cols when
 * cols is not NULL. Returns pos when pos >= len. */
size_t width_cluster_next(const char *s, size_t len, size_t pos, int *cols);

/* Start of the cluster that ends at pos, the inverse of width_cluster_next; 0 when pos is 0. */
size_t width_cluster_prev(const char *s, size_t len, size_t pos);

/* Whether pos is a cluster boundary of s (0 and len are). */
bool width_is_cluster_boundary(const char *s, size_t len, size_t pos);

/* Line wrapping by display width with Chinese line-breaking rules:
 * - '\n' ends a line (a "hard" break); a text ending in '\n' has a last, empty line;
 * - a line may break between any two clusters where one is wide (CJK), and after a run of
 *   spaces (U+0020) or after U+200B; never inside a run of narrow non-space characters (a
 *   Latin word, a number, "3.5%"), unless that run alone is longer than the line;
 * - a line never starts with closing punctuation (，。、；：？！）」』》〉】〕〗〙］｝”’…‥ and
 *   ,.;:?!)] }) and never ends with opening punctuation (（「『《〈【〔〖〘［｛“‘ and ([{ ):
 *   the character before is carried down instead; only a run that cannot be broken at
 *   all is cut at the width, and even then not before closing or after opening punctuation
 *   when one character earlier will do;
 * - spaces at a soft break hang: they stay on the line they end, are not counted in its
 *   width and never cause a break;
 * - a cluster wider than the width goes alone on its own line.
 * Text other than '\n' is used as is: controls count 0 columns and break nothing. */
struct width_line {
	size_t start;   /* first byte of the line */
	size_t end;     /* end of the visible text: trailing spaces excluded */
	size_t next;    /* where the following line starts: after the hanging spaces, after
	                 * the '\n' (hard break), or the text length (last line) */
	int cols;       /* display width of [start, end): at most the width, unless the line
	                 * is a single cluster wider than the width */
	bool hard;      /* the line ends with a '\n', at next - 1 */
};

/* Iterator over the lines; holds no memory of its own. */
struct width_wrap {
	const char *text;
	size_t len;
	int width;
	size_t pos;      /* where the next line starts; a caller may set it to 0, to just
	                  * after any '\n', or to the next of any line returned, to resume
	                  * there (the lines from a position on depend only on the text from
	                  * there on) */
	bool done;
	size_t seen;     /* after a call: the line it returned depends on no byte at or past
	                  * this offset; it may exceed len, which then means the line depends
	                  * on where the text ends */
};

/* Starts wrapping text at width columns (a width below 1 counts as 1). */
void width_wrap_init(struct width_wrap *wrap, const char *text, size_t len, int width);

/* Stores the next line and returns true, or returns false after the last line. The first
 * call always yields a line, even for empty text. */
bool width_wrap_next(struct width_wrap *wrap, struct width_line *line);

#endif
