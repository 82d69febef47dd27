import pytest
from django.test import override_settings
from django.urls import reverse


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_missing_page_gets_the_site_404_with_a_way_back(client):
    response = client.get("/cohorts/no-such-class/")
    assert response.status_code == 302  # anonymous: log in first, then 404
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert b'name="viewport"' in response.content
    assert reverse("web:home").encode() in response.content
    assert b"Not found" in response.content
