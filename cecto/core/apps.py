from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cecto.core"
    label = "core"
