from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "cecto.scheduling"
    label = "scheduling"
