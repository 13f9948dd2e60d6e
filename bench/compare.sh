#!/usr/bin/env bash
# Two jianbao binaries side by side on the same synthetic manifests (bench/make_manifest.py):
# a baseline (an older commit's release build) and this one. Prints a Markdown table:
#   - one briefing and 20 briefings, cold builds: wall time (hyperfine median of RUNS);
#   - peak memory of the 20-briefing build's whole process tree, RSS and PSS (bench/tree_peak.py,
#     max of 3 runs; worker processes included);
#   - `check` of the 20 briefings, and a no-op rebuild of them (nothing changed);
#   - the size of each binary.
# Both binaries run in one hyperfine call per case, so they meet the same machine.
#
#   BASELINE=OLD/target/release/jianbao [JIANBAO=target/release/jianbao] [RUNS=10] bash bench/compare.sh
#
# A baseline older than the `groupings:` field (before the fallback fonts, #12) refuses the
# manifests of today's bench/make_manifest.py, and today's build refuses their invented county
# names without it. Set BASE_MAKE_MANIFEST to the old commit's bench/make_manifest.py: both
# binaries then get that script's manifests, and this build's copy gains a `groupings:` line
# naming their counties (nothing else differs).
#
# Extra build arguments for the new binary (build only, not check) go in NEW_ARGS (for example
# NEW_ARGS="--doc-timeout 0 --doc-memory 0" to compare documents on threads).
set -euo pipefail
cd "$(dirname "$0")/.."
base=${BASELINE:?set BASELINE to the baseline jianbao binary}
new=${JIANBAO:-target/release/jianbao}
runs=${RUNS:-10}
new_args=${NEW_ARGS:-}
# hyperfine times the runs, as in bench/run.sh; installed from Debian when missing.
if ! command -v hyperfine >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for n in 1 20; do
  if [ -n "${BASE_MAKE_MANIFEST:-}" ]; then
    python3 "$BASE_MAKE_MANIFEST" "$n" "$work/b$n" >/dev/null
    cp -r "$work/b$n" "$work/m$n"
    python3 - "$work/m$n/manifest.yaml" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
counties = sorted(set(re.findall(r"^    county: (.+)$", text, re.M)))
text = re.sub(r"^articles:", "groupings: [" + ", ".join(counties) + "]\narticles:", text, count=1, flags=re.M)
open(path, "w", encoding="utf-8").write(text)
PY
  else
    python3 bench/make_manifest.py "$n" "$work/m$n" >/dev/null
    ln -s "$work/m$n" "$work/b$n"
  fi
done

median() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; print(' '.join(str(x['median']) for x in r))" "$1"; }

cpu() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; print(' '.join(str(x['user'] + x['system']) for x in r))" "$1"; }

case_time() { # name subcommand manifest-name extra-args prepare (manifest-name: m1 or m20)
  local name=$1 sub=$2 m=$3 extra=$4 prepare=$5
  hyperfine --style none --warmup 1 --runs "$runs" --prepare "$prepare" --export-json "$work/$name.json" \
    -n base "'$base' $sub '$work/b${m#m}/manifest.yaml' $extra" \
    -n new "'$new' $sub '$work/$m/manifest.yaml' $extra $new_args" >/dev/null
  median "$work/$name.json"
}

read -r one_b one_n < <(case_time one build m1 "-o '$work/o1'" "rm -rf '$work/o1'")
read -r one_cpu_b one_cpu_n < <(cpu "$work/one.json")
read -r twenty_b twenty_n < <(case_time twenty build m20 "-o '$work/o20'" "rm -rf '$work/o20'")
read -r twenty_cpu_b twenty_cpu_n < <(cpu "$work/twenty.json")
# check takes no build arguments, so NEW_ARGS stays out of it.
read -r check_b check_n < <(new_args='' case_time check check m20 "" "true")
# No-op rebuilds: each binary keeps its own output folder, built once before timing.
"$base" build "$work/b20/manifest.yaml" -o "$work/nb" >/dev/null 2>&1
"$new" build "$work/m20/manifest.yaml" -o "$work/nn" $new_args >/dev/null 2>&1
hyperfine --style none --warmup 1 --runs "$runs" --export-json "$work/noop.json" \
  -n base "'$base' build '$work/b20/manifest.yaml' -o '$work/nb'" \
  -n new "'$new' build '$work/m20/manifest.yaml' -o '$work/nn' $new_args" >/dev/null
read -r noop_b noop_n < <(median "$work/noop.json")

peak() { # binary manifest-folder extra-args → "RSS PSS" KiB, max of 3 cold builds
  local rss=0 pss=0 r p
  for _ in 1 2 3; do
    rm -rf "$work/peak"
    # shellcheck disable=SC2086
    read -r r p < <(python3 bench/tree_peak.py "$1" build "$work/$2/manifest.yaml" -o "$work/peak" $3)
    [ "$r" -gt "$rss" ] && rss=$r
    [ "$p" -gt "$pss" ] && pss=$p
  done
  echo "$rss $pss"
}
read -r rss_b pss_b < <(peak "$base" b20 "")
read -r rss_n pss_n < <(peak "$new" m20 "$new_args")
size_b=$(stat -c %s "$base")
size_n=$(stat -c %s "$new")

python3 - "$runs" "$one_b" "$one_n" "$one_cpu_b" "$one_cpu_n" "$twenty_b" "$twenty_n" \
  "$twenty_cpu_b" "$twenty_cpu_n" "$check_b" "$check_n" "$noop_b" "$noop_n" \
  "$rss_b" "$rss_n" "$pss_b" "$pss_n" "$size_b" "$size_n" <<'PY'
import sys
runs = sys.argv[1]
v = [float(x) for x in sys.argv[2:]]
rows = [
    (f"1 briefing, cold build (median of {runs})", v[0], v[1], "ms"),
    (f"1 briefing: CPU, user + system (mean of {runs})", v[2], v[3], "ms"),
    (f"20 briefings, cold build (median of {runs})", v[4], v[5], "ms"),
    (f"20 briefings: CPU, user + system (mean of {runs})", v[6], v[7], "ms"),
    (f"check of 20 briefings (median of {runs})", v[8], v[9], "ms"),
    (f"no-op rebuild of 20 briefings (median of {runs})", v[10], v[11], "ms"),
    ("20 briefings: peak RSS of the process tree (max of 3)", v[12], v[13], "MiB"),
    ("20 briefings: peak PSS of the process tree (max of 3)", v[14], v[15], "MiB"),
    ("binary size", v[16], v[17], "MB"),
]
print("| | baseline | this build | ratio |")
print("| --- | ---: | ---: | ---: |")
for name, b, n, unit in rows:
    if unit == "ms":
        fb, fn = f"{b * 1000:.0f} ms", f"{n * 1000:.0f} ms"
    elif unit == "MiB":
        fb, fn = f"{b / 1024:.0f} MiB", f"{n / 1024:.0f} MiB"
    else:
        fb, fn = f"{b / 1e6:.1f} MB", f"{n / 1e6:.1f} MB"
    print(f"| {name} | {fb} | {fn} | {n / b:.2f}× |")
PY
