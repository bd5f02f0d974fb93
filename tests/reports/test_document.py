from __future__ import annotations

import datetime
import hashlib
import json
from decimal import Decimal

import pytest

from disclosure.models import Body
from disclosure.vocab import ApplicantKind, BodyKind
from reports.document import (
    DocumentError,
    canonical_json,
    canonical_sha256,
    document_content,
    draft_document,
    imported_document,
    tables_document,
    validate_document,
)
from reports.models import Report, ReportStatus, Scope
from reports.narrative import NarrativeError
from tests.reports.engine_data import document, seed_document, tables

D = datetime.date
NATURAL = ApplicantKind.NATURAL_PERSON


def bureau() -> Body:
    """An unsaved body: building a document reads its attributes, never the database."""
    return Body(
        code="edu", name="测试县教育局", kind=BodyKind.DEPARTMENT, phone="0935-1", postcode="733000"
    )


# Two received (one granted, one carried forward) and 2.5 万元 of fees, as compute_tables
# gives them (the fee amount a Decimal).
TABLES = tables(
    requests={
        ("new_received", NATURAL): 2,
        ("granted", NATURAL): 1,
        ("carried_forward", NATURAL): 1,
    },
    proactive={("fees", "amount_10k_yuan"): Decimal("2.5000")},
)


def test_draft_document_has_the_tables_and_resolved_narrative():
    report = Report(
        body=bureau(),
        year=2023,
        scope=Scope.OWN,
        overview="收到申请{requests.new_received}件，予以公开占{share:granted}%。",
        problems="无。",
        cover_number="教函〔2024〕1号",
        cover_addressee="县政府办",
        cover_text="现将{body}{year}年报告报来。",
        cover_date=D(2024, 1, 20),
    )
    doc = draft_document(report, TABLES)
    assert doc["body"] == "edu"
    assert doc["body_name"] == "测试县教育局"
    assert (doc["year"], doc["scope"]) == (2023, "own")
    assert doc["requests"]["rows"]["new_received"]["total"] == 2
    assert doc["requests"]["rows"]["carried_forward"]["total"] == 1
    assert doc["proactive"]["fees"] == {"amount_10k_yuan": 2.5}
    assert doc["narrative"]["overview"] == "收到申请2件，予以公开占100.0%。"
    assert doc["narrative"]["opening"].startswith("根据《中华人民共和国政府信息公开条例》")
    assert doc["narrative"]["other_matters"] == ""
    assert doc["cover_letter"] == {
        "number": "教函〔2024〕1号",
        "addressee": "县政府办",
        "body_text": "现将测试县教育局2023年报告报来。",
        "date": "2024-01-20",
    }
    assert validate_document(doc) == doc
    assert TABLES["proactive"]["fees"]["amount_10k_yuan"] == Decimal("2.5000")


def test_draft_without_cover_letter_or_narrative():
    report = Report(body=bureau(), year=2023, scope=Scope.OWN)
    assert "cover_letter" not in draft_document(report, TABLES)
    assert set(draft_document(report, TABLES, include_narrative=False)) == {
        "body",
        "body_name",
        "year",
        "scope",
        "proactive",
        "requests",
        "appeals",
    }


def test_an_edited_opening_replaces_the_generated_one():
    report = Report(body=bureau(), year=2023, scope=Scope.OWN, opening="本报告依据《条例》编制。")
    assert draft_document(report, TABLES)["narrative"]["opening"] == "本报告依据《条例》编制。"


def test_an_unknown_placeholder_stops_the_build():
    report = Report(body=bureau(), year=2023, scope=Scope.OWN, overview="{requests.unknown}")
    with pytest.raises(NarrativeError):
        draft_document(report, TABLES)


def test_a_whole_integer_fee_is_an_integer():
    whole = tables(proactive={("fees", "amount_10k_yuan"): Decimal("22910.0000")})
    doc = tables_document(body=bureau(), year=2022, scope=Scope.OWN, tables=whole)
    assert doc["proactive"]["fees"]["amount_10k_yuan"] == 22910
    assert isinstance(doc["proactive"]["fees"]["amount_10k_yuan"], int)


def test_imported_document_is_returned_as_imported():
    seed = validate_document(
        seed_document()
        | {"version": 1, "published_at": "2024-02-21T10:00:00+08:00", "sha256": "0" * 64}
    )
    report = Report(
        body=Body(code="wuwei"),
        year=2023,
        scope=Scope.ALL,
        status=ReportStatus.IMPORTED,
        imported_document=seed,
    )
    assert imported_document(report) == seed
    tables_only = imported_document(report, include_narrative=False)
    assert "narrative" not in tables_only and "sha256" not in tables_only
    assert tables_only["requests"] == seed["requests"]
    assert "narrative" in report.imported_document


def test_document_content_leaves_out_the_provenance():
    published = seed_document() | {
        "version": 2,
        "published_at": "2024-02-21T10:00:00+08:00",
        "change_note": "更正",
        "sha256": "0" * 64,
    }
    assert document_content(published) == seed_document()


def test_canonical_json_sorts_keys_keeps_unicode_and_leaves_out_sha256():
    doc = {"year": 2023, "body": "武威", "sha256": "f" * 64, "n": {"b": 1.5, "a": 22910}}
    assert canonical_json(doc) == '{"body":"武威","n":{"a":22910,"b":1.5},"year":2023}'.encode()
    assert canonical_sha256(doc) == hashlib.sha256(canonical_json(doc)).hexdigest()
    assert canonical_sha256(doc) == canonical_sha256(dict(reversed(list(doc.items()))))


def test_the_seed_is_a_valid_document():
    seed = seed_document()
    assert validate_document(seed) == seed


def test_every_problem_is_listed_at_once():
    doc = document("b", 2023)
    doc["extra"] = 1
    doc["requests"]["rows"]["granted"]["natural_person"] = -1
    doc["requests"]["rows"]["granted"]["total"] = 2.5
    doc["requests"]["rows"]["granted"]["surprise"] = 0
    doc["appeals"]["reconsideration"]["upheld"] = "3"
    doc["proactive"]["fees"]["amount_10k_yuan"] = 1.23456
    doc["proactive"]["rules"]["issued"] = True
    with pytest.raises(DocumentError) as raised:
        validate_document(doc)
    assert raised.value.problems == [
        "extra：未知的键。",
        "proactive.rules.issued：应为整数（收到 True）。",
        "proactive.fees.amount_10k_yuan：最多四位小数（收到 1.23456）。",
        "requests.rows.granted.surprise：未知的键。",
        "requests.rows.granted.natural_person：不能为负数（收到 -1）。",
        "requests.rows.granted.total：应为整数，不能有小数（收到 2.5）。",
        "appeals.reconsideration.upheld：应为整数（收到 '3'）。",
    ]


def test_missing_keys_and_bad_header_fields_are_named():
    doc = document("b", 2020, scope="city")
    del doc["appeals"]
    del doc["requests"]["rows"]["carried_forward"]
    doc["requests"]["columns"] = ["natural_person"]
    doc["narrative"] = {"overview": 1, "summary": ""}
    with pytest.raises(DocumentError) as raised:
        validate_document(doc)
    assert raised.value.problems == [
        "appeals：缺少此项。",
        "year：年度须在 2021 至 2099 之间。",
        "scope：应为 own、level 或 all（收到 'city'）。",
        'requests.columns：应为 ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org", "legal_service_org", "other_org", "total"]。',
        "requests.rows.carried_forward：缺少此项。",
        "narrative.summary：未知的键。",
        "narrative.overview：应为文本。",
    ]


def test_nulls_are_kept_as_blanks_and_whole_floats_become_integers():
    doc = document("b", 2023)
    doc["requests"]["rows"]["granted"]["natural_person"] = None
    doc["requests"]["rows"]["granted"]["total"] = 3.0
    doc["proactive"]["fees"]["amount_10k_yuan"] = None
    valid = validate_document(doc)
    assert valid["requests"]["rows"]["granted"]["natural_person"] is None
    assert valid["requests"]["rows"]["granted"]["total"] == 3
    assert isinstance(valid["requests"]["rows"]["granted"]["total"], int)
    assert valid["proactive"]["fees"]["amount_10k_yuan"] is None


def test_four_decimal_fee_is_accepted():
    doc = document("b", 2023)
    doc["proactive"]["fees"]["amount_10k_yuan"] = 0.0001
    assert validate_document(doc)["proactive"]["fees"]["amount_10k_yuan"] == 0.0001


def test_version_needs_its_provenance():
    with pytest.raises(DocumentError) as raised:
        validate_document(document("b", 2023) | {"version": 2})
    assert raised.value.problems == [
        "published_at：有 version 时必须提供此项。",
        "sha256：有 version 时必须提供此项。",
    ]


def test_a_document_round_trips_through_json():
    seed = seed_document()
    assert validate_document(json.loads(json.dumps(seed, ensure_ascii=False))) == seed


def test_a_body_code_must_be_a_valid_code():
    with pytest.raises(DocumentError) as raised:
        validate_document(document("武威 市", 2023))
    assert raised.value.problems == ["body：机构代码只能包含字母、数字、“-”和“_”。"]


def test_a_body_code_is_at_most_64_characters():
    with pytest.raises(DocumentError) as raised:
        validate_document(document("b" * 65, 2023))
    assert raised.value.problems == ["body：机构代码最长64个字符。"]


def test_a_nul_character_in_any_text_is_named():
    doc = document("b", 2023)
    doc["narrative"] = {"overview": "总体\x00情况"}
    with pytest.raises(DocumentError) as raised:
        validate_document(doc)
    assert raised.value.problems == ["narrative.overview：不能包含空字符（NUL）。"]


def test_the_generated_opening_is_not_read_for_placeholders():
    body = Body(code="b", name="某局", website="https://example.gov.cn/{id}")
    report = Report(body=body, year=2023, scope=Scope.OWN)
    opening = draft_document(report, TABLES)["narrative"]["opening"]
    assert "https://example.gov.cn/{id}" in opening
