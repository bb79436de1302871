"""Forms of the cycle: milestones, rounds, deliverables, reminder preferences (Dutch messages)."""

from django import forms
from django.core.exceptions import ValidationError

from agreements.evidence import validate_evidence
from agreements.forms import WebAddressField
from agreements.models import Indicator, Party
from core.formats import nl_date
from core.forms import TEXT_MAX, HiddenFieldErrorsMixin

from .models import (
    DuePrecision,
    Milestone,
    ReportingRound,
    RoundItem,
    RoundItemKind,
    Submission,
    today,
)


def length_of(model, name: str) -> int:
    """A text field's limit is the model's (these plain forms feed services that call
    ``full_clean``): one number, so the form and the model cannot drift apart."""
    return model._meta.get_field(name).max_length


DATE_MESSAGES = {
    "required": "Vul een datum in als 15-11-2024.",
    "invalid": "Vul een bestaande datum in als 15-11-2024 (dag-maand-jaar).",
}


def date_field(label, **kwargs):
    return forms.DateField(
        label=label,
        input_formats=["%d-%m-%Y", "%Y-%m-%d"],
        error_messages=DATE_MESSAGES,
        widget=forms.DateInput(format="%d-%m-%Y", attrs={"placeholder": "dd-mm-jjjj"}),
        **kwargs,
    )


class DueFields(forms.Form):
    due_date = date_field(
        "Uiterste datum",
        help_text="Bij een kwartaal, maand of jaar: de laatste dag daarvan (Q1 2024: 31-03-2024).",
    )
    due_precision = forms.ChoiceField(
        label="Precisie",
        choices=DuePrecision.choices,
        error_messages={"required": "Kies hoe precies de termijn is afgesproken."},
    )
    due_text = forms.CharField(
        label="Termijn zoals afgesproken",
        max_length=length_of(Milestone, "due_text"),
        help_text="Bijvoorbeeld ‘in het eerste kwartaal van 2024’.",
        error_messages={"required": "Schrijf de termijn zoals afgesproken."},
    )


class MilestoneForm(DueFields):
    description = forms.CharField(
        label="Wat",
        max_length=length_of(Milestone, "description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Beschrijf wat er op die datum klaar moet zijn."},
    )
    responsible = forms.ModelChoiceField(
        label="Verantwoordelijk",
        queryset=Party.objects.all(),
        error_messages={
            "required": "Kies de partij die verantwoordelijk is.",
            "invalid_choice": "Kies een partij uit de lijst.",
        },
    )

    field_order = ["description", "due_date", "due_precision", "due_text", "responsible"]


class MoveMilestoneForm(HiddenFieldErrorsMixin, DueFields):
    reason = forms.CharField(
        label="Reden van verschuiven",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Schrijf waarom de mijlpaal verschuift; dat blijft bewaard."},
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class CloseMilestoneForm(HiddenFieldErrorsMixin, forms.Form):
    """Done on a day the user names (not the day it is recorded), with an optional note;
    or, with ``reopen``, open again."""

    done_on = date_field(
        "Afgerond op",
        required=False,
        help_text="De dag waarop de mijlpaal is gehaald, ook als u dat nu pas vastlegt.",
    )
    note = forms.CharField(
        label="Toelichting (niet verplicht)",
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "Bijvoorbeeld waar het resultaat te vinden is; dit staat bij de mijlpaal zolang "
            "die afgerond is, en blijft in de geschiedenis."
        ),
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    reopen = forms.BooleanField(required=False, widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if not data.get("reopen") and not data.get("done_on") and "done_on" not in self.errors:
            self.add_error("done_on", DATE_MESSAGES["required"])
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        if data["reopen"]:
            return {"version": data["version"], "reopen": True}
        return {"version": data["version"], "done_on": data["done_on"], "note": data["note"]}


class RoundForm(forms.Form):
    name = forms.CharField(
        label="Naam",
        max_length=length_of(ReportingRound, "name"),
        help_text="Bijvoorbeeld ‘Voortgangsrapportage 1e halfjaar 2024’.",
        error_messages={"required": "Geef de ronde een naam."},
    )
    period_start = date_field("Periode van")
    period_end = date_field("Periode tot en met")
    deadline = date_field("Uiterste aanleverdatum")
    # Shown only once the deadline has been refused for lying in the past (see ``clean``).
    past_deadline_accepted = forms.BooleanField(
        label="Toch openen met een verstreken aanleverdatum",
        required=False,
        widget=forms.HiddenInput,
    )
    open_actions = forms.BooleanField(
        label=RoundItemKind.OPEN_ACTIONS.label, required=False, initial=True
    )
    efg = forms.BooleanField(label=RoundItemKind.EFG.label, required=False)
    indicators = forms.ModelMultipleChoiceField(
        label="Realisatie van kengetallen",
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deliverable = forms.CharField(
        label="Aan te leveren stuk of cijfers",
        max_length=length_of(RoundItem, "label"),
        required=False,
        help_text="Bijvoorbeeld ‘Cijfers vastgoedvoorraad en ontwikkeling (6.5)’.",
    )
    deliverable_party = forms.ModelChoiceField(
        label="Aan te leveren door",
        queryset=Party.objects.all(),
        required=False,
        empty_label="Kies een partij",
        help_text="Een collectief (zoals Woningcorporaties): elk lid levert aan.",
    )

    def __init__(self, *args, jaarschijf, **kwargs):
        super().__init__(*args, **kwargs)
        # In the order of the document: by action number (4.5 before 4.8 before 5.11).
        self.fields["indicators"].queryset = (
            Indicator.objects.filter(jaarschijf=jaarschijf)
            .select_related("action")
            .order_by("action__number_major", "action__number_minor", "sort_order", "pk")
        )
        self.fields["indicators"].label_from_instance = lambda i: f"{i.action.number} {i.name}"
        self.init_kwargs = {"jaarschijf": jaarschijf}

    def clean(self):
        # The round's rules (its period, "a round asks something") are the model's and the
        # service's (cycle.services.open_round); this only pairs the two deliverable fields
        # into one item.
        cleaned = super().clean()
        deadline = cleaned.get("deadline")
        if deadline and deadline < today() and not cleaned.get("past_deadline_accepted"):
            # Allowed (a round recorded afterwards), but never by accident: the parties can
            # then deliver until the round is closed, and its report is the state at closing.
            self.add_error(
                "deadline",
                f"Deze datum is al voorbij (vandaag is {nl_date(today())}). Partijen kunnen dan "
                "aanleveren tot u de ronde sluit, en het rapport legt de stand vast bij het "
                "sluiten. Kies een latere datum, of vink hieronder aan dat u de ronde toch zo "
                "opent.",
            )
            self.fields["past_deadline_accepted"].widget = forms.CheckboxInput()
        if "deliverable_party" in self.errors:
            return cleaned  # a party not in the list: that message says it
        if bool(cleaned.get("deliverable", "").strip()) != bool(cleaned.get("deliverable_party")):
            self.add_error(
                "deliverable_party" if cleaned.get("deliverable") else "deliverable",
                "Vul bij een aan te leveren stuk zowel de omschrijving als de partij in.",
            )
        return cleaned

    def items(self) -> list[dict]:
        data = self.cleaned_data
        items = []
        if data.get("open_actions"):
            items.append({"kind": RoundItemKind.OPEN_ACTIONS})
        for indicator in data.get("indicators") or []:
            items.append({"kind": RoundItemKind.INDICATOR, "indicator": indicator})
        if data.get("efg"):
            items.append({"kind": RoundItemKind.EFG})
        if data.get("deliverable"):
            items.append(
                {
                    "kind": RoundItemKind.DELIVERABLE,
                    "label": data["deliverable"].strip(),
                    "party": data["deliverable_party"],
                }
            )
        return items


class CloseRoundForm(HiddenFieldErrorsMixin, forms.Form):
    """Closing cannot be undone: the form asks to confirm it, and says at the checkbox what is
    still missing and whether the deadline is still to come."""

    confirmed = forms.BooleanField(
        label="Ik wil deze ronde sluiten",
        error_messages={
            "required": "Vink aan dat u de ronde sluit; zonder dat blijft zij open.",
        },
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, reporting_round=None, asked=0, delivered=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.init_kwargs = {
            "reporting_round": reporting_round,
            "asked": asked,
            "delivered": delivered,
        }
        parts = ["Daarna kan niemand meer aanleveren en ligt het rapport vast"]
        if asked > delivered:
            parts.append(f"{asked - delivered} van de {asked} onderdelen zijn niet aangeleverd")
        if reporting_round is not None and not reporting_round.deadline_passed:
            parts.append(
                f"de uiterste aanleverdatum ({nl_date(reporting_round.deadline)}) is nog niet "
                "voorbij"
            )
        self.fields["confirmed"].help_text = "; ".join(parts) + "."


class SubmissionForm(forms.Form):
    """An answer to a deliverable item. "Figures, an explanation or a file" is the model's rule
    (Submission.clean()); the service puts its refusal at the text field."""

    text = forms.CharField(
        label="Cijfers of toelichting",
        max_length=length_of(Submission, "text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    evidence_url = WebAddressField(
        label="Link naar het bestand",
        required=False,
        max_length=length_of(Submission, "evidence_url"),
        help_text="Optioneel: waar het bestand staat (bijvoorbeeld de Woonatlas of SharePoint).",
    )
    file = forms.FileField(
        label="Bestand",
        required=False,
        help_text="Optioneel: PDF, Office-document of afbeelding (PNG, JPEG, GIF), hoogstens "
        "10 MB. Alleen het kernteam en uw eigen partij kunnen het downloaden.",
        error_messages={"invalid": "Kies een bestand.", "empty": "Dit bestand is leeg."},
    )

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded:
            try:
                validate_evidence(uploaded)
            except ValidationError as error:
                raise ValidationError(f"{uploaded.name}: {error.messages[0]}") from error
        return uploaded


class ReminderPreferencesForm(forms.Form):
    remind_milestones = forms.BooleanField(
        label="E-mail over mijlpalen die binnen twee weken vallen of te laat zijn", required=False
    )
    remind_rounds = forms.BooleanField(
        label="E-mail over wat een open rapportageronde nog van mijn partij vraagt", required=False
    )
