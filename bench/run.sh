#!/usr/bin/env bash
# Benchmarks jianbao against a loop of the stock typst CLI (same Typst version, same
# sources: jianbao's --emit-typst output) on synthetic manifests of 1, 20 and 200
# county briefings made from the seeds, plus a no-op rebuild and a one-article change,
# and peak memory against batch size (20, 200, 400 briefings), and the photo case
# (bench/photos.sh: 20 briefings with four 12-megapixel photos each), and the cost of the
# per-document limits (bench/limits.sh: worker processes against threads in one process, and
# against a baseline binary without limits when BASE is set).
# Prints a Markdown table and writes it to bench/results.md.
#
#   [BASE=OLD/jianbao] bash bench/run.sh
#
# Installs what it needs when missing: the release build of jianbao, typst-cli 0.15.1
# (cargo install into bench/.tools, about 20 minutes on 2 cores), hyperfine and GNU time
# (Debian packages).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
tools="$root/bench/.tools"
typst="$tools/bin/typst"

cargo build --release --locked
jianbao="$root/target/release/jianbao"
if [ ! -x "$typst" ]; then
  cargo install typst-cli --version 0.15.1 --locked --root "$tools"
fi
for pkg in hyperfine time; do
  if ! dpkg -s "$pkg" >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg"
  fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
results="$root/bench/results.md"

# peak RSS (KiB) and wall seconds of one command
measure() { /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1; cat "$work/time"; }

{
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m); $("$typst" --version | head -1); jianbao $("$jianbao" --version | awk '{print $2}') (release build)"
  echo
  echo "| briefings | pages | jianbao build (cold) | per briefing | jianbao --jobs 1 | typst CLI loop | per briefing | ratio | jianbao peak RSS | typst peak RSS (max of loop) |"
  echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} > "$results"

for n in 1 20 200; do
  dir="$work/m$n"
  python3 bench/make_manifest.py "$n" "$dir"
  # Typst sources for the CLI loop (and a warm-up of the file cache).
  "$jianbao" build "$dir/manifest.yaml" -o "$dir/ref" --emit-typst "$dir/typ" >/dev/null 2>&1
  pages=$(python3 -c "import json,sys; print(sum(o['pages'] for o in json.load(open('$dir/ref/.jianbao.json'))['outputs']))")
  runs=$([ "$n" -le 20 ] && echo 10 || echo 3)
  cat > "$work/loop.sh" <<LOOP
for d in "$dir"/typ/*/; do
  "$typst" compile "\$d/main.typ" "\$d/out.pdf" --root "\$d" --font-path "$root/fonts" --ignore-system-fonts
done
LOOP
  hyperfine --style none --runs "$runs" --export-json "$work/h$n.json" \
    --prepare "rm -rf '$dir/out'" \
    -n jianbao "'$jianbao' build '$dir/manifest.yaml' -o '$dir/out'" \
    -n jianbao-j1 "'$jianbao' build '$dir/manifest.yaml' -o '$dir/out' --jobs 1" \
    -n typst "bash '$work/loop.sh'" >/dev/null
  read -r jb j1 ty < <(python3 -c "import json; r=json.load(open('$work/h$n.json'))['results']; print(r[0]['median'], r[1]['median'], r[2]['median'])")
  rm -rf "$dir/out"
  read -r _ jb_rss < <(measure "$jianbao" build "$dir/manifest.yaml" -o "$dir/out")
  echo "$jb_rss" > "$work/rss$n"   # reused by the memory table below
  ty_rss=0
  for d in "$dir"/typ/*/; do
    read -r _ rss < <(measure "$typst" compile "$d/main.typ" "$d/out.pdf" --root "$d" --font-path "$root/fonts" --ignore-system-fonts)
    [ "$rss" -gt "$ty_rss" ] && ty_rss=$rss
  done
  python3 - "$n" "$pages" "$jb" "$j1" "$ty" "$jb_rss" "$ty_rss" >> "$results" <<'PY'
import sys
n, pages = int(sys.argv[1]), int(sys.argv[2])
jb, j1, ty = (float(x) for x in sys.argv[3:6])
jr, tr = int(sys.argv[6]), int(sys.argv[7])
print(f"| {n} | {pages} | {jb:.2f} s | {jb/n*1000:.0f} ms | {j1:.2f} s | {ty:.2f} s | {ty/n*1000:.0f} ms | {ty/jb:.1f}× | {jr/1024:.0f} MiB | {tr/1024:.0f} MiB |")
PY
done

# Memory against batch size: peak RSS of a cold build (default jobs and --jobs 1) and of
# `check` alone, which holds only the parsed manifest. The build's growth beyond the
# manifest's is what documents add.
python3 bench/make_manifest.py 400 "$work/m400"
{
  echo
  echo "| briefings | build peak RSS | build --jobs 1 peak RSS | check peak RSS (manifest alone) |"
  echo "| ---: | ---: | ---: | ---: |"
} >> "$results"
for n in 20 200 400; do
  dir="$work/m$n"
  if [ -f "$work/rss$n" ]; then
    rss=$(cat "$work/rss$n")
  else
    read -r _ rss < <(measure "$jianbao" build "$dir/manifest.yaml" -o "$dir/mem")
  fi
  rm -rf "$dir/mem"
  read -r _ rss1 < <(measure "$jianbao" build "$dir/manifest.yaml" -o "$dir/mem" --jobs 1)
  read -r _ rssc < <(measure "$jianbao" check "$dir/manifest.yaml")
  echo "| $n | $((rss / 1024)) MiB | $((rss1 / 1024)) MiB | $((rssc / 1024)) MiB |" >> "$results"
done

# The typst CLI's fixed cost: one process typesetting one line in a bundled font.
printf '#set text(font: "FandolSong")\n一行宋体。\n' > "$work/line.typ"
hyperfine --style none --warmup 2 --runs 20 --export-json "$work/line.json" \
  -n line "'$typst' compile '$work/line.typ' '$work/line.pdf' --font-path '$root/fonts' --ignore-system-fonts" >/dev/null
line=$(python3 -c "import json; print(f\"{json.load(open('$work/line.json'))['results'][0]['median']*1000:.0f}\")")
{
  echo
  echo "typst CLI start-up: one process typesetting one line takes ${line} ms (median of 20)."
} >> "$results"

# Incremental builds on the 200-briefing manifest (built above into m200/out).
dir="$work/m200"
hyperfine --style none --runs 10 --export-json "$work/noop.json" \
  -n noop "'$jianbao' build '$dir/manifest.yaml' -o '$dir/out'" >/dev/null
noop=$(python3 -c "import json; print(json.load(open('$work/noop.json'))['results'][0]['median'])")
# Change one article (the first one of the third county) and rebuild.
python3 - "$dir/manifest.yaml" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
i = s.index("  - id: c002-a0")
j = s.index("    body: |\n", i) + len("    body: |\n")
s = s[:j] + "      本段为基准测试改动的一段文字。\n\n" + s[j:]
open(p, "w", encoding="utf-8").write(s)
PY
read -r one one_rss < <(measure "$jianbao" build "$dir/manifest.yaml" -o "$dir/out")
built=$("$jianbao" build "$dir/manifest.yaml" -o "$dir/out" --check 2>&1 | grep -c stale || true)
{
  echo
  echo "| 200 briefings, incremental | wall time | peak RSS |"
  echo "| --- | ---: | ---: |"
  echo "| no-op rebuild (nothing changed; median of 10) | $(python3 -c "print(f'{$noop*1000:.0f} ms')") | |"
  echo "| one article changed (rebuilds the 1 briefing holding it) | ${one} s | $((one_rss / 1024)) MiB |"
} >> "$results"

# The photo case: 20 briefings with four 12-megapixel photos each, against the typst CLI
# loop over the same documents with the original photos.
echo >> "$results"
JIANBAO="$jianbao" TYPST="$typst" bash bench/photos.sh 20 >> "$results"

# The per-document limits: 20 briefings with worker processes (the default), on threads in one
# process (--doc-timeout 0 --doc-memory 0), and with BASE (a build from before the limits).
bash bench/limits.sh "$jianbao" >> "$results"
cat "$results"
