import pytest

pytestmark = pytest.mark.django_db


def test_home_page_shows_the_menu(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Participating States" in response.content.decode()
