"""The reference data that releases are filed under: fields of work, meetings, countries,
places, the chairpersonship of each year, and the site's menu.

Every term has one row here and only here; the menu points at terms rather than copying
their names, so a rename shows everywhere at once.
"""

import functools
import re

import babel
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext

from osce_site.languages import current_language

from . import trees
from .names import fold, make_slug, name_key
from .translated import column, other_languages, translate, value_in


class TermQuerySet(models.QuerySet):
    def resolver(self):
        """Map every name and alias key to its term, so a batch resolves names in one query."""
        lookup = {}
        for term in self:
            for name in term.all_names():
                lookup.setdefault(name_key(name), term)
        return lookup

    def search_names(self, text):
        """Terms whose name or any alias contains ``text``, ignoring case and diacritics.

        Used by the admin's search; the term tables are small, so matching in Python keeps
        the rule identical on SQLite and PostgreSQL.
        """
        needle = name_key(text)
        translations = [column("name", code) for code in other_languages()]
        pks = [
            pk
            for pk, aliases, *names in self.values_list("pk", "aliases", "name", *translations)
            if any(needle in fold(text) for text in (*names, *aliases.splitlines()) if text)
        ]
        return self.filter(pk__in=pks)


class TreeTermQuerySet(TermQuerySet, trees.TreeQuerySet):
    def subtree_of(self, *nodes):
        """The given nodes and all below them, in one query (:func:`trees.subtree_of`)."""
        return trees.subtree_of(self, nodes)


class Term(models.Model):
    """What every kind of term shares: a name, a stable slug, a description and aliases."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The last part of the term's address. Changing it changes the address.",
    )
    description = models.TextField(blank=True, help_text="Shown at the top of the term's page.")
    aliases = models.TextField(
        blank=True,
        help_text=(
            "Other names the archive uses for this term, one a line (e.g. an earlier name). "
            "The importer and the admin's search recognise them."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    menu_items = GenericRelation("taxonomy.MenuItem")
    old_addresses = GenericRelation("taxonomy.OldAddress")

    objects = TermQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = make_slug(self.name)
        before = None
        if self.pk is not None:
            before = type(self)._base_manager.filter(pk=self.pk).values("name", "slug").first()
        if before:
            self.add_aliases(before["name"])  # a renamed term still answers to its old name
        super().save(*args, **kwargs)
        if before and before["slug"] != self.slug:
            OldAddress.remember(self, before["slug"])

    def name_in(self, code=None):
        """The name in ``code`` (the page's language by default), else the default's."""
        return value_in(self, "name", code)

    @property
    def local_name(self):
        return self.name_in()

    @property
    def local_description(self):
        return value_in(self, "description")

    def all_names(self):
        """Every name the term answers to: in each language and its aliases."""
        translations = (getattr(self, column("name", code)) for code in other_languages())
        return [self.name, *(name for name in translations if name), *self.alias_list()]

    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def add_aliases(self, *names):
        """Append each of ``names`` this term does not already answer to (by
        :func:`name_key`) to its aliases; the caller saves. Returns the names added.

        The archive keeps using a renamed or merged term's old names ("Turkey"): the
        importer must still know them.
        """
        known = {name_key(name) for name in (self.name, *self.alias_list())}
        added = []
        for name in names:
            if name_key(name) not in known:
                known.add(name_key(name))
                added.append(name)
        if added:
            self.aliases = "\n".join([*self.alias_list(), *added])
        return added

    def clean(self):
        """Refuse a name or alias that already names another term of the same kind."""
        super().clean()
        others = type(self)._default_manager.exclude(pk=self.pk).resolver()
        named = [(self.name, "name")]
        for code in other_languages():
            named.append((getattr(self, column("name", code)), column("name", code)))
        named.extend((alias, "aliases") for alias in self.alias_list())
        for name, field in named:
            other = others.get(name_key(name)) if name else None
            if other is not None:
                raise ValidationError(
                    {field: f"“{name}” already names {other.name}; a name may mean one term."}
                )


translate(Term, "name", "description")


class OldAddress(models.Model):
    """A slug a term had before it was renamed: its old page answers 301 to the new one.

    Published links, feeds readers and search engines keep working after "Turkey" became
    "Türkiye". Kept per kind of term, since two kinds may share a slug.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    term = GenericForeignKey("content_type", "object_id")
    old_slug = models.SlugField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "old address"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "old_slug"], name="old_address_unique_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.old_slug} → {self.term}"

    @classmethod
    def remember(cls, term, old_slug):
        """Point ``old_slug`` at ``term``; the term's new slug no longer needs redirecting."""
        content_type = ContentType.objects.get_for_model(term)
        cls.objects.filter(content_type=content_type, old_slug=term.slug).delete()
        cls.objects.update_or_create(
            content_type=content_type, old_slug=old_slug, defaults={"object_id": term.pk}
        )

    @classmethod
    def current_slugs(cls, wanted):
        """{model: {old slug: current slug}} for the slugs in ``wanted`` ({model: slugs})
        that are old addresses of terms of that model, in one query for every model.

        A slug some term of the model has now is left alone: a current slug wins over an
        old one, so a redirect never leads away from a term that answers at its address.
        """
        wanted = {model: set(slugs) for model, slugs in wanted.items() if slugs}
        if not wanted:
            return {}
        content_types = ContentType.objects.get_for_models(*wanted)
        chosen, current = models.Q(pk__in=[]), []
        for model, slugs in wanted.items():
            kind = models.Q(content_type=content_types[model])
            terms = model._default_manager.all()
            chosen |= (
                kind
                & models.Q(old_slug__in=slugs)
                & ~models.Q(old_slug__in=terms.filter(slug__in=slugs).values("slug"))
            )
            term_slug = terms.filter(pk=models.OuterRef("object_id")).values("slug")[:1]
            current.append(models.When(kind, then=models.Subquery(term_slug)))
        found = (
            cls.objects.filter(chosen)
            .annotate(current=models.Case(*current, output_field=models.SlugField()))
            .values_list("content_type_id", "old_slug", "current")
        )
        models_by_type = {content_types[model].pk: model for model in wanted}
        moved = {}
        for content_type_id, old_slug, current_slug in found:
            if current_slug:  # None: the term is gone
                moved.setdefault(models_by_type[content_type_id], {})[old_slug] = current_slug
        return moved

    @classmethod
    def find(cls, model, slug):
        """The term of ``model`` that was once at ``slug``, or None."""
        found = (
            cls.objects.filter(content_type=ContentType.objects.get_for_model(model), old_slug=slug)
            .values_list("object_id", flat=True)
            .first()
        )
        return None if found is None else model._default_manager.filter(pk=found).first()


class TreeTerm(trees.TreeModel, Term):
    """A term in a tree: selecting it selects everything below it."""

    parent = trees.TreeForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="Leave empty for a top-level term.",
    )

    objects = trees.TreeManager.from_queryset(TreeTermQuerySet)()

    class Meta(trees.TreeModel.Meta):
        abstract = True


class FieldOfWork(TreeTerm):
    alphabetical = True  # listed by name: in another language, in its alphabet (menu)

    class Meta(TreeTerm.Meta):
        verbose_name = "field of work"
        verbose_name_plural = "fields of work"


class Meeting(TreeTerm):
    """A kind of meeting or conference, e.g. Ministerial Council meetings."""

    class Meta(TreeTerm.Meta):
        verbose_name = "meeting or conference"
        verbose_name_plural = "meetings and conferences"


class CountryGroup(Term):
    """Participating States, Asian and Mediterranean Partners for Co-operation."""

    position = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "country group"


class CountryQuerySet(TermQuerySet):
    def in_menu_order(self):
        """Groups in order, and within a group the order the menu gives (then sort name)."""
        return (
            self.select_related("group")
            .annotate(menu_position=trees.menu_position(Country))
            .order_by(
                "group__position",
                models.F("menu_position").asc(nulls_last=True),
                "sort_name",
            )
        )


class Country(Term):
    """A participating State or a Partner for Co-operation."""

    group = models.ForeignKey(CountryGroup, on_delete=models.PROTECT, related_name="countries")
    sort_name = models.CharField(
        max_length=200,
        blank=True,
        help_text=(
            "How the name is alphabetised, e.g. “Netherlands” for The Netherlands, "
            "“Turkiye” for Türkiye. Left empty, it is made from the name."
        ),
    )
    iso_code = models.CharField(
        "ISO 3166 code",
        max_length=2,
        unique=True,
        null=True,
        blank=True,
        help_text="The two-letter ISO 3166-1 code, e.g. AT.",
    )
    joined_on = models.DateField(null=True, blank=True, help_text="When it joined, where known.")

    alphabetical = True

    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["sort_name"]
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(iso_code__regex=r"^[A-Z]{2}$") | models.Q(iso_code__isnull=True),
                name="country_iso_code_two_capitals",
            )
        ]

    def save(self, *args, **kwargs):
        if not self.sort_name:
            self.sort_name = default_sort_name(self.name)
        if self.iso_code == "":
            self.iso_code = None
        super().save(*args, **kwargs)

    def name_in(self, code=None):
        """The name editors wrote in ``code``, else CLDR's for the ISO code (Babel), else
        the default language's: a country has a name in every language from the start."""
        code = code or current_language()
        if code != settings.LANGUAGE_CODE and not self.__dict__.get(column("name", code)):
            common = cldr_country_name(self.__dict__.get("iso_code"), code)
            if common:
                return common
        return super().name_in(code)

    def all_names(self):
        """Its names, and CLDR's in every language: the archive writes "Польша" whether
        or not editors wrote a Russian name, and older pages the common "Киргизия"."""
        common = (cldr_country_name(self.iso_code, code) for code in other_languages())
        return [*super().all_names(), *(name for name in common if name)]

    def clean(self):
        super().clean()
        if self.iso_code:
            self.iso_code = self.iso_code.strip().upper()
            if not re.fullmatch(r"[A-Z]{2}", self.iso_code):
                raise ValidationError({"iso_code": "Two letters, as in ISO 3166-1: e.g. AT."})


@functools.cache
def cldr_country_name(iso_code, code):
    """The country's name in language ``code`` as CLDR writes it, or None."""
    if not iso_code:
        return None
    return babel.Locale.parse(code).territories.get(iso_code)


def default_sort_name(name):
    """Alphabetise "The Netherlands" under N and "Türkiye" as "Turkiye"."""
    sort_name = name[4:] if name.lower().startswith("the ") else name
    return fold(sort_name).title()


class ChairpersonshipQuerySet(models.QuerySet):
    def for_year(self, year=None):
        """The chairpersonship of ``year`` (this year by default), or None."""
        year = year or timezone.localdate().year
        return self.select_related("country").filter(year=year).first()


class Chairpersonship(models.Model):
    """The participating State that chairs the organisation for a calendar year."""

    year = models.PositiveSmallIntegerField(unique=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="chairpersonships")

    objects = ChairpersonshipQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=1973, year__lte=2200), name="chair_year_plausible"
            )
        ]

    def __str__(self):
        return f"{self.year}: {self.country}"

    @property
    def marker(self):
        """The words the menu puts after the chair's name, in the page's language."""
        return gettext("OSCE Chairpersonship %(year)s") % {"year": self.year}


class Place(Term):
    """A city that releases are dated from; its country is optional (e.g. New York)."""

    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="places"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class MenuItem(trees.TreeModel):
    """One entry of the site's menu: a heading, a plain link, or a pointer to a term.

    An entry that points at a term shows the term's current name and address, so the term
    is stored once. Order and nesting are the tree's; editors drag entries in the admin.
    """

    parent = trees.TreeForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    label = models.CharField(
        max_length=200, blank=True, help_text="Leave empty to show the linked term's name."
    )
    url = models.CharField(
        "address",
        max_length=500,
        blank=True,
        help_text="For a plain link, e.g. /countries/ or https://…; ignored for a term.",
    )
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, verbose_name="term kind"
    )
    object_id = models.PositiveBigIntegerField("term", null=True, blank=True)
    term = GenericForeignKey("content_type", "object_id")
    reference_key = models.CharField(
        max_length=300,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="Set on entries that come from the reference data, so that loading it "
        "again recognises them wherever editors moved or however they renamed them.",
    )

    class Meta:
        verbose_name = "menu entry"
        verbose_name_plural = "menu"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(content_type__isnull=True, object_id__isnull=True)
                | models.Q(content_type__isnull=False, object_id__isnull=False),
                name="menu_item_term_complete",
            ),
            models.CheckConstraint(
                condition=~models.Q(label="") | models.Q(object_id__isnull=False),
                name="menu_item_has_label_or_term",
            ),
        ]

    def __str__(self):
        if self.label:
            return self.label
        return str(self.term) if self.term else "(missing term)"

    def clean(self):
        super().clean()
        if (self.content_type_id is None) != (self.object_id is None):
            raise ValidationError("Choose both the kind of term and the term, or neither.")
        if not self.label and self.object_id is None:
            raise ValidationError({"label": "A heading or plain link needs a label."})
        if self.object_id is not None and self.term is None:
            raise ValidationError({"object_id": "No such term."})


translate(MenuItem, "label")


class Freshness(models.Model):
    """One row per version (taxonomy.freshness): written by database triggers only."""

    kind = models.CharField(max_length=20, primary_key=True)
    token = models.CharField(max_length=32)
    counter = models.BigIntegerField(default=0)
    changed_at = models.FloatField(default=0)

    class Meta:
        verbose_name_plural = "freshness"

    def __str__(self):
        return f"{self.kind} {self.token}.{self.counter}"
