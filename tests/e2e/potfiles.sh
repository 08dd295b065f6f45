#!/bin/sh
# Every source file that marks messages for translation (_( N_( P_() is listed in
# po/POTFILES.in, so that its messages reach po/zh_CN.po; and every listed file exists.
. "$(dirname "$0")/lib.sh"
cd "$top_srcdir"

missing=
for f in $(grep -lE '(^|[^A-Za-z0-9_])(_|N_|P_)\(' src/*/*.c src/*/*.h include/nianbao/*.h | sort); do
	case "$f" in include/nianbao/i18n.h) continue ;; esac
	grep -qxF "$f" po/POTFILES.in || missing="$missing $f"
done
if [ -z "$missing" ]; then ok "every file with translatable messages is in po/POTFILES.in"; else
	not_ok "every file with translatable messages is in po/POTFILES.in" "missing:$missing"; fi

gone=
for f in $(grep -v '^#' po/POTFILES.in); do
	[ -f "$f" ] || gone="$gone $f"
done
if [ -z "$gone" ]; then ok "every file in po/POTFILES.in exists"; else
	not_ok "every file in po/POTFILES.in exists" "gone:$gone"; fi

done_testing
