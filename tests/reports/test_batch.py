"""``read_reports`` and the admin's batch evaluation (``reports.batch``): one 汇总 row per
file with its findings counts, a findings sheet, unmatched names listed, unreadable files
kept as rows with their reason, zip bombs refused."""

from __future__ import annotations

import copy
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from disclosure.vocab import BodyKind
from reports import exports
from reports.format import DATA_DIR
from tests.factories import BodyFactory
from tests.reports.reading.data import seed_finding_tuples, seed_text

pytestmark = pytest.mark.django_db

DEMO = json.loads((DATA_DIR / "demo-wuwei-2023.json").read_text(encoding="utf-8"))


@pytest.fixture
def bodies():
    city = BodyFactory(code="wuwei", name="武威市人民政府", kind=BodyKind.GOVERNMENT)
    education = BodyFactory(
        code="wuwei-jyj", name="武威市教育局", kind=BodyKind.DEPARTMENT, parent=city
    )
    return city, education


def product_document(body, year: int) -> dict:
    document = copy.deepcopy(DEMO)
    document.update(body=body.code, body_name=body.name, year=year)
    document["scope"] = "own" if body.kind == BodyKind.DEPARTMENT else "all"
    return document


def last_year_of_the_city() -> dict:
    """武威市 2022 as the product prints it: the seed's narrative with other figures."""
    document = copy.deepcopy(DEMO)
    document["year"] = 2022
    document["narrative"] = {
        key: text.replace("2023", "2022").replace("2024", "2023")
        for key, text in DEMO["narrative"].items()
    }
    return document


def rows(path) -> tuple[list[tuple], list[tuple]]:
    workbook = load_workbook(path, read_only=True)
    assert workbook.sheetnames == ["汇总", "核查结果"]
    summary = list(workbook["汇总"].iter_rows(values_only=True))
    findings = list(workbook["核查结果"].iter_rows(values_only=True))
    return summary, findings


def test_read_reports_on_a_folder_writes_one_summary_row_per_file(tmp_path, bodies):
    city, education = bodies
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "wuwei-2023.txt").write_text(seed_text(), "utf-8")
    (folder / "wuwei-2022.docx").write_bytes(exports.render(last_year_of_the_city(), "docx"))
    (folder / "jyj-2023.pdf").write_bytes(exports.render(product_document(education, 2023), "pdf"))
    elsewhere = product_document(education, 2023)
    elsewhere["body_name"] = "外省某某局"
    (folder / "other.docx").write_bytes(exports.render(elsewhere, "docx"))
    (folder / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    output = tmp_path / "evaluation.xlsx"
    out = io.StringIO()

    call_command(
        "read_reports", str(folder), "--output", str(output), stdout=out, stderr=io.StringIO()
    )

    summary, findings = rows(output)
    assert summary[0] == (
        "文件",
        "机构代码",
        "机构名称",
        "标题中的名称",
        "年度",
        "状态",
        "修复",
        "无法确定",
        "错误",
        "警告",
        "正文重复率（%）",
        "说明",
    )
    by_file = {row[0]: row for row in summary[1:]}
    assert sorted(by_file) == [
        "jyj-2023.pdf",
        "other.docx",
        "scan.png",
        "wuwei-2022.docx",
        "wuwei-2023.txt",
    ]
    seed = by_file["wuwei-2023.txt"]
    expected_findings = seed_finding_tuples()
    warnings = sum(1 for finding in expected_findings if finding[1] == "warning")
    assert seed[1:6] == ("wuwei", "武威市人民政府", "武威市", 2023, "已读取")
    assert seed[6:10] == (2, 0, len(expected_findings) - warnings, warnings)
    # The 2022 file of the same batch is last year's narrative: the seed repeats it all.
    assert seed[10] == 100.0
    department = by_file["jyj-2023.pdf"]
    assert department[1:6] == ("wuwei-jyj", "武威市教育局", "武威市教育局", 2023, "已读取")
    assert department[6:8] == (0, 0)
    assert by_file["other.docx"][5] == "未匹配机构"
    assert by_file["other.docx"][1] is None  # never guessed
    assert "外省某某局" in by_file["other.docx"][11]
    assert by_file["scan.png"][5] == "无法读取"
    assert "图片" in by_file["scan.png"][11]
    seed_rows = [row for row in findings[1:] if row[0] == "wuwei-2023.txt"]
    assert len(seed_rows) == len(expected_findings)
    assert [row[3] for row in seed_rows] == [finding[0] for finding in expected_findings]
    assert "共 5 个文件：3 个已读取并匹配机构，1 个未匹配机构，1 个无法读取。" in out.getvalue()


def test_read_reports_on_a_zip_with_gbk_names_and_a_given_year(tmp_path, bodies):
    # Windows' zip tools write GBK names without the UTF-8 flag: written here under an
    # ASCII name of the same length, whose bytes are then replaced.
    name = "报告/武威.txt".encode("gbk")
    placeholder = b"A" * 4 + b"/" + b"B" * 4 + b".txt"
    assert len(name) == len(placeholder)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        target.writestr(placeholder.decode(), seed_text().encode("utf-8"))
        target.writestr("__MACOSX/._x", b"junk")
    archive = tmp_path / "batch.zip"
    archive.write_bytes(buffer.getvalue().replace(placeholder, name))
    output = tmp_path / "out.xlsx"
    call_command(
        "read_reports",
        str(archive),
        "--year",
        "2023",
        "--output",
        str(output),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    summary, _findings = rows(output)
    assert [row[:2] for row in summary[1:]] == [("报告/武威.txt", "wuwei")]


def test_read_reports_refuses_a_zip_bomb_before_decompressing(tmp_path, bodies):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("big.txt", b"0" * (50 * 1024 * 1024))
    with pytest.raises(CommandError, match="压缩炸弹"):
        call_command(
            "read_reports", str(archive), "--output", str(tmp_path / "x.xlsx"), stderr=io.StringIO()
        )
    assert not (tmp_path / "x.xlsx").exists()


def test_read_reports_names_a_missing_source_and_a_bad_year(tmp_path):
    with pytest.raises(CommandError, match="找不到文件或文件夹"):
        call_command("read_reports", str(tmp_path / "nope"), "--output", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="年度须在 2021 至"):
        call_command(
            "read_reports", str(tmp_path), "--year", "1999", "--output", str(tmp_path / "x.xlsx")
        )


def test_body_narrows_the_matching_to_its_subtree(tmp_path, bodies):
    city, education = bodies
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "wuwei.txt").write_text(seed_text(), "utf-8")
    output = tmp_path / "out.xlsx"
    call_command(
        "read_reports",
        str(folder),
        "--body",
        education.code,
        "--output",
        str(output),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    summary, _ = rows(output)
    assert summary[1][1] is None and summary[1][5] == "未匹配机构"


def test_a_file_that_breaks_a_reader_is_a_row_and_the_batch_goes_on(tmp_path, bodies, monkeypatch):
    from reports import batch

    real = batch.read_report

    def read(data, filename, **options):
        if filename == "broken.txt":
            raise ValueError("a reader's bug")
        return real(data, filename, **options)

    monkeypatch.setattr(batch, "read_report", read)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "broken.txt").write_text("x", "utf-8")
    (folder / "wuwei.txt").write_text(seed_text(), "utf-8")
    output = tmp_path / "out.xlsx"
    call_command(
        "read_reports",
        str(folder),
        "--output",
        str(output),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    summary, _ = rows(output)
    assert [(row[0], row[5]) for row in summary[1:]] == [
        ("broken.txt", "无法读取"),
        ("wuwei.txt", "已读取"),
    ]
    assert summary[1][11] == "读取时出错（ValueError），请单独用 read_report 检查该文件。"
