#!/usr/bin/env python3
"""Writes a synthetic manifest for benchmarks: N counties (N <= 1586), each with its own
combination of articles copied from the example manifest (seeds/manifest.yaml), long
enough for a briefing of 8-12 pages.

No two briefings share text: every paragraph starts with its county's name, and no two
counties get the same set of articles. A build in one process therefore cannot reuse one
briefing's paragraph layout or font subsets for another. (In a real batch an article
appears in a few documents, its county's, its themes' and the whole issue, so some of
that work is shared; the benchmark gives jianbao none of it.)

Usage: make_manifest.py N OUT_DIR"""
import itertools
import json
import os
import random
import shutil
import sys

here = os.path.dirname(os.path.abspath(__file__))
seeds = os.path.join(here, "..", "seeds")
n, out = int(sys.argv[1]), sys.argv[2]
os.makedirs(out, exist_ok=True)
for name in os.listdir(seeds):
    if name.endswith(".txt"):
        shutil.copy(os.path.join(seeds, name), out)

# The example's articles, read without a YAML library: bodies are block scalars.
articles, current, section = [], None, None
with open(os.path.join(seeds, "manifest.yaml"), encoding="utf-8") as f:
    lines = f.read().split("\n")
i = 0
while i < len(lines):
    line = lines[i]
    if not line.startswith(" ") and line.endswith(":"):
        section = line[:-1]
    elif section == "articles" and line.startswith("  - id: "):
        current = {"title": "", "body": [], "file": "", "lines": ""}
        articles.append(current)
    elif current is not None and line.startswith("    title: "):
        current["title"] = line[len("    title: "):]
    elif current is not None and line.startswith("    body: |"):
        i += 1
        while i < len(lines) and (lines[i].startswith("      ") or lines[i] == ""):
            current["body"].append(lines[i][6:])
            i += 1
        continue
    elif current is not None and line.startswith("      file: "):
        current["file"] = line[len("      file: "):]
    elif current is not None and line.startswith("      lines: "):
        current["lines"] = line[len("      lines: "):]
    i += 1
articles = [a for a in articles if a["body"] and a["file"]]
length = [sum(len(p) for p in a["body"]) for a in articles]

# Sets of articles whose bodies make 8-12 pages (8-11 measured for 400 briefings): about
# 500 characters a page besides the masthead page and article titles, so 3,400 to 4,800.
combos = [
    combo
    for k in range(2, 7)
    for combo in itertools.combinations(range(len(articles)), k)
    if 3400 <= sum(length[i] for i in combo) <= 4800
]
random.Random(7).shuffle(combos)
if n > len(combos):
    sys.exit(f"at most {len(combos)} distinct briefings can be made from the seeds")

out_lines = [
    "briefing:",
    "  title: 运城党建工作简报",
    "  issuer: 中共运城市委组织部办公室",
    "  number: 3",
    "  date: 2025-03-10",
    "  report_to: [省委组织部]",
    "  copies: 100",
    # The made-up counties are not in the gazetteer; declare them as groupings.
    "groupings: [" + ", ".join(f"样例{c + 1:03d}县" for c in range(n)) + "]",
    "articles:",
]
for c in range(n):
    county = f"样例{c + 1:03d}县"
    for k, i in enumerate(combos[c]):
        a = articles[i]
        aid = f"c{c:03d}-a{k}"
        body = [f"      {county}讯：{p}" if p else "" for p in a["body"]]
        out_lines += [
            f"  - id: {aid}",
            f"    title: {json.dumps(a['title'].strip(chr(34)), ensure_ascii=False)}",
            f"    county: {county}",
            "    themes: [基层党建]",
            "    body: |",
        ] + body + [
            "    source:",
            f"      file: {a['file']}",
            f"      lines: {a['lines']}",
        ]
out_lines += [
    "outputs:",
    "  - kind: county",
    '    file: "{{ county }}-第{{ number }}期.pdf"',
]
with open(os.path.join(out, "manifest.yaml"), "w", encoding="utf-8") as f:
    f.write("\n".join(out_lines) + "\n")
