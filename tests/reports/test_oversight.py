"""The pure oversight computations: repeated share, lateness, key figures, filters, orders
and the year-over-year comparison."""

from __future__ import annotations

import copy
import datetime
import json
from decimal import Decimal

from reports.findings import ERROR, WARNING, Finding
from reports.format import DATA_DIR
from reports.oversight import (
    DocumentCheck,
    LineFilter,
    OversightStatus,
    compare_documents,
    days_late,
    document_check,
    filter_lines,
    key_figures,
    oversight_line,
    repetition,
    sentence_key,
    sentences,
    sort_lines,
)

DEMO = json.loads((DATA_DIR / "demo-wuwei-2023.json").read_text(encoding="utf-8"))
TODAY = datetime.date(2024, 5, 1)


def body(code: str, depth: int = 1) -> dict:
    return {"id": hash(code) % 10_000, "code": code, "name": f"{code}局", "depth": depth}


def test_sentences_split_at_chinese_and_western_stops_and_line_breaks():
    assert sentences("一是加强培训。二是完善制度；\n三是 强化监督！") == [
        "一是加强培训。",
        "二是完善制度；",
        "三是 强化监督！",
    ]


def test_sentence_key_replaces_every_number_whatever_its_length():
    assert sentence_key("2023年共收到申请 99 件，占63.9%。") == sentence_key(
        "2024年共收到申请１,204件，占 7%。"
    )
    assert sentence_key("共收到申请9件。") != sentence_key("共办结申请9件。")
    assert sentence_key("- 一是突出重点工作。") == sentence_key("一是突出重点工作。")


def test_repeated_share_counts_the_characters_of_sentences_repeated_with_new_figures():
    previous = {
        "overview": "2022年共收到申请10件。本局高度重视公开工作。",
        "problems": "人手不足。",
    }
    current = {
        # 14 characters repeated with a new number, 11 repeated verbatim, 10 new
        "overview": "2023年共收到申请12件。本局高度重视公开工作。",
        "problems": "培训仍需加强一二三。",
    }
    found = repetition(current, previous)
    assert (found.repeated_characters, found.characters) == (25, 35)
    assert found.share == Decimal("71.4")
    assert found.passages == ("2023年共收到申请12件。本局高度重视公开工作。",)


def test_repeated_passages_are_runs_of_consecutive_repeated_sentences():
    previous = {"overview": "甲。乙。丙。"}
    current = {"overview": "甲。乙。新的。丙。"}
    assert repetition(current, previous).passages == ("甲。乙。", "丙。")


def test_no_repetition_without_last_years_narrative_or_this_years():
    assert repetition({"overview": "甲。"}, None) is None
    assert repetition({"overview": "甲。"}, {"overview": "  "}) is None
    assert repetition({}, {"overview": "甲。"}) is None


def test_days_late_of_a_published_report_counts_from_the_deadline_to_its_first_publication():
    deadline = datetime.date(2024, 3, 31)
    assert days_late(deadline, datetime.date(2024, 3, 31), TODAY) == 0
    assert days_late(deadline, datetime.date(2024, 4, 3), TODAY) == 3
    assert days_late(deadline, datetime.date(2024, 1, 3), TODAY) == 0


def test_days_late_of_an_unpublished_report_counts_to_today_once_the_deadline_has_passed():
    assert days_late(datetime.date(2024, 1, 31), None, TODAY) == 91
    assert days_late(datetime.date(2024, 5, 1), None, TODAY) is None
    assert days_late(None, None, TODAY) is None


def test_key_figures_of_the_wuwei_2023_report():
    figures = key_figures(DEMO)
    requests = DEMO["requests"]["rows"]
    assert figures.new_received == requests["new_received"]["total"]
    assert figures.results_total == requests["results_total"]["total"]
    assert (figures.reconsideration, figures.litigation, figures.corrected) == (10, 3, 8)


def test_a_blank_cell_leaves_the_figure_built_on_it_unknown():
    document = copy.deepcopy(DEMO)
    document["appeals"]["litigation_direct"]["total"] = None
    assert key_figures(document).litigation is None
    assert key_figures(document).reconsideration == 10


def test_an_imported_original_without_publication_date_is_not_late():
    line = oversight_line(
        body=body("x"),
        deadline=datetime.date(2024, 1, 31),
        today=TODAY,
        status=OversightStatus.IMPORTED,
        check=document_check(DEMO, [], None),
    )
    assert line.days_late is None and not line.late


def finding(severity: str) -> Finding:
    return Finding("rule", severity, "requests", "new_received", "total", 1, 2, "m")


def lines():
    deadline = datetime.date(2024, 1, 31)
    return [
        oversight_line(body=body("a"), deadline=deadline, today=TODAY),  # none, 91 days
        oversight_line(
            body=body("b"),
            deadline=deadline,
            today=TODAY,
            status=OversightStatus.PUBLISHED,
            published_on=datetime.date(2024, 1, 20),
            check=document_check(DEMO, [finding(WARNING)], DEMO["narrative"]),
        ),
        oversight_line(
            body=body("c"),
            deadline=deadline,
            today=TODAY,
            status=OversightStatus.PUBLISHED,
            published_on=datetime.date(2024, 2, 5),
            check=document_check(DEMO, [finding(ERROR), finding(WARNING)], None),
        ),
    ]


def test_filters_by_status_lateness_findings_and_repeated_share():
    every = lines()
    codes = lambda found: [line.code for line in found]  # noqa: E731
    assert codes(filter_lines(every, LineFilter(late=True))) == ["a", "c"]
    assert codes(filter_lines(every, LineFilter(late=False))) == ["b"]
    assert codes(filter_lines(every, LineFilter(status="published"))) == ["b", "c"]
    assert codes(filter_lines(every, LineFilter(findings="errors"))) == ["c"]
    assert codes(filter_lines(every, LineFilter(findings="warnings"))) == ["b", "c"]
    assert codes(filter_lines(every, LineFilter(findings="none"))) == ["a"]
    assert codes(filter_lines(every, LineFilter(repeated_from=Decimal("100")))) == ["b"]


def test_sorts_with_unknown_values_last_either_way():
    every = lines()
    assert [line.code for line in sort_lines(every, "-days_late")] == ["a", "c", "b"]
    assert [line.code for line in sort_lines(every, "days_late")] == ["b", "c", "a"]
    assert [line.code for line in sort_lines(every, "-errors")] == ["c", "a", "b"]
    assert [line.code for line in sort_lines(every, "-repeated_share")] == ["b", "a", "c"]
    assert [line.code for line in sort_lines(every, "status")] == ["a", "b", "c"]


def test_the_api_entry_of_a_line():
    entry = lines()[1].as_json()
    assert entry["status"] == "published"
    assert entry["deadline"] == "2024-01-31"
    assert entry["published_on"] == "2024-01-20"
    assert (entry["days_late"], entry["errors"], entry["warnings"]) == (0, 0, 1)
    assert entry["repeated_share"] == 100.0
    assert entry["figures"]["reconsideration"] == 10


def test_year_over_year_cells_identities_and_passages():
    before = copy.deepcopy(DEMO)
    after = copy.deepcopy(DEMO)
    after["requests"]["rows"]["carried_over"] = copy.deepcopy(
        before["requests"]["rows"]["carried_forward"]
    )
    after["requests"]["rows"]["carried_over"]["natural_person"] += 1
    after["appeals"]["reconsideration"]["upheld"] = 5
    after["narrative"] = {
        "overview": "2024年共收到申请12件。本局新设热线。",
        "problems": before["narrative"]["problems"],
    }
    before["narrative"] = {"overview": "2023年共收到申请10件。本局高度重视。"}
    comparison = compare_documents(before, after)
    upheld = next(
        c
        for c in comparison.cells
        if (c.table, c.row, c.column) == ("appeals", "reconsideration", "upheld")
    )
    assert (upheld.before, upheld.after, upheld.change) == (3, 5, 2)
    carry = {i.label: i for i in comparison.identities if i.name == "carry_over"}
    assert carry["上年结转·自然人"].holds is False
    assert carry["上年结转·商业企业"].holds is True
    kinds = [(p.kind, p.text) for p in comparison.passages if p.section == "overview"]
    assert kinds == [
        ("figures_changed", "2024年共收到申请12件。"),
        ("new", "本局新设热线。"),
        ("dropped", "本局高度重视。"),
    ]
    assert comparison.passages[0].before == "2023年共收到申请10件。"


def test_a_check_is_stored_and_read_back_unchanged():
    check = document_check(DEMO, [finding(ERROR)], DEMO["narrative"])
    assert DocumentCheck.from_stored(check.as_stored()) == check
    assert DocumentCheck.from_stored(document_check(DEMO, [], None).as_stored()).repetition is None
