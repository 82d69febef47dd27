from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "cecto.ledger"
    label = "ledger"
