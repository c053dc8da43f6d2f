"""The built site in a real browser: headless Chromium over the DevTools protocol, on localhost only."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from conftest import DEFAULT_CONFIG, record

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-allow-origins=*",
    "--window-size=1280,1600",
    "--remote-debugging-port=0",
]


#: DevTools' answers when a page was replaced while it was being asked (a navigation under way).
NAVIGATED = ("Inspected target navigated or closed", "Execution context was destroyed")


class Navigated(Exception):
    """The page went away while a command ran on it."""


class Browser:
    """A minimal DevTools-protocol client: commands, events and JavaScript evaluation."""

    def __init__(self, profile: Path) -> None:
        websocket = pytest.importorskip("websocket", reason="needs websocket-client (the test extra)")
        self.process = subprocess.Popen(
            [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = profile / "DevToolsActivePort"
        for _ in range(200):
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.05)
        port = port_file.read_text().split()[0]
        targets = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10).read())
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict[str, Any]] = []
        self.send("Network.enable")
        self.send("Page.enable")
        self.send("Runtime.enable")

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if any(lost in str(message.get("error")) for lost in NAVIGATED):
                    raise Navigated(str(message["error"]))
                assert "error" not in message, message
                return message.get("result", {})
            self.events.append(message)

    def js(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result["result"].get("value")

    def wait(self, expression: str, timeout: float = 20) -> Any:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                value = self.js(expression)
            except Navigated:  # asked while the page was being replaced: ask the new one
                value = None
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {expression}")

    def open(self, url: str) -> None:
        self.send("Page.navigate", url=url)
        self.wait("document.readyState === 'complete' && location.href !== 'about:blank'")

    def requests(self) -> list[str]:
        sent = [e for e in self.events if e.get("method") == "Network.requestWillBeSent"]
        return [e["params"]["request"]["url"] for e in sent]

    def close(self) -> None:
        self.ws.close()
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module", params=["properdocs", "zensical"])
def site(request, tmp_path_factory):
    """Build a small site with each engine and serve it on 127.0.0.1; yield its base URL."""
    from click.testing import CliRunner

    from insightmap.cli import cli
    from insightmap.site import search

    root = tmp_path_factory.mktemp("browser") / "project"
    (root / "insights" / "karlskrona").mkdir(parents=True)
    (root / "insightmap.yml").write_text(DEFAULT_CONFIG, encoding="utf-8")
    records = {
        "karlskrona/tidig-kontakt.md": record(
            title="En tillgänglig socialtjänst börjar med tidig kontakt.",
            body="Invånarna ville ha en tillgänglig mottagning som svarar tidigt på morgonen.",
            quotes='["Jag ringde klockan sju och fick svar."]',
        ),
        "karlskrona/skolan.md": record(
            title="Unga vill mötas i skolan.", perspective="[risk-group]", subpopulation="[children-youth]"
        ),
        "karlskrona/barn.md": record(
            title="Barn vill bli lyssnade på i sin egen takt.",
            body="Barn berättade att de sällan fick frågan.",
            subpopulation="[children-youth]",
            date='"2023-09"',
        ),
        "karlskrona/drop-in.md": record(
            title="Drop-in sänker tröskeln.", organisation="sodermalm", perspective="[general-public]"
        ),
        "sodermalm/oppet-hus.md": record(
            title="Öppet hus gör mottagningen tillgänglig.", organisation="sodermalm", date='"2023-03"'
        ),
    }
    for rel, text in records.items():
        (root / "insights" / rel).parent.mkdir(exist_ok=True)
        (root / "insights" / rel).write_text(text, encoding="utf-8")
    if request.param == "zensical":
        pytest.importorskip("zensical", reason="needs zensical (the test extra)")
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "properdocs":
            # Shards of 2 records: the search box must merge pagefind/ and pagefind-2/ (as at 10,000).
            patch.setattr(search, "SHARD_RECORDS", 2)
        result = CliRunner().invoke(cli, ["-C", str(root), "build", "--engine", request.param])
    assert result.exit_code == 0, result.output
    handler = functools.partial(_QuietHandler, directory=str(root / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture
def browser(tmp_path):
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    b = Browser(profile)
    yield b
    b.close()
    shutil.rmtree(profile, ignore_errors=True)


def test_pages_region_click_search_and_no_other_host(site, browser):
    # Start page: title, key figures and the map.
    browser.open(site)
    text = browser.js("document.body.innerText")
    assert "Insiktskartan" in text and "Nyaste insikter" in text and "största vita fläckarna" in text.lower()
    assert browser.js("document.querySelectorAll('figure.im-map svg a').length") >= 3

    # An insight page: title, quote, tags.
    browser.open(site + "insikter/karlskrona/tidig-kontakt/")
    text = browser.js("document.body.innerText")
    assert "En tillgänglig socialtjänst börjar med tidig kontakt." in text
    assert browser.js("document.querySelector('blockquote.im-quote').innerText").startswith("Jag ringde")

    # The white-spot page: summary, chart and table.
    browser.open(site + "vita-flackar/")
    assert "Sammanfattning" in browser.js("document.body.innerText")
    assert browser.js("!!document.querySelector('figure.im-chart svg') && !!document.querySelector('table')")

    # Click a Venn region on the start page with a real mouse click, arrive at its list.
    browser.open(site)
    point = browser.js("""(() => {
        const a = document.querySelector('[id="start-region-active-client"] a');
        a.scrollIntoView({block: 'center'});
        for (const el of a.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            const x = r.left + r.width / 2, y = r.top + r.height / 2;
            const hit = document.elementFromPoint(x, y);
            if (r.width && hit && hit.closest('a') === a) return [x, y];
        }
        return null;
    })()""")
    assert point, "no clickable point on the region"
    for kind in ("mousePressed", "mouseReleased"):
        browser.send(
            "Input.dispatchMouseEvent", type=kind, x=point[0], y=point[1], button="left", clickCount=1
        )
    browser.wait("location.pathname.endsWith('/insikter/region/active-client/')")
    browser.wait("document.readyState === 'complete'")
    assert "En tillgänglig socialtjänst" in browser.js("document.body.innerText")

    # Every request went to the local server.
    requests = browser.requests()
    assert requests and all(url.startswith(site) or url.startswith("data:") for url in requests), [
        url for url in requests if not url.startswith(site)
    ]


def _search(browser: Browser, query: str) -> str:
    """Type a query into the search box; return the result list's text once it has results."""
    browser.wait("!!document.querySelector('#im-search .pagefind-ui__search-input')")
    browser.js(
        "(() => { const i = document.querySelector('#im-search .pagefind-ui__search-input');"
        " i.value = ''; i.dispatchEvent(new Event('input')); i.focus(); })()"
    )
    browser.send("Input.insertText", text=query)
    return str(
        browser.wait(
            "(() => { const l = document.querySelector('#im-search .pagefind-ui__results');"
            " return l && l.children.length && !l.querySelector('.pagefind-ui__loading')"
            " ? l.innerText : ''; })()"  # Pagefind shows placeholders until the hits have loaded
        )
    )


def test_swedish_search_with_a_filter_stays_local(site, browser, request):
    browser.open(site)
    # The search box speaks Swedish (Pagefind's UI follows <html lang="sv">).
    browser.wait("!!document.querySelector('#im-search .pagefind-ui__search-input')")
    assert browser.js("document.querySelector('#im-search input').placeholder") == "Sök"
    # Stemming: "tillgängligheten" finds the insights that say "tillgänglig", in every shard.
    found = _search(browser, "tillgängligheten")
    assert "En tillgänglig socialtjänst börjar med tidig kontakt." in found
    assert "Öppet hus gör mottagningen tillgänglig." in found
    manifest = urllib.request.urlopen(site + "pagefind/insightmap.json", timeout=10).read()
    shards = json.loads(manifest)["shards"]
    assert shards == (["pagefind-2/"] if request.node.callspec.params["site"] == "properdocs" else [])
    # The hit shows its organisation and date on a line of their own, not run into the text.
    meta = browser.js(
        "[...document.querySelectorAll('.pagefind-ui__result')]"
        ".find(r => r.innerText.includes('tidig kontakt')).querySelector('.im-search-meta').innerText"
    )
    assert meta == "Karlskrona kommun · 2024-05"
    # ... and only there: no English "Date: …" / "Organisation: …" chips under the excerpt.
    assert "Date:" not in found and "Organisation:" not in found
    # "barnens" finds "barn"; the year filter narrows it to the one from 2023.
    found = _search(browser, "barnens")
    assert "Barn vill bli lyssnade på" in found
    browser.wait("!!document.querySelector('.pagefind-ui__filter-panel')")
    browser.js(
        "(() => { for (const d of document.querySelectorAll('.pagefind-ui__filter-block')) d.open = true;"
        " const box = [...document.querySelectorAll('.pagefind-ui__filter-checkbox')]"
        ".find(c => c.value === '2024' && c.closest('fieldset').innerText.startsWith('År'));"
        " box.click(); })()"
    )
    browser.wait(
        "(() => { const l = document.querySelector('#im-search .pagefind-ui__results');"
        " return l && !l.innerText.includes('Barn vill'); })()"
    )
    # Every request stayed on the local server.
    elsewhere = [u for u in browser.requests() if not (u.startswith(site) or u.startswith("data:"))]
    assert elsewhere == []
