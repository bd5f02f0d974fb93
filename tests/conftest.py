from __future__ import annotations

import pytest
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
