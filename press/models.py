"""Press releases, news items and statements, and the one rule of what the public sees."""

import datetime as dt
import re
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.indexes import Index
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_noop
from django_prose_editor.fields import ProseEditorField

from institutions.models import Structure
from osce_site.languages import current_language
from osce_site.links import slug_url
from taxonomy import trees
from taxonomy.models import Country, FieldOfWork, Meeting, Place
from taxonomy.names import free_slug, make_slug
from taxonomy.translated import column

from . import images
from .html import sanitise

# What the editor offers; the server's allow-list (press.html) is what counts.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "History": True,
}
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_SIGNATURES = {
    ".pdf": [b"%PDF-"],
    ".png": [b"\x89PNG\r\n\x1a\n"],
    ".jpg": [b"\xff\xd8\xff"],
    ".jpeg": [b"\xff\xd8\xff"],
    ".gif": [b"GIF87a", b"GIF89a"],
    ".webp": [b"RIFF"],
}
LEAD_IMAGE_SIGNATURES = {name: ATTACHMENT_SIGNATURES[name] for name in images.FORMATS}


class SearchIndex(GinIndex):
    """A GIN index on PostgreSQL; elsewhere a plain index, harmless on an unused column."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        return Index.create_sql(self, model, schema_editor, using=using, **kwargs)


# The many-to-many relations a release is filed under, in the order a page shows them.
TERM_RELATIONS = ("sources", "fields_of_work", "countries", "meetings")
# What a list of releases shows of them.
LISTED_TERMS = ("sources", "fields_of_work")


def load_terms(releases, names=TERM_RELATIONS):
    """Fill ``release.terms[name]`` for every release in ``releases``, in one query.

    One ``UNION ALL`` over the link tables instead of a query per relation: a list of
    releases shows sources and fields of work, a release page four kinds of terms. The
    terms come with their name and slug (what a page shows), in the menu's order; anything
    else loads on access. Plain lists, not the relations' managers: a page of 20 releases
    built 40 managers' querysets, a third of its render. Returns ``releases``.
    """
    listed = [release for release in releases if isinstance(release, Release)]
    if not listed or not names:
        return releases
    # Each term's name in the page's language, and a country's ISO code (whose CLDR name is
    # its name where editors wrote none), in the same query.
    local = column("name", current_language())
    text = models.CharField()
    parts, models_by_name = [], {}
    for name in names:
        field = Release._meta.get_field(name)
        target = field.m2m_reverse_field_name()
        model = field.related_model
        models_by_name[name] = model
        # Tree terms in tree order, others by their name: one integer key for both.
        order = (
            trees.order_key(target)
            if trees.is_tree(model)
            else models.Value(0, output_field=models.BigIntegerField())
        )
        parts.append(
            field.remote_field.through.objects.filter(
                **{f"{field.m2m_field_name()}_id__in": [r.pk for r in listed]}
            ).values_list(
                f"{field.m2m_field_name()}_id",
                models.Value(name, output_field=models.CharField()),
                order,
                f"{target}_id",
                f"{target}__name",
                f"{target}__slug",
                f"{target}__{local}" if local != "name" else models.Value("", output_field=text),
                f"{target}__iso_code" if model is Country else models.Value("", output_field=text),
            )
        )
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    found = {}
    for release_id, name, _order, pk, term_name, slug, local_name, iso_code in sorted(
        rows, key=lambda r: r[2:5:2]
    ):
        model = models_by_name[name]
        term = model.from_db(None, ["id", "name", "slug"], [pk, term_name, slug])
        if local != "name":
            term.__dict__[local] = local_name
        if model is Country:
            term.iso_code = iso_code
        found.setdefault((release_id, name), []).append(term)
    for release in listed:
        for name in names:
            release.terms[name] = found.get((release.pk, name), [])
    return releases


def load_translations(releases, languages):
    """Set ``release.also_in`` on each of ``releases``: its other published versions (its
    original, the original's translations) in ``languages``, as (language, address), in
    that order. One query, whatever the number of releases."""
    groups = {release.translation_of_id or release.pk for release in releases}
    members = (
        Release.objects.published()
        .filter(models.Q(pk__in=groups) | models.Q(translation_of__in=groups))
        .filter(language__in=languages)
        .only("slug", "language", "translation_of")
    )
    by_group = {}
    for member in members:
        by_group.setdefault(member.translation_of_id or member.pk, []).append(member)
    order = {code: index for index, code in enumerate(languages)}
    for release in releases:
        others = [
            other
            for other in by_group.get(release.translation_of_id or release.pk, ())
            if other.pk != release.pk and other.language != release.language
        ]
        others.sort(key=lambda other: order[other.language])
        release.also_in = [(other.language, other.get_absolute_url()) for other in others]
    return releases


class Terms(dict):
    """A release's terms by relation: what :func:`load_terms` filled, and any other
    relation loaded on first use (one query), so a page never shows a relation empty
    because its list did not ask for it."""

    def __init__(self, release):
        super().__init__()
        self.release = release

    def __missing__(self, name):
        if name not in TERM_RELATIONS:
            raise KeyError(name)
        load_terms([self.release], [name])
        return self[name]


class ReleaseQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: published, and its publication time has come."""
        return self.published_or_scheduled().filter(published_at__lte=timezone.now())

    def in_language(self, language=None):
        """Releases written in ``language``, by default the page's."""
        return self.filter(language=language or current_language())

    def published_or_scheduled(self):
        """Published, whenever it goes public: what the public sees now, and what it will
        see by the clock alone (the finder's index holds these, the time cut at each
        request)."""
        return self.filter(status=Release.Status.PUBLISHED)

    def for_listing(self):
        """The rows a list of releases shows, with their places and lead images (the search
        vector, as large as the body and never shown, left out); their terms come from
        :func:`load_terms`."""
        return self.select_related("place", "lead_image").defer("search_vector")

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def in_fields(self, fields):
        """Releases filed under any of ``fields`` or any field below them."""
        return self.filter(_linked("fields_of_work", FieldOfWork.objects.subtree_of(*fields)))

    def from_sources(self, structures):
        """Releases issued by any of ``structures`` or any structure below them."""
        return self.filter(_linked("sources", Structure.objects.subtree_of(*structures)))

    def at_meetings(self, meetings):
        return self.filter(_linked("meetings", Meeting.objects.subtree_of(*meetings)))

    def related_to(self, release):
        """Others sharing a field of work or a source with ``release``, newest first."""
        return (
            self.filter(
                _linked("fields_of_work", release.fields_of_work.all())
                | _linked("sources", release.sources.all())
            )
            .exclude(pk=release.pk)
            .newest_first()
        )

    def before(self, release):
        """Releases published before ``release`` (ties broken by id, as the lists sort)."""
        return self.older_than(release.published_at, release.pk)

    def after(self, release):
        return self.newer_than(release.published_at, release.pk)

    def neighbours(self, release):
        """The next newer and the next older release than ``release``, or None for
        either, in one query (two keyset steps, each one row of an index)."""
        newer = self.after(release).order_by("published_at", "pk").values("pk")[:1]
        older = self.before(release).newest_first().values("pk")[:1]
        found = list(self.filter(models.Q(pk__in=newer) | models.Q(pk__in=older)))
        here = (release.published_at, release.pk)
        later = [other for other in found if (other.published_at, other.pk) > here]
        earlier = [other for other in found if (other.published_at, other.pk) < here]
        return (later or [None])[0], (earlier or [None])[0]

    def older_than(self, moment, pk):
        """Before (``moment``, ``pk``) in the lists' order: a keyset step, not an OFFSET.

        The redundant bound on the date alone lets the database start its index scan at
        ``moment`` instead of filtering everything newer.
        """
        return self.filter(
            models.Q(published_at__lt=moment) | models.Q(published_at=moment, pk__lt=pk),
            published_at__lte=moment,
        )

    def newer_than(self, moment, pk):
        return self.filter(
            models.Q(published_at__gt=moment) | models.Q(published_at=moment, pk__gt=pk),
            published_at__gte=moment,
        )

    def about_countries(self, countries):
        """Releases dated from a place in, or related to, any of ``countries``."""
        return self.filter(models.Q(place__country__in=countries) | _linked("countries", countries))


def _linked(relation, targets):
    """EXISTS a row of the many-to-many ``relation`` from the release into ``targets``.

    An EXISTS rather than a join: no DISTINCT is needed, and the planner stops at the first
    matching row.
    """
    field = Release._meta.get_field(relation)
    rows = field.remote_field.through.objects.filter(release=models.OuterRef("pk"))
    return models.Exists(rows.filter(**{f"{field.m2m_reverse_field_name()}__in": targets}))


class Release(models.Model):
    class Type(models.TextChoices):
        # English here, marked for the catalogues and translated where a page shows them
        # (type_labels): the importer names them in its English messages.
        PRESS_RELEASE = "press-release", gettext_noop("Press release")
        NEWS = "news", gettext_noop("News item")
        STATEMENT = "statement", gettext_noop("Statement")

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The last part of the release's address. Changing it keeps the old address "
        "working: it redirects here.",
    )
    lead = models.TextField(
        "summary",
        max_length=1000,
        blank=True,
        help_text="One or two sentences, shown in lists, feeds and shared links. Plain text.",
    )
    type = models.CharField(max_length=20, choices=Type.choices, default=Type.PRESS_RELEASE)
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        db_default=settings.LANGUAGE_CODE,
        db_index=True,
        help_text="The language it is written in: it is listed, searched and shown in it.",
    )
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        verbose_name="translation of",
        help_text="The original this release translates; empty for an original.",
    )
    needs_update = models.BooleanField(
        "needs update",
        default=False,
        editable=False,
        help_text="The original's text changed after this translation's text was last saved.",
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        "publication date",
        default=timezone.now,
        help_text="Shown as the release's date; a future time keeps it off the site until then.",
    )
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="releases"
    )
    sources = models.ManyToManyField(
        Structure, related_name="releases", help_text="The structures that issued it."
    )
    fields_of_work = models.ManyToManyField(FieldOfWork, blank=True, related_name="releases")
    countries = models.ManyToManyField(
        Country,
        blank=True,
        related_name="releases",
        verbose_name="related countries",
        help_text="Countries it concerns besides the place's own.",
    )
    meetings = models.ManyToManyField(Meeting, blank=True, related_name="releases")
    body = ProseEditorField(
        blank=True,
        extensions=EDITOR_EXTENSIONS,
        sanitize=sanitise,
        help_text="Anything unsafe (scripts, styles, event handlers) is removed on save.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="author",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="last edited by",
    )
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Counts saves, so that a save over someone else's newer one is refused.",
    )
    imported_from = models.CharField(
        max_length=500, blank=True, help_text="The archive file it was last imported from."
    )
    search_vector = SearchVectorField(
        null=True,
        editable=False,
        help_text="Title (weight A) and body (weight B), kept by a database trigger on PostgreSQL.",
    )
    import_key = models.CharField(
        max_length=400,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="Date and title as the importer recognises the page on a later run.",
    )

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_release", "Can publish, schedule and unpublish releases")]
        constraints = [
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                name="release_one_translation_per_language",
                violation_error_message="This release already has a translation in that language.",
            )
        ]
        indexes = [
            # With the id, the lists' exact order: deep pages walk the index alone.
            models.Index(fields=["status", "-published_at", "-id"], name="release_list_order"),
            # The admin's list: every status, newest first.
            models.Index(fields=["-published_at", "-id"], name="release_admin_order"),
            models.Index(fields=["type", "-published_at"], name="release_type_order"),
            SearchIndex(fields=["search_vector"], name="release_search"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitise(self.body)
        if not self.slug:
            self.slug = self.unique_slug()
        if self.translation_of_id:  # the group's type and place are the original's
            shared = Release.objects.filter(pk=self.translation_of_id).values(*SHARED_FIELDS)
            for name, value in shared.first().items():
                setattr(self, name, value)
        old_slug, for_translations = None, {}
        if self.pk:
            stored = (
                Release.objects.filter(pk=self.pk)
                .values_list("slug", "version", *TEXT_FIELDS, *SHARED_FIELDS)
                .first()
            )
            if stored:
                # Never backwards, even when an old version was just restored into self.
                old_slug, self.version = stored[0], max(self.version, stored[1]) + 1
                was = dict(zip((*TEXT_FIELDS, *SHARED_FIELDS), stored[2:], strict=True))
                text_changed = any(was[name] != getattr(self, name) for name in TEXT_FIELDS)
                if self.translation_of_id and text_changed:
                    self.needs_update = False  # its translator has just worked on it
                elif not self.translation_of_id:  # what its translations must follow
                    for_translations = {
                        name: getattr(self, name)
                        for name in SHARED_FIELDS
                        if was[name] != getattr(self, name)
                    }
                    if text_changed:
                        for_translations["needs_update"] = True
        with transaction.atomic():
            super().save(*args, **kwargs)
            if for_translations:
                Release.objects.filter(translation_of=self).update(**for_translations)
            if old_slug and old_slug != self.slug:
                # The old address keeps working; a redirect from the new one would loop.
                # Another release's redirect is never taken over nor deleted, whatever
                # saved this one (code skips the form's check): it keeps leading there.
                SlugRedirect.objects.get_or_create(old_slug=old_slug, defaults={"release": self})
                SlugRedirect.objects.filter(old_slug=self.slug, release=self).delete()

    # A search's excerpt of the body, which the finder sets on the releases it lists and
    # their cards show instead of the lead; none elsewhere.
    snippet = ""
    # Its other published languages as (language, address), which lists set where the site
    # offers more than one (load_translations) and cards show.
    also_in = ()

    def get_absolute_url(self):
        """Its address in its own language (``/ru/press-releases/…`` for a Russian one),
        whatever the page that links to it."""
        return slug_url("press:detail", self.slug, self.language)

    def translate(self, language, user=None):
        """A draft translation of this original into ``language``: its text to translate,
        its publication time, the group's type, place and terms; saved and returned."""
        copy = Release(
            title=self.title,
            lead=self.lead,
            body=self.body,
            language=language,
            translation_of=self,
            status=Release.Status.DRAFT,
            created_by=user,
            updated_by=user,
            published_at=self.published_at,
            **{name: getattr(self, name) for name in SHARED_FIELDS},
        )
        copy.slug = copy.unique_slug(f"{self.slug[:176]}-{language}")
        copy.save()
        copy.share_terms_of(self)
        return copy

    def share_terms_of(self, original):
        """The original's sources, fields of work, countries and meetings, as this one's."""
        for name in SHARED_RELATIONS:
            getattr(self, name).set(getattr(original, name).all())

    def share_with_translations(self):
        """This original's terms, as each of its translations' (after the form set them)."""
        for copy in Release.objects.filter(translation_of=self):
            copy.share_terms_of(self)

    @property
    def image(self):
        """The lead image, or None: what every page, feed and preview reads. A template's
        look-up of a missing one-to-one goes through three exceptions (30 µs a card)."""
        try:
            return self.lead_image
        except ObjectDoesNotExist:
            return None

    @cached_property
    def terms(self):
        """Each relation of :data:`TERM_RELATIONS` as a list, in the menu's order: filled
        for a whole list of releases at once by :func:`load_terms`."""
        return Terms(self)

    def clean(self):
        super().clean()
        # An address another release had keeps leading there: taking it would break the
        # old links, and hand someone else's readers (or its draft's existence) to this one.
        if self.slug and self.held_by_another(self.slug):
            raise ValidationError(
                {
                    "slug": "This address belonged to another release and still leads to "
                    "it; choose another."
                }
            )

        original = self.translation_of
        if original is not None:
            if original.pk == self.pk or original.translation_of_id is not None:
                raise ValidationError(
                    {"translation_of": "Choose the original release, not a translation of it."}
                )
            if original.language == self.language:
                raise ValidationError(
                    {"language": "A translation is in another language than its original."}
                )

    def held_by_another(self, slug):
        """Whether ``slug`` is an old address of another release."""
        return SlugRedirect.objects.filter(old_slug=slug).exclude(release_id=self.pk).exists()

    @classmethod
    def type_labels(cls):
        """Each type's label in the page's language, by value: what pages and the finder show."""
        return {value: gettext(label) for value, label in cls.Type.choices}

    def get_type_display(self):
        """The type in the page's language (Django's own gives the English label)."""
        return self.type_labels().get(self.type, self.type)

    @property
    def state_label(self):
        """The status as an editor needs it: a published release not yet out is scheduled."""
        if self.status == self.Status.PUBLISHED and self.published_at > timezone.now():
            return "Scheduled"
        return self.get_status_display()

    def is_published(self):
        """The same rule as :meth:`ReleaseQuerySet.published`, for one release in memory."""
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    def unique_slug(self, base=None):
        """A slug from ``base``, by default the title; one used before gets the date, then
        a number."""
        base = (base or make_slug(self.title))[:180] or "release"
        dated = f"{base}-{timezone.localtime(self.published_at):%Y-%m-%d}"
        taken = set(
            Release.objects.filter(slug__startswith=base)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        ) | set(  # and another release's old addresses, which still lead to it
            SlugRedirect.objects.filter(old_slug__startswith=base)
            .exclude(release_id=self.pk)
            .values_list("old_slug", flat=True)
        )
        if base not in taken:
            return base
        return free_slug(dated, taken.__contains__)


# What a release and its translations share; the rest is each one's own: its text, and its
# state and publication time (a translation is scheduled and published on its own; it is
# made with its original's time).
SHARED_FIELDS = ("type", "place_id")
SHARED_RELATIONS = ("sources", "fields_of_work", "countries", "meetings")
TEXT_FIELDS = ("title", "lead", "body")


class SlugRedirect(models.Model):
    """An address a release had before its slug changed: it answers 301 to the current one."""

    old_slug = models.SlugField(max_length=200, unique=True)
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.old_slug} → {self.release.slug}"


def _validate_attachment(upload):
    """Images and PDFs only, by their content as well as their name, and not too large."""
    check_upload(upload, ATTACHMENT_SIGNATURES)


def check_upload(upload, signatures):
    """Of a type in ``signatures`` by its content as well as its name, and not too large."""
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            f"The file is {upload.size // (1024 * 1024)} MB; at most "
            f"{ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB is accepted."
        )
    extension = PurePosixPath(upload.name).suffix.lower()
    if extension not in signatures:
        allowed = ", ".join(sorted(signatures))
        raise ValidationError(f"Files of type “{extension or 'none'}” are refused; use {allowed}.")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in signatures[extension]):
        raise ValidationError(f"The file's content is not a {extension[1:].upper()} file.")
    if extension == ".webp" and head[8:12] != b"WEBP":
        raise ValidationError("The file's content is not a WEBP file.")


def _attachment_path(attachment, filename):
    """Storage path from a cleaned name: no folders, no odd characters from the upload."""
    name = PurePosixPath(filename).name
    stem, suffix = PurePosixPath(name).stem, PurePosixPath(name).suffix.lower()
    return f"releases/{timezone.now():%Y/%m}/{make_slug(stem)[:80] or 'file'}{suffix}"


class Attachment(models.Model):
    """An image or PDF that goes with a release, stored through Django's storage API."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(max_length=200, help_text="Shown as the link's text or the alt text.")
    file = models.FileField(upload_to=_attachment_path, validators=[_validate_attachment])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.title

    @property
    def is_image(self):
        return PurePosixPath(self.file.name).suffix.lower() != ".pdf"


def validate_lead_image(upload):
    """An image a page can show: by its name and first bytes as attachments are, then
    decoded whole (press.images), so that the error says what is wrong with it."""
    check_upload(upload, LEAD_IMAGE_SIGNATURES)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        images.prepared(data, PurePosixPath(upload.name).suffix.lower())
    except images.Refused as refused:
        raise ValidationError(str(refused), code="image") from refused


def _validate_alt_text(text):
    """Alt text that is the file's name (what some tools fill in) tells a listener nothing."""
    if re.fullmatch(r"\S+\.(jpe?g|png|webp|gif|heic|tiff?)", text.strip(), re.IGNORECASE):
        raise ValidationError("A file name tells a reader nothing: describe what the image shows.")


class LeadImageFileField(models.FileField):
    """A file field whose form checks a new upload whole (:func:`validate_lead_image`).

    On the form field, not the model field: a model validator would read the stored image
    back from the storage and decode it again at every save of its release.
    """

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        field.validators.append(validate_lead_image)
        field.widget.attrs.setdefault("accept", ",".join(LEAD_IMAGE_SIGNATURES))
        return field


class LeadImage(models.Model):
    """The picture a release opens with: on its page, its card, its link previews and its
    feed item, in renditions made once, when it is saved (:mod:`press.images`).

    A row beside the release rather than columns on it: the archive's releases, and the
    COPY that writes 100,000 demo ones, stay as they are; alt text is required of an image
    and of nothing else; lists still read it with the release, in the same query
    (``for_listing`` joins it). It is not in a release's revisions: its files go when it
    is replaced, so an old version could only bring back a broken image.
    """

    release = models.OneToOneField(Release, on_delete=models.CASCADE, related_name="lead_image")
    file = LeadImageFileField(
        "image",
        upload_to="lead-images/",
        max_length=255,
        help_text="JPEG, PNG or WebP, at most 10 MB and 50 megapixels. It is turned upright "
        "and its hidden data (camera, place taken, GPS position) is removed.",
    )
    alt = models.CharField(
        "alt text",
        max_length=300,
        validators=[_validate_alt_text],
        help_text="What the image shows, for readers who cannot see it. Required: an image "
        "that says nothing is decoration, not a lead image.",
    )
    caption = models.CharField(
        max_length=300, blank=True, help_text="Shown under the image on the release's page."
    )
    credit = models.CharField(
        max_length=200, blank=True, help_text="Who made it, e.g. “OSCE/Micky Kroell”."
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    renditions = models.JSONField(
        default=list,
        editable=False,
        help_text="The files made from the image: per width, its JPEG and WebP with sizes.",
    )

    class Meta:
        verbose_name = "lead image"

    def __str__(self):
        return self.alt

    def save(self, *args, **kwargs):
        stored = LeadImage.objects.filter(pk=self.pk).values_list("file", "renditions").first()
        if stored is None or self.file.name != stored[0]:
            # A new upload (its name is still the uploaded file's): its files, made once.
            made = self.make_files()
            if stored is not None:
                old = {stored[0], *_rendition_names(stored[1])}
                _remove_after_commit(stored[0], old - set(made.files))
        super().save(*args, **kwargs)

    def make_files(self):
        """Make and store the master and renditions of the file just uploaded, and point
        this row at them."""
        with self.file.open("rb") as upload:
            data = upload.read()
            extension = PurePosixPath(upload.name).suffix.lower()
        made = images.make(data, extension, f"lead-images/{self.release_id}")
        images.write(made.files, default_storage)
        self.file = made.master  # a stored name: Django saves no upload over it
        self.width, self.height, self.renditions = made.width, made.height, made.renditions
        return made

    @cached_property
    def sizes(self):
        """The renditions, smallest first."""
        return [images.Rendition(**rendition) for rendition in self.renditions]

    @property
    def smallest(self):
        return self.sizes[0]

    @property
    def largest(self):
        return self.sizes[-1]

    @property
    def jpeg_srcset(self):
        return ", ".join(f"{size.jpeg_url} {size.width}w" for size in self.sizes)

    @property
    def webp_srcset(self):
        return ", ".join(f"{size.webp_url} {size.width}w" for size in self.sizes)


def _rendition_names(renditions):
    return {rendition[kind] for rendition in renditions for kind in ("jpeg", "webp")}


def _remove_after_commit(master, names):
    """Delete ``names`` once the change that let go of them is committed (never the files a
    rolled-back change still uses), unless a lead image has taken ``master`` meanwhile."""

    def remove():
        if not LeadImage.objects.filter(file=master).exists():
            images.remove(names, default_storage)

    transaction.on_commit(remove)


@receiver(post_delete, sender=LeadImage)
def _lead_image_deleted(sender, instance, **kwargs):
    """Its files go with it, also when its release is deleted."""
    _remove_after_commit(
        instance.file.name, {instance.file.name, *_rendition_names(instance.renditions)}
    )


class EditorialScope(models.Model):
    """Limits a writer to the releases of some sources (and every structure below them)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="editorial_scope"
    )
    sources = models.ManyToManyField(
        Structure,
        related_name="+",
        help_text="The writer sees, edits and picks only these sources and those below them.",
    )

    class Meta:
        verbose_name = "editorial scope"

    def __str__(self):
        return f"{self.user}: {', '.join(s.name for s in self.sources.all())}"

    @classmethod
    def sources_for(cls, user):
        """The sources ``user`` is limited to, or None when unlimited (publishers, admins)."""
        if user.is_superuser or user.has_perm("press.publish_release"):
            return None
        scope = cls.objects.filter(user_id=user.pk).prefetch_related("sources").first()
        return list(scope.sources.all()) if scope else None


def default_embargo_expiry():
    return timezone.now() + EmbargoLink.DEFAULT_LIFETIME


class EmbargoLink(models.Model):
    """A link that shows a release before it is public, to journalists under embargo.

    Why a row and a signature both: the address carries the row's id signed with the
    site's key (no one can guess another), and the row can be withdrawn, expires, and
    counts its uses. The link dies when the release is published: it then leads to the
    public page.
    """

    DEFAULT_LIFETIME = dt.timedelta(days=7)
    SALT = "press.embargo"

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="embargo_links")
    recipient = models.CharField(
        max_length=200, help_text="Who it is for, e.g. “Reuters, Vienna desk”: shown in the log."
    )
    expires_at = models.DateTimeField(
        default=default_embargo_expiry, help_text="After this the link shows nothing."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "embargo link"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.release} — for {self.recipient}"

    def get_absolute_url(self):
        return reverse("press:embargo", args=[self.token()])

    def token(self):
        return signing.dumps(self.pk, salt=self.SALT, compress=True)

    @classmethod
    def from_token(cls, token):
        """The link ``token`` names, or None when it is not one of ours."""
        try:
            pk = signing.loads(token, salt=cls.SALT)
        except signing.BadSignature:
            return None
        return cls.objects.select_related("release").filter(pk=pk).first()

    def is_live(self, now=None):
        return self.revoked_at is None and (now or timezone.now()) < self.expires_at


class EmbargoUse(models.Model):
    """One opening of an embargo link: when, from where, by what."""

    link = models.ForeignKey(EmbargoLink, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(auto_now_add=True)
    address = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=300, blank=True)
    outcome = models.CharField(max_length=20)  # shown, expired, withdrawn, published

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.link}: {self.outcome} at {self.at:%Y-%m-%d %H:%M}"
