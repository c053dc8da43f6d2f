"""Pre-render generated pages to HTML once, cached by content hash, for the MkDocs engine.

Generated pages are mostly HTML, which Python-Markdown parses slowly (measured: a
build of 1,459 generated pages spent 8 of 15 s converting Markdown, against 6 s
for the whole build with the pages' bodies left out). We convert each page once,
keep the HTML and its table of contents in build/cache/html/ under the hash of its
text, and hand MkDocs a one-line placeholder that `hooks.py` swaps back. A rebuild
then converts only the pages whose text changed. Zensical ignores MkDocs hooks, so
its builds keep the full Markdown.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

#: The line MkDocs sees instead of a pre-rendered page's body.
PLACEHOLDER = "<!-- insightmap:html {key} -->"
PLACEHOLDER_RE = re.compile(r"<!-- insightmap:html ([0-9a-f]{32}) -->")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


class Prerenderer:
    """Convert page bodies with the site's Markdown extensions, through a content-hash cache."""

    def __init__(self, cache: Path, extensions: Any) -> None:
        self.cache = cache
        self.names, self.configs = _extensions(extensions)
        self.salt = json.dumps([self.names, self.configs], sort_keys=True, default=str)
        self.converted = 0
        self.used: set[str] = set()
        self._markdown: Any = None

    def page(self, text: str) -> str:
        """Return the page with its body replaced by a placeholder (converting it when new)."""
        return str(self.pages({"page.md": text})["page.md"])

    def pages(self, files: dict[str, str | bytes], workers: int = 1) -> dict[str, str | bytes]:
        """Return the files with each Markdown page's body replaced by a placeholder.

        Bodies not in the cache are converted by `workers` processes (a first build at 1,000
        insights converted 1,460 pages in 11 s on one core, measured with pyinstrument).
        """
        from functools import partial

        from insightmap.parallel import in_parallel

        out: dict[str, str | bytes] = {}
        missing: dict[str, str] = {}
        for name, text in files.items():
            if not (name.endswith(".md") and isinstance(text, str)):
                out[name] = text
                continue
            match = FRONT_MATTER.match(text)
            front, body = (text[: match.end()], text[match.end() :]) if match else ("", text)
            key = hashlib.sha256((self.salt + body).encode("utf-8")).hexdigest()[:32]
            self.used.add(key)
            if key not in missing and not (self.cache / f"{key}.json").is_file():
                missing[key] = body
            out[name] = f"{front}\n{PLACEHOLDER.format(key=key)}\n"
        # Each worker writes the pages it converts into the cache: at 10,000 insights, sending
        # the HTML back for the main process to write made two workers only 1.5x faster than one.
        in_parallel([partial(self._store, key, body) for key, body in missing.items()], workers)
        self.converted += len(missing)
        return out

    def prune(self) -> None:
        """Remove cached pages no longer used."""
        for path in self.cache.glob("*.json"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)

    def _store(self, key: str, body: str) -> None:
        """Convert a body and write it into the cache under its key."""
        from insightmap.write import write_atomic

        html, toc = self._convert(body)
        write_atomic(self.cache / f"{key}.json", json.dumps({"html": html, "toc": toc}, ensure_ascii=False))

    def _convert(self, body: str) -> tuple[str, list[Any]]:
        import markdown

        from insightmap.site.rawblocks import RawBlocksExtension

        if self._markdown is None:
            # RawBlocks sets the pages' HTML blocks aside first: the same HTML in half the time.
            extensions = [*self.names, RawBlocksExtension()]
            self._markdown = markdown.Markdown(extensions=extensions, extension_configs=self.configs)
        md = self._markdown
        md.reset()
        html = md.convert(body)
        return html, list(getattr(md, "toc_tokens", []))


def usable(extensions: Any) -> bool:
    """Return True when every Markdown extension of the site can be loaded here by name."""
    import markdown

    try:
        names, configs = _extensions(extensions)
        markdown.Markdown(extensions=names, extension_configs=configs)
    except Exception:  # noqa: BLE001 - any extension we cannot load means: let MkDocs convert
        return False
    return True


def load(cache: Path, key: str) -> dict[str, Any] | None:
    """Return a cached page ({"html", "toc"}) or None."""
    path = cache / f"{key}.json"
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _extensions(entries: Any) -> tuple[list[str], dict[str, Any]]:
    """Split mkdocs.yml's markdown_extensions into names and their settings."""
    names: list[str] = []
    configs: dict[str, Any] = {}
    for entry in entries or []:
        if isinstance(entry, str):
            names.append(entry)
        elif isinstance(entry, dict):
            for name, settings in entry.items():
                names.append(str(name))
                if settings:
                    configs[str(name)] = settings
    # MkDocs always adds these; pages must come out the same either way.
    for name in ("toc", "tables", "fenced_code"):
        if name not in names:
            names.append(name)
    return names, configs
