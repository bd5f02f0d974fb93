"""The measurement functions of ``benchmarks/run.py`` work (no timing assertions)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from benchmarks import measure, synthetic
from disclosure.models import Body, InformationRequest
from disclosure.tree import bodies_in_scope
from reports import format as fmt

TODAY = datetime.date(2024, 6, 30)
YEAR = synthetic.report_year(TODAY)

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8000/reports/p/2023/
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    15.63ms    9.31ms  98.01ms   80.37%
    Req/Sec   512.33     40.10   600.00     70.00%
  Latency Distribution
     50%   13.20ms
     75%   19.01ms
     90%   26.44ms
     99%    1.02s
  5123 requests in 10.01s, 61.20MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    511.79
Transfer/sec:      6.11MB
"""


def test_parse_wrk_reads_rate_latencies_and_errors():
    load = measure.parse_wrk(WRK_OUTPUT)

    assert load["requests"] == 5123
    assert load["seconds"] == pytest.approx(10.01)
    assert load["requests_per_second"] == 511.79
    assert load["p50_ms"] == pytest.approx(13.2)
    assert load["p99_ms"] == pytest.approx(1020.0)
    assert load["errors"] == 7


def test_timed_counts_the_queries_of_one_run(db):
    calls = []

    def two_queries():
        calls.append(1)
        list(Body.objects.all())
        list(InformationRequest.objects.all())

    timing = measure.timed(two_queries, 3)

    assert timing.queries == 2
    assert len(calls) == 4  # the warm-up and three timed runs
    assert len(timing.runs) == 3
    assert timing.seconds >= 0
    assert timing.cpu >= 0


def test_format_table_prints_one_row_per_figure():
    figures = [
        measure.Figure("1 roll-up", 0.1234, 7, "< 1 s", "ok", cpu=0.0456),
        measure.Figure("5 load", None, None, "≥ 300 req/s", "ok", "512 req/s"),
    ]

    lines = measure.format_table(figures).splitlines()

    assert lines[2] == "| 1 roll-up | 123.4 ms | 45.6 ms | 7 | < 1 s | ok |  |"
    assert lines[3] == "| 5 load |  |  |  | ≥ 300 req/s | ok | 512 req/s |"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the floor is PostgreSQL SQL")
def test_floor_counts_the_same_cells_as_the_engine(db):
    synthetic.build(synthetic.SCALES["tiny"], today=TODAY)
    ids = bodies_in_scope(Body.objects.get(code="p"), YEAR, "all")

    floor = measure.floor_table(ids, YEAR)

    assert floor == measure.engine_table_three(ids, YEAR)
    assert set(floor) == set(fmt.REQUEST_ROW_KEYS)
    assert floor["new_received"]["natural_person"] > 0


@pytest.fixture
def tiny_world(db):
    synthetic.build(synthetic.SCALES["tiny"], today=TODAY)
    return measure.world(TODAY)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the floor is PostgreSQL SQL")
def test_rollup_figures_measure_the_engine_beside_the_floor(tiny_world):
    figures = measure.rollup_figures(tiny_world, 1)

    assert [f.label for f in figures] == [
        "1 province roll-up, all three tables (29 bodies)",
        "1 table 三 alone (engine)",
        "1 table 三 floor (hand-written GROUP BY)",
        "2 county report (全域)",
        "2 department report (本机关)",
    ]
    assert [f.queries for f in figures] == [7, 1, 1, 7, 5]
    assert figures[2].note == "same cells as the engine"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the synthetic data needs COPY")
def test_worklist_figures_load_the_worklist_page_and_endpoint(tiny_world):
    figures = measure.worklist_figures(tiny_world, 1)

    assert [f.label[:2] for f in figures] == ["8 "] * 4
    assert [(f.queries > 0, f.seconds > 0, f.target) for f in figures] == [
        (True, True, "< 300 ms")
    ] * 4, figures


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the synthetic data needs COPY")
def test_list_figures_load_the_admin_and_api_pages(tiny_world):
    figures = measure.list_figures(tiny_world, 1)

    assert len(figures) == 4
    assert [(f.queries > 0, f.seconds > 0) for f in figures] == [(True, True)] * 4, figures
