import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_public_home_lists_no_programme_when_there_is_none(client):
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    assert b"No programme is published yet." in response.content
