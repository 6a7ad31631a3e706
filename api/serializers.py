"""What the API says of a release and of the reference data: names in the asked language,
addresses absolute, nothing a visitor of the public site could not see."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from press.models import Release


def absolute(request, path):
    return request.build_absolute_uri(path)


class TermSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField(source="local_name")
    url = serializers.SerializerMethodField(help_text="The term's page on the site.")

    def get_url(self, term) -> str:
        return absolute(self.context["request"], term.get_absolute_url())


def terms_of(relation):
    """A field's method giving the release's terms through ``relation``."""

    @extend_schema_field(TermSerializer(many=True))
    def terms(self, release):
        return TermSerializer(release.terms[relation], many=True, context=self.context).data

    return terms


class PlaceSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField(source="local_name")


class TranslationSerializer(serializers.Serializer):
    language = serializers.CharField()
    url = serializers.URLField()


class ReleaseSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    url = serializers.SerializerMethodField(help_text="The release's page on the site.")
    api_url = serializers.SerializerMethodField()
    title = serializers.CharField()
    lead = serializers.CharField(help_text="The summary, plain text.")
    type = serializers.ChoiceField(choices=Release.Type.choices)
    language = serializers.CharField()
    published_at = serializers.DateTimeField()
    place = serializers.SerializerMethodField()
    sources = serializers.SerializerMethodField()
    fields_of_work = serializers.SerializerMethodField()
    translations = serializers.SerializerMethodField(
        help_text="The same release in the site's other languages."
    )

    def get_url(self, release) -> str:
        return absolute(self.context["request"], release.get_absolute_url())

    def get_api_url(self, release) -> str:
        from django.urls import reverse

        return absolute(self.context["request"], reverse("api:release", args=[release.slug]))

    @extend_schema_field(PlaceSerializer(allow_null=True))
    def get_place(self, release):
        place = release.place
        if place is None:
            return None
        return {"slug": place.slug, "name": place.local_name}

    get_sources = terms_of("sources")

    get_fields_of_work = terms_of("fields_of_work")

    @extend_schema_field(TranslationSerializer(many=True))
    def get_translations(self, release):
        request = self.context["request"]
        return [
            {"language": code, "url": absolute(request, path)}
            for code, path in getattr(release, "also_in", [])
        ]


class ReleaseDetailSerializer(ReleaseSerializer):
    body = serializers.CharField(help_text="The text, as sanitised HTML.")
    countries = serializers.SerializerMethodField()
    meetings = serializers.SerializerMethodField()

    get_countries = terms_of("countries")

    get_meetings = terms_of("meetings")


class FacetOptionSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="The value to give the parameter.")
    name = serializers.CharField()
    count = serializers.IntegerField(help_text="Releases the list would hold with it.")
    depth = serializers.IntegerField(help_text="0 at a tree's top.")
    selected = serializers.BooleanField()


class FacetsSerializer(serializers.Serializer):
    """Each facet's options that have releases, and those chosen: what the finder shows."""

    field = FacetOptionSerializer(many=True)
    source = FacetOptionSerializer(many=True)
    country = FacetOptionSerializer(many=True)
    type = FacetOptionSerializer(many=True)


class ReleaseListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    language = serializers.CharField()
    facets = FacetsSerializer()
    results = ReleaseSerializer(many=True)


class TreeNodeSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    url = serializers.URLField()

    def get_fields(self):
        """``children``: nodes like this one (the schema's component refers to itself)."""
        fields = super().get_fields()
        fields["children"] = type(self)(many=True)
        return fields


class StructureNodeSerializer(TreeNodeSerializer):
    kind = serializers.CharField()
    host_country = serializers.CharField(allow_null=True)
    opened_on = serializers.DateField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)


class CountrySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    iso_code = serializers.CharField(allow_null=True)
    group = serializers.CharField(help_text="The slug of its group (participating States…).")
    joined_on = serializers.DateField(allow_null=True)
    chairpersonships = serializers.ListField(child=serializers.IntegerField())
    url = serializers.URLField()


class CountryGroupSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    countries = serializers.ListField(child=serializers.SlugField())


class ErrorSerializer(serializers.Serializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Each refused parameter with its reasons.",
    )
