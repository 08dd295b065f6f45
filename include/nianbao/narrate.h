#ifndef NIANBAO_NARRATE_H
#define NIANBAO_NARRATE_H

#include <stdbool.h>

#include "nianbao/draft.h"

/* The standard sentences written from the tables (doc/DESIGN.md §2 `narrate`), in the
 * official register: "2021年，共收到政府信息公开申请27件，上年结转3件。其中，予以公开13件，
 * …；结转下年度继续办理3件。" Rows that are 0 are left out, or said as 未收到… / 未发生….
 * The numbers come from the cells, so they cannot disagree with the table: the `narrative`
 * check passes on every sentence written here. */

enum narrate_section {
	NARRATE_PROACTIVE,   /* 主动公开: table 二 */
	NARRATE_REQUESTS,    /* 依申请: table 三 */
	NARRATE_APPEALS,     /* 复议诉讼: table 四 */
	NARRATE_SECTION_COUNT
};

/* The section named by its Chinese name (主动公开, 依申请, 复议诉讼) or an English one
 * (proactive, requests, appeals); -1 when unknown. */
int narrate_section_by_name(const char *name);

/* The paragraph for one section, malloc'd, ending with "。" and no newline. Returns NULL
 * when a cell it needs is blank (a number is never guessed) and then, if blank is not NULL,
 * stores the index of the first blank cell there. */
char *narrate_section(const struct draft *draft, enum narrate_section section, int *blank);

#endif
