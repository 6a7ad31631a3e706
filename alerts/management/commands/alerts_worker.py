"""A worker for the alerts' queue: django-tasks-db's worker, with the alerts' clock set.

``make worker`` runs one. Several may run, on one machine or many, against the same
database: each task is taken by one worker (the database's row locks), each message by
one sender (alerts.outbox.claim), so they share the work and never send twice.
"""

from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from alerts import tasks


class Command(WorkerCommand):
    help = "Run a worker for the email alerts (and any other task): sends what is due."

    def handle(self, *args, **options):
        tasks.schedule_tick()  # the clock's first tick; each tick sets the next
        return super().handle(*args, **options)
