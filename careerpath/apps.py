from django.contrib.admin.apps import AdminConfig


class PanelAdminConfig(AdminConfig):
    """Django's admin, with the HR panel's site as `admin.site` (so every `@admin.register` lands on it)."""

    default_site = "careerpath.admin.PanelSite"
