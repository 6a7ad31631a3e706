from django.apps import AppConfig


class PressConfig(AppConfig):
    name = "press"
    verbose_name = "Press releases"

    def ready(self):
        from django.db.backends.signals import connection_created

        from taxonomy.models import Place

        from . import pagecache
        from .models import Attachment, Release
        from .search import plain_text_on_sqlite

        connection_created.connect(plain_text_on_sqlite, dispatch_uid="press-sqlite-search")
        # Terms, chairs and the menu bump the menu's version, also part of a page's key.
        pagecache.watch(Release, Attachment, Place)
