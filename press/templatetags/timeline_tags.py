"""The finder's timeline drawn: its bars as SVG, its table's rows, written in Python.

Like the facet options (``finder_tags``): a template loop over the bars was five times
the time the counts take (about 300 variable look-ups a page); here each bar is one
f-string with its texts escaped. Numbers are written with a dot whatever the language.
"""

from django import template
from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

# The drawing, in the viewBox's units: 400 wide, so that on a 390 px phone a unit is about
# a pixel and the 13-unit labels (site.css) stay readable.
WIDTH, HEIGHT = 400, 140
LEFT = RIGHT = 16  # room for the first and last axis label's overhang
TOP, BASELINE = 20, 112  # the tallest bar's top, and the bars' foot
TICK_Y = 130  # the axis labels' baseline
TICK_ROOM = 44  # what an axis label ("2015", "Mar") needs, so that labels never touch
WIDEST_BAR = 48  # a few periods give squat columns, not slabs
# Which periods the axis names, sparsest last: years divisible by the step, months from
# January on; the first step that leaves each label its room is taken.
STEPS = {"year": (1, 2, 5, 10, 20, 50), "month": (1, 2, 3, 6)}


def _tick(timeline, bar, step):
    """What the axis says under ``bar``: "" for most when there are many."""
    if timeline.unit == "year":
        return str(bar.start.year) if bar.start.year % step == 0 else ""
    return date_format(bar.start, "M") if (bar.start.month - 1) % step == 0 else ""


@register.simple_tag
def timeline_chart(timeline):
    """The bars, scaled to the tallest, each a link out of the tab order (the table's links
    are the keyboard's way), under an SVG hidden from assistive technology (the table is
    what it reads)."""
    bars = timeline.bars
    slot = (WIDTH - LEFT - RIGHT) / len(bars)
    width = min(slot * 0.8, WIDEST_BAR)
    steps = STEPS[timeline.unit]
    step = next((step for step in steps if slot * step >= TICK_ROOM), steps[-1])
    tall = BASELINE - TOP
    parts = [
        f'<svg class="timeline__chart" viewBox="0 0 {WIDTH} {HEIGHT}" aria-hidden="true" '
        'focusable="false">',
        f'<line class="timeline__axis" x1="{LEFT}" y1="{BASELINE}" x2="{WIDTH - RIGHT}" '
        f'y2="{BASELINE}"/>',
        f'<line class="timeline__grid" x1="{LEFT}" y1="{TOP}" x2="{WIDTH - RIGHT}" y2="{TOP}"/>',
        f'<text class="timeline__most" x="{LEFT}" y="{TOP - 6}">'
        f"{number_format(timeline.most, force_grouping=True)}</text>",
    ]
    for number, bar in enumerate(bars):
        left, middle = LEFT + number * slot, LEFT + (number + 0.5) * slot
        if bar.count:
            # One release among thousands still shows: at least a unit high.
            height = max(1, tall * bar.count / timeline.most)
            parts.append(
                f'<a class="timeline__link" href="?{escape(bar.query)}" tabindex="-1">'
                f"<title>{escape(bar.title)}</title>"
                f'<rect class="timeline__hit" x="{left:.2f}" y="{TOP}" width="{slot:.2f}" '
                f'height="{tall}"/>'
                f'<rect class="timeline__bar" x="{middle - width / 2:.2f}" '
                f'y="{BASELINE - height:.2f}" width="{width:.2f}" height="{height:.2f}"/></a>'
            )
        tick = _tick(timeline, bar, step)
        if tick:
            parts.append(
                f'<text class="timeline__tick" x="{middle:.2f}" y="{TICK_Y}" '
                f'text-anchor="middle">{escape(tick)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("\n".join(parts))


@register.simple_tag
def timeline_rows(timeline):
    """The table's rows: each period (a link, unless it is empty) and its count."""
    rows = []
    for bar in timeline.bars:
        label = escape(bar.label)
        period = f'<a href="?{escape(bar.query)}">{label}</a>' if bar.count else label
        rows.append(f'<tr><th scope="row">{period}</th><td>{bar.amount}</td></tr>')
    return mark_safe("\n".join(rows))
