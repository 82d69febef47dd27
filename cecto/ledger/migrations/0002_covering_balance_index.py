"""Replace the (enrollment_ref, category) index by one that also holds session_ref and minutes.

Balances (`balances_for`), per-session credit (`session_minutes_for`) and the programme report's
per-enrollment sums then read the index alone, never the table: at national scale (5 million
entries) that halves the cohort dashboard's ledger reads. The old index is a prefix of the new one.

On PostgreSQL both steps run CONCURRENTLY (no lock on writes while the index builds), hence
`atomic = False`; SQLite has no such option and builds it in place.
"""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models
from django.db.migrations.operations import AddIndex, RemoveIndex


class AddIndexConcurrentlyOnPostgres(AddIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


class RemoveIndexConcurrentlyOnPostgres(RemoveIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            RemoveIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            RemoveIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("ledger", "0001_initial"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="hoursentry",
            index=models.Index(
                fields=["enrollment_ref", "category", "session_ref", "minutes"], name="ledger_entry_balance_cover"
            ),
        ),
        RemoveIndexConcurrentlyOnPostgres(
            model_name="hoursentry",
            name="ledger_hour_enrollm_dd512c_idx",
        ),
    ]
