"""Progress bars for people at a terminal; silence in CI, pipes and tests."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: Below this many items a step takes well under two seconds: no bar.
SHOW_FROM = 2_000


def interactive() -> bool:
    """Return True when stderr is a terminal and we are not in CI."""
    return sys.stderr.isatty() and not os.environ.get("CI")


@contextmanager
def bar(description: str) -> Iterator[Any]:
    """Yield a callback `(done, total)` that draws a rich progress bar when it is worth it."""
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if total < SHOW_FROM or not interactive():
            return
        if "progress" not in state:
            from rich.progress import Progress

            progress = Progress(transient=True)
            progress.start()
            state["progress"] = progress
            state["task"] = progress.add_task(description, total=total)
        state["progress"].update(state["task"], completed=done, total=total)

    try:
        yield update
    finally:
        if "progress" in state:
            state["progress"].stop()
