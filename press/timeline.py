"""The finder's timeline: how many of the matching releases each year holds (each month,
when they all fall in one year), drawn as bars that narrow the dates.

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

from .engine import EPOCH, MICROSECOND
from .finder import _local_midnight

# The chart's drawing, in its viewBox's units: 400 wide, so that on a 390 px phone a
# unit is about a pixel and the 13-unit labels stay readable.
WIDTH, HEIGHT = 400, 140
LEFT = RIGHT = 16  # room for the first and last axis label's overhang
TOP, BASELINE = 20, 112  # the tallest bar's top, and the bars' foot
TICK_Y = 130  # the axis labels' baseline
TICK_ROOM = 44  # what an axis label ("2015", "Mar") needs, so that labels never touch
WIDEST_BAR = 48  # a few periods give squat columns, not slabs
# Which periods the axis names, sparsest last: years divisible by the step, months from
# January on; the first step that leaves each label its room is taken.
STEPS = {"year": (1, 2, 5, 10, 20, 50), "month": (1, 2, 3, 6)}


@dataclass
class Bar:
    label: str  # "2015", "March 2024": the table's row and the bar's tooltip
    tick: str  # what the axis says under the bar; "" where it says nothing
    count: int
    amount: str  # the count as the page writes it ("1,234")
    query: str  # the finder's query narrowed to the period; "" for an empty period
    x: float = 0  # the column the bar stands in (its link's target), then the bar itself
    slot: float = 0
    bar_x: float = 0
    bar_width: float = 0
    y: float = 0
    height: float = 0
    middle: float = 0

    @property
    def title(self):
        return f"{self.label}: {self.amount} release{'' if self.count == 1 else 's'}"


@dataclass
class Timeline:
    unit: str  # "year" or "month"
    caption: str
    bars: list
    most: str  # the tallest bar's count, written as the page writes it
    width: int = WIDTH
    height: int = HEIGHT
    top: int = TOP
    baseline: int = BASELINE
    tick_y: int = TICK_Y
    left: int = LEFT
    right: int = WIDTH - RIGHT
    tall: int = BASELINE - TOP  # a bar's column, which its link covers whatever its count
    most_y: int = TOP - 6  # the tallest count's baseline, just above its line


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


def _tick_step(unit, periods):
    slot = (WIDTH - LEFT - RIGHT) / periods
    steps = STEPS[unit]
    return next((step for step in steps if slot * step >= TICK_ROOM), steps[-1])


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
    starts = [start for start, _end in periods] + [periods[-1][1]]
    edges = [snapshot.before(_local_midnight(day)) for day in starts]
    counts = [matching.range_cardinality(low, high) for low, high in pairwise(edges)]
    step = _tick_step(unit, len(periods))
    bars = []
    for (start, end), count in zip(periods, counts, strict=True):
        if unit == "year":
            label, tick = str(start.year), str(start.year) if start.year % step == 0 else ""
        else:
            label = date_format(start, "F Y")
            tick = date_format(start, "M") if (start.month - 1) % step == 0 else ""
        amount = number_format(count, force_grouping=True)
        query = _narrowed(finder, start, end - dt.timedelta(days=1)) if count else ""
        bars.append(Bar(label, tick, count, amount, query))
    most = max(counts)
    _draw(bars, most)
    caption = (
        f"Releases per year, {periods[0][0].year} to {periods[-1][0].year}"
        if unit == "year"
        else f"Releases per month in {periods[0][0].year}"
    )
    return Timeline(unit, caption, bars, number_format(most, force_grouping=True))


def _narrowed(finder, first, last):
    """The finder's query (filters and sort, no page) with the dates narrowed to
    ``first``..``last``: within the dates already chosen, so that the link gives exactly
    the bar's releases."""
    chosen_from, chosen_to = finder.cleaned.get("date_from"), finder.cleaned.get("date_to")
    query = QueryDict(finder.query_string(), mutable=True)
    query["date_from"] = max(first, chosen_from or first).isoformat()
    query["date_to"] = min(last, chosen_to or last).isoformat()
    return query.urlencode()


def _draw(bars, most):
    """Each bar's place in the viewBox, its height scaled to the tallest."""
    slot = (WIDTH - LEFT - RIGHT) / len(bars)
    width = min(slot * 0.8, WIDEST_BAR)
    for number, bar in enumerate(bars):
        bar.x = round(LEFT + number * slot, 2)
        bar.slot = round(slot, 2)
        bar.middle = round(LEFT + (number + 0.5) * slot, 2)
        bar.bar_width = round(width, 2)
        bar.bar_x = round(bar.middle - width / 2, 2)
        # A bar of one release among thousands still shows: at least a unit high.
        height = max(1, (BASELINE - TOP) * bar.count / most) if bar.count else 0
        bar.height = round(height, 2)
        bar.y = round(BASELINE - height, 2)
