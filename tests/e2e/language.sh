#!/bin/sh
# The language of the messages: Chinese when the locale names no language (the form is
# Chinese), English when LANGUAGE or the locale asks for it.
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

done_testing
