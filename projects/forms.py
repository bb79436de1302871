"""The form that keeps a project's status and figures current."""

from django import forms

from core.forms import TEXT_MAX, HiddenFieldErrorsMixin

from .models import Project

#: How far ahead an expected completion may lie; later than this is a typing error, not a plan.
MAX_YEARS_AHEAD = 30
MIN_EXPECTED_YEAR = 2000
MAX_DWELLINGS = 99_999

QUARTER_CHOICES = [("", "Nog niet bekend"), (1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")]


class ProjectUpdateForm(HiddenFieldErrorsMixin, forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=Project.Status.choices,
        error_messages={
            "required": "Kies de status van het project.",
            "invalid_choice": "Kies een van de statussen uit de lijst.",
        },
    )
    realised_dwellings = forms.IntegerField(
        label="Gerealiseerde woningen",
        required=False,
        min_value=0,
        max_value=MAX_DWELLINGS,
        help_text="Het aantal woningen dat al is opgeleverd (of gesloopt, verkocht, …). "
        "Leeg = nog niet bekend.",
        error_messages={
            "invalid": "Vul een heel aantal woningen in, zonder punt of komma.",
            "min_value": "Het aantal woningen kan niet negatief zijn.",
            "max_value": "Dat zijn meer woningen dan een project kan hebben; controleer het aantal.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    expected_year = forms.IntegerField(
        label="Verwachte oplevering: jaar",
        required=False,
        help_text="Bijvoorbeeld 2025. Leeg = nog niet bekend.",
        error_messages={"invalid": "Vul een jaartal in van vier cijfers, bijvoorbeeld 2025."},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    expected_quarter = forms.TypedChoiceField(
        label="Verwachte oplevering: kwartaal",
        required=False,
        choices=QUARTER_CHOICES,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Kies een kwartaal: Q1, Q2, Q3 of Q4."},
    )
    explanation = forms.CharField(
        label="Toelichting",
        required=False,
        max_length=TEXT_MAX,
        help_text="Verplicht als het project vervalt; verder bijvoorbeeld waarom de planning "
        "verschuift.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, project: Project, **kwargs):
        self.init_kwargs = {"project": project}
        self.project = project
        super().__init__(*args, **kwargs)
        self.max_year = project.jaarschijf.year + MAX_YEARS_AHEAD
        self.fields["expected_year"].widget.attrs.update(
            {"min": MIN_EXPECTED_YEAR, "max": self.max_year}
        )

    @classmethod
    def for_project(cls, project: Project) -> "ProjectUpdateForm":
        return cls(
            project=project,
            initial={
                "status": project.status,
                "realised_dwellings": project.realised_dwellings,
                "expected_year": project.expected_year,
                "expected_quarter": project.expected_quarter,
                "explanation": project.explanation,
                "version": project.version,
            },
        )

    def clean_expected_year(self):
        year = self.cleaned_data.get("expected_year")
        if year is not None and not MIN_EXPECTED_YEAR <= year <= self.max_year:
            raise forms.ValidationError(
                "Vul een jaar in tussen %(min)s en %(max)s.",
                code="out_of_range",
                params={"min": MIN_EXPECTED_YEAR, "max": self.max_year},
            )
        return year

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("expected_quarter") and not cleaned.get("expected_year"):
            if "expected_year" not in self.errors:
                self.add_error(
                    "expected_year", "Vul ook het jaar in bij het kwartaal van de oplevering."
                )
        if (
            cleaned.get("status") == Project.Status.VERVALLEN
            and not cleaned.get("explanation", "").strip()
        ):
            self.add_error("explanation", "Licht toe waarom het project vervalt.")
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "version": data["version"],
            "status": data["status"],
            "realised_dwellings": data.get("realised_dwellings"),
            "expected_year": data.get("expected_year"),
            "expected_quarter": data.get("expected_quarter"),
            "explanation": data.get("explanation", ""),
        }
