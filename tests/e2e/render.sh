#!/bin/sh
# nianbao render: refusal, --force, -o, encodings, locale independence, and the goldens.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
set -e
cd "$WORK"

run "$NIANBAO" new --org 测试局 --year 2021 blank.yaml
run "$NIANBAO" render blank.yaml
check_status "render refuses a draft with blank cells" 1
check_contains "the refusal says first why, and how many cells are blank" "$WORK/err" "nianbao: blank.yaml has 169 errors; nothing was rendered (fix them, or use --force for a copy marked 草稿); blank cells: 166"
check_contains "the refusal names the other problems with their positions" "$WORK/err" "blank.yaml:6:11: error: [empty-section] 一、总体情况 is empty"
check_contains "the refusal names the first blank cell with its position" "$WORK/err" "blank.yaml:9:21: error: [blank] 规章 / 本年制发件数 is blank (proactive.art20_1.rules.issued)"
check_contains "the refusal counts the blank cells by section" "$WORK/err" "166 blank cells, by section: 二 10, 三 144, 四 12; 'nianbao check blank.yaml' lists each"
lines=$(wc -l < "$WORK/err")
[ "$lines" -le 8 ] && ok "the refusal is short ($lines lines)" || not_ok "the refusal is short" "$lines lines"
[ -s "$WORK/out" ] && not_ok "nothing is printed when refusing" || ok "nothing is printed when refusing"

run "$NIANBAO" render --force blank.yaml
check_status "--force renders anyway" 0
check_contains "--force marks the copy as a draft" "$WORK/out" "【草稿】"

# a clean draft
sed -e 's/: ~/: 0/g' blank.yaml > clean.yaml
sed -i -e 's/^preface: 0$/preface: ~/' -e 's/^overview: 0$/overview: 本年度未收到政府信息公开申请。/' \
	-e 's/^problems: 0$/problems: 无。/' -e 's/^other_matters: 0$/other_matters: 本年度未收取信息处理费。/' \
	-e 's/^  new: {natural: 0,/  new: {natural: 12345,/' -e 's/^  granted: {natural: 0,/  granted: {natural: 12345,/' clean.yaml
sed -i 's/^overview: .*/overview: 本年度收到政府信息公开申请12345件。/' clean.yaml
run "$NIANBAO" check clean.yaml
check_status "the test draft is clean" 0
run "$NIANBAO" render clean.yaml
check_status "a clean draft renders" 0
check_not_contains "no draft mark on a clean draft" "$WORK/out" "草稿"
check_contains "a five-digit count and its total are printed" "$WORK/out" "|12345|"
cp "$WORK/out" utf8.txt

LC_ALL=C "$NIANBAO" render clean.yaml > c-locale.txt 2>/dev/null || true
check_same "the output is the same bytes under LC_ALL=C" utf8.txt c-locale.txt
LANGUAGE=zh_CN "$NIANBAO" render clean.yaml > zh.txt 2>/dev/null || true
check_same "the output is the same bytes whatever the language" utf8.txt zh.txt

run "$NIANBAO" render --encoding GB18030 clean.yaml
check_status "GB18030 output works" 0
iconv -f GB18030 -t UTF-8 "$WORK/out" > back.txt
# the same text; only the padding differs, where GBK fonts draw a character full width
tr -d ' ' < utf8.txt > utf8.nospace; tr -d ' ' < back.txt > back.nospace
check_same "GB18030 output converts back to the UTF-8 report (but for padding)" utf8.nospace back.nospace

sed 's/^problems: 无。$/problems: 无。😀/' clean.yaml > emoji.yaml
run "$NIANBAO" render --encoding GBK -o gbk.txt emoji.yaml
check_status "a character the encoding lacks is an error" 2
check_contains "it names the character and the line" "$WORK/err" "😀 (U+1F600) cannot be written in GBK"
[ -e gbk.txt ] && not_ok "nothing is written when conversion fails" || ok "nothing is written when conversion fails"

echo "old report" > out.txt
run "$NIANBAO" render -o out.txt blank.yaml
check_status "-o with a refused draft exits 1" 1
[ "$(cat out.txt)" = "old report" ] && ok "a refused render leaves -o untouched" || not_ok "a refused render leaves -o untouched"
run "$NIANBAO" render -o out.txt clean.yaml
check_status "-o writes the report" 0
check_same "-o holds the same report as stdout" utf8.txt out.txt
[ "$(ls | grep -c '^\.\?out\.txt.\+')" -eq 0 ] && ok "-o leaves no temporary or backup file" || not_ok "-o leaves no temporary or backup file" "$(ls -a)"

run "$NIANBAO" render --width 59 clean.yaml
check_status "--width below 60 is a usage error" 2
check_contains "the width error says the range" "$WORK/err" "--width must be a number from 60 to 1000"
run "$NIANBAO" render --borders fancy clean.yaml
check_status "an unknown border style is a usage error" 2
run "$NIANBAO" render --width 60 --borders unicode clean.yaml
check_status "unicode borders at 60 columns" 0
check_contains "unicode borders use box drawing" "$WORK/out" "┼"

printf 'nianbao: 1\ntemplate: gov-info-2021\nyear: [\n' > bad.yaml
run "$NIANBAO" render bad.yaml
check_status "a malformed draft exits 2" 2
check_contains "a malformed draft is located" "$WORK/err" "bad.yaml:"

# goldens: every shipped example at 80 and 60 columns and with Unicode borders
goldens=0
for draft in "$top_srcdir"/examples/*.yaml; do
	[ -e "$draft" ] || continue
	name=$(basename "$draft" .yaml)
	for variant in 80 60 unicode; do
		case $variant in
		unicode) set -- --borders unicode ;;
		*) set -- --width "$variant" ;;
		esac
		golden="$top_srcdir/tests/golden/$name.$variant.txt"
		"$NIANBAO" render --force "$@" "$draft" > "$name.$variant.txt" 2>/dev/null || true
		if [ -e "$golden" ]; then
			check_same "golden $name.$variant" "$golden" "$name.$variant.txt"
			goldens=$((goldens + 1))
		else
			not_ok "golden $name.$variant" "missing $golden; run tests/golden/regen.sh"
		fi
	done
done
[ "$goldens" -gt 0 ] && ok "goldens were compared ($goldens)" || not_ok "goldens were compared"

done_testing
