"""The import benchmark's workbooks and its way of running the command (no timings)."""

from __future__ import annotations

import os

import pytest

from benchmarks import imports
from disclosure.importing import records_import
from disclosure.models import Applicant, Body, Consultation, InformationRequest


@pytest.mark.django_db
def test_the_benchmark_workbooks_import_every_row():
    bodies = records_import(
        actor=None, filename="机构.xlsx", content=imports.bodies_workbook(bodies=3)
    )
    requests = records_import(
        actor=None, filename="申请.xlsx", content=imports.request_workbook(rows=300, bodies=3)
    )

    assert (bodies.created, requests.created) == (3, 300)
    assert Body.objects.get(code="bench").children.count() == 2
    assert InformationRequest.objects.filter(concluded_on__isnull=False).count() > 200
    assert 0 < Consultation.objects.count() < 50
    assert 100 < Applicant.objects.count() < 300


def test_the_bomb_is_a_small_file_that_expands_past_the_cap(tmp_path):
    import zipfile

    path = tmp_path / "炸弹.xlsx"
    imports.bomb_workbook(path, gigabytes=0.25)

    sizes = {part.filename: part.file_size for part in zipfile.ZipFile(path).infolist()}
    assert sizes["xl/worksheets/sheet2.xml"] > 250 * 1024**2
    assert path.stat().st_size < 2 * 1024**2


def test_a_command_run_gives_status_output_and_its_own_peak_memory(tmp_path):
    environment = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }

    run = imports.run_command(["import_records", str(tmp_path / "none.xlsx")], environment)

    assert run.status == 1
    assert run.stderr.strip() == f"CommandError: 找不到文件：{tmp_path / 'none.xlsx'}"
    assert 20 < run.peak_mb < 400
    assert run.seconds > run.cpu > 0
