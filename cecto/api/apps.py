from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cecto.api"
    label = "api"
