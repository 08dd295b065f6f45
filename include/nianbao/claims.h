#ifndef NIANBAO_CLAIMS_H
#define NIANBAO_CLAIMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nianbao/template.h"
#include "nianbao/value.h"

/* Narrative claims (doc/DESIGN.md §5 `narrative`): the counts and amounts a text states about
 * the tables, found clause by clause. A claim is a number with a unit (件 次 宗 个 份 条 篇
 * 起, 万元 元, or a percentage) tied, in the same clause and in either order, to a table
 * quantity named by its nouns ("收到政府信息公开申请27件", "受理36件政府信息公开申请"), or a
 * negation that states zero ("未收到政府信息公开申请"). Lines broken inside a sentence are
 * joined first. Numbers about other things (training sessions, meetings, documents made
 * public, web posts, changes against last year, other years) are not claims. The lexicon
 * is Chinese, not a form version: quantities are resolved against any template by cell id,
 * and a quantity the template lacks is never claimed. */

enum claim_quantity {
	CLAIM_NEW,           /* 三、一 本年新收 */
	CLAIM_CARRIED_IN,    /* 三、二 上年结转 */
	CLAIM_GRANTED,       /* 三、三（一）予以公开 */
	CLAIM_PARTIAL,       /* （二）部分公开 */
	CLAIM_DENIED,        /* （三）不予公开, all its rows */
	CLAIM_UNAVAILABLE,   /* （四）无法提供 */
	CLAIM_UNHANDLED,     /* （五）不予处理 */
	CLAIM_OTHER,         /* （六）其他处理 */
	CLAIM_CARRIED_OUT,   /* 三、四 结转下年度继续办理 */
	CLAIM_RULES,         /* 二 规章 */
	CLAIM_NORMATIVE,     /* 二 行政规范性文件 */
	CLAIM_LICENSING,     /* 二 行政许可 处理决定 */
	CLAIM_PENALTY,       /* 二 行政处罚 */
	CLAIM_COERCION,      /* 二 行政强制 */
	CLAIM_FEES,          /* 二 行政事业性收费 金额 (万元) */
	CLAIM_REVIEW,        /* 四 行政复议 总计 */
	CLAIM_LITIGATION,    /* 四 行政诉讼 (both kinds) 总计 */
	CLAIM_LIT_DIRECT,    /* 四 未经复议直接起诉 总计 */
	CLAIM_LIT_AFTER,     /* 四 复议后起诉 总计 */
	CLAIM_QUANTITY_COUNT
};

enum claim_column {
	CLAIM_COL_TOTAL,     /* the row's total, or the only figure */
	CLAIM_COL_NATURAL,   /* 自然人 */
	CLAIM_COL_LEGAL_PERSONS, /* 法人或其他组织 (the five columns) */
	CLAIM_COL_BUSINESS,
	CLAIM_COL_RESEARCH,
	CLAIM_COL_NONPROFIT,
	CLAIM_COL_LEGAL,
	CLAIM_COL_ISSUED,    /* 二: 本年制发 (2019: 本年新制作) */
	CLAIM_COL_REPEALED,  /* 本年废止 */
	CLAIM_COL_IN_FORCE,  /* 现行有效 */
	CLAIM_COL_PUBLISHED, /* 2019: 本年新公开 */
	CLAIM_COL_PUBLIC_TOTAL, /* 2019: 对外公开总数量 */
	CLAIM_COLUMN_COUNT
};

enum claim_unit { CLAIM_UNIT_COUNT, CLAIM_UNIT_MONEY, CLAIM_UNIT_PERCENT };

struct claim {
	enum claim_quantity quantity;
	enum claim_column column;
	enum claim_unit unit;
	/* the stated number as mantissa / 10^decimals; money in 万元 (元 converted),
	 * a percentage in percent */
	int64_t mantissa;
	int decimals;
	bool negation;       /* stated zero by 未收到 / 无 / 未发生 … */
	size_t start, end;   /* the statement, as byte offsets into the text scanned */
};

/* Finds the claims in text (UTF-8; bad bytes are skipped). year is the report year (0 if
 * unknown): a number in a clause naming another year is not a claim about this report.
 * Returns the number of claims; *out is malloc'd (NULL when none). Linear in the text. */
size_t claims_scan(const char *text, int year, struct claim **out);

enum claim_verdict { CLAIM_AGREES, CLAIM_CONTRADICTS, CLAIM_UNKNOWN };

/* Compares a claim with the cells (tpl->cell_count values, computed cells included).
 * CLAIM_UNKNOWN when the template lacks the quantity, a cell is blank, or the stated number
 * cannot be held by a cell. Otherwise *table gets the table's figure (for a percentage:
 * the share in percent, rounded to the stated decimals, of the best-matching base) and
 * *cell a cell to show. */
enum claim_verdict claims_verify(const struct template *tpl, const struct value *cells, const struct claim *claim,
                                 struct value *table, int *cell);

/* The table quantity in the template's words ("（三）不予公开 / 总计"); malloc'd. */
char *claims_describe(const struct template *tpl, const struct claim *claim);

/* The stated number as text ("27", "1.5", "48%"); buf of VALUE_FORMAT_MAX suffices. */
void claims_format_stated(const struct claim *claim, char *buf, size_t size);

#endif
