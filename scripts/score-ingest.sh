#!/usr/bin/env bash
# Scores `jianbao ingest` on the seed dumps against the hand labels in
# tests/fixtures/ingest/ and prints per-file and overall precision/recall
# (articles, county accuracy, figures) with every miss.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --lib ingest::tests::labelled_seeds_meet_targets -- --nocapture "$@"
