"""Index classes by (programme, start date, id): a programme's classes newest first.

The API's `/programs/{slug}/cohorts/` pages a programme's classes in that order by keyset; without
this index both databases read all of a national programme's 2,000 classes and sorted them for
every page (~4 ms on SQLite, ~1 ms on PostgreSQL); with it a page is a backward range read of 51
index entries. A plain AddIndex: 3,000 rows at national scale.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("programs", "0003_track_mentoring_counts_as_instruction"),
        ("scheduling", "0004_session_ends_at_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="cohort",
            index=models.Index(fields=["program", "starts_on", "id"], name="cohort_program_keyset"),
        ),
    ]
