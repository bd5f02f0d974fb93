"""Body paths with primary keys of ten digits (``disclosure.models.child_path``), so that
ordering by path is the tree's order whatever the keys' lengths: "/9/" sorted after "/10/"."""

from django.db import migrations


def _rewrite(apps, segment):
    Body = apps.get_model("disclosure", "Body")
    bodies = list(Body.objects.only("pk", "parent_id", "path"))
    by_id = {body.pk: body for body in bodies}
    paths: dict[int, str] = {}

    def path_of(body):
        if body.pk not in paths:
            parent = by_id.get(body.parent_id)
            paths[body.pk] = f"{path_of(parent) if parent else '/'}{segment(body.pk)}/"
        return paths[body.pk]

    changed = []
    for body in bodies:
        new = path_of(body)
        if new != body.path:
            body.path = new
            changed.append(body)
    Body.objects.bulk_update(changed, ["path"], batch_size=1000)


def forwards(apps, schema_editor):
    # The digits as child_path writes them today, kept here as they were on the day.
    _rewrite(apps, lambda pk: f"{pk:010d}")


def backwards(apps, schema_editor):
    _rewrite(apps, str)


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0012_document_dates_help"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
