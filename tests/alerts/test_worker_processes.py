"""Real alert workers: ``manage.py alerts_worker`` in processes of their own, on one
database, sending to a real SMTP server. A worker killed mid-batch loses nothing and sends
nothing twice; two workers side by side never send one message twice; a release published
in another process reaches its subscriber through a running worker.

The workers use a SQLite file of their own, a copy of the test database
(``reference_database``), which the test reads directly to see what they did. The lease on
a message and the period of the alerts' clock are shortened through the environment
(``ALERTS_LEASE_SECONDS``, ``ALERTS_TICK_SECONDS``), so that a message held by a killed
worker comes back in seconds, not minutes.
"""

import collections
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.alerts.conftest import text_of

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
LEASE_SECONDS = 2
WAIT_SECONDS = 60


class Site:
    """The workers' database and environment, and what a test runs and reads there."""

    def __init__(self, folder, env):
        self.folder = folder
        self.env = env
        self.database = folder / "db.sqlite3"
        self.workers = []

    def shell(self, code):
        result = subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def worker(self, name, *options, env=None):
        """A worker polling every tenth of a second, as ``make worker`` runs one."""
        log = self.folder / f"worker-{name}.log"
        command = [PYTHON, "manage.py", "alerts_worker", "--no-reload", "--no-startup-delay"]
        with log.open("w") as output:  # a file: an unread pipe would fill and stop it
            process = subprocess.Popen(
                [*command, "--interval", "0.1", "--worker-id", name, *options],
                cwd=ROOT,
                env=env or self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        self.workers.append((process, log))
        return process

    def stop_workers(self):
        for process, _log in self.workers:
            if process.poll() is None:
                process.terminate()  # the worker's own graceful stop
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    def logs(self):
        return "\n".join(f"--- {log.name}\n{log.read_text()}" for _process, log in self.workers)

    def rows(self, sql, *params):
        with sqlite3.connect(self.database, timeout=20) as database:
            database.row_factory = sqlite3.Row
            return database.execute(sql, params).fetchall()

    def messages(self):
        return self.rows(
            "SELECT message.id, subscriber.email, message.status, message.claimed_until,"
            " message.sent_at, message.attempts FROM alerts_message AS message"
            " JOIN alerts_subscriber AS subscriber ON subscriber.id = message.subscriber_id"
        )

    def tasks(self, name):
        return self.rows(
            "SELECT status, worker_ids, return_value FROM django_tasks_database_dbtaskresult"
            " WHERE task_path = ?",
            f"alerts.tasks.{name}",
        )

    def wait_for(self, condition, what):
        """``condition()``'s first true value, asked until it has one or time is up."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            found = condition()
            if found:
                return found
            for process, _log in self.workers:
                assert process.poll() in (None, -9), f"a worker stopped:\n{self.logs()}"
            time.sleep(0.02)
        raise AssertionError(f"{what}: not within {WAIT_SECONDS} s\n{self.logs()}")


@pytest.fixture
def site(tmp_path, reference_database, smtp):
    if connection.vendor != "sqlite":
        pytest.skip("the workers use a SQLite file of their own: run once, on the SQLite run")
    reference_database(tmp_path / "db.sqlite3")
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DEBUG"}
    }
    env.update(
        VAR_DIR=str(tmp_path),
        DEBUG="1",  # with EMAIL_HOST set: the SMTP backend, to the test's server
        LOG_LEVEL="WARNING",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
        SITE_URL="https://newsroom.example.org",
        ALERTS_LEASE_SECONDS=str(LEASE_SECONDS),
        ALERTS_TICK_SECONDS="1",
        ALERTS_SETTLE_SECONDS="1",
    )
    running = Site(tmp_path, env)
    yield running
    running.stop_workers()


def write_messages(site, count):
    """``count`` alert emails waiting in the outbox, one to each of ``count`` readers."""
    site.shell(
        "from alerts.models import Message, Subscriber\n"
        "subscribers = Subscriber.objects.bulk_create(\n"
        f"    Subscriber(email=f'reader{{n}}@example.net') for n in range({count})\n"
        ")\n"
        "Message.objects.bulk_create(\n"
        "    Message(kind='alert', subscriber=subscriber, subject=f'For {subscriber.email}',\n"
        "            text='One new release.', html='<p>One new release.</p>')\n"
        "    for subscriber in subscribers\n"
        ")\n"
    )
    return {f"reader{n}@example.net" for n in range(count)}


def received_per_address(smtp):
    return collections.Counter(message["To"] for message in smtp.mailbox.received)


def all_sent(site):
    return all(row["status"] == "sent" for row in site.messages())


def when(stored):
    """A time as Django keeps it in SQLite (UTC, no zone)."""
    return dt.datetime.fromisoformat(stored)


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(site, smtp):
    addresses = write_messages(site, 30)
    smtp.mailbox.slow = 0.2  # each recipient: the worker is mid-message most of the time
    first = site.worker("first")

    def holding_one():
        """The message the worker holds while the server takes its recipient: all it sent
        is received, and one more is claimed (after a few)."""
        rows = site.messages()
        sent = [row for row in rows if row["status"] == "sent"]
        held = [row for row in rows if row["status"] == "pending" and row["claimed_until"]]
        if len(sent) >= 4 and len(held) == 1 and len(sent) == len(smtp.mailbox.received):
            return held[0]
        return None

    held = site.wait_for(holding_one, "the first worker sending")
    first.kill()  # SIGKILL: no goodbye, its claim stays
    first.wait()
    before = received_per_address(smtp)
    assert held["email"] not in before
    assert 4 <= len(before) < 30

    site.worker("second")
    site.wait_for(lambda: all_sent(site), "every message sent")
    assert received_per_address(smtp) == dict.fromkeys(addresses, 1)
    again = {row["id"]: row for row in site.messages()}[held["id"]]
    assert when(again["sent_at"]) >= when(held["claimed_until"])  # taken once its lease ended
    assert again["attempts"] == 1


def test_two_workers_side_by_side_never_send_one_message_twice(site, smtp):
    # 120 messages: the clock hands them out as three send tasks, which both workers take.
    addresses = write_messages(site, 120)
    smtp.mailbox.slow = 0.01
    site.worker("first")
    site.worker("second")
    site.wait_for(lambda: all_sent(site), "every message sent")
    assert received_per_address(smtp) == dict.fromkeys(addresses, 1)
    assert {row["attempts"] for row in site.messages()} == {1}

    # A batch marks each message sent as it goes, and itself done after its last one.
    running = lambda: [t for t in site.tasks("send_batch") if t["status"] == "RUNNING"]  # noqa: E731
    site.wait_for(lambda: not running(), "every send task ended")
    sent_by = collections.Counter()
    for task in site.tasks("send_batch"):
        assert task["status"] in ("SUCCESSFUL", "READY"), task["status"]
        if task["status"] == "SUCCESSFUL":
            [worker] = json.loads(task["worker_ids"])
            sent_by[worker] += json.loads(task["return_value"]).get("sent", 0)
    assert set(sent_by) == {"first", "second"}, sent_by  # both sent, side by side
    assert all(count > 0 for count in sent_by.values()), sent_by
    assert sum(sent_by.values()) == 120


SUBSCRIBE = """
from django.utils import timezone
from alerts import matching
from alerts.models import Alert, Subscriber
subscriber = Subscriber.objects.create(email="reader@example.net")
alert = Alert.objects.create(
    subscriber=subscriber,
    query="country=moldova",
    frequency="immediately",
    confirmed_at=timezone.now(),
)
matching.set_keys(alert)
"""

# As the admin and the importer save a release: with its terms, in one transaction, so
# that the worker it wakes finds them.
PUBLISH = """
import datetime as dt
from django.db import transaction
from django.utils import timezone
from tests.helpers.factories import make_release
with transaction.atomic():
    make_release(
        title={title!r},
        countries=("moldova",),
        published_at=timezone.now() + dt.timedelta(seconds={seconds}),
    )
"""


def ticked(site):
    return any(task["status"] == "SUCCESSFUL" for task in site.tasks("tick"))


def test_a_release_published_in_another_process_reaches_its_subscriber_at_once(site, smtp):
    site.shell(SUBSCRIBE)
    env = {name: value for name, value in site.env.items() if name != "ALERTS_TICK_SECONDS"}
    site.worker("only", env=env)  # the clock's own period: 20 seconds
    site.wait_for(lambda: ticked(site), "the worker's first tick")

    title = "Observers welcome the calm vote in Moldova"
    published = time.monotonic()
    site.shell(PUBLISH.format(title=title, seconds=0))
    [mail] = site.wait_for(lambda: smtp.mailbox.to("reader@example.net"), "the alert")
    # Woken by the publication, not found by the clock's next round 20 seconds on.
    assert time.monotonic() - published < 15
    assert title in text_of(mail)
    assert mail["List-Unsubscribe"]


def test_a_scheduled_release_reaches_its_subscriber_at_its_second(site, smtp):
    site.shell(SUBSCRIBE)
    site.worker("only")  # its clock ticks every second here
    site.wait_for(lambda: ticked(site), "the worker's first tick")

    title = "The Chairperson visits Chisinau"
    due = time.monotonic() + 3  # at the earliest: the shell reads its clock after this
    site.shell(PUBLISH.format(title=title, seconds=3))
    [mail] = site.wait_for(lambda: smtp.mailbox.to("reader@example.net"), "the alert")
    assert time.monotonic() >= due  # not before its second
    assert title in text_of(mail)
