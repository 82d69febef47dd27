"""What the hours pages show: a cohort's progress dashboard, a superintendent's district team with
hours (`rows`), and one enrollment's progress page with its transcript (`progress_page`).

Pure reads with a fixed number of queries, built on `progress_for_cohort` and `roster_for`; `cache`
gives each page a version to cache it by.
"""

from cecto.scheduling.dashboard.cache import (
    PAGE_CACHE_SECONDS,
    dashboard_cached,
    dashboard_version,
    progress_page_version,
)
from cecto.scheduling.dashboard.progress_page import (
    ProgressPage,
    SessionLine,
    TranscriptLine,
    months_between,
    months_filled,
    progress_page_for,
    transcript_for,
)
from cecto.scheduling.dashboard.rows import (
    DEFAULT_SORT,
    FLAG_CHOICES,
    SORT_KEYS,
    DashboardRow,
    Flag,
    FlagCount,
    TeamProgress,
    dashboard_filtered,
    dashboard_for,
    dashboard_sorted,
    district_team_progress_for,
    flag_counts,
    rows_for,
    team_progress_for,
    team_progress_from,
)

__all__ = [
    "DEFAULT_SORT",
    "FLAG_CHOICES",
    "PAGE_CACHE_SECONDS",
    "SORT_KEYS",
    "DashboardRow",
    "Flag",
    "FlagCount",
    "ProgressPage",
    "SessionLine",
    "TeamProgress",
    "TranscriptLine",
    "dashboard_cached",
    "dashboard_filtered",
    "dashboard_for",
    "dashboard_sorted",
    "dashboard_version",
    "district_team_progress_for",
    "flag_counts",
    "months_between",
    "months_filled",
    "progress_page_for",
    "progress_page_version",
    "rows_for",
    "team_progress_for",
    "team_progress_from",
    "transcript_for",
]
