#!/bin/sh
# The main paths under valgrind: no invalid access, no leaked memory.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
set -e
if ! command -v valgrind >/dev/null 2>&1; then
	echo "1..0 # SKIP valgrind is not installed"
	exit 0
fi
if [ "${NIANBAO_SANITIZERS:-no}" = yes ]; then
	echo "1..0 # SKIP a sanitizer build does not run under valgrind"
	exit 0
fi
cd "$WORK"
cp "$top_srcdir/examples/demo-2020.yaml" "$top_srcdir/examples/demo-2021.yaml" .
vg() { valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 "$@"; }

run vg "$NIANBAO" check demo-2021.yaml demo-2020.yaml
check_status "check: no memory errors or leaks" 0
run vg "$NIANBAO" render --width 60 --borders unicode demo-2021.yaml
check_status "render: no memory errors or leaks" 0
run vg "$NIANBAO" render --encoding GB18030 demo-2021.yaml
check_status "render to GB18030: no memory errors or leaks" 0
run vg "$NIANBAO" render --date 2022-01-20 -o demo.html demo-2021.yaml
check_status "render to HTML: no memory errors or leaks" 0
run vg "$NIANBAO" render -o demo.docx demo-2021.yaml
check_status "render to DOCX (libzip): no memory errors or leaks" 0
run vg "$NIANBAO" new --from demo-2021.yaml next.yaml
check_status "new --from: no memory errors or leaks" 0
cat > keys <<'K'
key M-3
type 5
key Enter Del
key C-o
key M-1 Down Enter
type 中文输入
paste 粘贴\n第二段
key Tab
key F5
key Esc
key F1
type q
key F8 C-z C-z C-y
key C-g
type requests.new.legal
key Enter
key C-s
key C-q
K
set +e
NIANBAO_KEYSCRIPT=keys vg "$NIANBAO" edit demo-2021.yaml >/dev/null 2>"$WORK/err"
status=$?
set -e
check_status "the editor: no memory errors or leaks" 0
done_testing
