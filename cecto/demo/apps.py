from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cecto.demo"
    label = "demo"
