"""`serve` and `build` as processes: a busy port, signals, kill -9, and no engine left behind."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import record
from insightmap.site import build as site_build
from insightmap.site import serve as site_serve
from insightmap.site.serve import _free_port_near, port_free
from insightmap.write import SITE_MARKER
from test_outputs import tree_hash

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="not applicable: reads child processes from /proc"
)


def _children(pid: int) -> list[int]:
    """Return the live child processes of pid (Linux /proc)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return [c for c in found if _alive(c)]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has stopped; only its exit status waits for a reaper


def _wait_for(condition, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.3)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _insightmap(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "insightmap", "-C", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_busy_port_is_exit_1_before_anything_starts(corpus, run):
    root = corpus({"insights/a.md": record()})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("-C", root, "serve", "--port", port)
    assert result.exit_code == 1
    assert f"port {port} is in use; try --port" in result.output
    assert "Serving on" not in result.output and "Traceback" not in result.output
    assert not (root / "build").exists()


def test_engine_failing_on_the_port_is_exit_1(corpus, run, monkeypatch):
    """The port is taken between our look and the engine's bind: still the same clear message."""
    root = corpus({"insights/a.md": record()})
    failing = [sys.executable, "-c", "import sys; sys.exit('OSError: [Errno 98] Address already in use')"]
    monkeypatch.setattr(site_serve, "serve_command", lambda *args: failing)
    # The pages do not matter here; skip generating them.
    monkeypatch.setattr(site_build, "prepare", lambda project, site, work, out: (work / "m.yml", (0, 0)))
    port = _free_port_near(21000)
    result = run("-C", root, "serve", "--port", port)
    assert result.exit_code == 1
    assert f"port {port} is in use; try --port" in result.output
    assert "Serving on" not in result.output


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_stops_serve_and_its_engine(corpus, sig):
    root = corpus({"insights/a.md": record()})
    port = _free_port_near(22000 + sig)
    process = _insightmap(root, "serve", "--port", str(port))
    try:
        assert _wait_for(lambda: _answers(port), 60), "serve never answered"
        engines = _children(process.pid)
        assert engines, "no engine child found"
        process.send_signal(sig)
        process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
        output = process.communicate()[0]
    assert process.returncode == 0, output
    assert "Traceback" not in output
    assert _wait_for(lambda: not any(_alive(pid) for pid in engines), 5), "the engine outlived serve"
    assert _wait_for(lambda: port_free(port), 5), "the port is still taken"


def test_kill_9_of_build_takes_the_engine_along_and_the_next_build_succeeds(corpus, run):
    root = corpus({"insights/a.md": record()})
    # A site from before the marker existed (as the demo's site/ is): rebuilt, not refused.
    (root / "site").mkdir()
    (root / "site/index.html").write_text("<html>gammal</html>", encoding="utf-8")
    (root / "site/sitemap.xml").write_text("<urlset/>", encoding="utf-8")
    records = tree_hash(root / "insights")
    process = _insightmap(root, "build")
    try:
        assert _wait_for(lambda: bool(_children(process.pid)), 60), "the engine never started"
        engines = _children(process.pid)
        process.kill()
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()
    assert _wait_for(lambda: not any(_alive(pid) for pid in engines), 5), "the engine outlived build"
    assert (root / "site/index.html").read_text(encoding="utf-8") == "<html>gammal</html>"
    # Leftovers of a run killed mid-swap, beside the site: the next build cleans them up.
    for stale in (".site.building", ".site.old"):
        (root / stale).mkdir(exist_ok=True)
        (root / stale / "index.html").write_text("halv", encoding="utf-8")
    result = run("-C", root, "build")
    assert result.exit_code == 0, result.output
    assert (root / "site" / SITE_MARKER).is_file()
    assert "gammal" not in (root / "site/index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in root.iterdir()) == ["build", "insightmap.yml", "insights", "site"]
    assert not (root / "build/site.building").exists()
    assert tree_hash(root / "insights") == records


def test_an_edited_insight_page_comes_first_and_alone(corpus):
    """Under serve, an edit renders its insight's own page from the last analysis, nothing else."""
    from insightmap import pipeline

    root = corpus(
        {
            "insights/karlskrona/tidig.md": record(),
            "insights/karlskrona/sen.md": record(title="Kvällsöppet vore bra för många."),
        }
    )
    checked = pipeline.check(root)
    results = pipeline.analyse(checked)
    edited = root / "insights" / "karlskrona" / "tidig.md"
    edited.write_text(record(body="Ny text om morgnarna."), encoding="utf-8")
    pages = site_serve.edited_pages(pipeline.check(root), results, {"insights/karlskrona/tidig.md"})
    assert list(pages) == ["insikter/karlskrona/tidig/index.md"]
    assert "Ny text om morgnarna." in str(pages["insikter/karlskrona/tidig/index.md"])
    assert site_serve.edited_pages(pipeline.check(root), results, {"maps/x.yml"}) == {}


def test_serve_rebuilds_only_changed_pages():
    """The engine's server rebuilds only the pages whose files changed (never for a published build)."""
    assert "--dirty" in site_serve.serve_command(Path("properdocs.yml"), 8000)
    assert "--dirty" not in site_build.engine_command("properdocs", Path("properdocs.yml"), False)
