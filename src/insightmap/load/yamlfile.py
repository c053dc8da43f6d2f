"""Strict YAML and front-matter reading that keeps line numbers and refuses traps.

PyYAML's plain loaders silently keep the last of two duplicate keys, expand alias
bombs without limit and forget where a value stood. We compose the node tree with
the C parser (fast, linear even for aliases) and build the values ourselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from insightmap.errors import Problem, RecordSyntaxError

MAX_NODES = 20_000  # far above any real record; stops alias bombs ("billion laughs")
MAX_DEPTH = 16  # records are flat; deep nesting is an attack or a mistake
DEFAULT_MAX_BYTES = 1_000_000
_SCAN_ABOVE = 1_000  # nesting characters a front-matter may hold before its depth is scanned

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Mapping:
    """A YAML mapping with the absolute line of each key and of each list item."""

    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    item_lines: dict[str, list[int]] = field(default_factory=dict)
    start_line: int = 1


@dataclass(frozen=True)
class Document:
    """A Markdown record split into its front-matter mapping and body."""

    path: Path
    front: Mapping
    body: str
    body_line: int
    text: str


def read_text(path: Path, shown: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read a project file as UTF-8 (with or without BOM), normalising CRLF line endings."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _error(
                shown,
                1,
                "too-large",
                f"file is {size:,} bytes; the limit is {max_bytes:,} bytes",
                "split the material or link to it with `source:`",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise _error(shown, 1, "unreadable", f"cannot read the file: {exc.strerror}") from exc
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise _error(shown, line, "binary", "the file contains a NUL byte; is it a binary file?")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _error(
            shown,
            line,
            "encoding",
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            "save the file as UTF-8 (in most editors: Save as… → Encoding: UTF-8)",
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_document(path: Path, shown: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read a Markdown record: front-matter between `---` lines, then the body."""
    text = read_text(path, shown, max_bytes)
    if not text.strip():
        raise _error(shown, 1, "empty", "the file is empty", "start with a `---` front-matter block")
    lines = text.split("\n")
    first = lines[0].rstrip()
    if first == "+++":
        raise _error(
            shown,
            1,
            "front-matter",
            "TOML front-matter (+++) is not supported",
            "use YAML between `---` lines",
        )
    if first != "---":
        raise _error(
            shown,
            1,
            "no-front-matter",
            "the record has no front-matter",
            "start the file with a line `---`, the fields, then another `---`",
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            break
    else:
        raise _error(
            shown,
            1,
            "front-matter",
            "the front-matter is never closed",
            "end the fields with a line `---`",
        )
    fragment = "\n".join(lines[1:index])
    front = parse_mapping(fragment, shown, first_line=2)
    body = "\n".join(lines[index + 1 :])
    return Document(path=path, front=front, body=body, body_line=index + 2, text=text)


def read_mapping_file(path: Path, shown: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Mapping:
    """Read a YAML file whose top level must be a mapping (an empty file is an empty one)."""
    return parse_mapping(read_text(path, shown, max_bytes), shown, first_line=1)


def parse_mapping(text: str, shown: str, first_line: int = 1) -> Mapping:
    """Parse YAML text whose top level must be a mapping; lines are absolute in the file."""
    try:
        _check_depth(text, shown, first_line)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if _is_depth_limit(exc):  # the parser's own limit (libyaml ≥ 0.2.6, PyYAML 6.0.4)
            line = first_line + (mark.line if mark else 0)
            raise _too_deep(shown, line) from exc
        if exc.context_mark and "did not find expected" in (exc.problem or ""):
            mark = exc.context_mark  # an unclosed bracket: point to where it was opened
        # A problem found at the end of the text (an unclosed `[`) belongs to its last line.
        last = text.rstrip().count("\n")
        line = first_line + (min(mark.line, last) if mark else 0)
        message = exc.problem or "invalid YAML"
        bad_line = text.split("\n")[mark.line] if mark and mark.line < text.count("\n") + 1 else ""
        hint = (
            "YAML does not allow tabs for indentation: use spaces"
            if "\t" in bad_line
            else "check indentation, colons and quotes on this line"
        )
        raise _error(shown, line, "yaml", f"invalid YAML: {message}", hint) from exc
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        if _Loader is not yaml.SafeLoader:  # libyaml counts the position in UTF-8 bytes
            before = text.encode("utf-8")[: exc.position].decode("utf-8", "ignore")
        line = first_line + before.count("\n")
        raise _error(
            shown,
            line,
            "yaml",
            f"invalid YAML: {exc.reason} (character #x{exc.character:04x})",
            "remove the invisible control character (often pasted from Word or a PDF)",
        ) from exc
    except RecursionError as exc:
        raise _too_deep(shown, first_line) from exc
    except yaml.YAMLError as exc:
        if _is_depth_limit(exc):
            raise _too_deep(shown, first_line) from exc
        raise _error(shown, first_line, "yaml", f"invalid YAML: {exc}") from exc
    if node is None:
        return Mapping(start_line=first_line)
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        raise _error(
            shown,
            first_line + node.start_mark.line,
            "front-matter",
            f"expected `key: value` fields, found {kind}",
        )
    builder = _Builder(shown, first_line)
    return builder.mapping(node)


def _check_depth(text: str, shown: str, first_line: int) -> None:
    """Refuse nesting deeper than MAX_DEPTH before composing it.

    The C composer recurses once per level and crashes the interpreter (a segfault,
    not an exception) somewhere past 20,000 levels, which 100 KB of `[` reach. Every
    level needs one of `[{-:?`, so only text with many of them is scanned, by events.
    """
    if sum(text.count(char) for char in "[{-:?") <= _SCAN_ABOVE:
        return
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH + 1:  # + 1: the top-level mapping is not a nesting level
                at = event.start_mark.line if event.start_mark else 0
                raise _too_deep(shown, first_line + at)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _is_depth_limit(exc: BaseException) -> bool:
    """Whether the parser itself stopped at its nesting limit (wording differs by version)."""
    text = str(getattr(exc, "problem", "") or exc).lower()
    return "nesting depth" in text or "too deep" in text or "recursion" in text


def _too_deep(shown: str, line: int) -> RecordSyntaxError:
    return _error(shown, line, "yaml-too-deep", f"the YAML is nested more than {MAX_DEPTH} levels deep")


@cache
def _scalars() -> yaml.SafeLoader:
    """Return a constructor for the scalars that are not plain text (dates, numbers, booleans).

    One per process, made on first use: most front-matter holds text only. A scalar
    node refers to nothing else, so constructing one leaves nothing behind to reuse.
    """
    return yaml.SafeLoader("")


def _construct_scalar(node: yaml.Node) -> Any:
    """Return a scalar node's value as YAML's safe constructor makes it."""
    scalars = _scalars()
    try:
        return scalars.construct_object(node)
    finally:
        scalars.constructed_objects.clear()  # keep no node of this document alive


class _Builder:
    """Build Python values from a composed node tree under node and depth budgets."""

    def __init__(self, shown: str, first_line: int) -> None:
        self.shown = shown
        self.first_line = first_line
        self.nodes = 0

    def line(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line

    def mapping(self, node: yaml.MappingNode) -> Mapping:
        result = Mapping(start_line=self.line(node))
        for key_node, value_node in self._pairs(node):
            key = self._key(key_node)
            if key in result.values:
                raise _error(
                    self.shown,
                    self.line(key_node),
                    "duplicate-key",
                    f"the key `{key}` appears twice",
                    f"first at line {result.lines[key]}; keep one of them",
                )
            result.values[key] = self.value(value_node, 1)
            result.lines[key] = self.line(key_node)
            if isinstance(value_node, yaml.SequenceNode):
                result.item_lines[key] = [self.line(item) for item in value_node.value]
        return result

    def _pairs(self, node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
        pairs = []
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _error(
                    self.shown,
                    self.line(key_node),
                    "yaml",
                    "YAML merge keys (<<) are not supported in records",
                )
            pairs.append((key_node, value_node))
        return pairs

    def _key(self, node: yaml.Node) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
            shown = node.value if isinstance(node, yaml.ScalarNode) else "…"
            raise _error(
                self.shown,
                self.line(node),
                "key-type",
                f"the key `{shown}` is not a plain name",
                "YAML reads yes/no/on/off and numbers as values: quote the key",
            )
        return str(node.value)

    def value(self, node: yaml.Node, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _error(
                self.shown,
                self.line(node),
                "yaml-too-large",
                f"the YAML expands to more than {MAX_NODES:,} values (an alias bomb?)",
            )
        if depth > MAX_DEPTH:
            raise _too_deep(self.shown, self.line(node))
        if isinstance(node, yaml.ScalarNode):
            if node.tag == "tag:yaml.org,2002:str":
                return node.value  # the common case, without the constructor's overhead
            try:
                return _construct_scalar(node)
            except (ValueError, yaml.YAMLError):
                # An impossible timestamp such as 2024-13-45: keep the text, the date
                # check reports it with a better message than the YAML library.
                return str(node.value)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, depth + 1) for item in node.value]
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in self._pairs(node):
                key = self.value(key_node, depth + 1)
                if not isinstance(key, str | int | float | bool) and key is not None:
                    raise _error(self.shown, self.line(key_node), "key-type", "a key must be a name")
                if key in result:
                    raise _error(
                        self.shown,
                        self.line(key_node),
                        "duplicate-key",
                        f"the key `{key}` appears twice",
                    )
                result[key] = self.value(value_node, depth + 1)
            return result
        raise _error(self.shown, self.line(node), "yaml", "unsupported YAML node")


def _error(path: str, line: int, code: str, message: str, hint: str = "") -> RecordSyntaxError:
    return RecordSyntaxError(Problem(path, line, code, message, hint))
