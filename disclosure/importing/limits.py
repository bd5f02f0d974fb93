"""The caps every uploaded file must keep (README: "Importing"): a file under them is read
within about 500 MB of memory; one over them is refused, by name, before it costs more.

Sizes are in bytes. The zip caps are checked in the zip directory before anything is
decompressed; the XML caps while openpyxl reads, chunk by chunk; the row and cell caps while
the rows stream in.
"""

from __future__ import annotations

MB = 1024 * 1024

# The file as uploaded (the admin's upload field and the command line alike).
MAX_FILE_BYTES = 20 * MB

# A workbook (.xlsx) is a zip archive of parts.
MAX_PARTS = 1_000
# Any part, uncompressed: the zip-bomb rule.
MAX_PART_BYTES = 200 * MB
# Any part's uncompressed size over its compressed size.
MAX_RATIO = 100
# Parts openpyxl reads whole into memory (everything but the sheets' rows and the shared
# strings, which stream): styles, workbook, relationships, properties.
MAX_WHOLE_PART_BYTES = 10 * MB
# Within any XML part: bytes of text between two tags (an Excel cell holds at most 32,767
# characters, at most 8 bytes each as written), and tags within one row of a sheet, one
# shared string, or one part read whole.
MAX_TEXT_BYTES = 1 * MB
MAX_TAGS_PER_RECORD = 100_000
# The shared strings (the workbook's table of distinct texts) stay in memory while the
# sheets are read.
MAX_SHARED_STRINGS = 1_000_000
MAX_SHARED_CHARACTERS = 40_000_000

# Each sheet (or CSV file), not counting the header row.
MAX_ROWS = 100_000
# All sheets of one file together (a row counts the cells up to its last filled one).
MAX_CELLS = 3_000_000
