"""disclosure.validators: 证件类型 from a number's form, GB 11643 and GB 32100 checks."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from disclosure.models import Applicant
from disclosure.validators import id_type_of_number, validate_id_number
from disclosure.vocab import ApplicantKind, IdType
from tests.factories import resident_id


@pytest.mark.parametrize(
    ("number", "id_type"),
    [
        ("11010519491231002X", IdType.RESIDENT_ID),  # GB 11643-1999's own example
        ("11010519491231002x", IdType.RESIDENT_ID),
        ("91110000802100433B", IdType.CREDIT_CODE),
        ("E12345678", IdType.OTHER),
        ("620600DEMO000001", IdType.OTHER),
        ("12620600DEMO000001", IdType.OTHER),  # an O is not in the credit-code alphabet
        ("", ""),
    ],
)
def test_the_type_a_numbers_form_says(number, id_type):
    assert id_type_of_number(number) == id_type


@pytest.mark.parametrize(
    "number",
    ["11010519491231002X", "91110000802100433B", "91440300708461136T", "91110108551385082Q"],
)
def test_real_numbers_pass_their_check(number):
    validate_id_number(id_type_of_number(number), number)


@pytest.mark.parametrize(
    ("id_type", "number", "message"),
    [
        (
            IdType.RESIDENT_ID,
            "110105194912310021",
            "居民身份证号码“110105194912310021”的校验码不正确（按 GB 11643 第18位应为 X）。",
        ),
        (
            IdType.RESIDENT_ID,
            "11010519491231002",
            "居民身份证号码应为18位：前17位为数字，最后一位为数字或X。",
        ),
        (
            IdType.CREDIT_CODE,
            "91110000802100433C",
            "统一社会信用代码“91110000802100433C”的校验码不正确（按 GB 32100 第18位应为 B）。",
        ),
        (
            IdType.CREDIT_CODE,
            "91110000802100433",
            "统一社会信用代码应为18位数字或大写字母（不含 I、O、Z、S、V）。",
        ),
    ],
)
def test_a_failed_check_says_what_is_wrong(id_type, number, message):
    with pytest.raises(ValidationError) as error:
        validate_id_number(id_type, number)
    assert error.value.messages == [message]


def test_a_birth_date_that_does_not_exist_is_refused_even_with_the_right_check_digit():
    number = resident_id("11010519491331002")  # month 13
    with pytest.raises(ValidationError) as error:
        validate_id_number(IdType.RESIDENT_ID, number)
    assert error.value.messages == [f"居民身份证号码“{number}”中的出生日期“19491331”不是真实日期。"]


@pytest.mark.time_machine("2026-11-30 10:00 +0800", tick=False)
def test_a_birth_date_after_today_is_not_real():
    number = resident_id("62010120261201123")
    with pytest.raises(ValidationError, match="不是真实日期"):
        validate_id_number(IdType.RESIDENT_ID, number)


def test_other_types_are_free_text():
    validate_id_number(IdType.PASSPORT, "anything at all")
    validate_id_number(IdType.OTHER, "123")


@pytest.mark.django_db
def test_the_applicant_takes_its_type_and_names_the_id_number_field():
    applicant = Applicant(kind=ApplicantKind.NATURAL_PERSON, name="王五", id_number="E1234567")
    applicant.full_clean()
    assert applicant.id_type == IdType.OTHER
    applicant = Applicant(
        kind=ApplicantKind.NATURAL_PERSON, name="王五", id_number="110105194912310021"
    )
    with pytest.raises(ValidationError) as error:
        applicant.full_clean()
    assert list(error.value.message_dict) == ["id_number"]
    no_number = Applicant(kind=ApplicantKind.NATURAL_PERSON, name="王五", id_type=IdType.PASSPORT)
    no_number.full_clean()
    assert no_number.id_type == ""
