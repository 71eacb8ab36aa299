"""Small charts drawn as inline SVG strings, for a page that must open offline (no scripts, no CDN).

Each function takes plain rows and returns one `<svg>` element; labels are escaped, sizes follow the
labels' length so Chinese place names are not cut.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from html import escape

FONT_SIZE = 13
BAR_HEIGHT = 20
GAP = 6
PLOT_WIDTH = 560
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")


def text_width(text: str, size: int = FONT_SIZE) -> float:
    """Estimated width in pixels: wide (CJK) characters take a full em, others about 0.6 em.

    >>> text_width("山西省", 10), text_width("abc", 10)
    (30.0, 18.0)
    """
    return float(sum(size if unicodedata.east_asian_width(c) in "WF" else 0.6 * size for c in text))


def number(value: float) -> str:
    """A value as a reader would write it: integers without decimals, large ones in 万.

    >>> number(62000), number(305.0), number(93.33), number(1761000000)
    ('6.2万', '305', '93.33', '17.61亿')
    """
    for scale, name in ((1e8, "亿"), (1e4, "万")):
        if abs(value) >= scale:
            return f"{value / scale:.4g}{name}"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.4g}"


def percent(share: float) -> str:
    """A share in 0..1 as a percentage.

    >>> percent(0.5), percent(1 / 3)
    ('50%', '33.3%')
    """
    return f"{100 * share:.3g}%"


def _svg(width: float, height: float, body: list[str], title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" font-size="{FONT_SIZE}"><title>{escape(title)}</title>'
            + "".join(body) + "</svg>")


def bar_chart(rows: Sequence[tuple[str, float]], title: str, fmt: Callable[[float], str] = number,
              limit: float | None = None, color: str = PALETTE[0]) -> str:
    """Horizontal bars, one per (label, value), in the given order; `limit` fixes the axis maximum."""
    label_w = max((text_width(label) for label, _ in rows), default=0) + 12
    top = max([limit or 0, *(v for _, v in rows)]) or 1
    value_w = 80
    body = []
    for i, (label, value) in enumerate(rows):
        y = i * (BAR_HEIGHT + GAP)
        w = max(PLOT_WIDTH * value / top, 0)
        body.append(
            f'<text x="{label_w - 6:.0f}" y="{y + BAR_HEIGHT - 6}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_w:.0f}" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT}" fill="{color}">'
            f'<title>{escape(label)}: {escape(fmt(value))}</title></rect>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + BAR_HEIGHT - 6}">{escape(fmt(value))}</text>')
    if limit is not None:
        body.append(f'<line x1="{label_w + PLOT_WIDTH:.0f}" x2="{label_w + PLOT_WIDTH:.0f}" y1="0" '
                    f'y2="{len(rows) * (BAR_HEIGHT + GAP)}" stroke="#999" stroke-dasharray="3 3"/>')
    return _svg(label_w + PLOT_WIDTH + value_w, len(rows) * (BAR_HEIGHT + GAP), body, title)


def heat_table(rows: Sequence[str], columns: Sequence[str], cells: dict[tuple[str, str], float],
               title: str) -> str:
    """A grid of rows × columns, each cell shaded by its count and labelled with it (blank = none)."""
    label_w = max((text_width(r) for r in rows), default=0) + 12
    cell_w = max(48, max((text_width(c) for c in columns), default=0) + 12)
    cell_h = BAR_HEIGHT + GAP
    top = max(cells.values(), default=0) or 1
    body = [f'<text x="{label_w + i * cell_w + cell_w / 2:.0f}" y="{cell_h - 8}" text-anchor="middle" '
            f'font-weight="bold">{escape(c)}</text>' for i, c in enumerate(columns)]
    for j, row in enumerate(rows):
        y = (j + 1) * cell_h
        body.append(f'<text x="{label_w - 6:.0f}" y="{y + cell_h - 9}" text-anchor="end">{escape(row)}</text>')
        for i, col in enumerate(columns):
            value = cells.get((row, col))
            if not value:
                continue
            shade = 0.15 + 0.85 * value / top
            ink = "#fff" if shade > 0.55 else "#000"
            x = label_w + i * cell_w
            body.append(
                f'<rect x="{x:.0f}" y="{y}" width="{cell_w - 2:.0f}" height="{cell_h - 2}" fill="{PALETTE[0]}" '
                f'fill-opacity="{shade:.2f}"><title>{escape(row)} {escape(col)}: {number(value)}</title></rect>'
                f'<text x="{x + cell_w / 2:.0f}" y="{y + cell_h - 9}" text-anchor="middle" fill="{ink}">'
                f'{number(value)}</text>')
    return _svg(label_w + len(columns) * cell_w, (len(rows) + 1) * cell_h, body, title)

