"""Subsets the fallback faces to the ideographs the Fandol faces lack.

Usage: python3 subset.py FONTS_DIR UNIHAN_DIR NOTO_DIR WENKAI_DIR

The target set comes from Unicode's Unihan database, never from a hand-made list:
every character with a kTGH entry (the 8,105 characters of the 通用规范汉字表), and the
CJK Unified Ideographs block and Extension A as of Unicode 10 (U+4E00..U+9FEA and
U+3400..U+4DB5, the repertoire of Noto CJK 2.x). Each fallback keeps only the target
characters its primary Fandol faces lack, so the fallbacks add no glyph twice.
"""
import bz2
import glob
import sys

from fontTools import subset
from fontTools.ttLib import TTFont



def rename(font, family):
    """Gives a subset of LXGW WenKai its own name: its licence reserves the names "LXGW"
    and "霞鹜" for unmodified fonts, and a subset is a modified version (OFL 1.1, §3).
    The copyright and licence records stay."""
    names = font["name"]
    names.names = [r for r in names.names if r.nameID in (0, 13, 14)]
    for name_id, text in ((1, family), (2, "Regular"), (3, f"{family}-Regular;subset"),
                          (4, f"{family} Regular"), (5, "Version 1.0 (subset of LXGW WenKai)"),
                          (6, f"{family}-Regular")):
        names.setName(text, name_id, 3, 1, 0x409)
    if "CFF " in font:
        font["CFF "].cff.fontNames = [f"{family}-Regular"]


def main():
    fonts_dir, unihan_dir, noto_dir, wenkai_dir = sys.argv[1:5]

    tgh, han = set(), set()
    for path in sorted(glob.glob(f"{unihan_dir}/Unihan_*.txt.bz2")):
        with bz2.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                if line.startswith("U+"):
                    code, field, _ = line.split("\t", 2)
                    c = int(code[2:], 16)
                    han.add(c)
                    if field == "kTGH":
                        tgh.add(c)
    assert len(tgh) == 8105, f"kTGH lists {len(tgh)} characters, expected 8105"
    # The list the binary embeds for `jianbao fonts --coverage` (the tests check it against
    # Unihan whenever Unihan is installed).
    with open(f"{fonts_dir}/tongyong-guifan.txt", "w", encoding="utf-8") as f:
        f.writelines(chr(c) + "\n" for c in sorted(tgh))
    target = tgh | {c for c in han if 0x4E00 <= c <= 0x9FEA or 0x3400 <= c <= 0x4DB5}


    def cmap(path, number=0):
        return set(TTFont(path, fontNumber=number, lazy=True).getBestCmap())


    fandol = {n: cmap(f"{fonts_dir}/Fandol{n}.otf") for n in (
        "Song-Regular", "Song-Bold", "Hei-Regular", "Hei-Bold", "Kai-Regular", "Fang-Regular")}
    wenkai_src = f"{wenkai_dir}/LXGWWenKai-Regular.ttf"
    wenkai = cmap(wenkai_src)

    # Index 2 of the Noto CJK collections is the SC (simplified Chinese) face.
    jobs = [
        # (source, collection index, output, characters its primaries lack)
        (f"{noto_dir}/NotoSerifCJK-Regular.ttc", 2, "NotoSerifCJKsc-Regular.otf",
         target - (fandol["Song-Regular"] & fandol["Fang-Regular"] & (fandol["Kai-Regular"] | wenkai))),
        (f"{noto_dir}/NotoSerifCJK-Bold.ttc", 2, "NotoSerifCJKsc-Bold.otf",
         target - fandol["Song-Bold"]),
        (f"{noto_dir}/NotoSansCJK-Regular.ttc", 2, "NotoSansCJKsc-Regular.otf",
         target - fandol["Hei-Regular"]),
        (f"{noto_dir}/NotoSansCJK-Bold.ttc", 2, "NotoSansCJKsc-Bold.otf",
         target - fandol["Hei-Bold"]),
        (wenkai_src, 0, "JianbaoKai-Regular.ttf", target - fandol["Kai-Regular"]),
    ]
    for source, number, out, chars in jobs:
        options = subset.Options()
        options.font_number = number
        options.hinting = False
        options.notdef_outline = True
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        # No layout features: the SC faces' `locl` and `vert` substitutions pull in the
        # Japanese, Korean and traditional forms and the vertical forms (a third of the
        # glyphs), which horizontal zh-CN text never uses.
        options.layout_features = []
        font = subset.load_font(source, options, lazy=False)
        chars &= set(font.getBestCmap())
        sub = subset.Subsetter(options)
        sub.populate(unicodes=sorted(chars))
        sub.subset(font)
        font["head"].created = font["head"].modified = 0
        if out.startswith("JianbaoKai"):
            rename(font, "JianbaoKai")
        subset.save_font(font, f"{fonts_dir}/{out}", options)
        print(f"{out}: {len(chars)} characters")


if __name__ == "__main__":
    main()
