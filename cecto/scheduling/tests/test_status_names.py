import pytest

from cecto.scheduling.services import EnrollmentRefused, enrollment_status_change


def test_it_refuses_a_status_that_does_not_exist(cast):
    with pytest.raises(EnrollmentRefused, match="'graduated' is not an enrollment status"):
        enrollment_status_change(enrollment=cast.participant_enrollment, to_status="graduated", by=cast.admin)
    cast.participant_enrollment.refresh_from_db()
    assert cast.participant_enrollment.status == "active"
