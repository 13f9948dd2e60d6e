#!/usr/bin/env bash
# Briefings in any CI system. Two modes:
#
#   scripts/ci-briefings.sh pr   MANIFEST [OUT]   check the manifest; list outputs that will change
#   scripts/ci-briefings.sh main MANIFEST [OUT]   rebuild what changed; OUT holds the PDFs and
#                                                 OUT/.jianbao.json to upload as artifacts
#
# OUT defaults to `out`. Restore OUT from your CI cache before running, so unchanged
# briefings are skipped. The jianbao binary is taken from $JIANBAO, else from PATH.
# Exit codes: 0 success; 1 the manifest has problems or a briefing failed to build;
# 2 the environment failed.
set -euo pipefail
mode=${1:?usage: ci-briefings.sh pr|main MANIFEST [OUT]}
manifest=${2:?usage: ci-briefings.sh pr|main MANIFEST [OUT]}
out=${3:-out}
jianbao=${JIANBAO:-jianbao}

"$jianbao" --diagnostic-format short check "$manifest"
case "$mode" in
  pr)
    if "$jianbao" build "$manifest" --out-dir "$out" --check; then
      echo "ci-briefings: every briefing is up to date"
    else
      status=$?
      # 1 means "outputs will change", which is what a content pull request does.
      [ "$status" -eq 1 ] || exit "$status"
      echo "ci-briefings: the briefings listed as stale will be rebuilt when this is merged"
    fi
    ;;
  main)
    "$jianbao" build "$manifest" --out-dir "$out" --message-format json | tee "$out.build-log.jsonl"
    echo "ci-briefings: upload $out/*.pdf and $out/.jianbao.json"
    ;;
  *)
    echo "ci-briefings: unknown mode '$mode' (use pr or main)" >&2
    exit 2
    ;;
esac
