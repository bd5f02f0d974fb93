"""The staff admin (Chinese). Importing the package registers every disclosure model.

- ``access``: the admin's side of ``disclosure.access`` — ``BodyScopedAdmin`` (rows
  through ``X.objects.visible_to(user)``, no delete), its role checks cached per request
  (``has_role_at`` / ``has_role_somewhere``), ``limited_choices`` for foreign keys.
- ``base``: the audit history page, voiding instead of deleting, the warning on records a
  published report counted.
- ``filters``: list filters as SQL (body subtree, derived status, overdue, year).
- ``export``: CSV with a BOM and formula-safe cells.
- ``bodies``, ``requests``, ``registers``, ``system``: the ModelAdmins; ``casework``: the
  applicant access log (for publishers) and the reminders sent.

Custom pages (deadline calculator, body move/abolish) are in ``disclosure.admin_views``,
their forms in ``disclosure.forms``; the list paginator in ``disclosure.paginator``.
"""

from disclosure.admin import bodies, casework, registers, requests, system  # noqa: F401
