#!/usr/bin/env bash
# Scores `jianbao ingest` on every labelled fixture and prints, per file and
# per input format (text dumps, Word .docx, saved .html pages): articles found
# against the labels, county right, figures right, photos with the right
# caption, and junk leaked (text that must appear nowhere in the draft), with
# every miss. Labels: tests/fixtures/ingest/*.yaml (the seed dumps),
# tests/fixtures/ingest/text/*.yaml and tests/fixtures/ingest/formats/*.yaml.
# The test it runs also fails when any fixture leaks junk.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(cargo test --quiet --lib ingest::tests::labelled_fixtures_score_per_format -- --exact --nocapture "$@")
printf '%s\n' "$out" | sed -n '/^(counts are/,/^$/p;/^| format/,/^$/p'
