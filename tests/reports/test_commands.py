from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from disclosure.importing import limits
from disclosure.models import Body
from disclosure.vocab import BodyKind, Result
from reports.models import Report, ReportStatus, Scope
from tests.factories import BodyFactory, RequestFactory
from tests.reports.engine_data import SEED_DIR, seed_document, seed_findings

pytestmark = pytest.mark.django_db

D = datetime.date


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def city():
    city = BodyFactory(code="city", name="某市人民政府", kind=BodyKind.GOVERNMENT)
    dept = BodyFactory(code="dept", name="某市教育局", kind=BodyKind.DEPARTMENT, parent=city)
    county = BodyFactory(code="county", name="某县人民政府", kind=BodyKind.GOVERNMENT, parent=city)
    for body in (city, dept, county):
        RequestFactory(
            body=body, received_on=D(2023, 3, 1), concluded_on=D(2023, 3, 2), result=Result.GRANTED
        )
    return city


def granted(output: str) -> int:
    return json.loads(output)["requests"]["rows"]["granted"]["total"]


def test_report_tables_json_is_a_document_without_narrative(city):
    doc = json.loads(run("report_tables", "--body", "city", "--year", "2023"))
    assert list(doc) == ["body", "body_name", "year", "scope", "proactive", "requests", "appeals"]
    # Without a report, a government's tables are of its default scope, 全域.
    assert (doc["body"], doc["year"], doc["scope"]) == ("city", 2023, "all")
    assert doc["requests"]["rows"]["granted"]["total"] == 3
    assert doc["proactive"]["fees"] == {"amount_10k_yuan": 0}


def test_report_tables_scopes(city):
    assert (
        granted(run("report_tables", "--body", "city", "--year", "2023", "--scope", "level")) == 2
    )
    assert granted(run("report_tables", "--body", "city", "--year", "2023", "--rollup")) == 3


def test_report_tables_defaults_to_the_scope_of_the_body_report(city):
    Report.objects.create(body=city, year=2023, scope=Scope.LEVEL)
    doc = json.loads(run("report_tables", "--body", "city", "--year", "2023"))
    assert (doc["scope"], doc["requests"]["rows"]["granted"]["total"]) == ("level", 2)


def test_report_tables_text_prints_the_format_labels(city):
    text = run(
        "report_tables", "--body", "city", "--year", "2023", "--scope", "own", "--format", "text"
    )
    lines = text.splitlines()
    assert lines[0] == "某市人民政府 2023 年（本机关）"
    assert "三、本年度办理结果/（一）予以公开\t1\t0\t0\t0\t0\t0\t1" in lines
    assert "行政复议\t0\t0\t0\t0\t0" in lines
    assert "行政事业性收费\t0" in lines


def test_report_tables_refuses_an_unknown_body(db):
    with pytest.raises(CommandError, match="机构代码“nobody”不存在"):
        run("report_tables", "--body", "nobody", "--year", "2023")


def test_import_report_then_check_report_gives_the_seed_findings(db):
    out = run("import_report", str(SEED_DIR / "wuwei-2023-expected.json"))
    assert out == "已导入 武威市人民政府（wuwei）2023 年年度报告。\n"
    findings = json.loads(
        run("check_report", "--body", "wuwei", "--year", "2023", "--format", "json")
    )
    assert [(f["rule"], f["row"], f["expected"], f["actual"]) for f in findings] == [
        (e["rule"], e["row"], e["expected"], e["actual"]) for e in seed_findings()
    ]
    assert set(findings[0]) == {
        "rule",
        "severity",
        "table",
        "row",
        "column",
        "expected",
        "actual",
        "message",
        "quote",
    }


def test_import_report_under_a_parent(tmp_path, city):
    path = tmp_path / "report.json"
    path.write_text(json.dumps(seed_document(), ensure_ascii=False), encoding="utf-8")
    run("import_report", str(path), "--parent", "city")
    assert Body.objects.get(code="wuwei").parent == city


def test_import_report_names_every_problem(tmp_path, db):
    doc = seed_document()
    doc["requests"]["rows"]["granted"]["total"] = 1.5
    doc["proactive"]["fees"]["amount_10k_yuan"] = 1.00001
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        run("import_report", str(path))
    assert str(raised.value) == (
        "文档有误：\n"
        "proactive.fees.amount_10k_yuan：最多四位小数（收到 1.00001）。\n"
        "requests.rows.granted.total：应为整数，不能有小数（收到 1.5）。"
    )
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"[" * 200_000 + b"]" * 200_000, "嵌套的层数过多。"),  # was a RecursionError
        ('{"body": "武威"}'.encode("gbk"), "内容不是 UTF-8 编码的文本。"),  # UnicodeDecodeError
        (b'{"year": NaN}', "“NaN”不是 JSON 中的数值。"),
    ],
    ids=["nested-too-deep", "gbk", "nan"],
)
def test_import_report_names_a_file_it_cannot_parse(tmp_path, db, content, reason):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(CommandError) as raised:
        run("import_report", str(path))
    assert str(raised.value) == f"{path} 不是有效的 JSON：{reason}"
    assert not Report.objects.exists()


def test_import_report_refuses_a_file_over_the_upload_cap(tmp_path, db, monkeypatch):
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", limits.MB)
    path = tmp_path / "report.json"
    document = json.dumps(seed_document(), ensure_ascii=False).encode()
    path.write_bytes(document + b" " * (limits.MB + limits.MB // 5 - len(document)))
    with pytest.raises(CommandError) as raised:
        run("import_report", str(path))
    assert str(raised.value) == "文件“report.json”约 1.2 MB，超过 1 MB 的上限。"
    assert not Report.objects.exists()


def test_import_report_names_the_document_when_it_is_not_an_object(tmp_path, db):
    path = tmp_path / "list.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        run("import_report", str(path))
    assert str(raised.value) == "文档有误：\n文档：应为对象（JSON object）。"


def test_import_report_refuses_the_product_own_report(city, tmp_path):
    Report.objects.create(body=city, year=2023, status=ReportStatus.DRAFT)
    path = tmp_path / "r.json"
    path.write_text(json.dumps(seed_document() | {"body": "city"}), encoding="utf-8")
    with pytest.raises(CommandError, match="已有本系统的年度报告"):
        run("import_report", str(path))


def test_check_report_exits_1_when_an_error_stands(tmp_path, db):
    doc = seed_document()
    doc["requests"]["rows"]["granted"]["total"] = None
    path = tmp_path / "r.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    run("import_report", str(path))
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("check_report", "--body", "wuwei", "--year", "2023", stdout=out)
    assert exited.value.code == 1
    assert out.getvalue().splitlines()[0].startswith("[error] blank_cell requests/granted/total: ")


def test_check_report_exits_0_on_warnings_only(db):
    run("import_report", str(SEED_DIR / "wuwei-2023-expected.json"))
    out = run("check_report", "--body", "wuwei", "--year", "2023")
    assert len(out.splitlines()) == 3


def test_check_report_without_a_report_checks_the_draft_as_it_would_be_created(city):
    # The city's records balance; the draft it would start has no sections 一, 五 and 六.
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("check_report", "--body", "city", "--year", "2023", stdout=out)
    assert exited.value.code == 1
    assert out.getvalue().splitlines() == [
        "[error] section_empty narrative/overview/: “一、总体情况”尚未填写，发布前须撰写。",
        "[error] section_empty narrative/problems/: “五、存在的主要问题及改进情况”尚未填写，发布前须撰写。",
        "[error] section_empty narrative/other_matters/: “六、其他需要报告的事项”尚未填写，发布前须撰写。",
    ]
    assert not Report.objects.exists()


def test_check_report_for_a_body_without_records_or_draft_exits_1_with_empty_sections(db):
    BodyFactory(code="idle", name="某乡人民政府", kind=BodyKind.TOWNSHIP)
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command(
            "check_report", "--body", "idle", "--year", "2025", "--format", "json", stdout=out
        )
    assert exited.value.code == 1
    findings = json.loads(out.getvalue())
    assert [(f["rule"], f["severity"], f["table"], f["row"]) for f in findings] == [
        ("section_empty", "error", "narrative", "overview"),
        ("section_empty", "error", "narrative", "problems"),
        ("section_empty", "error", "narrative", "other_matters"),
    ]
    assert not Report.objects.exists()


def test_check_report_of_a_written_draft_finds_nothing(city):
    Report.objects.create(
        body=city,
        year=2023,
        scope=Scope.ALL,
        overview="全年新收申请{requests.new_received}件。",
        problems="无。",
        other_matters="未收取信息处理费。",
    )
    assert run("check_report", "--body", "city", "--year", "2023") == "未发现问题。\n"


def test_report_tables_of_an_imported_year_are_the_imported_tables(db):
    run("import_report", str(SEED_DIR / "wuwei-2023-expected.json"))
    doc = json.loads(run("report_tables", "--body", "wuwei", "--year", "2023"))
    seed = seed_document()
    del seed["narrative"], seed["cover_letter"]
    assert doc == seed
    computed = json.loads(
        run("report_tables", "--body", "wuwei", "--year", "2023", "--scope", "all")
    )
    assert computed["requests"]["rows"]["new_received"]["total"] == 0


def test_report_tables_refuses_rollup_with_another_scope(city):
    with pytest.raises(CommandError, match="--rollup 即 --scope all"):
        run("report_tables", "--body", "city", "--year", "2023", "--rollup", "--scope", "own")


def test_import_report_refuses_a_missing_or_broken_file(tmp_path, db):
    with pytest.raises(CommandError, match="找不到文件"):
        run("import_report", str(tmp_path / "none.json"))
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="不是有效的 JSON"):
        run("import_report", str(broken))
    assert not Report.objects.exists()
