#!/bin/sh
# nianbao narrate: the standard sentences written from the tables.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
set -e
cd "$WORK"
cp "$top_srcdir/examples/demo-2021.yaml" "$top_srcdir/examples/demo-2020.yaml" .

run "$NIANBAO" narrate demo-2021.yaml
check_status "narrate writes the three paragraphs" 0
check_contains "二 in the official register" "$WORK/out" "2021年，现行有效规章2件。制发行政规范性文件6件，废止2件，现行有效35件。作出行政许可决定402件，行政处罚决定6件，行政强制决定1件。行政事业性收费0.35万元。"
check_contains "三 as the form's example reads" "$WORK/out" "2021年，共收到政府信息公开申请27件，上年结转3件。其中，予以公开13件，部分公开4件，不予公开2件，无法提供5件，不予处理2件，其他处理1件；结转下年度继续办理3件。"
check_contains "四" "$WORK/out" "2021年，因政府信息公开工作被申请行政复议1件，被提起行政诉讼1件。"

run "$NIANBAO" narrate --section 依申请 demo-2021.yaml
check_status "--section 依申请 works" 0
[ "$(wc -l < "$WORK/out")" -eq 1 ] && ok "--section writes one paragraph" || not_ok "--section writes one paragraph"
check_contains "and it is 三's" "$WORK/out" "共收到政府信息公开申请27件"

run "$NIANBAO" narrate --section 复议诉讼 demo-2020.yaml
check_contains "the 2019 form too" "$WORK/out" "2020年，因政府信息公开工作被申请行政复议1件，被提起行政诉讼1件。"

# what narrate writes passes the narrative check, put where a clerk would put it
run "$NIANBAO" narrate demo-2021.yaml
sed -e '/^overview: |$/,/^[a-z]/{/^  /d}' demo-2021.yaml > tmp.yaml
awk -v text="$(sed 's/^/  /' "$WORK/out")" '{print} /^overview: \|$/{print text}' tmp.yaml > written.yaml
run "$NIANBAO" check written.yaml
check_not_contains "the written paragraphs agree with the tables" "$WORK/err" "[narrative]"
check_contains "they are in 一" written.yaml "  2021年，共收到政府信息公开申请27件"

# a changed cell is caught in the text written before
sed -i "s/^  new: {natural: 18,/  new: {natural: 19,/" written.yaml
run "$NIANBAO" check written.yaml
check_contains "a figure changed after writing is caught" "$WORK/err" "[narrative] 一、总体情况 says \"共收到政府信息公开申请27件\" (27), but the table has 28"

# blank cells: the paragraph is not written, the others are
sed "s/^  granted: {natural: 8,/  granted: {natural: ~,/" demo-2021.yaml > blank.yaml
run "$NIANBAO" narrate blank.yaml
check_status "a blank cell makes narrate exit 1" 1
check_contains "the blank cell is named and located" "$WORK/err" "blank.yaml:"
check_contains "and why nothing was written" "$WORK/err" "（一）予以公开 / 自然人 is blank (requests.granted.natural): the paragraph about this table is not written"
check_contains "the other paragraphs are written" "$WORK/out" "行政复议1件"
check_not_contains "三 is not" "$WORK/out" "共收到"

run "$NIANBAO" narrate --section 五 demo-2021.yaml
check_status "an unknown section is a usage error" 2
run "$NIANBAO" narrate
check_status "narrate needs a file" 2
run "$NIANBAO" narrate missing.yaml
check_status "a missing file is trouble" 2

done_testing
