from django.apps import AppConfig


class PressConfig(AppConfig):
    name = "press"
    verbose_name = "Press releases"

    def ready(self):
        from django.db.backends.signals import connection_created

        from .search import plain_text_on_sqlite

        connection_created.connect(plain_text_on_sqlite, dispatch_uid="press-sqlite-search")
