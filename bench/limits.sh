#!/usr/bin/env bash
# What the per-document limits cost (issue 15): 20 county briefings built side by side by
#   base     a jianbao binary without the limits (BASE=path; skipped when unset),
#   limits   this build with the default limits (each document in a worker process),
#   in-proc  this build with --doc-timeout 0 --doc-memory 0 (documents on threads, as before).
# Wall time is hyperfine's median of RUNS (default 10) cold builds; peak memory is that of the whole process
# tree (bench/tree_peak.py: summed RSS and PSS, max of 3 runs) and GNU time's maximum RSS of
# one process. Appends a Markdown table to bench/results.md when run from bench/run.sh.
#
#   BASE=OLD/jianbao bash bench/limits.sh [JIANBAO]
set -euo pipefail
cd "$(dirname "$0")/.."
jianbao=${1:-target/release/jianbao}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/make_manifest.py 20 "$work/m20" >/dev/null
manifest="$work/m20/manifest.yaml"

names=() cmds=()
if [ -n "${BASE:-}" ]; then names+=(base); cmds+=("'$BASE' build '$manifest' -o '$work/out'"); fi
names+=(limits); cmds+=("'$jianbao' build '$manifest' -o '$work/out'")
names+=(in-proc); cmds+=("'$jianbao' build '$manifest' -o '$work/out' --doc-timeout 0 --doc-memory 0")

args=()
for i in "${!names[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
hyperfine --style none --warmup 1 --runs "${RUNS:-10}" --prepare "rm -rf '$work/out'" \
  --export-json "$work/h.json" "${args[@]}" >/dev/null

echo
echo "| 20 briefings | wall (median of ${RUNS:-10}) | vs base | peak RSS, process tree | peak PSS, process tree | max RSS of one process |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for i in "${!names[@]}"; do
  rss=0 pss=0
  for _ in 1 2 3; do
    rm -rf "$work/out"
    read -r r p < <(eval "python3 bench/tree_peak.py ${cmds[$i]}")
    [ "$r" -gt "$rss" ] && rss=$r
    [ "$p" -gt "$pss" ] && pss=$p
  done
  rm -rf "$work/out"
  one=$(eval "/usr/bin/time -f %M -o '$work/time' ${cmds[$i]}" >/dev/null 2>&1; cat "$work/time")
  python3 - "$work/h.json" "$i" "${names[$i]}" "$rss" "$pss" "$one" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
i, name = int(sys.argv[2]), sys.argv[3]
rss, pss, one = (int(x) for x in sys.argv[4:7])
t = r[i]["median"]
base = r[0]["median"] if r[0]["command"] == "base" else None
ratio = f"{t / base:.2f}×" if base else "–"
print(f"| {name} | {t:.2f} s | {ratio} | {rss/1024:.0f} MiB | {pss/1024:.0f} MiB | {one/1024:.0f} MiB |")
PY
done
