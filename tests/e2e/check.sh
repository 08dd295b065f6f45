#!/bin/sh
# nianbao new and nianbao check, as a batch user drives them.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
set -e
cd "$WORK"

run "$NIANBAO" new --org 测试局 --year 2021 blank.yaml
check_status "new writes a draft" 0
check_contains "new picks gov-info-2021 for 2021" blank.yaml "template: gov-info-2021"
check_contains "a new draft lists every cell as blank" blank.yaml "  other_misc: {natural: ~, business: ~, research: ~, nonprofit: ~, legal: ~, other: ~}"

run "$NIANBAO" new --year 2020 old.yaml
check_status "new for 2020 works" 0
check_contains "new picks gov-info-2019 for 2020" old.yaml "template: gov-info-2019"

before=$(sha256sum blank.yaml)
run "$NIANBAO" new --year 2022 blank.yaml
check_status "new refuses an existing file" 2
check_contains "new says the file exists" "$WORK/err" "blank.yaml already exists; nothing was written"
[ "$(sha256sum blank.yaml)" = "$before" ] && ok "the existing file is unchanged" || not_ok "the existing file is unchanged"

run "$NIANBAO" check blank.yaml
check_status "check exits 1 on a draft with errors" 1
check_contains "blank cells are listed with their position" "$WORK/err" "blank.yaml:19:18: error: [blank] 一、本年新收政府信息公开申请数量 / 自然人 is blank (requests.new.natural)"
check_contains "empty sections are errors" "$WORK/err" "error: [empty-section] 五、存在的主要问题及改进情况 is empty"
check_contains "a one-line summary per file" "$WORK/out" "blank.yaml: 169 errors, 0 warnings"
[ "$(sha256sum blank.yaml)" = "$before" ] && ok "check does not modify the file" || not_ok "check does not modify the file"

# fill every cell with 0 and the texts: a clean draft
sed -e 's/: ~/: 0/g' -e 's/^year: 0/year: 2021/' blank.yaml > clean.yaml
sed -i -e 's/^preface: 0$/preface: ~/' -e 's/^overview: 0$/overview: 本年度未收到政府信息公开申请。/' \
	-e 's/^problems: 0$/problems: 信息更新不够及时，下一步将建立月度检查制度。/' -e 's/^other_matters: 0$/other_matters: 本年度未收取信息处理费。/' clean.yaml
run "$NIANBAO" check clean.yaml
check_status "a complete consistent draft passes" 0
check_contains "a clean draft is reported ok" "$WORK/out" "clean.yaml: ok"

# break the printed 勾稽关系 in one column
sed 's/^  new: {natural: 0, business: 0, research: 0, nonprofit: 0, legal: 0,/  new: {natural: 0, business: 0, research: 0, nonprofit: 0, legal: 2,/' clean.yaml > unbalanced.yaml
run "$NIANBAO" check unbalanced.yaml
check_status "a broken balance is an error" 1
check_contains "the balance message names the column and both sides" "$WORK/err" "unbalanced.yaml:19:68: error: [balance] 法律服务机构 column: 一+二=2, 三+四=0"
check_contains "a total column points at its row" "$WORK/err" "unbalanced.yaml:19:18: error: [balance] 总计 column: 一+二=2, 三+四=0"
check_contains "the narrative contradiction is a warning" "$WORK/err" "warning: [narrative] 一、总体情况 says \"本年度未收到政府信息公开申请\" (0), but the table has 2"

run env LANGUAGE=zh_CN "$NIANBAO" check unbalanced.yaml
check_contains "messages are Chinese under LANGUAGE=zh_CN" "$WORK/err" "[balance] 法律服务机构列：一+二=2，三+四=0"

run "$NIANBAO" check --quiet clean.yaml unbalanced.yaml
check_status "check of several files exits with the worst status" 1
check_not_contains "--quiet prints no summary" "$WORK/out" "clean.yaml: ok"

printf 'nianbao: 1\ntemplate: gov-info-2021\nrequests:\n  new: {natural: "3"}\n' > text.yaml
run "$NIANBAO" check text.yaml clean.yaml
check_status "an unreadable draft exits 2 even beside a clean one" 2
check_contains "text in a number cell is located" "$WORK/err" "text.yaml:4:18: error: requests.new.natural must be a number, not text"

mkdir adir
run "$NIANBAO" check adir
check_status "a directory without drafts exits 2" 2
check_contains "a directory without drafts is named as such" "$WORK/err" "adir: error: no drafts (*.yaml files) in this directory"

# carry-over from last year
sed -e 's/^year: 2021/year: 2020/' -e 's/^template: gov-info-2021/template: gov-info-2019/' old.yaml > /dev/null
sed -e 's/: ~/: 0/g' -e 's/^year: 0/year: 2020/' -e 's/^organization: .*/organization: 某局/' old.yaml > last.yaml
sed -i -e 's/^  carried_out: {natural: 0,/  carried_out: {natural: 4,/' -e 's/^  new: {natural: 0,/  new: {natural: 4,/' \
	-e 's/^overview: 0$/overview: 见表。/' -e 's/^problems: 0$/problems: 无。/' -e 's/^other_matters: 0$/other_matters: 无。/' \
	-e 's/^preface: 0$/preface: ~/' last.yaml
run "$NIANBAO" check last.yaml
check_status "last year's draft is consistent" 0
run "$NIANBAO" new --from last.yaml this.yaml
check_status "new --from works" 0
check_contains "the year is carried over" this.yaml "year: 2021"
check_contains "the template follows the new year" this.yaml "template: gov-info-2021"
check_contains "the draft remembers last year's file" this.yaml "previous: last.yaml"
check_contains "二、上年结转 starts from last year's 四" this.yaml "  carried_in: {natural: 4, business: 0,"
check_contains "the narrative is copied" this.yaml "overview: |"
sed -i 's/^  carried_in: {natural: 4,/  carried_in: {natural: 3,/' this.yaml
run "$NIANBAO" check this.yaml
check_contains "a carry-over mismatch is a warning" "$WORK/err" "warning: [carry-over] 自然人 column: 二、上年结转=3, 上年四、结转下年度继续办理=4"

# text faults: a draft made with new --from and left unrevised
cat > prose.yaml <<'EOF2'
preface: |
  本报告由测试局根据《中华人民共和国政府信息公开条例》编制。本报告所列数据的统计期限自2021年1月1日起
  至2021年12月31日止。如对本报告有疑问，请与测试局办公室联系。
overview: |
  2021年，测试局认真贯彻落实《条例》，扎实做好政府信息公开工作，切实提高主动公开意识，提高政府工作透明度。
  全年未收到政府信息公开申请，未发生政府信息公开行政复议、行政诉讼。
problems: |
  一是信息公开的及时性还需提高，二是政策解读的形式较为单一。下一步将建立信息发布月度检查制度，丰富解读形式。
other_matters: |
  本年度未收取信息处理费。
EOF2
grep -v -E '^(preface|overview|problems|other_matters):' clean.yaml > last2021.yaml
cat prose.yaml >> last2021.yaml
run "$NIANBAO" check last2021.yaml
check_contains "last year's draft has no text faults" "$WORK/out" "last2021.yaml: ok"
run "$NIANBAO" new --from last2021.yaml copy2022.yaml
sed -i -e 's/: ~/: 0/g' copy2022.yaml
run "$NIANBAO" check copy2022.yaml
check_contains "an unrevised 一 is repeated, with the share" "$WORK/err" "warning: [repeated] 一、总体情况 repeats last year's text: 100% of it is the same (the limit is 50%)"
check_contains "an unrevised 五 is repeated" "$WORK/err" "warning: [repeated] 五、存在的主要问题及改进情况 repeats last year's text: 100%"
check_contains "the statistics period names last year" "$WORK/err" "warning: [stale-year] 前言 names the year 2021 in \"本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止\", but the report is for 2022"
check_contains "the opening of 一 names last year" "$WORK/err" "warning: [stale-year] 一、总体情况 names the year 2021 in \"2021年，测试局认真贯彻落实《条例》"
sed -e 's/2021年/2022年/g' -e 's/全年未收到政府信息公开申请，未发生政府信息公开行政复议、行政诉讼。/本年度依申请公开、行政复议和行政诉讼均无。/' -e 's/扎实做好政府信息公开工作，切实提高主动公开意识，提高政府工作透明度/以数字政府建设为抓手，新建政务公开专区，组织业务培训两次，完成网站改版/' \
	-e 's/一是信息公开的及时性还需提高，二是政策解读的形式较为单一。下一步将建立信息发布月度检查制度，丰富解读形式。/基层政务公开标准目录更新滞后，明年起每季度复核一次目录并向社会公布结果。/' copy2022.yaml > revised2022.yaml
run "$NIANBAO" check revised2022.yaml
check_not_contains "a revised draft is not repeated" "$WORK/err" "[repeated]"
check_not_contains "a revised draft has no stale year" "$WORK/err" "[stale-year]"
sed -i 's/^problems: .*/problems: 无。/; /^problems:/{n; /^  /d}' revised2022.yaml
run "$NIANBAO" check revised2022.yaml
check_contains "五 that says only 无 is thin" "$WORK/err" "warning: [thin-section] 五、存在的主要问题及改进情况 says only \"无。\" (1 characters, fewer than 10)"

# the shipped examples: the demos are clean; the published reports fail exactly where they
# are wrong (examples/README.md)
cd "$top_srcdir/examples"
run "$NIANBAO" check demo-2020.yaml demo-2021.yaml
check_status "the demo drafts pass check" 0
check_contains "demo-2021 is clean, carry-over from demo-2020 included" "$WORK/out" "demo-2021.yaml: ok"
for r in 2021-jining-jkq-zzb 2021-shanhaiguan-fgj; do
	run "$NIANBAO" check "$r.yaml"
	check_status "$r has no errors" 0
	check_contains "$r: 六 does not mention 信息处理费, as published" "$WORK/err" "warning: [fee-mention] 六、其他需要报告的事项 does not mention 信息处理费"
	check_contains "$r: and nothing else" "$WORK/out" "$r.yaml: 0 errors, 1 warning"
done
run "$NIANBAO" check 2021-haiyang-bicheng.yaml
check_contains "2021-haiyang-bicheng passes" "$WORK/out" "2021-haiyang-bicheng.yaml: ok"
cd "$WORK"

done_testing
