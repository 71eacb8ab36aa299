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
    return stacked_bar_chart([(label, (value,)) for label, value in rows], title, fmt, limit, colors=(color,))


def stacked_bar_chart(rows: Sequence[tuple[str, Sequence[float]]], title: str,
                      fmt: Callable[[float], str] = number, limit: float | None = None,
                      segments: Sequence[str] = (), colors: Sequence[str] = PALETTE) -> str:
    """Horizontal bars of one or more segments each, labelled with their total; `segments` names the
    segments in a legend above the bars, `limit` fixes the axis maximum (drawn as a dashed line)."""
    label_w = max((text_width(label) for label, _ in rows), default=0) + 12
    top = max([limit or 0, *(sum(parts) for _, parts in rows)]) or 1
    value_w = 80
    head = BAR_HEIGHT if segments else 0
    body = []
    x = label_w
    for name, color in zip(segments, colors, strict=False):
        body.append(f'<rect x="{x:.0f}" y="3" width="12" height="12" fill="{color}"/>'
                    f'<text x="{x + 16:.0f}" y="14">{escape(name)}</text>')
        x += 16 + text_width(name) + 16
    for i, (label, parts) in enumerate(rows):
        y = head + i * (BAR_HEIGHT + GAP)
        body.append(f'<text x="{label_w - 6:.0f}" y="{y + BAR_HEIGHT - 6}" text-anchor="end">{escape(label)}</text>')
        x = label_w
        for k, value in enumerate(parts):
            w = max(PLOT_WIDTH * value / top, 0)
            tip = f"{label} · {segments[k]}" if segments else label
            body.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT}" '
                        f'fill="{colors[k % len(colors)]}"><title>{escape(tip)}: {escape(fmt(value))}</title></rect>')
            x += w
        body.append(f'<text x="{x + 4:.1f}" y="{y + BAR_HEIGHT - 6}">{escape(fmt(sum(parts)))}</text>')
    height = head + len(rows) * (BAR_HEIGHT + GAP)
    if limit is not None:
        body.append(f'<line x1="{label_w + PLOT_WIDTH:.0f}" x2="{label_w + PLOT_WIDTH:.0f}" y1="{head}" '
                    f'y2="{height}" stroke="#999" stroke-dasharray="3 3"/>')
    return _svg(max(label_w + PLOT_WIDTH + value_w, x), height, body, title)


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

