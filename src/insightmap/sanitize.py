"""Keep contributors' HTML from turning the site against its readers."""

from __future__ import annotations

import html

#: Tags a record body may use in raw HTML; everything else is dropped, scripts with content.
ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
}


def clean_html(text: str, allow_raw_html: bool = False) -> str:
    """Sanitise HTML (a rendered record body) with an allow-list, unless raw HTML is allowed."""
    if allow_raw_html:
        return text
    import nh3

    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )


def escape(text: object) -> str:
    """Escape a value for HTML text or a quoted attribute."""
    return html.escape(str(text), quote=True)


def escape_markdown(text: object) -> str:
    """Escape project text for Markdown: no HTML, links, emphasis or table breaks of its own."""
    import re

    return re.sub(r"([\\`*_\[\]|#])", r"\\\1", html.escape(str(text), quote=False))
