"""The alerts' work, as tasks a worker runs (django-tasks, its database backend).

``tick`` does the rounds: match what went public, write what is due, forget stale
subscriptions, hand the sending to ``send_batch`` tasks (one a worker can take, so several
workers send side by side), and enqueue itself again :data:`TICK` later: scheduled
releases become news at their second with no write to wake anyone, so the clock must.
A release published by hand wakes it at once (alerts.signals).
"""

import datetime as dt
import math

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import matching, outbox
from .models import Message

TICK = dt.timedelta(seconds=20)  # immediate alerts leave within this and a send
BATCH = 50  # messages a send task takes before giving the rest to another


@task()
def tick():
    now = timezone.now()
    matched = matching.match_new_releases(now)
    written = outbox.write_alerts(now)
    forgotten = outbox.forget_unconfirmed(now)
    enqueue_sending()
    schedule_tick(now + outbox.setting("TICK", TICK))
    return {"matched": matched, "written": written, "forgotten": forgotten}


@task()
def send_batch():
    return outbox.send_due(limit=BATCH)


def enqueue_sending():
    """Enough send tasks for the messages due now, one per :data:`BATCH`."""
    due = Message.objects.filter(status=Message.Status.PENDING, due_at__lte=timezone.now()).count()
    for _ in range(math.ceil(due / BATCH)):
        send_batch.enqueue()


def schedule_tick(when=None):
    """Make sure a tick is waiting to run at ``when`` (now by default), or sooner."""
    from django_tasks_db.models import DBTaskResult

    when = when or timezone.now()
    waiting = DBTaskResult.objects.filter(task_path=tick.module_path, status="READY")
    if waiting.filter(run_after__lte=when).exists():
        return
    tick.using(run_after=when).enqueue()


def wake():
    """Run a tick once the release has settled, after this transaction commits (a release
    went public): matching waits :data:`alerts.matching.SETTLE` for the terms a script
    may attach after saving the release itself."""

    def settled():
        schedule_tick(timezone.now() + outbox.setting("SETTLE", matching.SETTLE))

    transaction.on_commit(settled)


def send_soon():
    """Send what is due now, after this transaction commits (a confirmation)."""
    transaction.on_commit(lambda: send_batch.enqueue())
