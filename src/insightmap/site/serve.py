"""Serve the site while records change: regenerate build/serve/docs/ and let `properdocs serve` reload.

Only changed files are written into build/serve/docs/, and the engine runs with `--dirty`
(serve only, never a published build), so it rebuilds just those pages. An edit to insights
shows their own pages first: they are checked with the project and rendered against the last
analysis (a few seconds at 1,000 insights); then the whole site is analysed and generated
again and what changed elsewhere (lists, maps, clusters) follows. Measured at 1,000 insights
before this: 18 s from saving an insight to its page being served (everything regenerated,
the engine rebuilding all 1,460 pages); benchmarks/serve_latency.py measures it.
"""

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
    from insightmap.analyse.results import Results
    from insightmap.pipeline import Checked
    from insightmap.site.generate import Site

#: Seconds between looks at the project's files at least (a look at 1,000 files costs ~10 ms);
#: a larger project is looked at less often, so that looking costs at most a fifth of a core.
POLL = 0.15
POLL_SHARE = 0.2


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
    site, _, problems = _regenerate(_checked(root, public))
    return site, problems


def _checked(root: Path, public: bool) -> Checked:
    from insightmap import pipeline

    return pipeline.check(root, public=public)


def _regenerate(checked: Checked) -> tuple[Site | None, Results | None, list[str]]:
    """Analyse a checked project and make its pages; (None, None, problems' lines) on problems."""
    from insightmap import pipeline

    if checked.errors:
        return None, None, [p.format() for p in checked.problems]
    results = pipeline.analyse(checked)
    return pipeline.site_pages(checked, results), results, []


def edited_pages(checked: Checked, results: Results, changed: set[str]) -> dict[str, str | bytes]:
    """Return the pages of the changed insight files, rendered against the last analysis.

    Their text, tags and links are the new ones; what comes from analysing the whole corpus
    (similar insights, what they led to) is the last analysis's until the full pass follows.
    """
    import dataclasses

    from insightmap.site.generate import _Generator

    # A record's path is relative to the project, as the snapshot's names are.
    edited = [r for r in checked.corpus.insights if r.path in changed]
    if not edited:
        return {}
    writer = _Generator(checked.corpus, results, None)
    writer.corpus = dataclasses.replace(checked.corpus, insights=edited)
    writer.insight_pages()
    return writer.files


def write_pages(project: Any, pages: dict[str, str | bytes], work: Path) -> None:
    """Write only these pages into work/docs, pre-rendered as prepare() does, leaving the others alone.

    prepare() compares every file of the site (0.45 s at 1,000 insights); an edit needs only its pages.
    """
    from insightmap.site import prerender
    from insightmap.site.config import read_user_config
    from insightmap.write import write_atomic

    extensions = read_user_config(Path(project.root))[0].get("markdown_extensions")
    if prerender.usable(extensions):
        pages = prerender.Prerenderer(work / "cache" / "html", extensions).pages(pages)
    for rel, text in pages.items():
        write_atomic(work / "docs" / rel, text.encode("utf-8") if isinstance(text, str) else text)


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
        # Only the pages whose files changed are rebuilt (we write only those). Never for `build`:
        # a dirty build keeps stale navigation and links in the pages it skips.
        "--dirty",
    ]


def serve(
    project: Any,
    site: Site,
    port: int = 8000,
    public: bool = False,
    echo: Callable[[str], None] = print,
    results: Results | None = None,
    checked: Checked | None = None,
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
                _watch(process, tail, project, public, port, echo, (site, results, checked))
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
    last: tuple[Site, Results | None, Checked | None],
) -> None:
    """Wait for the server to answer, then regenerate pages on changes while it runs."""
    from insightmap import pipeline
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
    pause = POLL
    while process.poll() is None:
        time.sleep(pause)
        started = time.perf_counter()
        now = snapshot(root)
        pause = max(POLL, (time.perf_counter() - started) / POLL_SHARE)
        if now == seen:
            continue
        changed = {name for name in {*now, *seen} if now.get(name) != seen.get(name)}
        seen = now
        site, results, before = last
        # An edited insight alone is checked against the last clean check and its page served
        # first; then everything is checked and analysed again, as a build would.
        quick = pipeline.recheck(before, changed) if before is not None else None
        if quick is not None and results is not None and (pages := edited_pages(quick, results, changed)):
            site.files.update(pages)
            write_pages(project, pages, work)
        checked = _checked(root, public)
        fresh, analysed, problems = _regenerate(checked)
        if fresh is None or analysed is None:
            echo("\n".join(problems))
            echo("Not rebuilt: fix the problems above (the last good pages stay up).")
            last = (site, results, None)  # no quick path until everything checks again
            continue
        prepare(project, fresh, work, work / "site")
        last = (fresh, analysed, checked)
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
