"""SVG charts, one module for the report page, the PDF and the draft overview alike.

Plain functions returning markup; every label is escaped. Readable in grey: the city is a
solid line with round markers, the peer median a dashed line with square markers, and bars
carry their values as text. Their stylesheet is `templates/reports/charts.css`, included by the
PDF and by the report page.
"""

import math
from html import escape

CITY_COLOUR = "#1f5fa8"
PEER_COLOUR = "#555555"
GRID_COLOUR = "#c8c8c8"
LEVEL_STEPS = (20, 40, 60, 80, 100)


def _point(cx: float, cy: float, radius: float, index: int, count: int, value: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    r = radius * max(0.0, min(value, 100.0)) / 100
    return cx + r * math.cos(angle), cy + r * math.sin(angle)


def radar_chart(
    axes: list[str],
    city: list[float | None],
    peers: list[float | None] | None = None,
    *,
    city_label: str = "",
    peer_label: str = "",
    font_family: str,
    size: int = 360,
) -> str:
    """A radar chart of 0–100 scores on `axes` (one value per axis; None is left out of the shape and marked "—"),
    its text set in `font_family` (a CSS font-family value)."""
    cx = cy = size / 2
    radius = size / 2 - 70
    count = len(axes)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size + 30}" width="{size}" '
        f'height="{size + 30}" role="img" aria-label="{escape(city_label)}" font-family="{escape(font_family)}">'
    ]
    for step in LEVEL_STEPS:
        ring = " ".join(f"{x:.1f},{y:.1f}" for x, y in (_point(cx, cy, radius, i, count, step) for i in range(count)))
        parts.append(f'<polygon points="{ring}" fill="none" stroke="{GRID_COLOUR}" stroke-width="0.8"/>')
        if step in (40, 80):  # two scale marks are enough; SVG text is the costliest part to render
            x, y = _point(cx, cy, radius, 0, count, step)
            parts.append(f'<text x="{x + 3:.1f}" y="{y + 10:.1f}" font-size="9" fill="#777">{step}</text>')
    for i, label in enumerate(axes):
        x, y = _point(cx, cy, radius, i, count, 100)
        parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID_COLOUR}" stroke-width="0.8"/>')
        lx, ly = _point(cx, cy, radius + 28, i, count, 100)
        value = city[i]
        shown = "—" if value is None else f"{value:.1f}"
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="12" text-anchor="middle" dominant-baseline="middle">'
            f'{escape(label)}<tspan x="{lx:.1f}" dy="14" font-size="11" fill="#1f5fa8">{shown}</tspan></text>'
        )
    if peers is not None:
        parts.append(_polygon(cx, cy, radius, peers, PEER_COLOUR, dashed=True, marker="square"))
    parts.append(_polygon(cx, cy, radius, city, CITY_COLOUR, dashed=False, marker="circle"))
    legend_y = size + 14
    parts.append(f'<line x1="20" y1="{legend_y}" x2="44" y2="{legend_y}" stroke="{CITY_COLOUR}" stroke-width="2.5"/>')
    parts.append(f'<text x="50" y="{legend_y + 4}" font-size="11">{escape(city_label)}</text>')
    if peers is not None:
        parts.append(
            f'<line x1="{size / 2}" y1="{legend_y}" x2="{size / 2 + 24}" y2="{legend_y}" stroke="{PEER_COLOUR}" '
            f'stroke-width="2" stroke-dasharray="5 3"/>'
        )
        parts.append(f'<text x="{size / 2 + 30}" y="{legend_y + 4}" font-size="11">{escape(peer_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _polygon(cx, cy, radius, values, colour, *, dashed: bool, marker: str) -> str:
    """The shape through the values; an axis without a value (None) is left out, not drawn at 0,
    which would read as a score of nothing."""
    points = [_point(cx, cy, radius, i, len(values), v) for i, v in enumerate(values) if v is not None]
    if not points:
        return ""
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    fill = "none" if dashed else f'{colour}" fill-opacity="0.15'
    shapes = [f'<polygon points="{path}" fill="{fill}" stroke="{colour}" stroke-width="2.2"{dash}/>']
    for x, y in points:
        if marker == "circle":
            shapes.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>')
        else:
            shapes.append(f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="{colour}"/>')
    return "".join(shapes)


BAR_SHADES = ("#b9cde6", "#8fb0d9", "#5e8cc4", "#2f68ad", "#1b4a85")  # L1 … L5, light to dark
BAR_ROW = 10  # SVG user units per row


def bar_chart(rows: list[tuple[str, float | None, int | None]]) -> str:
    """Horizontal bars of 0–100 scores, one row per (label, score, level).

    The bars (and dotted lines at the level bands 20, 40, 60, 80) are one SVG; the labels and the
    values ("62.5 · L4") are two columns of HTML text lines beside it. WeasyPrint lays SVG text out
    one letter at a time, which made the labels alone cost more than all bar shapes
    (docs/performance.md); HTML text is laid out a line at a time, can be copied from the PDF
    and is read by screen readers. charts.css gives every line the same fixed height, keeps
    labels on one line, and stretches the SVG (`preserveAspectRatio="none"`) to the height of
    the rows, so each bar sits on its label's line in the browser and in the PDF alike.
    """
    height = BAR_ROW * len(rows)
    drawing = [
        f'<svg class="bar-plot" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 {height}" '
        f'preserveAspectRatio="none" aria-hidden="true" focusable="false">'
    ]
    for step in LEVEL_STEPS[:-1]:
        drawing.append(
            f'<line x1="{step}" y1="0" x2="{step}" y2="{height}" stroke="{GRID_COLOUR}" stroke-width="0.4" '
            f'stroke-dasharray="1 1"/>'
        )
    values = []
    for i, (_label, score, level) in enumerate(rows):
        if score is None:
            values.append("—")
            continue
        shade = BAR_SHADES[(level or 1) - 1]
        drawing.append(
            f'<rect x="0" y="{i * BAR_ROW + 2}" width="{max(0.0, min(score, 100.0)):.1f}" height="{BAR_ROW - 4}" '
            f'fill="{shade}" stroke="#1b4a85" stroke-width="0.3"/>'
        )
        values.append(f"{score:.1f} · L{level}")
    drawing.append("</svg>")
    labels = "<br>".join(escape(label) for label, _score, _level in rows)
    return (
        f'<div class="bar-chart">{"".join(drawing)}<div class="bar-labels">{labels}</div>'
        f'<div class="bar-values">{"<br>".join(values)}</div></div>'
    )
