"""The probes of issue 15 ("Security"), each a test in the suite.

- Cross-body access through the API, the admin, downloads and exports:
  ``tests/api/test_review_errors.py``, ``tests/api/test_review_registers.py``,
  ``tests/api/test_requests.py``, ``tests/disclosure/test_admin_visibility.py`` (lists,
  change pages, history, void, CSV export, autocomplete), ``tests/disclosure/test_downloads.py``
  and ``tests/disclosure/test_attachment_download.py``.
- A 录入 clerk renames, moves or abolishes her county (API, admin, import):
  ``tests/security/test_bodies.py``.
- Stale edits (API ``If-Match`` → 412, the admin's hidden version):
  ``tests/security/test_stale_edits.py``.
- Audit erasure (admin, model, PostgreSQL trigger), deleting a user, unaudited membership,
  permission, token and export changes, publishers' report rows, a command without
  ``--user``: ``tests/security/test_audit.py``.
- 20 wrong passwords, then the right one: ``tests/disclosure/accounts/test_lockouts.py``;
  the throttle shared by two gunicorn workers: ``tests/api/test_shared_throttle.py``.
- CSP on every page, HSTS with ``SECURE_COOKIES=1``: ``tests/config/test_settings.py`` and,
  in the browser, ``tests/browser/test_security.py``.
- The schema understating the server: ``tests/api/test_schema_limits.py`` and
  ``tests/api/test_schemathesis.py`` (all checks, named exclusions).
"""
