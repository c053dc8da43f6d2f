"""SVG post-processing for charts that are inlined in HTML pages.

Several charts may share a page, so every id gets a per-chart prefix; links open
in the same tab; screen readers and tooltips get `<title>`s.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape


def finish_svg(svg: str, prefix: str, alt: str, titles: dict[str, str]) -> str:
    """Prefix every id, open links in the same tab, title the groups in titles (id → text) and the image."""
    svg = svg.replace(' target="_blank"', "")
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m.group(1)})", svg)
    svg = re.sub(r'((?:xlink:)?href)="#([^"]+)"', lambda m: f'{m.group(1)}="#{prefix}{m.group(2)}"', svg)
    for gid, title in titles.items():
        group = f'<g id="{prefix}{gid}">'
        svg = svg.replace(group, f"{group}\n    <title>{escape(title)}</title>", 1)
    return re.sub(
        r"(<svg [^>]*)>",
        lambda m: (
            f'{m.group(1)} role="img" aria-labelledby="{prefix}title">'
            f'\n <title id="{prefix}title">{escape(alt)}</title>'
        ),
        svg,
        count=1,
    )


def svg_for_inline(svg: str) -> str:
    """Return the SVG without its XML declaration and DOCTYPE, ready to inline in HTML."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg
