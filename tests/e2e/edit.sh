#!/bin/sh
# The editor driven by key scripts: every key of doc/DESIGN.md §7, the screen and the saved file.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
set -e
cd "$WORK"

"$NIANBAO" new --org 测试局 --year 2021 blank.yaml >/dev/null
sed -e 's/: ~/: 0/g' blank.yaml > clean.yaml
sed -i -e 's/^preface: 0$/preface: ~/' -e 's/^overview: 0$/overview: 本年度未收到政府信息公开申请。/' \
	-e 's/^problems: 0$/problems: 信息更新不够及时，将建立月度检查制度。/' -e 's/^other_matters: 0$/other_matters: 本年度未收取信息处理费。/' clean.yaml
fresh() { cp clean.yaml d.yaml; rm -f .d.yaml.* d.yaml~; }

# ---- what the clerk sees ----
fresh
edit d.yaml <<'K'
dump
key PgDn PgDn
dump
K
check_status "the editor runs from a key script and exits 0" 0
screen 1
check_contains "the title line names organization, year, template and file" screen " 测试局  2021年  gov-info-2021  d.yaml"
check_contains "the section list shows the current heading" screen " 一、总体情况  二  三  四  五  六"
check_contains "a text field shows its label" screen "总体情况"
check_contains "a text field shows its text" screen "  本年度未收到政府信息公开申请。"
check_contains "a clean draft says so on the status line" screen "No problems found."
check_contains "the key hints are shown" screen " F1 help  ^S save  ^Q quit"
screen 2
check_contains "PgDn PgDn goes to section 三" screen "三、收到和处理政府信息公开申请情况"
check_contains "table rows show their labels" screen "一、本年新收"
check_contains "the help line names the full row and column" screen "requests.new.natural: 一、本年新收政府信息公开申请数量 | 申请人情况 › 自然人"
[ ! -e .d.yaml.autosave ] && ok "no autosave without changes" || not_ok "no autosave without changes"
[ ! -e .d.yaml.lock ] && ok "the lock is removed on exit" || not_ok "the lock is removed on exit"

# ---- typing numbers: totals and checks recompute on every key ----
fresh
edit d.yaml <<'K'
key M-3
type 4
dump
type 2
dump
key Enter
dump
type a
dump
key Esc
key C-s
key C-q
K
screen 1
check_contains "the first digit replaces the value and the total follows" screen "一、本年新收                        4      0      0      0      0      0      4"
check_contains "the balance check fails at once, with both sides" screen "2 errors, 1 warning: 自然人 column: 一+二=4, 三+四=0"
screen 2
check_contains "the next digit appends" screen "一、本年新收                       42      0      0      0      0      0     42"
screen 3
check_contains "Enter commits and moves down" screen "requests.carried_in.natural: "
screen 4
check_contains "a letter is refused with a message" screen "Only digits can be typed here."
check_contains "the refused key changes nothing" screen "二、上年结转                        0"
check_contains "the file holds the committed value" d.yaml "  new: {natural: 42, business: 0,"
check_status "save and quit exit 0" 0
[ -e d.yaml~ ] && ok "saving keeps the previous version as FILE~" || not_ok "saving keeps the previous version as FILE~"

# ---- Esc restores, Delete blanks, Ctrl-O fills zeros, undo and redo ----
fresh
edit d.yaml <<'K'
key M-3
type 77
key Esc
dump
key Del
dump
key Down Del Right Del
key C-o
dump
key C-z
dump
key C-z
key C-z
key C-z
dump
key C-y
key C-s
key C-q
K
screen 1
check_contains "Esc restores the value" screen "一、本年新收                        0"
screen 2
check_contains "Delete blanks the cell" screen "一、本年新收                        _"
screen 3
check_contains "Ctrl-O fills the table's blanks with 0" screen "一、本年新收                        0"
check_contains "Ctrl-O says how many it filled" screen "Filled 3 blank cells with 0"
screen 4
check_contains "one Ctrl-Z undoes the whole fill" screen "二、上年结转                        _      _"
screen 5
check_contains "undo goes back to the start" screen "一、本年新收                        0"
check_contains "redo and save write the redone state" d.yaml "  new: {natural: ~, business: 0,"

# ---- movement keys, sections, go to ----
fresh
edit d.yaml <<'K'
key PgDn PgDn Right Right Down
dump
key Tab
dump
key BTab BTab
dump
key M-4
dump
key C-g
type requests.other_misc.legal
key Enter
dump
key C-g
type 6
key Enter
dump
key PgUp
dump
key C-g
type nosuch.cell
key Enter
dump
K
screen 1; check_contains "arrows move between cells" screen "requests.carried_in.research: "
screen 2; check_contains "Tab moves to the next cell" screen "requests.carried_in.nonprofit: "
screen 3; check_contains "Shift-Tab moves back" screen "requests.carried_in.business: "
screen 4; check_contains "Alt-4 goes to section 四" screen "四、政府信息公开行政复议、行政诉讼情况"
check_contains "section 四 shows 行政复议 as a row" screen "行政复议"
screen 5; check_contains "Ctrl-G goes to a cell by id" screen "requests.other_misc.legal: "
screen 6; check_contains "Ctrl-G goes to a section by number" screen "六、其他需要报告的事项"
screen 7; check_contains "PgUp goes to the previous section" screen "五、存在的主要问题及改进情况"
screen 8; check_contains "an unknown id is explained" screen "No field, row or section \"nosuch.cell\""

# ---- computed cells ----
fresh
edit d.yaml <<'K'
key M-3
key End
type 5
dump
key Home
dumpattr
K
screen 1
check_contains "a total cannot be typed into" screen "This cell is a total computed from other cells"
grep -Eq '^b+\.+r\.+b\.$' "$WORK/out" && ok "computed cells look different (bold), input cells plain" || not_ok "computed cells look different (bold), input cells plain"

# ---- text fields ----
fresh
edit d.yaml <<'K'
key Down
key Enter
key End
type 全年共收到申请0件。
key Enter
type 第二段
dump
key Tab
key BTab
key Enter
type 丢弃的文字
key Esc
dump
key C-s
key C-q
K
screen 1
check_contains "typed Chinese appears in place" screen "  本年度未收到政府信息公开申请。全年共收到申请0件。"
check_contains "Enter starts a new line in a text field" screen "  第二段"
screen 2
check_not_contains "Esc restores the text as it was" screen "丢弃的文字"
check_contains "Tab kept the text" d.yaml "  本年度未收到政府信息公开申请。全年共收到申请0件。"
check_contains "the new line is saved as a block" d.yaml "  第二段"

fresh
edit d.yaml <<'K'
key Down
key Enter
type 差点丢了的一段
key Esc
dump
key C-z
dump
key C-s
key C-q
K
screen 1
check_not_contains "Esc puts the text back" screen "差点丢了的一段"
check_contains "Esc says Ctrl-Z brings the typing back" screen "Ctrl-Z brings back what you typed"
check_not_contains "a cancelled edit leaves the draft unmodified" screen "d.yaml [+]"
screen 2
check_contains "Ctrl-Z after Esc brings the typed text back" screen "差点丢了的一段"
check_contains "and it can be saved" d.yaml "差点丢了的一段"

fresh
edit d.yaml <<'K'
key M-5
key Enter
paste 第一段从Word粘贴。\n第二段，含换行。
key Tab
key C-s
key C-q
K
check_contains "a bracketed paste arrives as text with its newlines" d.yaml "  信息更新不够及时，将建立月度检查制度。第一段从Word粘贴。"
check_contains "the pasted newline starts a paragraph" d.yaml "  第二段，含换行。"

# ---- undo covers text ----
fresh
edit d.yaml <<'K'
key Down
key Enter
type 甲
key Tab
key C-z
key C-s
key C-q
K
check_contains "Ctrl-Z undoes a text change" d.yaml "  本年度未收到政府信息公开申请。"
check_not_contains "the undone text is not saved" d.yaml "甲"

# ---- Ctrl-E: $EDITOR, no shell ----
fresh
cat > ed.sh <<'S'
#!/bin/sh
printf '外部编辑器写的。\n' > "$1"
S
chmod +x ed.sh
EDITOR="$WORK/ed.sh" VISUAL= edit d.yaml <<'K'
key Down
key C-e
key C-s
key C-q
K
check_contains "Ctrl-E takes the text from \$EDITOR" d.yaml "  外部编辑器写的。"

# ---- Ctrl-T: the sentences written from the tables ----
fresh
sed -i -e 's/^  new: {natural: 0,/  new: {natural: 3,/' -e 's/^  granted: {natural: 0,/  granted: {natural: 2,/' \
	-e 's/^  carried_out: {natural: 0,/  carried_out: {natural: 1,/' -e 's/^overview: .*/overview: 全年依法做好政府信息公开工作。/' d.yaml
edit d.yaml <<'K'
key Down
key C-t
dump
key C-s
key C-q
K
screen 1
check_contains "Ctrl-T says what it did" screen "The sentences written from the tables were added at the end"
check_contains "Ctrl-T keeps the text and adds the paragraphs after it" d.yaml "  全年依法做好政府信息公开工作。"
check_contains "the paragraph about 三" d.yaml "  2021年，共收到政府信息公开申请3件。其中，予以公开2件；结转下年度继续办理1件。"
check_contains "the paragraph about 四" d.yaml "  2021年，未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
run "$NIANBAO" check d.yaml
check_not_contains "what Ctrl-T wrote agrees with the tables" "$WORK/err" "[narrative]"
fresh
sed -i -e 's/^overview: .*/overview: 全年依法做好政府信息公开工作。/' d.yaml
edit d.yaml <<'K'
key Down
key C-t
key C-z
key C-s
key C-q
K
check_not_contains "Ctrl-Z takes all of it back in one step" d.yaml "2021年，未收到政府信息公开申请"
check_contains "and the text is as it was" d.yaml "  全年依法做好政府信息公开工作。"
check_not_contains "with nothing after it" d.yaml "2021年，未发生因政府信息公开工作"
fresh
sed -i 's/^  granted: {natural: 0,/  granted: {natural: ~,/' d.yaml
edit d.yaml <<'K'
key Down
key C-t
dump
key C-q
K
screen 1
check_contains "with a blank cell Ctrl-T writes nothing and says which" screen "is blank (requests.granted.natural)"

# ---- F8, F5, F1 ----
fresh
sed -i 's/^  carried_out: {natural: 0,/  carried_out: {natural: 2,/' d.yaml
edit d.yaml <<'K'
key F8
dump
key F5
dump
key Esc
key F1
dump
type q
dump
K
screen 1; check_contains "F8 goes to the failing cell and says why" screen "[balance] 自然人 column: 一+二=0, 三+四=2"
check_contains "F8 puts the focus on the cell" screen "requests.new.natural: "
screen 2; check_contains "F5 previews the report" screen "2021年政府信息公开工作年度报告"
check_contains "the preview of a failing draft is marked 草稿" screen "【草稿】"
check_contains "the preview says how to make the Word document" screen "nianbao render -o d.docx d.yaml"
check_contains "the preview says how to make the web page" screen "nianbao render -o d.html d.yaml"
screen 3; check_contains "F1 shows the keys" screen "fill every blank cell of the current table with 0"
screen 4; check_contains "q leaves the help" screen " F1 help  ^S save"

# ---- quitting ----
fresh
edit d.yaml <<'K'
key M-3
type 9
key Enter
key C-q
dump
key Esc
dump
key F10
type n
K
screen 1; check_contains "quit with changes asks" screen "Save the changes before quitting? y saves and quits, n quits without saving"
screen 2; check_contains "Esc cancels the quit" screen "一、本年新收                        9"
check_status "n quits" 0
check_contains "n quits without saving" d.yaml "  new: {natural: 0,"
[ ! -e .d.yaml.autosave ] && ok "quitting removes the autosave" || not_ok "quitting removes the autosave"

fresh
edit d.yaml <<'K'
key M-3
type 9
key Enter
key C-q
type y
K
check_contains "y saves and quits" d.yaml "  new: {natural: 9,"
fresh
edit d.yaml <<'K'
key M-3
type 8
key F2
key F10
K
check_contains "F2 saves" d.yaml "  new: {natural: 8,"

# ---- the window ----
fresh
edit d.yaml <<'K'
resize 70x20
dump
resize 120x40
dump
K
screen 1; check_contains "a small window says so" screen "The window is too small: 70×20. nianbao needs at least 80×24."
screen 2; check_contains "the editor recovers when the window grows" screen "--- screen 120x40"
check_contains "the full screen is back" screen " 测试局  2021年  gov-info-2021  d.yaml"

# ---- a missing file, a malformed file ----
rm -f new.yaml
edit new.yaml <<'K'
dump
type y
key Enter
type 新建局
key Enter
key C-u
key BS*4
type 2022
key Enter
dump
key C-s
key C-q
K
screen 1; check_contains "a missing file asks to be created" screen "new.yaml does not exist. Create a new draft there? (y/n)"
screen 2; check_contains "the new draft is open" screen " 新建局  2022年  gov-info-2021  new.yaml [+]"
check_contains "the new draft is saved" new.yaml "organization: 新建局"

rm -f next.yaml
edit next.yaml <<'K'
type y
type nosuch.yaml
key Enter
dump
type clean.yaml
key Enter
dump
key C-s
key C-q
K
screen 1; check_contains "a missing last year's draft is explained" screen "Cannot start from it (nosuch.yaml: cannot open"
screen 2; check_contains "a draft started from last year's is open" screen " 测试局  2022年  gov-info-2021  next.yaml [+]"
check_contains "it remembers last year's file" next.yaml "previous: clean.yaml"
screen 2; check_contains "its narrative is marked as not yet revised" screen "[last year's text, not yet revised]"

printf 'nianbao: 1\ntemplate: gov-info-2021\nyear: [\n' > bad.yaml
edit bad.yaml <<'K'
dump
K
check_status "a malformed draft exits 2" 2
check_contains "its error is located" "$WORK/err" "bad.yaml:"
[ -s "$WORK/out" ] && not_ok "the screen is never taken for a malformed draft" || ok "the screen is never taken for a malformed draft"

# ---- Chinese UI ----
fresh
LANGUAGE=zh_CN edit d.yaml <<'K'
dump
K
screen 1; check_contains "the UI is Chinese under zh_CN" screen "未发现问题"

# the help wraps its lines instead of cutting them, in 80 columns, in both languages
fresh
LANGUAGE=zh_CN edit d.yaml <<'K'
key F1
key End
dump
key PgUp
dump
K
check_contains "a long help entry goes on under its own column" "$WORK/out" "                            （requests.new.natural）转到字段，或按序号转到部分"
check_contains "the closing paragraph is whole" "$WORK/out" "通过检查的单元格和字段带下划线；有错误的部分标有 !。"
fresh
edit d.yaml <<'K'
key F1
key End
key PgUp
dump
key End
dump
K
screen 1
check_contains "the English help is whole too" screen "errors are marked with !."
screen 2
check_contains "F1 ends with the checks and what each compares" screen "    thin-section            五 says only 无 or next to nothing (fewer than 10"

done_testing
