"""Email alerts end to end, through the pages and a real SMTP server: subscribe to what is
on screen, confirm, receive an immediate alert and a digest, stop by one click, manage
without an account; a mail server down for a while and back; bad input everywhere."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from alerts import matching, outbox, tasks
from alerts.models import Alert, Delivery, Message, Subscriber
from taxonomy.models import Country
from tests.alerts.conftest import html_of, link_in, text_of
from tests.helpers.pages import page

pytestmark = pytest.mark.django_db
VIENNA = ZoneInfo("Europe/Vienna")
ADDRESS = "reader@example.net"


def subscribe(client, query, frequency="immediately", address=ADDRESS, language=""):
    """Follow the finder's "Get emails" link for ``query`` and fill in the form."""
    prefix = f"/{language}" if language else ""
    finder = page(client.get(f"{prefix}/press-releases/?{query}"))
    form_url = finder.find("a", cls="alert-link").attrs["href"]
    assert client.get(form_url).status_code == 200
    response = client.post(form_url, {"email": address, "frequency": frequency})
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def confirm(client, smtp, address=ADDRESS):
    """Send what is due, follow the confirmation email's link and press its button."""
    outbox.send_due()
    confirmation = smtp.mailbox.to(address)[-1]
    url = link_in(confirmation, "/alerts/confirm/")
    confirmed = Alert.objects.filter(confirmed_at__isnull=False).count()
    shown = client.get(url)
    assert page(shown).find("form").find("button")  # GET confirms nothing (link scanners)
    assert Alert.objects.filter(confirmed_at__isnull=False).count() == confirmed
    client.post(url)
    assert Alert.objects.filter(confirmed_at__isnull=False).count() == confirmed + 1
    return confirmation


def publish_and_send(make_release, **values):
    release = make_release(**values)
    tasks.tick.call()  # what the worker runs: match, write, forget, and enqueue sending
    outbox.send_due()
    return release


def test_subscribe_confirm_and_receive_an_immediate_alert(client, smtp, make_release):
    response = subscribe(client, "country=moldova&field=elections&sort=oldest")
    assert page(client.get(response["Location"])).find("h1").text == "Check your inbox"
    confirmation = confirm(client, smtp)
    assert "Moldova" in confirmation["Subject"]
    assert "List-Unsubscribe" not in confirmation  # nothing to stop yet
    alert = Alert.objects.get()
    assert alert.query == "field=elections&country=moldova"  # the finder's spelling
    assert alert.confirmed_at is not None

    wanted = publish_and_send(
        make_release,
        title="Observers on the Moldovan vote",
        countries=("moldova",),
        fields=("elections",),
    )
    publish_and_send(make_release, title="Elsewhere", countries=("ukraine",), fields=("elections",))
    alerts = [m for m in smtp.mailbox.to(ADDRESS) if m is not confirmation]
    assert len(alerts) == 1
    mail = alerts[0]
    assert "Moldova" in mail["Subject"]
    assert "Elections" in mail["Subject"]
    assert wanted.title in text_of(mail)
    assert f"https://newsroom.example.org{wanted.get_absolute_url()}" in text_of(mail)
    assert "Elsewhere" not in text_of(mail)
    html = html_of(mail)
    assert wanted.title in html
    assert '<html lang="en">' in html
    assert "<img" not in html  # no tracking pixel, no picture at all
    unsubscribe = mail["List-Unsubscribe"].strip().strip("<>")
    assert unsubscribe.startswith("https://newsroom.example.org/alerts/stop/")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link_in(mail, "/alerts/manage/")


def test_each_release_reaches_a_subscriber_once_whatever_alerts_match_it(
    client, smtp, make_release
):
    subscribe(client, "country=moldova")
    confirm(client, smtp)
    subscribe(client, "field=elections")
    confirm(client, smtp)
    before = len(smtp.mailbox.received)
    publish_and_send(make_release, countries=("moldova",), fields=("elections",))
    tasks.tick.call()
    outbox.send_due()
    assert len(smtp.mailbox.received) == before + 1
    assert Delivery.objects.count() == 1


def test_a_parent_term_s_alert_hears_of_its_children_and_the_page_s_language_only(
    client, smtp, make_release
):
    subscribe(client, "source=secretariat")
    confirm(client, smtp)
    before = len(smtp.mailbox.received)
    publish_and_send(make_release, title="From the CPC", sources=("conflict-prevention-centre",))
    publish_and_send(
        make_release, title="По-русски", language="ru", sources=("conflict-prevention-centre",)
    )
    mails = smtp.mailbox.received[before:]
    assert len(mails) == 1
    assert "From the CPC" in text_of(mails[0])


def test_a_russian_alert_is_written_in_russian_and_finds_word_forms(
    client, smtp, make_release, russian_open
):
    subscribe(client, "q=выборы", language="ru")
    confirmation = confirm(client, smtp)
    assert confirmation["Subject"].strip() == "Подтвердите подписку на рассылку ОБСЕ: «выборы»"
    assert "/ru/alerts/confirm/" in text_of(confirmation)
    publish_and_send(make_release, title="Выборы: наблюдатели ОБСЕ", language="ru")
    mail = smtp.mailbox.to(ADDRESS)[-1]
    assert mail["Subject"].strip() == "1 новый материал ОБСЕ: «выборы»"
    assert "Выборы: наблюдатели ОБСЕ" in text_of(mail)
    assert "Отменить эту подписку" in text_of(mail)
    assert '<html lang="ru">' in html_of(mail)
    if connection.vendor == "postgresql":  # Russian stemming: another form of the word
        publish_and_send(make_release, title="Наблюдатели о выборах", language="ru")
        assert "Наблюдатели о выборах" in text_of(smtp.mailbox.to(ADDRESS)[-1])


def test_a_daily_digest_leaves_at_seven_with_the_day_s_releases(client, smtp, make_release):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VIENNA)  # a Monday
    with time_machine.travel(start, tick=False):
        subscribe(client, "country=moldova", frequency="daily")
        confirm(client, smtp)
    first = len(smtp.mailbox.received)
    with time_machine.travel(start + dt.timedelta(hours=3), tick=False):
        one = make_release(title="Morning talks", countries=("moldova",))
        two = make_release(title="Afternoon talks", countries=("moldova",))
        tasks.tick.call()
        outbox.send_due()
        assert len(smtp.mailbox.received) == first  # not before seven tomorrow
    with time_machine.travel(dt.datetime(2026, 3, 3, 7, 0, 30, tzinfo=VIENNA), tick=False):
        tasks.tick.call()
        outbox.send_due()
    digest = smtp.mailbox.received[first:]
    assert len(digest) == 1
    assert "2 new releases" in digest[0]["Subject"]
    body = text_of(digest[0])
    assert one.title in body
    assert two.title in body
    with time_machine.travel(dt.datetime(2026, 3, 3, 7, 5, tzinfo=VIENNA), tick=False):
        tasks.tick.call()
        outbox.send_due()
    assert len(smtp.mailbox.received) == first + 1  # nothing twice


def test_a_weekly_digest_waits_for_monday(smtp, make_release):
    subscriber = Subscriber.objects.create(email=ADDRESS)
    confirmed = dt.datetime(2026, 3, 3, 12, tzinfo=VIENNA)  # a Tuesday
    alert = Alert.objects.create(
        subscriber=subscriber, query="", frequency="weekly", confirmed_at=confirmed
    )
    matching.set_keys(alert)
    with time_machine.travel(confirmed + dt.timedelta(hours=1), tick=False):
        make_release(title="Midweek")
        tasks.tick.call()
    with time_machine.travel(dt.datetime(2026, 3, 8, 23, 0, tzinfo=VIENNA), tick=False):
        assert outbox.write_alerts() == 0  # Sunday night
    with time_machine.travel(dt.datetime(2026, 3, 9, 7, 1, tzinfo=VIENNA), tick=False):
        assert outbox.write_alerts() == 1
    outbox.send_due()
    assert "Midweek" in text_of(smtp.mailbox.to(ADDRESS)[-1])


def test_one_click_unsubscribe_by_post_as_rfc_8058_asks(client, smtp, make_release):
    subscribe(client, "country=moldova")
    confirm(client, smtp)
    publish_and_send(make_release, countries=("moldova",))
    mail = smtp.mailbox.to(ADDRESS)[-1]
    url = mail["List-Unsubscribe"].strip().strip("<>").removeprefix("https://newsroom.example.org")
    mail_program = Client(enforce_csrf_checks=True)  # no cookie, no token: one POST
    response = mail_program.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Alert.objects.exists()
    assert mail_program.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    before = len(smtp.mailbox.received)
    publish_and_send(make_release, countries=("moldova",))
    assert len(smtp.mailbox.received) == before


def test_the_body_s_stop_link_asks_before_it_stops(client, smtp, make_release):
    subscribe(client, "country=moldova")
    confirm(client, smtp)
    publish_and_send(make_release, countries=("moldova",))
    url = link_in(smtp.mailbox.to(ADDRESS)[-1], "/alerts/stop/")
    assert page(client.get(url)).find("button")
    assert Alert.objects.exists()
    client.post(url)
    assert not Alert.objects.exists()


def test_the_form_never_says_whether_an_address_is_subscribed(client, smtp):
    subscribe(client, "country=moldova")
    confirm(client, smtp)
    again = subscribe(client, "country=moldova")
    fresh = subscribe(client, "country=moldova", address="someone@example.net")
    assert again["Location"] == fresh["Location"]
    outbox.send_due()
    note = smtp.mailbox.to(ADDRESS)[-1]
    assert "already" in note["Subject"]
    assert link_in(note, "/alerts/manage/")
    assert Alert.objects.filter(subscriber__email=ADDRESS).count() == 1


def test_manage_change_frequency_end_download_and_erase(client, smtp, make_release):
    subscribe(client, "country=moldova")
    confirm(client, smtp)
    subscribe(client, "field=elections")
    confirm(client, smtp)
    publish_and_send(make_release, countries=("moldova",))
    url = link_in(smtp.mailbox.to(ADDRESS)[-1], "/alerts/manage/")
    shown = page(client.get(url))
    assert ADDRESS in shown.text
    assert "Moldova" in shown.text
    assert "Elections" in shown.text
    moldova = Alert.objects.get(query="country=moldova")
    client.post(url, {"action": "frequency", "alert": moldova.pk, "frequency": "weekly"})
    assert Alert.objects.get(pk=moldova.pk).frequency == "weekly"
    elections = Alert.objects.get(query="field=elections")
    client.post(url, {"action": "end", "alert": elections.pk, "frequency": "daily"})
    assert not Alert.objects.filter(pk=elections.pk).exists()

    held = json.loads(client.get(url + "data.json").content)
    assert held["address"] == ADDRESS
    assert [alert["search"] for alert in held["alerts"]] == ["country=moldova"]
    assert held["emails"]
    assert held["releases_sent"]

    erased = client.post(url, {"action": "erase"})
    assert erased.status_code == 200
    assert not Subscriber.objects.exists()
    assert not Message.objects.exists()
    assert not Delivery.objects.exists()
    assert client.get(url).status_code == 404  # the address is gone, and its link with it


def test_the_mail_server_down_for_a_while_then_back_delivers_everything_once(
    client, smtp, make_release, settings
):
    settings.ALERTS_RETRY_FIRST = dt.timedelta(seconds=30)
    for address in ("a@example.net", "b@example.net", "c@example.net"):
        subscribe(client, "country=moldova", address=address)
    smtp.stop()  # down before anything could go out
    assert outbox.send_due() == {outbox.Outcome.RETRY: 1}  # one try, then it waits
    waiting = Message.objects.filter(status=Message.Status.PENDING)
    assert waiting.count() == 3
    tried = waiting.get(attempts=1)
    assert tried.due_at > timezone.now()
    assert tried.last_error

    later = timezone.now() + dt.timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        assert outbox.send_due() == {outbox.Outcome.RETRY: 1}  # still down: retried later
    smtp.start()
    with time_machine.travel(later + dt.timedelta(hours=2), tick=False):
        assert outbox.send_due() == {outbox.Outcome.SENT: 3}
        assert outbox.send_due() == {}
    assert sorted(m["To"] for m in smtp.mailbox.received) == [
        "a@example.net",
        "b@example.net",
        "c@example.net",
    ]
    assert not Message.objects.exclude(status=Message.Status.SENT).exists()


def test_a_permanent_refusal_suppresses_the_address_until_an_admin_lifts_it(
    client, smtp, make_release
):
    subscribe(client, "country=moldova")
    confirm(client, smtp)
    smtp.mailbox.refuse = "550 5.1.1 Mailbox unavailable"
    publish_and_send(make_release, countries=("moldova",))
    subscriber = Subscriber.objects.get()
    assert subscriber.suppressed_because == Subscriber.Suppression.BOUNCE
    assert Message.objects.filter(status=Message.Status.FAILED).count() == 1
    smtp.mailbox.refuse = None
    written = Message.objects.count()
    publish_and_send(make_release, countries=("moldova",))
    assert Message.objects.count() == written  # a suppressed address is matched no more
    Subscriber.objects.update(suppressed_at=None, suppressed_because="")
    publish_and_send(make_release, countries=("moldova",))
    assert Message.objects.filter(status=Message.Status.SENT).count() == 2  # confirm + this


def test_a_try_later_reply_is_retried_not_suppressed(client, smtp):
    subscribe(client, "country=moldova")
    smtp.mailbox.refuse = "451 4.3.0 Try again later"
    assert outbox.send_due() == {outbox.Outcome.RETRY: 1}
    assert not Subscriber.objects.get().suppressed


def test_a_message_held_by_a_killed_worker_goes_out_once_its_lease_ends(client, smtp):
    for address in ("a@example.net", "b@example.net"):
        subscribe(client, "country=moldova", address=address)
    held = outbox.claim()  # a worker took it, then died before sending
    assert held is not None
    assert outbox.send_due() == {outbox.Outcome.SENT: 1}  # the other one only
    with time_machine.travel(timezone.now() + outbox.LEASE + dt.timedelta(seconds=1)):
        assert outbox.send_due() == {outbox.Outcome.SENT: 1}
    assert sorted(m["To"] for m in smtp.mailbox.received) == ["a@example.net", "b@example.net"]


def test_unconfirmed_subscriptions_are_forgotten_after_seven_days(client, smtp):
    subscribe(client, "country=moldova")
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, minutes=1)):
        tasks.tick.call()
    assert not Alert.objects.exists()
    assert not Subscriber.objects.exists()


def test_old_releases_imported_now_reach_no_one(client, smtp, make_release):
    subscribe(client, "country=moldova")
    confirm(client, smtp)
    before = len(smtp.mailbox.received)
    publish_and_send(make_release, countries=("moldova",), days_ago=30)
    assert len(smtp.mailbox.received) == before


def test_a_scheduled_release_is_news_at_its_second(client, smtp, make_release):
    subscribe(client, "country=moldova")
    confirm(client, smtp)
    due = timezone.now() + dt.timedelta(hours=1)
    release = make_release(countries=("moldova",), published_at=due)
    tasks.tick.call()
    assert matching.newly_public().filter(pk=release.pk).count() == 0
    with time_machine.travel(due + dt.timedelta(seconds=20), tick=False):
        tasks.tick.call()
        outbox.send_due()
    assert release.title in text_of(smtp.mailbox.to(ADDRESS)[-1])


# Bad input: clear errors, never a 500 ------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "not-an-address", "frequency": "daily"}, "email"),
        ({"email": "", "frequency": "daily"}, "email"),
        ({"email": "a@example.net", "frequency": "hourly"}, "frequency"),
        ({"email": "a" * 300 + "@example.net", "frequency": "daily"}, "email"),
        ({}, "email"),
    ],
)
def test_a_bad_form_is_answered_with_its_error(client, data, field):
    response = client.post("/alerts/new/?country=moldova", data)
    assert response.status_code == 400
    assert page(response).find(cls="field-error")
    assert not Subscriber.objects.exists()


def test_bad_parameters_are_named_and_left_out(client):
    response = client.get("/alerts/new/?country=atlantis&field=elections&date_from=31/02/2020")
    assert response.status_code == 200
    body = page(response)
    assert body.find(cls="notice--error")
    assert "Elections" in body.find("p", cls="lead").text


@pytest.mark.parametrize(
    "path",
    [
        "/alerts/confirm/nonsense/",
        "/alerts/stop/nonsense/",
        "/alerts/manage/nonsense/",
        "/alerts/manage/nonsense/data.json",
    ],
)
def test_a_link_that_is_not_ours_is_a_clear_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert page(response).find("h1").text == "This link no longer works"


def test_an_expired_confirmation_link_is_refused(client, smtp):
    subscribe(client, "country=moldova")
    outbox.send_due()
    url = link_in(smtp.mailbox.to(ADDRESS)[-1], "/alerts/confirm/")
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        assert client.post(url).status_code == 404
    assert not Alert.objects.filter(confirmed_at__isnull=False).exists()


def test_manage_refuses_another_address_s_alert_and_nonsense(client, smtp):
    subscribe(client, "country=moldova")
    confirm(client, smtp)
    subscribe(client, "country=moldova", address="other@example.net")
    url = link_in(smtp.mailbox.to(ADDRESS)[-1], "/alerts/manage/")
    theirs = Alert.objects.get(subscriber__email="other@example.net")
    response = client.post(url, {"action": "end", "alert": theirs.pk, "frequency": "daily"})
    assert response.status_code == 400
    assert Alert.objects.filter(pk=theirs.pk).exists()
    assert client.post(url, {"action": "frequency", "alert": "x"}).status_code == 400
    assert client.post(url, {"action": "explode"}).status_code == 400


def test_the_form_is_protected_against_cross_site_posts():
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/alerts/new/?country=moldova", {"email": ADDRESS, "frequency": "daily"})
    assert response.status_code == 403
    assert not Subscriber.objects.exists()


def test_the_form_is_rate_limited_per_address_and_per_client(client, smtp, settings):
    for _ in range(5):
        assert subscribe(client, "country=moldova").status_code == 302
    refused = client.post("/alerts/new/?country=moldova", {"email": ADDRESS, "frequency": "daily"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    others = [f"person{n}@example.net" for n in range(30)]
    answers = [
        client.post("/alerts/new/", {"email": other, "frequency": "daily"}).status_code
        for other in others
    ]
    assert 429 in answers  # one client, many addresses: stopped too


def test_term_pages_offer_emails_for_their_term(client):
    link = page(client.get("/countries/moldova/")).find("a", cls="alert-link")
    assert link.attrs["href"] == "/alerts/new/?country=moldova"
    assert not page(client.get("/meetings/summit-meetings/")).find_all("a", cls="alert-link")


def test_a_release_is_matched_once_it_has_settled_with_the_terms_set_after_it(
    client, smtp, make_release, settings
):
    """A script that saves a release, then sets its countries (two statements, no
    transaction): matching waits ALERTS_SETTLE, so the countries count."""
    subscribe(client, "country=moldova")
    confirm(client, smtp)
    settings.ALERTS_SETTLE = dt.timedelta(seconds=10)
    release = make_release(title="Settling", countries=(), days_ago=0)
    tasks.tick.call()
    assert not Delivery.objects.exists()
    release.countries.add(Country.objects.get(slug="moldova"))
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=11), tick=False):
        tasks.tick.call()
        outbox.send_due()
    assert "Settling" in text_of(smtp.mailbox.to(ADDRESS)[-1])


def test_each_email_is_in_its_alert_s_language(smtp, make_release, russian_open):
    subscriber = Subscriber.objects.create(email=ADDRESS, language="en")
    alert = Alert.objects.create(
        subscriber=subscriber,
        query="",
        language="ru",
        frequency="immediately",
        confirmed_at=timezone.now(),
    )
    matching.set_keys(alert)
    publish_and_send(make_release, title="Заявление", language="ru")
    mail = smtp.mailbox.to(ADDRESS)[-1]
    assert mail["Subject"].strip() == "1 новый материал ОБСЕ: все новые материалы"
    assert "/ru/alerts/stop/" in mail["List-Unsubscribe"]


def test_only_news_wakes_the_worker(make_release, django_capture_on_commit_callbacks):
    """An archive page imported with its old date asks the queue nothing; a release
    published now wakes the worker once its transaction commits."""
    with django_capture_on_commit_callbacks() as woken:
        make_release(title="From the archive", days_ago=400)
    assert woken == []
    with django_capture_on_commit_callbacks(execute=True) as woken:
        make_release(title="Today", days_ago=0)
    assert len(woken) == 1
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path=tasks.tick.module_path, status="READY").exists()
