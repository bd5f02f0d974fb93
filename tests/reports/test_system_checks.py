"""`manage.py check` says what PDF export lacks, naming the package to install."""

from __future__ import annotations

import builtins
import subprocess

from disclosure import pdf as pdf_checks
from reports import system_checks


def ids(messages) -> list[str]:
    return [message.id for message in messages]


def test_this_machine_can_make_pdfs():
    assert system_checks.check_pdf_setup() == []


def test_missing_cjk_font_is_an_error_naming_the_package(monkeypatch):
    def fc_list_finds_nothing(*args, **kwargs):
        return subprocess.CompletedProcess(args, 0, stdout="", stderr="")

    monkeypatch.setattr(pdf_checks.subprocess, "run", fc_list_finds_nothing)
    messages = system_checks.check_pdf_setup()
    assert ids(messages) == ["reports.E002"]
    assert "fonts-noto-cjk" in messages[0].msg


def test_missing_harfbuzz_subsetter_is_a_warning_naming_the_package(monkeypatch):
    real = pdf_checks.ctypes.util.find_library
    monkeypatch.setattr(
        pdf_checks.ctypes.util,
        "find_library",
        lambda name: None if name == "harfbuzz-subset" else real(name),
    )
    messages = system_checks.check_pdf_setup()
    assert ids(messages) == ["reports.W003"]
    assert "libharfbuzz-subset0" in messages[0].msg


def test_weasyprint_that_cannot_load_is_an_error(monkeypatch):
    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pango)
    messages = system_checks.check_pdf_setup()
    assert "reports.E001" in ids(messages)
    assert "libpango" in messages[0].msg
