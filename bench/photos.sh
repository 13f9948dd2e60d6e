#!/usr/bin/env bash
# The photo case of the benchmark: N county briefings (default 20) with 4 photos of 12
# megapixels each, all different files. Measures a cold build (wall time, peak RSS), the
# size of the screen PDFs against the original photos' bytes (Typst embeds a JPEG's bytes
# unchanged, so a PDF made from the originals is at least that big), and a no-op rebuild.
# Appends a Markdown table to bench/results.md when run from bench/run.sh.
#
#   bash bench/photos.sh [N...]            # e.g. bash bench/photos.sh 10 20
#
# JIANBAO=path/to/jianbao picks the binary (default: the release build, built if missing).
# Needs python3, hyperfine and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jianbao=${JIANBAO:-"$root/target/release/jianbao"}
if [ ! -x "$jianbao" ]; then cargo build --release --locked; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
measure() { /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1; cat "$work/time"; }

echo "| briefings × photos (12 MP) | cold build | peak RSS | screen PDFs | original photos | ratio | no-op rebuild |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
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
  photos=$(du -cb "$dir"/photos/*.jpg | tail -1 | cut -f1)
  read -r cold rss < <(measure "$jianbao" build "$dir/manifest.yaml" -o "$dir/out")
  pdfs=$(du -cb "$dir"/out/*.pdf | tail -1 | cut -f1)
  hyperfine --style none --runs 10 --export-json "$work/noop$n.json" \
    -n noop "'$jianbao' build '$dir/manifest.yaml' -o '$dir/out'" >/dev/null
  noop=$(python3 -c "import json; print(f\"{json.load(open('$work/noop$n.json'))['results'][0]['median']*1000:.0f}\")")
  count=$(ls "$dir"/photos/*.jpg | wc -l)
  python3 -c "
n, count, cold, rss, pdfs, photos, noop = $n, $count, $cold, $rss, $pdfs, $photos, $noop
print(f'| {n} × 4 ({count} files) | {cold:.1f} s | {rss/1024:.0f} MiB | {pdfs/1e6:.1f} MB | {photos/1e6:.1f} MB | 1/{photos/pdfs:.1f} | {noop} ms |')"
done
