"""The entry form of realised EFG numbers: one row per year of one corporation."""

from django import forms

from core.forms import DataEntryModelForm, DutchIntegerField

from .models import EnergyLabelFigure


class LabelRealisationForm(DataEntryModelForm):
    """One year's realisation; its type and limit (and the Dutch message above the limit) are
    the model's. The service locks and saves the figure named by ``figure_id``."""

    figure_id = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    class Meta:
        model = EnergyLabelFigure
        fields = ["realised"]
        labels = {"realised": "Realisatie (EFG-labels)"}
        # Typed as the pages print it ("1.581"): a text field, not the browser's number field.
        field_classes = {"realised": DutchIntegerField}
        widgets = {"realised": forms.TextInput(attrs={"inputmode": "numeric"})}
        error_messages = {
            "realised": {
                "invalid": "Vul een heel aantal woningen in, zonder komma; punten tussen de "
                "duizendtallen mogen (1.500).",
                "min_value": "Het aantal woningen kan niet negatief zijn.",
            }
        }


class BaseLabelRealisationFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        ids = [form.cleaned_data.get("figure_id") for form in self.forms if form.cleaned_data]
        if len(ids) != len(set(ids)):
            raise forms.ValidationError(
                "Het formulier bevat een jaar twee keer. Open het opnieuw.", code="duplicate"
            )


LabelRealisationFormSet = forms.formset_factory(
    LabelRealisationForm,
    formset=BaseLabelRealisationFormSet,
    extra=0,
    max_num=50,
    validate_max=True,
    absolute_max=50,
)
