from django.apps import AppConfig


class PressConfig(AppConfig):
    name = "press"
    verbose_name = "Press releases"

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.utils import timezone

        from taxonomy import freshness

        from .models import Release
        from .search import plain_text_on_sqlite

        connection_created.connect(plain_text_on_sqlite, dispatch_uid="press-sqlite-search")
        # Writes move the versions through triggers; the clock publishes scheduled releases.
        table = Release._meta.db_table
        freshness.register_schedule(
            f"SELECT MIN(published_at) FROM {table} WHERE status = %s AND published_at > %s",
            lambda connection: [
                Release.Status.PUBLISHED,
                connection.ops.adapt_datetimefield_value(timezone.now()),
            ],
        )
