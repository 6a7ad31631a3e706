"""The alerts in the admin, per role: staff see which searches are followed and how much,
never by whom; site admins see the addresses, lift and set suppressions, read the mail."""

import pytest
from django.utils import timezone

from alerts import matching
from alerts.models import Alert, Message, Subscriber
from tests.helpers.pages import page
from tests.helpers.users import PUBLISHERS, SITE_ADMINS, WRITERS, client_for, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed():
    """Three addresses following Moldova (two immediately, one daily), one following
    elections, and an unconfirmed one (not counted)."""
    now = timezone.now()
    plan = [
        ("a@example.net", "country=moldova", "immediately", now),
        ("b@example.net", "country=moldova", "immediately", now),
        ("c@example.net", "country=moldova", "daily", now),
        ("c@example.net", "field=elections", "weekly", now),
        ("d@example.net", "country=moldova", "daily", None),
    ]
    for address, query, frequency, confirmed in plan:
        subscriber, _ = Subscriber.objects.get_or_create(email=address)
        alert = Alert.objects.create(
            subscriber=subscriber, query=query, frequency=frequency, confirmed_at=confirmed
        )
        matching.set_keys(alert)
    Message.objects.create(
        kind="alert",
        subscriber=Subscriber.objects.get(email="a@example.net"),
        subject="s",
        text="t",
        html="h",
        status=Message.Status.FAILED,
        last_error="550 no such user",
    )


def rows(response):
    table = page(response).find("table", id="result_list")
    return [
        [row.find("th").text.strip(), *(cell.text.strip() for cell in row.find_all("td"))]
        for row in table.find("tbody").find_all("tr")
    ]


@pytest.mark.parametrize("group", [WRITERS, PUBLISHERS])
def test_staff_see_each_followed_search_counted_and_no_address(group, followed):
    client = client_for(make_user("staff", group))
    response = client.get("/admin/alerts/alert/")
    assert response.status_code == 200
    found = rows(response)
    assert found[0][:6] == ["Moldova", "English", "3", "2", "1", "0"]
    assert found[1][:6] == ["Elections", "English", "1", "0", "0", "1"]
    assert len(found) == 2
    assert "@example.net" not in response.content.decode()
    alert = Alert.objects.filter(query="country=moldova").first()
    detail = client.get(f"/admin/alerts/alert/{alert.pk}/change/")
    assert detail.status_code == 200
    assert "@example.net" not in detail.content.decode()
    for path in ("/admin/alerts/subscriber/", "/admin/alerts/message/"):
        assert client.get(path).status_code == 403
    assert "/admin/alerts/subscriber/" not in client.get("/admin/").content.decode()


def test_site_admins_keep_the_suppression_list_and_read_failures(followed):
    client = client_for(make_user("keeper", SITE_ADMINS))
    listed = client.get("/admin/alerts/subscriber/")
    assert listed.status_code == 200
    assert "a@example.net" in listed.content.decode()
    chosen = Subscriber.objects.filter(email__in=["a@example.net", "b@example.net"])
    client.post(
        "/admin/alerts/subscriber/",
        {"action": "suppress", "_selected_action": [s.pk for s in chosen]},
    )
    assert Subscriber.objects.filter(suppressed_because="manual").count() == 2
    suppressed = client.get("/admin/alerts/subscriber/?suppressed_because=manual")
    assert "a@example.net" in suppressed.content.decode()
    client.post(
        "/admin/alerts/subscriber/",
        {"action": "lift_suppression", "_selected_action": [chosen[0].pk]},
    )
    assert Subscriber.objects.filter(suppressed_at__isnull=False).count() == 1
    failures = client.get("/admin/alerts/message/?status=failed")
    assert "550 no such user" in failures.content.decode()


def test_nobody_writes_alerts_or_mail_in_the_admin(followed):
    client = client_for(make_user("keeper", SITE_ADMINS))
    assert client.get("/admin/alerts/alert/add/").status_code == 403
    message = Message.objects.get()
    assert (
        client.post(f"/admin/alerts/message/{message.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )


def test_complaints_from_a_mail_provider_suppress_addresses_and_bad_lines_are_refused(followed):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="not-an-address"):
        call_command("suppress_addresses", "A@example.net", "not-an-address")
    assert not Subscriber.objects.filter(suppressed_at__isnull=False).exists()
    call_command("suppress_addresses", "A@example.net", "nobody@example.net")
    suppressed = Subscriber.objects.get(suppressed_at__isnull=False)
    assert suppressed.email == "a@example.net"
    assert suppressed.suppressed_because == Subscriber.Suppression.COMPLAINT
