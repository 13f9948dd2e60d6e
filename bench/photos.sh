#!/usr/bin/env bash
# The photo case of the benchmark: N county briefings (default 20) with 4 photos of 12
# megapixels each, all different files. Measures jianbao's cold build of the screen PDFs
# (wall time, peak RSS, total size) and a no-op rebuild, against the stock typst CLI
# compiling the same documents one by one from jianbao's --emit-typst sources with the
# *original* photos put back in place of the processed ones (what a Typst user who
# places the camera files gets): wall time of the loop, peak RSS (the largest of its
# processes) and total size. Prints a Markdown table; bench/run.sh appends it to
# bench/results.md.
#
#   bash bench/photos.sh [N...]            # e.g. bash bench/photos.sh 10 20
#
# JIANBAO=path/to/jianbao picks the binary (default: the release build, built if
# missing); TYPST=path/to/typst picks the typst CLI (default: typst-cli 0.15.1 in
# bench/.tools, installed there like bench/run.sh does when missing).
# Needs python3, hyperfine and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jianbao=${JIANBAO:-"$root/target/release/jianbao"}
if [ ! -x "$jianbao" ]; then cargo build --release --locked; fi
typst=${TYPST:-"$root/bench/.tools/bin/typst"}
if [ ! -x "$typst" ]; then
  cargo install typst-cli --version 0.15.1 --locked --root "$root/bench/.tools"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
measure() { /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1; cat "$work/time"; }

echo "| briefings × photos (12 MP) | jianbao cold build | jianbao peak RSS | screen PDFs | typst CLI loop | typst peak RSS | typst PDFs | size | no-op rebuild |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for n in "${@:-20}"; do
  dir="$work/p$n"
  python3 bench/make_manifest.py "$n" "$dir"
  # Four different 12-megapixel photos per briefing: the example's 12 MP photo with a
  # distinct trailer after its end marker, so every file has its own content hash.
  python3 - "$dir" "$root/seeds/photos/wood-12mp.jpg" <<'PY'
import os, re, sys
d, src = sys.argv[1], sys.argv[2]
data = open(src, "rb").read()
os.makedirs(os.path.join(d, "photos"), exist_ok=True)
p = os.path.join(d, "manifest.yaml")
s = open(p, encoding="utf-8").read()
out, seen = [], set()
for line in s.split("\n"):
    out.append(line)
    m = re.match(r"  - id: (c\d+)-a0$", line)
    if m and m.group(1) not in seen:
        seen.add(m.group(1))
        out.append("    photos:")
        for k in range(4):
            name = f"{m.group(1)}-{k}.jpg"
            with open(os.path.join(d, "photos", name), "wb") as f:
                f.write(data + f"bench {name}".encode())
            out.append(f"      - {{ file: photos/{name}, caption: 图为基准测试照片。, size: half }}")
open(p, "w", encoding="utf-8").write("\n".join(out))
PY
  count=$(ls "$dir"/photos/*.jpg | wc -l)
  read -r cold rss < <(measure "$jianbao" build "$dir/manifest.yaml" -o "$dir/out")
  pdfs=$(du -cb "$dir"/out/*.pdf | tail -1 | cut -f1)
  hyperfine --style none --runs 10 --export-json "$work/noop$n.json" \
    -n noop "'$jianbao' build '$dir/manifest.yaml' -o '$dir/out'" >/dev/null
  noop=$(python3 -c "import json; print(f\"{json.load(open('$work/noop$n.json'))['results'][0]['median']*1000:.0f}\")")

  # The typst CLI's sources: the outputs are fresh, so this only writes each document's
  # folder (templates, data.json, the processed photos under photos/).
  "$jianbao" build "$dir/manifest.yaml" -o "$dir/out" --emit-typst "$dir/typ" >/dev/null 2>&1
  # Put the originals in place of the processed photos: a processed photo's name starts
  # with the first 16 hex digits of its original's SHA-256.
  python3 - "$dir/typ" "$dir/photos" <<'PY'
import hashlib, os, shutil, sys
typ, photos = sys.argv[1], sys.argv[2]
originals = {}
for name in os.listdir(photos):
    path = os.path.join(photos, name)
    originals[hashlib.sha256(open(path, "rb").read()).hexdigest()[:16]] = path
swapped = 0
for doc in os.listdir(typ):
    folder = os.path.join(typ, doc, "photos")
    if not os.path.isdir(folder):
        continue
    for name in os.listdir(folder):
        shutil.copyfile(originals[name.split("-")[0]], os.path.join(folder, name))
        swapped += 1
if swapped == 0:
    sys.exit("no processed photos in the emitted sources")
PY
  : > "$work/typst-rss$n"
  start=$(date +%s.%N)
  for d in "$dir"/typ/*/; do
    /usr/bin/time -f "%M" -a -o "$work/typst-rss$n" \
      "$typst" compile "$d/main.typ" "$d/out.pdf" --root "$d" --font-path "$root/fonts" --ignore-system-fonts
  done
  end=$(date +%s.%N)
  typst_rss=$(sort -n "$work/typst-rss$n" | tail -1)
  typst_pdfs=$(du -cb "$dir"/typ/*/out.pdf | tail -1 | cut -f1)
  python3 -c "
n, count, cold, rss, pdfs, loop, trss, tpdfs, noop = $n, $count, $cold, $rss, $pdfs, $end - $start, $typst_rss, $typst_pdfs, $noop
print(f'| {n} × 4 ({count} files) | {cold:.1f} s | {rss/1024:.0f} MiB | {pdfs/1e6:.1f} MB | {loop:.1f} s | {trss/1024:.0f} MiB | {tpdfs/1e6:.1f} MB | 1/{tpdfs/pdfs:.1f} | {noop} ms |')"
done
