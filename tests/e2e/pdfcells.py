#!/usr/bin/env python3
"""pdfcells.py SOURCE.yaml IMPORTED.yaml: compare the table cells of two drafts.

Prints "right R blank B wrong W" and one line "wrong: PATH source S imported I" for each
cell the import got wrong.  A cell is right when both drafts have the same number (or both
are blank), blank when the import left blank a cell the source has, wrong otherwise."""
import sys
from decimal import Decimal, InvalidOperation
import yaml

SECTIONS = ("proactive", "requests", "appeals")


def blank(v):
    return v is None or v in ("", "~", "null", "Null", "NULL")


def number(v):
    try:
        return Decimal(v)
    except (InvalidOperation, TypeError):
        return None


def leaves(node, path):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from leaves(v, path + (str(k),))
    else:
        yield path, node


def main():
    src = yaml.load(open(sys.argv[1], encoding="utf-8"), Loader=yaml.BaseLoader)
    imp = yaml.load(open(sys.argv[2], encoding="utf-8"), Loader=yaml.BaseLoader)
    right = blanks = wrong = 0
    notes = []
    for sec in SECTIONS:
        for path, want in leaves(src.get(sec, {}), (sec,)):
            got = imp.get(sec, {})
            for p in path[1:]:
                got = got.get(p) if isinstance(got, dict) else None
            if blank(got):
                if blank(want):
                    right += 1
                else:
                    blanks += 1
            elif not blank(want) and number(got) is not None and number(got) == number(want):
                right += 1
            else:
                wrong += 1
                notes.append("wrong: %s source %s imported %s" % (".".join(path), want, got))
    print("right %d blank %d wrong %d" % (right, blanks, wrong))
    for n in notes:
        print(n)


main()
