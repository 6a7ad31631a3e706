"""The newsroom in Django's admin: writing, review, publishing, revisions and scopes.

Who may do what: writers (Communications staff) create and correct releases and send them
for review; only those with ``press.publish_release`` (Publishers) publish, schedule,
unpublish and delete. A writer with an editorial scope sees, edits and picks only the
sources in it. Every save is a revision (django-reversion); a save over a newer one is
refused.
"""

import difflib

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from reversion.admin import VersionAdmin
from reversion.models import Version

from institutions.models import Structure
from taxonomy import trees
from taxonomy.admin_ids import SafeAutocomplete, check_ids
from taxonomy.models import FieldOfWork

from . import workflow
from .models import (
    SHARED_RELATIONS,
    Attachment,
    EditorialScope,
    EmbargoLink,
    LeadImage,
    Release,
    SlugRedirect,
)
from .workflow import can_publish

Status = Release.Status
PUBLISHING_STATES = {Status.PUBLISHED, Status.UNPUBLISHED}


class ReleaseForm(forms.ModelForm):
    fields_of_work = trees.TreeMultipleChoiceField(
        queryset=FieldOfWork.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose the most specific fields; a field includes everything below it.",
    )
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Release
        fields = [
            "title", "slug", "type", "status", "published_at", "language", "translation_of",
            "place", "sources", "countries", "fields_of_work", "meetings", "lead", "body",
        ]  # fmt: skip

    def __init__(self, *args, user=None, before_revert=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.before_revert = before_revert
        if before_revert is not None:
            # Restoring a version restores its content; the count of saves goes on, and a
            # writer's restore keeps the publication state, which only publishers change.
            self.instance.version = before_revert.version
            if user and not can_publish(user):
                for name in ("status", "published_at"):
                    setattr(self.instance, name, getattr(before_revert, name))
                    self.initial[name] = getattr(before_revert, name)
        self.fields["seen_version"].initial = self.instance.version
        for field in self.fields.values():
            check_ids(field)
        self.allowed_sources = EditorialScope.sources_for(user) if user else None
        if self.allowed_sources is not None and "sources" in self.fields:
            # A joint release keeps its sources outside the scope; none can be added.
            kept = self.instance.sources.all() if self.instance.pk else Structure.objects.none()
            inside = Structure.objects.subtree_of(*self.allowed_sources)
            self.fields["sources"].queryset = inside | Structure.objects.filter(pk__in=kept)
        if user and not can_publish(user) and "status" in self.fields:
            current = self.instance.status if self.instance.pk else Status.DRAFT
            # Never offer a state that would be refused: a published or unpublished
            # release keeps its state for a writer; a draft goes to review and back.
            allowed = {current} if current in PUBLISHING_STATES else {Status.DRAFT, Status.REVIEW}
            self.fields["status"].choices = [c for c in Status.choices if c[0] in allowed]
        self.offer = self.action = self.refused = None
        if user and before_revert is None and {"status", "published_at"} <= set(self.fields):
            self.take_action(user)

    def take_action(self, user):
        """People choose actions, not states: the status is shown beside the form's buttons
        (``offer``), not chosen, and the button pressed sets it. A post without one (Save and
        continue editing, or a client of the old form) keeps the status it posts, under the
        same rules."""
        self.offer = workflow.Offer.make(user, self.instance)
        self.fields["status"].widget = forms.HiddenInput()
        zone = timezone.get_current_timezone_name()
        self.fields["published_at"].help_text += f" Times are {zone} time."
        name = self.data.get("_action") if self.is_bound else None
        if name is None:
            return
        self.action = self.offer.find(name)
        if self.action is None:
            self.refused = name
            return
        data = self.data.copy()
        data["status"] = self.action.status or (self.instance.status or Status.DRAFT)
        self.data = data
        if self.action.name == workflow.PUBLISH:
            self.fields["published_at"].required = False  # left empty: dated now

    def date_changed(self, cleaned):
        """Whether the person set another publication date than the one shown."""
        shown_at = self.initial.get("published_at")
        if shown_at is not None:  # the form shows whole seconds: so it is compared
            shown_at = shown_at.replace(microsecond=0)
        return "published_at" in self.changed_data and cleaned.get("published_at") != shown_at

    def clean(self):
        cleaned = super().clean()
        if self.refused is not None:
            raise forms.ValidationError(self.offer.refusal(self.refused, self.user), code="refused")
        if self.instance.pk:
            # While a version is being restored the row holds that version's values: the
            # number to compare with is the one from before the restore.
            if self.before_revert is not None:
                current = self.before_revert.version
            else:
                stored = Release.objects.filter(pk=self.instance.pk).values_list("version")
                current = (stored.first() or (None,))[0]
            seen = cleaned.get("seen_version")
            if current is not None and seen is not None and seen != current:
                raise forms.ValidationError(
                    "Someone else saved this release while you were editing it, so your "
                    "changes were not saved. Copy what you changed, reload the page to see "
                    "their version, and apply your changes again.",
                    code="conflict",
                )
        status = cleaned.get("status")
        if self.user and not can_publish(self.user):
            before = self.initial.get("status") if self.instance.pk else Status.DRAFT
            if status != before and (status in PUBLISHING_STATES or before in PUBLISHING_STATES):
                self.add_error("status", "Only a publisher can publish or unpublish a release.")
            if before == Status.PUBLISHED and self.date_changed(cleaned):
                self.add_error("published_at", "Only a publisher can reschedule a release.")
        if self.action is not None:
            self.date_for_action(cleaned)
        return cleaned

    def date_for_action(self, cleaned):
        """Schedule… needs a time to come; Publish now dates the release now, unless it keeps
        a date in the past set on purpose: typed in this save (a back-dated statement), or
        the one it had before it was taken off the site."""
        at, now = cleaned.get("published_at"), timezone.now()
        if self.action.name == workflow.SCHEDULE and at is not None and at <= now:
            self.add_error(
                "published_at",
                "To schedule the release, set its publication date to a time in the future "
                f"({timezone.get_current_timezone_name()} time), then press “Schedule…” again.",
            )
        elif self.action.name == workflow.PUBLISH:
            on_purpose = self.offer.state == Status.UNPUBLISHED or self.date_changed(cleaned)
            if at is None or at > now or not on_purpose:
                cleaned["published_at"] = now


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["title", "file"]


class LeadImageInline(admin.StackedInline):
    """One at most; deleting it (or uploading another) removes its files."""

    model = LeadImage
    extra = 1
    max_num = 1
    fields = ["file", "alt", "caption", "credit"]


@admin.register(Release)
class ReleaseAdmin(SafeAutocomplete, VersionAdmin):
    form = ReleaseForm
    object_history_template = "admin/press/release/object_history.html"
    list_display = [
        "title",
        "type",
        "language",
        "needs_update",
        "state",
        "published_at",
        "source_names",
        "created_by",
    ]
    list_filter = [
        "status",
        "type",
        "language",
        "needs_update",
        "sources",
        "fields_of_work",
        "created_by",
    ]
    list_select_related = ["created_by"]
    search_fields = ["title", "slug", "lead", "body"]
    date_hierarchy = "published_at"
    show_full_result_count = False  # "of 100,000" is one COUNT(*) more on every filtered list
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["place", "sources", "countries", "translation_of"]
    filter_horizontal = ["meetings"]
    readonly_fields = ["created_at", "created_by", "updated_at", "updated_by", "imported_from"]
    inlines = [LeadImageInline, AttachmentInline]
    actions = ["publish_selected", "unpublish_selected", "submit_for_review"]

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/admin-workflow.js"]

    fieldsets = [
        (None, {"fields": ["title", "slug", "type", "status", "published_at", "seen_version"]}),
        ("Language", {"fields": ["language", "translation_of", "translations"]}),
        ("Where and who", {"fields": ["place", "sources", "countries"]}),
        ("Filed under", {"fields": ["fields_of_work", "meetings"]}),
        (None, {"fields": ["lead", "body"]}),
        (
            "Record",
            {
                "classes": ["collapse"],
                "fields": [
                    "created_at",
                    "created_by",
                    "updated_at",
                    "updated_by",
                    "imported_from",
                ],
            },
        ),
    ]

    def reversion_register(self, model, **kwargs):
        """Versions leave the lead image out (see LeadImage): it is not registered, and a
        release's versions do not follow it."""
        if model is LeadImage:
            return
        follow = tuple(name for name in kwargs.pop("follow", ()) if name != "lead_image")
        super().reversion_register(model, follow=follow, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        before_revert = getattr(request, "release_before_revert", None)

        class RequestForm(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, user=request.user, before_revert=before_revert, **inner)

        return RequestForm

    def get_queryset(self, request):
        releases = super().get_queryset(request).prefetch_related("sources")
        allowed = EditorialScope.sources_for(request.user)
        if allowed is not None:
            releases = releases.from_sources(allowed)
        return releases

    def revision_view(self, request, object_id, version_id, extra_context=None):
        release = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_change_permission(request, release):
            raise PermissionDenied
        request.release_before_revert = release
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not can_publish(request.user):
            raise PermissionDenied  # a recovered release may go straight back online
        return super().recover_view(request, version_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        if not can_publish(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def has_delete_permission(self, request, obj=None):
        return can_publish(request.user) and super().has_delete_permission(request, obj)

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        action = getattr(form, "action", None)
        if action is not None and action.name != workflow.SAVE:
            label, detail = workflow.describe(obj)
            self.message_user(request, f"“{obj}” — {label}: {detail}.", messages.SUCCESS)

    def get_readonly_fields(self, request, obj=None):
        """A translation's type and place are its original's: shown, not edited."""
        fields = [
            *super().get_readonly_fields(request, obj),
            "translations",
            "shared_terms",
            "original_text",
        ]
        if obj is not None and obj.translation_of_id:
            fields += ["type", "place", "language", "translation_of"]
        return fields

    def get_fieldsets(self, request, obj=None):
        """A translation's terms are its original's: said, not offered for editing."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not obj.translation_of_id:
            return fieldsets
        shared = ("Where and who", "Filed under")
        kept = [(name, options) for name, options in fieldsets if name not in shared]
        kept.insert(2, ("Shared with the original", {"fields": ["place", "shared_terms"]}))
        kept.insert(3, ("The original, to translate from", {"fields": ["original_text"]}))
        return kept

    @admin.display(description="Original")
    def original_text(self, release):
        """The original's title, summary and text beside the translation's own boxes
        (the body as the site shows it: sanitised on save)."""
        original = release.translation_of
        if original is None:
            return "—"
        return format_html(
            '<div class="original-text" lang="{}"><p><strong>{}</strong></p><p>{}</p>{}</div>',
            original.language,
            original.title,
            original.lead,
            mark_safe(original.body),  # sanitised on save (press.html)
        )

    @admin.display(description="Sources, countries, fields of work, meetings")
    def shared_terms(self, release):
        original = release.translation_of
        if original is None:
            return "—"
        names = [
            term.name for relation in SHARED_RELATIONS for term in getattr(original, relation).all()
        ]
        return ", ".join(names) or "—"

    @admin.display(description="Translations")
    def translations(self, release):
        """The group at a glance: the original, each translation with its state and
        whether it needs an update, and a button for each language still missing."""
        if release.pk is None:
            return "Save the release first; then it can be translated."
        original = release.translation_of or release
        group = {original.language: original}
        group.update({copy.language: copy for copy in original.translations.all()})
        items = []
        for code, name in settings.LANGUAGES:
            member = group.get(code)
            if member is None:
                if release.translation_of_id is None:
                    items.append(
                        format_html(
                            '<button type="submit" class="button" formaction="{}" '
                            'formnovalidate name="_translate">Translate into {}</button>',
                            reverse("admin:press_translate", args=[original.pk, code]),
                            name,
                        )
                    )
                continue
            role = "original" if member.pk == original.pk else member.state_label.lower()
            flag = ", needs update" if member.needs_update else ""
            label = f"{name} ({role}{flag})"
            if member.pk == release.pk:
                items.append(format_html("<strong>{}</strong>", label))
            else:
                url = reverse("admin:press_release_change", args=[member.pk])
                items.append(format_html('<a href="{}">{}</a>', url, label))
        return format_html_join(" · ", "{}", ((item,) for item in items))

    def translate_view(self, request, object_id, language):
        """A draft translation of an original into ``language``, made from it (POST)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        original = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not (self.has_add_permission(request) and self.has_change_permission(request, original)):
            raise PermissionDenied
        names = dict(settings.LANGUAGES)
        if original.translation_of_id or language not in names:
            self.message_user(request, "Only an original is translated.", messages.ERROR)
            return redirect(reverse("admin:press_release_change", args=[original.pk]))
        taken = original.translations.filter(language=language).first()
        if language == original.language or taken is not None:
            self.message_user(
                request, f"It is already in {names[language]}: here it is.", messages.WARNING
            )
            return redirect(reverse("admin:press_release_change", args=[(taken or original).pk]))
        with reversion.create_revision():
            copy = original.translate(language, request.user)
            reversion.set_user(request.user)
            reversion.set_comment(f"Translation into {names[language]} made from the original.")
        self.message_user(
            request,
            f"A draft in {names[language]} was made from the original: translate its title, "
            "summary and text; its type, place and terms are the original's.",
            messages.SUCCESS,
        )
        return redirect(reverse("admin:press_release_change", args=[copy.pk]))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        release = form.instance
        if release.translation_of_id is None:
            release.share_with_translations()
        else:  # the terms are the original's, whatever the form held
            release.share_terms_of(release.translation_of)

    @admin.display(description="Status", ordering="status")
    def state(self, release):
        """A scheduled release's time, its zone named, under its state."""
        if workflow.state_of(release) != workflow.SCHEDULED:
            return release.state_label
        label, detail = workflow.describe(release)
        return format_html('{}<br><span class="mini quiet">{}</span>', label, detail)

    @admin.display(description="Sources")
    def source_names(self, release):
        return ", ".join(source.name for source in release.sources.all())

    def _set_status(self, request, queryset, status, verb):
        changed = 0
        for release in queryset:
            if release.status != status:
                # A bulk change is a save like any other: it leaves a version in History.
                with reversion.create_revision():
                    release.status = status
                    release.updated_by = request.user
                    release.save()
                    reversion.set_user(request.user)
                    reversion.set_comment(f"{verb.capitalize()} from the list of releases.")
                changed += 1
        self.message_user(request, f"{changed} release(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Publish the selected releases", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED, "published")

    @admin.action(description="Unpublish the selected releases", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._set_status(request, queryset, Status.UNPUBLISHED, "unpublished")

    @admin.action(description="Submit the selected drafts for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._set_status(request, queryset.filter(status=Status.DRAFT), Status.REVIEW, "submitted")

    # Revisions: compare any version with the one before it.

    def get_urls(self):
        compare = self.admin_site.admin_view(self.compare_view)
        translate = self.admin_site.admin_view(self.translate_view)
        return [
            path("<int:object_id>/translate/<str:language>/", translate, name="press_translate"),
            path(
                "<int:object_id>/history/<int:version_id>/changes/", compare, name="press_compare"
            ),
            *super().get_urls(),
        ]

    def compare_view(self, request, object_id, version_id):
        release = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_or_change_permission(request, release):
            raise PermissionDenied
        versions = list(Version.objects.get_for_object(release).select_related("revision"))
        index = next((i for i, v in enumerate(versions) if v.pk == version_id), None)
        if index is None:
            raise PermissionDenied
        newer = versions[index]
        older = versions[index + 1] if index + 1 < len(versions) else None
        rows = []
        for name in ["title", "slug", "type", "status", "published_at", "lead", "body"]:
            before = str(older.field_dict.get(name, "")) if older else ""
            after = str(newer.field_dict.get(name, ""))
            if before != after:
                diff = difflib.HtmlDiff(wrapcolumn=70).make_table(
                    before.splitlines(), after.splitlines(), "Before", "After", context=True
                )
                rows.append({"field": Release._meta.get_field(name).verbose_name, "diff": diff})
        saved = timezone.localtime(newer.revision.date_created)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": release,
            "title": f"What the save of {saved:%d %B %Y, %H:%M} changed",
            "newer": newer,
            "older": older,
            "rows": rows,
            "history_url": reverse("admin:press_release_history", args=[release.pk]),
        }
        return TemplateResponse(request, "admin/press/release/compare.html", context)


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "release"]
    search_fields = ["old_slug", "release__title"]
    autocomplete_fields = ["release"]


@admin.register(EditorialScope)
class EditorialScopeAdmin(SafeAutocomplete, admin.ModelAdmin):
    """Site admins limit writers to sources. The writer is picked from a list of the active
    staff (a newsroom's few dozen people), not the users' autocomplete: that would need the
    right to see every account, which site admins do not have."""

    list_display = ["user", "source_names"]
    autocomplete_fields = ["sources"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = (
                get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="Sources")
    def source_names(self, scope):
        return format_html("{}", ", ".join(s.name for s in scope.sources.all()))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").prefetch_related("sources")


class EmbargoLinkForm(forms.ModelForm):
    class Meta:
        model = EmbargoLink
        fields = ["release", "recipient", "expires_at"]

    def clean_release(self):
        release = self.cleaned_data["release"]
        if release.is_published():
            raise ValidationError("This release is public already: share its own address.")
        return release

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        if expires_at <= timezone.now():
            raise ValidationError("Choose a moment in the future.")
        return expires_at


@admin.register(EmbargoLink)
class EmbargoLinkAdmin(admin.ModelAdmin):
    """Publishers give journalists a draft under embargo, withdraw it, and see its uses.

    Only publishers (and site admins): a link shows a release to people outside the
    organisation before it is public, which is a decision to publish.
    """

    form = EmbargoLinkForm
    list_display = ["release", "recipient", "state", "expires_at", "use_count", "created_by"]
    list_select_related = ["release", "created_by"]
    search_fields = ["recipient", "release__title"]
    autocomplete_fields = ["release"]
    readonly_fields = ["address", "state", "created_by", "created_at", "revoked_at", "uses"]
    actions = ["withdraw"]

    def has_module_permission(self, request):
        return can_publish(request.user)

    def has_view_permission(self, request, obj=None):
        return can_publish(request.user)

    def has_add_permission(self, request):
        return can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        return can_publish(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_publish(request.user)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(use_count=Count("uses"))

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["release", "recipient", "expires_at"]
        return ["release", "recipient", "expires_at", *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        url = request.build_absolute_uri(obj.get_absolute_url())
        self.message_user(request, format_html("The link for {}: {}", obj.recipient, url))

    @admin.display(description="Link")
    def address(self, link):
        return format_html("<code>{}</code>", link.get_absolute_url())

    @admin.display(description="State")
    def state(self, link):
        if link.revoked_at:
            return "Withdrawn"
        if link.release.is_published():
            return "Release public (leads to its page)"
        return "Live" if link.is_live() else "Expired"

    @admin.display(description="Uses", ordering="use_count")
    def use_count(self, link):
        return link.use_count

    @admin.display(description="Openings")
    def uses(self, link):
        openings = [
            (
                f"{timezone.localtime(use.at):%Y-%m-%d %H:%M}",
                use.outcome,
                use.address or "?",
                use.user_agent,
            )
            for use in link.uses.all()[:50]
        ]
        if not openings:
            return "None yet"
        items = format_html_join("", "<li>{} · {} · {} · {}</li>", openings)
        return format_html("<ul>{}</ul>", items)

    @admin.action(description="Withdraw the selected links")
    def withdraw(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"{count} link(s) withdrawn.", messages.SUCCESS)
