#!/usr/bin/python3
"""Reads nianbao's Word and web output back with the programs that really read them.

  publish_check.py docx OUT.docx DRAFT.yaml        python-docx: every cell, merges, fonts, page
  publish_check.py html OUT.html DRAFT.yaml TEXT   html5lib (strict): the table grid, merges,
                                                   and the numbers of the text render TEXT
  publish_check.py order PDF.txt OUT.(docx|html)   every label and number, in order, in the
                                                   text of a PDF made from OUT (pdftotext -raw)
  publish_check.py width BBOX.html                 no word of a PDF past the A4 text width
                                                   (pdftotext -bbox of Chromium's print)
  publish_check.py dump OUT.docx                   every part of the zip, for the goldens

The expected cells come from the draft itself (YAML, read with PyYAML's BaseLoader so that
numbers stay as written), totals summed here, not from nianbao. Prints one line per
problem and exits 1 when there is any.
"""
import re
import sys
import zipfile
from decimal import Decimal

problems = []


def problem(msg):
    problems.append(msg)


def finish(what):
    for p in problems[:40]:
        print(p)
    if len(problems) > 40:
        print("... and %d more" % (len(problems) - 40))
    if problems:
        sys.exit(1)
    print("ok: " + what)


# ---- what the draft says ----

def load_draft(path):
    import yaml
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=yaml.BaseLoader)


def value(v):
    """A cell as printed: blank empty, a number in its shortest exact form."""
    if v is None or v in ("~", "null", ""):
        return None
    d = Decimal(v)
    if d == d.to_integral():
        return str(d.quantize(Decimal(1)))
    return format(d.normalize(), "f")


def writable(s):
    """s as an XML or HTML document can hold it: other control characters and noncharacters
    shown as U+FFFD."""
    return re.sub("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]", "\ufffd", s)


def text(v):
    return "" if v is None else v


def total(vals):
    if any(v is None for v in vals):
        return None
    return value(str(sum(Decimal(v) for v in vals)))


def expected_tables(draft):
    """[(name, rows)] in printed order; rows are lists of printed cell values."""
    out = []
    for art, rows in draft["proactive"].items():
        out.append(("proactive." + art, [[value(v) for v in row.values()] for row in rows.values()]))
    req = draft["requests"]
    keys = list(req.keys())
    rows = []
    first = keys.index("granted")
    last = keys.index("carried_out")
    body = {}
    for k in keys:
        vals = [value(v) for v in req[k].values()]
        body[k] = vals + [total(vals)]
    for k in keys[:last]:
        rows.append(body[k])
    results = [body[k] for k in keys[first:last]]
    rows.append([total([r[c] for r in results]) for c in range(7)])
    rows.append(body["carried_out"])
    out.append(("requests", rows))
    flat = []
    for group in draft["appeals"].values():
        vals = [value(v) for v in group.values()]
        flat += vals + [total(vals)]
    out.append(("appeals", [flat]))
    return out


# Merged cells of the printed form: (text, rows, columns) that must be there as one cell.
def expected_merges(draft):
    req = list(draft["requests"].keys())
    results = req.index("carried_out") - req.index("granted") + 1   # with （七）总计
    three = [("申请人情况", 1, 7), ("法人或其他组织", 1, 5), ("自然人", 2, 1), ("总计", 2, 1),
             ("三、本年度办理结果", results, 1), ("（三）不予公开", 8, 1), ("（四）无法提供", 3, 1),
             ("（五）不予处理", 5, 1), ("一、本年新收政府信息公开申请数量", 1, 3),
             ("二、上年结转政府信息公开申请数量", 1, 3), ("四、结转下年度继续办理", 1, 3),
             ("（一）予以公开", 1, 2), ("（七）总计", 1, 2)]
    if "other_misc" in req:
        three.append(("（六）其他处理", 3, 1))
    four = [("行政复议", 1, 5), ("行政诉讼", 1, 10), ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5),
            ("结果维持", 2, 1)]
    two = [("第二十条第（一）项", 1, None)]
    return {"requests": three, "appeals": four, "proactive.art20_1": two}


# ---- a table as a grid of cells: [(row, col, rows, cols, text, is_header_row)] ----

def check_table(name, cells, nrows, ncols, head_rows, rows, merges):
    """cells: origin cells of one table read back; rows: the expected values."""
    for c in cells:
        if c[0] + c[2] > nrows or c[1] + c[3] > ncols:
            problem("%s: the cell %r runs outside the table" % (name, c[4]))
    covered = {}
    for c in cells:
        for r in range(c[0], c[0] + c[2]):
            for k in range(c[1], c[1] + c[3]):
                if (r, k) in covered:
                    problem("%s: slot %d,%d covered twice" % (name, r, k))
                covered[(r, k)] = c
    if len(covered) != nrows * ncols:
        problem("%s: %d of %d slots covered" % (name, len(covered), nrows * ncols))
    body = nrows - head_rows
    if body != len(rows):
        problem("%s: %d body rows, expected %d" % (name, body, len(rows)))
    for i, want in enumerate(rows):
        n = len(want)
        got = []
        for k in range(ncols - n, ncols):
            c = covered.get((head_rows + i, k))
            got.append(c[4] if c and c[0] == head_rows + i and c[1] == k else None)
        want_text = [text(v) for v in want]
        if got != want_text:
            problem("%s row %d: %r, expected %r" % (name, i + 1, got, want_text))
    for label, nr, nc in merges.get(name, []):
        found = [c for c in cells if c[4].replace("\n", "") == label]
        if not found:
            problem("%s: no cell %s" % (name, label))
            continue
        c = found[0]
        if c[2] != nr or (nc is not None and c[3] != nc) or (nc is None and c[3] != ncols):
            problem("%s: %s spans %dx%d, expected %sx%s" % (name, label, c[2], c[3], nr, nc or ncols))


# ---- DOCX ----

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_grid(tbl):
    """Origin cells of a w:tbl element, following gridSpan and vMerge as Word does."""
    cells = []
    open_cols = {}     # column -> index in cells of the cell a vMerge continues
    head = 0
    trs = tbl.findall(W + "tr")
    for r, tr in enumerate(trs):
        trpr = tr.find(W + "trPr")
        if trpr is not None and trpr.find(W + "tblHeader") is not None:
            if head != r:
                problem("a repeating header row after a body row")
            head = r + 1
        col = 0
        for tc in tr.findall(W + "tc"):
            pr = tc.find(W + "tcPr")
            span = 1
            vm = None
            if pr is not None:
                gs = pr.find(W + "gridSpan")
                if gs is not None:
                    span = int(gs.get(W + "val"))
                v = pr.find(W + "vMerge")
                if v is not None:
                    vm = v.get(W + "val", "continue")
            paras = []
            for p in tc.findall(W + "p"):
                s = ""
                for el in p.iter():
                    if el.tag == W + "t":
                        s += el.text or ""
                    elif el.tag == W + "br":
                        s += "\n"
                    elif el.tag == W + "tab":
                        s += "\t"
                paras.append(s)
            t = "\n".join(paras)
            if vm == "continue":
                i = open_cols.get(col)
                if i is None or cells[i][1] != col or cells[i][3] != span:
                    problem("a vMerge continuation with nothing above at row %d col %d" % (r, col))
                else:
                    if t:
                        problem("a merged-away cell holds text: %r" % t)
                    c = cells[i]
                    cells[i] = (c[0], c[1], r - c[0] + 1, c[3], c[4])
            else:
                cells.append((r, col, 1, span, t))
                for k in range(col, col + span):
                    open_cols.pop(k, None)
                if vm == "restart":
                    open_cols[col] = len(cells) - 1
            col += span
    ncols = len(tbl.find(W + "tblGrid").findall(W + "gridCol"))
    return cells, len(trs), ncols, head


def check_docx(path, draft_path):
    import docx
    from docx.enum.text import WD_LINE_SPACING, WD_ALIGN_PARAGRAPH
    from docx.shared import Pt
    draft = load_draft(draft_path)
    doc = docx.Document(path)
    tables = expected_tables(draft)
    merges = expected_merges(draft)
    if len(doc.tables) != len(tables):
        problem("%d tables, expected %d" % (len(doc.tables), len(tables)))
    for t, (name, rows) in zip(doc.tables, tables):
        cells, nrows, ncols, head = docx_grid(t._tbl)
        check_table(name, cells, nrows, ncols, head, rows, merges)
        # python-docx's own view of the cells agrees (gridSpan and vMerge resolved by it)
        for i, want in enumerate(rows):
            got = [c.text for c in t.rows[head + i].cells[-len(want):]]
            if got != [text(v) for v in want]:
                problem("%s row %d (python-docx): %r" % (name, i + 1, got))
        if head < 1:
            problem("%s: no header row repeats on a new page" % name)
        for tr in t._tbl.findall(W + "tr"):
            for tc in tr.findall(W + "tc"):
                for rpr in tc.iter(W + "sz"):
                    if int(rpr.get(W + "val")) > 21:
                        problem("%s: table text above 五号" % name)
    # page setup (GB/T 9704)
    sec = doc.sections[0]
    for what, got, want in (("page width", sec.page_width.mm, 210), ("page height", sec.page_height.mm, 297),
                            ("top margin", sec.top_margin.mm, 37), ("bottom margin", sec.bottom_margin.mm, 35),
                            ("left margin", sec.left_margin.mm, 28), ("right margin", sec.right_margin.mm, 26)):
        if abs(got - want) > 0.2:
            problem("%s %.1f mm, expected %d" % (what, got, want))

    def east_asia(style):
        rpr = style.element.rPr
        fonts = rpr.rFonts if rpr is not None else None
        return fonts.get(W + "eastAsia") if fonts is not None else None

    st = doc.styles
    for sid, font, size in (("Title", "方正小标宋简体", 22), ("Heading1", "黑体", 16), ("TableText", "宋体", 10.5)):
        s = [x for x in st if x.style_id == sid]
        if not s:
            problem("no style %s" % sid)
            continue
        s = s[0]
        if east_asia(s) != font:
            problem("style %s in %s, expected %s" % (sid, east_asia(s), font))
        if s.font.size is None or s.font.size.pt != size:
            problem("style %s at %s pt, expected %s" % (sid, s.font.size and s.font.size.pt, size))
    defaults = doc.styles.element.find(W + "docDefaults")
    rfonts = defaults.find(".//" + W + "rFonts")
    if rfonts.get(W + "eastAsia") != "仿宋_GB2312":
        problem("body font %s, expected 仿宋_GB2312" % rfonts.get(W + "eastAsia"))
    if defaults.find(".//" + W + "sz").get(W + "val") != "32":
        problem("body size is not 三号")
    body = [x for x in st if x.style_id == "Body"][0]
    pf = body.paragraph_format
    if pf.first_line_indent != Pt(32):
        problem("body first-line indent %s, expected two characters" % pf.first_line_indent)
    if pf.line_spacing_rule != WD_LINE_SPACING.EXACTLY and doc.styles.element.find(
            ".//" + W + "pPrDefault//" + W + "spacing").get(W + "lineRule") != "exact":
        problem("body line spacing is not fixed")
    paras = doc.paragraphs
    titles = [p for p in paras if p.style.style_id == "Title"]
    if not titles or any(p.alignment != WD_ALIGN_PARAGRAPH.CENTER and p.style.paragraph_format.alignment
                         != WD_ALIGN_PARAGRAPH.CENTER for p in titles):
        problem("the title is not centred")
    org = writable(draft.get("organization", ""))
    if org and titles[0].text != org:
        problem("the first title line is %r, expected the organization" % titles[0].text)
    if not titles[-1].text.endswith("政府信息公开工作年度报告"):
        problem("the title reads %r" % titles[-1].text)
    sig = [p for p in paras if p.style.style_id == "Signature"]
    if org and (len(sig) != 2 or sig[0].text != org):
        problem("the signature is %r" % [p.text for p in sig])
    heads = [p.text for p in paras if p.style.style_id == "Heading1"]
    if len(heads) != 6 or not heads[0].startswith("一、") or not heads[5].startswith("六、"):
        problem("section headings %r" % heads)
    z = zipfile.ZipFile(path)
    fonts = z.read("word/fontTable.xml").decode()
    for name, alt in (("仿宋_GB2312", "仿宋"), ("方正小标宋简体", "宋体"), ("黑体", "SimHei"), ("宋体", "SimSun")):
        if not re.search(r'<w:font w:name="%s"><w:altName w:val="%s"/>' % (name, alt), fonts):
            problem("the font table lacks %s with its fallback %s" % (name, alt))
    footer = z.read("word/footer1.xml").decode()
    if "— </w:t>" not in footer or " PAGE " not in footer or "> —</w:t>" not in footer:
        problem("the footer is not a page number in the — 1 — style")
    finish("%s: %d tables, every cell, merges, fonts and page" % (path, len(tables)))


# ---- HTML ----

def html_grid(table, ns):
    """Origin cells of an HTML table by the HTML table model (rowspan/colspan)."""
    cells = []
    taken = set()
    rows = []
    head = 0
    for part in table:
        tag = part.tag.replace(ns, "")
        if tag in ("thead", "tbody"):
            for tr in part:
                if tr.tag == ns + "tr":
                    rows.append(tr)
                    if tag == "thead":
                        head = len(rows)
    ncols = 0
    for r, tr in enumerate(rows):
        col = 0
        for cell in tr:
            if cell.tag not in (ns + "td", ns + "th"):
                continue
            while (r, col) in taken:
                col += 1
            rs = int(cell.get("rowspan", "1"))
            cs = int(cell.get("colspan", "1"))
            t = ""
            for el in cell.iter():
                if el.tag == ns + "br":
                    t += "\n"
                t += (el.text or "") if el is cell or el.tag != ns + "br" else ""
                if el is not cell:
                    t += el.tail or ""
            cells.append((r, col, rs, cs, t))
            for a in range(r, r + rs):
                for b in range(col, col + cs):
                    taken.add((a, b))
            col += cs
            ncols = max(ncols, col)
    return cells, len(rows), ncols, head


def text_render_numbers(path):
    """The numbers of the text render's tables, row by row."""
    nums = []
    for line in open(path, encoding="utf-8"):
        if not line.startswith(("|", "│")):
            continue
        for field in re.split("[|│]", line.rstrip("\n"))[1:-1]:
            f = field.strip()
            if re.fullmatch(r"-?\d+(\.\d+)?", f):
                nums.append(f)
    return nums


def check_html(path, draft_path, text_path):
    import html5lib
    raw = open(path, "rb").read()
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    try:
        doc = parser.parse(raw)
    except Exception as e:       # html5lib's strict mode raises on the first parse error
        problem("html5lib (strict): %s" % e)
        finish("")
    ns = "{http://www.w3.org/1999/xhtml}"
    if re.search(rb"<script|<link|<img|<iframe|<object|<embed|\ssrc=|url\(|@import|\son[a-z]+=", raw, re.I):
        problem("a script or an external resource")
    draft = load_draft(draft_path)
    tables = expected_tables(draft)
    merges = expected_merges(draft)
    found = list(doc.iter(ns + "table"))
    if len(found) != len(tables):
        problem("%d tables, expected %d" % (len(found), len(tables)))
    numbers = []
    for t, (name, rows) in zip(found, tables):
        cells, nrows, ncols, head = html_grid(t, ns)
        check_table(name, cells, nrows, ncols, head, rows, merges)
        numbers += [c[4] for c in sorted(cells) if c[0] >= head and re.fullmatch(r"-?\d+(\.\d+)?", c[4])]
        for td in t.iter(ns + "td"):
            if len(td) or (td.text and not re.fullmatch(r"-?\d+(\.\d+)?", td.text)):
                problem("%s: a value cell holds %r" % (name, td.text))
    if text_path:
        want = text_render_numbers(text_path)
        if numbers != want:
            problem("the tables' numbers differ from the text render's: %r vs %r" % (numbers[:30], want[:30]))
    style = doc.find(".//" + ns + "style").text
    if "@page{size:A4" not in style:
        problem("no print CSS for A4")
    finish("%s: %d tables against the draft and the text render" % (path, len(tables)))


# ---- a PDF's text: every label and number in order ----

def squeeze(s):
    return re.sub(r"\s+", "", s)


def tokens_of(out_path):
    toks = []
    if out_path.endswith(".docx"):
        import docx
        doc = docx.Document(out_path)
        body = doc.element.body
        for el in body:
            if el.tag == W + "p":
                t = "".join(x.text or "" for x in el.iter(W + "t"))
                if t.strip():
                    toks.append((squeeze(t)[:12], False))
            elif el.tag == W + "tbl":
                cells, _, _, _ = docx_grid(el)
                toks += [(squeeze(c[4]), c[2] > 1) for c in sorted(cells) if c[4].strip()]
    else:
        import html5lib
        doc = html5lib.parse(open(out_path, "rb").read())
        ns = "{http://www.w3.org/1999/xhtml}"
        main = doc.find(".//" + ns + "main")
        for el in main:
            if el.tag in (ns + "p", ns + "h1", ns + "h2"):
                t = "".join(el.itertext())
                if t.strip():
                    toks.append((squeeze(t)[:12], False))
            elif el.tag == ns + "table":
                cells, _, _, _ = html_grid(el, ns)
                toks += [(squeeze(c[4]), c[2] > 1) for c in sorted(cells) if c[4].strip()]
    return toks


def check_order(pdf_text, out_path):
    text = squeeze(open(pdf_text, encoding="utf-8").read())
    # page numbers and a header may fall between any two tokens
    text = re.sub(r"—\d+—", "", text).replace("【草稿】", "")
    pos = 0
    toks = tokens_of(out_path)
    for t, split in toks:
        t = t.replace("【草稿】", "")
        if not t:
            continue
        if split:
            # a label merged down several rows may break across pages, the rest of it after
            # the rows of this page: its first character here, and the whole of it later
            at = text.find(t[0], pos)
            end = at + 1
            if at >= 0 and any(text.find(ch, at) < 0 for ch in t):
                at = -1
        else:
            at = text.find(t, pos)
            end = at + len(t)
        if at < 0:
            problem("%r is not in the PDF after %r" % (t, text[max(0, pos - 30):pos]))
            break
        pos = end
    finish("%s: %d labels, numbers and paragraphs in order" % (pdf_text, len(toks)))


def check_width(bbox_html):
    # pdftotext -bbox: <page width=".." height=".."> <word xMin=".." xMax="..">
    page_w = None
    worst = 0.0
    for m in re.finditer(r'<page width="([\d.]+)"|<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', 
                         open(bbox_html, encoding="utf-8").read()):
        if m.group(1):
            page_w = float(m.group(1))
        else:
            worst = max(worst, float(m.group(3)))
    if page_w is None:
        problem("no page")
        finish("")
    limit = page_w - 26 / 25.4 * 72 + 1       # the right margin, 26 mm, and 1 pt for rounding
    if worst == 0:
        problem("no text in the tables' print")
    if abs(page_w - 595) > 2:
        problem("the page is %s pt wide, not A4" % page_w)
    elif worst > limit:
        problem("text reaches x=%.1f pt, past the A4 text width (%.1f)" % (worst, limit))
    finish("%s: widest text at %.1f of %.1f pt" % (bbox_html, worst, limit))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "docx":
        check_docx(sys.argv[2], sys.argv[3])
    elif cmd == "html":
        check_html(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
    elif cmd == "order":
        check_order(sys.argv[2], sys.argv[3])
    elif cmd == "dump":
        z = zipfile.ZipFile(sys.argv[2])
        for info in z.infolist():
            sys.stdout.write("=== %s\n" % info.filename)
            sys.stdout.write(z.read(info).decode("utf-8"))
    elif cmd == "width":
        check_width(sys.argv[2])
    else:
        sys.exit("unknown command " + cmd)
