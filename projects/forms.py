"""The form that keeps a project's status and figures current.

A model form over the tracking fields (projects.services.TRACKING_FIELDS): types, choices and
limits are the model's, and so are the rules ("een kwartaal vraagt een jaar", "vervallen vraagt
een toelichting", the range of the expected year: Project.clean() and its constraints), so the
form, the import, the admin and the API refuse the same values with the same Dutch message; the
form adds the labels and help a person needs.
"""

import copy

from django import forms

from core.forms import DataEntryModelForm, DutchIntegerField

from .models import MIN_EXPECTED_YEAR, Project
from .services import TRACKING_FIELDS


class ProjectUpdateForm(DataEntryModelForm):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    class Meta:
        model = Project
        fields = TRACKING_FIELDS
        labels = {
            "status": "Status",
            "realised_dwellings": "Gerealiseerde woningen",
            "expected_year": "Verwachte oplevering: jaar",
            "expected_quarter": "Verwachte oplevering: kwartaal",
            "explanation": "Toelichting",
        }
        help_texts = {
            "realised_dwellings": "Het aantal woningen dat al is opgeleverd (of gesloopt, "
            "verkocht, …). Leeg = nog niet bekend.",
            "expected_year": "Bijvoorbeeld 2025. Leeg = nog niet bekend.",
            "explanation": "Verplicht als het project vervalt; verder bijvoorbeeld waarom de "
            "planning verschuift.",
        }
        # Typed as the pages print it ("1.581"): a text field, not the browser's number field
        # (which reads "1.581" as one and a half).
        field_classes = {"realised_dwellings": DutchIntegerField}
        widgets = {
            "realised_dwellings": forms.TextInput(attrs={"inputmode": "numeric"}),
            "expected_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "explanation": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "status": {
                "required": "Kies de status van het project.",
                "invalid_choice": "Kies een van de statussen uit de lijst.",
            },
            "realised_dwellings": {
                "invalid": "Vul een heel aantal woningen in, zonder komma; punten tussen de "
                "duizendtallen mogen (1.500).",
                "min_value": "Het aantal woningen kan niet negatief zijn.",
            },
            "expected_year": {
                "invalid": "Vul een jaartal in van vier cijfers, bijvoorbeeld 2025.",
            },
            "expected_quarter": {"invalid_choice": "Kies een kwartaal: Q1, Q2, Q3 of Q4."},
        }

    def __init__(self, *args, project: Project, **kwargs):
        self.init_kwargs = {"project": project}
        self.project = project
        # The form checks a copy: the page keeps showing the stored project beside the
        # refused input.
        super().__init__(*args, instance=copy.copy(project), **kwargs)
        # The model's range (Project.clean()), told to the browser too.
        self.fields["expected_year"].widget.attrs.update(
            {"min": MIN_EXPECTED_YEAR, "max": project.latest_expected_year()}
        )
        quarter = self.fields["expected_quarter"]
        quarter.choices = [("", "Nog niet bekend"), *quarter.choices[1:]]

    @classmethod
    def for_project(cls, project: Project) -> "ProjectUpdateForm":
        return cls(project=project, initial={"version": project.version})

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
