"""Shared fixtures: small projects built in tmp_path and a CLI runner."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from insightmap.cli import cli as insightmap_cli

DEFAULT_CONFIG = """\
language: sv
organisations:
  sodermalm: {name: Södermalms stadsdelsförvaltning, type: city-district, parent: stockholm}
  stadsmissionen: {name: Stadsmissionen, type: civil-society}
"""


def record(
    title: str = "Invånare vill kunna ringa tidigt på morgonen.",
    perspective: str = "[active-client]",
    subpopulation: str = "[adults]",
    organisation: str = "karlskrona",
    date: str = '"2024-05"',
    body: str = "Brödtext om vad vi lärde oss.",
    **extra: str,
) -> str:
    """Return the text of an insight record; extra keyword arguments add front-matter lines."""
    lines = [
        f"title: {title}",
        f"perspective: {perspective}",
        f"subpopulation: {subpopulation}",
        f"organisation: {organisation}",
        f"date: {date}",
    ]
    lines += [f"{key.replace('_', '-')}: {value}" for key, value in extra.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


def study(
    title: str = "Intervjuer med unga",
    status: str = "ongoing",
    organisation: str = "karlskrona",
    perspective: str = "[risk-group]",
    subpopulation: str = "[children-youth]",
    date: str = '"2025-01"',
) -> str:
    """Return the text of a study record."""
    return (
        f"---\nkind: study\ntitle: {title}\nstatus: {status}\norganisation: {organisation}\n"
        f"perspective: {perspective}\nsubpopulation: {subpopulation}\ndate: {date}\n"
        "contact: Verksamhetsutvecklare\n---\n\nOm insiktsarbetet.\n"
    )


def write_project(root: Path, files: dict[str, str | bytes], config: str = DEFAULT_CONFIG) -> Path:
    """Write a project at root from {relative path: text}; return root."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "insightmap.yml").write_text(config, encoding="utf-8")
    (root / "insights").mkdir(exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(
                textwrap.dedent(content) if content.startswith("\n") else content,
                encoding="utf-8",
            )
    return root


def cli(*args: str | Path, input: str | None = None) -> Result:
    """Run the CLI with arguments; returns click's Result (exit_code, output)."""
    return CliRunner().invoke(insightmap_cli, [str(a) for a in args], input=input, catch_exceptions=False)


def built_once(tmp_path_factory: pytest.TempPathFactory, files: dict[str, str | bytes], **kw: str) -> Path:
    """Write and build a project once, for a module-scoped fixture; return its root.

    A site build costs seconds: a module's tests share one build, and fresh_copy gives each
    test the project as built (a pristine copy is kept beside it).
    """
    root = write_project(tmp_path_factory.mktemp("built") / "project", files, **kw)
    result = cli("-C", root, "build")
    assert result.exit_code == 0, result.output
    shutil.copytree(root, root.with_name("pristine"), symlinks=True)
    return root


def fresh_copy(root: Path) -> Path:
    """Put a built_once project back as it was built, whatever a test before did to it; return root.

    Same path, file times kept: the build's stamp (which includes the site's path) still holds,
    so a rebuild with nothing changed is recognised as such.
    """
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(root.with_name("pristine"), root, symlinks=True)
    return root


@pytest.fixture
def corpus(tmp_path: Path) -> Callable[..., Path]:
    """Build a project in tmp_path from {relative path: text}; return its root."""

    def build(files: dict[str, str | bytes], config: str = DEFAULT_CONFIG) -> Path:
        return write_project(tmp_path / "project", files, config)

    return build


@pytest.fixture
def run() -> Callable[..., Result]:
    """Run the CLI with arguments; returns click's Result (exit_code, output)."""
    return cli


# Skips that say a test cannot apply here (running as root, say) stay skips everywhere;
# any other skip means something a test needs is missing, and CI must not pass without it.
NOT_APPLICABLE = "not applicable:"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") != "true" or not report.skipped:
        return
    reason = str(report.longrepr[2]) if isinstance(report.longrepr, tuple) else str(report.longrepr)
    if NOT_APPLICABLE not in reason:
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where everything a test needs must be installed: {reason}"


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Send a module's tests to one xdist worker when it builds a site once for them (scope="module").

    Split over workers, such a build would run on each; every other test is scheduled on its own,
    which keeps the two cores busy to the end. (xdist's loadgroup would do this by marks, but its
    grouping has no effect under pytest 9.)
    """
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    shared: dict[str, bool] = {}

    class SharedBuilds(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            if module not in shared:
                path = config.rootpath / module
                shared[module] = path.is_file() and 'scope="module"' in path.read_text(encoding="utf-8")
            return module if shared[module] else nodeid

    return SharedBuilds(config, log)


def pytest_configure(config: pytest.Config) -> None:
    """Give each xdist worker a core of its own.

    The workers already use every core; a build inside one that forked a pool of its own
    (parallel.py sizes it by the cores it may run on) would crowd the other worker's core.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker.startswith("gw") and hasattr(os, "sched_setaffinity"):
        allowed = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {allowed[int(worker[2:]) % len(allowed)]})
