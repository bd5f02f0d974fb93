"""The admin's forms of the letters: drafting (kind, format, the request's letter facts) and
recording service. The services validate again; these only shape the input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from disclosure.letters.models import Letter, RequestLetterFacts
from disclosure.letters.vocab import LetterFormat, LetterKind, ServiceMethod
from disclosure.models.fields import DateFormField

FACT_FIELDS = (
    "correction_items",
    "published_location",
    "provision_method",
    "withheld_result",
    "responsible_body",
    "responsible_contact",
    "earlier_reply_number",
    "petition_channel",
    "query_channel",
    "consultation_matter",
    "disclosure_matter",
    "disclosure_reason",
    "fee_payment",
    "explain_by",
)


class DraftForm(forms.Form):
    kind = forms.ChoiceField(label=_("文书类型"), choices=LetterKind.choices)
    format = forms.ChoiceField(
        label=_("文件格式"), choices=LetterFormat.choices, initial=LetterFormat.PDF
    )
    served_letter = forms.ModelChoiceField(
        label=_("送达的文书"),
        queryset=Letter.objects.none(),
        required=False,
        help_text=_("仅送达回证：根据哪份文书的送达记录起草（默认最近登记送达的一份）。"),
    )

    def __init__(self, *args, served_letters=None, **kwargs):
        super().__init__(*args, **kwargs)
        if served_letters is not None:
            self.fields["served_letter"].queryset = served_letters


class FactsForm(forms.ModelForm):
    class Meta:
        model = RequestLetterFacts
        fields = FACT_FIELDS
        widgets = {
            "correction_items": forms.Textarea(attrs={"rows": 3}),
            "consultation_matter": forms.Textarea(attrs={"rows": 3}),
            "disclosure_matter": forms.Textarea(attrs={"rows": 3}),
            "disclosure_reason": forms.Textarea(attrs={"rows": 2}),
        }


class ServeForm(forms.Form):
    served_on = DateFormField(label=_("送达日期"), widget=forms.DateInput(attrs={"type": "date"}))
    service_method = forms.ChoiceField(label=_("送达方式"), choices=ServiceMethod.choices)
    tracking_number = forms.CharField(
        label=_("邮件单号"), required=False, max_length=64, help_text=_("邮寄送达必填。")
    )
    receiver = forms.CharField(label=_("签收人"), max_length=200)
