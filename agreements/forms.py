"""Forms of the action page and the indicator realisation page.

Every rule a user can break gets a Dutch message at the field that says what to do; Django's
own Dutch messages are used where they are already clear (required, choices, length).
The services validate again with the model's ``full_clean``; ``apply_service_errors`` puts
whatever they refuse back at the field.
"""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from core.forms import DataEntryModelForm, DutchDecimalField

from .evidence import validate_evidence, validate_evidence_total
from .models import (
    ActionStatus,
    Comparator,
    Evaluation,
    IndicatorValue,
    ProgressUpdate,
)

PERCENT_MESSAGES = {
    "required": "Vul in hoeveel procent van de afspraak gereed is (0 tot en met 100).",
    "invalid": "Vul een heel getal in van 0 tot en met 100, zonder %-teken.",
    "min_value": "Een percentage kan niet lager zijn dan 0.",
    "max_value": "Een percentage kan niet hoger zijn dan 100.",
}

URL_MESSAGE = "Vul een volledig webadres in dat begint met https:// (of http://)."


class WebAddressField(forms.URLField):
    """A URL that a browser opens as a page: http or https only (no javascript:, ftp:, …)."""

    default_validators = [URLValidator(schemes=["http", "https"], message=URL_MESSAGE)]
    # A field's message for a code replaces its validator's ("Voer een geldige URL in."):
    # the field says it too.
    default_error_messages = {"invalid": URL_MESSAGE}

    def __init__(self, **kwargs):
        # An address typed without a scheme is taken as https (Django 6's default).
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ProgressUpdateForm(DataEntryModelForm):
    """The fields of a progress update; the status rules are the model's (ProgressUpdate.clean)."""

    evidence_files = MultipleFileField(
        label="Bestanden als onderbouwing",
        required=False,
        help_text="Optioneel: PDF, Office-document of afbeelding (PNG, JPEG, GIF), "
        "samen hoogstens 10 MB. Alleen wie deze afspraak mag lezen, kan ze downloaden.",
    )
    seen_latest_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = ProgressUpdate
        fields = ["status", "percent_done", "explanation", "evidence_url", "is_public"]
        labels = {
            "status": "Status",
            "percent_done": "Percentage gereed",
            "is_public": "Openbaar maken (ook voor bezoekers zonder login)",
        }
        help_texts = {
            "is_public": (
                "Status en percentage zijn altijd openbaar op het publieke dashboard; uw "
                "toelichting en de link alleen als u dit aanvinkt."
            ),
            "percent_done": "Een heel getal van 0 tot en met 100.",
            "explanation": "Verplicht bij de status vertraagd of vervallen: wat is er aan de hand?",
            "evidence_url": (
                "Optioneel: een verslag, besluit of nieuwsbericht dat de voortgang laat zien."
            ),
        }
        widgets = {
            "percent_done": forms.NumberInput(attrs={"inputmode": "numeric", "max": 100}),
            "explanation": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = {"evidence_url": WebAddressField}
        error_messages = {
            "status": {
                "required": "Kies de status van de afspraak.",
                "invalid_choice": "Kies een van de statussen uit de lijst.",
            },
            "percent_done": PERCENT_MESSAGES,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A status is always chosen: no empty "---------" option.
        self.fields["status"].choices = ActionStatus.choices

    def clean_evidence_files(self):
        files = self.cleaned_data.get("evidence_files") or []
        for uploaded in files:
            try:
                validate_evidence(uploaded)
            except ValidationError as error:
                raise ValidationError(f"{uploaded.name}: {error.messages[0]}") from error
        validate_evidence_total(files)
        return files

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "status": data["status"],
            "percent_done": data["percent_done"],
            "explanation": data.get("explanation", ""),
            "evidence_url": data.get("evidence_url", ""),
            "is_public": data.get("is_public", False),
            "seen_latest_id": data.get("seen_latest_id"),
            "files": data.get("evidence_files") or [],
        }


class EvaluationForm(DataEntryModelForm):
    """The kernteam's judgement of an action: the fields, choices and limits of Evaluation."""

    seen_latest_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Evaluation
        fields = ["assessment", "explanation"]
        labels = {"assessment": "Oordeel van het kernteam", "explanation": "Toelichting"}
        widgets = {
            "assessment": forms.RadioSelect,
            "explanation": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "assessment": {
                "required": "Kies het oordeel van het kernteam.",
                "invalid_choice": "Kies een van de oordelen uit de lijst.",
            },
            "explanation": {"required": "Licht het oordeel toe; zo blijft het navolgbaar."},
        }

    def __init__(self, *args, **kwargs):
        # The action page also holds the progress form, which has an "explanation" too: ids of
        # their own, so that each label names its own field.
        kwargs.setdefault("auto_id", "id_evaluatie_%s")
        super().__init__(*args, **kwargs)
        # An oordeel is always chosen: no empty "---------" radio button.
        assessment = self.fields["assessment"]
        assessment.choices = [(v, label) for v, label in assessment.choices if v != ""]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "assessment": data["assessment"],
            "explanation": data["explanation"],
            "seen_latest_id": data.get("seen_latest_id"),
        }


class IndicatorRealisationForm(DataEntryModelForm):
    """The realisation of an indicator value: the fields, choices and limits of IndicatorValue.

    The form checks a copy of the value (the page keeps showing the stored one beside refused
    input); :func:`agreements.services.record_indicator_realisation` does the versioned save.
    """

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    class Meta:
        model = IndicatorValue
        fields = ["realised_comparator", "realised", "realised_note"]
        localized_fields = ["realised"]
        field_classes = {"realised": DutchDecimalField}
        labels = {"realised_comparator": "Soort getal"}
        help_texts = {
            "realised_comparator": "‘circa’ of ‘ruim’ maakt het getal een schatting: dan is "
            "‘gehaald?’ niet te zeggen.",
            "realised": "Een getal, met een komma voor decimalen (bijvoorbeeld 85,5 of "
            "1.234,5). Leeg = nog niet bekend.",
            "realised_note": "Bijvoorbeeld de bron van het cijfer of waarom het afwijkt van het "
            "doel.",
        }
        widgets = {
            "realised": forms.TextInput(attrs={"inputmode": "decimal"}),
            "realised_note": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "realised": {
                "max_decimal_places": "Gebruik hoogstens twee cijfers achter de komma.",
                "max_digits": "Dit getal is te groot; vul hoogstens tien cijfers voor de komma in.",
                "max_whole_digits": "Dit getal is te groot; vul hoogstens tien cijfers voor de "
                "komma in.",
            },
        }

    def __init__(self, *args, value: IndicatorValue | None = None, **kwargs):
        self.init_kwargs = {"value": value}
        super().__init__(*args, instance=copy.copy(value) if value else None, **kwargs)
        # A realisation sent without its kind of number is an exact one (the model's default).
        self.fields["realised_comparator"].required = False
        # The number is in the indicator's unit ("%-punt t.o.v. CAO-index"): say so at it.
        unit = value.indicator.unit.strip() if value else ""
        if unit:
            field = self.fields["realised"]
            field.help_text = f"In {unit}, zoals het doel. {field.help_text}"

    @classmethod
    def for_value(cls, value: IndicatorValue) -> "IndicatorRealisationForm":
        return cls(value=value, initial={"version": value.version})

    def clean_realised_comparator(self):
        return self.cleaned_data.get("realised_comparator") or Comparator.EXACT

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "realised_comparator": data["realised_comparator"],
            "realised": data.get("realised"),
            "realised_note": data.get("realised_note", ""),
            "version": data["version"],
        }
