"""Count what a first search costs on a built site, in headless Chromium over the DevTools protocol.

    python benchmarks/search_transfer.py SITE_FOLDER [--query tillgängligheten] [--runs 3] [--log]

Serves the folder on 127.0.0.1, opens the start page, waits for the search box and a second
(more with --idle SECONDS; none with --idle -1: a user who types at once), then types the
query and waits until the first hit shows its title (not Pagefind's grey placeholders).
Prints the bytes transferred for the page load and for the first query, the seconds from
typing to results split into their parts, the seconds from page load to a ready search, and
whether every request stayed on 127.0.0.1. With --runs N it prints each run and the median,
each with the machine's load average. Reuses the client of tests/test_browser.py.

Bytes and the times of Pagefind's requests are taken where the browser fetched them, at the
local server: Pagefind fetches its index from a web worker, whose requests (and resource
timings) the page's DevTools session does not see. The page's own moments (keystroke, count
of hits shown, first hit painted) are noted in the page by a MutationObserver and compared on
the same wall clock (both processes run on this machine).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_browser import Browser, _QuietHandler  # noqa: E402

#: Notes, in the page, when the user typed, when the hit count appeared, when placeholders and
#: the first real hit were painted, and when the search script said the index was ready.
MARKS = """
window.__im_marks = {};
(() => {
  const mark = (name) => { if (!(name in window.__im_marks)) window.__im_marks[name] = Date.now(); };
  document.addEventListener("input", () => mark("input"), true);
  document.addEventListener("im-search-ready", () => mark("ready"));
  new MutationObserver(() => {
    if (document.querySelector("#im-search .pagefind-ui__search-input")) mark("box");
    const message = document.querySelector("#im-search .pagefind-ui__message");
    if (message && /\\d/.test(message.textContent)) mark("count");
    if (document.querySelector("#im-search .pagefind-ui__result")) mark("placeholders");
    if (document.querySelector("#im-search .pagefind-ui__result-link")) {
      mark("painted");
      requestAnimationFrame(() => mark("frame"));
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });
})();
"""

#: True once the first hit is on screen with its title.
PAINTED = "!!(window.__im_marks && window.__im_marks.frame)"


def _wait_painted(browser: Browser, start: float, timeout: float) -> float:
    """Return seconds from start until the first hit is painted, asking every 20 ms (Browser.wait: 200)."""
    while time.perf_counter() - start < timeout:
        if browser.js(PAINTED):
            return time.perf_counter() - start
        time.sleep(0.02)
    raise AssertionError(f"no search result painted within {timeout} s")


class _CountingHandler(_QuietHandler):
    """Serves the site and notes, for every file it sends, its path, size and when it was sent."""

    sent: list[tuple[str, int, float, float]] = []

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        begun = time.time()
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        super().do_GET()
        if path.is_file():
            self.sent.append((self.path, path.stat().st_size, begun, time.time()))


def _kind(path: str) -> str:
    """Name the part of Pagefind's bundle a request fetched."""
    name = path.split("?")[0].rsplit("/", 1)[-1]
    for suffix, kind in (
        (".pf_meta", "meta"),
        (".pf_filter", "filter"),
        (".pf_index", "index"),
        (".pf_fragment", "fragment"),
        (".pagefind", "wasm"),
    ):
        if name.endswith(suffix):
            return kind
    return name


Sent = list[tuple[str, int, float, float]]


def _phases(sent: Sent, marks: dict[str, float], typed: float) -> dict[str, Any]:
    """Split typing-to-results into its parts, in seconds from the keystroke."""
    rel = {k: round(v / 1000 - typed, 3) for k, v in marks.items()}
    requests = [(_kind(p), round(b - typed, 3), round(e - typed, 3), size) for p, size, b, e in sent]
    last = {}
    first = {}
    for kind, begun, ended, _ in requests:
        first.setdefault(kind, begun)
        last[kind] = ended
    return {"marks": rel, "first_request": first, "last_response": last, "requests": requests}


def measure(site: Path, query: str, idle: float = 0.0, log: bool = False) -> dict[str, Any]:
    """Serve site, search once; return bytes for the page and the query, seconds and their parts, hosts."""
    _CountingHandler.sent = sent = []
    handler = functools.partial(_CountingHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with tempfile.TemporaryDirectory() as profile:
        browser = Browser(Path(profile))
        try:
            browser.send("Page.addScriptToEvaluateOnNewDocument", source=MARKS)
            opened = time.time()
            browser.open(base)
            browser.wait("!!document.querySelector('#im-search .pagefind-ui__search-input')")
            if idle >= 0:  # the page's own requests (and what it loads while idle) finish
                time.sleep(1.0 + idle)
            page_marks = browser.js("window.__im_marks")
            page_bytes = sum(size for _, size, _, _ in sent)
            before = len(sent)
            browser.js("document.querySelector('#im-search .pagefind-ui__search-input').focus()")
            typed = time.time()
            start = time.perf_counter()
            browser.send("Input.insertText", text=query)
            seconds = _wait_painted(browser, start, 60.0)
            marks = browser.js("window.__im_marks")
            time.sleep(1.0)  # the results' own fragments finish loading
            query_sent = sent[before:]
            urls = browser.requests()
        finally:
            browser.close()
            server.shutdown()
            server.server_close()
    local = all(u.startswith(base) or u.startswith("data:") for u in urls)
    phases = _phases(query_sent, marks, typed)
    ready = page_marks.get("ready")
    result = {
        "page_bytes": page_bytes,
        "query_bytes": sum(size for _, size, _, _ in query_sent),
        "query_files": len(query_sent),
        "seconds": seconds,
        "painted": phases["marks"].get("frame", seconds),
        "count_shown": phases["marks"].get("count"),
        "ready_after_load": round(ready / 1000 - opened, 3) if ready else None,
        "box_after_load": round(page_marks["box"] / 1000 - opened, 3) if "box" in page_marks else None,
        "local": local,
        "phases": phases,
    }
    if log:
        for kind, begun, ended, size in phases["requests"]:
            print(f"    {begun:7.3f} → {ended:7.3f} s  {size:>9,} B  {kind}")
        print(f"    marks (s after typing): {phases['marks']}")
    return result


def _summary(result: dict[str, Any]) -> str:
    """One line: bytes, seconds and where they went."""
    phases = result["phases"]
    first, last = phases["first_request"], phases["last_response"]
    parts = []
    index_kinds = [k for k in first if k in ("index", "filter", "meta", "wasm", "pagefind-entry.json")]
    if index_kinds:
        parts.append(f"first index request {min(first[k] for k in index_kinds):.2f}")
    if "index" in last:
        parts.append(f"index loaded {last['index']:.2f}")
    if result["count_shown"] is not None:
        parts.append(f"count shown {result['count_shown']:.2f}")
    if "fragment" in first:
        parts.append(f"fragments {first['fragment']:.2f}–{last['fragment']:.2f}")
    parts.append(f"painted {result['painted']:.2f}")
    ready = result["ready_after_load"]
    return (
        f"page load {result['page_bytes']:,} B; first query {result['query_bytes']:,} B "
        f"in {result['query_files']} files; results after {result['seconds']:.2f} s "
        f"({', '.join(parts)} s after typing); search ready {ready if ready is not None else '?'} s "
        f"after load (box {result['box_after_load']} s); all on 127.0.0.1: {result['local']}"
    )


def main() -> None:
    """Measure (N times) and print each run with the load, then the median."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", default="tillgängligheten")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument(
        "--idle",
        type=float,
        default=0.0,
        help="seconds to wait after load (+1) before typing; -1: type as soon as the box is there",
    )
    parser.add_argument("--log", action="store_true", help="print every request and mark of the query")
    args = parser.parse_args()
    seconds = []
    for _ in range(args.runs):
        load = os.getloadavg()[0]
        result = measure(args.site.resolve(), args.query, args.idle, args.log)
        seconds.append(result["seconds"])
        print(f"load {load:.2f}: {_summary(result)}", flush=True)
    if args.runs > 1:
        print(f"median results after {statistics.median(seconds):.2f} s over {args.runs} runs")


if __name__ == "__main__":
    main()
