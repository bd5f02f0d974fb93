"""disclosure.hooks: what other apps tell the records, with an empty answer when none does."""

from __future__ import annotations

from disclosure.hooks import Hook, PublishedReport


def test_a_hook_without_providers_answers_nothing():
    assert Hook("nobody").ask("anything", [2025]) == []


def test_a_hook_joins_its_providers_answers_in_order_of_registration():
    hook: Hook[str] = Hook("letters")

    def first(word: str) -> list[str]:
        return [word.upper()]

    def second(word: str) -> list[str]:
        return [word, word]

    hook.register(first)
    hook.register(second)
    hook.register(first)  # again: changes nothing
    assert hook.providers == [first, second]
    assert hook.ask("a") == ["A", "a", "a"]


def test_a_published_report_reads_as_its_title():
    report = PublishedReport(body_code="city", year=2025, version=2, title="某市 2025 第2版")
    assert str(report) == "某市 2025 第2版"
