from django.contrib import admin

from taxonomy.admin import TreeTermAdmin

from .models import Structure


@admin.register(Structure)
class StructureAdmin(TreeTermAdmin):
    list_display = [*TreeTermAdmin.list_display, "kind", "host_country", "closed_on"]
    list_filter = ["kind", ("closed_on", admin.EmptyFieldListFilter)]
    list_select_related = ["host_country"]
    autocomplete_fields = ["host_country", "seat"]
