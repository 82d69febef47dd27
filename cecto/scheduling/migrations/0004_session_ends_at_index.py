"""Index sessions by `ends_at`: the sessions still to come of a programme's many classes.

"Upcoming" (the home page, "My calendar") asks for the scheduled sessions that have not ended yet;
for an administrator of a national programme (2,000 classes) PostgreSQL read all 60,000 sessions
(~15 ms), with this index only the ~1,600 to come (~4 ms). A member's or an instructor's own
classes keep using the (cohort, starts_at) index. A plain AddIndex: the table is small enough
(60,000 rows at national scale) to build it in well under a second.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0003_enrollment_cohort_keyset_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="session",
            index=models.Index(fields=["ends_at"], name="session_ends_at"),
        ),
    ]
