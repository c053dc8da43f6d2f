"""Benchmark insightmap against floors measured in the same run; write RESULTS.md.

    python benchmarks/run.py --quick       # N = 1,000 (under two minutes)
    python benchmarks/run.py               # N = 1,000, 10,000 and 100,000 (no site at 100,000)

Every step runs as its own process, so wall time and peak memory (max RSS) are
the step's alone. Ratios compare with floors measured in the same run, because
absolute times on shared 2-core machines are noisy:

* check / load: "read every file and parse its YAML with PyYAML's C loader";
* site build: plain `properdocs build` (the default engine) of the same number of
  plain Markdown pages, same theme, no plugin and no search, pages reached from
  index pages (not in the nav); plain Zensical on the same pages is the outside anchor.

Each row also has the CPU seconds (user + sys, the step's process and its children)
and the load average when it started: on a shared machine, CPU ratios say more than
wall ratios. With --serve-edits, the save-to-served latency under `insightmap serve`
(benchmarks/serve_latency.py) at 1,000; with --search, a first query's transfer on the
largest site in headless Chromium (benchmarks/search_transfer.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

FLOOR_PARSE = """
import sys, yaml
from pathlib import Path
for p in sorted(Path(sys.argv[1]).glob("insights/**/*.md")):
    text = p.read_text("utf-8")
    end = text.index("\\n---", 3)
    yaml.load(text[4:end], Loader=yaml.CSafeLoader)
"""
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", "CI": "true"}


Timing = tuple[float, float, int, float, float]  # seconds, peak MB, exit code, CPU seconds, load average


def timed(args: list[str], cwd: Path | None = None) -> Timing:
    """Run a command; return (seconds, peak memory in MB, exit code, user + sys CPU seconds, load)."""
    load = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # The rusage of wait4 includes the step's own children (the engine, Pagefind, chart workers).
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        print(f"  ! {' '.join(args[:6])} exited {code}: {err[-400:]}", file=sys.stderr)
    return seconds, usage.ru_maxrss / 1024, code, usage.ru_utime + usage.ru_stime, load


def best_of(runs: int, args: list[str], cwd: Path | None = None) -> Timing:
    """Return the fastest of several runs (the least disturbed by other load)."""
    results = [timed(args, cwd) for _ in range(runs)]
    return min(results)


def plain_site(root: Path, n: int, corpus: Path) -> Path:
    """Write a plain ProperDocs + Material project of n pages (record text) reached from index pages."""
    docs = root / "docs"
    per_index = 500
    for i in range(n):
        folder = docs / "insikter" / f"{i // per_index:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        source = next((corpus / "insights").glob(f"*/insikt-{i:06d}.md"), None)
        body = source.read_text(encoding="utf-8").split("---", 2)[2] if source else "Text."
        (folder / f"insikt-{i:06d}.md").write_text(f"# Insikt {i}\n\n{body}\n", encoding="utf-8")
    for j in range((n + per_index - 1) // per_index):
        links = "\n".join(
            f"- [Insikt {i}]({j:03d}/insikt-{i:06d}.md)"
            for i in range(j * per_index, min(n, (j + 1) * per_index))
        )
        (docs / "insikter" / f"index-{j:03d}.md").write_text(f"# Sida {j}\n\n{links}\n", encoding="utf-8")
    (docs / "index.md").write_text("# Start\n", encoding="utf-8")
    nav = "\n".join(f"  - insikter/index-{j:03d}.md" for j in range((n + per_index - 1) // per_index))
    (root / "properdocs.yml").write_text(
        "site_name: Floor\ntheme:\n  name: material\n  language: sv\n  font: false\n"
        "plugins: []\n"
        f"nav:\n  - index.md\n{nav}\nnot_in_nav: |\n  /insikter/*/*.md\n",
        encoding="utf-8",
    )
    return root


def bench(n: int, site: bool, runs: int, work: Path, zensical: bool = False) -> list[dict[str, object]]:
    """Measure every step for a corpus of n insights."""
    rows: list[dict[str, object]] = []
    corpus = work / f"n{n}" / "corpus"
    if not corpus.exists():
        generate(corpus, n)
    exe = [sys.executable, "-m", "insightmap", "-C", str(corpus)]
    floor = best_of(runs, [sys.executable, "-c", FLOOR_PARSE, str(corpus)])
    rows.append(_row(n, "floor: read + parse YAML (C loader)", floor, None))
    check = best_of(runs, [*exe, "check"])
    rows.append(_row(n, "insightmap check", check, floor))
    for step in ("map", "gaps", "clusters"):
        rows.append(_row(n, f"insightmap {step}", best_of(1, [*exe, step, "--format", "json"]), None))
    if site:
        out = work / f"n{n}" / "site"
        shutil.rmtree(corpus / "build", ignore_errors=True)  # a first build: no chart or page cache
        first = timed([*exe, "build", "-o", str(out)])
        again = timed([*exe, "build", "-o", str(out)])
        # The floor has as many pages as the site we built (records, lists, tags, maps).
        pages = sum(1 for _ in (corpus / "build" / "docs").rglob("*.md"))
        plain = plain_site(work / f"n{n}" / "plain", pages, corpus)
        site_floor = timed(
            [sys.executable, "-m", "properdocs", "build", "-q", "-d", str(work / "plainsite")], cwd=plain
        )
        rows.append(_row(n, f"floor: plain properdocs build ({pages:,} pages)", site_floor, None))
        rows.append(_row(n, "insightmap build (first)", first, site_floor))
        rows.append(_row(n, "insightmap build (nothing changed)", again, site_floor))
        if zensical:
            # The outside anchor: plain Zensical (its own config name, no --clean) on the same pages.
            (plain / "zensical.toml").unlink(missing_ok=True)
            shutil.copy(plain / "properdocs.yml", plain / "mkdocs.yml")
            anchor = timed([sys.executable, "-m", "zensical", "build", "-f", "mkdocs.yml"], cwd=plain)
            rows.append(_row(n, "anchor: plain zensical build (same pages)", anchor, site_floor))
    return rows


def serve_latency(corpus: Path, edits: int) -> dict[str, object]:
    """Return the median save-to-served seconds of `edits` edits under `insightmap serve`."""
    import statistics

    from serve_latency import measure

    load = os.getloadavg()[0]
    latencies = measure(corpus, edits, 8123, 120.0)
    median = statistics.median(latencies)
    print(f"  serve: median {median:.2f} s over {edits} edits ({', '.join(f'{x:.1f}' for x in latencies)})")
    return {"latencies": latencies, "median": median, "load": load}


def search_cost(site: Path) -> dict[str, object]:
    """Return what a first search transfers on a built site (headless Chromium)."""
    from search_transfer import measure

    load = os.getloadavg()[0]
    result = measure(site, "tillgängligheten")
    print(f"  search: {result}")
    return {**result, "load": load}


def _row(n: int, step: str, result: Timing, floor: Timing | None) -> dict[str, object]:
    seconds, memory, code, cpu, load = result
    row = {
        "n": n,
        "step": step,
        "seconds": seconds,
        "cpu": cpu,
        "memory_mb": memory,
        "exit": code,
        "load": load,
        "ratio": seconds / floor[0] if floor else None,
        "cpu_ratio": cpu / floor[3] if floor and floor[3] else None,
    }
    ratio = f"{row['ratio']:.2f}× wall, {row['cpu_ratio']:.2f}× CPU" if floor else ""
    print(f"  N={n:>7,}  {step:<44} {seconds:8.2f} s {cpu:7.2f} CPU {memory:6.0f} MB {ratio}", flush=True)
    return row


def table(rows: list[dict[str, object]], extras: dict[str, dict[str, object]]) -> list[str]:
    """Return the results as Markdown lines: the table, then serve latency and search transfer."""
    lines = [
        "| N | step | wall (s) | CPU user+sys (s) | peak memory (MB) | ratio to floor (wall / CPU) | load |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        ratio = f"{r['ratio']:.2f}× / {r['cpu_ratio']:.2f}×" if r["ratio"] else ""
        lines.append(
            f"| {r['n']:,} | {r['step']} | {r['seconds']:.2f} | {r['cpu']:.2f} | {r['memory_mb']:.0f} | "
            f"{ratio} | {r['load']:.1f} |"
        )
    if "serve" in extras:
        s = extras["serve"]
        each = ", ".join(f"{x:.1f}" for x in s["latencies"])  # type: ignore[attr-defined]
        lines += [
            "",
            f"Serve, 1,000 insights: save → new page served, median {s['median']:.2f} s "
            f"({each}; load {s['load']:.1f}).",
        ]
    if "search" in extras:
        q = extras["search"]
        lines += [
            "",
            f'Search, {q["n"]:,} insights, first query "tillgängligheten" in headless Chromium: '
            f"{q['query_bytes']:,} B in {q['query_files']} files for the query "
            f"({q['page_bytes']:,} B for the page before it), results after {q['seconds']:.2f} s, "
            f"every request on 127.0.0.1: {q['local']} (load {q['load']:.1f}).",
        ]
    return lines


def write_results(
    rows: list[dict[str, object]], path: Path, quick: bool, extras: dict[str, dict[str, object]] | None = None
) -> None:
    """Write the results table as Markdown."""
    lines = [
        "# Benchmark results",
        "",
        f"Measured {dt.date.today().isoformat()} on {os.cpu_count()} cores ({platform.machine()}, "
        f"Python {platform.python_version()}){' — quick run' if quick else ''}. Produced by "
        "`python benchmarks/run.py`; ratios are to the floor measured in the same run.",
        "",
        *table(rows, extras or {}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    """Run the benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="only N = 1,000")
    parser.add_argument("--sizes", type=int, nargs="*", help="corpus sizes (default 1000 10000 100000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of check and its floor (best taken)")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--work", type=Path, default=None, help="where corpora go (default: a temp dir)")
    parser.add_argument("--zensical", action="store_true", help="plain Zensical on the plain pages too")
    parser.add_argument("--serve-edits", type=int, default=0, help="edits under serve at 1,000 (0: none)")
    parser.add_argument("--search", action="store_true", help="a first search on the largest site")
    args = parser.parse_args()
    sizes = [1000] if args.quick else (args.sizes or [1000, 10_000, 100_000])
    work = args.work or Path(tempfile.mkdtemp(prefix="insightmap-bench-"))
    rows: list[dict[str, object]] = []
    extras: dict[str, dict[str, object]] = {}
    try:
        for n in sizes:
            print(f"N = {n:,}", flush=True)
            rows += bench(n, site=n <= 10_000, runs=args.runs, work=work, zensical=args.zensical)
            if n == 1000 and args.serve_edits:
                extras["serve"] = serve_latency(work / "n1000" / "corpus", args.serve_edits)
        built = [n for n in sizes if n <= 10_000]
        if args.search and built:
            extras["search"] = {"n": max(built), **search_cost(work / f"n{max(built)}" / "site")}
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    write_results(rows, args.out, args.quick, extras)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
