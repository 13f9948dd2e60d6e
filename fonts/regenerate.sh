#!/usr/bin/env bash
# Regenerates fonts/ from Debian packages: the Fandol faces from texlive-lang-chinese
# (GPL + font exception), and their fallbacks of the same style from fonts-noto-cjk and
# fonts-lxgw-wenkai (SIL OFL 1.1), subset to the ideographs Fandol lacks using Unicode's
# Unihan database from unicode-data. Only the package files are downloaded and unpacked
# into a temporary directory; nothing is installed.
#
#   bash fonts/regenerate.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
apt-get download texlive-lang-chinese fonts-noto-cjk fonts-lxgw-wenkai unicode-data
for deb in *.deb; do dpkg-deb -x "$deb" x; done
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
# The fallbacks (Noto Serif/Sans CJK SC, LXGW WenKai) and the 通用规范汉字表 list.
python3 "$here/subset.py" "$here" x/usr/share/unicode x/usr/share/fonts/opentype/noto \
  x/usr/share/fonts/truetype/lxgw-wenkai
zcat x/usr/share/doc/texlive-doc/fonts/fandol/COPYING.gz > "$here/COPYING-Fandol.txt"
cp x/usr/share/doc/texlive-doc/fonts/fandol/README "$here/README-Fandol.txt"
cp x/usr/share/doc/fonts-noto-cjk/copyright "$here/COPYING-NotoCJK.txt"
cp x/usr/share/doc/fonts-lxgw-wenkai/copyright "$here/COPYING-LXGWWenKai.txt"
for deb in texlive-lang-chinese fonts-noto-cjk fonts-lxgw-wenkai unicode-data; do
  echo "$deb $(dpkg-deb -f "${deb}"_*.deb Version)"
done > "$here/SOURCE-VERSION.txt"
(cd "$here" && sha256sum ./*.otf ./*.ttf tongyong-guifan.txt | sed 's# \./# #') > "$here/SHA256SUMS"
# Typst's metadata of each face (family, style, weight, coverage), which a run reads instead
# of parsing every face; the unit test that checks it also rewrites it.
(cd "$here/.." && JIANBAO_WRITE_FONT_METADATA=1 cargo test --lib fonts::tests::metadata)
