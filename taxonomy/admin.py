"""Admin for the reference data: draggable trees, and searches that know the aliases."""

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from mptt.admin import DraggableMPTTAdmin

from . import menu
from .models import Chairpersonship, Country, CountryGroup, FieldOfWork, Meeting, MenuItem, Place


class AliasSearchMixin:
    """Search by name or alias, ignoring case and diacritics ("turkey" finds Türkiye)."""

    search_fields = ["name", "slug"]

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            results |= queryset.search_names(search_term)
        return results, may_have_duplicates


class TreeTermAdmin(AliasSearchMixin, DraggableMPTTAdmin):
    list_display = ["tree_actions", "indented_title", "slug"]
    list_display_links = ["indented_title"]
    prepopulated_fields = {"slug": ["name"]}
    mptt_level_indent = 24


@admin.register(FieldOfWork)
class FieldOfWorkAdmin(TreeTermAdmin):
    pass


@admin.register(Meeting)
class MeetingAdmin(TreeTermAdmin):
    pass


@admin.register(CountryGroup)
class CountryGroupAdmin(AliasSearchMixin, admin.ModelAdmin):
    list_display = ["name", "position", "slug"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


class ChairpersonshipInline(admin.TabularInline):
    model = Chairpersonship
    extra = 0


@admin.register(Country)
class CountryAdmin(AliasSearchMixin, admin.ModelAdmin):
    list_display = ["name", "group", "iso_code", "sort_name", "joined_on"]
    list_filter = ["group"]
    list_select_related = ["group"]
    search_fields = ["name", "slug", "iso_code", "sort_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ChairpersonshipInline]


@admin.register(Chairpersonship)
class ChairpersonshipAdmin(admin.ModelAdmin):
    list_display = ["year", "country"]
    list_select_related = ["country"]
    autocomplete_fields = ["country"]


@admin.register(Place)
class PlaceAdmin(AliasSearchMixin, admin.ModelAdmin):
    list_display = ["name", "country", "slug"]
    list_filter = ["country__group"]
    list_select_related = ["country"]
    search_fields = ["name", "slug", "country__name"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name"]}


class MenuItemForm(forms.ModelForm):
    """Pick the term an entry points at from one grouped list, not by kind and number."""

    target = forms.ChoiceField(
        label="Term",
        required=False,
        help_text="The entry shows this term's current name and links to its page.",
    )

    class Meta:
        model = MenuItem
        fields = ["parent", "label", "url"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— none: a heading or plain link —")]
        for model in menu.linkable_models():
            content_type = ContentType.objects.get_for_model(model)
            terms = model._default_manager.only("pk", "name").order_by("name")
            choices.append(
                (
                    model._meta.verbose_name_plural.capitalize(),
                    [(f"{content_type.pk}:{term.pk}", term.name) for term in terms],
                )
            )
        self.fields["target"].choices = choices
        if self.instance.object_id is not None:
            self.initial["target"] = f"{self.instance.content_type_id}:{self.instance.object_id}"

    def clean(self):
        cleaned = super().clean()
        target = cleaned.get("target")
        if target:
            content_type_id, object_id = map(int, target.split(":"))
            self.instance.content_type_id, self.instance.object_id = content_type_id, object_id
        else:
            self.instance.content_type_id = self.instance.object_id = None
        return cleaned


@admin.register(MenuItem)
class MenuItemAdmin(DraggableMPTTAdmin):
    form = MenuItemForm
    list_display = ["tree_actions", "indented_title", "content_type", "url"]
    list_display_links = ["indented_title"]
    list_select_related = ["content_type"]
    mptt_level_indent = 24
