"""The REST API under /api/ (v1 endpoints, OpenAPI schema and docs)."""

urlpatterns: list = []
