"""A tracked claim's mentions per day by outlet, as an inline SVG bar chart.

Hand-written because the page must draw without network access or script: chart
libraries either load JavaScript from a CDN or pull in a plotting stack (matplotlib)
far heavier than forty lines of SVG. Every text is escaped; no script, no link.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from html import escape

# Colour-blind-safe palette (Okabe and Ito); outlets past the eighth share grey.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
OTHER = "#999999"
WIDTH, HEIGHT = 720, 180
LEFT, RIGHT, TOP, BOTTOM = 32, 16, 12, 36
BAR = 10


def parse_day(value: str | None) -> date | None:
    """Return the day of an ISO 8601 date or timestamp, None if it has none."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def outlet_colours(outlets: Iterable[str]) -> dict[str, str]:
    """Give each outlet a colour, in order of first appearance."""
    colours: dict[str, str] = {}
    for outlet in outlets:
        if outlet not in colours:
            index = len(colours)
            colours[outlet] = PALETTE[index] if index < len(PALETTE) else OTHER
    return colours


def timeline_svg(mentions: Iterable[tuple[str | None, str | None]]) -> str:
    """Draw the mentions per day, one stacked bar per day, one colour per outlet.

    Args:
        mentions: (seen_on, outlet) of each mention; mentions with no date are left
            out (the page lists them), an unknown outlet is "unknown outlet".

    Returns:
        An ``<svg>`` element, or "" when no mention has a date.
    """
    counts: Counter[tuple[date, str]] = Counter()
    order: list[str] = []
    for seen_on, outlet in mentions:
        day = parse_day(seen_on)
        if day is None:
            continue
        name = outlet or "unknown outlet"
        order.append(name)
        counts[(day, name)] += 1
    if not counts:
        return ""
    colours = outlet_colours(order)
    days = sorted({day for day, _ in counts})
    first, last = days[0], days[-1]
    span = max((last - first).days, 1)
    per_day = Counter[date]()
    for (day, _), count in counts.items():
        per_day[day] += count
    tallest = max(per_day.values())
    plot_width = WIDTH - LEFT - RIGHT - BAR
    plot_height = HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        if first == last:
            return LEFT + plot_width / 2
        return LEFT + plot_width * (day - first).days / span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="claimtrack-chart" '
        f'role="img" width="{WIDTH}" height="{HEIGHT + 20 * _legend_rows(colours)}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT + 20 * _legend_rows(colours)}">',
        f"<title>Mentions per day by outlet, {first} to {last}</title>",
        f'<line x1="{LEFT}" y1="{TOP + plot_height}" x2="{WIDTH - RIGHT}" '
        f'y2="{TOP + plot_height}" stroke="#333"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 10}" text-anchor="end" font-size="11">'
        f"{tallest}</text>",
        f'<text x="{LEFT - 6}" y="{TOP + plot_height}" text-anchor="end" '
        f'font-size="11">0</text>',
    ]
    for day in days:
        bottom = float(TOP + plot_height)
        for outlet, colour in colours.items():
            count = counts.get((day, outlet), 0)
            if not count:
                continue
            height = plot_height * count / tallest
            bottom -= height
            label = escape(f"{day}: {count} mention{'s' * (count > 1)} in {outlet}")
            parts.append(
                f'<rect class="claimtrack-bar" x="{x(day):.1f}" y="{bottom:.1f}" '
                f'width="{BAR}" height="{height:.1f}" fill="{colour}">'
                f"<title>{label}</title></rect>"
            )
    axis_y = TOP + plot_height + 16
    parts.append(f'<text x="{LEFT}" y="{axis_y}" font-size="11">{first}</text>')
    if last != first:
        parts.append(
            f'<text x="{WIDTH - RIGHT}" y="{axis_y}" text-anchor="end" '
            f'font-size="11">{last}</text>'
        )
    for index, (outlet, colour) in enumerate(colours.items()):
        row, column = divmod(index, 3)
        left, top = LEFT + column * 230, HEIGHT + row * 20
        parts.append(
            f'<rect x="{left}" y="{top - 10}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{left + 14}" y="{top}" font-size="12">'
            f"{escape(outlet[:32])}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _legend_rows(colours: dict[str, str]) -> int:
    return (len(colours) + 2) // 3
