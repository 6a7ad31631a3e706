"""Admin for the reference data, kept by site admins; everyone else may only read it.

Every change is a revision (django-reversion) that can be compared and reverted; trees are
ordered by drag and drop; a term in use is never deleted but merged into another; the
countries list goes out and comes back as CSV or JSON, previewed before anything is written.
"""

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.validators import URLValidator
from django.db.models.deletion import ProtectedError
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from reversion.admin import VersionAdmin

from osce_site.languages import language_name

from . import menu, transfer, trees, usage
from .admin_ids import SafeAutocomplete
from .models import (
    Chairpersonship,
    Country,
    CountryGroup,
    FieldOfWork,
    Meeting,
    MenuItem,
    OldAddress,
    Place,
    cldr_country_name,
)
from .translated import column, columns_by_language, other_languages


class TranslationsAdmin:
    """Each other language's fields in a folded section of its own, named in that
    language, below the default language's: the form reads as before, and a translator
    opens the one section they write."""

    def get_fieldsets(self, request, obj=None):
        by_language = columns_by_language(self.model)
        columns = {name for names in by_language.values() for name in names}
        fieldsets = [
            (title, {**options, "fields": [f for f in options["fields"] if f not in columns]})
            for title, options in super().get_fieldsets(request, obj)
        ]
        for code, names in by_language.items():
            if names:
                section = {"fields": names, "classes": ["collapse"]}
                fieldsets.append((language_name(code), section))
        return fieldsets

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if isinstance(obj, Country) and obj.iso_code:
            for code in other_languages():
                field = form.base_fields.get(column("name", code))
                common = cldr_country_name(obj.iso_code, code)
                if field is not None and common:
                    field.widget.attrs["placeholder"] = common
                    field.help_text = f"Left empty, the site writes CLDR's name: {common}."
        return form


class AliasSearchMixin:
    """Search by name or alias, ignoring case and diacritics ("turkey" finds Türkiye)."""

    search_fields = ["name", "slug"]

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            results |= queryset.search_names(search_term)
        return results, may_have_duplicates


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(queryset=None, label="Merge into")

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = queryset


class ReferenceAdmin(TranslationsAdmin, SafeAutocomplete, VersionAdmin):
    """What every reference-data admin shares: history, guarded deletes, and merging."""

    actions = ["merge_terms"]
    guard_deletes = True

    def delete_view(self, request, object_id, extra_context=None):
        term = self.get_object(request, object_id)
        reason = usage.describe_uses(term) if term is not None else ""
        if reason and request.user.has_perm(
            self.opts.app_label + ".delete_" + self.opts.model_name
        ):
            self.message_user(request, reason, messages.ERROR)
            return HttpResponseRedirect(
                reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[term.pk]
                )
            )
        return super().delete_view(request, object_id, extra_context)

    def get_deleted_objects(self, objs, request):
        """The bulk delete too refuses terms in use, saying which and by how much."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        in_use = [usage.describe_uses(obj) for obj in objs] if self.guard_deletes else []
        in_use = [reason for reason in in_use if reason]
        return to_delete, model_count, perms_needed, [*protected, *in_use]

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """A revert writes the row as it was, past ``Term.save``: keep what a save keeps,
        the address and name it had until now (a 301 and an alias)."""
        before = self.model._default_manager.filter(pk=object_id).first()
        response = super().revision_view(request, object_id, version_id, extra_context)
        after = self.model._default_manager.filter(pk=object_id).first()
        if response.status_code == 302 and before is not None and after is not None:
            self.after_revert(before, after)
        return response

    def after_revert(self, before, after):
        if getattr(after, "slug", None) is None:
            return
        if after.add_aliases(before.name):
            type(after)._default_manager.filter(pk=after.pk).update(aliases=after.aliases)
        if before.slug != after.slug:
            OldAddress.remember(after, before.slug)

    def delete_model(self, request, obj):
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment("Deleted.")
            reversion.add_to_revision(obj)
            super().delete_model(request, obj)

    @admin.action(description="Merge the selected into another term…", permissions=["delete"])
    def merge_terms(self, request, queryset):
        """Ask for the target, then move each selected term's releases to it and delete it."""
        sources = list(queryset)
        candidates = self.model._default_manager.exclude(pk__in=[s.pk for s in sources])
        for source in sources:
            candidates = candidates & usage.merge_candidates(source)
        form = MergeForm(request.POST if "apply" in request.POST else None, queryset=candidates)
        if form.is_valid():
            target = form.cleaned_data["target"]
            moved = []
            try:
                with reversion.create_revision():
                    reversion.set_user(request.user)
                    for source in sources:
                        reversion.add_to_revision(source)
                        for count, label in usage.merge(source, target):
                            moved.append(f"{count} {label}")
                    target.refresh_from_db()
                    reversion.add_to_revision(target)
                    names = ", ".join(f"“{s}”" for s in sources)
                    reversion.set_comment(f"Merged {names} into it.")
            except (ValueError, ProtectedError) as error:
                self.message_user(request, str(error), messages.ERROR)
                return None
            self.message_user(
                request,
                f"Merged {names} into “{target}”"
                + (f", moving {', '.join(moved)}." if moved else "."),
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Merge into another {self.opts.verbose_name}",
            "sources": [(source, usage.uses(source)) for source in sources],
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "selected": [source.pk for source in sources],
        }
        return TemplateResponse(request, "admin/taxonomy/merge.html", context)


class TreeAdmin(ReferenceAdmin, trees.TreeAdmin):
    def refuse_bulk_delete(self, request, queryset):
        """A bulk delete of terms in use is refused, as a single delete is."""
        reasons = [usage.describe_uses(term) for term in queryset] if self.guard_deletes else []
        return [reason for reason in reasons if reason]

    def moving(self, request):
        """A drag and drop is a change like any other: it leaves a revision in History."""
        return reversion.create_revision()

    def moved(self, request, node):
        reversion.set_user(request.user)
        reversion.set_comment(f"Moved under “{node.parent or 'the top level'}”.")
        reversion.add_to_revision(node)

    def after_revert(self, before, after):
        """The revert wrote one term's old tree columns: renumber the tree from the parents
        (siblings keep their order), so it stays whole, and take its menu entry along."""
        trees.rebuild(self.model)
        super().after_revert(before, after)
        if before.parent_id != after.parent_id and self.model in menu.followed_models():
            menu.place_entry(self.model._default_manager.get(pk=after.pk))

    def recover_view(self, request, version_id, extra_context=None):
        response = super().recover_view(request, version_id, extra_context)
        if response.status_code == 302:
            trees.rebuild(self.model)
        return response


class TreeTermAdmin(AliasSearchMixin, TreeAdmin):
    list_display = [*TreeAdmin.list_display, "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(FieldOfWork)
class FieldOfWorkAdmin(TreeTermAdmin):
    pass


@admin.register(Meeting)
class MeetingAdmin(TreeTermAdmin):
    pass


@admin.register(CountryGroup)
class CountryGroupAdmin(AliasSearchMixin, ReferenceAdmin):
    list_display = ["name", "position", "slug"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


class ChairpersonshipInline(admin.TabularInline):
    model = Chairpersonship
    extra = 0


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="A .csv or .json file as the export gives; at most 2 MB. Rows add or "
        "change countries (matched by slug); countries not in the file stay as they are."
    )


@admin.register(Country)
class CountryAdmin(AliasSearchMixin, ReferenceAdmin):
    list_display = ["name", "group", "iso_code", "sort_name", "joined_on", "chair_years"]
    list_filter = ["group"]
    list_select_related = ["group"]
    search_fields = ["name", "slug", "iso_code", "sort_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ChairpersonshipInline]
    change_list_template = "admin/taxonomy/country/change_list.html"
    _signer = signing.TimestampSigner(salt="taxonomy.country-import")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("chairpersonships")

    @admin.display(description="Chairpersonship")
    def chair_years(self, country):
        return ", ".join(str(c.year) for c in sorted(country.chairpersonships.all(), key=_year))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("export.<str:fmt>", view(self.export_view), name="taxonomy_country_export"),
            path("import/", view(self.import_view), name="taxonomy_country_import"),
            *super().get_urls(),
        ]

    def export_view(self, request, fmt):
        if not self.has_view_permission(request):
            raise PermissionDenied
        writers = {
            "csv": (transfer.to_csv, "text/csv"),
            "json": (transfer.to_json, "application/json"),
        }
        if fmt not in writers:
            return HttpResponse("Export as .csv or .json.", status=404, content_type="text/plain")
        write, content_type = writers[fmt]
        response = HttpResponse(
            write(transfer.export_rows()), content_type=f"{content_type}; charset=utf-8"
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="countries-{stamp}.{fmt}"'
        return response

    def import_view(self, request):
        """Upload → a preview of every change (nothing written) → apply, all or nothing."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import countries",
            "form": ImportForm(),
        }
        if request.method == "POST" and "confirm" in request.POST:
            try:
                rows = self._signer.unsign_object(request.POST["confirm"], max_age=60 * 60)
                rows = (rows["rows"], rows["first_row"])
            except signing.BadSignature:
                self.message_user(
                    request, "The preview has expired; upload the file again.", messages.ERROR
                )
                return HttpResponseRedirect(request.path)
            result = transfer.plan(*rows)
            if not result.errors:
                with reversion.create_revision():
                    reversion.set_user(request.user)
                    reversion.set_comment("Imported from a countries file.")
                    count = transfer.apply(result)
                    for row in result.changed:
                        reversion.add_to_revision(row.form.instance)
                self.message_user(request, f"{count} countries added or changed.", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:taxonomy_country_changelist"))
            context["result"] = result  # the data changed since the preview: show why
        elif request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            context["form"] = form
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    rows = transfer.read(upload.read(transfer.MAX_BYTES + 1), upload.name)
                except transfer.UnreadableFile as error:
                    form.add_error("file", str(error))
                else:
                    first_row = 1 if upload.name.lower().endswith(".json") else 2
                    result = transfer.plan(rows, first_row)
                    context.update(result=result, filename=upload.name)
                    if not result.errors and result.changed:
                        context["confirm"] = self._signer.sign_object(
                            {"rows": rows, "first_row": first_row}, compress=True
                        )
        return TemplateResponse(request, "admin/taxonomy/country/import.html", context)


def _year(chair):
    return chair.year


@admin.register(Chairpersonship)
class ChairpersonshipAdmin(ReferenceAdmin):
    list_display = ["year", "country"]
    list_select_related = ["country"]
    autocomplete_fields = ["country"]
    actions = []


@admin.register(Place)
class PlaceAdmin(AliasSearchMixin, ReferenceAdmin):
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
        fields = [
            "parent",
            "label",
            "url",
            *(name for names in columns_by_language(MenuItem).values() for name in names),
        ]

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

    def clean_url(self):
        """An address the menu shows as a link (``menu.is_link``), and a well-formed one."""
        url = self.cleaned_data["url"].strip()
        if url and not menu.is_link(url):
            raise forms.ValidationError(
                "Give a path on this site (/countries/) or a full address (https://…).",
                code="invalid_url",
            )
        if url and not url.startswith("/"):
            URLValidator(schemes=["http", "https"])(url)
        return url

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
class MenuItemAdmin(TreeAdmin):
    actions = []
    guard_deletes = False  # an entry is no term: deleting a heading takes its entries along
    form = MenuItemForm
    list_display = [*trees.TreeAdmin.list_display, "content_type", "url"]
    list_select_related = ["content_type"]
