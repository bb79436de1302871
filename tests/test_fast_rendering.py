"""What the pages write in Python instead of through templates is the same markup."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.urls import reverse, set_script_prefix
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from core.forms import NLDSFormRenderer
from core.links import reverse_cached
from core.tables import escape_cell


class EveryInput(forms.Form):
    text = forms.CharField(max_length=10, help_text="Uitleg", initial='<"&>')
    number = forms.IntegerField(min_value=1)
    checkbox = forms.BooleanField(required=False, initial=True)
    date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date", "data-none": None, "aria-flag": True})
    )
    hidden = forms.EmailField(widget=forms.HiddenInput)
    file = forms.FileField()
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"disabled": False}))


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"text": "<b>'x'</b>", "number": "zz", "checkbox": "on", "date": "2024-01-01"},
        {"hidden": "a@b.nl", "password": "geheim", "email": "x@y"},
    ],
)
def test_an_input_is_written_exactly_as_djangos_widget_templates_write_it(data):
    form = EveryInput(data)
    for field in form:
        attrs = field.build_widget_attrs({"id": field.auto_id})
        widget = field.field.widget
        ours = widget.render(field.html_name, field.value(), attrs, renderer=NLDSFormRenderer())
        django = widget.render(field.html_name, field.value(), attrs, renderer=DjangoTemplates())
        assert ours == django


def test_a_cached_link_follows_the_script_prefix_the_site_is_mounted_under():
    try:
        set_script_prefix("/prestatieafspraken/")
        mounted = reverse_cached("agreements:action-detail", (2024, "1.7"))
        assert mounted == reverse("agreements:action-detail", args=[2024, "1.7"])
        assert mounted.startswith("/prestatieafspraken/")
    finally:
        set_script_prefix("/")
    assert reverse_cached("agreements:action-detail", (2024, "1.7")) == "/afspraken/2024/1.7/"


@pytest.mark.parametrize(
    "value",
    [
        "<b>'Woningen' & \"meer\"</b>",
        mark_safe("<strong>veilig</strong>"),
        1234,
        None,
        gettext_lazy("Ja"),
    ],
)
def test_a_table_cell_is_escaped_as_django_escapes_it(value):
    assert escape_cell(value) == conditional_escape(value)
