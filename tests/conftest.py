from __future__ import annotations

import pytest
from django.core.cache import caches
from django.utils import translation


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _chinese_first():
    """Each test starts in the site's language: a request that chose English in an earlier
    test must not leak into the next one through the thread's active language."""
    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Rendered public pages are cached per process under ids that a rolled-back test
    database hands out again: each test starts without them."""
    caches["pages"].clear()
    yield
    caches["pages"].clear()
