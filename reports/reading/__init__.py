"""Reading published reports — PDF with a text layer, a web page, Word (.docx), plain text —
back into the report document of ``report.schema.json``.

One file at a time: ``reports.reading.reader.read_report(data, filename, *, body=None,
year=None, bodies=None)`` returns a ``Reading`` (the document, the repairs, the unresolved
cells, the engine's findings, the source's lines, the body name the title prints and the
product's bodies bearing it) or raises ``reports.reading.errors.ReadingError`` saying why the
file cannot be read. A batch loads ``selectors.BodyIndex.load()`` once and passes it to every
call; a name that matches no body (or several) leaves ``document["body"]`` empty and
``Reading.candidates`` says which.

The steps, each its own module: ``readers`` (bytes → ``source.Source``: lines in reading
order, table rows as grids of cells), ``sections`` (cover letter, title, section headings,
narrative paragraphs), ``tables`` (every cell matched to the format's rows and columns),
``repairs`` (lost cells from the identities), ``assemble`` (the document), ``reader`` (body,
scope, validation, checks). Stored readings, corrections and confirmation as the body's
imported report: ``services`` (writes) and ``selectors`` (reads); the admin pages live in
``reports.admin_reading``.
"""
