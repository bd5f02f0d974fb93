"""``manage.py verify_published``, and a backup restored as the README says: the restored
database and media folder verify clean."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from reports.models import ReportVersion
from tests.reports.test_integrity import publish_one

ROOT = Path(__file__).resolve().parents[2]


def test_a_clean_installation_exits_0(db, capsys):
    version = publish_one()
    call_command("verify_published")
    assert capsys.readouterr().out == "核验了 1 个已发布版本，文档和 PDF 均与发布时一致。\n"
    assert version.pk


def test_a_tampered_document_is_printed_and_exits_1(db, capsys):
    version = publish_one()
    document = version.document
    document["narrative"]["overview"] = "改写过的正文。"
    ReportVersion.objects.filter(pk=version.pk).update(document=document)
    default_storage.delete(version.pdf.name)
    with pytest.raises(CommandError) as failed:
        call_command("verify_published")
    assert failed.value.returncode == 1
    assert str(failed.value) == "核验了 1 个已发布版本，发现 2 处不一致。"
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{version}：文档的 SHA-256 与发布时记录的不一致")
    assert lines[1] == f"{version}：存档的 PDF 文件不存在：{version.pdf.name}。"


def verify_in_subprocess(database_url: str, media: Path) -> subprocess.CompletedProcess:
    environ = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environ.update(
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media),
        DEBUG="0",
        SECRET_KEY="verify-published-restore-test-key-0123456789",
        PYTHONPATH=str(ROOT),
    )
    return subprocess.run(
        [sys.executable, "manage.py", "verify_published"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def restore_media(tmp_path: Path) -> Path:
    """The media folder copied as a backup would be, into a fresh place."""
    restored = tmp_path / "restored-media"
    shutil.copytree(settings.MEDIA_ROOT, restored)
    return restored


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backup path")
def test_a_pg_dump_restored_into_a_fresh_database_verifies_clean(transactional_db, tmp_path):
    for tool in ("pg_dump", "pg_restore", "createdb", "dropdb"):
        assert shutil.which(tool), f"{tool} is missing (apt-get install postgresql-client)"
    publish_one()
    source = connection.settings_dict
    server = ["-h", source["HOST"] or "127.0.0.1", "-p", str(source["PORT"] or 5432)]
    server += ["-U", source["USER"]] if source["USER"] else []
    environ = {**os.environ, "PGPASSWORD": source["PASSWORD"] or ""}
    dump = tmp_path / "disclosure.dump"
    restored = f"{source['NAME']}_restored"
    subprocess.run(
        ["pg_dump", "-Fc", *server, "-f", str(dump), source["NAME"]], check=True, env=environ
    )
    subprocess.run(["dropdb", "--if-exists", *server, restored], check=True, env=environ)
    subprocess.run(["createdb", *server, restored], check=True, env=environ)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", *server, "-d", restored, str(dump)],
            check=True,
            env=environ,
        )
        user = source["USER"] or ""
        password = f":{source['PASSWORD']}" if source["PASSWORD"] else ""
        url = (
            f"postgres://{user}{password}@{source['HOST'] or '127.0.0.1'}:"
            f"{source['PORT'] or 5432}/{restored}"
        )
        result = verify_in_subprocess(url, restore_media(tmp_path))
    finally:
        subprocess.run(["dropdb", "--if-exists", *server, restored], check=True, env=environ)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "核验了 1 个已发布版本，文档和 PDF 均与发布时一致。\n"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backup path")
def test_a_sqlite_backup_verifies_clean(transactional_db, tmp_path):
    publish_one()
    backup = tmp_path / "db.sqlite3"
    # What the sqlite3 shell's ".backup" does: the online backup API, consistent while the
    # server runs.
    connection.ensure_connection()
    target = sqlite3.connect(backup)
    with target:
        connection.connection.backup(target)
    target.close()
    result = verify_in_subprocess(f"sqlite:///{backup}", restore_media(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "核验了 1 个已发布版本，文档和 PDF 均与发布时一致。\n"

    # The same backup without its media folder fails: the PDF is part of the backup.
    result = verify_in_subprocess(f"sqlite:///{backup}", tmp_path / "empty-media")
    assert result.returncode == 1
    assert "存档的 PDF 文件不存在" in result.stdout
