"""Writes static/disclosure/draft-watermark.svg: 草稿 drawn as outlines (no text), so that the
watermark of a draft PDF is seen by readers and never read into its text layer by the
tools that extract it (pdftotext, the product's own reader of published reports).

Run once after changing the look: ``.venv/bin/python scripts/make_draft_watermark.py``
(needs fonts-noto-cjk; fontTools comes with WeasyPrint)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTCollection

TEXT = "草稿"
OUT = Path(__file__).resolve().parent.parent / "static" / "disclosure" / "draft-watermark.svg"


def main() -> None:
    found = subprocess.run(
        ["fc-match", "-f", "%{file}\n%{index}", "Noto Sans CJK SC:bold"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\n")
    font = TTCollection(found[0]).fonts[int(found[1])]
    glyphs = font.getGlyphSet()
    cmap = font.getBestCmap()
    ascent = font["hhea"].ascent
    pen = SVGPathPen(glyphs)
    x = 0
    for char in TEXT:
        name = cmap[ord(char)]
        # Font units have y up; SVG has y down: flip around the ascent line.
        glyphs[name].draw(TransformPen(pen, (1, 0, 0, -1, x, ascent)))
        x += glyphs[name].width
    height = ascent - font["hhea"].descent  # descent is negative
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {x} {height}" '
        f'width="{x}" height="{height}">'
        f'<path fill="#e6e6e6" d="{pen.getCommands()}"/></svg>\n'
    )
    OUT.write_text(svg)
    print(f"{OUT}: {len(svg)} bytes")


if __name__ == "__main__":
    main()
