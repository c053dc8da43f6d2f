"""Count what a first search costs on a built site, in headless Chromium over the DevTools protocol.

    python benchmarks/search_transfer.py SITE_FOLDER [--query tillgängligheten]

Serves the folder on 127.0.0.1, opens the start page, waits for the search box, then types
the query and waits for results. Prints the bytes transferred (encoded, as on the wire)
for the page load and for the first query, the seconds from typing to results, and whether
every request stayed on 127.0.0.1. Reuses the client of tests/test_browser.py.

Bytes are counted where the browser fetched them, at the local server (what it sent for each
request): Pagefind fetches its index from a web worker, whose requests the page's DevTools
session does not see (it saw 45,749 B, only pagefind.js, at both 1,000 and 10,000 insights).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_browser import Browser, _QuietHandler  # noqa: E402


class _CountingHandler(_QuietHandler):
    """Serves the site and notes the size of every file it sends."""

    sent: list[tuple[str, int]] = []

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        super().do_GET()
        if path.is_file():
            self.sent.append((self.path, path.stat().st_size))


def measure(site: Path, query: str) -> dict[str, Any]:
    """Serve site, search once; return bytes for the page and the query, seconds, and the hosts seen."""
    _CountingHandler.sent = sent = []
    handler = functools.partial(_CountingHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with tempfile.TemporaryDirectory() as profile:
        browser = Browser(Path(profile))
        try:
            browser.open(base)
            browser.wait("!!document.querySelector('#im-search .pagefind-ui__search-input')")
            time.sleep(1.0)  # the page's own requests finish
            page_bytes = sum(size for _, size in sent)
            before = len(sent)
            browser.js("document.querySelector('#im-search .pagefind-ui__search-input').focus()")
            start = time.perf_counter()
            browser.send("Input.insertText", text=query)
            browser.wait(
                "(() => { const l = document.querySelector('#im-search .pagefind-ui__results');"
                " return l && l.children.length ? l.innerText : ''; })()",
                timeout=60,
            )
            seconds = time.perf_counter() - start
            time.sleep(1.0)  # the results' own fragments finish loading
            query_bytes = sum(size for _, size in sent[before:])
            files = len(sent) - before
            urls = browser.requests()
        finally:
            browser.close()
            server.shutdown()
            server.server_close()
    local = all(u.startswith(base) or u.startswith("data:") for u in urls)
    return {
        "page_bytes": page_bytes,
        "query_bytes": query_bytes,
        "query_files": files,
        "seconds": seconds,
        "local": local,
    }


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", default="tillgängligheten")
    args = parser.parse_args()
    result = measure(args.site.resolve(), args.query)
    print(
        f"page load {result['page_bytes']:,} B; first query {result['query_bytes']:,} B "
        f"in {result['query_files']} files; "
        f"results after {result['seconds']:.2f} s; all on 127.0.0.1: {result['local']}"
    )


if __name__ == "__main__":
    main()
