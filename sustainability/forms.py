"""The entry form of realised EFG numbers: one row per year of one corporation."""

from django import forms

from core.forms import HiddenFieldErrorsMixin

MAX_LABELS = 99_999


class LabelRealisationForm(HiddenFieldErrorsMixin, forms.Form):
    figure_id = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    realised = forms.IntegerField(
        label="Realisatie (EFG-labels)",
        required=False,
        min_value=0,
        max_value=MAX_LABELS,
        error_messages={
            "invalid": "Vul een heel aantal woningen in, zonder punt of komma.",
            "min_value": "Het aantal woningen kan niet negatief zijn.",
            "max_value": "Dat zijn meer woningen dan een corporatie hier heeft; controleer het aantal.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


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
