import re

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.template.exceptions import TemplateDoesNotExist
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from core.field_markup import WRITTEN_KINDS, render_field
from core.formats import nl_number
from core.templatetags.ui import field_kind
from core.validators import NoControlCharactersFormMixin

#: Django's widget templates that are nothing but its ``input.html`` (with ``attrs.html``).
INPUT_WIDGET_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        *("input", "text", "number", "email", "url", "password", "hidden", "search", "tel"),
        *("date", "datetime", "time", "color", "checkbox", "file"),
    )
)


def render_input(widget: dict) -> str:
    """Django's ``input.html`` and ``attrs.html``, written in Python: the same markup.

    Two template includes per field were a noticeable part of a page with a filter form.
    """
    parts = [
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
    ]
    if widget["value"] is not None:
        parts.append(f' value="{conditional_escape(str(widget["value"]))}"')
    for name, value in widget["attrs"].items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}")
        if value is not True:
            parts.append(f'="{conditional_escape(str(value))}"')
    parts.append(">")
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped above


class NLDSFormRenderer(TemplatesSetting):
    """Renders ``{{ form }}`` and ``{{ field.as_field_group }}`` as NL Design System markup.

    The form and field templates (templates/forms/) come from the project's template engine,
    so they can use the ``ui`` template library. Django's own widget templates are found there
    too when "django.forms" is in INSTALLED_APPS; without it they are taken from Django's
    built-in form engine, so a form never fails for want of a widget template.
    """

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"

    def render(self, template_name, context, request=None):
        # The plain input widgets are written in Python (same markup as Django's templates).
        if template_name in INPUT_WIDGET_TEMPLATES and "widget" in context:
            return render_input(context["widget"])
        # So is a common field in forms/field.html's markup (core.field_markup).
        if template_name == self.field_template_name and "field" in context:
            kind = field_kind(context["field"])
            if kind in WRITTEN_KINDS:
                return render_field(context["field"], kind)
        return super().render(template_name, context, request)

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            if not template_name.startswith("django/forms/"):
                raise
            return self._django_forms_fallback.get_template(template_name)

    @property
    def _django_forms_fallback(self):
        fallback = getattr(self, "_fallback_renderer", None)
        if fallback is None:
            fallback = self._fallback_renderer = DjangoTemplates()
        return fallback


#: Longest free text a form accepts.
TEXT_MAX = 4000

TAMPERED_MESSAGE = (
    "Het formulier is onvolledig of beschadigd verstuurd. Open de pagina opnieuw en probeer "
    "het nog eens."
)


class HiddenFieldErrorsMixin:
    """An error in a hidden field (version, latest update seen) is one plain form error.

    Django would show it as "(Verborgen veld version) …", naming a code identifier the user
    never saw and cannot correct.
    """

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        # Every check has run (fields, clean(), a model form's model validation): the errors
        # are complete, and public through ``errors`` and ``add_error``.
        errors = self.errors
        hidden = [name for name, field in self.fields.items() if field.widget.is_hidden]
        if any(name in errors for name in hidden):
            for name in hidden:
                errors.pop(name, None)
            self.add_error(None, TAMPERED_MESSAGE)


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError in the form: at the field where the form has it."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            field = name if name in form.fields and name != NON_FIELD_ERRORS else None
            form.add_error(field, messages)
    else:
        form.add_error(None, error.messages)


def rebound(form: forms.Form, error: ValidationError, **values) -> forms.Form:
    """The same form again, with some hidden values replaced and ``error`` on top.

    After a conflict the form is shown again with the user's input, but carrying the version
    (or the latest update) the user has now been shown, so that saving again is a conscious
    choice and not a silent overwrite.
    """
    data = form.data.copy()
    for name, value in values.items():
        data[form.add_prefix(name)] = "" if value is None else str(value)
    new = type(form)(data, prefix=form.prefix, **getattr(form, "init_kwargs", {}))
    new.is_valid()
    apply_service_errors(new, error)
    return new


class DataEntryForm(NoControlCharactersFormMixin, HiddenFieldErrorsMixin, forms.Form):
    """The base of every form that stores what people type: the one place where free text is
    checked for invisible control characters (core.validators), so every text field of
    every such form refuses them with the same Dutch message at the field.
    """


class DataEntryModelForm(NoControlCharactersFormMixin, HiddenFieldErrorsMixin, forms.ModelForm):
    """A :class:`DataEntryForm` over a model's fields: their types, choices and limits are the
    model's, and the model's ``full_clean`` (its rules, control characters included) runs on
    the form's input, so the form, the import and the admin give the same answer.
    """


#: A number as people here write it: thousands with a dot in groups of three, decimals after
#: a comma ("1.234.567,5"), or without thousands dots ("1234567,5").
_DUTCH_NUMBER = re.compile(r"-?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")
#: A whole number as the pages print it: "1.581", or "1581".
_DUTCH_WHOLE_NUMBER = re.compile(r"-?(?:\d{1,3}(?:\.\d{3})+|\d+)")


def _dutch_typed(field: forms.Field, value, pattern: re.Pattern):
    """What a Dutch number field hands to Django's own parsing: a typed text without spaces
    and thousands dots, with a decimal point (None when empty); any other value as it is.
    Text that is not written the way ``pattern`` allows is refused, never guessed."""
    if not isinstance(value, str):
        return value
    text = value.strip().replace("\u00a0", "").replace(" ", "")
    if text in field.empty_values:
        return None
    if not pattern.fullmatch(text):
        raise ValidationError(field.error_messages["invalid"], code="invalid")
    return text.replace(".", "").replace(",", ".")


class DutchDecimalField(forms.DecimalField):
    """A decimal typed the Dutch way, as the pages show it: "1.500" is fifteen hundred,
    "1.234.567,5" is accepted, "85,5" has a decimal. A dot that does not separate thousands
    ("85.5", "1.50") is refused rather than guessed, and so is "1e5".
    """

    default_error_messages = {
        "invalid": "Vul een getal in, met een komma voor decimalen (bijvoorbeeld 85,5) en "
        "eventueel punten tussen de duizendtallen (1.500).",
    }

    def to_python(self, value):
        return super().to_python(_dutch_typed(self, value, _DUTCH_NUMBER))


class DutchIntegerField(forms.IntegerField):
    """A whole number typed as the pages show it: "1.581" is fifteen hundred and eighty-one.
    A comma ("12,5") or a dot that does not separate thousands ("1.5") is refused, not
    rounded or guessed."""

    default_error_messages = {
        "invalid": "Vul een heel getal in, zonder komma; punten tussen de duizendtallen "
        "mogen (1.500).",
    }

    def to_python(self, value):
        return super().to_python(_dutch_typed(self, value, _DUTCH_WHOLE_NUMBER))

    def prepare_value(self, value):
        """A stored number shown in the field as the pages print it ("1.234"); what the user
        typed stays as typed."""
        if isinstance(value, int) and not isinstance(value, bool):
            return nl_number(value)
        return value
