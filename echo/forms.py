from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Django's form templates, found through TEMPLATES so that Echo's
    templates/ can add to them: every form drawn whole (`{{ form }}`, allauth's
    forms) opens with a summary of its errors (templates/forms/form.html)."""

    form_template_name = "forms/form.html"
