#!/bin/sh
# Draft and template text never reaches the terminal raw (issue 13, item 8): check,
# render, import, new and templates show control characters and bidi overrides escaped,
# and render leaves them out of the report. Deep nesting named by `previous:` is an
# error, not a crash (item 9).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
set -e
cd "$WORK"
cp "$top_srcdir/examples/demo-2020.yaml" .
esc=$(printf '\033')
# has_raw FILE: whether FILE holds a C0 control other than newline, DEL, a C1 control or
# a bidi override
has_raw() { LC_ALL=C.UTF-8 grep -qP '[\x00-\x09\x0b-\x1f\x7f\x{80}-\x{9f}\x{202a}-\x{202e}\x{2066}-\x{2069}]' "$1"; }
check_clean() {
	if has_raw "$2"; then not_ok "$1" "raw control characters: $(od -c "$2" | head -5)"; else ok "$1"; fi
}

# a hostile draft: escapes in the organization, the year, a quoted cell, an unknown key
# and a duplicate key
sed -e "s/^organization: .*/organization: \"\\\\e]0;owned\\\\a\\\\e[2J局\\\\u202e\"/" \
    -e "s/^year: 2021/year: \"2021\\\\e[2J\"/" \
    -e 's/^  new: {natural: 18,/  new: {natural: "1\\e[31m8",/' \
    "$top_srcdir/examples/demo-2021.yaml" > evil.yaml
printf '"x\\e]0;pwned\\ay": 1\n' >> evil.yaml
run "$NIANBAO" check evil.yaml
check_status "check refuses the hostile draft" 2
check_clean "check's diagnostics carry no raw control character" "$WORK/err"
check_contains "the year is quoted with its escape shown" "$WORK/err" "not '2021\\x1b[2J'"
check_contains "the quoted cell is shown escaped" "$WORK/err" '("1\x1b[31m8")'
check_contains "the unknown key is shown escaped" "$WORK/err" "unknown key 'x\\x1b]0;pwned\\x07y'"

# the same organization in a draft that loads: check --quiet, render, new --from
sed -e "s/^organization: .*/organization: \"\\\\e]0;owned\\\\a\\\\e[2J局\\\\u202e\"/" \
    "$top_srcdir/examples/demo-2021.yaml" > org.yaml
run "$NIANBAO" check org.yaml
check_clean "check's summary of a hostile organization is clean" "$WORK/out"
check_clean "check's warnings about it are clean" "$WORK/err"
run "$NIANBAO" render --force org.yaml
check_status "render renders it" 0
check_clean "render to a terminal leaves the controls out" "$WORK/out"
check_contains "and says so" "$WORK/err" "control characters in the text were left out of the report"
check_contains "the rest of the name stays" "$WORK/out" "]0;owned[2J局"
run "$NIANBAO" render --force -o report.txt org.yaml
check_clean "render -o leaves them out of the file too" report.txt
run "$NIANBAO" new --from org.yaml next.yaml
check_status "new --from a hostile draft works" 0
check_clean "new's message is clean" "$WORK/out"
run "$NIANBAO" new --from org.yaml "$(printf 'n\033[2Jx.yaml')"
check_clean "a hostile file name is shown escaped" "$WORK/out"
check_contains "visibly" "$WORK/out" 'n\x1b[2Jx.yaml'

# a file name with controls in a batch check --quiet cannot clear the screen
printf 'nianbao: 1\ntemplate: gov-info-2021\nfoo: 1\n' > "$(printf 'bad\033[2J\033[H.yaml')"
run "$NIANBAO" check --quiet ./*.yaml
check_clean "check --quiet over hostile file names is clean" "$WORK/err"
check_contains "and names them escaped" "$WORK/err" 'bad\x1b[2J\x1b[H.yaml'

# a hostile template: its name and id in `templates`
mkdir forms
cp "$top_srcdir"/forms/*.yaml forms/
cp -r "$top_srcdir"/forms/parts forms/
sed -i "s/^name: .*/name: \"\\\\e]0;tpl\\\\a模板\\\\u2066\"/" forms/gov-info-2021.yaml
NIANBAO_TEMPLATES="$WORK/forms" run "$NIANBAO" templates
check_status "templates lists a hostile template" 0
check_clean "with its name escaped" "$WORK/out"
check_contains "visibly" "$WORK/out" '\x1b]0;tpl\x07模板\u2066'

# import of a report whose text carries controls
"$NIANBAO" render demo-2020.yaml | sed "1s/^/\x1b]0;imp\x07/" > report.txt
run "$NIANBAO" import report.txt "$(printf 'imp\033[2J.yaml')"
check_clean "import's summary is clean" "$WORK/out"
check_clean "import's diagnostics are clean" "$WORK/err"

# item 9: a `previous:` that names a deeply nested file
python3 -c "print('['*60000)" > deep.yaml
sed 's/^previous: .*/previous: deep.yaml/' "$top_srcdir/examples/demo-2021.yaml" > prevdeep.yaml
run "$NIANBAO" check deep.yaml
check_status "60 000 nested brackets: an error, not a crash" 2
check_contains "saying what is wrong" "$WORK/err" "deep.yaml:1:33: error: nested deeper than 32 levels"
run "$NIANBAO" check prevdeep.yaml
check_contains "a previous: naming it is a warning, not a crash" "$WORK/err" "nested deeper than 32 levels"
done_testing
