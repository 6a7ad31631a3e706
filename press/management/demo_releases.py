"""Demo releases: plausible, reproducible press releases made from the reference data.

``generate_demo_releases`` uses this to fill a site with as many releases as a test of
scale or a demonstration needs. Everything here is pure: :meth:`Catalogue.load` reads the
reference terms once (a handful of queries), and :func:`generate` turns a seed into
unsaved :class:`~press.models.Release` objects with their relations, without touching the
database. The same seed, reference data and newest date always give the same releases.
It sits beside the command rather than in ``press`` because nothing that serves a request
needs it.

The mix imitates a real newsroom: the Secretariat, ODIHR, the Chairpersonship and the big
field operations issue most releases; a field operation writes mostly from its seat;
recent years are busier than early ones; most releases are press releases, some news
items and statements, and a few are left as drafts.
"""

import datetime as dt
import html
import itertools
import random
import string
from bisect import bisect
from dataclasses import dataclass, field

from django.utils import timezone

from institutions.models import Structure
from press.models import Release
from taxonomy.models import Chairpersonship, Country, FieldOfWork, Place
from taxonomy.names import make_slug

Kind = Structure.Kind
Type = Release.Type

YEARS = 20
DRAFT_SHARE = 0.02
TYPE_WEIGHTS = {Type.PRESS_RELEASE: 70, Type.NEWS: 20, Type.STATEMENT: 10}
SOURCE_COUNTS = {1: 75, 2: 21, 3: 4}
FIELD_COUNTS = {1: 45, 2: 40, 3: 15}
COUNTRY_COUNTS = {0: 55, 1: 35, 2: 10}
SLUG_STEM_LENGTH = 80
SLUG_SUFFIX_LENGTH = 6
_SUFFIX_ALPHABET = string.ascii_lowercase + string.digits
_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip

# Slugs too long to repeat.
CTHB = (
    "office-of-the-special-representative-and-co-ordinator-for-combating-trafficking-in-"
    "human-beings"
)
OCEEA = "office-of-the-co-ordinator-of-osce-economic-and-environmental-activities"
ODIHR = "office-for-democratic-institutions-and-human-rights"

# How much each structure publishes, by slug; structures editors add get their kind's
# weight. Groups ("Field operations") never issue releases themselves.
SOURCE_WEIGHTS = {
    "chairpersonship": 14,
    "secretariat": 12,
    "secretary-general": 5,
    "office-of-the-secretary-general": 1,
    "conflict-prevention-centre": 2,
    "transnational-threats-department": 3,
    CTHB: 2,
    OCEEA: 2.5,
    "gender-issues-programme": 1.5,
    "opportunities-for-youth": 0.7,
    "department-of-human-resources": 0.2,
    "department-of-management-and-finance": 0.2,
    "office-of-internal-oversight": 0.2,
    "documentation-centre-in-prague": 0.3,
    ODIHR: 14,
    "high-commissioner-on-national-minorities": 3,
    "representative-on-freedom-of-the-media": 6,
    "presence-in-albania": 4,
    "centre-in-ashgabat": 2,
    "programme-office-in-astana": 2.5,
    "programme-office-in-bishkek": 3,
    "mission-to-bosnia-and-herzegovina": 7,
    "programme-office-in-dushanbe": 3,
    "mission-in-kosovo": 7,
    "mission-to-moldova": 5,
    "mission-to-montenegro": 3,
    "mission-to-serbia": 6,
    "mission-to-skopje": 6,
    "project-co-ordinator-in-uzbekistan": 2.5,
    "parliamentary-assembly": 4,
    "court-of-conciliation-and-arbitration": 0.2,
}
KIND_WEIGHTS = {
    Kind.CHAIRPERSONSHIP: 5,
    Kind.SECRETARIAT: 5,
    Kind.UNIT: 1,
    Kind.INSTITUTION: 3,
    Kind.FIELD_OPERATION: 2,
    Kind.BODY: 1,
    Kind.OTHER: 0.5,
    Kind.GROUP: 0,
}
# How a title names a structure; others are "OSCE " + their name.
SHORT_NAMES = {
    "chairpersonship": "OSCE Chairpersonship",
    "secretariat": "OSCE Secretariat",
    "secretary-general": "OSCE Secretary General",
    "office-of-the-secretary-general": "OSCE Secretary General’s Office",
    CTHB: "OSCE anti-trafficking office",
    OCEEA: "OSCE Economic and Environmental Co-ordinator",
    ODIHR: "ODIHR",
    "high-commissioner-on-national-minorities": "OSCE High Commissioner on National Minorities",
    "representative-on-freedom-of-the-media": "OSCE Media Freedom Representative",
}
SPEAKERS = {
    "chairpersonship": "the OSCE Chairperson-in-Office",
    "secretariat": "the OSCE Secretary General",
    "secretary-general": "the OSCE Secretary General",
    "office-of-the-secretary-general": "the OSCE Secretary General",
    CTHB: "the OSCE Special Representative for Combating Trafficking in Human Beings",
    OCEEA: "the Co-ordinator of OSCE Economic and Environmental Activities",
    ODIHR: "the ODIHR Director",
    "high-commissioner-on-national-minorities": "the High Commissioner",
    "representative-on-freedom-of-the-media": "the OSCE Representative on Freedom of the Media",
    "project-co-ordinator-in-uzbekistan": "the OSCE Project Co-ordinator in Uzbekistan",
    "parliamentary-assembly": "the President of the OSCE Parliamentary Assembly",
}
# Where a field operation without a host country works.
REGIONS = {"mission-in-kosovo": "Kosovo"}

# Fields of work: how often they come up, and which ones each structure mostly writes about.
FIELD_WEIGHTS = {
    "human-rights": 5,
    "conflict-prevention-and-resolution": 5,
    "democratization": 4,
    "good-governance": 4,
    "rule-of-law": 4,
    "gender-equality": 4,
    "media-freedom-and-development": 3,
    "policing": 3,
    "elections": 3,
    "combating-trafficking-in-human-beings": 3,
    "countering-terrorism": 3,
    "border-management": 3,
    "tolerance-and-non-discrimination": 3,
    "roma-and-sinti": 1.5,
}
SOURCE_FIELDS = {
    "chairpersonship": ["conflict-prevention-and-resolution", "human-rights", "good-governance"],
    "secretary-general": ["conflict-prevention-and-resolution", "gender-equality", "youth"],
    "conflict-prevention-centre": [
        "conflict-prevention-and-resolution",
        "arms-control",
        "border-management",
    ],
    "transnational-threats-department": [
        "countering-terrorism",
        "policing",
        "border-management",
        "cyber-ict-security",
    ],
    CTHB: [
        "combating-trafficking-in-human-beings",
        "migration",
    ],
    OCEEA: [
        "economic-activities",
        "environmental-activities",
        "good-governance",
    ],
    "gender-issues-programme": ["gender-equality"],
    "opportunities-for-youth": ["youth", "education"],
    ODIHR: [
        "elections",
        "elections",
        "human-rights",
        "democratization",
        "tolerance-and-non-discrimination",
        "roma-and-sinti",
        "rule-of-law",
    ],
    "high-commissioner-on-national-minorities": ["national-minority-issues", "education"],
    "representative-on-freedom-of-the-media": ["media-freedom-and-development"],
    "parliamentary-assembly": ["democratization", "elections", "human-rights"],
    "court-of-conciliation-and-arbitration": ["conflict-prevention-and-resolution"],
}
# How a field of work reads inside a sentence, and who takes part in its activities.
TOPICS = {
    "arms-control": ["small arms control", "ammunition safety"],
    "border-management": ["border security and management", "cross-border co-operation"],
    "combating-trafficking-in-human-beings": [
        "victim identification",
        "anti-trafficking co-operation",
    ],
    "conflict-prevention-and-resolution": ["conflict prevention", "confidence-building"],
    "countering-terrorism": ["countering violent extremism", "counter-terrorism co-operation"],
    "cyber-ict-security": ["cyber security", "cyber confidence-building"],
    "democratization": ["democratic governance", "parliamentary oversight"],
    "economic-activities": ["economic connectivity", "trade facilitation"],
    "education": ["human rights education", "inclusive education"],
    "elections": ["electoral reform", "election administration"],
    "environmental-activities": ["environmental security", "water management"],
    "gender-equality": ["gender equality", "women’s political participation"],
    "good-governance": ["good governance", "anti-corruption"],
    "human-rights": ["human rights", "human rights monitoring"],
    "media-freedom-and-development": ["media freedom", "journalist safety"],
    "migration": ["migration governance", "labour migration"],
    "national-minority-issues": ["minority rights", "minority language education"],
    "policing": ["community policing", "police reform"],
    "reform-and-co-operation-in-the-security-sector": ["security sector reform"],
    "roma-and-sinti": ["Roma and Sinti inclusion"],
    "rule-of-law": ["judicial reform", "access to justice"],
    "tolerance-and-non-discrimination": ["hate crime prevention", "non-discrimination"],
    "youth": ["youth participation", "youth engagement"],
}
AUDIENCES = {
    "arms-control": ["defence officials", "ammunition experts"],
    "border-management": ["border guards", "customs officers"],
    "combating-trafficking-in-human-beings": ["labour inspectors", "prosecutors", "social workers"],
    "conflict-prevention-and-resolution": ["mediators", "local officials"],
    "countering-terrorism": ["law enforcement officers", "community leaders"],
    "cyber-ict-security": ["IT security experts", "diplomats"],
    "democratization": ["parliamentarians", "civil society representatives"],
    "economic-activities": ["small business owners", "customs officials"],
    "education": ["teachers", "students"],
    "elections": ["election officials", "domestic observers"],
    "environmental-activities": ["municipal officials", "environmental activists"],
    "gender-equality": ["women leaders", "women police officers"],
    "good-governance": ["public servants", "anti-corruption officials"],
    "human-rights": ["human rights defenders", "ombudsperson staff"],
    "media-freedom-and-development": ["journalists", "media students", "editors"],
    "migration": ["migration officials", "border police officers"],
    "national-minority-issues": ["minority representatives", "teachers"],
    "policing": ["police officers", "police trainers"],
    "reform-and-co-operation-in-the-security-sector": ["defence officials", "parliamentary staff"],
    "roma-and-sinti": ["Roma mediators", "Roma and Sinti activists"],
    "rule-of-law": ["judges", "prosecutors", "defence lawyers"],
    "tolerance-and-non-discrimination": ["police officers", "civil society representatives"],
    "youth": ["young people", "youth leaders"],
}
PARTNERS = {
    "elections": ["the Central Election Commission"],
    "policing": ["the Ministry of Interior", "the police academy"],
    "rule-of-law": ["the Ministry of Justice", "the judicial training centre"],
    "human-rights": ["the Ombudsperson’s office"],
    "democratization": ["the national parliament"],
    "education": ["the Ministry of Education"],
}
GENERIC_PARTNERS = ["national authorities", "civil society organizations", "local municipalities"]

# Title templates by type. {where} (a country) is used only when the release has one.
TITLES = {
    Type.PRESS_RELEASE: [
        "{src} supports {topic} training for {audience} in {place}",
        "{src} trains {audience} on {topic} in {place}",
        "{src} launches project to strengthen {topic} in {where}",
        "{src} hosts regional conference on {topic} in {place}",
        "{src} presents report on {topic} in {where}",
        "{src} publishes handbook on {topic} for {audience}",
        "{audience} from {where} discuss {topic} at {src} {event}",
        "{src} signs memorandum of understanding on {topic} with {partner}",
        "{src} donates equipment to support {topic} in {where}",
        "{src} organizes study visit on {topic} for {audience} from {where}",
        "{src} helps {audience} in {place} put {topic} into practice",
    ],
    Type.NEWS: [
        "{audience} in {place} learn about {topic}",
        "How {audience} in {where} are advancing {topic}",
        "{src} marks ten years of its work on {topic} in {place}",
        "New course on {topic} for {audience} opens in {place}",
        "What {audience} took home from {a_event} on {topic} in {place}",
    ],
    Type.STATEMENT: [
        "{src} statement on {topic} in {where}",
        "{src} welcomes progress on {topic} in {where}",
        "{src} calls for renewed commitment to {topic}",
        "{src} urges authorities in {where} to do more for {topic}",
    ],
}
# Titles only some structures write, added to the general ones for their type.
SOURCE_TITLES = {
    ODIHR: {
        Type.PRESS_RELEASE: [
            "ODIHR opens election observation mission for {election} in {where}",
            "ODIHR observers present preliminary conclusions on {election} in {where}",
            "ODIHR publishes final report on {election} in {where}",
        ],
    },
    "chairpersonship": {
        Type.PRESS_RELEASE: ["OSCE Chairperson-in-Office visits {where}, discusses {topic}"],
        Type.STATEMENT: [
            "OSCE Chairpersonship statement on {topic}",
            "OSCE Chairpersonship statement on the situation in {where}",
        ],
    },
    "secretary-general": {
        Type.PRESS_RELEASE: ["OSCE Secretary General visits {where}, discusses {topic}"],
    },
    "representative-on-freedom-of-the-media": {
        Type.STATEMENT: [
            "OSCE Media Freedom Representative concerned about safety of journalists in {where}",
            "OSCE Media Freedom Representative welcomes decriminalization of defamation in {where}",
        ],
    },
    "high-commissioner-on-national-minorities": {
        Type.PRESS_RELEASE: ["High Commissioner on National Minorities concludes visit to {where}"],
    },
}
ELECTIONS = [
    "parliamentary elections",
    "early parliamentary elections",
    "presidential election",
    "local elections",
    "constitutional referendum",
]
EVENTS = [
    "training course",
    "workshop",
    "round table",
    "seminar",
    "conference",
    "study visit",
    "expert meeting",
    "simulation exercise",
]
ASPECTS = [
    "international standards",
    "practical tools for day-to-day work",
    "co-operation between institutions",
    "the use of new technologies",
    "gender-sensitive approaches",
    "the needs of local communities",
    "lessons learned from recent cases",
    "monitoring and reporting",
]
QUOTES = [
    "Progress on {topic} depends on the people who put it into practice every day",
    "Lasting results in {topic} need trust between institutions and the people they serve",
    "We are proud to support our partners in their efforts to advance {topic}",
    "This {event} is one step in a long-term effort, and we will continue to stand by our partners",
    "The commitments on {topic} that all participating States have made must be implemented "
    "in full",
    "Co-operation across borders is essential if we want real progress on {topic}",
    "Today’s discussions showed how much institutions and civil society can achieve together",
    "Investing in {topic} is investing in the security of everyone in the region",
]
LEADS = {
    Type.PRESS_RELEASE: [
        "{The_src} today concluded a {days}-day {event} on {topic} for {n} {audience} "
        "{from_where}.",
        "Some {n} {audience} {from_where} took part in a {days}-day {event} on {topic}, "
        "organized by {the_src} in {place}.",
        "{The_src} launched a new initiative today to strengthen {topic} {in_where}, working "
        "with {partner} and civil society.",
        "Improving {topic} was the focus of {a_event} for {n} {audience} that {the_src} "
        "organized in {place} today.",
        "{The_src} brought together {n} {audience} {from_where} in {place} today for "
        "{a_event} on {topic}.",
        "{The_src} presented the findings of its latest assessment of {topic} {in_where} at a "
        "meeting with {partner} in {place} today.",
        "{The_src} handed over equipment worth EUR {amount} to {partner} today to support "
        "{topic} {in_where}.",
    ],
    Type.NEWS: [
        "For {n} {audience} {from_where}, the {event} organized by {the_src} this week was a "
        "first chance to compare notes on {topic}.",
        "When {audience} {in_where} talk about {topic}, they increasingly talk about working "
        "together. {A_event} organized by {the_src} in {place} showed why.",
        "{The_src} has supported {topic} {in_where} for years. This week, {n} {audience} met in "
        "{place} to take stock.",
    ],
    Type.STATEMENT: [
        "{The_src} issued the following statement today:",
        "{Speaker} made the following statement on {topic} today:",
        "{The_src} today welcomed the steps taken {in_where} on {topic} and called on all "
        "sides to build on them.",
    ],
}
MIDDLES = {
    Type.PRESS_RELEASE: [
        "“{quote},” said {speaker}. “{quote2}.”",
        "Participants discussed {aspect} and shared examples of good practice from across the "
        "OSCE region. Sessions were led by national and international experts, including "
        "practitioners from {donor} and {donor2}.",
        "The {event} covered {aspect}, {aspect2} and the role of {audience} in {topic}. "
        "Participants worked through case studies drawn from situations they meet at work.",
        "{The_src} has supported {topic} {in_where} since {since}, working closely with "
        "{partner} and local communities.",
        "The {event} is part of the project “Strengthening {topic} {in_where}”, funded by "
        "{donor} and {donor2}.",
        "Representatives of {partner} welcomed the co-operation and said they would apply what "
        "was learned in their institutions. A follow-up meeting is planned for {next_month}.",
        "The assessment finds that progress on {topic} remains uneven. It recommends clearer "
        "legislation, better co-ordination between institutions and regular consultation with "
        "civil society.",
        "The activity also addressed {topic2}, in line with the commitments of the OSCE "
        "participating States.",
    ],
    Type.STATEMENT: [
        "“{quote},” said {speaker}.",
        "{Speaker} reaffirmed the OSCE’s readiness to support {partner} in advancing {topic}, "
        "and stressed that lasting results require the full implementation of OSCE "
        "commitments.",
        "{Speaker} called on all parties to engage in constructive dialogue and to refrain from "
        "any action that could increase tensions.",
        "“{quote2},” {speaker} added.",
        "The OSCE will continue to follow developments {in_where} closely and stands ready to "
        "assist.",
    ],
}
MIDDLES[Type.NEWS] = MIDDLES[Type.PRESS_RELEASE]
CLOSINGS = [
    "{The_src} works with {partner} to advance {topic} {in_where} as part of the OSCE’s "
    "comprehensive approach to security.",
    "The OSCE’s work on {topic} links the politico-military, economic and environmental, and "
    "human dimensions of security.",
    "More information about the OSCE’s work on {topic} is available on the OSCE website.",
    "{The_src} will publish a summary of the discussions and the recommendations agreed by "
    "participants in the coming weeks.",
]


class MissingReferenceData(Exception):
    """The database lacks the terms demo releases are made of."""


@dataclass
class Weighted:
    """Items with cumulative weights, for drawing one with :meth:`pick`."""

    items: list
    cumulative: list

    @classmethod
    def of(cls, pairs):
        pairs = [(item, weight) for item, weight in pairs if weight > 0]
        return cls([item for item, _ in pairs], list(itertools.accumulate(w for _, w in pairs)))

    def __bool__(self):
        return bool(self.items)

    def pick(self, rng):
        return self.items[bisect(self.cumulative, rng.random() * self.cumulative[-1])]

    def pick_distinct(self, rng, count, exclude=(), accept=None, tries=50):
        """Up to ``count`` different items, none in ``exclude``, each passing ``accept``."""
        chosen = []
        for _ in range(tries):
            if len(chosen) == count:
                break
            item = self.pick(rng)
            if item in chosen or item in exclude or (accept and not accept(item)):
                continue
            chosen.append(item)
        return chosen


@dataclass
class Voice:
    """How a structure is named and quoted, what it mostly writes about, and its titles."""

    words: dict  # src, the_src, The_src, speaker, Speaker
    fields: list
    titles: dict  # (type, about a country?, about a participating State?) -> templates

    @classmethod
    def of(cls, structure, fields):
        short = SHORT_NAMES.get(structure.slug) or f"OSCE {structure.name}"
        the = short if short == "ODIHR" else f"the {short}"
        speaker = SPEAKERS.get(structure.slug)
        if speaker is None:
            kind = structure.kind
            speaker = f"the Head of {the}" if kind in _HEADED_KINDS else f"a spokesperson for {the}"
        by_slug = {f.slug: f for f in fields}
        titles = {}
        for kind in TYPE_WEIGHTS:
            every = TITLES[kind] + SOURCE_TITLES.get(structure.slug, {}).get(kind, []) * 3
            for about, participating in ((False, False), (True, False), (True, True)):
                titles[kind, about, participating] = [
                    t
                    for t in every
                    if (about or "{where}" not in t) and (participating or "{election}" not in t)
                ]
        return cls(
            words={
                "src": short,
                "the_src": the,
                "The_src": _capital_first(the),
                "speaker": speaker,
                "Speaker": _capital_first(speaker),
            },
            fields=[by_slug[s] for s in SOURCE_FIELDS.get(structure.slug, ()) if s in by_slug],
            titles=titles,
        )


_HEADED_KINDS = (Kind.FIELD_OPERATION, Kind.UNIT)
_TYPES = Weighted.of(TYPE_WEIGHTS.items())
_SOURCE_COUNTS = Weighted.of(SOURCE_COUNTS.items())
_FIELD_COUNTS = Weighted.of(FIELD_COUNTS.items())
_COUNTRY_COUNTS = Weighted.of(COUNTRY_COUNTS.items())


@dataclass
class Catalogue:
    """The reference terms demo releases are made of, with how often each one comes up."""

    sources: Weighted
    fields: Weighted
    countries: Weighted
    donors: list
    participating: frozenset  # ids of the participating States
    places: Weighted
    places_by_id: dict
    places_by_country: dict
    countries_by_id: dict
    chairs: dict  # year -> country id
    voices: dict  # structure id -> Voice
    home: Place  # where a release with nowhere better to be dated is dated from

    @classmethod
    def load(cls):
        """Read the reference data once; raises :class:`MissingReferenceData` if it is empty."""
        structures = list(Structure.objects.order_by("pk"))
        fields = list(FieldOfWork.objects.order_by("pk"))
        countries = list(Country.objects.select_related("group").order_by("pk"))
        places = list(Place.objects.order_by("pk"))
        chairs = dict(Chairpersonship.objects.values_list("year", "country_id"))
        sources = Weighted.of((s, _source_weight(s)) for s in structures)
        if not (sources and fields and places):
            raise MissingReferenceData(
                "no structures, fields of work or places: load the reference data first "
                "(python manage.py load_reference_data)"
            )

        hosts = {s.host_country_id for s in structures if s.host_country_id}
        seats = {s.seat_id for s in structures if s.kind == Kind.FIELD_OPERATION}
        places_by_country = {}
        for place in places:
            places_by_country.setdefault(place.country_id, []).append(place)
        participating = [c for c in countries if c.group.slug == "participating-states"]
        participating_ids = frozenset(c.pk for c in participating)
        home = next((p for p in places if p.slug == "vienna"), places[0])

        def country_weight(country):
            if country.pk in hosts:
                return 2.5
            return 1 if country in participating else 0.4

        def place_weight(place):
            if place == home:
                return 12
            if place.pk in seats:
                return 3
            return 1 if place.country_id in participating_ids | {None} else 0.3

        return cls(
            sources=sources,
            fields=Weighted.of((f, FIELD_WEIGHTS.get(f.slug, 2)) for f in fields),
            countries=Weighted.of((c, country_weight(c)) for c in countries),
            donors=[c.name for c in participating or countries],
            participating=participating_ids,
            places=Weighted.of((p, place_weight(p)) for p in places),
            places_by_id={p.pk: p for p in places},
            places_by_country=places_by_country,
            countries_by_id={c.pk: c for c in countries},
            chairs=chairs,
            home=home,
            voices={s.pk: Voice.of(s, fields) for s in sources.items},
        )


def _source_weight(structure):
    weight = SOURCE_WEIGHTS.get(structure.slug, KIND_WEIGHTS.get(structure.kind, 0.5))
    return weight * 0.3 if structure.closed_on else weight


@dataclass
class DemoRelease:
    """An unsaved release and the terms it is to be linked to once it has a primary key."""

    release: Release
    sources: list
    fields_of_work: list
    countries: list
    base_slug: str = field(repr=False, default="")
    # The country it is about (a field operation's host, else the first related country, or
    # a place's away from the source's home), if any: what a translation's text names.
    about: Country | None = field(repr=False, default=None)
    # Its translations, each a DemoRelease of its own (demo_translations adds them).
    translations: list = field(repr=False, default_factory=list)


def random_day(rng, until):
    """A day in the ``YEARS`` years up to ``until``; the newest years are about three times
    as busy as the oldest (half uniform, half a triangle that peaks at ``until``)."""
    span = int(YEARS * 365.25)
    fraction = rng.random() if rng.random() < 0.5 else rng.triangular(0, 1, 0)
    return until - dt.timedelta(days=min(int(fraction * span), span - 1))


def _active(structure, day):
    return (structure.opened_on is None or structure.opened_on <= day) and (
        structure.closed_on is None or structure.closed_on >= day
    )


def _capital_first(text):
    return text[:1].upper() + text[1:]


def _place_for(rng, catalogue, source, day):
    """Mostly the seat for a field operation; the chair's capital or Vienna for the chair."""
    seat = catalogue.places_by_id.get(source.seat_id)
    if source.kind == Kind.FIELD_OPERATION:
        roll = rng.random()
        if seat and roll < 0.85:
            return seat
        in_host = (
            catalogue.places_by_country.get(source.host_country_id)
            if source.host_country_id
            else None
        )
        if in_host and roll < 0.93:
            return rng.choice(in_host)
        return catalogue.places.pick(rng)
    if source.kind == Kind.CHAIRPERSONSHIP:
        chair = catalogue.chairs.get(day.year)
        chair_places = catalogue.places_by_country.get(chair) if chair else None
        roll = rng.random()
        if chair_places and roll < 0.45:
            return chair_places[0]
        return catalogue.home if roll < 0.75 else catalogue.places.pick(rng)
    if seat and rng.random() < 0.45:
        return seat
    return catalogue.places.pick(rng)


def build_release(rng, catalogue, until):
    """One unsaved demo release and its relations, drawn from ``rng``."""
    day = random_day(rng, until)
    moment = timezone.make_aware(
        dt.datetime.combine(day, dt.time(rng.randint(8, 18), rng.randrange(0, 60, 5)))
    )
    kind = _TYPES.pick(rng)
    status = Release.Status.DRAFT if rng.random() < DRAFT_SHARE else Release.Status.PUBLISHED

    sources = catalogue.sources.pick_distinct(
        rng, _SOURCE_COUNTS.pick(rng), accept=lambda s: _active(s, day)
    ) or [catalogue.sources.items[0]]
    source = sources[0]
    place = _place_for(rng, catalogue, source, day)

    voice = catalogue.voices[source.pk]
    first = rng.choice(voice.fields) if voice.fields and rng.random() < 0.7 else None
    fields = catalogue.fields.pick_distinct(
        rng, _FIELD_COUNTS.pick(rng) - (first is not None), exclude=[first]
    )
    fields = [first, *fields] if first else fields or [catalogue.fields.items[0]]

    home_country = (
        catalogue.places_by_id[source.seat_id].country_id
        if source.seat_id in catalogue.places_by_id
        else catalogue.chairs.get(day.year)
    )
    excluded = [c for c in (catalogue.countries_by_id.get(place.country_id),) if c]
    countries = catalogue.countries.pick_distinct(rng, _COUNTRY_COUNTS.pick(rng), exclude=excluded)
    # The country the release is about, if any: a field operation's host, else the first
    # related country, else the country of a place away from the source's home.
    where_country = None
    if source.kind == Kind.FIELD_OPERATION:
        where_country = catalogue.countries_by_id.get(source.host_country_id)
    elif countries:
        where_country = countries[0]
    elif place.country_id and place.country_id != home_country:
        where_country = catalogue.countries_by_id[place.country_id]
    where = where_country.name if where_country else REGIONS.get(source.slug)

    topics = [rng.choice(TOPICS.get(f.slug) or [f.name[:1].lower() + f.name[1:]]) for f in fields]
    partner_pool = PARTNERS.get(fields[0].slug, []) + GENERIC_PARTNERS
    event = rng.choice(EVENTS)
    article = "an" if event[0] in "aeiou" else "a"
    donor, donor2 = rng.sample(catalogue.donors, 2) if len(catalogue.donors) > 1 else ("", "")
    words = {
        **voice.words,
        "topic": topics[0],
        "topic2": topics[-1] if len(topics) > 1 else rng.choice(ASPECTS),
        "audience": rng.choice(AUDIENCES.get(fields[0].slug) or ["experts", "officials"]),
        "event": event,
        "a_event": f"{article} {event}",
        "A_event": f"{article.title()} {event}",
        "place": place.name,
        "where": where or "",
        "in_where": f"in {where}" if where else "across the region",
        "from_where": f"from {where}" if where else "from across the region",
        "election": f"the {day.year} {rng.choice(ELECTIONS)}",
        "n": rng.randrange(12, 80),
        "days": rng.randint(2, 5),
        "amount": f"{rng.randrange(5, 400) * 1000:,}",
        "partner": rng.choice(partner_pool),
        "aspect": rng.choice(ASPECTS),
        "aspect2": rng.choice(ASPECTS),
        "since": max(1995, day.year - rng.randint(2, 15)),
        "next_month": _MONTHS[(day.month + rng.randint(0, 3)) % 12],
        "donor": donor,
        "donor2": donor2,
    }
    words["quote"] = rng.choice(QUOTES).format(**words)
    words["quote2"] = rng.choice(QUOTES).format(**words)

    participating = where_country is not None and where_country.pk in catalogue.participating
    templates = voice.titles[kind, where is not None, participating]
    title = _capital_first(rng.choice(templates).format(**words))

    middles = rng.sample(MIDDLES[kind], rng.randint(1, 4))
    paragraphs = [
        rng.choice(LEADS[kind]).format(**words),
        *(text.format(**words) for text in middles),
        rng.choice(CLOSINGS).format(**words),
    ]
    dateline = f"{place.name.upper()}, {day.day} {_MONTHS[day.month - 1]} {day.year} – "
    body = "\n".join(
        f"<p>{html.escape(text)}</p>" for text in [dateline + paragraphs[0], *paragraphs[1:]]
    )

    stem = _slug_stem(title)
    suffix = "".join(rng.choices(_SUFFIX_ALPHABET, k=SLUG_SUFFIX_LENGTH))
    release = Release(
        title=title,
        slug=f"{stem}-{suffix}",
        type=kind,
        status=status,
        published_at=moment,
        place=place,
        body=body,
        import_key=None,
    )
    return DemoRelease(
        release, sources, fields, countries, base_slug=release.slug, about=where_country
    )


def _slug_stem(title):
    slug = make_slug(title)
    if len(slug) <= SLUG_STEM_LENGTH:
        return slug or "release"
    return slug[:SLUG_STEM_LENGTH].rsplit("-", 1)[0]


def generate(catalogue, seed, until):
    """Demo releases without end, each dated no later than ``until``; the same ``seed``
    gives the same sequence."""
    rng = random.Random(seed)
    while True:
        yield build_release(rng, catalogue, until)


def settle_slugs(items, seen, taken):
    """Give each item a slug that no release has yet, in the database or in ``seen``.

    ``taken(slugs)`` answers which of ``slugs`` the database already holds, in one go; a
    slug in use gets "-2", "-3"... Slugs given out are added to ``seen``.
    """
    pending, attempt = list(items), 1
    while pending:
        in_use = taken([item.release.slug for item in pending])
        clashing = []
        for item in pending:
            if item.release.slug in in_use or item.release.slug in seen:
                clashing.append(item)
            else:
                seen.add(item.release.slug)
        attempt += 1
        for item in clashing:
            item.release.slug = f"{item.base_slug}-{attempt}"
        pending = clashing


RELATIONS = ("sources", "fields_of_work", "countries")


def through_rows(items):
    """The many-to-many rows of saved releases: {through model: (its two id columns' field
    names, [(release id, term id), ...])}."""
    rows = {}
    for relation in RELATIONS:
        link = Release._meta.get_field(relation)
        through = link.remote_field.through
        own = through._meta.get_field(link.m2m_field_name()).attname
        other = through._meta.get_field(link.m2m_reverse_field_name()).attname
        pairs = [(item.release.pk, term.pk) for item in items for term in getattr(item, relation)]
        rows[through] = ((own, other), pairs)
    return rows
