"""Serve the site while records change: regenerate build/serve/docs/ and let `properdocs serve` reload."""

from __future__ import annotations

import errno
import os
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from insightmap.errors import InsightmapError

if TYPE_CHECKING:
    from insightmap.site.generate import Site

#: Seconds between looks at the project's files.
POLL = 1.0


def snapshot(root: Path) -> dict[str, float]:
    """Return the modification times of the files the site is made from."""
    found: dict[str, float] = {}
    from insightmap.site.config import CONFIG_NAMES

    for name in ("insightmap.yml", *CONFIG_NAMES):
        if (root / name).is_file():
            found[name] = (root / name).stat().st_mtime
    for folder in ("insights", "maps"):
        for path in sorted((root / folder).rglob("*")) if (root / folder).is_dir() else ():
            if path.is_file():
                found[path.relative_to(root).as_posix()] = path.stat().st_mtime
    return found


def regenerate(root: Path, public: bool) -> tuple[Site | None, list[str]]:
    """Check the project again and make its pages; return them (None on problems) and the problems' lines."""
    from insightmap import pipeline

    checked = pipeline.check(root, public=public)
    if checked.problems:
        return None, [p.format() for p in checked.problems]
    return pipeline.site_pages(checked, pipeline.analyse(checked)), []


class PortInUse(InsightmapError):
    """The port is taken by another program."""

    def __init__(self, port: int) -> None:
        super().__init__(f"port {port} is in use; try --port {_free_port_near(port)}")


def port_free(port: int) -> bool:
    """Return True if a server could listen on 127.0.0.1:port now (as the engine binds it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # The engine's server reuses addresses too; without this a port in TIME_WAIT looks busy.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port_near(port: int) -> int:
    for candidate in range(port + 1, min(port + 50, 65536)):
        if port_free(candidate):
            return candidate
    return port + 1


def _answers(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def serve_command(config_path: Path, port: int) -> list[str]:
    """Return the command line of the engine's development server."""
    return [
        sys.executable,
        "-m",
        "properdocs",
        "serve",
        "-q",
        "-f",
        str(config_path),
        "-a",
        f"127.0.0.1:{port}",
        "--livereload",
    ]


def serve(
    project: Any, site: Site, port: int = 8000, public: bool = False, echo: Callable[[str], None] = print
) -> None:
    """Generate the pages, start `properdocs serve` on 127.0.0.1 and regenerate on changes until interrupted.

    The pages live in build/serve/ (so a `build` may run meanwhile); one serve per project. A busy
    port is an error before anything starts; SIGINT and SIGTERM stop the engine and return.
    """
    from insightmap.site.build import ENGINE_ENV, engine_process, prepare
    from insightmap.write import folder_lock

    if not port_free(port):
        raise PortInUse(port)
    root = Path(project.root)
    work = root / "build" / "serve"
    with folder_lock(work / ".lock", "serve"):
        config_path, _ = prepare(project, site, work, work / "site")
        with engine_process(
            serve_command(config_path, port),
            env={**os.environ, **ENGINE_ENV},
            cwd=work,
            stderr=subprocess.PIPE,
            text=True,
        ) as process:
            tail: deque[str] = deque(maxlen=25)
            relay = threading.Thread(target=_relay, args=(process, tail), daemon=True)
            relay.start()
            try:
                _watch(process, tail, project, public, port, echo)
            except KeyboardInterrupt:
                echo("Stopped.")
        relay.join(timeout=5)  # the engine is gone: its pipe ends and the relay closes it


def _watch(
    process: subprocess.Popen[str],
    tail: deque[str],
    project: Any,
    public: bool,
    port: int,
    echo: Callable[[str], None],
) -> None:
    """Wait for the server to answer, then regenerate pages on changes while it runs."""
    from insightmap.site.build import prepare

    while not _answers(port):
        if process.poll() is not None:
            time.sleep(0.2)  # let the relay read the engine's last words
            text = "\n".join(tail)
            if "in use" in text or f"Errno {errno.EADDRINUSE}" in text:
                raise PortInUse(port)
            raise InsightmapError(
                f"the properdocs server stopped at once (exit {process.returncode}):\n{text}"
            )
        time.sleep(0.1)
    echo(f"Serving on http://127.0.0.1:{port}/ (Ctrl-C stops)")
    root = Path(project.root)
    work = root / "build" / "serve"
    seen = snapshot(root)
    while process.poll() is None:
        time.sleep(POLL)
        now = snapshot(root)
        if now == seen:
            continue
        seen = now
        fresh, problems = regenerate(root, public)
        if fresh is None:
            echo("\n".join(problems))
            echo("Not rebuilt: fix the problems above (the last good pages stay up).")
            continue
        prepare(project, fresh, work, work / "site")
        echo("Rebuilt the pages.")
    time.sleep(0.2)
    raise InsightmapError(f"the properdocs server stopped (exit {process.returncode}):\n" + "\n".join(tail))


def _relay(process: subprocess.Popen[str], tail: deque[str]) -> None:
    """Pass the engine's messages on to our stderr, keeping the last lines for an error."""
    assert process.stderr is not None
    with process.stderr:
        for line in process.stderr:
            tail.append(line.rstrip("\n"))
            sys.stderr.write(line)
