from __future__ import annotations


class ReadingError(ValueError):
    """A file that cannot be read as a report; the message (Chinese) says why."""
