from django import forms
from django.core.exceptions import ValidationError

from core.validators import NoControlCharactersFormMixin

from .importer import WorkbookError, check_archive, read_upload

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


class CompareForm(forms.Form):
    """Which jaarschijven to put side by side: a range of years (GET)."""

    #: Without a choice, the most recent jaarschijven, as many as fit a screen.
    DEFAULT_YEARS = 5

    van = forms.TypedChoiceField(label="Van jaarschijf", coerce=int, required=False)
    tot = forms.TypedChoiceField(label="Tot en met jaarschijf", coerce=int, required=False)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(year, str(year)) for year in sorted(years)]
        self.fields["van"].choices = [("", "(eerste)"), *choices]
        self.fields["tot"].choices = [("", "(laatste)"), *choices]
        for name in ("van", "tot"):
            self.fields[name].error_messages["invalid_choice"] = "Kies een jaar uit de lijst."
        self.years = sorted(years)

    def clean(self):
        data = super().clean()
        start, end = data.get("van"), data.get("tot")
        if start and end and start > end:
            raise ValidationError("Het beginjaar ligt na het eindjaar.")
        return data

    def selected_years(self) -> list[int]:
        if (
            not self.is_bound
            or not self.is_valid()
            or not (self.cleaned_data.get("van") or self.cleaned_data.get("tot"))
        ):
            return self.years[-self.DEFAULT_YEARS :]
        start = self.cleaned_data.get("van") or self.years[0]
        end = self.cleaned_data.get("tot") or self.years[-1]
        return [year for year in self.years if start <= year <= end]
