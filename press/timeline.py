"""The finder's timeline: how many of the matching releases each year holds (each month,
when they all fall in one year), each period with the finder's link narrowed to its dates.
Drawn by :mod:`press.templatetags.timeline_tags`.

The counts come from the index like the facets' (:mod:`press.engine`): positions are in
publication order, so a period's releases are the matching positions between the first
positions of that period and of the next, one ``range_cardinality`` on the answer's bitmap
for each period. No query, and no loop over releases, at any archive size.
"""

import datetime as dt
from dataclasses import dataclass
from itertools import pairwise

from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, ngettext

from .engine import EPOCH, MICROSECOND


@dataclass
class Bar:
    start: dt.date  # the period's first day
    label: str  # "2015", "March 2024": the table's row and the bar's tooltip
    count: int
    query: str  # the finder's query narrowed to the period; "" for an empty period

    @property
    def amount(self):
        """The count as the page's language writes it: "1,234", "1 234"."""
        return number_format(self.count, force_grouping=True)

    @property
    def title(self):
        return ngettext(
            "%(period)s: %(amount)s release", "%(period)s: %(amount)s releases", self.count
        ) % {"period": self.label, "amount": self.amount}


@dataclass
class Timeline:
    unit: str  # "year" or "month"
    caption: str
    bars: list
    most: int  # the tallest bar's count


def _local_day(snapshot, spot):
    return timezone.localtime(EPOCH + snapshot.times[spot] * MICROSECOND).date()


def _periods(first, last):
    """The years from ``first`` to ``last`` (dates), or their months when both are in one
    year: (unit, [(first day, first day of the next period)])."""
    if first.year != last.year:
        years = range(first.year, last.year + 1)
        return "year", [(dt.date(year, 1, 1), dt.date(year + 1, 1, 1)) for year in years]
    year = first.year
    starts = [dt.date(year, month, 1) for month in range(first.month, last.month + 1)]
    after = dt.date(year + 1, 1, 1) if last.month == 12 else dt.date(year, last.month + 1, 1)
    return "month", list(zip(starts, [*starts[1:], after], strict=True))


def timeline(finder):
    """The finder's matches per period, or None when there is nothing to compare (no
    match, or a single period)."""
    answer = finder.answer
    matching, snapshot = answer.matching, answer.snapshot
    if not matching:
        return None
    unit, periods = _periods(
        _local_day(snapshot, matching.min()), _local_day(snapshot, matching.max())
    )
    if len(periods) < 2:
        return None
    # Each period from its first day's midnight, as the date filters have it
    # (finder._local_midnight), the zone looked up once: 22 look-ups were two thirds of the
    # time a timeline took.
    zone = timezone.get_current_timezone()
    starts = [start for start, _end in periods] + [periods[-1][1]]
    edges = [snapshot.before(dt.datetime.combine(day, dt.time.min, zone)) for day in starts]
    counts = [matching.range_cardinality(low, high) for low, high in pairwise(edges)]
    narrowed = _narrower(finder)
    bars = []
    for (start, end), count in zip(periods, counts, strict=True):
        label = str(start.year) if unit == "year" else date_format(start, "F Y")
        query = narrowed(start, end - dt.timedelta(days=1)) if count else ""
        bars.append(Bar(start, label, count, query))
    first, last = periods[0][0].year, periods[-1][0].year
    caption = (
        gettext("Releases per year, %(first)s to %(last)s") % {"first": first, "last": last}
        if unit == "year"
        else gettext("Releases per month in %(year)s") % {"year": first}
    )
    return Timeline(unit, caption, bars, max(counts))


def _narrower(finder):
    """A function of a period's first and last day that gives the finder's query (filters
    and sort, no page) with the dates narrowed to that period, within the dates already
    chosen, so that a link gives exactly its bar's releases. The rest is encoded once."""
    chosen_from, chosen_to = finder.cleaned.get("date_from"), finder.cleaned.get("date_to")
    rest = QueryDict(finder.query_string(), mutable=True)
    rest.pop("date_from", None)
    rest.pop("date_to", None)
    prefix = f"{rest.urlencode()}&" if rest else ""

    def narrowed(first, last):
        first, last = max(first, chosen_from or first), min(last, chosen_to or last)
        return f"{prefix}date_from={first.isoformat()}&date_to={last.isoformat()}"

    return narrowed
