from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "cecto.people"
    label = "people"
