from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "cecto.mentoring"
    label = "mentoring"
    verbose_name = "Mentoring"
