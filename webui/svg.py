"""A small picture of a phrase's neighbourhood: phrase → concepts → EHR categories, in three layers.

Written by hand as SVG (no layout library): each layer is a column of boxes, edges are curves labelled
with their confidence, weak links (broad/related) dashed.

>>> svg = chain_svg("pins and needles", [{"id": "HP:0003401", "label": "Paresthesia", "score": 1.0,
...     "strong": True, "categories": [{"id": "ICD10CM:R20.2", "label": "Paresthesia of skin",
...     "confidence": 0.95, "strong": True}]}])
>>> svg.startswith("<svg") and "R20.2" in svg and "Paresthesia of skin" in svg
True
"""
from __future__ import annotations

from xml.sax.saxutils import escape

BOX_W = 210
BOX_H = 46
GAP_Y = 14
COL_X = (10, 300, 590)
WIDTH = 810
MAX_CONCEPTS = 4
MAX_CATEGORIES = 4


def _wrap(text: str, width: int = 30) -> list[str]:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        lines.append(line)
    if len(lines) > 2:
        lines = lines[:2]
        lines[1] = lines[1][: width - 1] + "…"
    return lines or [""]


def _box(x: float, y: float, title: str, subtitle: str, css: str, href: str | None = None) -> str:
    lines = _wrap(title)
    text = "".join(
        f'<tspan x="{x + 8}" dy="{0 if i == 0 else 14}">{escape(t)}</tspan>' for i, t in enumerate(lines)
    )
    body = (f'<rect class="{css}" x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6"/>'
            f'<text class="t" x="{x + 8}" y="{y + 16}">{text}</text>')
    if subtitle:
        body += f'<text class="s" x="{x + 8}" y="{y + BOX_H - 5}">{escape(subtitle)}</text>'
    if href:
        return f'<a href="{escape(href)}">{body}</a>'
    return body


def _edge(x1: float, y1: float, x2: float, y2: float, label: str, strong: bool) -> str:
    mid = (x1 + x2) / 2
    dash = "" if strong else ' stroke-dasharray="5 4"'
    return (f'<path class="e" d="M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}"{dash} marker-end="url(#arrow)"/>'
            f'<text class="l" x="{mid}" y="{(y1 + y2) / 2 - 4}" text-anchor="middle">{escape(label)}</text>')


def chain_svg(phrase: str, concepts: list[dict], base: str = "") -> str:
    """The SVG of a phrase's chain; ``concepts`` carry id, label, score (or confidence), strong and their
    categories (id, label, confidence, strong)."""
    concepts = concepts[:MAX_CONCEPTS]
    cat_rows: list[dict] = []
    cat_index: dict[str, int] = {}
    for c in concepts:
        for cat in c.get("categories", [])[:MAX_CATEGORIES]:
            if cat["id"] not in cat_index:
                cat_index[cat["id"]] = len(cat_rows)
                cat_rows.append(cat)
    n = max(1, len(concepts), len(cat_rows))
    height = n * (BOX_H + GAP_Y) + 30

    def ys(count: int) -> list[float]:
        total = count * BOX_H + (count - 1) * GAP_Y
        top = (height - total) / 2
        return [top + i * (BOX_H + GAP_Y) for i in range(count)]

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="chain-title" class="chain-svg">',
        f'<title id="chain-title">{escape(phrase)}: concepts and EHR categories</title>',
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
        "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker>"
        "<style>.p{fill:#fff3d6;stroke:#9a6b00}.c{fill:#e3efff;stroke:#1f5fa8}.k{fill:#e6f6ea;stroke:#2b7a3d}"
        ".r{fill:#f2f2f2;stroke:#666}"
        ".t{font:600 12px system-ui,sans-serif;fill:#111}.s{font:11px system-ui,sans-serif;fill:#333}"
        ".l{font:11px system-ui,sans-serif;fill:#333}.e{fill:none;stroke:#555;stroke-width:1.5}"
        ".h{font:700 12px system-ui,sans-serif;fill:#444}</style></defs>",
        '<text class="h" x="10" y="14">Patient phrase</text>',
        '<text class="h" x="300" y="14">Clinical concept</text>',
        '<text class="h" x="590" y="14">EHR category</text>',
    ]
    (py,) = ys(1)
    py = max(py, 22)
    parts.append(_box(COL_X[0], py, phrase, "", "p"))
    cys = [max(y, 22) for y in ys(len(concepts))] if concepts else []
    kys = [max(y, 22) for y in ys(len(cat_rows))] if cat_rows else []
    for c, y in zip(concepts, cys):
        score = c.get("score", c.get("confidence"))
        parts.append(_edge(COL_X[0] + BOX_W, py + BOX_H / 2, COL_X[1], y + BOX_H / 2,
                           f"{score:.2f}" if isinstance(score, (int, float)) else "", c.get("strong", True)))
        parts.append(_box(COL_X[1], y, c["label"], c["id"], "c", f"{base}/concept/{c['id']}"))
        drawn: set[str] = set()
        for cat in c.get("categories", [])[:MAX_CATEGORIES]:
            if cat["id"] in drawn:  # several links to one category: the strongest (first) is drawn
                continue
            drawn.add(cat["id"])
            ky = kys[cat_index[cat["id"]]]
            parts.append(_edge(COL_X[1] + BOX_W, y + BOX_H / 2, COL_X[2], ky + BOX_H / 2,
                               f"{cat.get('confidence', 0):.2f}", cat.get("strong", True)))
    for cat, y in zip(cat_rows, kys):
        css = "r" if cat["id"].startswith("ROS:") else "k"
        parts.append(_box(COL_X[2], y, cat["label"], cat["id"], css, f"{base}/category/{cat['id']}"))
    parts.append("</svg>")
    return "".join(parts)
