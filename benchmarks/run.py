"""Measured figures of the product, printed for people (``make benchmark``).

    python benchmarks/run.py [--scale small|province] [--runs 5] [--load-seconds 10] [--rebuild]
                             [--only import]

Import (``benchmarks/imports.py``; ``--only import`` runs these alone): ``import_records``
in its own process on its own database, a 20,000-row 申请 sheet new and again unchanged, and
a zip bomb refused: wall clock, CPU and peak memory of the command.

PDF: the full 武威市 2023 report (the seed document: cover letter, narrative, three tables)
rendered by ``reports.exports.pdf.render_pdf``; prints every run and the median, which the
exports issue sets at 0.8 s or less on a 2-core machine. One warm-up render comes first so
the median measures rendering, not Python imports and fontconfig's first scan.

Reading: that report, its section 五 repeated until it runs to ten pages, rendered once to PDF, then
read and checked by ``reports.reading.reader.read_report`` (characters with positions →
sections, tables, repairs, the engine's checks); the issue sets 2 s for a 10-page PDF. Like
the PDF row it needs no database (no body is matched, no earlier report looked up).

Batch: ``read_reports``' work (``reports.batch.evaluate``) on a zip of 100 reports — 50 PDFs
and 30 Word files printed by the product for bodies of the synthetic province, 20 copies of
the 武威市 2023 text — read, matched, checked and written to the evaluation workbook; the
issue sets 2 minutes. It runs after the database figures (it matches names to the bodies).

Database figures (``benchmarks/measure.py``): a synthetic province
(``benchmarks/synthetic.py``; ``--scale small`` is a tenth of ``province``) is built once into
the dedicated database ``disclosure_bench_<scale>`` on the PostgreSQL server of
``DATABASE_URL`` and reused by later runs of the same scale (``--rebuild`` builds it again);
then one table of medians and query counts. SQLite is refused: the figures would say nothing
about production.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
SEED_DOCUMENT = ROOT / "reports" / "data" / "demo-wuwei-2023.json"
PDF_TARGET_SECONDS = 0.8
READING_TARGET_SECONDS = 2.0
READING_PAGES = 10
SCALES = ("small", "province")
BATCH_FILES = 100
BATCH_TARGET_SECONDS = 120


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def measure(function, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each run (CPU time shows what a busy machine hides)."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def bench_pdf(runs: int) -> float:
    from reports.exports.pdf import render_pdf

    document = json.loads(SEED_DOCUMENT.read_text("utf-8"))
    size = len(render_pdf(document))  # warm-up
    wall, cpu = measure(lambda: render_pdf(document), runs)
    median = statistics.median(wall)
    verdict = "ok" if median <= PDF_TARGET_SECONDS else "TOO SLOW"
    print(f"PDF  武威市 2023 report ({size // 1024} KiB, {os.cpu_count()} CPUs), {runs} runs:")
    print("     wall " + "  ".join(f"{t:.3f}" for t in wall) + " s")
    print("     cpu  " + "  ".join(f"{t:.3f}" for t in cpu) + " s")
    print(f"     median {median:.3f} s wall, {statistics.median(cpu):.3f} s CPU", end=" ")
    print(f"(target ≤ {PDF_TARGET_SECONDS} s wall: {verdict})")
    return median


def reading_pdf() -> bytes:
    """The seed report as the product prints it, section 五 repeated until the PDF has at
    least ``READING_PAGES`` pages."""
    import io

    from pypdf import PdfReader

    from reports.exports.pdf import render_pdf

    document = json.loads(SEED_DOCUMENT.read_text("utf-8"))
    narrative = document["narrative"]
    problems = narrative["problems"]
    while True:
        pdf = render_pdf(document)
        if len(PdfReader(io.BytesIO(pdf)).pages) >= READING_PAGES:
            return pdf
        narrative["problems"] += "\n\n" + problems


def bench_reading(runs: int) -> float:
    import io

    from pypdf import PdfReader

    from reports.reading.reader import read_report
    from reports.reading.selectors import BodyIndex

    pdf = reading_pdf()
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    no_bodies = BodyIndex([])
    reading = read_report(pdf, "report.pdf", bodies=no_bodies)  # warm-up (imports, fonts)
    wall, cpu = measure(lambda: read_report(pdf, "report.pdf", bodies=no_bodies), runs)
    median = statistics.median(wall)
    verdict = "ok" if median < READING_TARGET_SECONDS else "TOO SLOW"
    print(
        f"READ {pages}-page PDF of the 武威市 2023 report ({len(pdf) // 1024} KiB), read and "
        f"checked ({len(reading.findings)} findings), {runs} runs:"
    )
    print("     wall " + "  ".join(f"{t:.3f}" for t in wall) + " s")
    print("     cpu  " + "  ".join(f"{t:.3f}" for t in cpu) + " s")
    print(f"     median {median:.3f} s wall, {statistics.median(cpu):.3f} s CPU", end=" ")
    print(f"(target < {READING_TARGET_SECONDS} s wall: {verdict})")
    return median


def batch_files(bodies: list[tuple[str, str]]) -> list[tuple[str, bytes]]:
    """``BATCH_FILES`` reports as an office collects them: half PDFs and 30 % Word files
    printed by the product for bodies of the province (each with its own name, so that
    each is matched and compared with last year), and the 武威市 2023 text."""
    import copy

    from reports import exports

    seed = json.loads(SEED_DOCUMENT.read_text("utf-8"))
    text = (ROOT / "tests" / "reports" / "seeds" / "wuwei-2023-annual-report.txt").read_bytes()
    files = []
    for index in range(BATCH_FILES):
        code, name = bodies[index % len(bodies)]
        document = copy.deepcopy(seed)
        document.update(body=code, body_name=name, scope="own")
        if index % 10 < 5:
            files.append((f"{index:03}-{code}.pdf", exports.render(document, "pdf")))
        elif index % 10 < 8:
            files.append((f"{index:03}-{code}.docx", exports.render(document, "docx")))
        else:
            files.append((f"{index:03}-wuwei.txt", text))
    return files


def bench_batch() -> float:
    """``read_reports`` on a zip of ``BATCH_FILES`` reports (``reports.batch.evaluate``, the
    command's and the admin job's work): wall clock and CPU of one run."""
    import io
    import zipfile

    from disclosure.models import Body
    from reports.batch import evaluate, evaluation_workbook, zip_files

    # The synthetic names of counties and towns hold digits (白河3县司法局), which the reader
    # takes for the title's year: real names do not, so those bodies are left out here.
    bodies = [
        (code, name)
        for code, name in Body.objects.order_by("path").values_list("code", "name")
        if not any(char.isdigit() for char in name)
    ]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in batch_files(bodies[:80]):
            target.writestr(name, data)
    size = archive.tell()

    def run_batch():
        archive.seek(0)
        results = evaluate(zip_files(archive), total=BATCH_FILES)
        evaluation_workbook(results).save(io.BytesIO())
        return results

    wall, cpu = measure(run_batch, 1)
    results = run_batch()
    matched = sum(1 for result in results if result.body)
    verdict = "ok" if wall[0] < BATCH_TARGET_SECONDS else "TOO SLOW"
    print(
        f"BATCH {BATCH_FILES} reports in a {size // 1024} KiB zip (50 PDF, 30 Word, 20 text), "
        f"{matched} matched: {wall[0]:.1f} s wall, {cpu[0]:.1f} s CPU "
        f"(target < {BATCH_TARGET_SECONDS} s: {verdict})"
    )
    return wall[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=SCALES, default="small")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--load-seconds", type=float, default=10.0)
    parser.add_argument("--rebuild", action="store_true", help="build the province again")
    parser.add_argument(
        "--only",
        choices=["import"],
        help="only the import figures (benchmarks/imports.py), on their own database",
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from benchmarks import imports, measure, synthetic

    database_url = os.environ.get("DATABASE_URL")
    if args.only == "import":
        try:
            synthetic.bench_database_url(database_url)
        except synthetic.NotPostgreSQL as exc:
            print(f"Database benchmarks refused: {exc}", file=sys.stderr)
            return 2
        figures = imports.import_figures(database_url)
        print(imports.heading())
        print(measure.format_table(figures))
        return 1 if any(f.verdict == "SLOW" for f in figures) else 0
    try:
        measure.use_bench_database(args.scale)
    except synthetic.NotPostgreSQL as exc:
        setup_django()
        bench_pdf(args.runs)  # needs no database
        bench_reading(args.runs)  # nor does this
        print(f"\nDatabase benchmarks refused: {exc}", file=sys.stderr)
        return 2
    setup_django()
    median = bench_pdf(args.runs)
    reading = bench_reading(args.runs)
    today = datetime.datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the product's TIME_ZONE
    today = measure.prepare(args.scale, today=today, rebuild=args.rebuild)
    figures = measure.run_all(runs=args.runs, load_seconds=args.load_seconds, today=today)
    batch = bench_batch()
    figures += imports.import_figures(database_url)
    print()
    print(measure.heading(args.scale, today))
    print(measure.format_table(figures))
    slow = (
        median > PDF_TARGET_SECONDS
        or reading >= READING_TARGET_SECONDS
        or batch >= BATCH_TARGET_SECONDS
        or any(f.verdict == "SLOW" for f in figures)
    )
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
