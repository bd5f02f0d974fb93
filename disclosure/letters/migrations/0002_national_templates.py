"""The national default templates as version 1 (``disclosure.letters.defaults``)."""

from django.db import migrations
from django.utils import translation


def store_defaults(apps, schema_editor):
    from disclosure.letters.defaults import DEFAULT_TEMPLATES

    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    with translation.override("zh-hans"):
        for kind, (title, text) in DEFAULT_TEMPLATES.items():
            if not LetterTemplate.objects.filter(body__isnull=True, kind=kind).exists():
                LetterTemplate.objects.create(
                    body=None, kind=kind, version=1, title=str(title), text=str(text)
                )


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_letters")]

    operations = [migrations.RunPython(store_defaults, migrations.RunPython.noop)]
