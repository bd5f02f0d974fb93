"""The English interface: every string our code and templates show has an English
translation, translations keep their placeholders and markup, the compiled catalogues match
their sources, and the pages read in English once English is chosen (README, "Languages")."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import django
import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from lxml import html

from tests.reports.public_data import build_site

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"
CATALOGUES = {
    f"{po.parent.parent.name}/{po.stem}": po for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
}

PYTHON_FORMAT = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")
BRACE_FORMAT = re.compile(r"(?<!\{)\{[A-Za-z_0-9]*\}(?!\})")
HTML_TAG = re.compile(r"</?(a|abbr|b|br|code|em|i|kbd|span|strong)\b[^>]*>")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def ignore_patterns() -> list[str]:
    """The folders `make messages` leaves out, read from the Makefile so that the test
    extracts exactly what the target does."""
    makefile = (ROOT / "Makefile").read_text()
    block = re.search(r"^MESSAGES_IGNORE := (.*?)(?<!\\)\n", makefile, re.M | re.S)
    assert block, "Makefile: MESSAGES_IGNORE is missing"
    return re.findall(r"--ignore=(\S+)", block.group(1))


def untranslated(catalogue: polib.POFile) -> list[str]:
    entries = catalogue.untranslated_entries() + catalogue.fuzzy_entries()
    return sorted(
        (f"[{entry.msgctxt}] " if entry.msgctxt else "") + entry.msgid for entry in entries
    )


@pytest.fixture(scope="module")
def fresh_english(tmp_path_factory) -> dict[str, polib.POFile]:
    """The English catalogue as `make messages` would leave it now: the strings the code and
    templates use today, with the translations the committed catalogue already has."""
    # makemessages writes to the `locale` folder beside the sources it finds, whatever
    # LOCALE_PATHS says: it runs in a mirror of the project (links to its folders) without one.
    mirror = tmp_path_factory.mktemp("project")
    for child in ROOT.iterdir():
        if child.name not in {"locale", ".git"}:
            (mirror / child.name).symlink_to(child)
    locale = mirror / "locale"
    for domain in ("django", "djangojs"):
        committed = LOCALE / "en" / "LC_MESSAGES" / f"{domain}.po"
        if committed.exists():
            (locale / "en" / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
            shutil.copy(committed, locale / "en" / "LC_MESSAGES")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(mirror)
        patch.setattr(settings, "LOCALE_PATHS", [str(locale)])
        for domain in ("django", "djangojs"):
            call_command(
                "makemessages",
                locale=["en"],
                domain=domain,
                ignore_patterns=ignore_patterns(),
                symlinks=True,
                add_location="file",
                no_obsolete=True,
                verbosity=0,
            )
    # djangojs.po appears once our JavaScript has a translatable string.
    return {po.stem: polib.pofile(str(po)) for po in (locale / "en" / "LC_MESSAGES").glob("*.po")}


def test_make_messages_leaves_out_what_is_not_ours():
    assert {"tests", "benchmarks", ".venv", "node_modules", "var", "static/vendor"} <= set(
        ignore_patterns()
    )


def test_every_string_the_code_and_templates_use_has_an_english_translation(fresh_english):
    missing = [
        f"{domain}: {msgid}" if domain != "django" else msgid
        for domain, catalogue in sorted(fresh_english.items())
        for msgid in untranslated(catalogue)
    ]
    assert not missing, (
        f"Without an English translation ({len(missing)}; run `make messages`, then translate "
        "them in locale/en/LC_MESSAGES/django.po):\n" + "\n".join(missing)
    )
    assert len(fresh_english["django"]) > 1000


def test_the_committed_english_catalogues_are_complete_and_have_no_fuzzy_entries():
    assert "en/django" in CATALOGUES
    for name, source in CATALOGUES.items():
        if name.startswith("en/"):
            assert untranslated(polib.pofile(str(source))) == [], name


def test_the_chinese_catalogue_holds_only_translated_overrides_of_django_strings():
    """zh_Hans is hand-kept: our own msgids are Chinese and need no entry; each entry
    supplies a Chinese translation that Django's own catalogue lacks."""
    catalogue = polib.pofile(str(CATALOGUES["zh_Hans/django"]))
    assert untranslated(catalogue) == []
    django_root = Path(django.__file__).parent
    django_msgids = {
        entry.msgid
        for source in [
            django_root / "conf" / "locale" / "en" / "LC_MESSAGES" / "django.po",
            *django_root.glob("contrib/*/locale/en/LC_MESSAGES/django.po"),
        ]
        for entry in polib.pofile(str(source))
    }
    assert [entry.msgid for entry in catalogue if entry.msgid not in django_msgids] == []
    assert [entry.msgid for entry in catalogue if CJK.search(entry.msgid)] == []


def placeholders(text: str) -> list[str]:
    return sorted(PYTHON_FORMAT.findall(text) + BRACE_FORMAT.findall(text))


@pytest.mark.parametrize("catalogue", sorted(CATALOGUES))
def test_translations_keep_the_placeholders_and_markup_of_their_source(catalogue):
    wrong = []
    for entry in polib.pofile(str(CATALOGUES[catalogue])).translated_entries():
        if entry.msgid_plural:
            pairs = [
                (entry.msgid if int(index) == 0 else entry.msgid_plural, text)
                for index, text in entry.msgstr_plural.items()
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, translation in pairs:
            if placeholders(source) != placeholders(translation):
                wrong.append(f"{source!r} → {translation!r} (placeholders)")
            if HTML_TAG.findall(source) != HTML_TAG.findall(translation):
                wrong.append(f"{source!r} → {translation!r} (markup)")
    assert wrong == []


def test_english_translations_are_in_english():
    """A msgstr copied from its Chinese msgid would pass the completeness check while the
    page stays Chinese. Chinese may appear only where the English names a Chinese term
    (a sheet name, an example), never as the whole translation."""
    copied = [
        entry.msgid
        for entry in polib.pofile(str(CATALOGUES["en/django"])).translated_entries()
        if (entry.msgstr == entry.msgid and CJK.search(entry.msgid))
        or len(CJK.findall(entry.msgstr)) > len(entry.msgstr) / 3
    ]
    assert copied == []


@pytest.mark.parametrize("catalogue", sorted(CATALOGUES))
def test_the_compiled_catalogue_matches_its_source(catalogue):
    source = CATALOGUES[catalogue]
    compiled = polib.mofile(str(source.with_suffix(".mo")))

    def translations(catalogue) -> dict:
        return {
            (entry.msgctxt, entry.msgid): tuple(
                text for _, text in sorted((int(n), t) for n, t in entry.msgstr_plural.items())
            )
            or entry.msgstr
            for entry in catalogue
            if entry.msgid
            and (entry.msgstr or entry.msgstr_plural)
            and "fuzzy" not in getattr(entry, "flags", ())
        }

    stale = translations(polib.pofile(str(source))) != translations(compiled)
    assert not stale, f"{source.with_suffix('.mo')} is stale: run `make messages`"


# --- the pages ------------------------------------------------------------------------


def texts(page: bytes, xpath: str) -> list[str]:
    tree = html.fromstring(page.decode())
    return [" ".join(node.text_content().split()) for node in tree.xpath(xpath)]


def chinese(strings: list[str]) -> list[str]:
    return [text for text in strings if CJK.search(text)]


ADMIN_INDEX = (
    "//*[@id='site-name'] | //h1 | //h2 | //caption | //th | //td/a | //*[@id='user-tools']/a"
)


@pytest.mark.django_db
def test_the_admin_index_reads_in_english_once_english_is_chosen(client, admin_user):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/admin/").content
    assert '<html lang="en"' in page.decode()
    headings = texts(page, ADMIN_INDEX)
    for english in (
        "Government Information Disclosure Management System",
        "Dashboard",
        "Government information disclosure register",
        "Government information disclosure request",
        "Administrative reconsideration and litigation cases",
        "Annual report",
        "Background jobs",
        "Audit log",
        "Reply deadline calculator",
        "Import register",
    ):
        assert english in headings
    assert chinese(headings) == []


@pytest.mark.django_db
def test_the_admin_index_reads_in_chinese_by_default(client, admin_user):
    """Django 5.2's admin index has screen-reader headers that its own zh_Hans catalogue
    lacks; our override supplies them."""
    client.force_login(admin_user)
    page = client.get("/admin/", headers={"accept-language": "en"}).content
    headers = texts(page, "//table//thead//th")
    assert {"模型名称", "添加链接", "修改或查看列表链接"} <= set(headers)
    headings = texts(page, ADMIN_INDEX)
    assert "政府信息公开管理系统" in headings
    english = [text for text in headings if re.search(r"[A-Za-z]{2,}", text)]
    assert english == []


@pytest.mark.django_db
def test_the_public_site_switches_to_english_and_back(client, settings):
    build_site(pdf=b"%PDF-1.7\n")
    chinese_home = client.get("/").content
    assert "政府信息公开工作年度报告" in " ".join(texts(chinese_home, "//h1"))
    switch = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert switch.status_code == 302
    page = client.get("/").content
    assert '<html lang="en"' in page.decode()
    # The interface, not the records: body names and report titles stay as published.
    interface = texts(
        page, "//h1 | //h2 | //h3 | //label | //option | //button | //header//a | //footer//p"
    )
    for english in (
        "Government Information Disclosure Annual Reports",
        "Browse by body",
        "Browse by year",
        "Published annual reports",
        "Search",
        "Larger text",
    ):
        assert english in interface
    assert chinese(interface) == ["简体中文"]
    assert "简体中文" in texts(page, "//form[contains(@class, 'lang')]//button")
    back = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert back.status_code == 302
    assert '<html lang="zh-CN"' in client.get("/").content.decode()
