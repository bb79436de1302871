from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from agreements.models import Jaarschijf, Theme
from core.forms import DataEntryModelForm
from core.validators import NoControlCharactersFormMixin

from .importer import WorkbookError, check_archive, read_upload
from .models import Approval, TenantView, format_bytes

XLSX_TYPES = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    workbook = forms.FileField(
        label="Werkmap (.xlsx)",
        help_text="Het ingevulde sjabloon, of de evaluatiewerkmap met de bladen Projecten en "
        "EFG-labels. U ziet eerst wat er verandert; er wordt nog niets opgeslagen.",
        error_messages={
            "required": "Kies het bestand dat u wilt importeren.",
            "empty": "Het gekozen bestand is leeg.",
            "invalid": "Kies een bestand.",
        },
        widget=forms.FileInput(attrs={"accept": XLSX_TYPES}),
    )

    def clean_workbook(self):
        """The file's bytes, once size and zip structure are known to be safe to open."""
        upload = self.cleaned_data["workbook"]
        try:
            data = read_upload(upload)
            check_archive(data)
        except WorkbookError as exc:
            raise ValidationError([p.message for p in exc.problems]) from None
        self.filename = upload.name
        return data


class NextJaarschijfForm(NoControlCharactersFormMixin, forms.Form):
    title = forms.CharField(
        label="Titel van de nieuwe jaarschijf",
        max_length=200,
        help_text="De titel of het motto; u kunt hem later nog wijzigen.",
        error_messages={"required": "Vul een titel in."},
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Nieuwe status",
        error_messages={"invalid_choice": "Deze status kan nu niet worden gekozen."},
    )

    def __init__(self, *args, transitions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = list(transitions)


def year_field(label: str, *, placeholder: str) -> forms.IntegerField:
    """An optional four-digit year a jaarschijf may have, typed in a number field."""
    message = (
        f"Vul een jaar in tussen {Jaarschijf.FIRST_YEAR} en {Jaarschijf.LAST_YEAR}, "
        "bijvoorbeeld 2024."
    )
    return forms.IntegerField(
        label=label,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
        required=False,
        min_value=Jaarschijf.FIRST_YEAR,
        max_value=Jaarschijf.LAST_YEAR,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": placeholder}),
    )


class CompareForm(forms.Form):
    """Which jaarschijven to put side by side: a range of years (GET), both ends optional.

    The years are typed, not picked from a list: a list of every jaarschijf would grow with
    their number. The page shows the range a page at a time, the newest first.
    """

    van = year_field("Van jaarschijf", placeholder="eerste")
    tot = year_field("Tot en met jaarschijf", placeholder="laatste")

    def clean(self):
        data = super().clean()
        start, end = data.get("van"), data.get("tot")
        if start and end and start > end:
            raise ValidationError("Het beginjaar ligt na het eindjaar.")
        return data

    @property
    def has_selection(self) -> bool:
        return bool(
            self.is_bound
            and self.is_valid()
            and (self.cleaned_data.get("van") or self.cleaned_data.get("tot"))
        )

    def filter(self, jaarschijven):
        """The jaarschijven in the chosen range (all of them without a valid choice)."""
        if not self.has_selection:
            return jaarschijven
        start, end = self.cleaned_data.get("van"), self.cleaned_data.get("tot")
        if start:
            jaarschijven = jaarschijven.filter(year__gte=start)
        if end:
            jaarschijven = jaarschijven.filter(year__lte=end)
        return jaarschijven


LENGTH_MESSAGE = {"max_length": "Gebruik hoogstens %(limit_value)d tekens."}


def without_blank_choice(field) -> None:
    """A choice that must always be made: no empty "---------" radio button."""
    field.choices = [(value, label) for value, label in field.choices if value != ""]


class DecisionForm(DataEntryModelForm):
    """A signing party's decision on the evaluation (vaststelling): the fields of Approval,
    whose ``clean`` asks the reason of a "niet akkoord"."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Approval
        fields = ["decision", "reason", "signer_name", "signer_function"]
        labels = {
            "decision": "Besluit",
            "reason": "Reden (bij niet akkoord)",
            "signer_name": "Naam van wie namens de partij besluit",
            "signer_function": "Functie waarin hij of zij ondertekent",
        }
        widgets = {"decision": forms.RadioSelect, "reason": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "decision": {
                "required": "Kies akkoord of niet akkoord.",
                "invalid_choice": "Kies akkoord of niet akkoord.",
            },
            "reason": LENGTH_MESSAGE,
            "signer_name": {"required": "Vul de naam in van wie namens uw partij besluit."},
            "signer_function": {"required": "Vul de functie in waarin wordt ondertekend."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        without_blank_choice(self.fields["decision"])


class TenantViewForm(DataEntryModelForm):
    """A tenant organisation's view on the evaluation, overall or on one theme: the fields of
    TenantView (the attachment's PDF check is the model's)."""

    remove_attachment = forms.BooleanField(label="Bestaande bijlage verwijderen", required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = TenantView
        fields = ["theme", "text", "attachment"]
        labels = {
            "theme": "Onderwerp",
            "text": "Zienswijze",
            "attachment": "Bijlage (PDF, optioneel)",
        }
        widgets = {
            "text": forms.Textarea(attrs={"rows": 10}),
            "attachment": forms.FileInput(attrs={"accept": ".pdf,application/pdf"}),
        }
        error_messages = {
            "theme": {"invalid_choice": "Kies een thema uit de lijst."},
            "text": {
                "required": "Schrijf de zienswijze van uw organisatie.",
                **LENGTH_MESSAGE,
            },
            "attachment": {"empty": "Het gekozen bestand is leeg.", "invalid": "Kies een bestand."},
        }

    def __init__(self, *args, jaarschijf, **kwargs):
        super().__init__(*args, **kwargs)
        theme = self.fields["theme"]
        theme.queryset = Theme.objects.filter(jaarschijf=jaarschijf)
        theme.empty_label = "De evaluatie als geheel"
        self.fields["attachment"].help_text = (
            f"Alleen PDF, tot {format_bytes(settings.ATTACHMENT_MAX_BYTES)}. Alleen zichtbaar "
            "voor wie is ingelogd."
        )
