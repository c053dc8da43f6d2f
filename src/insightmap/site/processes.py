"""Run a build's programs (engine, Pagefind) in their own process group, stopped however we leave.

A child gets its own session (so Ctrl-C or SIGTERM to us stops its whole group) and, on
Linux, PR_SET_PDEATHSIG (so even `kill -9` of insightmap takes the engine with it).
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from insightmap.errors import InsightmapError

#: Silence MkDocs 2.0 and Material end-of-life banners in our builds.
ENGINE_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
PR_SET_PDEATHSIG = 1


def run_tool(name: str, command: list[str], cwd: Path) -> None:
    """Run a build step's program in its own process group; on failure raise with its output."""
    env = {**os.environ, **ENGINE_ENV}
    with engine_process(
        command,
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        out, err = process.communicate()
    if process.returncode != 0:
        output = ((err or "") + (out or "")).strip().splitlines()
        tail = "\n".join(output[-25:])
        raise InsightmapError(
            f"the {name} build failed (exit {process.returncode}); the site was left as it was:\n{tail}"
        )


def _die_with_parent() -> Callable[[], None] | None:
    """Return a pre-exec function that makes Linux kill the child when insightmap dies (kill -9 too)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return preexec


@contextmanager
def engine_process(command: list[str], **options: Any) -> Iterator[subprocess.Popen[Any]]:
    """Run the engine in its own process group, stopped (group and all) however we leave."""
    process = subprocess.Popen(command, start_new_session=True, preexec_fn=_die_with_parent(), **options)
    try:
        with stop_on_sigterm():
            yield process
    finally:
        stop_engine(process)


def stop_engine(process: subprocess.Popen[Any]) -> None:
    """Stop the engine's process group: politely, then for sure (stragglers of the group too)."""
    if process.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt, so the cleanup after Ctrl-C also runs on `kill`."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
