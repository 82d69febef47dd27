from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cecto.web"
    label = "web"
