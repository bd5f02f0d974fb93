from __future__ import annotations

import json

from disclosure.vocab import RESULT_FORMAT_LABELS, AppealKind, AppealResult, ApplicantKind, Result
from reports import format as fmt


def _schema() -> dict:
    return json.loads(fmt.SCHEMA_PATH.read_text(encoding="utf-8"))


def test_request_rows_are_the_schema_rows_in_order():
    assert (
        list(fmt.REQUEST_ROW_KEYS)
        == _schema()["properties"]["requests"]["properties"]["rows"]["required"]
    )


def test_request_columns_are_the_schema_columns_in_order():
    schema_columns = _schema()["properties"]["requests"]["properties"]["columns"]["const"]
    assert list(fmt.REQUEST_COLUMN_KEYS) == schema_columns
    assert list(fmt.APPLICANT_COLUMN_KEYS) == list(ApplicantKind.values)


def test_result_rows_are_the_21_results_of_the_vocabulary():
    assert list(fmt.RESULT_ROW_KEYS) == list(Result.values)
    assert len(fmt.RESULT_ROW_KEYS) == 21


def test_appeal_groups_and_columns_follow_the_vocabulary():
    assert list(fmt.APPEAL_GROUP_KEYS) == list(AppealKind.values)
    assert list(fmt.APPEAL_PART_KEYS) == list(AppealResult.values) + ["pending"]
    assert fmt.APPEAL_COLUMN_KEYS[-1] == "total"


def test_labels_are_printed_full_width():
    assert fmt.REQUEST_ROW_LABELS["granted"] == "（一）予以公开"
    assert fmt.REQUEST_ROW_LABELS["denied_three_safeties"] == "3.危及“三安全一稳定”"
    assert fmt.PROACTIVE_COLUMN_LABELS["amount_10k_yuan"] == "本年收费金额（单位：万元）"


def test_request_row_groups_span_their_rows():
    assert [(s.label, s.start, s.span, s.level) for s in fmt.REQUEST_ROW_GROUPS] == [
        ("三、本年度办理结果", 2, 22, 0),
        ("（三）不予公开", 4, 8, 1),
        ("（四）无法提供", 12, 3, 1),
        ("（五）不予处理", 15, 5, 1),
        ("（六）其他处理", 20, 3, 1),
    ]


def test_each_row_knows_the_merged_cells_starting_on_it_and_its_label_width():
    rows = {row.key: row for row in fmt.REQUEST_ROWS}
    assert rows["new_received"].label_colspan == 3
    assert rows["granted"].label_colspan == 2
    assert [s.label for s in rows["granted"].starts] == ["三、本年度办理结果"]
    assert rows["denied_state_secret"].label_colspan == 1
    assert [s.label for s in rows["denied_state_secret"].starts] == ["（三）不予公开"]
    assert rows["denied_law_prohibited"].starts == ()
    assert rows["results_total"].path == ("三、本年度办理结果",)


def test_column_groups_of_tables_three_and_four():
    assert fmt.REQUEST_COLUMN_GROUPS == (fmt.Span("法人或其他组织", 1, 5),)
    assert fmt.APPEAL_GROUP_SPANS == (fmt.Span("行政诉讼", 1, 2),)


def test_proactive_cells_in_print_order():
    assert fmt.PROACTIVE_CELLS == (
        ("rules", "issued"),
        ("rules", "repealed"),
        ("rules", "in_force"),
        ("normative_documents", "issued"),
        ("normative_documents", "repealed"),
        ("normative_documents", "in_force"),
        ("licensing", "decisions"),
        ("penalty", "decisions"),
        ("enforcement", "decisions"),
        ("fees", "amount_10k_yuan"),
    )
    assert [group.heading for group in fmt.PROACTIVE_GROUPS] == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
    ]


def test_sections_in_order_with_their_keys():
    assert [(s.heading, s.key) for s in fmt.SECTIONS] == [
        ("一、总体情况", "overview"),
        ("二、主动公开政府信息情况", "proactive"),
        ("三、收到和处理政府信息公开申请情况", "requests"),
        ("四、政府信息公开行政复议、行政诉讼情况", "appeals"),
        ("五、存在的主要问题及改进情况", "problems"),
        ("六、其他需要报告的事项", "other_matters"),
    ]


def test_result_groups_cover_every_result_row_once():
    singles = ("granted", "partially_granted", "denied", "unable", "rejected", "other_handling")
    rows = [row for key in singles for row in fmt.RESULT_GROUPS[key].rows]
    assert rows == list(fmt.RESULT_ROW_KEYS)
    assert fmt.RESULT_GROUPS["granted_or_partial"].rows == ("granted", "partially_granted")


def test_empty_tables_have_every_cell():
    tables = fmt.empty_tables()
    for table in fmt.TABLE_KEYS:
        for row, column in fmt.cells(table):
            assert fmt.cell(tables, table, row, column) == 0


# --- the format file agrees with the records' vocabulary -------------------------------------


def _raw() -> dict:
    return json.loads(fmt.FORMAT_PATH.read_text(encoding="utf-8"))


def test_the_format_file_agrees_with_the_vocabulary():
    assert fmt.vocabulary_mismatches(_raw()) == []


def test_the_shared_row_keys_come_from_the_vocabulary():
    assert fmt.DOCUMENT_ROW_KEYS == ("rules", "normative_documents")
    assert fmt.DECISION_ROW_KEYS == ("licensing", "penalty", "enforcement")
    assert fmt.FEE_ROW_KEY == "fees"
    assert {row.key: row.label for row in fmt.REQUEST_ROWS if row.is_result} == (
        RESULT_FORMAT_LABELS
    )


def test_a_result_key_the_vocabulary_lacks_is_named():
    raw = _raw()
    raw["requests"]["rows"][2][0] = "released"
    [mismatch, labels] = fmt.vocabulary_mismatches(raw)
    assert mismatch.startswith(
        "table 三 rows: the format file has ['new_received', 'carried_over', 'released', "
    )
    assert labels.startswith("table 三 result labels: the format file has {'partially_granted'")


def test_a_result_label_the_vocabulary_prints_otherwise_is_named():
    raw = _raw()
    raw["requests"]["rows"][2][1] = "（一）公开"
    [mismatch] = fmt.vocabulary_mismatches(raw)
    assert mismatch.startswith(
        "table 三 result labels: the format file has {'granted': '（一）公开'"
    )


def test_appeal_and_proactive_keys_are_checked_too():
    raw = _raw()
    raw["appeals"]["groups"][0][0] = "review"
    raw["appeals"]["columns"][3][0] = "open"
    raw["proactive"]["groups"][0]["rows"][0][0] = "regulations"
    raw["requests"]["columns"][0][0] = "person"
    assert [mismatch.split(":")[0] for mismatch in fmt.vocabulary_mismatches(raw)] == [
        "table 二 rows",
        "table 三 columns",
        "table 四 groups",
        "table 四 columns",
    ]
