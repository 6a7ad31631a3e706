"""The structures tree and the site menu as the seed page shows them, and their loading.

The menu lives in ``taxonomy`` but points at structures too, so it is loaded here, in the
one reference-data app that sees both. Same rules as :mod:`taxonomy.reference`: idempotent,
additive, never renames, moves or deletes what editors changed.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from taxonomy.models import Country, CountryGroup, FieldOfWork, Meeting, MenuItem, Place
from taxonomy.names import make_slug, name_key
from taxonomy.reference import (
    ASIAN_PARTNERS,
    COUNTRIES_BY_GROUP,
    FIELDS_OF_WORK,
    MEDITERRANEAN_PARTNERS,
    MEETINGS,
    PARTICIPATING_STATES,
    Report,
    ensure,
    load_taxonomy,
    translations,
)

from .models import Structure

Kind = Structure.Kind


@dataclass
class SeedStructure:
    """A structure: name, kind, aliases, host country (ISO code), seat (a place's name)."""

    name: str
    kind: str = Kind.OTHER
    aliases: list = field(default_factory=list)
    host: str = ""
    seat: str = ""
    children: list = field(default_factory=list)


def _unit(name, *aliases, seat="Vienna"):
    return SeedStructure(name, Kind.UNIT, list(aliases), seat=seat)


def _operation(name, host, seat, *aliases):
    return SeedStructure(name, Kind.FIELD_OPERATION, list(aliases), host=host, seat=seat)


STRUCTURES = [
    SeedStructure(
        "Chairpersonship",
        Kind.CHAIRPERSONSHIP,
        ["Chairmanship", "Chairperson-in-Office", "Chairmanship-in-Office", "Chair"],
    ),
    SeedStructure(
        "Secretariat",
        Kind.SECRETARIAT,
        ["Secretariat in Vienna"],
        seat="Vienna",
        children=[
            _unit("Secretary General"),
            _unit("Office of the Secretary General"),
            _unit("Conflict Prevention Centre", "CPC"),
            _unit("Transnational Threats Department", "TNTD"),
            _unit(
                "Office of the Special Representative and Co-ordinator for Combating "
                "Trafficking in Human Beings",
                "OSR/CTHB",
                "Special Representative and Co-ordinator for Combating Trafficking in Human Beings",
            ),
            _unit(
                "Office of the Co-ordinator of OSCE Economic and Environmental Activities",
                "OCEEA",
                "Co-ordinator of OSCE Economic and Environmental Activities",
            ),
            _unit("Gender Issues Programme", "Programme for Gender Issues"),
            _unit("Opportunities for Youth"),
            _unit("Department of Human Resources"),
            _unit("Department of Management and Finance"),
            _unit("Office of Internal Oversight"),
            _unit("Documentation Centre in Prague", "Prague Office", seat="Prague"),
        ],
    ),
    SeedStructure(
        "Institutions",
        Kind.GROUP,
        children=[
            SeedStructure(
                "Office for Democratic Institutions and Human Rights",
                Kind.INSTITUTION,
                ["ODIHR", "OSCE/ODIHR"],
                seat="Warsaw",
            ),
            SeedStructure(
                "High Commissioner on National Minorities",
                Kind.INSTITUTION,
                ["HCNM"],
                seat="The Hague",
            ),
            SeedStructure(
                "Representative on Freedom of the Media",
                Kind.INSTITUTION,
                ["RFoM"],
                seat="Vienna",
            ),
        ],
    ),
    SeedStructure(
        "Field operations",
        Kind.GROUP,
        children=[
            _operation("Presence in Albania", "AL", "Tirana"),
            _operation("Centre in Ashgabat", "TM", "Ashgabat"),
            _operation(
                "Programme Office in Astana", "KZ", "Astana", "Programme Office in Nur-Sultan"
            ),
            _operation("Programme Office in Bishkek", "KG", "Bishkek", "Centre in Bishkek"),
            _operation("Mission to Bosnia and Herzegovina", "BA", "Sarajevo"),
            _operation("Programme Office in Dushanbe", "TJ", "Dushanbe", "Office in Tajikistan"),
            _operation("Mission in Kosovo", "", "Pristina"),
            _operation("Mission to Moldova", "MD", "Chisinau"),
            _operation("Mission to Montenegro", "ME", "Podgorica"),
            _operation("Mission to Serbia", "RS", "Belgrade"),
            _operation("Mission to Skopje", "MK", "Skopje"),
            _operation("Project Co-ordinator in Uzbekistan", "UZ", "Tashkent"),
            SeedStructure("Closed field activities", Kind.CLOSED_GROUP),
        ],
    ),
    SeedStructure("Parliamentary Assembly", Kind.BODY, ["OSCE PA", "PA"], seat="Copenhagen"),
    SeedStructure("Court of Conciliation and Arbitration", Kind.BODY, seat="Geneva"),
]


@dataclass
class SeedMenuItem:
    """A menu entry: a label with a URL, or a term given as (model, slug); and children."""

    label: str = ""
    url: str = ""
    term: tuple = ()
    children: list = field(default_factory=list)


def _terms(model, names):
    return [SeedMenuItem(term=(model, make_slug(name))) for name in names]


MENU = [
    SeedMenuItem(
        "Our work",
        children=[
            SeedMenuItem(
                "Fields of work",
                children=[
                    *_terms(FieldOfWork, [name for name, _ in FIELDS_OF_WORK]),
                    SeedMenuItem(term=(Structure, "field-operations")),
                    SeedMenuItem("Projects", "https://www.osce.org/projects"),
                ],
            ),
            SeedMenuItem(
                "Meetings and conferences",
                children=[
                    *_terms(Meeting, MEETINGS),
                    SeedMenuItem("Partnerships", "https://www.osce.org/partnerships"),
                ],
            ),
        ],
    ),
    SeedMenuItem("Fields of work", "/fields-of-work/"),
    SeedMenuItem(
        "Countries",
        children=[
            SeedMenuItem("All", "/countries/"),
            SeedMenuItem(
                term=(CountryGroup, PARTICIPATING_STATES),
                children=_terms(
                    Country, [c.name for c in COUNTRIES_BY_GROUP[PARTICIPATING_STATES]]
                ),
            ),
            SeedMenuItem(term=(CountryGroup, ASIAN_PARTNERS)),
            SeedMenuItem(term=(CountryGroup, MEDITERRANEAN_PARTNERS)),
        ],
    ),
    SeedMenuItem(
        "Structures and institutions",
        children=[
            SeedMenuItem(term=(Structure, "chairpersonship")),
            SeedMenuItem(
                term=(Structure, "secretariat"),
                children=_terms(Structure, [s.name for s in STRUCTURES[1].children]),
            ),
            SeedMenuItem(term=(Structure, "institutions")),
            SeedMenuItem(
                term=(Structure, "field-operations"),
                children=_terms(Structure, [s.name for s in STRUCTURES[3].children]),
            ),
            SeedMenuItem(term=(Structure, "parliamentary-assembly")),
            SeedMenuItem(term=(Structure, "court-of-conciliation-and-arbitration")),
            SeedMenuItem("Organizational structure", "https://www.osce.org/who-we-are"),
            SeedMenuItem("About us", "https://www.osce.org/about-us"),
        ],
    ),
]


def load_structures(report, countries):
    places = Place.objects.all().resolver()

    def walk(specs, parent):
        for spec in specs:
            host = countries.get(spec.host)
            seat = places.get(name_key(spec.seat)) if spec.seat else None
            node = ensure(
                Structure,
                report,
                name=spec.name,
                aliases=spec.aliases,
                fill={
                    "kind": spec.kind,
                    "host_country_id": host.pk if host else None,
                    "seat_id": seat.pk if seat else None,
                },
                create={"parent": parent},
            )
            walk(spec.children, node)

    walk(STRUCTURES, None)


def load_menu(report):
    """Create the seed's menu entries that are missing, each where the seed puts it.

    Each entry carries a reference key (its path in the seed's menu), so an entry that
    editors renamed or moved is still recognised and left as it is.
    """
    content_types = {}
    existing = {item.reference_key: item for item in MenuItem.objects.exclude(reference_key=None)}

    def target(term):
        model, slug = term
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(model)
        return content_types[model], model._default_manager.filter(slug=slug).first()

    def walk(specs, parent, parent_key):
        for spec in specs:
            key = f"{parent_key}/{spec.term[1] if spec.term else make_slug(spec.label)}"
            item = existing.get(key)
            if item is None and spec.term:
                # An entry the menu made by itself when the term was added (menu.follow).
                content_type, term = target(spec.term)
                item = (
                    term
                    and MenuItem.objects.filter(
                        content_type=content_type, object_id=term.pk, reference_key=None
                    ).first()
                )
                if item is not None:
                    item.reference_key = key
                    item.save(update_fields=["reference_key"])
            if item is not None:
                local = translations(spec.label, "label") if spec.label else {}
                missing = [field for field, label in local.items() if not getattr(item, field)]
                for field_name in missing:
                    setattr(item, field_name, local[field_name])
                if missing:
                    item.save(update_fields=missing)
                report.add(MenuItem, "updated" if missing else "unchanged")
            else:
                values = {"label": spec.label, "url": spec.url}
                if spec.label:
                    values.update(translations(spec.label, "label"))
                if spec.term:
                    content_type, term = target(spec.term)
                    if term is None:
                        continue  # the seed's term is gone: editors removed it
                    values.update(content_type=content_type, object_id=term.pk)
                item = MenuItem.objects.create(parent=parent, reference_key=key, **values)
                report.add(MenuItem, "created")
            walk(spec.children, item, key)

    walk(MENU, None, "")


@transaction.atomic
def load_reference_data():
    """Load every tree, list and the menu; returns a :class:`Report`. All or nothing."""
    report = Report()
    countries = load_taxonomy(report)
    load_structures(report, countries)
    load_menu(report)
    return report
