"""What the pages write in Python instead of through templates is the same markup."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.utils import flatatt
from django.template import Context, Template
from django.urls import reverse, set_script_prefix
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from core.figures import Total
from core.filters import FastSelect, flat_attributes
from core.formats import escape_html, format_nl, nl_number
from core.forms import NLDSFormRenderer
from core.links import reverse_cached
from overview.sustainability_views import EfgCell, EfgRow, EfgTotal, EfgTrajectory


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
    assert escape_html(value) == conditional_escape(value)


@pytest.mark.parametrize(
    "attrs",
    [
        {},
        {"value": "", "selected": True},
        {"name": "status", "id": "id_status", "class": "utrecht-select", "required": True},
        {"value": 7, "disabled": False, "data-x": None, "aria-label": "<\"&> 'x'"},
        {"b": True, "a": True, "z": "1", "c": gettext_lazy("Ja")},
    ],
)
def test_attributes_are_written_as_djangos_flatatt_writes_them(attrs):
    assert flat_attributes(attrs) == flatatt(attrs)


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items = []

    def handle_starttag(self, tag, attrs):
        self.items.append((tag, sorted(attrs, key=lambda pair: pair[0])))

    def handle_endtag(self, tag):
        self.items.append(("/" + tag,))

    def handle_data(self, data):
        if data.strip():
            self.items.append(("text", data))


def markup_elements(markup: str) -> list:
    """Tags with their attributes (in name order) and text, without the whitespace between."""
    parser = _Elements()
    parser.feed(markup)
    return parser.items


@pytest.mark.parametrize("value", [None, "", "vertraagd", ["afgerond"], "<b>"])
def test_a_filter_select_writes_the_options_django_writes_and_selects_the_same_one(value):
    choices = [("", "Alle"), ("vertraagd", "Vertraagd <&>"), ("afgerond", gettext_lazy("Ja"))]
    ours = FastSelect(choices=choices, attrs={"class": "utrecht-select"})
    django = forms.Select(choices=choices, attrs={"class": "utrecht-select"})
    attrs = {"id": "id_status", "aria-describedby": "uitleg"}
    written = ours.render("status", value, attrs)
    expected = django.render("status", value, attrs, renderer=DjangoTemplates())
    # Django's template puts line breaks between the tags and keeps the attributes in the
    # widget's order; ours are sorted, as flatatt sorts them: the same elements.
    assert markup_elements(written) == markup_elements(expected)
    assert written.count(" selected") == (0 if value == "<b>" else 1)


@pytest.mark.parametrize("value", [0, 7, -7, 999, 1000, -1581, 1234567, 10**15])
def test_a_count_is_written_with_the_same_dots_as_any_other_number(value):

    assert nl_number(value) == format_nl(Decimal(value), 0)
    assert nl_number(value, 1) == format_nl(Decimal(value), 1)  # decimals asked: not the count path
    assert nl_number(True) == nl_number(None)  # a yes/no is no number


#: The cells of templates/overview/_efg_table.html as the template wrote them before
#: EfgRow.cells_html and EfgTrajectory.total_cells_html (whitespace between cells aside).
EFG_CELLS_TEMPLATE = (
    "{% load ui %}{% for cell in row.cells %}"
    '<td class="heerlen-num">{% if cell.target is None %}t.b.<span class="visually-hidden"> '
    "(nog te bepalen, onbekend)</span>{% else %}{{ cell.target|nl_number }}{% endif %}</td>"
    '<td class="heerlen-num">{{ cell.realised|nl_number }}{% if cell.on_track is False %} '
    '<span class="heerlen-muted">(boven doel)</span>{% endif %}</td>{% endfor %}'
)
EFG_TOTALS_TEMPLATE = (
    "{% load ui %}{% for total in efg.totals %}"
    '<td class="heerlen-num">{% if not total.target.any_known %}t.b.{% else %}'
    "{{ total.target.value|nl_number }}{% endif %}{% if not total.target.complete %} "
    '<span class="heerlen-completeness">({{ total.target_completeness }})</span>{% endif %}</td>'
    '<td class="heerlen-num">{{ total.realised.value|nl_number }}{% if total.realised.any_known '
    "and not total.realised.complete %} "
    '<span class="heerlen-completeness">({{ total.realised_completeness }})</span>{% endif %}'
    "</td>{% endfor %}"
)


def test_the_efg_cells_are_written_as_the_template_wrote_them():
    row = EfgRow(
        corporation=None,
        cells=[
            EfgCell(2023, 1581, None, is_stand=True),
            EfgCell(2024, None, 12),  # target t.b.: unknown, never 0
            EfgCell(2025, 10, 12),  # above target
            EfgCell(2026, 0, 0),
        ],
    )
    totals = [
        EfgTotal(2024, False, Total(None, 0, 5), Total(None, 0, 5), Total.empty(), []),
        EfgTotal(2025, False, Total(1200, 4, 5), Total(30, 2, 5), Total(20, 2, 2), []),
        EfgTotal(2026, False, Total(0, 5, 5), Total(1234, 5, 5), Total(0, 5, 5), []),
    ]
    efg = EfgTrajectory(years=[2024, 2025, 2026], rows=[row], totals=totals)
    assert row.cells_html() == Template(EFG_CELLS_TEMPLATE).render(Context({"row": row}))
    assert efg.total_cells_html() == Template(EFG_TOTALS_TEMPLATE).render(Context({"efg": efg}))
    assert "t.b." in row.cells_html() and "(boven doel)" in row.cells_html()
    assert "(4 van 5 bekend)" in efg.total_cells_html()


class EveryFieldState(forms.Form):
    name = forms.CharField(max_length=5, help_text="Uitleg met <em>opmaak</em>")
    optional = forms.CharField(required=False, label="Vrij <veld>")
    unlabelled = forms.CharField(required=False, label="")
    count = forms.IntegerField(required=False, min_value=1)
    agree = forms.BooleanField(help_text="Vink aan")
    maybe = forms.BooleanField(required=False)
    choice = forms.ChoiceField(choices=[("a", "A & B"), ("b", "<b>")], required=False)
    note = forms.CharField(required=False, widget=forms.Textarea)
    secret = forms.CharField(required=False, widget=forms.HiddenInput)


@pytest.mark.parametrize(
    "data",
    [None, {"name": "te lang <x>", "count": "nul", "choice": "zz"}, {"name": "ok", "agree": "on"}],
)
@pytest.mark.parametrize("auto_id", ["id_%s", False])
def test_a_field_is_written_exactly_as_the_field_template_writes_it(data, auto_id):
    from core.field_markup import WRITTEN_KINDS, render_field
    from core.templatetags.ui import field_kind

    form = EveryFieldState(data, auto_id=auto_id)
    template = NLDSFormRenderer().get_template("forms/field.html")
    for field in form:
        assert field_kind(field) in WRITTEN_KINDS
        assert render_field(field) == template.render({"field": field}).strip(), field.name
        assert field.as_field_group() == render_field(field)  # what the renderer writes


#: The loop of cycle/_milestone_table.html before its rows were written in Python.
MILESTONE_LOOP = """{% load ui l10n %}
    {% for m in milestones %}
      <tr>
        <th scope="row" class="heerlen-cell-prose">{{ m.short_description|dates_whole }}</th>
        {% if show_jaarschijf %}<td data-label="Jaarschijf">{{ m.jaarschijf.year|unlocalize }}</td>{% endif %}
        <td class="heerlen-nowrap" data-label="Uiterlijk">{{ m.due_date|nl_date }}</td>
        <td data-label="Termijn zoals afgesproken">{{ m.due_text }}</td>
        {% if not hide_action %}<td data-label="Afspraak">{% if m.action %}<a class="utrecht-link utrecht-link--html-a" href="{{ m.action.get_absolute_url }}">{{ m.action.number }}</a>{% else %}<span class="heerlen-muted">Jaarschijf</span>{% endif %}</td>{% endif %}
        <td data-label="Verantwoordelijk">{{ m.responsible_label }}</td>
        <td data-label="Stand">{% if m.is_done %}<span>Afgerond op <span class="heerlen-nowrap">{{ m.done_on|nl_date }}</span>{% if m.done_by and user.is_authenticated %} door {{ m.done_by|person }}{% endif %}{% if m.done_note %}<br><span class="heerlen-muted">{{ m.done_note }}</span>{% endif %}</span>{% elif m.due_date < today %}<strong class="heerlen-late">Te laat</strong>{% else %}Open{% endif %}</td>
        {% if user.is_authenticated and user.can_write %}<td data-label="" class="heerlen-row-actions">{% if m.can_edit or m.pk in editable %}
          <a class="utrecht-link utrecht-link--html-a" href="{{ m.move_url }}">Verschuiven<span class="visually-hidden">: {{ m.short_description }}</span></a>
          {% if m.is_done %}<form method="post" action="{{ m.close_url }}" class="heerlen-inline-form">{% csrf_token %}<input type="hidden" name="version" value="{{ m.version|unlocalize }}"><input type="hidden" name="reopen" value="on"><input type="hidden" name="next" value="{{ request.get_full_path }}"><button class="utrecht-button utrecht-button--subtle" type="submit">Heropenen<span class="visually-hidden">: {{ m.short_description }}</span></button></form>{% else %}<a class="utrecht-link utrecht-link--html-a" href="{{ m.close_url }}?next={{ request.get_full_path|urlencode:'' }}">Afronden<span class="visually-hidden">: {{ m.short_description }}</span></a>{% endif %}
        {% endif %}</td>{% endif %}
      </tr>
    {% endfor %}"""


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["kernteamlid", "huurder", "bezoeker"])
@pytest.mark.parametrize("layout", [{}, {"show_jaarschijf": True}, {"hide_action": True}])
def test_the_milestone_rows_are_written_as_the_table_template_wrote_them(
    request, jaarschijf, who, layout
):
    import re
    from datetime import timedelta

    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from cycle.models import Milestone, today

    user = AnonymousUser() if who == "bezoeker" else request.getfixturevalue(who)
    rows = Milestone.objects.select_related("action__jaarschijf", "responsible", "jaarschijf")
    milestones = [
        *rows.filter(action__isnull=False).order_by("pk")[:4],
        *rows.filter(action__isnull=True).order_by("pk")[:2],  # of the jaarschijf as a whole
    ]
    assert len(milestones) == 6
    milestones[0].description = "Plan <b>'x'</b> & co per 01-07-2024 " + "lang " * 40
    milestones[1].done_on = milestones[1].due_date
    milestones[1].done_note = "Vastgesteld <door> B&W"
    milestones[1].done_by = None if who == "bezoeker" else user
    milestones[2].due_date = today() - timedelta(days=3)
    milestones[5].due_date = today() + timedelta(days=10)
    milestones[3].can_edit = True
    milestones[4].due_text = 'Q1 "2024" <eind>'
    context = {
        "milestones": milestones,
        "user": user,
        "request": RequestFactory().get("/mijlpalen/", {"jaar": "2024", "q": "<x>&y"}),
        "csrf_token": "tok<en>",
        "editable": {milestones[5].pk, milestones[1].pk},
        "today": today(),
        **layout,
    }
    ours = Template(
        "{% load cycle %}{% milestone_rows milestones show_jaarschijf=show_jaarschijf "
        "hide_action=hide_action %}"
    ).render(Context(context))
    before = Template(MILESTONE_LOOP).render(Context(context))

    def collapsed(html):
        return re.sub(r"\s+", " ", html).strip()

    assert collapsed(ours) == collapsed(before)
    assert ("Verschuiven" in ours) == (who == "kernteamlid")
    assert all(state in ours for state in ("Afgerond op", "Te laat", ">Open<"))
