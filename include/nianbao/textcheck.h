#ifndef NIANBAO_TEXTCHECK_H
#define NIANBAO_TEXTCHECK_H

#include <stdbool.h>
#include <stddef.h>

/* Measures of a narrative text behind the `repeated`, `stale-year` and `thin-section`
 * checks (doc/DESIGN.md §5). Curses-free; every function is linear in the text length. */

/* Length in characters of the character shingles `repeated` compares. */
#define TEXTCHECK_SHINGLE 6

/* The share, in percent (0..100, rounded down), of text's characters that lie in a run of
 * TEXTCHECK_SHINGLE characters also found in old. Spaces and line breaks are left out of
 * both before comparing. Returns -1 when text has fewer than 4 × TEXTCHECK_SHINGLE
 * characters (a sentence or two: too short to judge) or old is empty. */
int textcheck_repeated_share(const char *text, const char *old);

/* A year other than year named where a report must name its own: in a sentence giving the
 * statistics period (统计期限, 统计时限, 统计期间, 所列数据 …), or, when opening is true,
 * in the first two sentences of the text. Years written 2021年, 2021-01-01 or 二〇二一年
 * count; a comparison (较2021年, 与2021年相比, 比2021年, 同比) and years inside 《》 or 〔〕
 * do not. Returns the stale year (0 if none); *at and *len get the byte span of the sentence. */
int textcheck_stale_year(const char *text, int year, bool opening, size_t *at, size_t *len);

/* The number of characters in text that carry meaning: letters, digits and ideographs, not
 * spaces or punctuation ("无。" has 1), counted up to enough (a long text stops there). */
size_t textcheck_content_chars(const char *text, size_t enough);

#endif
