from django.contrib import admin, messages

from taxonomy.admin import TreeTermAdmin

from .models import Structure


@admin.register(Structure)
class StructureAdmin(TreeTermAdmin):
    list_display = [*TreeTermAdmin.list_display, "kind", "host_country", "opened_on", "closed_on"]
    list_filter = ["kind", ("closed_on", admin.EmptyFieldListFilter)]
    list_select_related = ["host_country"]
    autocomplete_fields = ["host_country", "seat"]

    def save_model(self, request, obj, form, change):
        chosen_parent = obj.parent_id
        super().save_model(request, obj, form, change)
        if obj.parent_id != chosen_parent:
            self.message_user(
                request,
                f"“{obj}” is closed, so it now sits under “{obj.parent}”; "
                "its page, address and releases stay.",
                messages.INFO,
            )
