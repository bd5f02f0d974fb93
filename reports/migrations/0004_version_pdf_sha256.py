"""The SHA-256 of each published version's stored PDF, recorded at publishing from now on and
filled here for the versions published before (from the file as it is stored today; a
version whose file is missing keeps an empty value, and ``verify_published`` reports it)."""

import hashlib

from django.core.files.storage import default_storage
from django.db import migrations, models


def record_pdf_hashes(apps, schema_editor) -> None:
    ReportVersion = apps.get_model("reports", "ReportVersion")
    versions = ReportVersion.objects.using(schema_editor.connection.alias).exclude(pdf="")
    for version in versions.only("pk", "pdf").iterator(chunk_size=200):
        if not default_storage.exists(version.pdf.name):
            continue
        digest = hashlib.sha256()
        with default_storage.open(version.pdf.name, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        ReportVersion.objects.using(schema_editor.connection.alias).filter(pk=version.pk).update(
            pdf_sha256=digest.hexdigest()
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_report_reading")]

    operations = [
        migrations.AddField(
            model_name="reportversion",
            name="pdf_sha256",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="PDF 的 SHA-256"
            ),
        ),
        migrations.RunPython(record_pdf_hashes, migrations.RunPython.noop),
    ]
