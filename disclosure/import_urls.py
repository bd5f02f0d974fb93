"""Admin pages for the Excel import (filled in by the import feature)."""

app_name = "disclosure_import"
urlpatterns: list = []
