"""The release form speaks the workflow: people press the actions their role may take on
the release as it stands ("Save draft", "Submit for review", "Publish now", "Schedule…",
"Unpublish"), the server maps the action to the status, and an action not offered is
refused with the release unchanged. Through the admin, as a browser posts it.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from press.models import Release
from tests.helpers.admin_forms import (
    change_url,
    form_data,
    form_errors,
    messages_of,
    new_release_data,
)
from tests.helpers.pages import page
from tests.helpers.users import client_for, user_for

pytestmark = pytest.mark.django_db

Status = Release.Status
VIENNA = ZoneInfo("Europe/Vienna")
NOW = dt.datetime(2027, 1, 4, 15, 0, tzinfo=VIENNA)
LATER = dt.datetime(2027, 1, 5, 9, 0, tzinfo=VIENNA)  # the schedule's time, in winter: CET
EARLIER = dt.datetime(2026, 12, 1, 10, 30, tzinfo=VIENNA)
ADD_URL = reverse("admin:press_release_add")

STATES = {
    "draft": {"status": Status.DRAFT},
    "review": {"status": Status.REVIEW},
    "scheduled": {"status": Status.PUBLISHED, "published_at": LATER},
    "published": {"status": Status.PUBLISHED, "published_at": NOW - dt.timedelta(days=1)},
    "unpublished": {"status": Status.UNPUBLISHED, "published_at": EARLIER},
}
# What anyone who writes is offered in each state, then what only publishers are.
WRITING = {
    "new": ["Save draft", "Submit for review"],
    "draft": ["Save draft", "Submit for review"],
    "review": ["Save", "Back to draft"],
    "scheduled": ["Save changes"],
    "published": ["Save changes"],
    "unpublished": ["Save"],
}
PUBLISHING = {
    "new": ["Publish now", "Schedule…"],
    "draft": ["Publish now", "Schedule…"],
    "review": ["Publish now", "Schedule…"],
    "scheduled": ["Publish now", "Cancel schedule"],
    "published": ["Unpublish"],
    "unpublished": ["Publish again", "Schedule…"],
}
STATE_LINES = {
    "new": "New: saved as a draft until it is sent for review or published.",
    "draft": "Draft: not on the site.",
    "review": "In review: waiting for a publisher.",
    "scheduled": "Scheduled: publishes 5 January 2027, 09:00 CET (Europe/Vienna).",
    "published": "Published: on the site, dated 3 January 2027, 15:00 CET (Europe/Vienna).",
    "unpublished": "Unpublished: taken off the site.",
}


@pytest.fixture(autouse=True)
def clock():
    """A winter afternoon in Vienna; users log in under it, so sessions are current."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def release_in(make_release):
    def build(state):
        return make_release(title=f"A release, {state}", **STATES[state])

    return build


def state_of(release):
    """What the public and the newsroom see: a published release not yet out is scheduled."""
    release.refresh_from_db()
    if release.status == Status.PUBLISHED:
        return "published" if release.published_at <= timezone.now() else "scheduled"
    return release.status


def browser_data(response):
    """What a browser posts for the page: the form's fields and the hidden initial values
    Django compares them with (a date left as shown is not a date set)."""
    data = form_data(response)
    for hidden in page(response).find_all("input", type="hidden"):
        if hidden.attrs.get("name", "").startswith("initial-"):
            data[hidden.attrs["name"]] = hidden.attrs["value"]
    return data


def at(moment):
    local = moment.astimezone(VIENNA)
    return {"published_at_0": f"{local:%Y-%m-%d}", "published_at_1": f"{local:%H:%M:%S}"}


def press(client, release, action, **changes):
    """Press the button ``action`` on the release's form as shown to ``client``."""
    data = browser_data(client.get(change_url(release)))
    data.update(changes, _action=action)
    return client.post(change_url(release), data)


def buttons(response):
    return [b.text for b in page(response).find_all("button", name="_action")]


def state_line(response):
    return page(response).find("p", cls="workflow-state").text


# ---------------------------------------------------------------------------------------
# What each role is offered


@pytest.mark.parametrize("role", ["writer", "publisher", "superuser"])
@pytest.mark.parametrize("state", ["new", *STATES])
def test_each_role_is_offered_the_actions_it_may_take_in_each_state(role, state, release_in):
    client = client_for(user_for(role))
    url = ADD_URL if state == "new" else change_url(release_in(state))

    response = client.get(url)

    expected = WRITING[state] + (PUBLISHING[state] if role != "writer" else [])
    assert buttons(response) == expected
    assert state_line(response) == STATE_LINES[state]
    shown = page(response)
    assert shown.find("input", name="status").attrs["type"] == "hidden"
    assert shown.find_all("select", name="status") == []
    # The first button keeps the state: it is what Enter in a field does.
    assert shown.find("button", name="_action").attrs["value"] == "save"
    assert shown.find_all("input", name="_continue")  # Save and continue editing stays
    assert shown.find_all("input", name="_addanother") == []


def test_a_site_admin_reads_releases_and_is_offered_no_action(release_in):
    release = release_in("review")
    site_admin = client_for(user_for("site admin"))

    response = site_admin.get(change_url(release))

    assert response.status_code == 200
    assert buttons(response) == []
    refused = site_admin.post(change_url(release), {"_action": "publish"})
    assert refused.status_code == 403
    assert state_of(release) == "review"


def test_the_form_of_a_version_being_restored_keeps_its_save_button(release_in):
    publisher = client_for(user_for("publisher"))
    release = release_in("draft")
    assert press(publisher, release, "save", title="Renamed").status_code == 302
    version = Version.objects.get_for_object(release).first()

    response = publisher.get(reverse("admin:press_release_revision", args=[release.pk, version.pk]))

    assert response.status_code == 200
    assert buttons(response) == []
    assert page(response).find_all("input", name="_save")


# ---------------------------------------------------------------------------------------
# What each action does


@pytest.mark.parametrize(
    ("role", "state", "action", "result"),
    [
        ("writer", "draft", "save", "draft"),
        ("writer", "draft", "review", "review"),
        ("writer", "review", "save", "review"),
        ("writer", "review", "draft", "draft"),
        ("writer", "scheduled", "save", "scheduled"),
        ("writer", "published", "save", "published"),
        ("writer", "unpublished", "save", "unpublished"),
        ("publisher", "draft", "review", "review"),
        ("publisher", "draft", "publish", "published"),
        ("publisher", "draft", "schedule", "scheduled"),
        ("publisher", "review", "publish", "published"),
        ("publisher", "review", "schedule", "scheduled"),
        ("publisher", "review", "draft", "draft"),
        ("publisher", "scheduled", "save", "scheduled"),
        ("publisher", "scheduled", "publish", "published"),
        ("publisher", "scheduled", "draft", "draft"),
        ("publisher", "published", "save", "published"),
        ("publisher", "published", "unpublish", "unpublished"),
        ("publisher", "unpublished", "publish", "published"),
        ("publisher", "unpublished", "schedule", "scheduled"),
    ],
)
def test_each_action_leads_to_its_state(role, state, action, result, release_in):
    client = client_for(user_for(role))
    release = release_in(state)
    when = at(LATER) if action == "schedule" else {}

    response = press(client, release, action, title="Corrected title", **when)

    assert response.status_code == 302, form_errors(response)
    assert response.url == reverse("admin:press_release_changelist")
    assert state_of(release) == result
    assert release.title == "Corrected title"  # the action saves what was written too
    assert release.version == 2
    assert Version.objects.get_for_object(release).first().field_dict["status"] == release.status


def test_the_message_after_an_action_names_the_state_it_left_the_release_in(release_in):
    writer = client_for(user_for("writer"))
    release = release_in("draft")

    response = writer.post(
        change_url(release),
        {**browser_data(writer.get(change_url(release))), "_action": "review"},
        follow=True,
    )

    assert f"“{release.title}” — In review: waiting for a publisher." in messages_of(response)


def test_save_and_continue_editing_keeps_the_state_and_the_page(release_in):
    publisher = client_for(user_for("publisher"))
    release = release_in("review")
    data = browser_data(publisher.get(change_url(release)))

    response = publisher.post(change_url(release), {**data, "_continue": "1"})

    assert response.status_code == 302, form_errors(response)
    assert response.url == change_url(release)
    assert state_of(release) == "review"


# ---------------------------------------------------------------------------------------
# Forged actions: refused, saying why, and nothing saved


@pytest.mark.parametrize(
    ("role", "state", "action", "said"),
    [
        ("writer", "draft", "publish", "Only a publisher can publish"),
        ("writer", "review", "schedule", "Only a publisher can publish"),
        ("writer", "published", "unpublish", "Only a publisher can publish"),
        ("writer", "scheduled", "draft", "Only a publisher can publish"),
        ("writer", "unpublished", "publish", "Only a publisher can publish"),
        ("writer", "published", "review", "not one it offers now"),
        ("publisher", "draft", "unpublish", "not one it offers now"),
        ("publisher", "published", "schedule", "not one it offers now"),
        ("publisher", "published", "draft", "not one it offers now"),
        ("publisher", "draft", "delete", "not an action of this form"),
        ("publisher", "draft", "<script>alert(1)</script>", "not an action of this form"),
        ("writer", "draft", "", "not an action of this form"),
    ],
)
def test_an_action_not_offered_is_refused_and_changes_nothing(
    role, state, action, said, release_in
):
    client = client_for(user_for(role))
    release = release_in(state)
    before = (release.status, release.published_at, release.version)
    versions = Version.objects.get_for_object(release).count()

    response = press(client, release, action, title="Taken over", **at(LATER))

    assert response.status_code == 200
    assert said in form_errors(response)
    errors = page(response).find("ul", cls="errorlist").text
    assert said in errors  # on the page, at the top of the form
    assert "alert(1)" not in response.content.decode()  # what was posted is not echoed
    release.refresh_from_db()
    assert (release.status, release.published_at, release.version) == before
    assert release.title == f"A release, {state}"
    assert Version.objects.get_for_object(release).count() == versions


@pytest.mark.parametrize(("state", "forged"), [("draft", "published"), ("published", "draft")])
def test_the_action_not_a_posted_status_decides_the_state(state, forged, release_in):
    """A status added to the post beside an action is ignored: the action sets it."""
    writer = client_for(user_for("writer"))
    release = release_in(state)

    response = press(writer, release, "save", status=forged)

    assert response.status_code == 302, form_errors(response)
    assert state_of(release) == state


def test_a_status_posted_without_an_action_keeps_the_old_rules_and_shows_why(release_in):
    """Clients of the old form post a status: still accepted under the same rules, and a
    refusal is shown beside the buttons, since the status field itself is hidden."""
    writer = client_for(user_for("writer"))
    release = release_in("review")
    data = browser_data(writer.get(change_url(release)))

    refused = writer.post(change_url(release), {**data, "status": Status.PUBLISHED})
    accepted = writer.post(change_url(release), {**data, "status": Status.DRAFT})

    assert refused.status_code == 200
    assert "valid choice" in page(refused).find("div", cls="workflow-errors").text
    assert accepted.status_code == 302, form_errors(accepted)
    assert state_of(release) == "draft"


# ---------------------------------------------------------------------------------------
# Scheduling


def test_a_scheduled_release_is_shown_as_scheduled_with_its_time_zone(client, release_in):
    publisher = client_for(user_for("publisher"))
    release = release_in("review")

    response = press(publisher, release, "schedule", **at(LATER))

    assert response.status_code == 302, form_errors(response)
    assert state_of(release) == "scheduled"
    assert release.published_at == LATER
    form = publisher.get(change_url(release))
    assert state_line(form) == STATE_LINES["scheduled"]
    assert buttons(form) == WRITING["scheduled"] + PUBLISHING["scheduled"]
    changelist = page(publisher.get(reverse("admin:press_release_changelist")))
    cell = changelist.find("td", cls="field-state")
    assert cell.text == "Scheduled publishes 5 January 2027, 09:00 CET (Europe/Vienna)"
    assert client.get(release.get_absolute_url()).status_code == 404  # not out yet
    with time_machine.travel(LATER + dt.timedelta(minutes=1), tick=False):
        assert client.get(release.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    "when",
    [at(EARLIER), at(NOW), {"published_at_0": "", "published_at_1": ""}],
    ids=["past", "now", "empty"],
)
def test_schedule_asks_for_a_time_to_come(when, release_in):
    publisher = client_for(user_for("publisher"))
    release = release_in("review")

    response = press(publisher, release, "schedule", **when)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["published_at"]
    if when["published_at_0"]:
        assert "a time in the future (Europe/Vienna time)" in errors[0]
        assert "a time in the future" in page(response).find("div", cls="field-published_at").text
    assert state_of(release) == "review"
    assert release.version == 1


def test_a_scheduled_release_can_be_cancelled_back_to_draft(client, release_in):
    publisher = client_for(user_for("publisher"))
    release = release_in("scheduled")

    assert press(publisher, release, "draft").status_code == 302

    assert state_of(release) == "draft"
    with time_machine.travel(LATER + dt.timedelta(minutes=1), tick=False):
        assert client.get(release.get_absolute_url()).status_code == 404  # it stays off


# ---------------------------------------------------------------------------------------
# Publish now: out at once, dated now unless a past date was set on purpose


@pytest.mark.parametrize(
    ("state", "date", "dated"),
    [
        ("draft", {}, NOW),  # the date shown, untouched, is when the draft was begun
        ("review", at(LATER), NOW),  # a time to come: "now" is what was pressed
        ("draft", {"published_at_0": "", "published_at_1": ""}, NOW),
        ("scheduled", {}, NOW),
        ("draft", at(EARLIER), EARLIER),  # typed in this save: a back-dated statement
        ("unpublished", {}, EARLIER),  # put back under the date it had
    ],
    ids=["untouched", "future", "empty", "scheduled", "back-dated", "again"],
)
def test_publish_now_dates_the_release(client, state, date, dated, release_in):
    publisher = client_for(user_for("publisher"))
    release = release_in(state)

    response = press(publisher, release, "publish", **date)

    assert response.status_code == 302, form_errors(response)
    assert state_of(release) == "published"
    assert release.published_at == dated
    assert client.get(release.get_absolute_url()).status_code == 200


def test_a_new_release_published_from_the_add_form_is_dated_now(client):
    publisher = client_for(user_for("publisher"))
    shown = browser_data(publisher.get(ADD_URL))  # the date it shows: when it was opened
    data = new_release_data(title="Ceasefire agreed", slug="ceasefire-agreed", _action="publish")
    for name in ["published_at_0", "published_at_1"]:
        data[name] = data[f"initial-{name}"] = shown[f"initial-{name}"]

    with time_machine.travel(NOW + dt.timedelta(minutes=40), tick=False):  # written meanwhile
        saved = publisher.post(ADD_URL, data)

        assert saved.status_code == 302, form_errors(saved)
        release = Release.objects.get(slug="ceasefire-agreed")
        assert state_of(release) == "published"
        assert release.published_at == NOW + dt.timedelta(minutes=40)
        assert release.created_by.username == "publisher"
        assert client.get(release.get_absolute_url()).status_code == 200
