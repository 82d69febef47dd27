from decimal import Decimal

import pytest

from cecto.ledger.ceu import ceus_for_minutes, hours_for_minutes


@pytest.mark.parametrize(
    ("minutes", "ceus"),
    [
        (0, "0.0"),
        (-30, "0.0"),
        (29, "0.0"),  # under 30 minutes earns none on its own (minimum award 0.1)
        (30, "0.1"),  # exactly 0.05 CEU: halves round up to the minimum award
        (35, "0.1"),
        (45, "0.1"),
        (89, "0.1"),
        (90, "0.2"),  # 0.15 rounds half up
        (600, "1.0"),
        (14_370, "24.0"),  # 239.5 hours: 23.95 CEU rounds half up
        (14_369, "23.9"),
        (14_400, "24.0"),
    ],
)
def test_it_converts_contact_minutes_to_ceus_in_tenths(minutes, ceus):
    assert ceus_for_minutes(minutes) == Decimal(ceus)


def test_it_reports_hours_to_two_places():
    assert hours_for_minutes(14_370) == Decimal("239.50")
    assert hours_for_minutes(20) == Decimal("0.33")
