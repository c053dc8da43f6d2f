"""One way to make a Jinja2 environment for the package's templates (templates/<folder>/).

HTML templates autoescape; Markdown and text templates do not (the site's Markdown step
or the terminal is their reader). Undefined names are errors, so a missing word or field
fails a test instead of printing nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment


def environment(
    folder: str, *, html: bool = False, trim: bool = True, trailing_newline: bool = True
) -> Environment:
    """Return an environment for templates/<folder>/ (html: autoescape; trim: trim and lstrip blocks)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("insightmap", f"templates/{folder}"),
        autoescape=html,
        undefined=StrictUndefined,
        trim_blocks=trim,
        lstrip_blocks=trim,
        keep_trailing_newline=trailing_newline,
    )
