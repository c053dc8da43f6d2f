"""What a record body may ask of the Markdown renderer: a linear pre-check for bodies that would stall it.

Python-Markdown recurses once per nested list or quote level and some of its scans
are quadratic; `check` refuses such a body (error[body-too-complex]) before the
site build would hang on it. The bounds were calibrated against real renders.
"""

from __future__ import annotations

import re

#: Bounds on what a record body may ask of the Markdown renderer (Python-Markdown), measured
#: (see body_complexity): nesting recurses once per level, and some scans are quadratic.
MAX_BODY_DEPTH = 100
MAX_BODY_COST = 400_000
_CONTAINER = re.compile(r"(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))[ \t]*")
_FENCE = re.compile(r"^ {0,3}(?:```|~~~)")
_TAG = re.compile(r"<[A-Za-z/!?]")
#: Lines that make a block processor split the paragraph and search the rest again.
_SPLITS = re.compile(r"^ {0,3}(?:#|(?:[-*_][ \t]*){3,}$|=+[ \t]*$)")
#: The start of a line that could open lists, quotes or indents: each level needs a character of it.
_PREFIX = re.compile(r"^[ \t>*+\-\d.)]*", re.M)


def body_complexity(body: str) -> tuple[int, str] | None:
    """Return (line offset in the body, why) when rendering the body could stall or recurse too deep.

    Linear in the body. Python-Markdown recurses once per nested list or quote level
    (900 levels: RecursionError), and a paragraph costs about as many steps as the
    characters its link brackets and link targets scan over before they close (20 KB of
    `[` took 55 s), plus its length again for every heading or rule inside it; a `<` that
    may open a tag scans the rest of the body to the next `>`.
    The cost model counts those steps; MAX_BODY_COST is about half a second of rendering.
    """
    return None if _surely_simple(body) else exact_complexity(body)


def exact_complexity(body: str) -> tuple[int, str] | None:
    """Return what body_complexity returns, always by the exact cost model (no quick bound)."""
    lines = body.split("\n")
    in_fence = False
    block: list[str] = []
    start = total = 0
    kept: list[str] = []
    first_tag = -1
    worst: tuple[int, int, str] = (0, 0, "")
    for index, line in enumerate([*lines, ""]):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue  # fenced code is taken out before any parsing, verbatim
        kept.append(line)
        if first_tag < 0 and _TAG.search(line):
            first_tag = index
        depth = _depth(line)
        if depth > MAX_BODY_DEPTH:
            return index, f"lists or quotes nested {depth} deep (the limit is {MAX_BODY_DEPTH})"
        if line.strip():
            if not block:
                start = index
            block.append(line)
            continue
        if block:
            cost, kind = _block_cost(block)
            total += cost
            worst = max(worst, (cost, start, kind))
            block = []
    angles = _tag_cost(kept)
    if angles > total and angles > MAX_BODY_COST:
        return (
            first_tag,
            f"`<` that open no tag (the body costs {angles:,} steps; the limit is {MAX_BODY_COST:,})",
        )
    total += angles
    if total > MAX_BODY_COST:
        cost, at, kind = worst
        return at, f"{kind} (the paragraph from here costs {cost:,} steps; the limit is {MAX_BODY_COST:,})"
    return None


def _surely_simple(body: str) -> bool:
    """Return True when an upper bound of the cost and the depth is within the limits (most bodies).

    Every step the cost model counts scans at most the whole body, once per `[`, `](`, line
    or `<`; every nesting level takes at least one character of a line's prefix. Counting
    these in C is far cheaper than the exact model, which only runs when the bound is too high.
    """
    markers = body.count("[") + body.count("](") + body.count("\n") + 1 + body.count("<")
    if len(body) * markers > MAX_BODY_COST:
        return False
    return max((len(p) for p in _PREFIX.findall(body)), default=0) <= MAX_BODY_DEPTH


def _tag_cost(lines: list[str]) -> int:
    """Return the steps HTML scanning takes: each `<` that could open a tag, to the next `>`.

    Counted over the whole body, not per paragraph: the raw-HTML pass sees the body at
    once (50 paragraphs of `<b ` took 5 s where one took a millisecond).
    """
    text = "\n".join(lines)
    cost, next_close = 0, len(text)
    starts = {m.start() for m in _TAG.finditer(text)}
    for i in range(len(text) - 1, -1, -1):
        if text[i] == ">":
            next_close = i
        elif i in starts:
            cost += next_close - i
    return cost


def _depth(line: str) -> int:
    """Return how many lists, quotes and 4-space indents a line opens (each a level of recursion)."""
    level = pos = 0
    while True:
        spaces = 0
        while pos < len(line) and line[pos] in " \t":
            spaces += 4 if line[pos] == "\t" else 1
            pos += 1
        level += spaces // 4
        marker = _CONTAINER.match(line, pos)
        if marker is None:
            return level
        level += 1
        pos = marker.end()


def _block_cost(block: list[str]) -> tuple[int, str]:
    """Return the scan steps of one paragraph and what dominates them."""
    text = "\n".join(block)
    size = len(text)
    brackets = parens = 0
    opens: list[int] = []
    paren_opens: list[int] = []
    paren_end: dict[int, int] = {}
    escaped = False
    for i, char in enumerate(text):
        if escaped:
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif char == "[":
            opens.append(i)
        elif char == "]" and opens:
            brackets += i - opens.pop()
        elif char == "(":
            paren_opens.append(i)
        elif char == ")" and paren_opens:
            paren_end[paren_opens.pop()] = i
    brackets += sum(size - i for i in opens)
    for i in range(size - 1):
        if text[i] == "]" and text[i + 1] == "(":
            parens += paren_end.get(i + 1, size) - i
    splits = size * sum(1 for line in block if _SPLITS.match(line))
    costs = {
        "link brackets `[`/`]` that do not pair up": brackets,
        "link targets `](` whose `)` is far or missing": parens,
        "many headings or rules in one paragraph": splits,
    }
    kind = max(costs, key=lambda k: costs[k])
    return sum(costs.values()), kind
