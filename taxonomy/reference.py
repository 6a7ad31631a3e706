"""The organisation's reference data as the seed page shows it, and how it is loaded.

The lists below are in the seed's menu order; ``tests/taxonomy/test_reference_data.py``
reads the seed itself and fails if the two drift apart. Loading is idempotent and
additive: it creates what is missing and fills what is empty, but never renames, moves or
deletes what editors have changed or added.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from . import reference_ru
from .models import Chairpersonship, Country, CountryGroup, FieldOfWork, Meeting, Place
from .names import make_slug, name_key
from .translated import column

# The reference data's own names in other languages, keyed by the English name; a country
# not listed is named by CLDR (Country.name_in). A language without a file here starts
# with English names (and CLDR's for countries) until editors write its own.
TRANSLATED_NAMES = {"ru": reference_ru.NAMES}
TRANSLATED_COUNTRY_NAMES = {"ru": reference_ru.COUNTRY_NAMES}


def translations(name, field_name="name", iso_code=None):
    """{"name_ru": …} for the languages whose reference names know ``name``."""
    found = {}
    for code, names in TRANSLATED_NAMES.items():
        local = TRANSLATED_COUNTRY_NAMES[code].get(iso_code) if iso_code else names.get(name)
        if local:
            found[column(field_name, code)] = local
    return found


FIELDS_OF_WORK = [
    ("Arms control", []),
    ("Border management", []),
    ("Combating trafficking in human beings", ["Trafficking in human beings"]),
    ("Conflict prevention and resolution", ["Conflict prevention"]),
    ("Countering terrorism", ["Terrorism", "Counter-terrorism"]),
    ("Cyber/ICT Security", ["Cyber security", "ICT security", "Cyber/ICT security"]),
    ("Democratization", ["Democratisation"]),
    ("Economic activities", []),
    ("Education", []),
    ("Elections", []),
    ("Environmental activities", []),
    ("Gender equality", []),
    ("Good governance", []),
    ("Human rights", []),
    ("Media freedom and development", ["Media freedom"]),
    ("Migration", []),
    ("National minority issues", ["National minorities"]),
    ("Policing", []),
    ("Reform and co-operation in the security sector", ["Security sector reform"]),
    ("Roma and Sinti", []),
    ("Rule of law", []),
    ("Tolerance and non-discrimination", []),
    ("Youth", []),
]

MEETINGS = [
    "Summit meetings",
    "Review Conferences",
    "Ministerial Council meetings",
    "Plenary meetings of the Permanent Council",
    "Plenary Meetings of the Forum for Security Co-operation",
    "Security Review Conferences",
    "Annual Implementation Assessment Meetings",
    "Economic and Environmental Forum",
    "Economic and Environmental Dimension Implementation Meetings",
    "Human rights meetings",
    "Media conferences",
    "Cyber/ICT security conferences",
    "Conference of the Alliance against Trafficking in Persons",
    "Gender Equality Review Conferences",
    "Annual OSCE Mediterranean conferences",
    "Annual OSCE Asian conferences",
]

PARTICIPATING_STATES = "participating-states"
ASIAN_PARTNERS = "asian-partners-for-co-operation"
MEDITERRANEAN_PARTNERS = "mediterranean-partners-for-co-operation"

COUNTRY_GROUPS = [
    (PARTICIPATING_STATES, "Participating States", ["Participating State"]),
    (ASIAN_PARTNERS, "Asian Partners for Co-operation", ["Asian Partners"]),
    (MEDITERRANEAN_PARTNERS, "Mediterranean Partners for Co-operation", ["Mediterranean Partners"]),
]


@dataclass(frozen=True)
class CountryData:
    name: str
    iso_code: str
    capital: str
    aliases: list = field(default_factory=list)
    capital_aliases: list = field(default_factory=list)
    sort_name: str = ""


# The 57 participating States in the seed's menu order (which puts Belgium before Belarus).
PARTICIPATING = [
    CountryData("Albania", "AL", "Tirana", capital_aliases=["Tirane"]),
    CountryData("Andorra", "AD", "Andorra la Vella"),
    CountryData("Armenia", "AM", "Yerevan"),
    CountryData("Austria", "AT", "Vienna", capital_aliases=["Wien"]),
    CountryData("Azerbaijan", "AZ", "Baku"),
    CountryData("Belgium", "BE", "Brussels"),
    CountryData("Belarus", "BY", "Minsk"),
    CountryData("Bosnia and Herzegovina", "BA", "Sarajevo", ["BiH"]),
    CountryData("Bulgaria", "BG", "Sofia"),
    CountryData("Canada", "CA", "Ottawa"),
    CountryData("Croatia", "HR", "Zagreb"),
    CountryData("Cyprus", "CY", "Nicosia"),
    CountryData("Czech Republic", "CZ", "Prague", ["Czechia"], ["Praha"]),
    CountryData("Denmark", "DK", "Copenhagen"),
    CountryData("Estonia", "EE", "Tallinn"),
    CountryData("Finland", "FI", "Helsinki"),
    CountryData("France", "FR", "Paris"),
    CountryData("Georgia", "GE", "Tbilisi"),
    CountryData("Germany", "DE", "Berlin"),
    CountryData("Greece", "GR", "Athens"),
    CountryData("Holy See", "VA", "Vatican City", ["Vatican"]),
    CountryData("Hungary", "HU", "Budapest"),
    CountryData("Iceland", "IS", "Reykjavik"),
    CountryData("Ireland", "IE", "Dublin"),
    CountryData("Italy", "IT", "Rome"),
    CountryData("Kazakhstan", "KZ", "Astana", capital_aliases=["Nur-Sultan"]),
    CountryData("Kyrgyzstan", "KG", "Bishkek", ["Kyrgyz Republic"]),
    CountryData("Latvia", "LV", "Riga"),
    CountryData("Liechtenstein", "LI", "Vaduz"),
    CountryData("Lithuania", "LT", "Vilnius"),
    CountryData("Luxembourg", "LU", "Luxembourg"),
    CountryData("Malta", "MT", "Valletta"),
    CountryData("Moldova", "MD", "Chisinau", ["Republic of Moldova"]),
    CountryData("Monaco", "MC", "Monaco"),
    CountryData("Mongolia", "MN", "Ulaanbaatar", capital_aliases=["Ulan Bator"]),
    CountryData("Montenegro", "ME", "Podgorica"),
    CountryData("The Netherlands", "NL", "Amsterdam", ["Netherlands"]),
    CountryData(
        "North Macedonia",
        "MK",
        "Skopje",
        ["the former Yugoslav Republic of Macedonia", "Republic of North Macedonia"],
    ),
    CountryData("Norway", "NO", "Oslo"),
    CountryData("Poland", "PL", "Warsaw", capital_aliases=["Warszawa"]),
    CountryData("Portugal", "PT", "Lisbon"),
    CountryData("Romania", "RO", "Bucharest"),
    CountryData("Russian Federation", "RU", "Moscow", ["Russia"]),
    CountryData("San Marino", "SM", "San Marino"),
    CountryData("Serbia", "RS", "Belgrade"),
    CountryData("Slovakia", "SK", "Bratislava", ["Slovak Republic"]),
    CountryData("Slovenia", "SI", "Ljubljana"),
    CountryData("Spain", "ES", "Madrid"),
    CountryData("Sweden", "SE", "Stockholm"),
    CountryData("Switzerland", "CH", "Bern", capital_aliases=["Berne"]),
    CountryData("Tajikistan", "TJ", "Dushanbe"),
    CountryData("Türkiye", "TR", "Ankara", ["Turkey", "Turkiye"]),
    CountryData("Turkmenistan", "TM", "Ashgabat", capital_aliases=["Ashgabad", "Ashkhabad"]),
    CountryData("Ukraine", "UA", "Kyiv", capital_aliases=["Kiev"]),
    CountryData("United Kingdom", "GB", "London", ["UK", "United Kingdom of Great Britain"]),
    CountryData(
        "United States of America",
        "US",
        "Washington, D.C.",
        ["United States", "USA", "US"],
        ["Washington"],
    ),
    CountryData("Uzbekistan", "UZ", "Tashkent"),
]

# When each participating State joined, as the organisation's own pages give it: the
# Helsinki Consultations' opening (25 June 1973) for the 35 first States; later dates for
# those that joined after. Filled only where editors have written none.
_FIRST = dt.date(1973, 6, 25)
JOINED = {
    **dict.fromkeys(
        [
            "AT",
            "BE",
            "BG",
            "CA",
            "CY",
            "DK",
            "FI",
            "FR",
            "DE",
            "GR",
            "VA",
            "HU",
            "IS",
            "IE",
            "IT",
            "LI",
            "LU",
            "MT",
            "MC",
            "NL",
            "NO",
            "PL",
            "PT",
            "RO",
            "RU",
            "SM",
            "ES",
            "SE",
            "CH",
            "TR",
            "GB",
            "US",
        ],
        _FIRST,
    ),
    "AL": dt.date(1991, 6, 19),
    **dict.fromkeys(["EE", "LV", "LT"], dt.date(1991, 9, 10)),
    **dict.fromkeys(
        ["AM", "AZ", "BY", "KZ", "KG", "MD", "TJ", "TM", "UA", "UZ"], dt.date(1992, 1, 30)
    ),
    **dict.fromkeys(["HR", "SI", "GE"], dt.date(1992, 3, 24)),
    "BA": dt.date(1992, 4, 30),
    **dict.fromkeys(["CZ", "SK"], dt.date(1993, 1, 1)),
    "MK": dt.date(1995, 10, 12),
    "AD": dt.date(1996, 4, 25),
    "RS": dt.date(2000, 11, 10),
    "ME": dt.date(2006, 6, 22),
    "MN": dt.date(2012, 11, 21),
}

ASIAN = [
    CountryData("Afghanistan", "AF", "Kabul"),
    CountryData("Australia", "AU", "Canberra"),
    CountryData("Japan", "JP", "Tokyo"),
    CountryData("Republic of Korea", "KR", "Seoul", ["Korea", "South Korea"], sort_name="Korea"),
    CountryData("Thailand", "TH", "Bangkok"),
]

MEDITERRANEAN = [
    CountryData("Algeria", "DZ", "Algiers"),
    CountryData("Egypt", "EG", "Cairo"),
    CountryData("Israel", "IL", "Jerusalem"),
    CountryData("Jordan", "JO", "Amman"),
    CountryData("Morocco", "MA", "Rabat"),
    CountryData("Tunisia", "TN", "Tunis"),
]

COUNTRIES_BY_GROUP = {
    PARTICIPATING_STATES: PARTICIPATING,
    ASIAN_PARTNERS: ASIAN,
    MEDITERRANEAN_PARTNERS: MEDITERRANEAN,
}

CHAIRPERSONSHIPS = [
    (2020, "Albania"),
    (2021, "Sweden"),
    (2022, "Poland"),
    (2023, "North Macedonia"),
    (2024, "Malta"),
    (2025, "Finland"),
    (2026, "Switzerland"),
]

# Cities that host the organisation's structures but are not a capital: (name, country ISO
# code or None, aliases). Pristina is listed without a country on purpose.
HOST_CITIES = [
    ("The Hague", "NL", ["Den Haag"]),
    ("Geneva", "CH", ["Genève"]),
    ("Pristina", None, ["Prishtina", "Priština", "Prishtinë"]),
]


@dataclass
class Report:
    """What a load did, per kind of row: {"Country": Counter(created=.., updated=..)}."""

    counts: dict = field(default_factory=dict)

    def add(self, model, outcome):
        self.counts.setdefault(model._meta.verbose_name_plural, Counter())[outcome] += 1

    def lines(self):
        for kind, counter in self.counts.items():
            yield (
                f"{kind}: {counter['created']} created, {counter['updated']} updated, "
                f"{counter['unchanged']} unchanged"
            )


def ensure(model, report, *, name, slug=None, aliases=(), fill=None, create=None):
    """Find the term by slug, else by name or alias; create it if missing.

    An existing term keeps its name, place and every value an editor set: only empty
    fields in ``fill`` are filled and missing aliases appended. ``create`` holds values
    used only when the term is new (such as its parent).
    """
    slug = slug or make_slug(name)
    fill = {**translations(name, iso_code=(fill or {}).get("iso_code")), **(fill or {})}
    term = model._default_manager.filter(slug=slug).first()
    if term is None:
        term = model._default_manager.all().resolver().get(name_key(name))
    if term is None:
        given = {key: value for key, value in fill.items() if value not in (None, "")}
        term = model(name=name, slug=slug, aliases="\n".join(aliases), **given, **(create or {}))
        term.save()
        report.add(model, "created")
        return term

    changed = False
    for attname, value in fill.items():
        if value not in (None, "") and getattr(term, attname) in (None, ""):
            setattr(term, attname, value)
            changed = True
    if term.add_aliases(*aliases):
        changed = True
    if changed:
        term.save()
    report.add(model, "updated" if changed else "unchanged")
    return term


def load_taxonomy(report):
    """Load fields of work, meetings, country groups, countries, capitals and chairs."""
    for name, aliases in FIELDS_OF_WORK:
        ensure(FieldOfWork, report, name=name, aliases=aliases)
    for name in MEETINGS:
        ensure(Meeting, report, name=name)

    groups = {}
    for position, (slug, name, aliases) in enumerate(COUNTRY_GROUPS):
        groups[slug] = ensure(
            CountryGroup,
            report,
            name=name,
            slug=slug,
            aliases=aliases,
            create={"position": position},
        )

    countries = {}
    for group_slug, members in COUNTRIES_BY_GROUP.items():
        for data in members:
            country = ensure(
                Country,
                report,
                name=data.name,
                aliases=data.aliases,
                fill={
                    "iso_code": data.iso_code,
                    "sort_name": data.sort_name,
                    "joined_on": JOINED.get(data.iso_code),
                },
                create={"group": groups[group_slug]},
            )
            countries[data.iso_code] = country
            ensure(
                Place,
                report,
                name=data.capital,
                aliases=data.capital_aliases,
                fill={"country_id": country.pk},
            )
    for name, iso_code, aliases in HOST_CITIES:
        country_id = countries[iso_code].pk if iso_code else None
        ensure(Place, report, name=name, aliases=aliases, fill={"country_id": country_id})

    by_name = {c.name: c for c in countries.values()}
    for year, country_name in CHAIRPERSONSHIPS:
        country = by_name[country_name]
        _, created = Chairpersonship.objects.get_or_create(year=year, defaults={"country": country})
        report.add(Chairpersonship, "created" if created else "unchanged")
    return countries
