#!/bin/sh
# What a clerk meets outside the editor: the language of the messages (Chinese when the
# locale names no language, English when LANGUAGE or the locale asks for it); `previous:`
# written relative to the new draft's folder; render's refusal of an unfinished draft; the
# GB18030 report's table borders in a GBK font.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
set -e
cd "$WORK"

for loc in C.UTF-8 C POSIX; do
	run env -u LANGUAGE LC_ALL=$loc "$NIANBAO" --help
	check_contains "--help is Chinese under LC_ALL=$loc" "$WORK/out" "用法"
done
run env -u LANGUAGE -u LC_ALL -u LC_MESSAGES -u LANG "$NIANBAO" --help
check_contains "--help is Chinese with no locale at all (a fresh server, an SSH session)" "$WORK/out" "用法"
run env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=zh_CN.UTF-8 "$NIANBAO" --help
check_contains "--help is Chinese under LANG=zh_CN.UTF-8, installed or not" "$WORK/out" "用法"
run env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=en_US.UTF-8 "$NIANBAO" --help
check_contains "--help is English under LANG=en_US.UTF-8" "$WORK/out" "Usage:"
run env LANGUAGE=en LC_ALL=C.UTF-8 "$NIANBAO" --help
check_contains "--help is English under LANGUAGE=en" "$WORK/out" "Usage:"

# diagnostics keep their GNU form for tools whatever the language
"$NIANBAO" new --org 测试局 --year 2021 d.yaml >/dev/null 2>&1
run env -u LANGUAGE LC_ALL=C.UTF-8 "$NIANBAO" check d.yaml
check_contains "check speaks Chinese by default" "$WORK/err" "d.yaml:19:18: error: [blank]"
check_not_contains "the default is not English" "$WORK/err" " is blank ("

# the editor: its key hints follow the same rule
cat > keys <<'K'
dump
K
env -u LANGUAGE LC_ALL=C.UTF-8 NIANBAO_KEYSCRIPT=keys "$NIANBAO" edit d.yaml > out1 2>/dev/null || true
check_contains "the editor opens in Chinese under C.UTF-8" out1 "F1帮助"
env LANGUAGE=en LC_ALL=C.UTF-8 NIANBAO_KEYSCRIPT=keys "$NIANBAO" edit d.yaml > out2 2>/dev/null || true
check_contains "the editor is English under LANGUAGE=en" out2 "F1 help"

# ---- new --from: previous: relative to the new draft's folder ----
mkdir -p units/2020 units/2021 elsewhere
"$NIANBAO" new --org 测试局 --year 2020 units/2020/2020.yaml >/dev/null
"$NIANBAO" new --from units/2020/2020.yaml units/2021/2021.yaml >/dev/null
check_contains "previous: is relative to the new draft's folder" units/2021/2021.yaml "previous: ../2020/2020.yaml"
"$NIANBAO" new --from units/2020/2020.yaml units/2020/2021.yaml >/dev/null
check_contains "previous: is the file name in the same folder" units/2020/2021.yaml "previous: 2020.yaml"
cp -r units moved
sed -i 's/^  new: {natural: ~/  new: {natural: 1/' moved/2021/2021.yaml
run "$NIANBAO" check moved/2021/2021.yaml
check_not_contains "a copied pair of folders still finds last year's draft" "$WORK/err" "could not be read"

done_testing
