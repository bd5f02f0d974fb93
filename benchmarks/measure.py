"""The database measurements of ``benchmarks/run.py`` over the synthetic province.

Each figure is the median wall-clock time of several runs after one warm-up run, and the
number of SQL queries of one run (``CaptureQueriesContext``). Pages go through the whole
Django stack with the test client (middleware, sessions, templates); the load test runs the
product under gunicorn with two workers on loopback and a second process sending requests.
"""

from __future__ import annotations

import datetime
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import synthetic

ROOT = Path(__file__).resolve().parent.parent
BENCH_USER = "bench-admin"
CITY_CLERK = "bench-city-clerk"


@dataclass
class Figure:
    label: str
    seconds: float | None
    queries: int | None
    target: str = ""
    verdict: str = ""
    note: str = ""
    runs: list[float] = field(default_factory=list)
    cpu: float | None = None


@dataclass(frozen=True)
class Timing:
    seconds: float  # median wall clock
    cpu: float  # median CPU seconds of this process (not the database's)
    queries: int
    runs: list[float]


def timed(function: Callable[[], object], runs: int) -> Timing:
    """``runs`` timed calls after a warm-up whose queries are counted. The CPU time moves
    far less than the wall clock on a shared machine."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # a full query log (DEBUG keeps the last 9,000) would count nothing
    with CaptureQueriesContext(connection) as captured:
        function()
    # Read now: the next request's request_started signal empties the query log.
    queries = len(captured.captured_queries)
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return Timing(statistics.median(times), statistics.median(cpu), queries, times)


def figure(label: str, timing: Timing, limit: float | None = None, **extra) -> Figure:
    """A measured row; with ``limit`` (seconds), its target and verdict."""
    if limit is not None:
        extra.setdefault("target", f"< {limit:g} s" if limit >= 1 else f"< {limit * 1000:.0f} ms")
        extra.setdefault("verdict", verdict(timing.seconds, limit))
    return Figure(label, timing.seconds, timing.queries, runs=timing.runs, cpu=timing.cpu, **extra)


def verdict(seconds: float, limit: float) -> str:
    return "ok" if seconds <= limit else "SLOW"


# --- the database -------------------------------------------------------------------------


def use_bench_database(scale_name: str) -> str:
    """Create the scale's dedicated database if needed and point ``DATABASE_URL`` at it
    (before Django is set up). Raises ``synthetic.NotPostgreSQL`` without PostgreSQL."""
    url = synthetic.bench_database_url(
        os.environ.get("DATABASE_URL"), f"{synthetic.BENCH_DATABASE}_{scale_name}"
    )
    if synthetic.ensure_database(url):
        print(f"created database {url.rsplit('/', 1)[1]}")
    os.environ["DATABASE_URL"] = url
    return url


def prepare(scale_name: str, *, today: datetime.date, rebuild: bool = False) -> datetime.date:
    """Migrate the database and build the province there unless a complete build of the
    same scale and generator is already in it; returns the last day of its records."""
    from django.core.management import call_command
    from django.db import connection

    name = connection.settings_dict["NAME"]

    call_command("migrate", verbosity=0, interactive=False)
    scale = synthetic.SCALES[scale_name]
    recorded = synthetic.recorded_build(connection)
    if (
        not rebuild
        and recorded
        and recorded["scale"] == scale.name
        and recorded["generator"] == synthetic.GENERATOR_VERSION
    ):
        print(
            f"reusing {name}: {scale.name} scale, built on {recorded['built_at']:%Y-%m-%d %H:%M}"
            f" UTC in {recorded['seconds']:.0f} s (records up to {recorded['today']})"
        )
        return recorded["today"]
    print(f"building the {scale.name}-scale province in {name} ({scale.bodies} bodies, ", end="")
    print(f"{scale.requests:,} requests, {scale.appeals:,} appeals, {scale.documents:,} documents)")
    start = time.perf_counter()
    synthetic.clear(connection)
    synthetic.build(scale, today=today, progress=lambda line: print(f"  … {line}", flush=True))
    synthetic.analyze(connection)
    seconds = time.perf_counter() - start
    synthetic.record_build(connection, scale, today, seconds)
    print(f"  built and analysed in {seconds:.0f} s")
    return today


@dataclass
class World:
    year: int
    province: object
    city: object
    county: object
    department: object
    admin: object
    clerk: object
    token: str


def world(today: datetime.date) -> World:
    """The bodies measured and the users who look at them (created once, then reused)."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from disclosure.models import Body, Membership
    from disclosure.vocab import Role

    User = get_user_model()
    admin, _ = User.objects.get_or_create(
        username=BENCH_USER, defaults={"is_staff": True, "is_superuser": True}
    )
    clerk, _ = User.objects.get_or_create(username=CITY_CLERK, defaults={"is_staff": True})
    city = Body.objects.get(code="c01")
    Membership.objects.get_or_create(user=clerk, body=city, defaults={"role": Role.EDIT})
    token, _ = Token.objects.get_or_create(user=admin)
    return World(
        year=synthetic.report_year(today),
        province=Body.objects.get(code="p"),
        city=city,
        county=Body.objects.get(code="c01-k01"),
        department=Body.objects.get(code="c01-k01-d01"),
        admin=admin,
        clerk=clerk,
        token=token.key,
    )


# --- 1, 2: the roll-up and its floor ------------------------------------------------------

FLOOR_SQL = """
SELECT applicant_kind, result,
       count(*) FILTER (WHERE received_on >= %(start)s) AS new_received,
       count(*) FILTER (WHERE received_on < %(start)s) AS carried_over,
       count(*) FILTER (WHERE concluded_on IS NULL OR concluded_on > %(end)s) AS carried_forward,
       count(*) FILTER (WHERE concluded_on <= %(end)s) AS concluded
  FROM disclosure_informationrequest
 WHERE voided_at IS NULL
   AND body_id = ANY(%(ids)s::bigint[])
   AND received_on <= %(end)s
   AND (concluded_on IS NULL OR concluded_on >= %(start)s)
 GROUP BY applicant_kind, result
"""


def floor_table(body_ids: list[int], year: int) -> dict:
    """Table 三 by hand: one GROUP BY over the same rows the engine counts. (The cast
    matters: against a smallint[] PostgreSQL cannot hash the ids and the query takes 8×.)"""
    from django.db import connection

    from reports import format as fmt

    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    table = {row: dict.fromkeys(fmt.APPLICANT_COLUMN_KEYS, 0) for row in fmt.REQUEST_ROW_KEYS}
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, {"ids": body_ids, "start": start, "end": end})
        for kind, result, new, over, forward, concluded in cursor.fetchall():
            table["new_received"][kind] += new
            table["carried_over"][kind] += over
            table["carried_forward"][kind] += forward
            if result:
                table[result][kind] += concluded
    return table


def engine_table_three(body_ids: list[int], year: int) -> dict:
    # The engine's own aggregate for table 三 (private, called here to time it apart).
    from reports.selectors import _request_counts

    return _request_counts(body_ids, year)


def rollup_figures(w: World, runs: int) -> list[Figure]:
    from disclosure.tree import bodies_in_scope
    from reports.selectors import compute_tables

    ids = bodies_in_scope(w.province, w.year, "all")
    rollup = timed(lambda: compute_tables(w.province, w.year, "all"), runs)
    engine = timed(lambda: engine_table_three(ids, w.year), runs)
    floor = timed(lambda: floor_table(ids, w.year), runs)
    same = engine_table_three(ids, w.year) == floor_table(ids, w.year)
    ratio = engine.seconds / floor.seconds
    figures = [
        figure(f"1 province roll-up, all three tables ({len(ids)} bodies)", rollup, 1.0),
        figure(
            "1 table 三 alone (engine)",
            engine,
            target="≤ 1.5 × floor",
            verdict="ok" if ratio <= 1.5 else "SLOW",
            note=f"engine / floor = {ratio:.2f}",
        ),
        figure(
            "1 table 三 floor (hand-written GROUP BY)",
            floor,
            note="same cells as the engine" if same else "CELLS DIFFER FROM THE ENGINE",
        ),
    ]
    for label, body, scope in (
        ("2 county report (全域)", w.county, "all"),
        ("2 department report (本机关)", w.department, "own"),
    ):
        timing = timed(lambda body=body, scope=scope: compute_tables(body, w.year, scope), runs)
        figures.append(figure(label, timing, 1.0))
    return figures


# --- 3, 4: admin and API lists ------------------------------------------------------------


def page_figure(client, label: str, url: str, runs: int, *, target=0.3, **headers) -> Figure:
    def get():
        response = client.get(url, **headers)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return response

    return figure(label, timed(get, runs), target)


def list_figures(w: World, runs: int) -> list[Figure]:
    from django.test import Client

    admin = Client()
    admin.force_login(w.admin)
    clerk = Client()
    clerk.force_login(w.clerk)
    changelist = "/admin/disclosure/informationrequest/"
    return [
        page_figure(
            admin,
            "3 admin list, filtered to a city, page 1",
            f"{changelist}?body={w.city.pk}",
            runs,
        ),
        page_figure(
            admin, "3 admin list, overdue filter, page 1", f"{changelist}?overdue=yes", runs
        ),
        page_figure(clerk, "3 admin list of a city clerk, page 1", changelist, runs),
        page_figure(
            Client(),
            "4 staff API /api/v1/requests/, page 1",
            "/api/v1/requests/",
            runs,
            HTTP_AUTHORIZATION=f"Token {w.token}",
        ),
    ]


# --- 8: the clerk's worklist (工作台) ----------------------------------------------------


def worklist_figures(w: World, runs: int) -> list[Figure]:
    """The 工作台 (the admin's first page) and ``/api/v1/worklist/``: every category's count
    and first requests, for a city clerk and, over the whole province, a superuser."""
    from django.test import Client

    admin = Client()
    admin.force_login(w.admin)
    clerk = Client()
    clerk.force_login(w.clerk)
    return [
        page_figure(clerk, "9 工作台 (admin first page) of a city clerk", "/admin/", runs),
        page_figure(clerk, "9 /api/v1/worklist/ of a city clerk", "/api/v1/worklist/", runs),
        page_figure(admin, "9 工作台 of a superuser (whole province)", "/admin/", runs),
        page_figure(
            Client(),
            "9 /api/v1/worklist/ of a superuser (whole province)",
            "/api/v1/worklist/",
            runs,
            HTTP_AUTHORIZATION=f"Token {w.token}",
        ),
    ]


# --- 5, 6: the published province report -------------------------------------------------


def published_version(w: World):
    """The province's 全域 report for the year, published once (warnings acknowledged)."""
    from reports.models import ReportVersion
    from reports.selectors import findings_for_report
    from reports.services import finding_key, report_draft_for, report_publish, report_save

    version = (
        ReportVersion.objects.filter(report__body=w.province, report__year=w.year)
        .order_by("-number")
        .first()
    )
    if version is not None:
        return version
    report = report_draft_for(actor=w.admin, body=w.province, year=w.year, scope="all")
    # Sections 一, 五 and 六 must be written before a report can be published.
    report.overview = "{year}年，全省共新收政府信息公开申请{requests.new_received}件。"
    report.problems = "基准测试数据。"
    report.other_matters = "基准测试数据。"
    report_save(actor=w.admin, report=report)
    acknowledgements = {
        finding_key(finding): "基准测试数据：已核对。"
        for finding in findings_for_report(report)
        if finding.severity == "warning"
    }
    return report_publish(actor=w.admin, report=report, acknowledgements=acknowledgements)


def public_url(version) -> str:
    return f"/reports/{version.report.body.code}/{version.report.year}/"


def public_figures(w: World, runs: int, load_seconds: float) -> list[Figure]:
    from django.core.cache import cache
    from django.test import Client

    version = published_version(w)
    url = public_url(version)
    client = Client()
    cache.clear()
    start = time.perf_counter()
    first = client.get(url)
    cold = time.perf_counter() - start
    if first.status_code != 200:
        raise RuntimeError(f"{url} answered {first.status_code}")
    page = page_figure(client, "5 public report page (server time)", url, runs, target=0.1)
    page.target, page.verdict = "", ""
    page.note = f"cached; the first view (rendering) took {cold * 1000:.0f} ms"
    return [page, load_figure(url, load_seconds)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_figure(path: str, seconds: float) -> Figure:
    """gunicorn (2 sync workers) on loopback, and ``benchmarks/load.py`` in a second process."""
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "STATIC_MANIFEST": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONPATH": str(ROOT),
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "config.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        url = f"http://127.0.0.1:{port}{path}"
        wait_for(url)
        load = run_wrk(url, seconds) if shutil.which("wrk") else run_python_load(url, seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    rate = load["requests_per_second"]
    return Figure(
        "5 public report page under load (req/s)",
        None,
        None,
        "≥ 300 req/s",
        "ok" if rate >= 300 and load["errors"] == 0 else "SLOW",
        f"{rate:.0f} req/s, {load['requests']} requests in {load['seconds']:.0f} s, "
        f"{load['errors']} errors, p50 {load['p50_ms']:.1f} ms, p99 {load['p99_ms']:.1f} ms; "
        f"gunicorn (2 workers) and the load generator ({load['generator']}) share the "
        f"{os.cpu_count()} cores",
    )


def run_python_load(url: str, seconds: float) -> dict:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "load.py"), url, "--seconds", str(seconds)],
        check=True,
        capture_output=True,
        text=True,
    )
    load = json.loads(result.stdout)
    load["generator"] = f"benchmarks/load.py, {load['threads']} threads"
    return load


WRK_CONNECTIONS = 8


def run_wrk(url: str, seconds: float) -> dict:
    """``wrk`` (when installed: it costs the server less CPU than a Python client)."""
    result = subprocess.run(
        ["wrk", "-t1", f"-c{WRK_CONNECTIONS}", f"-d{seconds:.0f}s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    )
    return parse_wrk(result.stdout)


def _milliseconds(text: str) -> float:
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    for unit in ("us", "ms", "s"):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * units[unit]
    raise ValueError(f"not a wrk duration: {text!r}")


def parse_wrk(output: str) -> dict:
    found: dict = {"errors": 0, "generator": f"wrk, 1 thread, {WRK_CONNECTIONS} connections"}
    for line in output.splitlines():
        words = line.split()
        if not words:
            continue
        if words[0] == "50%":
            found["p50_ms"] = _milliseconds(words[1])
        elif words[0] == "99%":
            found["p99_ms"] = _milliseconds(words[1])
        elif "requests in" in line:
            found["requests"] = int(words[0])
            found["seconds"] = _milliseconds(words[3].rstrip(",")) / 1000
        elif words[0] == "Requests/sec:":
            found["requests_per_second"] = float(words[1])
        elif line.startswith("  Non-2xx or 3xx responses:"):
            found["errors"] += int(words[-1])
        elif words[0] == "Socket" and words[1] == "errors:":
            found["errors"] += sum(int(part.strip(",")) for part in words[3::2])
    return found


def wait_for(url: str, timeout: float = 30) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    # Warm both workers' caches before the clock starts.
                    for _ in range(8):
                        urllib.request.urlopen(url, timeout=5).read()
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def pdf_figure(w: World, runs: int) -> Figure:
    from reports.exports.pdf import render_pdf

    document = published_version(w).document
    size = len(render_pdf(document))
    return figure(
        "6 PDF of the province report",
        timed(lambda: render_pdf(document), runs),
        note=f"{size // 1024} KiB",
    )


# --- the table ----------------------------------------------------------------------------


def format_table(figures: list[Figure]) -> str:
    header = ("measurement", "median", "Python CPU", "queries", "target", "", "note")
    rows = [
        (
            f.label,
            "" if f.seconds is None else f"{f.seconds * 1000:.1f} ms",
            "" if f.cpu is None else f"{f.cpu * 1000:.1f} ms",
            "" if f.queries is None else str(f.queries),
            f.target,
            f.verdict,
            f.note,
        )
        for f in figures
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def heading(scale_name: str, today: datetime.date) -> str:
    import platform

    scale = synthetic.SCALES[scale_name]
    return (
        f"{scale.name}: {scale.bodies:,} bodies, {scale.requests:,} requests, report year "
        f"{synthetic.report_year(today)}; {os.cpu_count()} CPUs ({platform.machine()}), "
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; median of the runs after "
        "a warm-up. The machine is shared: timings are noisy."
    )


# --- 8: the oversight list (年报督查) -------------------------------------------------------

OVERSIGHT_DRAFTS = 10


def oversight_reports(w: World) -> None:
    """Reports for the year and the year before on most bodies of the province, as an
    office sees them at the deadline: about 85 % published (one version each, copies of the
    武威市 2023 document: its narrative repeats last year's), 10 drafts of departments, the
    rest nothing. Written in bulk once (benchmark data, like the records)."""
    import copy

    from django.utils import timezone

    from disclosure.models import Body
    from reports.format import DATA_DIR
    from reports.models import Report, ReportStatus, ReportVersion

    if Report.objects.filter(year=w.year - 1, body__code__startswith="c").exists():
        return
    seed = json.loads((DATA_DIR / "demo-wuwei-2023.json").read_text(encoding="utf-8"))
    bodies = list(Body.objects.exclude(pk=w.province.pk).order_by("path"))
    taken = set(Report.objects.filter(year=w.year).values_list("body_id", flat=True))
    drafts = [b for b in bodies if b.kind == "department" and b.pk not in taken]
    drafts = drafts[:OVERSIGHT_DRAFTS]
    draft_ids = {b.pk for b in drafts}
    for year in (w.year - 1, w.year):
        reports, documents = [], []
        for index, body in enumerate(bodies):
            if (year == w.year and body.pk in taken) or index % 7 == 3:
                continue
            if year == w.year and body.pk in draft_ids:
                reports.append(Report(body=body, year=year, scope="own", overview="草稿。"))
                continue
            document = copy.deepcopy(seed)
            document.update(body=body.code, body_name=body.name, year=year, scope="own")
            document["version"] = 1
            reports.append(Report(body=body, year=year, scope="own", status=ReportStatus.PUBLISHED))
            documents.append(document)
        created = Report.objects.bulk_create(reports, batch_size=500)
        published = [r for r in created if r.status == ReportStatus.PUBLISHED]
        at = timezone.now().replace(year=year + 1, month=1, day=20 + (year % 5))
        ReportVersion.objects.bulk_create(
            [
                version(report, document, at)
                for report, document in zip(published, documents, strict=True)
            ],
            batch_size=200,
        )


def version(report, document: dict, at: datetime.datetime):
    from reports.document import canonical_sha256
    from reports.models import ReportVersion

    document = {**document, "published_at": at.isoformat()}
    document["sha256"] = canonical_sha256(document)
    return ReportVersion(
        report=report, number=1, document=document, sha256=document["sha256"], published_at=at
    )


def oversight_figures(w: World, runs: int) -> list[Figure]:
    from django.test import Client
    from django.utils import timezone

    from reports.selectors import oversight_lines

    oversight_reports(w)
    today = timezone.localdate()
    lines = oversight_lines(w.province, w.year, today=today)
    note = f"{len(lines)} bodies: " + ", ".join(
        f"{sum(1 for line in lines if line.status == status)} {status}"
        for status in ("published", "draft", "none")
    )
    admin = Client()
    admin.force_login(w.admin)
    query = f"?body={w.province.code}&year={w.year}"
    return [
        figure(
            "8 oversight lines of the province (selector, with findings)",
            timed(lambda: oversight_lines(w.province, w.year, today=today), runs),
            1.0,
            note=note,
        ),
        page_figure(
            Client(),
            "8 oversight API /api/v1/oversight/",
            f"/api/v1/oversight/{query}",
            runs,
            target=1.0,
            HTTP_AUTHORIZATION=f"Token {w.token}",
        ),
        page_figure(
            admin,
            "8 oversight admin page (年报督查)",
            f"/admin/reports/oversight/{query}",
            runs,
            target=1.0,
        ),
    ]


def run_all(*, runs: int, load_seconds: float, today: datetime.date):
    from benchmarks.jobs import export_figures

    w = world(today)
    figures = []
    for step in (
        lambda: rollup_figures(w, runs),
        lambda: list_figures(w, runs),
        lambda: worklist_figures(w, runs),
        lambda: public_figures(w, runs, load_seconds),
        lambda: [pdf_figure(w, max(1, min(runs, 3)))],
        lambda: export_figures(w.year),
        lambda: oversight_figures(w, runs),
    ):
        figures.extend(step())
    return figures
