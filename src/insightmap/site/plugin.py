"""The MkDocs plugin `insightmap`: plain `mkdocs build`/`serve` generate the same pages as `insightmap build`.

It calls the same generator as the build command and hands the pages to MkDocs
as generated files, so nothing is written into the user's docs folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from insightmap.site import notfound


class InsightmapConfig(Config):
    """Options of the plugin in mkdocs.yml."""

    public = config_options.Type(bool, default=False)
    project = config_options.Optional(config_options.Type(str))


class InsightmapPlugin(BasePlugin[InsightmapConfig]):
    """Generate the insight pages from the project beside mkdocs.yml."""

    def __init__(self) -> None:
        self.site: Any = None
        self.root: Path | None = None

    @event_priority(100)  # before other plugins read the nav and theme
    def on_config(self, config: Any) -> Any:
        """Load and check the records, generate the pages and merge the navigation into the config."""
        from insightmap import pipeline
        from insightmap.site.search import require_pagefind

        base = Path(config.config_file_path or ".").resolve().parent
        self.root = (base / self.config.project).resolve() if self.config.project else base
        checked = pipeline.check(self.root, public=self.config.public)
        if checked.errors:
            text = "\n".join(p.format() for p in checked.errors)
            raise PluginError(f"insightmap: the records have problems; run `insightmap check`:\n{text}")
        require_pagefind()
        site = pipeline.site_pages(checked, pipeline.analyse(checked))
        self.site = site
        if site.site_name:
            config.site_name = site.site_name
        if not config.nav:
            config.nav = site.nav
        # not_in_nav is a validated pattern set by now: add ours to its source lines.
        existing = getattr(config.not_in_nav, "patterns", None)
        lines = [str(getattr(p, "pattern", "")) for p in existing or ()]
        config.not_in_nav = config_options.PathSpec().run_validation(
            "\n".join(filter(None, [*lines, site.not_in_nav]))
        )
        config.use_directory_urls = True
        config.extra_css = [*site.extra_css, *[c for c in config.extra_css if c not in site.extra_css]]
        scripts = [str(j) for j in config.extra_javascript]
        config.extra_javascript = [
            *site.extra_javascript,
            *[j for j in scripts if j not in site.extra_javascript],
        ]
        if "generator" not in config.extra:
            config.extra["generator"] = False
        theme = config.theme
        theme["font"] = False
        if theme["language"] in (None, "", "sv", "en"):  # insightmap.yml's language decides
            theme["language"] = site.language
        return notfound.on_config(config)

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        """Give the 404 page its words (see notfound.py)."""
        return notfound.on_env(env, config, files)

    def on_files(self, files: Any, *, config: Any) -> Any:
        """Add the generated pages (they replace user files of the same name)."""
        from mkdocs.structure.files import File

        for path, content in self.site.files.items():
            existing = files.get_file_from_path(path)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, path, content=content))
        return files

    def on_post_build(self, *, config: Any) -> None:
        """Index the built site with Pagefind (the search box's index), as `insightmap build` does."""
        from insightmap.parallel import cores
        from insightmap.site.build import run_tool
        from insightmap.site.search import index_site

        index_site(Path(config.site_dir), self.site.language, run_tool, cores())
