#!/usr/bin/env python3
"""pdfvary.py DRAFT FIRST END: writes vary-SEED.yaml for SEED in [FIRST, END): the draft with
its table cells changed, by seed, to numbers from 0 to 3000 (even seeds) or to a mix of
0, small and five-digit numbers (odd seeds), one in twelve left blank: numbers that wrap in
their cells and empty cells, as real reports have them."""
import random, re, sys
src = open(sys.argv[1], encoding='utf-8').read()
for seed in range(int(sys.argv[2]), int(sys.argv[3])):
    r = random.Random(seed)
    def rep(m):
        if r.random() < 1 / 12:
            return m.group(1) + '~'
        if seed % 2:
            return m.group(1) + str(r.choice([0, 0, 0, 1, 7, 23, 105, 4821, 99999]))
        return m.group(1) + str(r.randint(0, 3000))
    out = []
    for line in src.split('\n'):
        if re.match(r'\s+\w+: \{', line) and 'amount' not in line:
            line = re.sub(r'(\w+: )(\d+|~)(?=[,}])', rep, line)
        out.append(line)
    open('vary-%d.yaml' % seed, 'w', encoding='utf-8').write('\n'.join(out))
