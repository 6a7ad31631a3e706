from django.contrib import admin

from .models import Release


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ["title", "type", "status", "published_at", "place", "source_names"]
    list_filter = ["status", "type", "sources", "fields_of_work"]
    list_select_related = ["place"]
    search_fields = ["title", "slug", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["place", "sources", "countries"]
    filter_horizontal = ["fields_of_work", "meetings"]
    readonly_fields = ["created_at", "updated_at", "imported_from"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "type", "status", "published_at"]}),
        ("Where and who", {"fields": ["place", "sources", "countries"]}),
        ("Filed under", {"fields": ["fields_of_work", "meetings"]}),
        (None, {"fields": ["body"]}),
        (
            "Record",
            {"classes": ["collapse"], "fields": ["imported_from", "created_at", "updated_at"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sources")

    @admin.display(description="Sources")
    def source_names(self, release):
        return ", ".join(source.name for source in release.sources.all())
