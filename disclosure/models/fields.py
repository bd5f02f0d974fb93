"""Field classes that keep ``disclosure.validators`` the only source of a date's or a year's
messages: the date field of every model of both apps (its form field says that 2026-02-30 is
not a date), and the year field whose only bounds are its ``YearRange``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property

from disclosure.validators import date_text_error


class DateFormField(forms.DateField):
    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            if error.code != "invalid":
                raise
            raise date_text_error(value) from None


class DateField(models.DateField):
    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": DateFormField, **kwargs})


class YearField(models.PositiveSmallIntegerField):
    """A year bounded by its ``YearRange`` validator alone: Django would add the column's
    bounds (0 … 32767) as two more validators, so that year 99999 had two messages."""

    @cached_property
    def validators(self) -> list:
        return [*self.default_validators, *self._validators]

    def formfield(self, **kwargs):
        # Without PositiveSmallIntegerField's min_value=0: a negative year gets the range's
        # message from the model's validation, as every other year outside it.
        return super(models.PositiveSmallIntegerField, self).formfield(**kwargs)
