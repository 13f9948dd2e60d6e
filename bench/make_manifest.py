#!/usr/bin/env python3
"""Writes a synthetic manifest for benchmarks: N counties, each with articles copied
from the example manifest (seeds/manifest.yaml), so each county briefing has 8-12
pages. Usage: make_manifest.py N OUT_DIR"""
import json
import os
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
# Longest first, so three of them make a briefing of 8-12 pages.
articles.sort(key=lambda a: -sum(len(p) for p in a["body"]))

out_lines = [
    "briefing:",
    "  title: 运城党建工作简报",
    "  issuer: 中共运城市委组织部办公室",
    "  number: 3",
    "  date: 2025-03-10",
    "  report_to: [省委组织部]",
    "  copies: 100",
    "articles:",
]
figures = []
for c in range(n):
    county = f"样例{c + 1:03d}县"
    for k in range(3):
        a = articles[(c + k) % len(articles)]
        aid = f"c{c:03d}-a{k}"
        out_lines += [
            f"  - id: {aid}",
            f"    title: {json.dumps(a['title'].strip(chr(34)), ensure_ascii=False)}",
            f"    county: {county}",
            "    themes: [基层党建]",
            "    body: |",
        ] + [("      " + p if p else "") for p in a["body"]] + [
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
