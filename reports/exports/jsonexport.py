"""The report document as JSON (report.schema.json), narrative and version included; it
imports back with ``import_report``."""

from __future__ import annotations

import json


def render_json(document: dict) -> bytes:
    """UTF-8 JSON of the document as it stands (Chinese unescaped, keys in document order).

    A document holds JSON types only (``reports.document``); anything else is a bug upstream
    and raises ``TypeError`` here rather than being converted quietly."""
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
