"""Office documents as an office program opens them: converted to PDF by LibreOffice
(headless, Debian's libreoffice-writer-nogui and -calc-nogui) and read back as the text of
each page laid out as printed (poppler's ``pdftotext -layout``)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

CONVERT_TIMEOUT = 120


def convert_to_pdf(files: dict[str, bytes], directory: Path) -> dict[str, list[str]]:
    """Write each ``name: content`` into ``directory``, convert them all with one
    LibreOffice run (a private profile, so that parallel runs do not share one) and return
    each name's pages as laid-out text."""
    paths = {}
    for name, content in files.items():
        # large.docx and large.xlsx would both become large.pdf: the stem keeps the suffix.
        path = directory / f"{name.replace('.', '-')}{Path(name).suffix}"
        path.write_bytes(content)
        paths[name] = path
    profile = (directory / "lo-profile").as_uri()
    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(directory / "pdf"),
            *map(str, paths.values()),
        ],
        check=True,
        capture_output=True,
        timeout=CONVERT_TIMEOUT,
    )
    pages = {}
    for name, path in paths.items():
        pdf = directory / "pdf" / f"{path.stem}.pdf"
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        pages[name] = text.split("\f")[:-1]
    return pages


def row_line(lines: list[str], label: str, figures: list[str]) -> str | None:
    """The line holding the row labelled ``label`` (its start, where it wraps) and after it
    exactly ``figures``, each whole, to the end of the line."""
    pattern = re.compile(
        re.escape(label[:6]) + r"\S*\s+" + r"\s+".join(map(re.escape, figures)) + r"\s*$"
    )
    found = [line for line in lines if pattern.search(line)]
    return found[0] if len(found) == 1 else None
