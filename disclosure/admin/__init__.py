"""The staff admin (Chinese): one module per group of records; importing registers them."""

from disclosure.admin import bodies, registers, requests, system  # noqa: F401
