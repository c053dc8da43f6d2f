"""The site's 404 page in its language ("Sidan finns inte"), instead of the theme's "404 - Not found".

Used as MkDocs hooks by `insightmap build` (named in the derived config) and called by the plugin
for plain `properdocs build`. Our template folder goes after the user's own `custom_dir`, so a
404.html of theirs still wins.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from insightmap import glossary

#: The folder holding our 404.html (a theme override; it extends the theme's main.html).
TEMPLATES = str(Path(__file__).parent / "assets" / "theme")


def on_config(config: Any) -> Any:
    """Put our template folder into the theme's search path, after the user's custom_dir."""
    dirs = config.theme.dirs
    if TEMPLATES not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, TEMPLATES)
    return config


def on_env(env: Any, config: Any, files: Any) -> Any:
    """Give the 404 template its words, in the theme's language (insightmap.yml's)."""
    words = glossary.words(str(config.theme["language"] or "sv"))
    env.globals["insightmap_not_found"] = {
        "title": words["Page_not_found"],
        "text": words["page_not_found_text"],
        "link": words["To_the_start_page"],
    }
    return env
