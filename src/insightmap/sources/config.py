"""The `sources:` setting of insightmap.yml: each source's name, where it lives, which records come in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from insightmap.errors import Problem
from insightmap.load.ids import slug_error

SOURCE_KEYS = ("git", "ref", "browse", "path", "records")
RECORDS = ("public", "all")
HINT = 'sources: {karlskrona: {git: "https://git.example.se/insikter.git", ref: main}, umea: {path: ../umea}}'
#: `git@host:path`, the ssh form without a scheme; the host may not start with `-` (an ssh option).
_SCP_LIKE = re.compile(r"^[A-Za-z0-9._-]+@[A-Za-z0-9][A-Za-z0-9.-]*:[^\s]+$")
_SCHEMES = ("https", "ssh", "file")
_PLACEHOLDERS = re.compile(r"\{([^{}]*)\}")
#: What `git check-ref-format` refuses anywhere in a ref name.
_REF_FORBIDDEN = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]|\.\.|@\{|//")


@dataclass(frozen=True)
class Source:
    """One source: a git repository at a ref, or a folder; `records: all` takes internal records too."""

    name: str
    git: str | None = None
    ref: str = "HEAD"
    path: str | None = None
    browse: str | None = None
    all_records: bool = False

    @property
    def where(self) -> str:
        """Return where the source lives, for people: the URL and ref, or the folder."""
        return f"{self.git} ({self.ref})" if self.git else f"{self.path}"


def read_sources(raw: Any, line: int, path: str) -> tuple[dict[str, Source], list[Problem]]:
    """Read and check the `sources:` mapping; every problem is located at the setting in path."""
    problems: list[Problem] = []

    def bad(message: str, hint: str = HINT) -> None:
        problems.append(Problem(path, line, "source", message, hint))

    if raw is None:
        return {}, problems
    if not isinstance(raw, dict):
        bad("`sources` must be a mapping of names to sources")
        return {}, problems
    found: dict[str, Source] = {}
    for name, spec in raw.items():
        before = len(problems)
        reason = slug_error(str(name), segments=False)
        if not isinstance(name, str) or reason:
            bad(
                f"the source name `{name}` {reason or 'must be text'}",
                "a source's name is a slug: umea, karlskrona",
            )
            continue
        if not isinstance(spec, dict):
            bad(f"source `{name}` must be a mapping like {{git: URL, ref: main}} or {{path: ../folder}}")
            continue
        for key in spec:
            if key not in SOURCE_KEYS:
                bad(
                    f"source `{name}` has the unknown field `{key}`",
                    "known fields: " + ", ".join(SOURCE_KEYS),
                )
        if ("git" in spec) == ("path" in spec):
            both = "both" if "git" in spec else "neither"
            bad(f"source `{name}` needs either `git: URL` or `path: folder`, not {both}")
            continue
        for key in ("git", "ref", "path", "browse", "records"):
            if key in spec and not isinstance(spec[key], str):
                bad(f"source `{name}`: `{key}` must be text")
        if len(problems) > before:
            continue
        for message in _errors(name, spec):
            bad(message)
        if len(problems) == before:
            found[name] = Source(
                name,
                git=spec.get("git"),
                ref=spec.get("ref", "HEAD"),
                path=spec.get("path"),
                browse=spec.get("browse"),
                all_records=spec.get("records") == "all",
            )
    return found, problems


def _errors(name: str, spec: dict[str, str]) -> list[str]:
    """Return what is wrong with a source's URL, ref, folder, browse pattern and records choice."""
    errors = []
    if "git" in spec and (reason := git_url_error(spec["git"])):
        errors.append(f"source `{name}`: the git URL {reason}")
    if "path" in spec:
        if "ref" in spec or "browse" in spec:
            errors.append(f"source `{name}` is a folder; `ref` and `browse` belong to git sources")
        if not spec["path"].strip() or "://" in spec["path"]:
            errors.append(f"source `{name}`: `path` is a folder (e.g. ../umea-insikter), not a URL")
    if "ref" in spec and (reason := ref_error(spec["ref"])):
        errors.append(f"source `{name}`: the ref `{spec['ref']}` {reason}")
    if "browse" in spec and (reason := browse_error(spec["browse"])):
        errors.append(f"source `{name}`: the browse pattern {reason}")
    if spec.get("records", "public") not in RECORDS:
        errors.append(f"source `{name}`: records must be `public` (the default) or `all`")
    return errors


def git_url_error(url: str) -> str | None:
    """Return why url is no git URL insightmap fetches (https://, ssh://, git@host:path, file://)."""
    if not url or url != url.strip() or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return "holds spaces or control characters"
    if url.startswith("-"):
        return "starts with `-` (git would read it as an option)"
    if _SCP_LIKE.match(url) and "://" not in url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in _SCHEMES:
        return "must start with https://, ssh://, file:// or be git@host:path"
    if parts.scheme != "file" and (not parts.hostname or parts.hostname.startswith("-")):
        return "names no host"
    return None


def ref_error(ref: str) -> str | None:
    """Return why ref is not a safe branch or tag name (the rules of `git check-ref-format`), or None."""
    if not ref:
        return "is empty"
    if ref[0] in "-+":
        return f"starts with `{ref[0]}`"
    if _REF_FORBIDDEN.search(ref):
        return "holds a character or sequence git refuses in a ref name (space, ~ ^ : ? * [ \\, .., @{, //)"
    if ref == "@" or ref.endswith((".", "/")) or ref.startswith("/"):
        return "is not a ref name"
    if any(part.startswith(".") or part.endswith(".lock") for part in ref.split("/")):
        return "has a part that starts with `.` or ends with `.lock`"
    return None


def browse_error(pattern: str) -> str | None:
    """Return why a browse pattern is unusable: an https:// address with {commit} and {path} only."""
    if git_url_error(pattern) == "holds spaces or control characters":
        return "holds spaces or control characters"
    if any(c in pattern for c in "\"'<>`\\"):
        return "holds a quote, `<`, `>` or a backslash"
    if urlsplit(pattern).scheme != "https":
        return "must be an https:// address, e.g. https://git.example.se/insikter/-/blob/{commit}/{path}"
    unknown = sorted(set(_PLACEHOLDERS.findall(pattern)) - {"commit", "path"})
    if unknown:
        return f"has the unknown placeholder {{{unknown[0]}}}; known: {{commit}}, {{path}}"
    return None
