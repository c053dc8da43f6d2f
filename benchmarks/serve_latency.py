"""Measure how long `insightmap serve` takes from saving an insight to serving its new page.

    python benchmarks/serve_latency.py CORPUS [--edits 10] [--port 8123]

Starts `insightmap serve` on 127.0.0.1, waits until it answers, then edits one insight at a
time (a new sentence at the end of its body) and polls the insight's page over HTTP until the
sentence is there. Prints each latency and the median; the edited files are restored at the end.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def fetch(url: str) -> str | None:
    """Return the page at url, or None while it is not served."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (127.0.0.1 only)
            return str(response.read().decode("utf-8", errors="replace"))
    except (urllib.error.URLError, OSError):
        return None


def wait_for(check: object, timeout: float, step: float = 0.05) -> float | None:
    """Poll check() until true; return the seconds it took, or None after timeout."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if check():  # type: ignore[operator]
            return time.perf_counter() - start
        time.sleep(step)
    return None


def page_url(port: int, corpus: Path, record: Path) -> str:
    """Return the served URL of an insight file's page (insights/<org>/<name>.md → insikter/<org>/<name>/)."""
    rel = record.relative_to(corpus / "insights").with_suffix("")
    return f"http://127.0.0.1:{port}/insikter/{rel.as_posix()}/"


def measure(corpus: Path, edits: int, port: int, timeout: float) -> list[float]:
    """Serve corpus, edit `edits` insights one after another; return the save-to-served latencies."""
    records = sorted((corpus / "insights").rglob("*.md"))[: edits * 7 : 7]
    originals = {path: path.read_bytes() for path in records}
    server = subprocess.Popen(
        [sys.executable, "-m", "insightmap", "-C", str(corpus), "serve", "--port", str(port)],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        text=True,
    )
    rebuilt = [0]  # "Rebuilt the pages." lines: the whole site has followed an edit
    threading.Thread(target=_count_rebuilds, args=(server, rebuilt), daemon=True).start()
    latencies: list[float] = []
    try:
        first = page_url(port, corpus, records[0])
        started = wait_for(lambda: fetch(first) is not None, 600, 0.5)
        if started is None:
            raise SystemExit("serve never served the first page")
        print(f"serving after {started:.1f} s", flush=True)
        time.sleep(3)  # let the first build's reload settle
        for i, path in enumerate(records):
            marker = f"Latensmarkör {i} {int(time.time())}."
            text = originals[path].decode("utf-8").rstrip("\n") + f"\n\n{marker}\n"
            url = page_url(port, corpus, path)
            path.write_text(text, encoding="utf-8")
            took = wait_for(lambda url=url, marker=marker: marker in (fetch(url) or ""), timeout)
            if took is None:
                print(f"  edit {i}: not served within {timeout:.0f} s", flush=True)
                latencies.append(float("inf"))
                continue
            latencies.append(took)
            print(f"  edit {i}: {took:.2f} s  {url}", flush=True)
            # The next edit once the whole site has followed this one (as a person reads, then edits).
            wait_for(lambda i=i: rebuilt[0] > i, timeout)
            time.sleep(1.0)
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    return latencies


def _count_rebuilds(server: subprocess.Popen[str], rebuilt: list[int]) -> None:
    assert server.stdout is not None
    for line in server.stdout:
        if line.startswith("Rebuilt the pages"):
            rebuilt[0] += 1


def main() -> None:
    """Measure and print the median latency."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for one edit")
    args = parser.parse_args()
    latencies = measure(args.corpus.resolve(), args.edits, args.port, args.timeout)
    print(f"median {statistics.median(latencies):.2f} s over {len(latencies)} edits")


if __name__ == "__main__":
    main()
