#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nianbao/diag.h"
#include "nianbao/textcheck.h"

static const char last_year[] =
	"2021年，区组织部严格按照区党工委、管委会的工作要求，扎实做好政府信息公开服务，切实提高主动公开意识，"
	"提高政府工作透明度，助力法治政府建设，不断提升公共服务水平和效率。";

static void
test_repeated_share(void **state)
{
	(void)state;
	assert_int_equal(textcheck_repeated_share(last_year, last_year), 100);
	/* line breaks and spaces do not hide a copy */
	assert_int_equal(textcheck_repeated_share("2021年，区组织部严格按照区党工委、管委会的工作要求，\n  扎实做好政府信息公开服务，"
	                                          "切实提高主动公开意识，提高政府工作透明度，助力法治政府建设，"
	                                          "不断提升公共服务水平和效率。", last_year), 100);
	/* a rewritten text shares little */
	int share = textcheck_repeated_share("2022年，我部以数字政府建设为抓手，新建政务公开专区一个，"
	                                     "全年公开干部任免信息三十余条，组织业务培训两次。", last_year);
	assert_true(share >= 0 && share < 20);
	/* half copied, half new */
	char *half = xasprintf("%s%s", "2022年，我部以数字政府建设为抓手，新建政务公开专区一个，全年公开干部任免信息三十余条，"
	                                "组织业务培训两次，完成网站改版，", "扎实做好政府信息公开服务，切实提高主动公开意识，"
	                                "提高政府工作透明度，助力法治政府建设，不断提升公共服务水平和效率。");
	share = textcheck_repeated_share(half, last_year);
	assert_true(share >= 40 && share <= 60);
	free(half);
	/* too short to judge, or nothing to compare with */
	assert_int_equal(textcheck_repeated_share("无。", "无。"), -1);
	assert_int_equal(textcheck_repeated_share(last_year, ""), -1);
	/* linear: a long text against a long text is quick (and exact) */
	size_t big = 200000;
	char *a = xmalloc(big * 3 + 1);
	for (size_t i = 0; i < big; i++)
		memcpy(a + 3 * i, i % 7 ? "政" : "务", 3);
	a[big * 3] = 0;
	assert_int_equal(textcheck_repeated_share(a, a), 100);
	free(a);
}

static void
test_stale_year(void **state)
{
	(void)state;
	size_t at, len;
	/* the statistics period, anywhere in the text */
	const char *preface = "本报告由区政府办公室编制。本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。如有疑问请联系。";
	assert_int_equal(textcheck_stale_year(preface, 2022, false, &at, &len), 2021);
	assert_true(!strncmp(preface + at, "本报告所列数据", strlen("本报告所列数据")));
	assert_int_equal(textcheck_stale_year(preface, 2021, false, &at, &len), 0);
	assert_int_equal(textcheck_stale_year("统计期限为2021-01-01至2021-12-31。", 2022, false, &at, &len), 2021);
	assert_int_equal(textcheck_stale_year("统计期限为二〇二一年全年。", 2022, false, &at, &len), 2021);
	/* a statistics period broken over two lines */
	assert_int_equal(textcheck_stale_year("报告中所列数据统计期限自\n2021 年 1 月 1 日起至 2021 年 12 月 31 日止。", 2022, false, &at,
	                                      &len), 2021);
	/* the opening of 一 only when asked */
	const char *overview = "2021年，我局认真贯彻落实《条例》。全年主动公开信息56条。2020年的经验继续发扬。";
	assert_int_equal(textcheck_stale_year(overview, 2022, true, &at, &len), 2021);
	assert_int_equal(textcheck_stale_year(overview, 2022, false, &at, &len), 0);
	/* a year after the opening sentences is not checked */
	assert_int_equal(textcheck_stale_year(overview, 2021, true, &at, &len), 0);
	/* comparisons and titles are allowed */
	assert_int_equal(textcheck_stale_year("2022年，我局收到申请较2021年增加3件，上年结转1件。", 2022, true, &at, &len), 0);
	assert_int_equal(textcheck_stale_year("2022年，申请数量与2021年相比有所下降。", 2022, true, &at, &len), 0);
	assert_int_equal(textcheck_stale_year("2022年，落实《2022年政务公开工作要点》和国办公开办函〔2021〕30号。", 2022, true, &at, &len), 0);
	/* not a year: a count, a phone number */
	assert_int_equal(textcheck_stale_year("统计期限内收到2021件申请，电话0517-87290606。", 2022, false, &at, &len), 0);
	assert_int_equal(textcheck_stale_year(NULL, 2022, true, &at, &len), 0);
}

static void
test_content_chars(void **state)
{
	(void)state;
	assert_int_equal(textcheck_content_chars("无。", 100), 1);
	assert_int_equal(textcheck_content_chars("  无\n", 100), 1);
	assert_int_equal(textcheck_content_chars("暂无问题。", 100), 4);
	assert_int_equal(textcheck_content_chars("（一）存在问题：信息更新不及时。", 100), 12);
	assert_int_equal(textcheck_content_chars("", 100), 0);
	assert_int_equal(textcheck_content_chars("（一）存在问题：信息更新不及时。", 5), 5);   /* stops at enough */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repeated_share),
		cmocka_unit_test(test_stale_year),
		cmocka_unit_test(test_content_chars),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
