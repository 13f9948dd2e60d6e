#!/usr/bin/env bash
# Regenerates fonts/ from Debian's texlive-lang-chinese package, which ships the
# Fandol fonts (GPL + font exception). Only the package file is downloaded and
# unpacked into a temporary directory; nothing is installed.
#
#   bash fonts/regenerate.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
apt-get download texlive-lang-chinese
dpkg-deb -x texlive-lang-chinese_*.deb x
src=x/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol
for f in FandolSong-Regular FandolSong-Bold FandolHei-Regular FandolHei-Bold \
         FandolKai-Regular FandolFang-Regular; do
  cp "$src/$f.otf" "$here/$f.otf"
done
# The Bold faces of FandolSong and FandolHei declare weight 400 in their OS/2 table, so
# a font selector cannot tell them from the Regular faces. Mark them as weight 700
# (OS/2 usWeightClass, fsSelection BOLD bit, head.macStyle bold bit); glyphs are untouched.
python3 -m pip install --quiet --disable-pip-version-check fonttools 2>/dev/null || true
python3 - "$here" <<'PY'
import sys
from fontTools.ttLib import TTFont
here = sys.argv[1]
for name in ("FandolSong-Bold.otf", "FandolHei-Bold.otf"):
    path = f"{here}/{name}"
    font = TTFont(path, recalcTimestamp=False)
    os2 = font["OS/2"]
    os2.usWeightClass = 700
    os2.fsSelection = (os2.fsSelection | (1 << 5)) & ~(1 << 6)
    font["head"].macStyle |= 1
    font.save(path)
# FandolFang's legacy family name (name ID 1) is "FandolFang R"; programs that read
# that field (Typst among them) would not find "FandolFang". Use the typographic name.
font = TTFont(f"{here}/FandolFang-Regular.otf", recalcTimestamp=False)
for record in font["name"].names:
    if record.nameID == 1:
        record.string = "FandolFang"
font.save(f"{here}/FandolFang-Regular.otf")
PY
zcat x/usr/share/doc/texlive-doc/fonts/fandol/COPYING.gz > "$here/COPYING-Fandol.txt"
cp x/usr/share/doc/texlive-doc/fonts/fandol/README "$here/README-Fandol.txt"
dpkg-deb -f texlive-lang-chinese_*.deb Version > "$here/SOURCE-VERSION.txt"
sha256sum "$here"/*.otf | sed "s#$here/##" > "$here/SHA256SUMS"
