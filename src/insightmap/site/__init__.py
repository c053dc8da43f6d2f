"""The insight site: an engine-neutral page generator, the build (MkDocs or Zensical) and a MkDocs plugin."""

from __future__ import annotations

from insightmap.site.generate import Site, generate_site

__all__ = ["Site", "generate_site"]
