from django.apps import AppConfig


class RolesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "roles"

    def ready(self):
        from django.utils.autoreload import file_changed

        from .cache import code_changed

        # runserver reloads an edited template without restarting: cached fragments must follow it
        file_changed.connect(code_changed, dispatch_uid="roles.cache.code_changed")
