"""templates/forms/field.html written in Python for the common fields: the same markup.

A filter form of eight fields resolved some hundreds of template variables per field (label,
ids, help text, errors, the widget's classes), about a fifth of a list page's work. The field
kinds laid out in a fieldset (radio buttons, boxes, a date with a time) still go through the
template; ``tests/test_fast_rendering.py`` compares both for every kind and state.
"""

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from core.templatetags.ui import field_kind, nlds_widget

#: The kinds written here; the others ("choices", "fieldset") use the template.
WRITTEN_KINDS = frozenset({"hidden", "checkbox", "input"})

_REQUIRED = ' <span class="heerlen-required">(verplicht)</span>'


def render_field(bound_field, kind: str | None = None) -> SafeString:
    """One field as forms/field.html renders it (stripped, as Django's form renderer does)."""
    kind = kind or field_kind(bound_field)
    if kind == "hidden":
        return mark_safe(str(bound_field))  # noqa: S308 - Django's own widget markup
    errors = bound_field.errors
    auto_id = bound_field.auto_id
    id_for_label = bound_field.id_for_label
    for_attr = f' for="{conditional_escape(id_for_label)}"' if id_for_label else ""
    required = _REQUIRED if bound_field.field.required else ""
    label = bound_field.label
    if kind == "checkbox":
        opening = "utrecht-form-field utrecht-form-field--checkbox"
        label_html = (
            '<div class="utrecht-form-field__label"><label class="utrecht-form-label '
            f'utrecht-form-label--checkbox"{for_attr}>{conditional_escape(label)}{required}'
            "</label></div>"
        )
    else:
        opening = "utrecht-form-field utrecht-form-field--text"
        label_html = (
            '<div class="utrecht-form-field__label"><label class="utrecht-form-label"'
            f"{for_attr}>{conditional_escape(label)}{required}</label></div>"
            if label
            else ""
        )
    if errors:
        opening += " utrecht-form-field--invalid"
    help_html = ""
    if bound_field.help_text:
        id_attr = f' id="{conditional_escape(auto_id)}_helptext"' if auto_id else ""
        help_html = (
            '<div class="utrecht-form-field__description utrecht-form-field-description"'
            f"{id_attr}>{bound_field.help_text}</div>"
        )
    error_html = ""
    if errors:
        id_attr = f' id="{conditional_escape(auto_id)}_error"' if auto_id else ""
        lines = "".join(
            '<p class="heerlen-error-line"><span class="visually-hidden">Fout: </span>'
            f"{conditional_escape(error)}</p>"
            for error in errors
        )
        error_html = (
            '<div class="utrecht-form-field__error-message utrecht-form-field-error-message"'
            f"{id_attr}>{lines}</div>"
        )
    return mark_safe(  # noqa: S308 - every value escaped above; help text is trusted (|safe)
        f'<div class="{opening}">\n'
        f"  {label_html}\n"
        f"  {help_html}\n"
        f"  {error_html}\n"
        f'  <div class="utrecht-form-field__input">{nlds_widget(bound_field)}</div>\n'
        "</div>"
    )
