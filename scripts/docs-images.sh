#!/usr/bin/env bash
# Regenerates the page images in docs/ from the example manifest: page 1 (masthead,
# editor's note, 本期要目, the lead article), the page with the photo spread (图片新闻), and
# the last page (data panel, comparison chart, 报尾).
#
#   bash scripts/docs-images.sh
# Needs pdftoppm and pdftotext (Debian package poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo run --quiet --locked -- build seeds/manifest.yaml -o "$out" 2>/dev/null
pdf="$out/运城党建工作简报-第3期.pdf"
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
render() { pdftoppm -r 70 -png -singlefile -f "$1" -l "$1" "$pdf" "docs/$2"; }
render 1 issue-page-1
render "$pages" issue-page-last
photos=1
for ((p = 1; p <= pages; p++)); do
  if pdftotext -f "$p" -l "$p" "$pdf" - | grep -q "图片新闻"; then photos=$p; break; fi
done
render "$photos" issue-page-photos
echo "docs/: page 1, page $photos (photos) and page $pages (last) of $pages"
