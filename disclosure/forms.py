"""Forms of the staff admin's own pages: voiding, body reorganisation, the deadline calculator."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from disclosure.calendar import REPLY_WORKING_DAYS
from disclosure.models import Body
from disclosure.models.fields import DateFormField
from disclosure.validators import DEADLINE_DATE, file_too_large

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def date_field(
    label, *, required: bool = True, help_text: str = "", validators=()
) -> forms.DateField:
    return DateFormField(
        label=label,
        required=required,
        widget=DATE_WIDGET,
        help_text=help_text,
        validators=list(validators),
    )


def calculator_date(label, *, required: bool = False, help_text: str = "") -> forms.DateField:
    """A date put to the deadline calculator: any day the clock can count from, the future
    included (the API's calculator takes the same range)."""
    return date_field(label, required=required, help_text=help_text, validators=[DEADLINE_DATE])


class VoidForm(forms.Form):
    """作废: the record stays in the register, counts nowhere, and keeps its reason."""

    reason = forms.CharField(
        label=_("作废原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("作废的记录不计入任何统计，原因记入操作记录。"),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("请填写作废原因。"))
        return reason


class BodyMoveForm(forms.Form):
    """机构改革: the body moves under another parent from a date."""

    new_parent = forms.ModelChoiceField(
        label=_("新上级机构"), queryset=Body.objects.none(), required=False
    )
    moved_on = date_field(_("调整日期"), help_text=_("自该日起隶属新上级机构。"))
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, body: Body, parents, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.body = body
        self.fields["new_parent"].queryset = parents.exclude(path__startswith=body.path)
        self.fields["new_parent"].label_from_instance = indented_name

    def clean_new_parent(self) -> Body | None:
        new_parent = self.cleaned_data["new_parent"]
        if new_parent is not None and new_parent.pk == self.body.parent_id:
            raise ValidationError(_("新上级机构与现上级机构相同。"))
        return new_parent


class BodyAbolishForm(forms.Form):
    """撤销: the body ends on a date; its successor takes over its work."""

    abolished_on = date_field(_("撤销日期"))
    successor = forms.ModelChoiceField(
        label=_("承继机构"), queryset=Body.objects.none(), required=False
    )

    def __init__(self, *args, body: Body, successors, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.body = body
        self.fields["successor"].queryset = successors.exclude(pk=body.pk)
        self.fields["successor"].label_from_instance = indented_name

    def clean_abolished_on(self):
        abolished_on = self.cleaned_data["abolished_on"]
        if self.body.established_on and abolished_on < self.body.established_on:
            raise ValidationError(_("撤销日期不能早于设立日期。"))
        return abolished_on


def indented_name(body: Body) -> str:
    return "\u3000" * body.depth + body.name


class DeadlineCalculatorForm(forms.Form):
    """The events of one request, as the clock reads them (regulations.md)."""

    received_on = calculator_date(_("收到申请日期"), required=True)
    correction_notice_on = calculator_date(_("补正告知日期"))
    correction_received_on = calculator_date(
        _("补正收到日期"), help_text=_("补正后自收到补正申请之日起重新计算。")
    )
    extension_days = forms.IntegerField(
        label=_("延期工作日数"), required=False, min_value=1, max_value=REPLY_WORKING_DAYS
    )
    extension_decided_on = calculator_date(_("延期批准日期"))

    def clean(self):
        data = super().clean()
        received_on = data.get("received_on")
        notice_on = data.get("correction_notice_on")
        corrected_on = data.get("correction_received_on")
        if corrected_on and not notice_on:
            self.add_error("correction_notice_on", _("填写补正收到日期前须先填写补正告知日期。"))
        if received_on and notice_on and notice_on < received_on:
            self.add_error("correction_notice_on", _("补正告知日期不能早于收到申请日期。"))
        if notice_on and corrected_on and corrected_on < notice_on:
            self.add_error("correction_received_on", _("补正收到日期不能早于补正告知日期。"))
        if data.get("extension_decided_on") and not data.get("extension_days"):
            self.add_error("extension_days", _("填写延期批准日期时须填写延期工作日数（1至20）。"))
        return data


class PauseForm(forms.Form):
    """A pause: a consultation (sent, answered) or a fee notice (issued, paid/period end)."""

    start = calculator_date(_("开始日期"))
    end = calculator_date(_("结束日期"), help_text=_("留空按法定最长期限计算。"))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if end and not start:
            self.add_error("start", _("请填写开始日期。"))
        if start and end and end < start:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return data

    def pair(self):
        """(start, end or None), or None for an empty row."""
        start = self.cleaned_data.get("start")
        return None if start is None else (start, self.cleaned_data.get("end"))


PauseFormSet = forms.formset_factory(PauseForm, extra=3, max_num=20, validate_max=True)


def bounded_file_attrs(max_bytes: int) -> dict[str, object]:
    """What a file input needs for ``disclosure/file-limit.js`` to refuse a file over
    ``max_bytes`` in the page, with the server's message."""
    return {
        "data-max-bytes": max_bytes,
        "data-too-large": file_too_large("{name}", "{size}", max_bytes),
    }


class BoundedFileInput(forms.ClearableFileInput):
    """A file input that refuses a file over its cap as soon as it is chosen
    (``disclosure/file-limit.js``), before minutes of uploading: the message is the
    server's."""

    class Media:
        js = ("disclosure/file-limit.js",)

    def __init__(self, max_bytes: int, attrs=None):
        super().__init__(attrs)
        self.max_bytes = max_bytes

    def get_context(self, name, value, attrs):
        attrs = {**(attrs or {}), **bounded_file_attrs(self.max_bytes)}
        return super().get_context(name, value, attrs)


class BoundedFileField(forms.FileField):
    """An upload of at most ``max_bytes``, checked in the page and again on the server."""

    def __init__(self, *, max_bytes: int, **kwargs):
        self.max_bytes = max_bytes
        kwargs.setdefault("widget", BoundedFileInput(max_bytes))
        super().__init__(**kwargs)

    def validate(self, value) -> None:
        super().validate(value)
        if value and value.size > self.max_bytes:
            raise ValidationError(
                file_too_large(value.name, value.size, self.max_bytes), code="file_too_large"
            )
