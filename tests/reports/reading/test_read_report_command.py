"""``manage.py read_report``: the JSON it prints and its exit status (0 read, 1 read with
error findings, 2 unreadable), on an empty database."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from reports.document import validate_document
from tests.reports.reading.data import SEED_REPAIRS, seed_document, seed_finding_tuples, seed_text

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("read_report", *args, stdout=out, stderr=err)
    return exit_.value.code, out.getvalue(), err.getvalue()


def test_the_seed_is_read_with_its_repairs_and_findings(tmp_path):
    path = tmp_path / "wuwei-2023.txt"
    path.write_text(seed_text(), "utf-8")
    status, out, _err = run(str(path))
    assert status == 0
    result = json.loads(out)
    assert list(result) == ["document", "repairs", "unresolved", "findings"]
    assert validate_document(result["document"]) == result["document"]
    assert result["document"] == {**seed_document(), "body": ""}
    repairs = [(r["table"], r["row"], r["column"], r["value"]) for r in result["repairs"]]
    assert repairs == SEED_REPAIRS
    assert result["repairs"][0]["identity"] == "row_total"
    assert result["unresolved"] == []
    assert [
        (f["rule"], f["severity"], f["table"], f["row"], f["column"], f["expected"], f["actual"])
        for f in result["findings"]
    ] == seed_finding_tuples()


def test_error_findings_give_status_one(tmp_path):
    path = tmp_path / "damaged.txt"
    path.write_text(seed_text().replace("行政强制\t「政强制 1129", "行政强制\t—"), "utf-8")
    status, out, _err = run(str(path), "--format", "json")
    assert status == 1
    result = json.loads(out)
    assert [u["row"] for u in result["unresolved"]] == ["enforcement"]
    assert result["findings"][0]["rule"] == "blank_cell"


def test_an_unreadable_file_gives_status_two_and_says_why(tmp_path):
    from PIL import Image

    path = tmp_path / "scan.pdf"
    Image.new("RGB", (100, 100), "white").save(path, "PDF")
    status, out, err = run(str(path))
    assert (status, out) == (2, "")
    assert "没有文字层" in err
    status, _out, err = run(str(tmp_path / "missing.pdf"))
    assert status == 2
    assert "无法打开文件" in err


def test_the_text_format_and_the_overrides(tmp_path):
    path = tmp_path / "wuwei-2023.txt"
    path.write_text(seed_text(), "utf-8")
    status, out, _err = run(str(path), "--format", "text", "--body", "wuwei", "--year", "2024")
    assert status == 0
    assert out.splitlines()[0] == "武威市人民政府（wuwei）2024 年度，统计范围 all；来源：text，1 页"
    assert "修复（2）：" in out
    assert "无法确定（0）：" in out
    assert "核查结果（3）：" in out
