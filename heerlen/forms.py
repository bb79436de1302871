from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.template.exceptions import TemplateDoesNotExist


class NLDSFormRenderer(TemplatesSetting):
    """Renders ``{{ form }}`` and ``{{ field.as_field_group }}`` as NL Design System markup.

    The form and field templates (templates/forms/) come from the project's template engine,
    so they can use the ``ui`` template library. Django's own widget templates are found there
    too when "django.forms" is in INSTALLED_APPS; without it they are taken from Django's
    built-in form engine, so a form never fails for want of a widget template.
    """

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"

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
