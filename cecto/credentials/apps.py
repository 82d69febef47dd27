from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "cecto.credentials"
    label = "credentials"
    verbose_name = "Credentials"
