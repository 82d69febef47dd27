from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "cecto.programs"
    label = "programs"
