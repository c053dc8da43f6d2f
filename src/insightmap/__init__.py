"""insightmap: insight maps, clusters and white-spot reports from Markdown insight records."""

from __future__ import annotations

__version__ = "0.1.0"
