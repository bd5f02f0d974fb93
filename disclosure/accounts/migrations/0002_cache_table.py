"""The table of the database cache (``CACHE_TABLE``), which the API throttles of every worker
share unless ``REDIS_URL`` is set. Created whatever the cache settings are at migration time,
so that switching from Redis to the database later needs no extra command."""

from django.conf import settings
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations


def create_cache_table(apps, schema_editor) -> None:
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, settings.CACHE_TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor) -> None:
    schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(settings.CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_login_security_proxies")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
